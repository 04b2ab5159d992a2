using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LossNotebooks.Cli;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// No kernel the project starts may listen on a network address other than loopback: the tool's HTTP host answers
/// without credentials (GET /kernels, a SignalR hub into the kernel). Checked on real processes through /proc:
/// the Jupyter kernel as the installed .net-csharp kernelspec starts it, the same under nbconvert while a cell runs,
/// and the stdio kernel of `lossnb run`.
/// </summary>
public class KernelNetworkTests
{
    private const string KernelName = ".net-csharp";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void The_detector_tells_a_listener_on_every_interface_from_one_on_loopback()
    {
        var any4 = new TcpListener(IPAddress.Any, 0);
        var any6 = new TcpListener(IPAddress.IPv6Any, 0);
        var loopback4 = new TcpListener(IPAddress.Loopback, 0);
        var loopback6 = new TcpListener(IPAddress.IPv6Loopback, 0);
        TcpListener[] all = [any4, any6, loopback4, loopback6];
        any6.Server.DualMode = false; // [::] alone, so the tcp6 table is what finds it
        foreach (var l in all) l.Start();
        try
        {
            var mine = ListeningSockets.Of(ListeningSockets.ProcessTree(Environment.ProcessId));
            ListeningSocket Find(TcpListener l) => Assert.Single(mine, s => s.Port == ((IPEndPoint)l.LocalEndpoint).Port);
            Assert.Equal(IPAddress.Any, Find(any4).Address);
            Assert.Equal(IPAddress.IPv6Any, Find(any6).Address);
            Assert.Equal(IPAddress.Loopback, Find(loopback4).Address);
            Assert.Equal(IPAddress.IPv6Loopback, Find(loopback6).Address);
            Assert.Equal(new[] { false, false, true, true }, all.Select(l => Find(l).IsLoopback));
            Assert.All(mine, s => Assert.Equal(Environment.ProcessId, s.Pid));
        }
        finally
        {
            foreach (var l in all) l.Stop();
        }
    }

    [Fact]
    public async Task The_installed_kernelspec_starts_a_kernel_that_listens_on_loopback_only()
    {
        var (argv, _) = InstalledKernelSpec();
        using var folder = new TempFolder();
        int[] ports = FreeLoopbackPorts(5);
        string connection = folder.Write("kernel-connection.json", new JsonObject
        {
            ["shell_port"] = ports[0], ["iopub_port"] = ports[1], ["stdin_port"] = ports[2], ["control_port"] = ports[3], ["hb_port"] = ports[4],
            ["ip"] = "127.0.0.1", ["transport"] = "tcp", ["key"] = Guid.NewGuid().ToString("N"), ["signature_scheme"] = "hmac-sha256",
            ["kernel_name"] = KernelName,
        }.ToJsonString());

        // Exactly the kernelspec's command line, as Jupyter runs it: {connection_file} filled in, started where the
        // notebooks are (the kernelspec's `dotnet interactive` finds the repository's tool manifest from there).
        var psi = new ProcessStartInfo(argv[0]) { WorkingDirectory = TestNotebooks.RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in argv.Skip(1)) psi.ArgumentList.Add(arg.Replace("{connection_file}", connection, StringComparison.Ordinal));
        using var kernel = Process.Start(psi)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        kernel.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        kernel.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        kernel.BeginOutputReadLine();
        kernel.BeginErrorReadLine();
        try
        {
            // Up means: every port of the connection file is listening. The HTTP host starts in the same host as
            // those, so keep looking for a few seconds after that.
            var seen = new HashSet<ListeningSocket>();
            var clock = Stopwatch.StartNew();
            TimeSpan? upAt = null;
            while (upAt is null ? clock.Elapsed < StartTimeout : clock.Elapsed < upAt + TimeSpan.FromSeconds(5))
            {
                if (kernel.HasExited) Assert.Fail($"the kernel exited ({kernel.ExitCode}):\n{string.Join('\n', log)}");
                seen.UnionWith(ListeningSockets.Of(ListeningSockets.ProcessTree(kernel.Id)));
                if (upAt is null && ports.All(p => seen.Any(s => s.Port == p))) upAt = clock.Elapsed;
                await Task.Delay(250);
            }
            Assert.True(upAt is not null, $"the kernel did not listen on its connection file's ports {string.Join(", ", ports)} within {StartTimeout.TotalSeconds} s:\n{string.Join('\n', log)}");
            AssertLoopbackOnly(seen, $"kernelspec {KernelName}: {string.Join(' ', argv)}");
        }
        finally
        {
            kernel.Kill(entireProcessTree: true);
            await kernel.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Nothing_of_the_kernel_listens_beyond_loopback_while_nbconvert_runs_a_cell()
    {
        var (_, displayName) = InstalledKernelSpec();
        // Inside the repository (the build output), because the kernelspec's `dotnet interactive` finds the pinned
        // tool through the tool manifest above the notebook's folder.
        string dir = Path.Combine(AppContext.BaseDirectory, "kernel-network", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string marker = Path.Combine(dir, "kernel.pid");
            string notebook = Path.Combine(dir, "sleeping.ipynb");
            var doc = JsonNode.Parse(TestNotebooks.Ipynb(SleepingCell(marker, seconds: 8)))!;
            doc["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = KernelName, ["display_name"] = displayName, ["language"] = "C#" } };
            File.WriteAllText(notebook, doc.ToJsonString());

            var psi = new ProcessStartInfo("/usr/bin/jupyter") { WorkingDirectory = TestNotebooks.RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "nbconvert", "--to", "notebook", "--execute", $"--ExecutePreprocessor.kernel_name={KernelName}",
                         "--ExecutePreprocessor.timeout=300", "--output-dir", Path.Combine(dir, "out"), notebook })
                psi.ArgumentList.Add(a);
            using var nbconvert = Process.Start(psi)!;
            var stdout = nbconvert.StandardOutput.ReadToEndAsync();
            var stderr = nbconvert.StandardError.ReadToEndAsync();
            try
            {
                int kernelPid = await WaitForMarker(marker, nbconvert);
                // The kernel's processes: everything nbconvert started (the `dotnet interactive` launcher and the
                // kernel it runs), not nbconvert itself, which only connects.
                var seen = new HashSet<ListeningSocket>();
                var tree = new List<int>();
                var sample = Stopwatch.StartNew();
                while (sample.Elapsed < TimeSpan.FromSeconds(5) && !nbconvert.HasExited)
                {
                    tree = [.. ListeningSockets.ProcessTree(nbconvert.Id).Skip(1)];
                    seen.UnionWith(ListeningSockets.Of(tree));
                    await Task.Delay(250);
                }
                Assert.Contains(kernelPid, tree);
                // The detector sees the kernel's own sockets (its Jupyter ports on 127.0.0.1) ...
                Assert.Contains(seen, s => s.Pid == kernelPid && s.IsLoopback);
                // ... and none of them is reachable from another machine.
                AssertLoopbackOnly(seen, $"kernel {KernelName} under nbconvert");
            }
            finally
            {
                await nbconvert.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            }
            Assert.True(nbconvert.ExitCode == 0, $"jupyter nbconvert --execute failed with the {KernelName} kernel:\n{await stdout}{await stderr}");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Lossnb_run_starts_kernels_that_listen_on_loopback_at_most()
    {
        using var folder = new TempFolder();
        string marker = Path.Combine(folder.Path, "kernel.pid");
        string notebook = folder.Write("sleeping.ipynb", TestNotebooks.Ipynb(SleepingCell(marker, seconds: 6)));

        var run = LossnbApp.InvokeAsync(["run", notebook, "--out", Path.Combine(folder.Path, "out")]);
        int kernelPid = await WaitForMarker(marker, run);
        var seen = new HashSet<ListeningSocket>();
        var tree = ListeningSockets.ProcessTree(kernelPid);
        var sample = Stopwatch.StartNew();
        while (sample.Elapsed < TimeSpan.FromSeconds(4) && !run.IsCompleted)
        {
            tree = ListeningSockets.ProcessTree(kernelPid);
            seen.UnionWith(ListeningSockets.Of(tree));
            await Task.Delay(250);
        }
        Assert.True(Directory.Exists($"/proc/{kernelPid}"), "the kernel ended before its sockets could be read");
        Assert.Equal(0, await run);
        AssertLoopbackOnly(seen, "the kernel of `lossnb run`");
    }

    /// <summary>A C# cell that writes its kernel's process id to <paramref name="marker"/>, then sleeps.</summary>
    private static string SleepingCell(string marker, int seconds) =>
        $"System.IO.File.WriteAllText(@\"{marker}\", System.Environment.ProcessId.ToString());\nawait System.Threading.Tasks.Task.Delay({seconds * 1000});";

    /// <summary>The kernel process id the sleeping cell wrote, once it runs; fails if <paramref name="runner"/> ends first.</summary>
    private static async Task<int> WaitForMarker(string marker, object runner)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (File.Exists(marker) && int.TryParse(File.ReadAllText(marker), out int pid)) return pid;
            bool ended = runner switch { Process p => p.HasExited, Task t => t.IsCompleted, _ => false };
            Assert.False(ended, "the notebook run ended before its sleeping cell started");
            await Task.Delay(200);
        }
        throw new TimeoutException($"the sleeping cell did not start within {StartTimeout.TotalSeconds} s");
    }

    private static void AssertLoopbackOnly(IEnumerable<ListeningSocket> seen, string what)
    {
        var exposed = seen.Where(s => !s.IsLoopback).OrderBy(s => s.Port).ToList();
        Assert.True(exposed.Count == 0,
            $"{what} listens beyond loopback on {string.Join(", ", exposed)} (all its listeners: {string.Join(", ", seen.OrderBy(s => s.Port))})");
    }

    /// <summary>The argv and display name of the .net-csharp kernelspec Jupyter resolves (`jupyter kernelspec list --json`).</summary>
    private static (string[] Argv, string DisplayName) InstalledKernelSpec()
    {
        var psi = new ProcessStartInfo("/usr/bin/jupyter", ["kernelspec", "list", "--json"])
        {
            WorkingDirectory = TestNotebooks.RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var jupyter = Process.Start(psi)!;
        var stderr = jupyter.StandardError.ReadToEndAsync(); // warnings about other kernels, not JSON
        string stdout = jupyter.StandardOutput.ReadToEnd();
        jupyter.WaitForExit();
        Assert.True(jupyter.ExitCode == 0, "jupyter kernelspec list failed (scripts/setup.sh installs Jupyter):\n" + stdout + stderr.Result);
        var specs = JsonNode.Parse(stdout)!["kernelspecs"]!;
        var spec = specs[KernelName]?["spec"] ?? throw new InvalidOperationException($"no {KernelName} kernelspec installed: run scripts/setup.sh");
        return ([.. spec["argv"]!.AsArray().Select(a => a!.GetValue<string>())], spec["display_name"]!.GetValue<string>());
    }

    /// <summary>Ports free on 127.0.0.1 now (the OS hands out distinct ephemeral ports while all are bound).</summary>
    private static int[] FreeLoopbackPorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        int[] ports = [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}

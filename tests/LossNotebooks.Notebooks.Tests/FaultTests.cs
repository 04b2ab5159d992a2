using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using LossNotebooks.Cli;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// `lossnb run` and `check` under faults: signals, a killed lossnb, a clashing or unwritable --out, bad displays and
/// inputs. The signal tests start `dotnet lossnb.dll` and look at the process table for the kernels it started (its
/// own children only).
/// </summary>
public class FaultTests
{
    private const string Sleeps = "Console.WriteLine(\"sleeping\");\nSystem.Threading.Thread.Sleep(600000);";

    // The same, leaving a marker file in the run's output folder first, so a test can wait for the cell instead of a delay.
    private const string SleepsWithMarker =
        "System.IO.File.WriteAllText(System.IO.Path.Combine(Environment.GetEnvironmentVariable(\"LOSSNB_OUT\")!, \"in-sleeping-cell\"), \"\");\n" + Sleeps;

    private static Process Start(params string[] args)
    {
        // Through python's exec, which resets SIGINT to its default: a test host started from a background job
        // inherits SIGINT ignored, and an ignored SIGINT stays ignored across exec.
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestNotebooks.RepoRoot(),
        };
        foreach (var a in new[] { "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp('dotnet', sys.argv[1:])", "dotnet" })
            psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lossnb.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        return Process.Start(psi)!;
    }

    private static (int Code, string Output) Lossnb(params string[] args)
    {
        using var process = Start(args);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(300))) { process.Kill(true); Assert.Fail("lossnb did not finish in 300 s"); }
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Kernel processes (the tool's App.dll) whose parent is <paramref name="parent"/>.</summary>
    private static List<int> KernelsOf(int parent)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (ppid == parent && argv[0].EndsWith("dotnet", StringComparison.Ordinal) && argv.Length > 1 && argv[1].EndsWith("Microsoft.DotNet.Interactive.App.dll", StringComparison.Ordinal))
                    pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return pids;
    }

    private static bool Alive(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z"; }
        catch (IOException) { return false; }
    }

    private static async Task<List<int>> WaitForKernels(Process lossnb, int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !lossnb.HasExited)
        {
            var kernels = KernelsOf(lossnb.Id);
            if (kernels.Count >= count) return kernels;
            await Task.Delay(250);
        }
        Assert.Fail($"lossnb (pid {lossnb.Id}) did not start {count} kernel(s) within {within}");
        return [];
    }

    private static async Task AssertGone(IEnumerable<int> pids, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var alive = pids.Where(Alive).ToList();
        while (alive.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            alive = alive.Where(Alive).ToList();
        }
        Assert.True(alive.Count == 0, $"kernel process(es) {string.Join(", ", alive)} outlived lossnb");
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Fact]
    public async Task Sigterm_to_run_ends_its_kernel_writes_what_finished_and_exits_143_and_a_second_run_into_the_same_out_is_refused()
    {
        using var folder = new TempFolder();
        folder.Write("in/a.dib", TestNotebooks.Dib("var warm = 1;", SleepsWithMarker, "2"));
        folder.Write("in/b.dib", TestNotebooks.Dib("1"));
        string outDir = Path.Combine(folder.Path, "out");
        using var lossnb = Start("run", Path.Combine(folder.Path, "in"), "--out", outDir, "--parallel", "1");
        var stdout = lossnb.StandardOutput.ReadToEndAsync();
        var stderr = lossnb.StandardError.ReadToEndAsync();
        try
        {
            int kernel = Assert.Single(await WaitForKernels(lossnb, 1, TimeSpan.FromSeconds(120)));
            await WaitFor(() => File.Exists(Path.Combine(outDir, OutputLock.FileName)), TimeSpan.FromSeconds(10), "the lock file");
            // Wait until the kernel is in the sleeping cell (its marker file), not for a fixed time: on a loaded machine the
            // warm-up and the first cell can take longer than any delay chosen here.
            await WaitFor(() => File.Exists(Path.Combine(outDir, "in-sleeping-cell")), TimeSpan.FromSeconds(120), "the sleeping cell");
            await Task.Delay(TimeSpan.FromSeconds(1));   // past the marker line, into Console.WriteLine and the sleep

            var (second, secondOutput) = Lossnb("run", Path.Combine(folder.Path, "in", "b.dib"), "--out", outDir);
            Assert.Equal(2, second);
            Assert.Contains($"pid {lossnb.Id}", secondOutput);

            Assert.Equal(0, kill(lossnb.Id, 15));
            await lossnb.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            string output = await stdout + await stderr;
            Assert.True(lossnb.ExitCode == 143, $"exit {lossnb.ExitCode}\n{output}");
            await AssertGone([kernel], TimeSpan.FromSeconds(3));
            Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), $"CoreFxPipe_PSHost.*.{kernel}.*"));
            Assert.Contains("interrupted", output);
            Assert.Contains("b.dib: not run", output);

            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "run-summary.json")))!;
            Assert.True(summary["interrupted"]!.GetValue<bool>());
            Assert.Equal("interrupted", summary["notebooks"]![0]!["cells"]![1]!["status"]!.GetValue<string>());
            var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "notebooks", "a.ipynb")))!;
            var outputs = executed["cells"]![1]!["outputs"]!.AsArray();
            Assert.Equal("sleeping\n", NotebookJsonText(outputs[0]!["text"]));
            Assert.Equal("Interrupted", outputs[^1]!["ename"]!.GetValue<string>());
            Assert.False(File.Exists(Path.Combine(outDir, "notebooks", "b.ipynb")));
            Assert.False(File.Exists(Path.Combine(outDir, OutputLock.FileName)));
        }
        finally
        {
            if (!lossnb.HasExited) lossnb.Kill(true);
        }
    }

    private static string NotebookJsonText(JsonNode? node) => Notebooks.Documents.NotebookJson.JoinMultiline(node);

    [Fact]
    public async Task Sigint_to_check_ends_both_kernels_removes_its_temp_folder_and_exits_130()
    {
        using var folder = new TempFolder();
        foreach (var name in Cli.Commands.CheckCommand.SeedNotebooks)
            folder.Write("seeds/" + name, TestNotebooks.Ipynb(Sleeps));
        using var lossnb = Start("check", "--notebooks", Path.Combine(folder.Path, "seeds"));
        var stdout = lossnb.StandardOutput.ReadToEndAsync();
        var stderr = lossnb.StandardError.ReadToEndAsync();
        try
        {
            var kernels = await WaitForKernels(lossnb, 2, TimeSpan.FromSeconds(120));
            // The kernels learn the run's output folder (check's temporary one) through LOSSNB_OUT.
            string environ = File.ReadAllText($"/proc/{kernels[0]}/environ");
            string runFolder = environ.Split('\0').Single(v => v.StartsWith("LOSSNB_OUT=", StringComparison.Ordinal))["LOSSNB_OUT=".Length..];
            Assert.Contains("lossnb-check-", runFolder);
            Assert.True(Directory.Exists(runFolder));

            Assert.Equal(0, kill(lossnb.Id, 2));
            await lossnb.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(lossnb.ExitCode == 130, $"exit {lossnb.ExitCode}\n{await stdout}{await stderr}");
            await AssertGone(kernels, TimeSpan.FromSeconds(3));
            Assert.False(Directory.Exists(runFolder), $"{runFolder} is left behind");
        }
        finally
        {
            if (!lossnb.HasExited) lossnb.Kill(true);
        }
    }

    [Fact]
    public async Task Kernels_of_a_SIGKILLed_lossnb_end_within_seconds()
    {
        using var folder = new TempFolder();
        folder.Write("in/a.dib", TestNotebooks.Dib("while (true) { }"));
        using var lossnb = Start("run", Path.Combine(folder.Path, "in"), "--out", Path.Combine(folder.Path, "out"));
        try
        {
            var kernels = await WaitForKernels(lossnb, 1, TimeSpan.FromSeconds(120));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(0, kill(lossnb.Id, 9));
            await lossnb.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await AssertGone(kernels, TimeSpan.FromSeconds(10));
        }
        finally
        {
            if (!lossnb.HasExited) lossnb.Kill(true);
        }
    }

    [Fact]
    public void Every_line_arrives_after_a_kernel_is_ended_and_a_malformed_display_fails_only_its_cell()
    {
        using var folder = new TempFolder();
        folder.Write("in/a-busy.dib", TestNotebooks.Dib("var warm = 1;", "while (true) { }", "1"));
        folder.Write("in/b-bad-json.dib", TestNotebooks.Dib("\"{ not json\".DisplayAs(\"application/vnd.custom+json\");", "2"));
        folder.Write("in/c-fine.dib", TestNotebooks.Dib("3"));
        string outDir = Path.Combine(folder.Path, "out");

        var (code, output) = Lossnb("run", Path.Combine(folder.Path, "in"), "--out", outDir, "--timeout", "5", "--parallel", "2", "--keep-going");

        Assert.True(code == 1, $"exit {code}\n{output}");
        Assert.Contains("c-fine.dib (1 cells)", output);
        Assert.Contains("a-busy.dib cell 2: failed", output);
        Assert.Contains("b-bad-json.dib cell 1: failed", output);
        Assert.Contains("application/vnd.custom+json is not valid JSON", output);
        Assert.Contains("3 notebook(s), 2 failed cell(s)", output);
        Assert.Contains("executed notebooks:", output);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "run-summary.json")))!["notebooks"]!.AsArray();
        Assert.Equal(3, summary.Count);
        Assert.Equal("ran", summary[1]!["cells"]![1]!["status"]!.GetValue<string>()); // --keep-going: the run goes on
        Assert.True(File.Exists(Path.Combine(outDir, "notebooks", "c-fine.ipynb")));
    }

    [Fact]
    public async Task Out_that_resolves_to_an_input_notebook_is_refused_before_anything_runs()
    {
        using var folder = new TempFolder();
        string source = folder.Write("notebooks/x.ipynb", TestNotebooks.Ipynb("1"));
        string before = File.ReadAllText(source);
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", source, "--out", folder.Path]));
        // Through a symbolic link to the folder as well.
        string link = Path.Combine(folder.Path, "link");
        Directory.CreateSymbolicLink(link, folder.Path);
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", source, "--out", link]));
        Assert.Equal(before, File.ReadAllText(source));
        Assert.False(File.Exists(Path.Combine(folder.Path, "run-summary.json")));
    }

    [Fact]
    public void Out_over_the_repositorys_tracked_notebooks_is_refused()
    {
        string repo = TestNotebooks.RepoRoot();
        string notebook = Path.Combine(repo, "notebooks", "00-getting-started.ipynb");
        string before = File.ReadAllText(notebook);
        try
        {
            var (code, output) = Lossnb("run", notebook, "--out", ".", "--solutions");
            Assert.True(code == 2, $"exit {code}\n{output}");
            Assert.Contains("is a source notebook", output);
            Assert.Equal(before, File.ReadAllText(notebook));
        }
        finally
        {
            if (File.ReadAllText(notebook) != before) File.WriteAllText(notebook, before); // a regression must not cost the source
        }
    }

    [Fact]
    public async Task Bad_inputs_exit_2()
    {
        using var folder = new TempFolder();
        string ok = folder.Write("in/ok.dib", TestNotebooks.Dib("1"));
        string wrongType = folder.Write("in/k.ipynb",
            """{"cells":[{"cell_type":"code","source":"1","metadata":{"polyglot_notebook":{"kernelName":5}},"outputs":[]}],"metadata":{},"nbformat":4,"nbformat_minor":5}""");
        string file = folder.Write("a-file", "x");
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", wrongType, "--out", Path.Combine(folder.Path, "o1")]));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", ok, "--out", file]));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", ok, "--out", Path.Combine(file, "sub")]));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", ok, "--timeout", "4294968", "--out", Path.Combine(folder.Path, "o2")]));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", "--bogus", "--out", Path.Combine(folder.Path, "o3")]));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", ok, "--max-output", "-1", "--out", Path.Combine(folder.Path, "o4")]));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "o1")) || Directory.Exists(Path.Combine(folder.Path, "o2")));

        string traceFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "trace-is-a-folder")).FullName;
        var (code, output) = Lossnb("train", "--data", "iris", "--loss", "hinge", "--optimizer", "gd", "--iterations", "5", "--trace", traceFolder);
        Assert.True(code == 2, $"exit {code}\n{output}");
        Assert.DoesNotContain("iris:", output); // refused before training
    }
}

using System.Diagnostics;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// Ends the kernels of a process that died without ending them (SIGKILL, a crash), and removes the CoreFxPipe_PSHost.*
/// file each kernel leaves in the temp folder. On Linux a small shell process per lossnb process holds the read end of
/// a pipe whose write end only lossnb has; it learns each kernel's pid through the pipe and, when the pipe closes (lossnb
/// is gone however it ended), kills the kernels still listed. Not `setpriv --pdeathsig`: that signal follows the
/// thread that forked the kernel, and .NET starts processes from thread-pool threads, which retire when idle.
/// </summary>
public static class KernelReaper
{
    // Killed only if the pid still runs the kernel tool, so a pid reused by another program is left alone.
    private const string Script = """
        pids=" "
        while read -r op pid; do
          case "$op" in
            add) pids="$pids$pid " ;;
            del) pids=$(printf '%s' "$pids" | sed "s/ $pid / /") ;;
          esac
        done
        for pid in $pids; do
          if grep -q Microsoft.DotNet.Interactive.App "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null; fi
          rm -f "$1"/CoreFxPipe_PSHost.*."$pid".*
        done
        """;

    private static readonly object Gate = new();
    private static Process? _reaper;
    private static bool _unavailable;

    private static readonly HashSet<int> Watched = [];

    /// <summary>Registers a kernel process: it is killed if this process ends while it still runs.</summary>
    public static void Watch(int pid)
    {
        lock (Watched) if (!Watched.Add(pid)) return;
        Send($"add {pid}");
    }

    /// <summary>
    /// Registers every child of this process that runs the kernel tool. The connector reports its kernel's pid only after
    /// the kernel's handshake, seconds after the fork on a loaded machine; a lossnb killed in between would leave the
    /// kernel behind, so the children are read from /proc while a kernel starts.
    /// </summary>
    public static void WatchChildren()
    {
        if (!OperatingSystem.IsLinux()) return;
        int self = Environment.ProcessId;
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == self) continue;
                try
                {
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    // pid (comm) state ppid …: the comm may hold spaces, so read after its closing parenthesis.
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields.Length < 2 || fields[1] != self.ToString(System.Globalization.CultureInfo.InvariantCulture)) continue;
                    // argv[1] is the tool's App.dll (the reaper's own script names the tool too: it must not match).
                    var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                    if (argv.Length > 1 && argv[1].EndsWith("Microsoft.DotNet.Interactive.App.dll", StringComparison.Ordinal)) Watch(pid);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // gone meanwhile
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>The kernel has been ended: unregisters it and removes its pipe file.</summary>
    public static void Forget(int pid)
    {
        lock (Watched) Watched.Remove(pid);
        Send($"del {pid}");
        RemovePipeFiles(pid);
    }

    /// <summary>The kernel tool's runtime leaves a diagnostics socket CoreFxPipe_PSHost.{start}.{pid}.None.* per process.</summary>
    public static void RemovePipeFiles(int pid)
    {
        try
        {
            foreach (var f in Directory.EnumerateFiles(Path.GetTempPath(), $"CoreFxPipe_PSHost.*.{pid}.*")) File.Delete(f);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static void Send(string line)
    {
        if (!OperatingSystem.IsLinux()) return;
        lock (Gate)
        {
            if (_unavailable) return;
            try
            {
                if (_reaper is null)
                {
                    var psi = new ProcessStartInfo("/bin/sh")
                    {
                        RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                    };
                    foreach (var a in new[] { "-c", Script, "lossnb-kernel-reaper", Path.GetTempPath().TrimEnd('/') }) psi.ArgumentList.Add(a);
                    _reaper = Process.Start(psi)!;
                    // Its stdout/stderr are pipes nobody reads: closed, so it never holds lossnb's own output open.
                    _reaper.StandardOutput.Close();
                    _reaper.StandardError.Close();
                }
                _reaper.StandardInput.WriteLine(line);
                _reaper.StandardInput.Flush();
            }
            catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                _unavailable = true; // no /bin/sh: kernels are still ended on every ordinary exit
            }
        }
    }
}

using System.Diagnostics;

namespace LossNotebooks.Cli;

/// <summary>
/// What lossnb refuses to write over: the notebooks it was given and the repository's tracked notebooks/ files. Paths
/// are compared after symbolic links are resolved, so `--out .` or a link to notebooks/ is caught as well.
/// </summary>
public static class OutputSafety
{
    /// <summary>Null if none of <paramref name="outputs"/> is a source; else a message naming the first that is.</summary>
    public static string? Check(IEnumerable<string> outputs, IEnumerable<string> inputs)
    {
        var sources = new HashSet<string>(inputs.Select(Real), StringComparer.Ordinal);
        foreach (var f in TrackedNotebookFiles()) sources.Add(Real(f));
        foreach (var output in outputs)
            if (sources.Contains(Real(output)))
                return $"{Path.GetRelativePath(Environment.CurrentDirectory, output)} is a source notebook (or a tracked file under notebooks/); it is never overwritten: choose another output";
        return null;
    }

    /// <summary>The path with every symbolic link in its existing part resolved.</summary>
    public static string Real(string path)
    {
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            try
            {
                if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                    current = Real(target.FullName);
            }
            catch (IOException) { } // a link loop: compared as written
        }
        return current;
    }

    /// <summary>Files under notebooks/ of the repository around the working directory: git's tracked ones, or all when git cannot say.</summary>
    private static IEnumerable<string> TrackedNotebookFiles()
    {
        string? root = null;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null && root is null; dir = dir.Parent)
            if (Path.Exists(Path.Combine(dir.FullName, ".git"))) root = dir.FullName;
        if (root is null) return [];
        string notebooks = Path.Combine(root, "notebooks");
        if (!Directory.Exists(notebooks)) return [];
        try
        {
            var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
            foreach (var a in new[] { "ls-files", "-z", "--", "notebooks" }) psi.ArgumentList.Add(a);
            using var git = Process.Start(psi)!;
            var err = git.StandardError.ReadToEndAsync();
            string listing = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
                return listing.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(f => Path.Combine(root, f)).ToList();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { }
        return Directory.EnumerateFiles(notebooks, "*", SearchOption.AllDirectories).ToList();
    }
}

/// <summary>
/// One run per output folder: OUT/.lossnb.lock holds the pid of the run writing there. A lock whose process is gone
/// (a run that was SIGKILLed) is taken over.
/// </summary>
public sealed class OutputLock : IDisposable
{
    public const string FileName = ".lossnb.lock";
    private readonly string _path;
    private OutputLock(string path) => _path = path;

    /// <summary>Takes the lock, or throws <see cref="IOException"/> naming the holder's pid when another live run has it.</summary>
    public static OutputLock Acquire(string outDir)
    {
        string path = Path.Combine(outDir, FileName);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream);
                writer.Write($"{Environment.ProcessId}\n");
                return new OutputLock(path);
            }
            catch (IOException) when (File.Exists(path) && attempt == 0)
            {
                int? holder = int.TryParse(ReadQuietly(path)?.Trim(), out int pid) ? pid : null;
                if (holder is int h && Alive(h))
                    throw new OutputInUseException($"{outDir} is in use by another lossnb run (pid {h}; lock file {path}): wait for it or choose another --out");
                File.Delete(path); // its run is gone
            }
        }
    }

    private static string? ReadQuietly(string path)
    {
        try { return File.ReadAllText(path); } catch (IOException) { return null; }
    }

    private static bool Alive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return false; }
    }

    public void Dispose()
    {
        try { File.Delete(_path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class OutputInUseException(string message) : IOException(message);

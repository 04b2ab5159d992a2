// Loads the LossNotebooks library into this notebook's C# kernel, the same in VS Code, Jupyter and `lossnb run`.
// If the build output is missing or older than the library's sources, it builds it first:
// `dotnet build src/LossNotebooks -c Release -f net10.0` (net10.0: the kernel tool's runtime), under a lock file so
// that notebooks starting at once build it once. Paths are relative to this file's folder.
//
// No #r here: `#r` is resolved when a cell is compiled, before any code runs, so it could not follow a build in the
// same cell. The references go to the C# kernel itself (CSharpKernel.AddAssemblyReferences, what `#r "nuget:"` uses)
// and count from the next cell on: the cell that loads this file cannot name the library's types.
#nullable enable

static class LossnbLibrary
{
    // The build this kernel referenced (SHA-256 of LossNotebooks.dll), kept for the process's lifetime: a kernel cannot
    // unload an assembly, so a later, different build needs a new kernel.
    private const string LoadedKey = "LossNotebooks.LoadedBuild";
    private const string FirstRun = "first run";
    private static readonly string[] Assemblies = ["MathNet.Numerics.dll", "System.Numerics.Tensors.dll", "LossNotebooks.dll"];

    public static string ScriptFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        System.IO.Path.IsPathRooted(path) ? System.IO.Path.GetDirectoryName(path)! : Environment.CurrentDirectory;

    // A failure is reported as the cell's error with this message only: a stack trace would only hide it.
    public static async Task LoadAsync(string notebooks)
    {
        try { await LoadCoreAsync(notebooks); }
        catch (LossnbLoadException e) when (Microsoft.DotNet.Interactive.KernelInvocationContext.Current is { } context)
        {
            context.Fail(context.Command, message: e.Message);
        }
    }

    private sealed class LossnbLoadException(string message) : Exception(message);

    private static async Task LoadCoreAsync(string notebooks)
    {
        var context = Microsoft.DotNet.Interactive.KernelInvocationContext.Current
            ?? throw new InvalidOperationException("lossnb.csx runs inside the .NET Interactive C# kernel (#load \"lossnb.csx\" in a notebook cell)");
        var kernel = context.HandlingKernel as Microsoft.DotNet.Interactive.CSharp.CSharpKernel
            ?? (context.HandlingKernel.RootKernel as Microsoft.DotNet.Interactive.CompositeKernel)?.ChildKernels
                .OfType<Microsoft.DotNet.Interactive.CSharp.CSharpKernel>().FirstOrDefault()
            ?? throw new InvalidOperationException("lossnb.csx needs the C# kernel");
        string root = System.IO.Path.GetFullPath(System.IO.Path.Combine(notebooks, ".."));
        string project = System.IO.Path.Combine(root, "src", "LossNotebooks");
        string output = System.IO.Path.Combine(project, "bin", "Release", "net10.0");
        string dll = System.IO.Path.Combine(output, "LossNotebooks.dll");

        if (AppDomain.CurrentDomain.GetData(LoadedKey) is string loaded)
        {
            if (WhyBuild(root, project, output) is { } why)
                throw Restart($"the library changed since this kernel loaded it ({why})", rebuilds: true);
            if (Hash(dll) != loaded)
                throw Restart("the library was rebuilt since this kernel loaded it", rebuilds: false);
            return; // the same build is loaded already
        }

        if (WhyBuild(root, project, output) is not null)
            await BuildAsync(root, project, output, notebooks, context.CancellationToken);
        kernel.AddAssemblyReferences(Assemblies.Select(a => System.IO.Path.Combine(output, a)));
        AppDomain.CurrentDomain.SetData(LoadedKey, Hash(dll));
    }

    private static Exception Restart(string what, bool rebuilds) => new LossnbLoadException(
        $"Restart the kernel: {what}, and a running kernel cannot reload an assembly " +
        "(VS Code: Restart in the notebook toolbar; Jupyter: Kernel → Restart). Then run the notebook from the top" +
        (rebuilds ? "; this cell rebuilds the library." : "."));

    // Null when the build output is up to date; else why it is not (for the one line the cell prints).
    private static string? WhyBuild(string root, string project, string output)
    {
        if (!Assemblies.All(a => System.IO.File.Exists(System.IO.Path.Combine(output, a)))) return FirstRun;
        // Built = the dll's time or, later, the last successful build from here (a build that changes nothing keeps the
        // dll's old time; without the stamp a touched file would rebuild on every run).
        var stamp = new System.IO.FileInfo(System.IO.Path.Combine(project, "obj", "lossnb-build.stamp"));
        DateTime built = System.IO.File.GetLastWriteTimeUtc(System.IO.Path.Combine(output, "LossNotebooks.dll"));
        if (stamp.Exists && stamp.LastWriteTimeUtc > built) built = stamp.LastWriteTimeUtc;
        var sources = new System.IO.DirectoryInfo(project).EnumerateFiles("*", new System.IO.EnumerationOptions { RecurseSubdirectories = true })
            .Where(f => !IsUnder(f.FullName, System.IO.Path.Combine(project, "bin")) && !IsUnder(f.FullName, System.IO.Path.Combine(project, "obj")))
            .Concat(new System.IO.DirectoryInfo(root).EnumerateFiles("Directory.*.props"))
            .Concat(new System.IO.DirectoryInfo(root).EnumerateFiles("Directory.*.targets"));
        var newest = sources.MaxBy(f => f.LastWriteTimeUtc);
        return newest is not null && newest.LastWriteTimeUtc > built
            ? $"{System.IO.Path.GetRelativePath(root, newest.FullName)} changed since the last build"
            : null;
    }

    private static string Hash(string file) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(file)));

    private static bool IsUnder(string path, string folder) => path.StartsWith(folder + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static async Task BuildAsync(string root, string project, string output, string notebooks, System.Threading.CancellationToken ct)
    {
        string obj = System.IO.Path.Combine(project, "obj");
        System.IO.Directory.CreateDirectory(obj);
        using var buildLock = await LockAsync(System.IO.Path.Combine(obj, "lossnb-build.lock"), ct);
        // Another notebook may have built it while this one waited for the lock.
        if (WhyBuild(root, project, output) is not { } why) return;
        var started = DateTime.UtcNow;
        Console.WriteLine(why == FirstRun ? "building the library (first run, ~30 s)…" : $"rebuilding the library ({why}, ~15 s)…");

        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : System.IO.Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        // No build servers: a compiler server left running would outlive the cell, and keep the build's pipes open.
        var psi = new System.Diagnostics.ProcessStartInfo(dotnet,
            ["build", System.IO.Path.Combine(project, "LossNotebooks.csproj"), "-c", "Release", "-f", "net10.0", "-nologo", "-v", "q", "--disable-build-servers"])
        {
            WorkingDirectory = notebooks, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // The kernel sets MSBuild variables for its own workspace; a child build must find its SDK by itself.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(System.Threading.CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(System.Threading.CancellationToken.None);
        try { await process.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        string log = await stdout + await stderr;
        if (process.ExitCode != 0)
            throw new LossnbLoadException($"The library did not build (dotnet build src/LossNotebooks -c Release -f net10.0, exit code {process.ExitCode}):\n{Trim(log, root)}");
        // Stamped with the build's start: a source saved while it ran still counts as newer.
        string stamp = System.IO.Path.Combine(obj, "lossnb-build.stamp");
        System.IO.File.WriteAllText(stamp, "last build of the library by notebooks/lossnb.csx\n");
        System.IO.File.SetLastWriteTimeUtc(stamp, started);
    }

    // FileShare.None: another kernel's build holds it until done (released by the OS if that kernel dies).
    private static async Task<System.IO.FileStream> LockAsync(string path, System.Threading.CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (bool told = false; ; told = true)
        {
            try { return new System.IO.FileStream(path, System.IO.FileMode.OpenOrCreate, System.IO.FileAccess.ReadWrite, System.IO.FileShare.None); }
            catch (System.IO.IOException) when (waited.Elapsed < TimeSpan.FromMinutes(10))
            {
                if (!told) Console.WriteLine("waiting for the library build another notebook started…");
                await Task.Delay(500, ct);
            }
            catch (System.IO.IOException)
            {
                throw new LossnbLoadException($"{path} has been locked for 10 min by another build of the library");
            }
        }
    }

    // The build's error lines, once each, without MSBuild's "[project::TargetFramework]" suffix; else its last lines.
    private static string Trim(string log, string root)
    {
        var lines = log.Split('\n').Select(l => l.TrimEnd('\r').Trim()).Where(l => l.Length > 0).ToList();
        var errors = lines.Where(l => l.Contains(": error ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\s+\[[^\]]+\]$", "").Replace(root + System.IO.Path.DirectorySeparatorChar, ""))
            .Distinct().ToList();
        var shown = errors.Count > 0 ? errors : lines.TakeLast(15).ToList();
        const int max = 12;
        return string.Join("\n", shown.Take(max)) + (shown.Count > max ? $"\n… and {shown.Count - max} more" : "");
    }
}

await LossnbLibrary.LoadAsync(LossnbLibrary.ScriptFolder());

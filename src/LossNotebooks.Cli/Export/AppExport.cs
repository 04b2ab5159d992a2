using System.Diagnostics;
using LossNotebooks.Derivations;
using LossNotebooks.Export.Apps;
using LossNotebooks.Notebooks.Apps;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Cli.Export;

/// <summary>
/// `lossnb export --to app`: each notebook as OUT/&lt;notebook&gt;/app.cs (a folder each, so every app has its own
/// out/ and build), and with --compare the check that an app shows what its executed notebook shows: each app is run with
/// `dotnet run` and its step records (steps.jsonl) must equal the executed notebook's (SeedAudit.ReadNotebook) step by
/// step — same derivation, id and verdict, and the same max |Δ| and max relative error bit for bit: both run the same
/// library build and the same cell code on the same runtime, so any difference is a translation error.
/// </summary>
public static class AppExport
{
    public const string AppFileName = "app.cs";

    /// <summary>Notebooks (.ipynb) a path names: the file itself, or the folder's notebooks in name order.</summary>
    public static IReadOnlyList<string> Notebooks(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [path];

    /// <summary>Writes the app of <paramref name="notebook"/> (exercise solutions filled in) under <paramref name="outDir"/>; returns its path.</summary>
    public static string Write(string notebook, string outDir)
    {
        var document = NotebookDocument.Load(notebook);
        ExerciseSolutions.FillIn(document);
        string appFile = Path.Combine(Path.GetFullPath(outDir), Path.GetFileNameWithoutExtension(notebook), AppFileName);
        string source = AppTranslator.Translate(document, new AppTarget(appFile));
        Directory.CreateDirectory(Path.GetDirectoryName(appFile)!);
        File.WriteAllText(appFile, source, new System.Text.UTF8Encoding(false));
        return appFile;
    }

    public sealed record AppRun(int ExitCode, string Output, TimeSpan Elapsed, bool TimedOut);

    /// <summary>`dotnet run -c Release app.cs -- --out OUT [--no-figures]`, from the app's folder.</summary>
    public static async Task<AppRun> RunAsync(string appFile, string outDir, bool figures, TimeSpan timeout, CancellationToken ct)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var args = new List<string> { "run", "-c", "Release", appFile, "--", "--out", outDir };
        if (!figures) args.Add("--no-figures");
        var psi = new ProcessStartInfo(dotnet, args)
        {
            WorkingDirectory = Path.GetDirectoryName(appFile)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // A host (a test run, the kernel) may set MSBuild variables for its own SDK; the app's build finds its own.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        var stdout = Task.Run(async () => { string? l; while ((l = await process.StandardOutput.ReadLineAsync(CancellationToken.None)) is not null) lock (output) output.AppendLine(l); });
        var stderr = Task.Run(async () => { string? l; while ((l = await process.StandardError.ReadLineAsync(CancellationToken.None)) is not null) lock (output) output.AppendLine(l); });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        bool timedOut = false;
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            timedOut = !ct.IsCancellationRequested;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            if (!timedOut) throw;
        }
        await Task.WhenAll(stdout, stderr);
        return new AppRun(timedOut ? -1 : process.ExitCode, output.ToString(), clock.Elapsed, timedOut);
    }

    /// <summary>The app's step records, from OUT/steps.jsonl.</summary>
    public static IReadOnlyList<StepRecord> ReadSteps(string appOutDir)
    {
        string file = Path.Combine(appOutDir, AppConsole.StepsFile);
        if (!File.Exists(file)) throw new InvalidDataException($"{file} is missing: the app did not start");
        return File.ReadAllLines(file).Where(l => l.Length > 0).Select(StepRecord.FromJson).ToList();
    }

    /// <summary>
    /// Differences between the executed notebook's step records and the app's, one line each (empty when they agree):
    /// the same steps in the same order, the same verdict and evaluation counts, and bit-equal max |Δ| and max relative error.
    /// </summary>
    public static IReadOnlyList<string> Compare(IReadOnlyList<StepRecord> notebook, IReadOnlyList<StepRecord> app)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(app);
        var problems = new List<string>();
        if (notebook.Count != app.Count) problems.Add($"{notebook.Count} step records in the notebook, {app.Count} in the app");
        for (int i = 0; i < Math.Min(notebook.Count, app.Count); i++)
        {
            var (n, a) = (notebook[i], app[i]);
            string at = $"step {i + 1} ({n.Derivation} / {n.Id})";
            if (n.Derivation != a.Derivation || n.Id != a.Id) { problems.Add($"{at}: the app shows {a.Derivation} / {a.Id} here"); continue; }
            if (n.Passed != a.Passed) problems.Add($"{at}: verdict {(n.Passed ? "PASS" : "FAIL")} in the notebook, {(a.Passed ? "PASS" : "FAIL")} in the app");
            if (n.Samples != a.Samples || n.Failures != a.Failures) problems.Add($"{at}: {n.Failures}/{n.Samples} inputs failing in the notebook, {a.Failures}/{a.Samples} in the app");
            if (!BitEqual(n.MaxAbsoluteError, a.MaxAbsoluteError)) problems.Add($"{at}: max |Δ| {n.MaxAbsoluteError:R} in the notebook, {a.MaxAbsoluteError:R} in the app");
            if (!BitEqual(n.MaxRelativeError, a.MaxRelativeError)) problems.Add($"{at}: max rel. error {n.MaxRelativeError:R} in the notebook, {a.MaxRelativeError:R} in the app");
        }
        return problems;
    }

    private static bool BitEqual(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}

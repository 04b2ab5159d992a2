using System.Globalization;
using LossNotebooks.Derivations;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;
using Spectre.Console;

namespace LossNotebooks.Cli.Commands;

/// <summary>The work behind `lossnb run`: find, load (all first, so bad input fails before anything runs), execute, write, report.</summary>
public static class NotebookRun
{
    /// <summary>What <see cref="ExecuteAsync"/> returns when its token was cancelled (the command maps a signal to 130 or 143).</summary>
    public const int Interrupted = 130;

    public static async Task<int> ExecuteAsync(RunSettings settings, CancellationToken ct)
    {
        List<string> files;
        List<NotebookDocument> documents = [];
        try
        {
            files = Expand(settings.Inputs);
            foreach (var file in files)
            {
                var document = NotebookDocument.Load(file);
                if (settings.Solutions) ExerciseSolutions.FillIn(document);
                if (settings.Parameters is { Count: > 0 } values) NotebookParameters.Inject(document, values);
                documents.Add(document);
            }
        }
        catch (ParameterException e)
        {
            Stdio.Error.WriteLine($"lossnb run: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            Stdio.Error.WriteLine($"lossnb run: {e.Message}");
            return 2;
        }
        if (documents.Count == 0)
        {
            Stdio.Error.WriteLine($"lossnb run: no .ipynb or .dib notebooks in {string.Join(", ", settings.Inputs)}");
            return 2;
        }
        var names = documents.GroupBy(d => Path.GetFileNameWithoutExtension(d.Path)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (names.Count > 0)
        {
            Stdio.Error.WriteLine($"lossnb run: two notebooks would be written to the same file: {string.Join(", ", names)}");
            return 2;
        }

        KernelTool tool;
        try { tool = KernelTool.Locate(Environment.CurrentDirectory); }
        catch (KernelToolException e)
        {
            Stdio.Error.WriteLine($"lossnb run: {e.Message}");
            return 2;
        }

        string outDir = Path.GetFullPath(settings.OutputDirectory);
        string notebooksOut = Path.Combine(outDir, "notebooks");
        string summaryPath = Path.Combine(outDir, "run-summary.json");
        string WrittenPath(NotebookDocument doc) => Path.Combine(notebooksOut, Path.GetFileNameWithoutExtension(doc.Path) + ".ipynb");
        // Sources are never overwritten: refused before anything is created or run.
        if (OutputSafety.Check([.. documents.Select(WrittenPath), summaryPath, Path.Combine(outDir, OutputLock.FileName)], files) is { } clash)
        {
            Stdio.Error.WriteLine($"lossnb run: --out {settings.OutputDirectory}: {clash}");
            return 2;
        }
        if (settings.JUnitPath is { } junit)
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(junit));
            string? problem = Directory.Exists(junit) ? "is a folder" : OutputSafety.Check([junit], files);
            // Its folder is made now (it may be inside --out, which does not exist yet): a path that cannot be one fails here.
            if (problem is null && folder is not null)
            {
                try { Directory.CreateDirectory(folder); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problem = $"its folder cannot be made: {e.Message}"; }
            }
            if (problem is not null)
            {
                Stdio.Error.WriteLine($"lossnb run: --junit {junit}: {problem}");
                return 2;
            }
        }
        OutputLock outputLock;
        try
        {
            if (File.Exists(outDir)) throw new IOException("it is a file, not a folder");
            Directory.CreateDirectory(notebooksOut);
            outputLock = OutputLock.Acquire(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Stdio.Error.WriteLine($"lossnb run: --out {settings.OutputDirectory}: cannot write there: {e.Message}");
            return 2;
        }
        using var _ = outputLock;

        bool plain = ConsoleMode.IsPlain;
        var results = new NotebookResult[documents.Count];
        var steps = new (List<StepRecord> Records, string? Unreadable)[documents.Count];
        var writeErrors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var runWatch = System.Diagnostics.Stopwatch.StartNew();

        async Task RunOne(int index, Action<CellResult> onCell)
        {
            var doc = documents[index];
            try
            {
                var executor = new NotebookExecutor(new ExecutorOptions
                {
                    CellTimeout = settings.CellTimeout,
                    OutputDirectory = outDir,
                    ContinueAfterFailure = settings.KeepGoing,
                    Tool = tool,
                    Enrichers = settings.Enrichers,
                    CellFinished = onCell,
                    OutputLimit = settings.OutputLimit,
                });
                var result = await executor.RunAsync(doc, ct);
                results[index] = result;
                if (result.NotStarted && ct.IsCancellationRequested) return; // interrupted before it began: nothing to write
                string path = WrittenPath(doc);
                doc.Save(path);
                try { steps[index] = ([.. SeedAudit.ReadNotebook(path)], null); }
                catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or NotSupportedException or InvalidOperationException or FormatException or KeyNotFoundException)
                {
                    steps[index] = ([], $"a step record cannot be read: {e.Message}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                writeErrors.Enqueue($"{WrittenPath(doc)}: {e.Message}");
                results[index] ??= Broken(doc, $"the executed notebook could not be written: {e.Message}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One notebook's fault never ends the run: it fails, named, and the others go on.
                results[index] = Broken(doc, $"lossnb could not run it: {e.GetType().Name}: {e.Message}");
            }
        }

        // One kernel process per notebook, a few at a time; each notebook's cells run in order on its own kernel. The
        // loop is not given ct: a notebook reached after an interrupt returns at once with its cells "not run".
        async Task RunAll(Func<int, Action<CellResult>> onCell) =>
            await Parallel.ForEachAsync(Enumerable.Range(0, documents.Count),
                new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel },
                async (index, _) => await RunOne(index, onCell(index)));

        Stdio.Out.WriteLine($"kernel: {KernelTool.PackageId} {tool.Version}, {Math.Min(settings.Parallel, documents.Count)} at a time");
        if (plain)
        {
            await RunAll(index =>
            {
                if (!ct.IsCancellationRequested) Stdio.Out.WriteLine($"running {Relative(documents[index].Path)} ({documents[index].Cells.Count} cells)");
                return cell =>
                {
                    if (cell.Status is CellStatus.Failed or CellStatus.Interrupted || cell.Status == CellStatus.Skipped && !ct.IsCancellationRequested)
                        Stdio.Out.WriteLine($"  {Path.GetFileName(cell.NotebookPath)} cell {cell.Index + 1}: {cell.Status.ToString().ToLowerInvariant()} — {cell.Reason}");
                };
            });
        }
        else
        {
            await Stdio.Live().Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var tasks = documents.Select(doc => progress.AddTask(Markup.Escape(Path.GetFileName(doc.Path)), maxValue: Math.Max(1, doc.Cells.Count))).ToArray();
                    await RunAll(index => _ => tasks[index].Increment(1));
                    foreach (var task in tasks) task.Value = task.MaxValue;
                });
        }

        WriteSummary([.. results], plain);
        bool stepsHold = WriteStepSummary(documents, steps);
        try { WriteSummaryJson([.. results], summaryPath, ct.IsCancellationRequested); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { writeErrors.Enqueue($"{summaryPath}: {e.Message}"); }
        if (settings.JUnitPath is { } junitPath)
        {
            try
            {
                JUnitReport.Write(junitPath, [.. results], [.. steps.Select(s => (IReadOnlyList<StepRecord>)(s.Records ?? []))]);
                Stdio.Out.WriteLine($"JUnit results: {Relative(junitPath)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Stdio.Error.WriteLine($"lossnb run: --junit {junitPath}: cannot write: {e.Message}");
                return 2;
            }
        }
        Stdio.Out.WriteLine($"executed notebooks: {Relative(notebooksOut)} ({runWatch.Elapsed.TotalSeconds:0.0} s in all)");
        if (!writeErrors.IsEmpty)
        {
            foreach (var w in writeErrors) Stdio.Error.WriteLine($"lossnb run: --out {settings.OutputDirectory}: cannot write {w}");
            return 2;
        }
        if (ct.IsCancellationRequested)
        {
            var at = results.Select(r => r.InterruptedAt).Where(c => c is not null).Select(c => $"{Path.GetFileName(c!.NotebookPath)} cell {c.Index + 1}");
            Stdio.Out.WriteLine($"interrupted: every kernel was ended; the notebooks written hold what finished" +
                (at.Any() ? $" (stopped in {string.Join(", ", at)})" : ""));
            return Interrupted;
        }
        if (!stepsHold && !settings.StepGate) Stdio.Out.WriteLine("(--allow-failing-steps: the steps above do not change the exit code)");
        return results.All(r => r.Succeeded) && (stepsHold || !settings.StepGate) ? 0 : 1;
    }

    /// <summary>A notebook the runner itself could not finish: one failed entry carrying the reason.</summary>
    private static NotebookResult Broken(NotebookDocument doc, string reason) =>
        new(doc.Path, [new CellResult(doc.Path, 0, doc.Cells.Count, CellStatus.Failed, reason, TimeSpan.Zero)], TimeSpan.Zero, TimeSpan.Zero);

    private static void WriteSummary(List<NotebookResult> results, bool plain)
    {
        string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (plain)
        {
            foreach (var r in results)
            {
                if (r.NotStarted && r.Cells.FirstOrDefault(c => c.Status == CellStatus.Skipped)?.Reason == "the run was interrupted")
                {
                    Stdio.Out.WriteLine($"{Relative(r.NotebookPath)}: not run (the run was interrupted first)");
                    continue;
                }
                Stdio.Out.WriteLine($"{Relative(r.NotebookPath)}: {r.Ran} ran, {r.Failed} failed, {r.Skipped} skipped" +
                    (r.InterruptedAt is { } at ? $", interrupted in cell {at.Index + 1}" : "") +
                    $", cells {Seconds(r.CellTime)} s (kernel start {Seconds(r.KernelStart)} s)");
                foreach (var c in r.Cells.Where(c => c.Status is CellStatus.Failed or CellStatus.Skipped or CellStatus.Interrupted))
                    Stdio.Out.WriteLine($"  cell {c.Index + 1} {c.Status.ToString().ToLowerInvariant()}: {c.Reason}");
            }
        }
        else
        {
            var table = new Table().AddColumns("notebook", "ran", "failed", "skipped", "cells s", "kernel start s", "details");
            foreach (var r in results)
            {
                string details = string.Join("\n", r.Cells.Where(c => c.Status is CellStatus.Failed or CellStatus.Skipped or CellStatus.Interrupted)
                    .Select(c => $"cell {c.Index + 1} {c.Status.ToString().ToLowerInvariant()}: {c.Reason}"));
                table.AddRow(Markup.Escape(Relative(r.NotebookPath)), r.Ran.ToString(CultureInfo.InvariantCulture),
                    r.Failed > 0 ? $"[red]{r.Failed}[/]" : "0", r.Skipped.ToString(CultureInfo.InvariantCulture), Seconds(r.CellTime), Seconds(r.KernelStart), Markup.Escape(details));
            }
            Stdio.Live().Write(table);
        }
        int failed = results.Sum(r => r.Failed);
        Stdio.Out.WriteLine(failed == 0 ? $"{results.Count} notebook(s), no failed cell" : $"{results.Count} notebook(s), {failed} failed cell(s)");
    }

    /// <summary>
    /// The derivation steps every executed notebook shows: how many, and each one that is not as its notebook claims
    /// (a line claimed correct that fails, a line stated as wrong that passes). False if there is any.
    /// </summary>
    private static bool WriteStepSummary(List<NotebookDocument> documents, (List<StepRecord> Records, string? Unreadable)[] steps)
    {
        int total = steps.Sum(s => s.Records?.Count ?? 0);
        var bad = new List<string>();
        for (int i = 0; i < documents.Count; i++)
        {
            string name = Path.GetFileName(documents[i].Path);
            if (steps[i].Unreadable is { } why) bad.Add($"{name}: {why}");
            var records = steps[i].Records ?? [];
            foreach (var r in records)
            {
                if (!r.AsExpected)
                    bad.Add($"{name}: {r.Id} {(r.Passed ? "passes but is stated as wrong" : "FAILS")} ({r.Derivation})");
                // A line stated as wrong names its correction: that step must be shown in the same derivation.
                if (r.CorrectedBy is { } fix && !records.Any(x => x.Derivation == r.Derivation && x.Id == fix))
                    bad.Add($"{name}: {r.Id} names its correction '{fix}', which no cell of '{r.Derivation}' shows");
            }
        }
        if (total == 0 && bad.Count == 0) return true;
        Stdio.Out.WriteLine(bad.Count == 0 ? $"derivation steps: {total}, every one as claimed"
            : $"derivation steps: {total}, {bad.Count} NOT as claimed:");
        foreach (var b in bad) Stdio.Out.WriteLine($"  {b}");
        return bad.Count == 0;
    }

    /// <summary>The summary (with timings, which the executed notebooks deliberately lack) for CI artifacts.</summary>
    private static void WriteSummaryJson(List<NotebookResult> results, string path, bool interrupted)
    {
        var notebooks = new System.Text.Json.Nodes.JsonArray();
        foreach (var r in results)
            notebooks.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["notebook"] = Relative(r.NotebookPath),
                ["ran"] = r.Ran,
                ["failed"] = r.Failed,
                ["skipped"] = r.Skipped,
                ["interrupted"] = r.InterruptedAt is not null || interrupted && r.NotStarted,
                ["seconds"] = Math.Round(r.Duration.TotalSeconds, 2),
                ["cellSeconds"] = Math.Round(r.CellTime.TotalSeconds, 2),
                ["kernelStartSeconds"] = Math.Round(r.KernelStart.TotalSeconds, 2),
                ["cells"] = new System.Text.Json.Nodes.JsonArray(r.Cells.Where(c => c.Status != CellStatus.NotCode).Select(c => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                {
                    ["cell"] = c.Index + 1,
                    ["status"] = c.Status.ToString().ToLowerInvariant(),
                    ["reason"] = c.Reason,
                    ["seconds"] = Math.Round(c.Duration.TotalSeconds, 3),
                }).ToArray()),
            });
        var root = new System.Text.Json.Nodes.JsonObject { ["notebooks"] = notebooks };
        if (interrupted) root["interrupted"] = true;
        File.WriteAllText(path, Notebooks.Documents.NotebookJson.Serialize(root));
    }

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(path));

    /// <summary>Files as given; folders expand to their *.ipynb and *.dib (top level, sorted) — lossnb.csx etc. are not notebooks.</summary>
    public static List<string> Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(Directory.EnumerateFiles(input)
                    .Where(f => f.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".dib", StringComparison.OrdinalIgnoreCase))
                    .OrderBy(f => f, StringComparer.Ordinal));
            else if (File.Exists(input)) files.Add(input);
            else throw new FileNotFoundException($"no such notebook or folder: {input}");
        }
        return files;
    }
}

using System.Globalization;
using LossNotebooks.Derivations;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;
using Spectre.Console;

namespace LossNotebooks.Cli.Commands;

/// <summary>The work behind `lossnb run`: find, load (all first, so bad input fails before anything runs), execute, write, report.</summary>
public static class NotebookRun
{
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
                documents.Add(document);
            }
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"lossnb run: {e.Message}");
            return 2;
        }
        if (documents.Count == 0)
        {
            Console.Error.WriteLine($"lossnb run: no .ipynb or .dib notebooks in {string.Join(", ", settings.Inputs)}");
            return 2;
        }
        var names = documents.GroupBy(d => Path.GetFileNameWithoutExtension(d.Path)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (names.Count > 0)
        {
            Console.Error.WriteLine($"lossnb run: two notebooks would be written to the same file: {string.Join(", ", names)}");
            return 2;
        }

        KernelTool tool;
        try { tool = KernelTool.Locate(Environment.CurrentDirectory); }
        catch (KernelToolException e)
        {
            Console.Error.WriteLine($"lossnb run: {e.Message}");
            return 2;
        }

        string outDir = Path.GetFullPath(settings.OutputDirectory);
        string notebooksOut = Path.Combine(outDir, "notebooks");
        Directory.CreateDirectory(notebooksOut);
        bool plain = ConsoleMode.IsPlain;
        var results = new NotebookResult[documents.Count];
        var steps = new (List<StepRecord> Records, string? Unreadable)[documents.Count];
        var runWatch = System.Diagnostics.Stopwatch.StartNew();

        async Task RunOne(int index, Action<CellResult> onCell)
        {
            var doc = documents[index];
            var executor = new NotebookExecutor(new ExecutorOptions
            {
                CellTimeout = settings.CellTimeout,
                OutputDirectory = outDir,
                ContinueAfterFailure = settings.KeepGoing,
                Tool = tool,
                Enrichers = settings.Enrichers,
                CellFinished = onCell,
            });
            var result = await executor.RunAsync(doc, ct);
            string written = Path.Combine(notebooksOut, Path.GetFileNameWithoutExtension(doc.Path) + ".ipynb");
            doc.Save(written);
            results[index] = result;
            try { steps[index] = ([.. SeedAudit.ReadNotebook(written)], null); }
            catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or NotSupportedException)
            {
                steps[index] = ([], $"a step record cannot be read: {e.Message}");
            }
        }

        // One kernel process per notebook, a few at a time; each notebook's cells run in order on its own kernel.
        async Task RunAll(Func<int, Action<CellResult>> onCell) =>
            await Parallel.ForEachAsync(Enumerable.Range(0, documents.Count),
                new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel, CancellationToken = ct },
                async (index, _) => await RunOne(index, onCell(index)));

        Console.WriteLine($"kernel: {KernelTool.PackageId} {tool.Version}, {Math.Min(settings.Parallel, documents.Count)} at a time");
        if (plain)
        {
            var gate = new object();
            await RunAll(index =>
            {
                lock (gate) Console.WriteLine($"running {Relative(documents[index].Path)} ({documents[index].Cells.Count} cells)");
                return cell =>
                {
                    if (cell.Status is CellStatus.Failed or CellStatus.Skipped)
                        lock (gate) Console.WriteLine($"  {Path.GetFileName(cell.NotebookPath)} cell {cell.Index + 1}: {cell.Status.ToString().ToLowerInvariant()} — {cell.Reason}");
                };
            });
        }
        else
        {
            await AnsiConsole.Progress().AutoClear(false)
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
        WriteSummaryJson([.. results], Path.Combine(outDir, "run-summary.json"));
        Console.WriteLine($"executed notebooks: {Relative(notebooksOut)} ({runWatch.Elapsed.TotalSeconds:0.0} s in all)");
        if (!stepsHold && !settings.StepGate) Console.WriteLine("(--allow-failing-steps: the steps above do not change the exit code)");
        return results.All(r => r.Succeeded) && (stepsHold || !settings.StepGate) ? 0 : 1;
    }

    private static void WriteSummary(List<NotebookResult> results, bool plain)
    {
        string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (plain)
        {
            foreach (var r in results)
            {
                Console.WriteLine($"{Relative(r.NotebookPath)}: {r.Ran} ran, {r.Failed} failed, {r.Skipped} skipped, cells {Seconds(r.CellTime)} s (kernel start {Seconds(r.KernelStart)} s)");
                foreach (var c in r.Cells.Where(c => c.Status is CellStatus.Failed or CellStatus.Skipped))
                    Console.WriteLine($"  cell {c.Index + 1} {c.Status.ToString().ToLowerInvariant()}: {c.Reason}");
            }
        }
        else
        {
            var table = new Table().AddColumns("notebook", "ran", "failed", "skipped", "cells s", "kernel start s", "details");
            foreach (var r in results)
            {
                string details = string.Join("\n", r.Cells.Where(c => c.Status is CellStatus.Failed or CellStatus.Skipped)
                    .Select(c => $"cell {c.Index + 1} {c.Status.ToString().ToLowerInvariant()}: {c.Reason}"));
                table.AddRow(Markup.Escape(Relative(r.NotebookPath)), r.Ran.ToString(CultureInfo.InvariantCulture),
                    r.Failed > 0 ? $"[red]{r.Failed}[/]" : "0", r.Skipped.ToString(CultureInfo.InvariantCulture), Seconds(r.CellTime), Seconds(r.KernelStart), Markup.Escape(details));
            }
            AnsiConsole.Write(table);
        }
        int failed = results.Sum(r => r.Failed);
        Console.WriteLine(failed == 0 ? $"{results.Count} notebook(s), no failed cell" : $"{results.Count} notebook(s), {failed} failed cell(s)");
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
        Console.WriteLine(bad.Count == 0 ? $"derivation steps: {total}, every one as claimed"
            : $"derivation steps: {total}, {bad.Count} NOT as claimed:");
        foreach (var b in bad) Console.WriteLine($"  {b}");
        return bad.Count == 0;
    }

    /// <summary>The summary (with timings, which the executed notebooks deliberately lack) for CI artifacts.</summary>
    private static void WriteSummaryJson(List<NotebookResult> results, string path)
    {
        var notebooks = new System.Text.Json.Nodes.JsonArray();
        foreach (var r in results)
            notebooks.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["notebook"] = Relative(r.NotebookPath),
                ["ran"] = r.Ran,
                ["failed"] = r.Failed,
                ["skipped"] = r.Skipped,
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
        File.WriteAllText(path, Notebooks.Documents.NotebookJson.Serialize(new System.Text.Json.Nodes.JsonObject { ["notebooks"] = notebooks }));
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

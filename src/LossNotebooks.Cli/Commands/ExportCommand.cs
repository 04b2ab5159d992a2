using System.CommandLine;
using System.Globalization;
using LossNotebooks.Cli.Export;
using LossNotebooks.Derivations;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb export NOTEBOOK_OR_DIR --to app|markdown --out DIR [--compare EXECUTED_DIR] [--no-figures]`: notebooks in
/// another form. `--to app`: each notebook as a .NET 10 file-based app (see <see cref="AppExport"/>); with --compare,
/// each app is run and its step records checked against EXECUTED_DIR/&lt;notebook&gt;.ipynb. Exit 0 ok, 1 an app failed
/// or disagrees, 2 bad input.
/// </summary>
public static class ExportCommand
{
    public static readonly string[] Formats = ["app", "markdown"];

    public static Command Create()
    {
        var path = new Argument<string>("NOTEBOOK_OR_DIR") { Description = "A notebook (.ipynb) or a folder of notebooks" };
        var to = new Option<string>("--to") { Description = "What to export to: app (a .NET 10 file-based app per notebook) or markdown", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output folder (apps: one folder per notebook with app.cs)", Required = true };
        var compare = new Option<string?>("--compare")
        {
            Description = "With --to app: run each app (dotnet run) and compare its derivation steps with the executed notebooks in this folder (lossnb run's OUT/notebooks)",
        };
        var noFigures = new Option<bool>("--no-figures") { Description = "With --compare: the apps write figure JSON only (no browser), which is faster" };
        var timeout = new Option<int>("--timeout") { Description = "With --compare: seconds one app may take to build and run", DefaultValueFactory = _ => 600 };
        var command = new Command("export", "Export notebooks: as .NET 10 file-based apps (--to app) or Markdown (--to markdown)")
        {
            path, to, output, compare, noFigures, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            string input = parse.GetValue(path)!, format = parse.GetValue(to)!, outDir = parse.GetValue(output)!;
            if (!Formats.Contains(format))
                return Bad($"--to must be one of {string.Join(", ", Formats)}, got '{format}'");
            if (format == "markdown")
                return Bad("--to markdown is not built in this branch; use --to app");
            if (!File.Exists(input) && !Directory.Exists(input))
                return Bad($"NOTEBOOK_OR_DIR: no file or folder {input}");
            if (File.Exists(input) && !input.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                return Bad($"NOTEBOOK_OR_DIR: {input} is not a notebook (.ipynb)");
            var notebooks = AppExport.Notebooks(input);
            if (notebooks.Count == 0) return Bad($"NOTEBOOK_OR_DIR: the folder {input} holds no .ipynb notebook");
            if (string.IsNullOrWhiteSpace(outDir)) return Bad("--out: an output folder is needed");
            if (File.Exists(outDir)) return Bad($"--out: {outDir} is a file, not a folder");
            string? executed = parse.GetValue(compare);
            if (executed is not null && !Directory.Exists(executed)) return Bad($"--compare: no folder {executed}");
            if (executed is not null && notebooks.FirstOrDefault(n => !File.Exists(Executed(executed, n))) is { } missing)
                return Bad($"--compare: {executed} has no executed {Path.GetFileName(missing)} (run `lossnb run` first; its notebooks are in OUT/notebooks)");
            if (parse.GetValue(timeout) is <= 0 or > RunCommand.MaxTimeoutSeconds)
                return Bad($"--timeout must be 1 to {RunCommand.MaxTimeoutSeconds} seconds, got {parse.GetValue(timeout)}");

            var apps = new List<(string Notebook, string App)>();
            foreach (var notebook in notebooks)
            {
                try { apps.Add((notebook, AppExport.Write(notebook, outDir))); }
                catch (NotebookFormatException e)
                {
                    Stdio.Error.WriteLine($"lossnb export: {e.Message}");
                    return 1;
                }
                Stdio.Out.WriteLine($"{Path.GetFileName(notebook)} → {Path.GetRelativePath(Environment.CurrentDirectory, apps[^1].App)}");
            }
            if (executed is null) return 0;

            int failed = 0;
            foreach (var (notebook, app) in apps)
            {
                string appOut = Path.Combine(Path.GetDirectoryName(app)!, "out");
                var run = await AppExport.RunAsync(app, appOut, !parse.GetValue(noFigures), TimeSpan.FromSeconds(parse.GetValue(timeout)), ct);
                string name = Path.GetFileNameWithoutExtension(notebook), time = run.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
                if (run.ExitCode != 0)
                {
                    failed++;
                    Stdio.Error.WriteLine($"{name}: the app {(run.TimedOut ? "timed out" : $"exited with {run.ExitCode}")} after {time} s:\n{Tail(run.Output, 40)}");
                    continue;
                }
                var expected = SeedAudit.ReadNotebook(Executed(executed, notebook));
                var problems = AppExport.Compare(expected, AppExport.ReadSteps(appOut));
                if (problems.Count > 0)
                {
                    failed++;
                    Stdio.Error.WriteLine($"{name}: the app's steps differ from the executed notebook's ({time} s):");
                    foreach (var p in problems.Take(20)) Stdio.Error.WriteLine($"  {p}");
                    continue;
                }
                Stdio.Out.WriteLine(expected.Count == 0
                    ? $"{name}: app ran in {time} s (no derivation steps to compare)"
                    : $"{name}: app ran in {time} s; {expected.Count} steps, same ids, verdicts and max |Δ| (bit-equal) as the executed notebook");
            }
            Stdio.Out.WriteLine(failed == 0 ? $"all {apps.Count} apps ran and agree with the executed notebooks" : $"{failed} of {apps.Count} apps failed or disagree");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static string Executed(string folder, string notebook) => Path.Combine(folder, Path.GetFileName(notebook));

    private static string Tail(string text, int lines) => string.Join('\n', text.TrimEnd().Split('\n').TakeLast(lines));

    private static int Bad(string message)
    {
        Stdio.Error.WriteLine($"lossnb export: {message}");
        return 2;
    }
}

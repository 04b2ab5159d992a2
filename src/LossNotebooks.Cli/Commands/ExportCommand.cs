using System.CommandLine;
using System.Globalization;
using LossNotebooks.Cli.Export;
using LossNotebooks.Cli.Markdown;
using LossNotebooks.Derivations;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb export NOTEBOOK_OR_DIR… --to markdown|html|app --out DIR`: notebooks in another form.
/// markdown/html: executed notebooks (from `lossnb run`) as Markdown with figure files (DIR/NAME.md, DIR/figures/NAME/),
/// or as one self-contained HTML page each (DIR/NAME.html, rendered by pandoc with KaTeX and the figures inlined).
/// app: each notebook as a .NET 10 file-based app (DIR/NAME/app.cs, see <see cref="AppExport"/>); with --compare, each
/// app is run and its step records checked against EXECUTED_DIR/NAME.ipynb.
/// Exit 0 ok, 1 pandoc/KaTeX failed or an app failed or disagrees, 2 bad input.
/// </summary>
public static class ExportCommand
{
    public static readonly string[] Formats = ["markdown", "html", "app"];

    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks")
        {
            Description = "Notebooks (.ipynb) or folders holding them; markdown/html: executed ones (lossnb run's OUT/notebooks/NAME.ipynb)",
            Arity = ArgumentArity.OneOrMore,
        };
        var to = new Option<string>("--to")
        {
            Description = "markdown: NAME.md + figures/NAME/*.png|svg; html: one offline NAME.html (pandoc, KaTeX, images inlined); app: NAME/app.cs, a .NET 10 file-based app",
            Required = true,
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Output folder",
            DefaultValueFactory = _ => "artifacts/export",
        };
        var compare = new Option<string?>("--compare")
        {
            Description = "With --to app: run each app (dotnet run) and compare its derivation steps with the executed notebooks in this folder (lossnb run's OUT/notebooks)",
        };
        var noFigures = new Option<bool>("--no-figures") { Description = "With --to app --compare: the apps write figure JSON only (no browser), which is faster" };
        var timeout = new Option<int>("--timeout") { Description = "With --to app --compare: seconds one app may take to build and run", DefaultValueFactory = _ => 600 };
        var command = new Command("export", "Export notebooks: Markdown for a blog, self-contained HTML, or .NET 10 file-based apps")
        {
            paths, to, output, compare, noFigures, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            string format = parse.GetValue(to)!;
            bool appOnly = parse.GetValue(compare) is not null || parse.GetValue(noFigures) || parse.GetResult(timeout) is { Implicit: false };
            if (format != "app" && appOnly) return Bad("--compare, --no-figures and --timeout go with --to app only");
            return format == "app"
                ? await RunAppsAsync(parse.GetValue(paths)!, parse.GetValue(output)!, parse.GetValue(compare), !parse.GetValue(noFigures), parse.GetValue(timeout), ct)
                : Run(parse.GetValue(paths)!, format, parse.GetValue(output)!);
        });
        return command;
    }

    /// <summary>
    /// `--to app`: every notebook of <paramref name="inputs"/> written as DIR/NAME/app.cs; with <paramref name="executed"/>,
    /// each app run and its steps compared (same ids, verdicts and max |Δ|, bit-equal) with the executed notebook.
    /// </summary>
    public static async Task<int> RunAppsAsync(IReadOnlyList<string> inputs, string outDir, string? executed, bool figures, int timeoutSeconds, CancellationToken ct)
    {
        var notebooks = new List<string>();
        foreach (var input in inputs)
        {
            if (!File.Exists(input) && !Directory.Exists(input))
                return Bad($"NOTEBOOK_OR_DIR: no file or folder {input}");
            if (File.Exists(input) && !input.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                return Bad($"NOTEBOOK_OR_DIR: {input} is not a notebook (.ipynb)");
            var found = AppExport.Notebooks(input);
            if (found.Count == 0) return Bad($"NOTEBOOK_OR_DIR: the folder {input} holds no .ipynb notebook");
            notebooks.AddRange(found);
        }
        if (string.IsNullOrWhiteSpace(outDir)) return Bad("--out: an output folder is needed");
        if (File.Exists(outDir)) return Bad($"--out: {outDir} is a file, not a folder");
        if (executed is not null && !Directory.Exists(executed)) return Bad($"--compare: no folder {executed}");
        if (executed is not null && notebooks.FirstOrDefault(n => !File.Exists(Executed(executed, n))) is { } missing)
            return Bad($"--compare: {executed} has no executed {Path.GetFileName(missing)} (run `lossnb run` first; its notebooks are in OUT/notebooks)");
        if (timeoutSeconds is <= 0 or > RunCommand.MaxTimeoutSeconds)
            return Bad($"--timeout must be 1 to {RunCommand.MaxTimeoutSeconds} seconds, got {timeoutSeconds}");

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
            var run = await AppExport.RunAsync(app, appOut, figures, TimeSpan.FromSeconds(timeoutSeconds), ct);
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
    }

    private static string Executed(string folder, string notebook) => Path.Combine(folder, Path.GetFileName(notebook));

    private static string Tail(string text, int lines) => string.Join('\n', text.TrimEnd().Split('\n').TakeLast(lines));

    private static int Bad(string message)
    {
        Stdio.Error.WriteLine($"lossnb export: {message}");
        return 2;
    }

    public static int Run(IReadOnlyList<string> inputs, string to, string outDir)
    {
        switch (to)
        {
            case "markdown" or "html": break;
            default:
                Stdio.Error.WriteLine($"lossnb export: --to must be one of {string.Join(", ", Formats)}, got '{to}'");
                return 2;
        }
        List<Notebooks.Documents.NotebookDocument> documents = [];
        try
        {
            foreach (var input in inputs)
            {
                if (input.StartsWith('-') && !Path.Exists(input)) throw new ArgumentException($"unknown option {input} (see lossnb export --help)");
                IEnumerable<string> files = Directory.Exists(input)
                    ? Directory.EnumerateFiles(input, "*.ipynb").Order(StringComparer.Ordinal)
                    : File.Exists(input) ? [input] : throw new FileNotFoundException($"no such notebook or folder: {input}");
                foreach (var file in files)
                {
                    var doc = Notebooks.Documents.NotebookDocument.Load(file);
                    if (!doc.Cells.Any(c => c.Json["execution_count"] is System.Text.Json.Nodes.JsonValue))
                        throw new ArgumentException($"{file} has no executed cell: export the notebook `lossnb run` wrote (OUT/notebooks/NAME.ipynb)");
                    documents.Add(doc);
                }
            }
            if (documents.Count == 0) throw new ArgumentException($"no .ipynb notebooks in {string.Join(", ", inputs)}");
            var twice = documents.GroupBy(d => Path.GetFileNameWithoutExtension(d.Path)).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null) throw new ArgumentException($"two notebooks would be written to the same file: {twice.Key}");
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or Notebooks.Documents.NotebookFormatException)
        {
            Stdio.Error.WriteLine($"lossnb export: {e.Message}");
            return 2;
        }

        var exports = documents.Select(d => (Name: Path.GetFileNameWithoutExtension(d.Path), Export: NotebookMarkdown.Convert(d, to == "html" ? ".html" : ".md"))).ToList();
        var written = exports.SelectMany(x => to == "html" ? [Path.Combine(outDir, x.Name + ".html")]
            : x.Export.Files.Select(f => Path.Combine(outDir, f.RelativePath)).Append(Path.Combine(outDir, x.Name + ".md")));
        if (OutputSafety.Check(written, documents.Select(d => d.Path)) is { } clash)
        {
            Stdio.Error.WriteLine($"lossnb export: --out {outDir}: {clash}");
            return 2;
        }
        try
        {
            if (File.Exists(outDir)) throw new IOException("it is a file, not a folder");
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Stdio.Error.WriteLine($"lossnb export: --out {outDir}: cannot write there: {e.Message}");
            return 2;
        }

        string? scratch = null;
        try
        {
            if (to == "html")
            {
                scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "lossnb-export-" + Guid.NewGuid().ToString("N"))).FullName;
                PandocHtml.PrepareKatex(Path.Combine(scratch, "katex"));
            }
            foreach (var (name, export) in exports)
            {
                string folder = scratch is null ? outDir : Directory.CreateDirectory(Path.Combine(scratch, name)).FullName;
                string md = Write(folder, name, export);
                if (scratch is null)
                {
                    Stdio.Out.WriteLine($"export: {md} ({export.Figures} figure(s) in {Path.Combine(outDir, "figures", name)})");
                    continue;
                }
                string html = Path.Combine(outDir, name + ".html");
                PandocHtml.Render(md, html, name, Path.Combine(scratch, "katex"));
                Stdio.Out.WriteLine($"export: {html} ({export.Figures} figure(s) inlined, {new FileInfo(html).Length / 1024} KiB)");
            }
            return 0;
        }
        catch (PandocException e)
        {
            Stdio.Error.WriteLine($"lossnb export: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Stdio.Error.WriteLine($"lossnb export: --out {outDir}: cannot write: {e.Message}");
            return 2;
        }
        finally
        {
            if (scratch is not null) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>NAME.md and its figure files under <paramref name="folder"/>; returns the .md path.</summary>
    public static string Write(string folder, string name, MarkdownExport export)
    {
        foreach (var file in export.Files)
        {
            string path = Path.Combine(folder, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, file.Bytes);
        }
        string md = Path.Combine(folder, name + ".md");
        File.WriteAllText(md, export.Markdown, new System.Text.UTF8Encoding(false));
        return md;
    }
}

using System.CommandLine;
using LossNotebooks.Cli.Markdown;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb export EXECUTED_NOTEBOOK_OR_DIR… --to markdown|html --out DIR`: executed notebooks (from `lossnb run`) as
/// Markdown with figure files (DIR/NAME.md, DIR/figures/NAME/), or as one self-contained HTML page each (DIR/NAME.html,
/// rendered by pandoc with KaTeX and the figures inlined). Exit 2 for bad input, 1 if pandoc or KaTeX fails.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks")
        {
            Description = "Executed .ipynb files (lossnb run's OUT/notebooks/NAME.ipynb) or folders holding them",
            Arity = ArgumentArity.OneOrMore,
        };
        var to = new Option<string>("--to")
        {
            Description = "markdown: NAME.md + figures/NAME/*.png|svg; html: one offline NAME.html (pandoc, KaTeX, images inlined)",
            Required = true,
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Output folder",
            DefaultValueFactory = _ => "artifacts/export",
        };
        var command = new Command("export", "Export executed notebooks as Markdown for a blog, or as self-contained HTML") { paths, to, output };
        command.SetAction(parse => Run(parse.GetValue(paths)!, parse.GetValue(to)!, parse.GetValue(output)!));
        return command;
    }

    public static int Run(IReadOnlyList<string> inputs, string to, string outDir)
    {
        switch (to)
        {
            case "markdown" or "html": break;
            case "app":
                Stdio.Error.WriteLine("lossnb export: --to app is not built in this branch");
                return 2;
            default:
                Stdio.Error.WriteLine($"lossnb export: --to must be markdown or html, got '{to}'");
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

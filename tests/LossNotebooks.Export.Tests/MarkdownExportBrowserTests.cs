using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LossNotebooks.Cli;
using LossNotebooks.Cli.Commands;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LossNotebooks.Export.Tests;

/// <summary>
/// `lossnb export --to markdown` and `--to html` on real executed notebooks: the Markdown links every figure under the
/// name `lossnb run` gave its file (same bytes), and the pandoc page, opened alone in Chromium with every request
/// aborted, shows every figure (loaded, naturalWidth &gt; 0) and typesets every formula of the Markdown. The notebooks
/// are $LOSSNB_HTML_NOTEBOOKS (scripts/test.sh passes lossnb run's OUT/notebooks); without it the test runs
/// notebooks/00-getting-started.ipynb through `lossnb run` first.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MarkdownExportBrowserTests(ExporterFixture fixture, ITestOutputHelper output)
{
    private const string ImagesScript = """
        () => JSON.stringify([...document.images].map(i => ({ loaded: i.complete && i.naturalWidth > 0, inline: i.src.startsWith('data:image/') })))
        """;

    [Fact]
    public async Task Every_figure_and_formula_of_an_exported_notebook_shows_offline()
    {
        string work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "lossnb-mdexport-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            string source = Environment.GetEnvironmentVariable("LOSSNB_HTML_NOTEBOOKS") is { Length: > 0 } env ? Path.GetFullPath(env) : await RunGettingStartedAsync(work);
            // lossnb run writes OUT/notebooks/NAME.ipynb and OUT/figures/NAME/*.
            string runFigures = Path.Combine(Path.GetDirectoryName(source.TrimEnd('/'))!, "figures");
            var notebooks = Directory.GetFiles(source, "*.ipynb").Order(StringComparer.Ordinal).ToArray();
            Assert.NotEmpty(notebooks);
            string md = Path.Combine(work, "md"), html = Path.Combine(work, "html");
            Assert.Equal(0, ExportCommand.Run([source], "markdown", md));
            Assert.Equal(0, ExportCommand.Run([source], "html", html));

            var failures = new List<string>();
            int figuresSeen = 0;
            foreach (var nb in notebooks)
            {
                string name = Path.GetFileNameWithoutExtension(nb);
                string text = File.ReadAllText(Path.Combine(md, name + ".md"));
                var links = Regex.Matches(text, @"!\[(?:\\.|[^\]\\])*\]\(([^)\s]+)\)").Select(m => m.Groups[1].Value).ToList();
                int shown = ShownImages(nb);
                figuresSeen += shown;
                foreach (var link in links)
                {
                    string file = Path.Combine(md, link);
                    string fromRun = Path.Combine(runFigures, name, Path.GetFileName(link));
                    if (!link.StartsWith($"figures/{name}/{name.Split('-')[0]}-", StringComparison.Ordinal) || !File.Exists(file)) failures.Add($"{name}: link {link} names no written file");
                    else if (!File.Exists(fromRun) || !File.ReadAllBytes(file).SequenceEqual(File.ReadAllBytes(fromRun))) failures.Add($"{name}: {link} is not lossnb run's {fromRun}");
                }
                var math = MarkdownMath.InMarkdown(text);
                var (page, images) = await MeasureAsync(Path.Combine(html, name + ".html"));
                string line = $"{name}: {links.Count} figure links / {shown} images in shown cells, {images.Count} <img> in the page " +
                              $"({images.Count(i => i.Loaded)} loaded, {images.Count(i => i.Inline)} inline); {page.Rendered} formulas typeset / " +
                              $"{math.Formulas} in the Markdown, {page.Errors} KaTeX errors, {page.VisibleDollars} $ visible ({math.EscapedDollars} escaped), " +
                              $"{page.BlockedRequests} requests blocked" + (page.FirstRawTex is null ? "" : $", raw TeX left: {page.FirstRawTex}");
                output.WriteLine(line);
                if (links.Count != shown || images.Count != shown || images.Any(i => !i.Loaded || !i.Inline) || page.BlockedRequests != 0 ||
                    page.Rendered != math.Formulas || page.Errors != 0 || page.VisibleDollars != math.EscapedDollars || page.FirstRawTex is not null)
                    failures.Add(line);
            }
            Assert.True(figuresSeen > 0, "the executed notebooks show no figure: nothing was tested");
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>Image outputs of code cells a reader sees: not the `#load "lossnb.csx"` cell, not cells tagged setup.</summary>
    private static int ShownImages(string ipynb)
    {
        var cells = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray();
        return cells.Where(c => c!["cell_type"]!.GetValue<string>() == "code")
            .Where(c => Notebooks.Documents.NotebookJson.JoinMultiline(c!["source"]).Trim() != "#load \"lossnb.csx\"")
            .Where(c => !((c!["metadata"]?["tags"] as JsonArray)?.Any(t => t!.GetValue<string>() == "setup") ?? false))
            .SelectMany(c => c!["outputs"]!.AsArray())
            .Count(o => o!["data"] is JsonObject d && (d.ContainsKey("image/png") || d.ContainsKey("image/svg+xml")));
    }

    private sealed record Image(bool Loaded, bool Inline);

    /// <summary>The page copied alone into an empty folder and opened with every other request aborted (counted).</summary>
    private async Task<(NotebookHtmlMathTests.PageMath Math, List<Image> Images)> MeasureAsync(string html)
    {
        string alone = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "lossnb-mdexport-page-" + Guid.NewGuid().ToString("N"))).FullName;
        string copy = Path.Combine(alone, Path.GetFileName(html));
        File.Copy(html, copy);
        IPage page = await fixture.Exporter.NewPageAsync();
        int blocked = 0;
        try
        {
            string self = new Uri(copy).AbsoluteUri;
            await page.RouteAsync("**/*", async route =>
            {
                if (route.Request.Url == self) await route.ContinueAsync();
                else { Interlocked.Increment(ref blocked); await route.AbortAsync(); }
            });
            await page.GotoAsync(self, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
            var r = JsonDocument.Parse(await page.EvaluateAsync<string>(NotebookHtmlMathTests.MeasureScript)).RootElement;
            var images = JsonSerializer.Deserialize<List<Image>>(await page.EvaluateAsync<string>(ImagesScript), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
            return (new NotebookHtmlMathTests.PageMath(r.GetProperty("rendered").GetInt32(), r.GetProperty("errors").GetInt32(),
                r.GetProperty("dollars").GetInt32(), r.GetProperty("raw").GetString(), blocked), images);
        }
        finally
        {
            await page.CloseAsync();
            Directory.Delete(alone, recursive: true);
        }
    }

    /// <summary>notebooks/00-getting-started.ipynb (formulas, three figures) through `lossnb run`, in process, as Program.cs sets it up.</summary>
    private static async Task<string> RunGettingStartedAsync(string work)
    {
        string repo = RepoRoot();
        string outDir = Path.Combine(work, "run");
        await using var figures = new FigureImageEnricher();
        LossnbApp.Enrichers.Clear();
        LossnbApp.Enrichers.Add(figures);
        try
        {
            int exit = await LossnbApp.InvokeAsync(["run", Path.Combine(repo, "notebooks", "00-getting-started.ipynb"), "--out", outDir]);
            Assert.True(exit == 0, $"lossnb run exited {exit}");
        }
        finally { LossnbApp.Enrichers.Clear(); }
        return Path.Combine(outDir, "notebooks");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LossNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("LossNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}

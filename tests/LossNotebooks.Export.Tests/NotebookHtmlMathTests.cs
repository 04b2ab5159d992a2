using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LossNotebooks.Export.Tests;

/// <summary>
/// Notebook HTML pages opened in headless Chromium with no network: every formula in the notebook's markdown must
/// be typeset and no TeX may be left as text. The notebooks are $LOSSNB_HTML_NOTEBOOKS (scripts/test.sh passes the
/// executed ones) or, without it, the shipped notebooks/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotebookHtmlMathTests(ExporterFixture fixture, ITestOutputHelper output)
{
    public sealed record PageMath(int Rendered, int Errors, int VisibleDollars, string? FirstRawTex, int BlockedRequests);

    [Fact]
    public void The_counter_skips_code_escapes_and_lone_dollars()
    {
        Assert.Equal(new MarkdownMath.Count(3, 0), MarkdownMath.InMarkdown("$a$ and $$\\sum_i x_i$$ and $b_{\\$}$"));
        Assert.Equal(new MarkdownMath.Count(1, 2), MarkdownMath.InMarkdown("costs \\$5 or \\$6, `$x$` and ``a`$y$`b`` but $z$"));
        Assert.Equal(new MarkdownMath.Count(1, 0), MarkdownMath.InMarkdown("```csharp\nvar s = $\"{x}$\";\n```\n$\\text{$q$}$ then a lone $"));
        Assert.Equal(new MarkdownMath.Count(1, 0), MarkdownMath.InMarkdown("$$\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n$$"));
    }

    [Fact]
    public async Task Every_formula_of_every_exported_notebook_renders_offline()
    {
        string repo = RepoRoot();
        string source = Environment.GetEnvironmentVariable("LOSSNB_HTML_NOTEBOOKS") is { Length: > 0 } env ? Path.GetFullPath(env) : Path.Combine(repo, "notebooks");
        var notebooks = Directory.GetFiles(source, "*.ipynb").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(notebooks);
        string dir = TempDir();
        try
        {
            Run(Path.Combine(repo, "scripts", "export-html.sh"), ["--out", dir, source]);
            var failures = new List<string>();
            foreach (var nb in notebooks)
            {
                var expected = MarkdownMath.InNotebook(nb);
                var page = await MeasureAsync(Path.Combine(dir, Path.GetFileNameWithoutExtension(nb) + ".html"));
                string line = $"{Path.GetFileName(nb)}: {page.Rendered} formulas rendered / {expected.Formulas} in the markdown, " +
                              $"{page.Errors} KaTeX errors, {page.VisibleDollars} $ visible ({expected.EscapedDollars} escaped in the markdown)" +
                              (page.FirstRawTex is null ? "" : $", raw TeX left: {page.FirstRawTex}");
                output.WriteLine(line);
                if (page.Rendered != expected.Formulas || page.Errors != 0 || page.VisibleDollars != expected.EscapedDollars) failures.Add(line);
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The check above can fail: nbconvert's own page (MathJax from a URL) typesets nothing offline.</summary>
    [Fact]
    public async Task Plain_nbconvert_html_renders_no_formula_offline()
    {
        string nb = Path.Combine(RepoRoot(), "notebooks", "01-softmax-cross-entropy.ipynb");
        string dir = TempDir();
        try
        {
            Run("/usr/bin/python3", ["-m", "nbconvert", "--to", "html", "--log-level", "ERROR", "--output-dir", dir, nb]);
            var expected = MarkdownMath.InNotebook(nb);
            var page = await MeasureAsync(Path.Combine(dir, "01-softmax-cross-entropy.html"));
            Assert.True(expected.Formulas > 50, $"{expected.Formulas} formulas counted");
            Assert.Equal(0, page.Rendered);
            Assert.True(page.VisibleDollars >= 2 * expected.Formulas, $"{page.VisibleDollars} $ visible for {expected.Formulas} formulas");
            Assert.NotNull(page.FirstRawTex);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    internal const string MeasureScript = """
        () => {
          const roots = [...document.querySelectorAll('.katex')].filter(e => !e.parentElement.closest('.katex'));
          const errors = document.querySelectorAll('.katex-error').length;
          // What a reader sees as text: the page without typeset formulas, code and scripts.
          const text = document.body.cloneNode(true);
          text.querySelectorAll('.katex, .katex-error, code, pre, script, style').forEach(e => e.remove());
          const s = text.textContent;
          const raw = s.match(/\$[^$]+\$/);
          return JSON.stringify({ rendered: roots.length, errors, dollars: (s.match(/\$/g) || []).length, raw: raw ? raw[0].slice(0, 80) : null });
        }
        """;

    /// <summary>
    /// Opens the page from a folder of its own (what a copied file sees) in the exporter's offline context and
    /// counts what was typeset. Every request other than the file itself is aborted and counted.
    /// </summary>
    private async Task<PageMath> MeasureAsync(string html)
    {
        string alone = TempDir();
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
            var r = JsonDocument.Parse(await page.EvaluateAsync<string>(MeasureScript)).RootElement;
            return new PageMath(r.GetProperty("rendered").GetInt32(), r.GetProperty("errors").GetInt32(), r.GetProperty("dollars").GetInt32(),
                r.GetProperty("raw").GetString(), blocked);
        }
        finally
        {
            await page.CloseAsync();
            Directory.Delete(alone, recursive: true);
        }
    }

    private static void Run(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot() };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(300_000)) { p.Kill(entireProcessTree: true); throw new TimeoutException($"{file} did not finish within 300 s"); }
        Assert.True(p.ExitCode == 0, $"{file} exited {p.ExitCode}:\n{stdout.Result}\n{stderr}");
    }

    private static string TempDir() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "lossnb-html-" + Guid.NewGuid().ToString("N"))).FullName;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LossNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("LossNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}

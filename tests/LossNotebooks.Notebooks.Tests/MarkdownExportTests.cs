using System.Text.Json.Nodes;
using LossNotebooks.Cli;
using LossNotebooks.Cli.Commands;
using LossNotebooks.Cli.Markdown;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>`lossnb export --to markdown` on a small executed notebook written here: what a blog post gets.</summary>
public class MarkdownExportTests
{
    // A 1×1 PNG and a tiny SVG: the bytes must reach the files unchanged.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    private const string Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>";
    private const string Math = "The gradient is $\\partial L/\\partial z = p - y$, and\n\n$$\n\\sum_j \\frac{e^{z_j}}{\\sum_k e^{z_k}} = 1\n$$\n\nsee [the next one](02-next.ipynb#top) and [the web](https://example.org/a.ipynb).";

    private static JsonObject Code(string id, string source, int? count, JsonArray outputs, params string[] tags)
    {
        var meta = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } };
        if (tags.Length > 0) meta["tags"] = new JsonArray(tags.Select(t => (JsonNode)t).ToArray());
        return new JsonObject { ["cell_type"] = "code", ["id"] = id, ["execution_count"] = count, ["metadata"] = meta, ["source"] = source, ["outputs"] = outputs };
    }

    private static JsonObject Stream(string text) => new() { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text };

    private static JsonObject Display(JsonObject data) => new() { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() };

    /// <summary>An executed notebook: markdown with math, the #load cell, a setup cell, code with a figure and outputs.</summary>
    public static string Executed()
    {
        var cells = new JsonArray(
            new JsonObject { ["cell_type"] = "markdown", ["id"] = "m0", ["metadata"] = new JsonObject(), ["source"] = "# Probe\n\n" + Math },
            Code("c1", "#load \"lossnb.csx\"", 1, []),
            Code("c2", "var secret = 42;\nConsole.WriteLine(\"set-up only\");", 2, [Stream("set-up only\n")], "setup"),
            Code("c3", "Console.WriteLine(\"loss 0.25\");\nPlots.Convergence(x)", 3, [
                Stream("loss 0.25\n"),
                Display(new JsonObject
                {
                    [FigureImageEnricher.PlotlyMimeType] = new JsonObject { ["data"] = new JsonArray(), ["layout"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "Convergence: digits [hinge]<br><sub>5 seeds</sub>" } } },
                    ["image/png"] = Convert.ToBase64String(Png),
                    ["image/svg+xml"] = Svg,
                    ["text/html"] = "<div>interactive figure</div>",
                    ["text/plain"] = "Figure \"Convergence: digits\"",
                })]),
            Code("c4", "var s = \"```\";\nReport()", 4, [
                Display(new JsonObject { ["text/markdown"] = "```text\nstep.ok  PASS\n```\n", ["text/plain"] = "step.ok  PASS" }),
                Display(new JsonObject { ["text/html"] = "<table><thead><tr><th>entry</th><th>error</th></tr></thead><tbody><tr><td>[0,1]</td><td>1&#183;10<sup>-9</sup></td></tr></tbody></table>" })]));
        return new JsonObject { ["cells"] = cells, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString();
    }

    [Fact]
    public void Code_is_fenced_setup_is_hidden_math_is_untouched_and_figures_are_named_files()
    {
        using var folder = new TempFolder();
        var doc = NotebookDocument.Load(folder.Write("probe.ipynb", Executed()));

        var export = NotebookMarkdown.Convert(doc);
        string md = export.Markdown;

        // Markdown cells verbatim (TeX untouched); links to sibling notebooks point to their Markdown, web links stay.
        Assert.Contains(Math.Replace("02-next.ipynb#top", "02-next.md#top"), md);
        Assert.Contains("https://example.org/a.ipynb", md);
        // The #load cell and the cell tagged setup are gone, with their outputs.
        Assert.DoesNotContain("#load", md);
        Assert.DoesNotContain("secret", md);
        Assert.DoesNotContain("set-up only", md);
        // Code in csharp fences; a fence longer than the ``` inside the code; stdout as a text block.
        Assert.Contains("```csharp\nConsole.WriteLine(\"loss 0.25\");\nPlots.Convergence(x)\n```", md);
        Assert.Contains("````csharp\nvar s = \"```\";\nReport()\n````", md);
        Assert.Contains("```text\nloss 0.25\n```", md);
        // The figure: PNG and SVG named as lossnb run names them (cell 3, output 1, the title's slug), the PNG linked,
        // the title as alt text with its brackets escaped and its <br> subtitle dropped; the interactive HTML not shown.
        Assert.Equal(1, export.Figures);
        Assert.Equal(["figures/probe/probe-convergence-digits-hinge-5-seeds.png", "figures/probe/probe-convergence-digits-hinge-5-seeds.svg"],
            export.Files.Select(f => f.RelativePath));
        Assert.Equal(Png, export.Files[0].Bytes);
        Assert.Equal(Svg, System.Text.Encoding.UTF8.GetString(export.Files[1].Bytes));
        Assert.Contains("\n![Convergence: digits \\[hinge\\]](figures/probe/probe-convergence-digits-hinge-5-seeds.png)\n", md);
        Assert.DoesNotContain("interactive figure", md);
        // text/markdown as it is; an HTML-only table as a pipe table.
        Assert.Contains("\n```text\nstep.ok  PASS\n```\n", md);
        Assert.Contains("| entry | error |\n| --- | --- |\n| [0,1] | 1·10 -9 |", md);
        // In notebook order: heading, code, output, figure, report.
        Assert.True(md.IndexOf("# Probe") < md.IndexOf("loss 0.25") && md.IndexOf("![") < md.IndexOf("step.ok"));
    }

    [Fact]
    public async Task The_command_writes_md_and_figures_the_same_every_time_and_refuses_bad_input()
    {
        using var folder = new TempFolder();
        string nb = folder.Write("run/notebooks/probe.ipynb", Executed());
        string outDir = Path.Combine(folder.Path, "blog");

        Assert.Equal(0, await LossnbApp.InvokeAsync(["export", nb, "--to", "markdown", "--out", outDir]));
        string md = File.ReadAllText(Path.Combine(outDir, "probe.md"));
        var png = File.ReadAllBytes(Path.Combine(outDir, "figures", "probe", "probe-convergence-digits-hinge-5-seeds.png"));
        Assert.Equal(Png, png);
        Assert.True(File.Exists(Path.Combine(outDir, "figures", "probe", "probe-convergence-digits-hinge-5-seeds.svg")));
        // Same input, same bytes.
        Assert.Equal(0, await LossnbApp.InvokeAsync(["export", Path.GetDirectoryName(nb)!, "--to", "markdown", "--out", outDir]));
        Assert.Equal(md, File.ReadAllText(Path.Combine(outDir, "probe.md")));

        // A source notebook (never executed), an unknown format, a missing file: exit 2, nothing written.
        string source = folder.Write("src/plain.ipynb", TestNotebooks.Ipynb("1 + 1"));
        string other = Path.Combine(folder.Path, "other");
        Assert.Equal(2, await LossnbApp.InvokeAsync(["export", source, "--to", "markdown", "--out", other]));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["export", nb, "--to", "pdf", "--out", other]));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["export", Path.Combine(folder.Path, "missing.ipynb"), "--to", "app", "--out", other]));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["export", Path.Combine(folder.Path, "missing.ipynb"), "--to", "markdown", "--out", other]));
        Assert.False(Directory.Exists(other));
    }

    [Fact]
    public void Html_without_a_plain_twin_becomes_text_lists_and_tables()
    {
        Assert.Equal("**Installed Packages**\n\n- Plotly.NET.CSharp, 0.14.0\n\n- Plotly.NET.Interactive, 6.0.0",
            HtmlText.ToMarkdown("<div><div></div><div><strong>Installed Packages</strong><ul><li><span>Plotly.NET.CSharp, 0.14.0</span></li><li><span>Plotly.NET.Interactive, 6.0.0</span></li></ul></div></div>"));
        // A table without a header row (a matrix): right-aligned columns in a text block; a | in a pipe-table cell escaped.
        Assert.Equal("Z\n\n```text\n-0.5  1.25\n  10    -2\n```",
            HtmlText.ToMarkdown("<div>Z</div><table><tr><td>-0.5</td><td>1.25</td></tr><tr><td>10</td><td>-2</td></tr></table>"));
        Assert.Equal("caption\n\n| a\\|b |\n| --- |\n| 1 |", HtmlText.ToMarkdown("<table><caption>caption</caption><tr><th>a|b</th></tr><tr><td>1</td></tr></table><script>x()</script>"));
    }
}

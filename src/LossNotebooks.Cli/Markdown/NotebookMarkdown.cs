using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Cli.Markdown;

/// <summary>One file the Markdown refers to, by its path relative to the .md file.</summary>
public sealed record MarkdownFile(string RelativePath, byte[] Bytes);

/// <summary>An executed notebook as Markdown, with the figure files it links.</summary>
public sealed record MarkdownExport(string Markdown, IReadOnlyList<MarkdownFile> Files, int Figures);

/// <summary>
/// An executed notebook (from `lossnb run`) as Markdown for a blog: markdown cells verbatim (so $…$ and $$…$$ stay TeX),
/// code cells in ```csharp fences, outputs as text blocks or Markdown, figures as PNG + SVG files under
/// figures/NAME/ with the names `lossnb run` gives them (FigureImageEnricher.FileStem). Set-up cells are left out: the
/// `#load "lossnb.csx"` cell and every cell tagged `setup` (metadata.tags, as Jupyter and papermill keep tags).
/// </summary>
public static class NotebookMarkdown
{
    public const string SetupTag = "setup";
    public const string LoadCell = "#load \"lossnb.csx\"";

    /// <param name="linkExtension">What a relative link to a sibling notebook (NAME.ipynb) points to instead: ".md"
    /// for Markdown, ".html" for HTML pages exported together.</param>
    public static MarkdownExport Convert(NotebookDocument document, string linkExtension = ".md")
    {
        string name = Path.GetFileNameWithoutExtension(document.Path);
        var md = new StringBuilder();
        var files = new List<MarkdownFile>();
        int figures = 0;
        var stems = FigureStems(document, name);
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            switch (cell.Kind)
            {
                case CellKind.Markdown:
                    Block(md, SiblingLinks(cell.Source.TrimEnd(), linkExtension));
                    break;
                case CellKind.Code when !IsHidden(cell):
                    if (cell.Source.Trim().Length > 0) Block(md, Fenced(cell.Source.TrimEnd(), "csharp"));
                    var outputs = cell.Outputs;
                    for (int k = 0; k < outputs.Count; k++)
                    {
                        if (outputs[k] is not JsonObject output) continue;
                        if (Figure(output, name, stems.GetValueOrDefault((i, k), "figure")) is { } figure)
                        {
                            files.AddRange(figure.Files);
                            figures++;
                            Block(md, figure.Markdown);
                        }
                        else if (OutputText(output) is { Length: > 0 } text) Block(md, text);
                    }
                    break;
            }
        }
        return new MarkdownExport(md.ToString(), files, figures);
    }

    /// <summary>](NAME.ipynb) and ](NAME.ipynb#anchor) → the exported sibling; links with a scheme stay as they are.</summary>
    public static string SiblingLinks(string markdown, string extension) =>
        Regex.Replace(markdown, @"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:)([^()\s]+?)\.ipynb(#[^()\s]*)?\)", m => $"]({m.Groups[1].Value}{extension}{m.Groups[2].Value})");

    /// <summary>The `#load "lossnb.csx"` cell and cells tagged `setup` are not part of the post.</summary>
    public static bool IsHidden(NotebookCell cell) =>
        cell.Source.Trim() == LoadCell || Tags(cell).Contains(SetupTag);

    public static IReadOnlyList<string> Tags(NotebookCell cell) =>
        cell.Metadata["tags"] is JsonArray tags ? [.. tags.Select(t => t is JsonValue v && v.TryGetValue(out string? s) ? s : null).OfType<string>()] : [];

    private static void Block(StringBuilder md, string block)
    {
        if (block.Length == 0) return;
        if (md.Length > 0) md.Append('\n');
        md.Append(block).Append('\n');
    }

    /// <summary>A fence one backtick longer than any run of backticks inside, so no content can close it early.</summary>
    public static string Fenced(string text, string info)
    {
        int longest = Regex.Matches(text, "`+").Select(m => m.Length).DefaultIfEmpty(0).Max();
        string fence = new('`', Math.Max(3, longest + 1));
        return $"{fence}{info}\n{text}\n{fence}";
    }

    private sealed record FigureBlock(string Markdown, List<MarkdownFile> Files);

    /// <summary>
    /// A display with a static image: the PNG and SVG as files, the Markdown an image link to the PNG (drawn the same
    /// everywhere; the SVG beside it is the vector copy). Null for any other output.
    /// </summary>
    /// <summary>
    /// The file stem of every figure output, keyed by (cell, output): named in notebook order over all cells, hidden ones
    /// included, with the same rule and the same repeat counter as `lossnb run` names its files.
    /// </summary>
    private static Dictionary<(int Cell, int Output), string> FigureStems(NotebookDocument document, string notebook)
    {
        var stems = new Dictionary<(int, int), string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < document.Cells.Count; i++)
        {
            if (document.Cells[i].Kind != CellKind.Code) continue;
            var outputs = document.Cells[i].Outputs;
            for (int k = 0; k < outputs.Count; k++)
            {
                if (outputs[k] is not JsonObject { } output || output["data"] is not JsonObject data) continue;
                if (Text(data["image/png"]) is null && Text(data["image/svg+xml"]) is null) continue;
                string stem = FigureImageEnricher.FileStem(notebook, PlotlyJson(data) ?? "", used);
                used.Add(stem);
                stems[(i, k)] = stem;
            }
        }
        return stems;
    }

    private static string? PlotlyJson(JsonObject data) =>
        data[FigureImageEnricher.PlotlyMimeType] is { } p ? (p is JsonValue pv && pv.TryGetValue(out string? ps) ? ps : p.ToJsonString()) : null;

    private static FigureBlock? Figure(JsonObject output, string notebook, string stem)
    {
        if (output["data"] is not JsonObject data) return null;
        string? png = Text(data["image/png"]), svg = Text(data["image/svg+xml"]);
        if (png is null && svg is null) return null;
        string? plotly = PlotlyJson(data);
        string folder = $"figures/{notebook}/";
        var files = new List<MarkdownFile>();
        if (png is not null) files.Add(new(folder + stem + ".png", System.Convert.FromBase64String(Regex.Replace(png, @"\s", ""))));
        if (svg is not null) files.Add(new(folder + stem + ".svg", new UTF8Encoding(false).GetBytes(svg)));
        string alt = EscapeInline(plotly is null ? "figure" : FigureTitle(plotly) ?? "figure");
        return new FigureBlock($"![{alt}]({files[0].RelativePath})", files);
    }

    /// <summary>The figure's layout title with its HTML tags dropped (alt text and caption), or null.</summary>
    public static string? FigureTitle(string plotlyJson)
    {
        if (LossNotebooks.Export.FigureFileNames.TitleText(plotlyJson) is not { } text) return null;
        // The first line only: what follows a <br> is a subtitle of notes, too long for alt text and caption.
        string plain = Regex.Replace(Regex.Split(text, "<br\\s*/?>", RegexOptions.IgnoreCase)[0], "<[^>]+>", "");
        return Regex.Replace(System.Net.WebUtility.HtmlDecode(plain), @"\s+", " ").Trim();
    }

    /// <summary>Markdown punctuation escaped, so a title like "∂L/∂z[0,0]" stays literal text in alt text.</summary>
    public static string EscapeInline(string text) => Regex.Replace(text, @"[\\`*_\[\]$<>#|]", m => "\\" + m.Value);

    /// <summary>
    /// Any output other than a figure: Markdown as it is, plain text in a text block, HTML without a plain twin
    /// reduced to text and tables (HtmlText), errors as name: message and traceback.
    /// </summary>
    private static string? OutputText(JsonObject output)
    {
        switch (Text(output["output_type"]))
        {
            case "stream":
                return Text(output["text"]) is { } s ? Fenced(s.TrimEnd('\n'), "text") : null;
            case "error":
                var lines = new List<string> { $"{Text(output["ename"])}: {Text(output["evalue"])}" };
                if (output["traceback"] is JsonArray tb)
                    lines.AddRange(tb.Select(Text).OfType<string>().Select(l => Regex.Replace(l, "\u001b\\[[0-9;]*m", "")));
                return Fenced(string.Join("\n", lines).TrimEnd(), "text");
            case "display_data" or "execute_result" when output["data"] is JsonObject data:
                if (Text(data["text/markdown"]) is { } markdown) return markdown.TrimEnd();
                if (Text(data["text/plain"]) is { } plain) return Fenced(plain.TrimEnd('\n'), "text");
                if (Text(data["text/html"]) is { } html) return HtmlText.ToMarkdown(html);
                return null;
            default:
                return null;
        }
    }

    /// <summary>A string value or nbformat's list of lines joined; null when absent.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray a => string.Concat(a.Select(e => e is JsonValue ev && ev.TryGetValue(out string? es) ? es : "")),
        _ => null,
    };
}

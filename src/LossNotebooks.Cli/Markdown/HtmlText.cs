using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LossNotebooks.Cli.Markdown;

/// <summary>
/// An HTML output that has no text/plain twin, reduced to Markdown: tables with a header row become pipe tables
/// (a caption above them), other tables an aligned text block, list items "- " lines, block elements paragraphs,
/// everything else its text. Scripts and styles are dropped: a blog post carries no kernel widgets.
/// </summary>
public static class HtmlText
{
    private static readonly RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.Singleline;

    public static string ToMarkdown(string html)
    {
        string s = Regex.Replace(html, @"<(script|style)\b.*?</\1\s*>", "", Options);
        var blocks = new List<string>();
        int at = 0;
        foreach (Match table in Regex.Matches(s, @"<table\b.*?</table\s*>", Options))
        {
            blocks.AddRange(Paragraphs(s[at..table.Index]));
            blocks.Add(Table(table.Value));
            at = table.Index + table.Length;
        }
        blocks.AddRange(Paragraphs(s[at..]));
        return string.Join("\n\n", blocks.Where(b => b.Length > 0));
    }

    private static IEnumerable<string> Paragraphs(string html)
    {
        string s = Regex.Replace(html, @"<li\b[^>]*>", "\n- ", Options);
        s = Regex.Replace(s, @"<br\s*/?>|</?(p|div|ul|ol|li|h[1-6]|tr|pre|caption)\b[^>]*>", "\n", Options);
        s = Regex.Replace(s, @"</?(b|strong)\b[^>]*>", "**", Options);
        return Decode(Regex.Replace(s, "<[^>]+>", "")).Split('\n')
            .Select(l => Regex.Replace(l, @"[ \t]+", " ").Trim())
            .Where(l => l.Length > 0 && l != "**" && l != "****");
    }

    private static string Table(string html)
    {
        string? caption = Regex.Match(html, @"<caption\b[^>]*>(.*?)</caption\s*>", Options) is { Success: true } c ? Cell(c.Groups[1].Value) : null;
        var rows = Regex.Matches(html, @"<tr\b[^>]*>(.*?)</tr\s*>", Options)
            .Select(r => Regex.Matches(r.Groups[1].Value, @"<(t[hd])\b[^>]*>(.*?)</\1\s*>", Options)
                .Select(m => (Header: m.Groups[1].Value.Equals("th", StringComparison.OrdinalIgnoreCase), Text: Cell(m.Groups[2].Value))).ToList())
            .Where(r => r.Count > 0).ToList();
        var sb = new StringBuilder();
        if (caption is { Length: > 0 }) sb.Append(caption).Append("\n\n");
        if (rows.Count == 0) return sb.ToString().TrimEnd();
        int columns = rows.Max(r => r.Count);
        List<string> Padded(List<(bool Header, string Text)> r) => [.. r.Select(x => x.Text).Concat(Enumerable.Repeat("", columns - r.Count))];
        if (rows[0].All(x => x.Header))
        {
            string Line(List<string> cells) => "| " + string.Join(" | ", cells.Select(x => x.Replace("|", "\\|"))) + " |";
            sb.Append(Line(Padded(rows[0]))).Append('\n');
            sb.Append("| " + string.Join(" | ", Enumerable.Repeat("---", columns)) + " |");
            foreach (var r in rows.Skip(1)) sb.Append('\n').Append(Line(Padded(r)));
            return sb.ToString();
        }
        // No header row (a matrix): columns right-aligned in a text block, as the kernel's text/plain would show them.
        var cells = rows.Select(Padded).ToList();
        var widths = Enumerable.Range(0, columns).Select(j => cells.Max(r => r[j].Length)).ToArray();
        var text = string.Join("\n", cells.Select(r => string.Join("  ", r.Select((x, j) => x.PadLeft(widths[j]))).TrimEnd()));
        return sb.Append(NotebookMarkdown.Fenced(text, "text")).ToString();
    }

    private static string Cell(string html) => Regex.Replace(Decode(Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ").Trim();

    public static string Decode(string text) => WebUtility.HtmlDecode(text);
}

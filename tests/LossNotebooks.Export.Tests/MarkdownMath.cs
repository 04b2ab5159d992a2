using System.Text;
using System.Text.Json;

namespace LossNotebooks.Export.Tests;

/// <summary>
/// Counts the $…$ and $$…$$ formulas of notebook markdown from the source text, independently of any renderer:
/// fenced code blocks and code spans hold no mathematics, \$ is a literal dollar, and inside a formula a
/// backslash escapes the next character and a $ inside braces does not close it (KaTeX's and MathJax's rules).
/// </summary>
public static class MarkdownMath
{
    public readonly record struct Count(int Formulas, int EscapedDollars);

    /// <summary>Formulas in one markdown text. An opening $ or $$ without its closing one is not a formula.</summary>
    public static Count InMarkdown(string markdown)
    {
        string text = WithoutCode(markdown);
        int formulas = 0, escaped = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                if (text[i + 1] == '$') escaped++;
                i++;
                continue;
            }
            if (c != '$') continue;
            bool display = i + 1 < text.Length && text[i + 1] == '$';
            int end = CloseOf(text, i + (display ? 2 : 1), display);
            if (end < 0) continue; // a lone dollar stays text
            formulas++;
            i = end + (display ? 1 : 0);
        }
        return new Count(formulas, escaped);
    }

    /// <summary>Formulas in every markdown cell and every text/markdown output of an .ipynb file.</summary>
    public static Count InNotebook(string ipynbPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ipynbPath));
        int formulas = 0, escaped = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            var texts = new List<string>();
            if (cell.GetProperty("cell_type").GetString() == "markdown") texts.Add(Joined(cell.GetProperty("source")));
            if (cell.TryGetProperty("outputs", out var outputs))
                foreach (var o in outputs.EnumerateArray())
                    if (o.TryGetProperty("data", out var data) && data.TryGetProperty("text/markdown", out var md)) texts.Add(Joined(md));
            foreach (var t in texts)
            {
                var n = InMarkdown(t);
                formulas += n.Formulas;
                escaped += n.EscapedDollars;
            }
        }
        return new Count(formulas, escaped);
    }

    private static string Joined(JsonElement source) =>
        source.ValueKind == JsonValueKind.Array ? string.Concat(source.EnumerateArray().Select(e => e.GetString())) : source.GetString() ?? "";

    /// <summary>Index of the closing $ (of $$ when display), or -1.</summary>
    private static int CloseOf(string text, int from, bool display)
    {
        int depth = 0;
        for (int j = from; j < text.Length; j++)
        {
            char c = text[j];
            if (c == '\\') { j++; continue; }
            if (c == '{') depth++;
            else if (c == '}') depth = Math.Max(0, depth - 1);
            else if (c == '$' && depth == 0)
            {
                if (!display) return j == from ? -1 : j;
                if (j + 1 < text.Length && text[j + 1] == '$') return j;
            }
        }
        return -1;
    }

    /// <summary>The text with fenced code blocks and code spans replaced by a space.</summary>
    internal static string WithoutCode(string markdown)
    {
        var kept = new StringBuilder();
        string? fence = null;
        foreach (var line in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            string t = line.TrimStart(' ');
            bool indentOk = line.Length - t.Length <= 3;
            if (fence is null && indentOk && (t.StartsWith("```") || t.StartsWith("~~~")))
            {
                fence = new string(t[0], t.TakeWhile(ch => ch == t[0]).Count());
                continue;
            }
            if (fence is not null)
            {
                if (indentOk && t.StartsWith(fence) && t.TrimEnd().All(ch => ch == fence[0])) fence = null;
                continue;
            }
            kept.Append(line).Append('\n');
        }
        string s = kept.ToString();
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length) { sb.Append(s[i]).Append(s[i + 1]); i++; continue; }
            if (s[i] != '`') { sb.Append(s[i]); continue; }
            int run = 1;
            while (i + run < s.Length && s[i + run] == '`') run++;
            int close = ClosingRun(s, i + run, run);
            if (close < 0) { sb.Append('`', run); i += run - 1; continue; } // unmatched backticks are text
            sb.Append(' ');
            i = close + run - 1;
        }
        return sb.ToString();
    }

    private static int ClosingRun(string s, int from, int run)
    {
        for (int j = from; j < s.Length; j++)
        {
            if (s[j] != '`') continue;
            int k = 0;
            while (j + k < s.Length && s[j + k] == '`') k++;
            if (k == run) return j;
            j += k - 1;
        }
        return -1;
    }
}

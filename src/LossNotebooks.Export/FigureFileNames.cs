namespace LossNotebooks.Export;

/// <summary>
/// The names figure files get, the same from <c>lossnb run</c>, <c>lossnb export</c> and an exported notebook app: named
/// by what the figure shows, not by cell position (cells move): <c>05-convergence-digits</c>.
/// </summary>
public static class FigureFileNames
{
    /// <summary>
    /// The file stem of a figure: the notebook's number (the part before its first '-': "05", "05b"), then the
    /// figure's name (layout.meta.lossnbName, set through Figure.Name) or else its title slug, or "figure"; "-2", "-3"
    /// when the stem is already in <paramref name="used"/> (the stems of the notebook's earlier figures, in order).
    /// </summary>
    public static string Stem(string notebook, string json, IReadOnlySet<string> used)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(used);
        int dash = notebook.IndexOf('-');
        string prefix = dash > 0 ? notebook[..dash] : notebook;
        string name = MetaName(json) is { } n ? "-" + n : TitleSlug(json);
        string stem = prefix + (name.Length > 0 ? name : "-figure");
        if (!used.Contains(stem)) return stem;
        for (int k = 2; ; k++)
            if (!used.Contains($"{stem}-{k}")) return $"{stem}-{k}";
    }

    /// <summary>layout.meta.lossnbName when it is a safe file name (lower-case words joined by '-'), else null.</summary>
    private static string? MetaName(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("layout", out var layout) && layout.ValueKind == System.Text.Json.JsonValueKind.Object
                && layout.TryGetProperty("meta", out var meta) && meta.ValueKind == System.Text.Json.JsonValueKind.Object
                && meta.TryGetProperty("lossnbName", out var name) && name.ValueKind == System.Text.Json.JsonValueKind.String
                && System.Text.RegularExpressions.Regex.IsMatch(name.GetString()!, "^[a-z0-9]+(-[a-z0-9]+)*$"))
                return name.GetString();
        }
        catch (System.Text.Json.JsonException) { }
        return null;
    }

    /// <summary>"-" and the figure's title in lower-case ASCII words (at most 6), or "" when it has none.</summary>
    public static string TitleSlug(string json)
    {
        if (TitleText(json) is not { } text) return "";
        var words = System.Text.RegularExpressions.Regex.Matches(System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", " ").ToLowerInvariant(), "[a-z0-9]+")
            .Select(m => m.Value).Take(6).ToList();
        return words.Count == 0 ? "" : "-" + string.Join("-", words);
    }

    /// <summary>layout.title of Plotly figure JSON (a string or {text}) as written, HTML tags included; null when none.</summary>
    public static string? TitleText(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("layout", out var layout) || layout.ValueKind != System.Text.Json.JsonValueKind.Object
                || !layout.TryGetProperty("title", out var title)) return null;
            string? text = title.ValueKind == System.Text.Json.JsonValueKind.String ? title.GetString()
                : title.ValueKind == System.Text.Json.JsonValueKind.Object && title.TryGetProperty("text", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString() : null;
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
        catch (System.Text.Json.JsonException) { return null; }
    }
}

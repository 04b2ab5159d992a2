namespace LossNotebooks.Export;

/// <summary>
/// The names figure files get, the same from <c>lossnb run</c> and from an exported notebook app: cell and output index
/// make the name stable across runs and unique within a notebook; the figure's title (as a slug) says what it shows:
/// <c>cell18-0-multiclass-hinge-analytic-vs-numeric</c>.
/// </summary>
public static class FigureFileNames
{
    /// <summary>The file name without extension of output <paramref name="outputIndex"/> of cell <paramref name="cellIndex"/>.</summary>
    public static string Stem(int cellIndex, int outputIndex, string plotlyJson) => $"cell{cellIndex:D2}-{outputIndex}{TitleSlug(plotlyJson)}";

    /// <summary>"-" and the figure's title in lower-case ASCII words (at most 6), or "" when it has none.</summary>
    public static string TitleSlug(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("layout", out var layout) || !layout.TryGetProperty("title", out var title)) return "";
            string? text = title.ValueKind == System.Text.Json.JsonValueKind.String ? title.GetString()
                : title.ValueKind == System.Text.Json.JsonValueKind.Object && title.TryGetProperty("text", out var t) ? t.GetString() : null;
            if (string.IsNullOrWhiteSpace(text)) return "";
            var words = System.Text.RegularExpressions.Regex.Matches(System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", " ").ToLowerInvariant(), "[a-z0-9]+")
                .Select(m => m.Value).Take(6).ToList();
            return words.Count == 0 ? "" : "-" + string.Join("-", words);
        }
        catch (System.Text.Json.JsonException) { return ""; }
    }
}

using System.Net;
using System.Text;

namespace LossNotebooks.Differentiation;

/// <summary>One table, two renderings: fixed-width text (ToString) and an HTML fragment (notebook display).</summary>
internal static class TextTable
{
    /// <summary>Columns padded to their widest cell; numbers (cells starting with a digit, sign or ∞) right-aligned.</summary>
    public static string Text(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows)
    {
        var width = new int[headers.Count];
        for (int j = 0; j < headers.Count; j++) width[j] = headers[j].Length;
        foreach (var row in rows)
            for (int j = 0; j < headers.Count; j++) width[j] = Math.Max(width[j], row[j].Length);
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (int j = 0; j < headers.Count; j++)
            {
                if (j > 0) sb.Append("  ");
                string c = cells[j];
                sb.Append(IsNumber(c) ? c.PadLeft(width[j]) : c.PadRight(width[j]));
            }
            sb.Append('\n');
        }
        Line(headers);
        for (int j = 0; j < headers.Count; j++) { if (j > 0) sb.Append("  "); sb.Append('-', width[j]); }
        sb.Append('\n');
        foreach (var row in rows) Line(row);
        return sb.ToString();
    }

    public static string Html(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows, string? caption = null, Func<int, string?>? rowClass = null)
    {
        var sb = new StringBuilder("<table class=\"lossnb-table\">");
        if (caption is not null) sb.Append("<caption>").Append(WebUtility.HtmlEncode(caption)).Append("</caption>");
        sb.Append("<thead><tr>");
        foreach (var h in headers) sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        for (int i = 0; i < rows.Count; i++)
        {
            string? style = rowClass?.Invoke(i);
            sb.Append(style is null ? "<tr>" : $"<tr style=\"{style}\">");
            foreach (var c in rows[i])
                sb.Append(IsNumber(c) ? "<td style=\"text-align:right;font-family:monospace\">" : "<td>")
                  .Append(WebUtility.HtmlEncode(c)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    private static bool IsNumber(string c) =>
        c is "∞" or "NaN" || double.TryParse(c, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>Formats with the invariant culture: reports read the same under any kernel culture.</summary>
    public static string Inv(FormattableString s) => FormattableString.Invariant(s);

    public static string Num(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "∞" : v.ToString("0.###E+00", System.Globalization.CultureInfo.InvariantCulture);
    public static string Full(double v) => (v == 0 ? 0.0 : v).ToString("0.000000000E+00", System.Globalization.CultureInfo.InvariantCulture);
}

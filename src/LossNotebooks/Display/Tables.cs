using System.Globalization;
using System.Text;

namespace LossNotebooks.Display;

/// <summary>
/// The plain-text table every notebook prints its comparisons with. In a notebook:
/// <c>using static LossNotebooks.Display.Tables;</c> then <c>Table(["x", "f(x)"], rows)</c>.
/// Doubles are written with 4 significant digits in the invariant culture (the same under any kernel culture),
/// every column is right-aligned to its widest cell.
/// </summary>
public static class Tables
{
    /// <summary>Formats one cell: a double with "G4" (invariant), anything else with ToString(), null as "".</summary>
    public static string Cell(object? value) => value switch
    {
        double d => (d == 0 ? 0.0 : d).ToString("G4", CultureInfo.InvariantCulture),   // -0 prints as 0
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    /// <summary>
    /// A header line, a dashed rule and one line per row. With <paramref name="maxRows"/>, only the first that many
    /// rows are printed, followed by "(… N more rows)".
    /// </summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<object?[]> rows, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        if (header.Count == 0) throw new ArgumentException("A table needs at least one column.", nameof(header));
        if (maxRows is < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "maxRows must be at least 1.");
        var all = rows.ToList();
        var shown = maxRows is { } m && all.Count > m ? all.Take(m).ToList() : all;
        var cells = new List<string[]>(shown.Count);
        foreach (var r in shown)
        {
            if (r is null || r.Length != header.Count)
                throw new ArgumentException($"Every row must have {header.Count} cells (one per header); got {r?.Length ?? 0}.", nameof(rows));
            cells.Add(r.Select(Cell).ToArray());
        }
        var width = header.Select((h, c) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => r[c].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> r)
        {
            for (int c = 0; c < r.Count; c++) { if (c > 0) sb.Append("  "); sb.Append(r[c].PadLeft(width[c])); }
        }
        Line(header);
        sb.Append('\n').Append(string.Join("  ", width.Select(w => new string('-', w))));
        foreach (var r in cells) { sb.Append('\n'); Line(r); }
        if (shown.Count < all.Count) sb.Append('\n').Append(CultureInfo.InvariantCulture, $"(… {all.Count - shown.Count} more rows)");
        return sb.ToString();
    }
}

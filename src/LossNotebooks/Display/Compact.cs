using System.Globalization;
using System.Net;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Display;

/// <summary>
/// A MathNet matrix or vector shown as a bounded table: at most <see cref="CompactMatrix.MaxRows"/> rows and
/// <see cref="CompactMatrix.MaxColumns"/> columns (the rest elided with …), entries to a few significant digits — never
/// the kernel's default object tree (Storage, Data, 17-digit numbers). <c>Compact.Of(Z)</c> in a cell's last line.
/// </summary>
public static class Compact
{
    /// <summary>A matrix as a bounded table with <paramref name="digits"/> significant digits.</summary>
    public static CompactMatrix Of(Matrix<double> matrix, int digits = 4, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return new CompactMatrix(matrix.RowCount, matrix.ColumnCount, (i, j) => matrix[i, j], digits, name);
    }

    /// <summary>A vector as a one-row table.</summary>
    public static CompactMatrix Of(Vector<double> vector, int digits = 4, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return new CompactMatrix(1, vector.Count, (_, j) => vector[j], digits, name, isVector: true);
    }
}

/// <summary>The bounded display of <see cref="Compact.Of(Matrix{double}, int, string?)"/>.</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class CompactMatrix : IRichDisplay
{
    public const int MaxRows = 8;
    public const int MaxColumns = 8;
    private readonly Func<int, int, double> _at;
    private readonly int _digits;
    private readonly string? _name;
    private readonly bool _isVector;

    internal CompactMatrix(int rows, int columns, Func<int, int, double> at, int digits, string? name, bool isVector = false)
    {
        Validation.Guard.Positive(digits, nameof(digits));
        (Rows, Columns, _at, _digits, _name, _isVector) = (rows, columns, at, digits, name, isVector);
    }

    public int Rows { get; }
    public int Columns { get; }

    // The first half and the last rows/columns when there are too many; -1 marks the elision.
    private static int[] Shown(int count, int max) =>
        count <= max ? [.. Enumerable.Range(0, count)]
        : [.. Enumerable.Range(0, max - 2), -1, count - 1];

    private string Num(double v) => v.ToString("G" + _digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);

    private string Title => (_name is null ? "" : _name + ": ") + (_isVector ? $"vector, {Columns} entries" : $"{Rows}×{Columns} matrix");

    private string[][] Grid()
    {
        var rows = Shown(Rows, MaxRows);
        var cols = Shown(Columns, MaxColumns);
        return [.. rows.Select(i => cols.Select(j => i < 0 || j < 0 ? "…" : Num(_at(i, j))).ToArray())];
    }

    public override string ToString()
    {
        var grid = Grid();
        int width = grid.SelectMany(r => r).Max(s => s.Length);
        var sb = new StringBuilder(Title);
        foreach (var row in grid) sb.Append('\n').Append(string.Join("  ", row.Select(s => s.PadLeft(width))));
        return sb.ToString();
    }

    public string ToHtml()
    {
        var sb = new StringBuilder($"<div><div style=\"color:#57606a\">{WebUtility.HtmlEncode(Title)}</div><table>");
        foreach (var row in Grid())
            sb.Append("<tr>").Append(string.Concat(row.Select(s => $"<td style=\"text-align:right;font-family:monospace\">{WebUtility.HtmlEncode(s)}</td>"))).Append("</tr>");
        return sb.Append("</table></div>").ToString();
    }
}

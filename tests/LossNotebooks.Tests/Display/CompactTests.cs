using LossNotebooks.Display;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Display;

public class CompactTests
{
    [Fact]
    public void A_small_matrix_shows_every_entry_to_four_significant_digits()
    {
        var m = Matrix<double>.Build.DenseOfRowMajor(2, 3, [1.0 / 3, -2, 1e-7, 0, 123456.789, Math.PI]);
        string text = Compact.Of(m, name: "Z").ToString();
        Assert.Equal("Z: 2×3 matrix\n0.3333      -2   1e-07\n     0  1.235e+05  3.142".Split('\n')[0], text.Split('\n')[0]);
        Assert.Contains("0.3333", text);
        Assert.Contains("1.235e+05", text);
        Assert.DoesNotContain("0.33333", text);
        Assert.DoesNotContain("Storage", Compact.Of(m).ToHtml());
    }

    [Fact]
    public void A_large_matrix_is_bounded_with_an_elision_and_its_last_row_and_column()
    {
        var m = Matrix<double>.Build.Dense(100, 50, (i, j) => i * 1000 + j);
        var lines = Compact.Of(m).ToString().Split('\n');
        Assert.Equal(1 + CompactMatrix.MaxRows, lines.Length);
        Assert.Contains("…", lines[^2]);
        Assert.EndsWith("9.905e+04", lines[^1].TrimEnd());            // entry (99, 49) = 99 049
        Assert.Contains("vector, 3 entries", Compact.Of(Vector<double>.Build.Dense(3)).ToString());
    }
}

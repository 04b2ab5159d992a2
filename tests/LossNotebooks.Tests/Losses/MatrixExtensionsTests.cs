using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Losses;

public class MatrixExtensionsTests
{
    [Theory]
    [MemberData(nameof(LossCases.All), MemberType = typeof(LossCases))]
    public void MathNet_overloads_give_the_span_results(LossKind kind)
    {
        var (loss, z) = LossCases.Create(kind, new Random(61 + (int)kind));
        int n = loss.Rows, c = loss.Classes;
        var matrix = Matrix<double>.Build.Dense(n, c, (i, j) => z[i * c + j]);
        var vector = Vector<double>.Build.DenseOfArray(z);
        var g = new double[z.Length]; var d = new double[z.Length]; var b = new double[c * c];
        double v = loss.Gradient(z, g);
        loss.DiagonalHessian(z, d);
        loss.RowHessian(z, n - 1, b);
        Assert.Equal(v, loss.Value(matrix));
        Assert.Equal(v, loss.Value(vector));
        var gm = loss.Gradient(matrix, out double v2);
        Assert.Equal(v, v2);
        Assert.Equal(g, gm.ToRowMajorArray());
        Assert.Equal(g, loss.Gradient(vector).ToRowMajorArray());
        Assert.Equal((n, c), (gm.RowCount, gm.ColumnCount));
        Assert.Equal(d, loss.DiagonalHessian(matrix).ToRowMajorArray());
        Assert.Equal(d, loss.DiagonalHessian(vector).ToRowMajorArray());
        Assert.Equal(b, loss.RowHessian(matrix, n - 1).ToRowMajorArray());
        Assert.Equal(b, loss.RowHessian(vector, n - 1).ToRowMajorArray());
        Assert.Equal(z, LossMatrixExtensions.FromRowMajor(n, c, z).ToRowMajorArray());
    }
}

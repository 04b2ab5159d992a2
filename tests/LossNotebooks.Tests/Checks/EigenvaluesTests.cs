using LossNotebooks.Checks;

namespace LossNotebooks.Tests.Checks;

public class EigenvaluesTests
{
    [Fact]
    public void Known_symmetric_matrix_gives_its_eigenvalues_ascending()
    {
        // [[2, 1, 0], [1, 2, 0], [0, 0, -1]]: the 2×2 block has eigenvalues 1 and 3 (vectors (1, −1), (1, 1)); −1 alone.
        double[] m = [2, 1, 0, 1, 2, 0, 0, 0, -1];
        var e = Eigenvalues.OfSymmetric(m, 3);
        Assert.Equal(3, e.Length);
        Assert.Equal(-1, e[0], 12);
        Assert.Equal(1, e[1], 12);
        Assert.Equal(3, e[2], 12);
    }

    [Fact]
    public void Triangles_are_averaged()
    {
        // [[2, 1], [3, 2]] is read as [[2, 2], [2, 2]]: eigenvalues 0 and 4 (one triangle alone would give 1, 3 or −1, 5).
        var e = Eigenvalues.OfSymmetric([2, 1, 3, 2], 2);
        Assert.Equal(0, e[0], 12);
        Assert.Equal(4, e[1], 12);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("rowMajor", Assert.Throws<ArgumentException>(() => Eigenvalues.OfSymmetric(new double[5], 2)).ParamName);
        Assert.Equal("rowMajor", Assert.Throws<ArgumentException>(() => Eigenvalues.OfSymmetric([1, double.NaN, 0, 1], 2)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Eigenvalues.OfSymmetric([1.0], 0));
    }
}

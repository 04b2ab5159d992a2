using MathNet.Numerics.LinearAlgebra;
using LossNotebooks.Validation;

namespace LossNotebooks.Checks;

/// <summary>
/// Eigenvalues of a small symmetric matrix (a row Hessian block), for the notebooks' convexity checks. Returns plain
/// doubles so a notebook never touches MathNet's types itself: MathNet.Numerics is built against an older
/// System.Runtime.Numerics, and a notebook cell that uses its Complex-valued results directly makes the kernel's
/// compiler print warning CS1701 (a harmless assembly-version unification, but noise in the middle of a lesson).
/// </summary>
public static class Eigenvalues
{
    /// <summary>
    /// The eigenvalues of the symmetric n×n matrix <paramref name="rowMajor"/>, ascending. The two triangles are
    /// averaged first (a Hessian is symmetric in exact arithmetic; a computed one may differ in the last bits).
    /// </summary>
    public static double[] OfSymmetric(ReadOnlySpan<double> rowMajor, int n)
    {
        Guard.Positive(n);
        Guard.Length(rowMajor.Length, n * n, "n×n, row-major", nameof(rowMajor));
        Guard.AllFinite(rowMajor, nameof(rowMajor));
        var m = Matrix<double>.Build.Dense(n, n);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                m[a, b] = 0.5 * (rowMajor[a * n + b] + rowMajor[b * n + a]);
        var values = m.Evd(Symmetricity.Symmetric).EigenValues.Select(v => v.Real).ToArray();
        Array.Sort(values);
        return values;
    }
}

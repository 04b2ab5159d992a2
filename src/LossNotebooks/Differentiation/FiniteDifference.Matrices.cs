using LossNotebooks.Validation;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Differentiation;

/// <summary>Sparse (sampled) gradients, Jacobians and the MathNet layer for notebooks.</summary>
public static partial class FiniteDifference
{
    /// <summary>∂f/∂x_k for the listed entries only (the sparse check): values[i] = ∂f/∂x_(indices[i]).</summary>
    public static void GradientAt(ScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> values,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(values.Length, indices.Length, "one value per index", nameof(values));
        Guard.AllFinite(x);
        var s = step ?? StepSize.Theory;
        var work = x.ToArray();
        double f0 = rule is DifferenceRule.Forward or DifferenceRule.Backward ? f(work) : double.NaN;
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i];
            if ((uint)k >= (uint)x.Length)
                throw new ArgumentOutOfRangeException(nameof(indices), k, $"indices[{i}] = {k} is not an index of x (length {x.Length}).");
            values[i] = PartialDerivative(f, work, k, rule, s.At(x[k], rule), f0);
        }
    }

    /// <summary>∂f/∂W at <paramref name="k"/> entries sampled with <paramref name="seed"/>: (row, column, value), sorted.</summary>
    public static IReadOnlyList<(int Row, int Column, double Value)> GradientSample(Func<Matrix<double>, double> f, Matrix<double> w,
        int k, int seed, DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(w);
        var flat = w.ToRowMajorArray();
        var indices = SampleIndices(flat.Length, k, seed);
        var values = new double[k];
        GradientAt(MatrixFunction(f, w.RowCount, w.ColumnCount), flat, indices, values, rule, step);
        var result = new (int, int, double)[k];
        for (int i = 0; i < k; i++) result[i] = (indices[i] / w.ColumnCount, indices[i] % w.ColumnCount, values[i]);
        return result;
    }

    /// <summary>The Jacobian of f: ℝᵐ → ℝᵖ as a p×m matrix.</summary>
    public static Matrix<double> Jacobian(Func<Vector<double>, Vector<double>> f, Vector<double> x,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        int outputs = f(x).Count;
        var v = Vector<double>.Build.Dense(x.Count);
        void F(ReadOnlySpan<double> at, Span<double> result)
        {
            at.CopyTo(v.AsArray() ?? throw new InvalidOperationException("dense vector expected"));
            var y = f(v);
            if (y.Count != outputs) throw new ArgumentException($"f returned {y.Count} outputs, earlier {outputs}.", nameof(f));
            for (int i = 0; i < outputs; i++) result[i] = y[i];
        }
        var j = new double[outputs * x.Count];
        Jacobian(F, x.ToArray(), outputs, j, rule, step);
        return Matrix<double>.Build.Dense(outputs, x.Count, (r, c) => j[r * x.Count + c]);
    }

    /// <summary>The full Hessian of a scalar function of a vector, as an m×m matrix.</summary>
    public static Matrix<double> Hessian(Func<Vector<double>, double> f, Vector<double> x, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        int m = x.Count;
        var v = Vector<double>.Build.Dense(m);
        var h = new double[m * m];
        Hessian(at => { at.CopyTo(v.AsArray()!); return f(v); }, x.ToArray(), h, step);
        return Matrix<double>.Build.Dense(m, m, (r, c) => h[r * m + c]);
    }

    private static ScalarFunction MatrixFunction(Func<Matrix<double>, double> f, int rows, int columns)
    {
        var m = Matrix<double>.Build.Dense(rows, columns);
        return x =>
        {
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++)
                    m[i, j] = x[i * columns + j];
            return f(m);
        };
    }
}

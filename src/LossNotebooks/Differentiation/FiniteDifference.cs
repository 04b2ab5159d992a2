using LossNotebooks.Validation;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Differentiation;

/// <summary>
/// The difference rules themselves, one line each, apart from step choice (<see cref="StepSize"/>) and
/// extrapolation (<see cref="Richardson"/>), in the layering numdifftools uses.
/// Every public method checks its input (finite x, h &gt; 0, x ± h ≠ x, lengths) and that f returned finite values,
/// so a bad evaluation is an exception naming the parameter, never a silent NaN.
/// </summary>
public static partial class FiniteDifference
{
    /// <summary>p in error O(h^p): 1 forward/backward, 2 central, 4 five-point.</summary>
    public static int Order(DifferenceRule rule) => rule switch
    {
        DifferenceRule.Forward or DifferenceRule.Backward => 1,
        DifferenceRule.Central => 2,
        DifferenceRule.FivePointCentral => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule."),
    };

    /// <summary>How far the stencil reaches from x in units of h (2 for five-point): a kink closer than reach·h is crossed.</summary>
    public static int Reach(DifferenceRule rule) => rule == DifferenceRule.FivePointCentral ? 2 : 1;

    /// <summary>f'(x) by <paramref name="rule"/> with step <paramref name="h"/>.</summary>
    public static double Derivative(Func<double, double> f, double x, DifferenceRule rule, double h)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        StepSize.Checked(x, h);
        return Evaluated(Apply(f, x, rule, h), nameof(f), x, h);
    }

    /// <summary>f'(x) by <paramref name="rule"/> with the step <paramref name="step"/> chooses at x (default: theory).</summary>
    public static double Derivative(Func<double, double> f, double x, DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        return Derivative(f, x, rule, (step ?? StepSize.Theory).At(x, rule));
    }

    /// <summary>f''(x) by the central second difference (f(x+h) − 2f(x) + f(x−h)) / h², error O(h²).</summary>
    public static double SecondDerivative(Func<double, double> f, double x, double h)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        StepSize.Checked(x, h);
        return Evaluated(ApplySecond(f, x, h), nameof(f), x, h);
    }

    /// <summary>The rule without checks (sweeps evaluate it far outside the safe range on purpose).</summary>
    internal static double Apply(Func<double, double> f, double x, DifferenceRule rule, double h) => rule switch
    {
        DifferenceRule.Forward => (f(x + h) - f(x)) / h,
        DifferenceRule.Backward => (f(x) - f(x - h)) / h,
        DifferenceRule.Central => (f(x + h) - f(x - h)) / (2 * h),
        DifferenceRule.FivePointCentral => (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule."),
    };

    internal static double ApplySecond(Func<double, double> f, double x, double h) => (f(x + h) - 2 * f(x) + f(x - h)) / (h * h);

    /// <summary>
    /// ∂f/∂x_k for every k, perturbing one entry at a time (x is copied once; the caller's span is never touched).
    /// Step: <paramref name="step"/> at each x_k (default: theory-based for the rule).
    /// </summary>
    public static void Gradient(ScalarFunction f, ReadOnlySpan<double> x, Span<double> gradient,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(gradient.Length, x.Length, "one entry per entry of x", nameof(gradient));
        Guard.AllFinite(x);
        var s = step ?? StepSize.Theory;
        var work = x.ToArray();
        double f0 = rule is DifferenceRule.Forward or DifferenceRule.Backward ? f(work) : double.NaN;
        for (int k = 0; k < work.Length; k++)
            gradient[k] = PartialDerivative(f, work, k, rule, s.At(x[k], rule), f0);
    }

    /// <summary>
    /// The numeric gradient of a scalar function of a matrix, every entry (the matrix is passed to f as is; the same
    /// instance is perturbed one entry at a time and restored).
    /// </summary>
    public static Matrix<double> Gradient(Func<Matrix<double>, double> f, Matrix<double> x,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        var work = x.Clone();
        var flat = RowMajor(work);
        Guard.AllFinite(flat, nameof(x));
        var gradient = new double[flat.Length];
        int c = work.ColumnCount;
        Gradient(v => { for (int k = 0; k < v.Length; k++) work[k / c, k % c] = v[k]; return f(work); }, flat, gradient, rule, step);
        return Matrix<double>.Build.Dense(work.RowCount, c, (i, j) => gradient[i * c + j]);
    }

    /// <summary>
    /// cs231n's sparse check: ∂f/∂x_k at <paramref name="count"/> distinct entries drawn with <see cref="Random"/>(seed).
    /// Returns the sampled indices (ascending) and their partial derivatives.
    /// </summary>
    public static (int[] Indices, double[] Values) SampledGradient(ScalarFunction f, ReadOnlySpan<double> x, int count, int seed,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.AllFinite(x);
        var indices = SampleIndices(x.Length, count, seed);
        var s = step ?? StepSize.Theory;
        var work = x.ToArray();
        var values = new double[indices.Length];
        for (int t = 0; t < indices.Length; t++)
            values[t] = PartialDerivative(f, work, indices[t], rule, s.At(x[indices[t]], rule));
        return (indices, values);
    }

    /// <summary><paramref name="count"/> distinct indices in [0, length), ascending, from a seeded partial Fisher–Yates shuffle.</summary>
    public static int[] SampleIndices(int length, int count, int seed)
    {
        if (length <= 0) throw new ArgumentException($"cannot sample from an empty x (length {length}).", nameof(length));
        if (count < 1 || count > length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [1, {length}] (the number of entries).");
        var all = new int[length];
        for (int i = 0; i < length; i++) all[i] = i;
        var r = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int j = r.Next(i, length);
            (all[i], all[j]) = (all[j], all[i]);
        }
        var picked = all.AsSpan(0, count).ToArray();
        Array.Sort(picked);
        return picked;
    }

    /// <summary>
    /// One partial derivative ∂f/∂x_k with step h; <paramref name="work"/> is perturbed and restored.
    /// <paramref name="f0"/> = f(work) is needed for the one-sided rules only.
    /// </summary>
    public static double PartialDerivative(ScalarFunction f, double[] work, int k, DifferenceRule rule, double h, double f0 = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(work);
        if ((uint)k >= (uint)work.Length) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must index x (length {work.Length}).");
        double xk = work[k];
        Guard.Finite(xk, nameof(work));
        StepSize.Checked(xk, h);
        double At(double offset) { work[k] = xk + offset; double v = f(work); work[k] = xk; return v; }
        if (rule is DifferenceRule.Forward or DifferenceRule.Backward && double.IsNaN(f0)) f0 = f(work);
        double d = rule switch
        {
            DifferenceRule.Forward => (At(h) - f0) / h,
            DifferenceRule.Backward => (f0 - At(-h)) / h,
            DifferenceRule.Central => (At(h) - At(-h)) / (2 * h),
            DifferenceRule.FivePointCentral => (-At(2 * h) + 8 * At(h) - 8 * At(-h) + At(-2 * h)) / (12 * h),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule."),
        };
        return Evaluated(d, nameof(f), xk, h, k);
    }

    /// <summary>
    /// The numeric Jacobian J[i, k] = ∂f_i/∂x_k (outputs × m, row-major) of a vector function with
    /// <paramref name="outputs"/> outputs, one column per perturbed entry.
    /// </summary>
    public static void Jacobian(VectorFunction f, ReadOnlySpan<double> x, int outputs, Span<double> jacobian,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Positive(outputs);
        int m = x.Length;
        Guard.Length(jacobian.Length, outputs * m, "outputs × m, row-major", nameof(jacobian));
        Guard.AllFinite(x);
        var s = step ?? StepSize.Theory;
        var work = x.ToArray();
        var f0 = new double[outputs];
        var a = new double[outputs];
        var b = new double[outputs];
        var c = new double[outputs];
        var d = new double[outputs];
        if (rule is DifferenceRule.Forward or DifferenceRule.Backward) f(work, f0);
        for (int k = 0; k < m; k++)
        {
            double xk = work[k], h = s.At(xk, rule);
            StepSize.Checked(xk, h);
            void At(double offset, double[] into) { work[k] = xk + offset; f(work, into); work[k] = xk; }
            switch (rule)
            {
                case DifferenceRule.Forward: At(h, a); for (int i = 0; i < outputs; i++) jacobian[i * m + k] = (a[i] - f0[i]) / h; break;
                case DifferenceRule.Backward: At(-h, a); for (int i = 0; i < outputs; i++) jacobian[i * m + k] = (f0[i] - a[i]) / h; break;
                case DifferenceRule.Central:
                    At(h, a); At(-h, b);
                    for (int i = 0; i < outputs; i++) jacobian[i * m + k] = (a[i] - b[i]) / (2 * h);
                    break;
                case DifferenceRule.FivePointCentral:
                    At(2 * h, a); At(h, b); At(-h, c); At(-2 * h, d);
                    for (int i = 0; i < outputs; i++) jacobian[i * m + k] = (-a[i] + 8 * b[i] - 8 * c[i] + d[i]) / (12 * h);
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule.");
            }
            for (int i = 0; i < outputs; i++) Evaluated(jacobian[i * m + k], nameof(f), xk, h, k);
        }
    }

    /// <summary>∂²f/∂x_k² for every k by the central second difference.</summary>
    public static void HessianDiagonal(ScalarFunction f, ReadOnlySpan<double> x, Span<double> diagonal, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(diagonal.Length, x.Length, "one entry per entry of x", nameof(diagonal));
        Guard.AllFinite(x);
        var s = step ?? StepSize.Theory;
        var work = x.ToArray();
        double f0 = f(work);
        for (int k = 0; k < work.Length; k++)
        {
            double h = s.ForSecondDerivativeAt(x[k]), xk = work[k];
            work[k] = xk + h; double fp = f(work);
            work[k] = xk - h; double fm = f(work);
            work[k] = xk;
            diagonal[k] = Evaluated((fp - 2 * f0 + fm) / (h * h), nameof(f), xk, h, k);
        }
    }

    /// <summary>
    /// The full m×m Hessian (row-major) by the four-point central cross difference
    /// (f(+h_i,+h_j) − f(+h_i,−h_j) − f(−h_i,+h_j) + f(−h_i,−h_j)) / 4h_ih_j, diagonal by the second difference.
    /// Symmetric by construction. Both have O(h²) truncation and ε|f|/h² rounding, so both use the ε^(1/4) step.
    /// </summary>
    public static void Hessian(ScalarFunction f, ReadOnlySpan<double> x, Span<double> hessian, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        int m = x.Length;
        Guard.Length(hessian.Length, m * m, "m×m for x of length m", nameof(hessian));
        var diagonal = new double[m];
        HessianDiagonal(f, x, diagonal, step);
        for (int i = 0; i < m; i++) hessian[i * m + i] = diagonal[i];
        var s = step ?? StepSize.Theory;
        var work = x.ToArray();
        for (int i = 0; i < m; i++)
        {
            double hi = s.ForSecondDerivativeAt(x[i]), xi = work[i];
            for (int j = i + 1; j < m; j++)
            {
                double hj = s.ForSecondDerivativeAt(x[j]), xj = work[j];
                double F(double di, double dj) { work[i] = xi + di; work[j] = xj + dj; double v = f(work); work[i] = xi; work[j] = xj; return v; }
                double v = Evaluated((F(hi, hj) - F(hi, -hj) - F(-hi, hj) + F(-hi, -hj)) / (4 * hi * hj), nameof(f), xi, hi, i);
                hessian[i * m + j] = v;
                hessian[j * m + i] = v;
            }
        }
    }

    /// <summary>A non-finite difference means f returned NaN/±∞ near x: name f and the point rather than pass it on.</summary>
    internal static double Evaluated(double d, string name, double x, double h, int k = -1)
    {
        if (double.IsFinite(d)) return d;
        string at = k >= 0 ? $"entry {k} (x = {x})" : $"x = {x}";
        throw new ArgumentException($"{name} returned a non-finite value near {at} with step h = {h}: the difference is {d}.", name);
    }

    internal static double[] RowMajor(Matrix<double> m)
    {
        var a = new double[m.RowCount * m.ColumnCount];
        for (int i = 0; i < m.RowCount; i++)
            for (int j = 0; j < m.ColumnCount; j++)
                a[i * m.ColumnCount + j] = m[i, j];
        return a;
    }
}

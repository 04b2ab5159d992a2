using LossNotebooks.Validation;

namespace LossNotebooks.Differentiation;

/// <summary>
/// The difference rules themselves, one line each, apart from step choice (<see cref="StepSize"/>) and
/// extrapolation, in the layering numdifftools uses.
/// </summary>
public static class FiniteDifference
{
    /// <summary>f'(x) by <paramref name="rule"/> with step <paramref name="h"/>.</summary>
    public static double Derivative(Func<double, double> f, double x, DifferenceRule rule, double h)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        Guard.Positive(h);
        return rule switch
        {
            DifferenceRule.Forward => (f(x + h) - f(x)) / h,
            DifferenceRule.Backward => (f(x) - f(x - h)) / h,
            DifferenceRule.Central => (f(x + h) - f(x - h)) / (2 * h),
            DifferenceRule.FivePointCentral => (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule."),
        };
    }

    /// <summary>f''(x) by the central second difference (f(x+h) − 2f(x) + f(x−h)) / h², error O(h²).</summary>
    public static double SecondDerivative(Func<double, double> f, double x, double h)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        Guard.Positive(h);
        return (f(x + h) - 2 * f(x) + f(x - h)) / (h * h);
    }

    /// <summary>
    /// ∂f/∂x_k for every k, perturbing one entry at a time (x is copied once; the caller's span is never touched).
    /// Step: <paramref name="step"/> at each x_k (default: theory-based for the rule).
    /// </summary>
    public static void Gradient(ScalarFunction f, ReadOnlySpan<double> x, Span<double> gradient,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(gradient.Length, x.Length, "one entry per entry of x");
        Guard.AllFinite(x);
        var s = step ?? StepSize.Theory;
        var work = x.ToArray();
        double f0 = rule is DifferenceRule.Forward or DifferenceRule.Backward ? f(work) : double.NaN;
        for (int k = 0; k < work.Length; k++)
            gradient[k] = PartialDerivative(f, work, k, rule, s.At(x[k], rule), f0);
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
        Guard.Positive(h);
        double xk = work[k];
        double At(double offset) { work[k] = xk + offset; double v = f(work); work[k] = xk; return v; }
        if (rule is DifferenceRule.Forward or DifferenceRule.Backward && double.IsNaN(f0)) f0 = f(work);
        return rule switch
        {
            DifferenceRule.Forward => (At(h) - f0) / h,
            DifferenceRule.Backward => (f0 - At(-h)) / h,
            DifferenceRule.Central => (At(h) - At(-h)) / (2 * h),
            DifferenceRule.FivePointCentral => (-At(2 * h) + 8 * At(h) - 8 * At(-h) + At(-2 * h)) / (12 * h),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule."),
        };
    }

    /// <summary>∂²f/∂x_k² for every k by the central second difference.</summary>
    public static void HessianDiagonal(ScalarFunction f, ReadOnlySpan<double> x, Span<double> diagonal, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(diagonal.Length, x.Length, "one entry per entry of x");
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
            diagonal[k] = (fp - 2 * f0 + fm) / (h * h);
        }
    }

    /// <summary>
    /// The full m×m Hessian (row-major) by the four-point central cross difference
    /// (f(+h_i,+h_j) − f(+h_i,−h_j) − f(−h_i,+h_j) + f(−h_i,−h_j)) / 4h_ih_j, diagonal by the second difference.
    /// Symmetric by construction.
    /// </summary>
    public static void Hessian(ScalarFunction f, ReadOnlySpan<double> x, Span<double> hessian, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        int m = x.Length;
        Guard.Length(hessian.Length, m * m, "m×m for x of length m");
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
                double v = (F(hi, hj) - F(hi, -hj) - F(-hi, hj) + F(-hi, -hj)) / (4 * hi * hj);
                hessian[i * m + j] = v;
                hessian[j * m + i] = v;
            }
        }
    }
}

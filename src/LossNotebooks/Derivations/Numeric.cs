namespace LossNotebooks.Derivations;

/// <summary>
/// High-accuracy numeric derivatives for the reference side of a step: central differences with two Richardson
/// levels (steps h, h/2, h/4). The central first difference, the central second difference and the four-point
/// cross difference all have error expansions in even powers of h, so the (4, 16) combination removes the h² and
/// h⁴ terms and leaves O(h⁶): with h = 0.05 that is ~1e-8 times an eighth derivative, and rounding is about
/// ε·|f|·40/h² ≈ 1e-11·|f| for the second-order formulas. This is the truth the seeds' lines are compared with.
/// </summary>
public static class Numeric
{
    /// <summary>The default outer step; the logits the steps use are O(1), so an absolute step is right.</summary>
    public const double DefaultStep = 0.05;

    [ThreadStatic] private static int t_order;

    /// <summary>
    /// The highest derivative order computed on this thread since the last <see cref="ResetOrder"/>: how a step learns
    /// which numeric method its sides used, and so its default tolerance (<see cref="Tolerances.For"/>).
    /// </summary>
    public static int OrderUsed => t_order;

    /// <summary>Starts a new record of <see cref="OrderUsed"/>.</summary>
    public static void ResetOrder() => t_order = 0;

    // The order of the numeric derivatives being taken around the current call: a derivative taken inside another
    // one's function (∂/∂a of a numeric ∂/∂b) is a numeric second derivative, with a second derivative's error.
    [ThreadStatic] private static int t_depth;

    private static void Used(int order) => t_order = Math.Max(t_order, order);

    private static double Nested(int order, Func<double> derivative)
    {
        int outer = t_depth;
        t_depth = outer + order;
        Used(t_depth);
        try { return derivative(); }
        finally { t_depth = outer; }
    }

    private static double Richardson(Func<double, double> d, double h)
    {
        double d1 = d(h), d2 = d(h / 2), d3 = d(h / 4);
        double r1 = (4 * d2 - d1) / 3, r2 = (4 * d3 - d2) / 3;
        return (16 * r2 - r1) / 15;
    }

    /// <summary>f'(x).</summary>
    public static double Derivative(Func<double, double> f, double x, double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        Validation.Guard.Finite(x);
        Validation.Guard.Positive(h);
        return Nested(1, () => Richardson(s => (f(x + s) - f(x - s)) / (2 * s), h));
    }

    /// <summary>f''(x).</summary>
    public static double SecondDerivative(Func<double, double> f, double x, double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        Validation.Guard.Finite(x);
        Validation.Guard.Positive(h);
        return Nested(2, () =>
        {
            double f0 = f(x);
            return Richardson(s => (f(x + s) - 2 * f0 + f(x - s)) / (s * s), h);
        });
    }

    /// <summary>∂f/∂x_a of a function of a vector (x is copied; the caller's array is not touched).</summary>
    public static double Partial(Func<double[], double> f, ReadOnlySpan<double> x, int a, double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        var work = x.ToArray();
        double xa = work[a];
        return Derivative(t => { work[a] = t; double v = f(work); work[a] = xa; return v; }, xa, h);
    }

    /// <summary>∂²f/∂x_a∂x_b (a = b: the second derivative; a ≠ b: the cross difference).</summary>
    public static double SecondPartial(Func<double[], double> f, ReadOnlySpan<double> x, int a, int b, double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        Validation.Guard.Positive(h);
        var work = x.ToArray();
        double xa = work[a];
        if (a == b)
            return SecondDerivative(t => { work[a] = t; double v = f(work); work[a] = xa; return v; }, xa, h);
        double xb = work[b];
        double F(double da, double db) { work[a] = xa + da; work[b] = xb + db; double v = f(work); work[a] = xa; work[b] = xb; return v; }
        return Nested(2, () => Richardson(s => (F(s, s) - F(s, -s) - F(-s, s) + F(-s, -s)) / (4 * s * s), h));
    }
}

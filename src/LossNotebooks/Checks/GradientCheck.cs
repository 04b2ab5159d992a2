using System.Numerics;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using LossNotebooks.Validation;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Checks;

/// <summary>
/// Compares an analytic gradient with a numeric one, entry by entry (cs231n's gradient_check in one call):
/// n_k = (f(x + h e_k) − f(x − h e_k)) / 2h (or the chosen rule / complex step), then the <see cref="CheckReport"/>.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks <paramref name="analytic"/> = ∇f(x) for a scalar function of a vector (flattened matrix).</summary>
    public static CheckReport Run(ScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analytic, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var o = options ?? new CheckOptions();
        if (o.UseComplexStep)
            throw new ArgumentException("UseComplexStep needs a complex evaluation: pass a ComplexScalarFunction or an IComplexScoreLoss.", nameof(options));
        return RealCheck(f, x, analytic, o, o.KinkDetection == KinkDetection.PiecewiseLinear, null, "gradient");
    }

    /// <summary>Checks <paramref name="analytic"/> = ∇f(x) against the complex step Im f(x + ih e_k) / h.</summary>
    public static CheckReport Run(ComplexScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analytic, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        return ComplexCheck(f, x, analytic, options ?? new CheckOptions(), "gradient");
    }

    /// <summary>
    /// Checks a loss's ∂L/∂Z at <paramref name="scores"/> (n×c row-major). Kinks: an <see cref="IKinkedScoreLoss"/>'s
    /// kink distances are used directly, and a non-smooth loss also gets the piecewise-linear detector
    /// (<see cref="KinkDetection.Auto"/>). With <see cref="CheckOptions.UseComplexStep"/> the loss must be an
    /// <see cref="IComplexScoreLoss"/>.
    /// </summary>
    public static CheckReport Run(IScoreLoss loss, ReadOnlySpan<double> scores, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Guard.Length(scores.Length, loss.Rows * loss.Classes, "n×c scores of the loss", nameof(scores));
        Guard.AllFinite(scores);
        var o = options ?? new CheckOptions();
        if (o.Columns == 0) o = o with { Columns = loss.Classes };
        var analytic = new double[scores.Length];
        loss.Gradient(scores, analytic);
        string what = $"{loss.Name} gradient";
        if (o.UseComplexStep)
        {
            if (loss is not IComplexScoreLoss complexLoss)
                throw new ArgumentException($"{loss.Name} has no complex evaluation (not an IComplexScoreLoss); use a difference rule.", nameof(options));
            return ComplexCheck(complexLoss.Value, scores, analytic, o, what);
        }
        bool detect = o.KinkDetection == KinkDetection.PiecewiseLinear || (o.KinkDetection == KinkDetection.Auto && !loss.IsSmooth);
        return RealCheck(loss.Value, scores, analytic, o, detect, KinkPredicate(loss, scores), what);
    }

    /// <summary>Checks a loss's gradient at an n×c score matrix (notebook form).</summary>
    public static CheckReport Run(IScoreLoss loss, Matrix<double> scores, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return Run(loss, scores.ToRowMajorArray(), options);
    }

    /// <summary>Checks <paramref name="analytic"/> = ∂f/∂W for a scalar function of a matrix (notebook form).</summary>
    public static CheckReport Run(Func<Matrix<double>, double> f, Matrix<double> w, Matrix<double> analytic, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(analytic);
        if (analytic.RowCount != w.RowCount || analytic.ColumnCount != w.ColumnCount)
            throw new ArgumentException($"analytic is {analytic.RowCount}×{analytic.ColumnCount}, w is {w.RowCount}×{w.ColumnCount}.", nameof(analytic));
        var o = options ?? new CheckOptions();
        if (o.Columns == 0) o = o with { Columns = w.ColumnCount };
        var m = Matrix<double>.Build.Dense(w.RowCount, w.ColumnCount);
        int c = w.ColumnCount;
        double F(ReadOnlySpan<double> v) { for (int k = 0; k < v.Length; k++) m[k / c, k % c] = v[k]; return f(m); }
        return Run(F, w.ToRowMajorArray(), analytic.ToRowMajorArray(), o);
    }

    /// <summary>Kink distances of an <see cref="IKinkedScoreLoss"/> as a predicate: entry k's stencil reaches one.</summary>
    internal static Func<int, double, bool>? KinkPredicate(IScoreLoss loss, ReadOnlySpan<double> scores)
    {
        if (loss is not IKinkedScoreLoss kinked) return null;
        var distances = new double[scores.Length];
        kinked.KinkDistances(scores, distances);
        return (k, reach) => distances[k] <= reach;
    }

    private static CheckReport RealCheck(ScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analytic, CheckOptions o,
        bool detectKinks, Func<int, double, bool>? lossKinks, string quantity)
    {
        Guard.Length(analytic.Length, x.Length, "one analytic entry per entry of x", nameof(analytic));
        Guard.AllFinite(x);
        Guard.AllFinite(analytic);
        if (x.Length == 0) throw new ArgumentException("x is empty: nothing to check.", nameof(x));
        var work = x.ToArray();
        var a = analytic.ToArray();
        var rule = o.Rule;
        int reach = FiniteDifference.Reach(rule);
        double f0 = f(work);
        if (!double.IsFinite(f0)) throw new ArgumentException($"f(x) = {f0} is not finite.", nameof(f));
        var userKinks = o.IsKink;
        CheckEngine.Numeric Numeric(int k)
        {
            double xk = work[k], h = o.Step.At(xk, rule);
            StepSize.Checked(xk, reach * h);
            double At(double d) { work[k] = xk + d; double v = f(work); work[k] = xk; return v; }
            double p = rule == DifferenceRule.Backward && !detectKinks ? double.NaN : At(h);
            double m = rule == DifferenceRule.Forward && !detectKinks ? double.NaN : At(-h);
            double p2 = double.NaN, m2 = double.NaN;
            if (rule == DifferenceRule.FivePointCentral) { p2 = At(2 * h); m2 = At(-2 * h); }
            double value = rule switch
            {
                DifferenceRule.Forward => (p - f0) / h,
                DifferenceRule.Backward => (f0 - m) / h,
                DifferenceRule.Central => (p - m) / (2 * h),
                _ => (-p2 + 8 * p - 8 * m + m2) / (12 * h),
            };
            bool kink = detectKinks && (CheckEngine.Bent(p, f0, m) || (reach == 2 && CheckEngine.Bent(p2, f0, m2)));
            kink |= lossKinks?.Invoke(k, reach * h) ?? false;
            return new CheckEngine.Numeric(value, h, kink);
        }
        string method = $"{CheckEngine.RuleName(rule)}, {o.Step.Describe(rule)}" + (detectKinks ? ", piecewise-linear kink test" : "");
        return CheckEngine.Run(quantity, method, o.Tolerance ?? CheckTolerance.For(rule), x.Length, o.Columns, o with { IsKink = userKinks },
            i => a[i], Numeric);
    }

    private static CheckReport ComplexCheck(ComplexScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analytic, CheckOptions o, string quantity)
    {
        Guard.Length(analytic.Length, x.Length, "one analytic entry per entry of x", nameof(analytic));
        Guard.AllFinite(x);
        Guard.AllFinite(analytic);
        if (x.Length == 0) throw new ArgumentException("x is empty: nothing to check.", nameof(x));
        var work = new Complex[x.Length];
        for (int k = 0; k < x.Length; k++) work[k] = x[k];
        var a = analytic.ToArray();
        const double h = ComplexStep.DefaultStep;
        return CheckEngine.Run(quantity, "complex step, h = 1e-20", o.Tolerance ?? CheckTolerance.ComplexStep, x.Length, o.Columns, o,
            i => a[i], k => new CheckEngine.Numeric(ComplexStep.Partial(f, work, k, h), h, false));
    }
}

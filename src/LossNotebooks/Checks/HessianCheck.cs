using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using LossNotebooks.Validation;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Checks;

/// <summary>
/// Compares an analytic Hessian (diagonal, full, or a loss's per-row block) with a numeric one. Given the gradient,
/// the numeric Hessian is the Jacobian of the gradient by the chosen rule (central: error ~1e-10, h = ε^(1/3)) —
/// the sharper check, and the natural one once the gradient has passed its own. Without it, second differences of
/// the value (h = ε^(1/4), error ~1e-8·|f|; looser default tolerance, see <see cref="CheckTolerance"/>).
/// Piecewise-linear kink test: the gradient (or value) must be linear across [x − h, x + h].
/// </summary>
public static class HessianCheck
{
    /// <summary>Checks ∂²f/∂x_k² = <paramref name="analyticDiagonal"/>[k].</summary>
    public static CheckReport Diagonal(ScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analyticDiagonal,
        VectorFunction? gradient = null, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var o = Prepare(options);
        Guard.Length(analyticDiagonal.Length, x.Length, "one diagonal entry per entry of x", nameof(analyticDiagonal));
        Guard.AllFinite(x);
        Guard.AllFinite(analyticDiagonal);
        var a = analyticDiagonal.ToArray();
        var numeric = new Numeric(f, gradient, x.ToArray(), o, o.KinkDetection == KinkDetection.PiecewiseLinear);
        return CheckEngine.Run("Hessian diagonal", numeric.Method, numeric.Tolerance, x.Length, o.Columns, o, i => a[i], i => numeric.Entry(i, i));
    }

    /// <summary>Checks the full m×m Hessian (row-major) of f.</summary>
    public static CheckReport Full(ScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<double> analyticHessian,
        VectorFunction? gradient = null, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var o = Prepare(options);
        int m = x.Length;
        Guard.Length(analyticHessian.Length, m * m, "m×m for x of length m", nameof(analyticHessian));
        Guard.AllFinite(x);
        Guard.AllFinite(analyticHessian);
        if (o.Columns == 0) o = o with { Columns = m };
        var a = analyticHessian.ToArray();
        var numeric = new Numeric(f, gradient, x.ToArray(), o, o.KinkDetection == KinkDetection.PiecewiseLinear);
        return CheckEngine.Run("Hessian", numeric.Method, numeric.Tolerance, m * m, o.Columns, o, i => a[i], i => numeric.Entry(i / m, i % m));
    }

    /// <summary>Checks a loss's diagonal Hessian ∂²L/∂Z[i,j]² by differencing its analytic gradient.</summary>
    public static CheckReport Diagonal(IScoreLoss loss, ReadOnlySpan<double> scores, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Guard.Length(scores.Length, loss.Rows * loss.Classes, "n×c scores of the loss", nameof(scores));
        Guard.AllFinite(scores);
        var o = Prepare(options);
        if (o.Columns == 0) o = o with { Columns = loss.Classes };
        var a = new double[scores.Length];
        loss.DiagonalHessian(scores, a);
        var numeric = new Numeric(loss.Value, (z, g) => loss.Gradient(z, g), scores.ToArray(), o, Detect(loss, o), GradientCheck.KinkPredicate(loss, scores));
        return CheckEngine.Run($"{loss.Name} Hessian diagonal", numeric.Method, numeric.Tolerance, scores.Length, o.Columns, o,
            i => a[i], i => numeric.Entry(i, i));
    }

    /// <summary>Checks a loss's c×c Hessian block of one row (entries indexed (a, b) within the block).</summary>
    public static CheckReport RowBlock(IScoreLoss loss, ReadOnlySpan<double> scores, int row, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Guard.Length(scores.Length, loss.Rows * loss.Classes, "n×c scores of the loss", nameof(scores));
        Guard.AllFinite(scores);
        if ((uint)row >= (uint)loss.Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {loss.Rows}).");
        int c = loss.Classes, offset = row * c;
        var o = Prepare(options) with { Columns = c };
        var a = new double[c * c];
        loss.RowHessian(scores, row, a);
        var lossKinks = GradientCheck.KinkPredicate(loss, scores);
        var numeric = new Numeric(loss.Value, (z, g) => loss.Gradient(z, g), scores.ToArray(), o, Detect(loss, o),
            lossKinks is null ? null : (k, reach) => lossKinks(k, reach));
        return CheckEngine.Run($"{loss.Name} Hessian row block {row}", numeric.Method, numeric.Tolerance, c * c, c, o,
            i => a[i], i => numeric.Entry(offset + i / c, offset + i % c));
    }

    public static CheckReport Diagonal(IScoreLoss loss, Matrix<double> scores, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return Diagonal(loss, scores.ToRowMajorArray(), options);
    }

    public static CheckReport RowBlock(IScoreLoss loss, Matrix<double> scores, int row, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return RowBlock(loss, scores.ToRowMajorArray(), row, options);
    }

    private static CheckOptions Prepare(CheckOptions? options)
    {
        var o = options ?? new CheckOptions();
        if (o.UseComplexStep)
            throw new ArgumentException("UseComplexStep is not supported by Hessian checks (they difference the real gradient or value).", nameof(options));
        return o;
    }

    private static bool Detect(IScoreLoss loss, CheckOptions o) =>
        o.KinkDetection == KinkDetection.PiecewiseLinear || (o.KinkDetection == KinkDetection.Auto && !loss.IsSmooth);

    /// <summary>Numeric H[i, j]: column j of the gradient's Jacobian (cached per j), or second/cross differences of f.</summary>
    private sealed class Numeric
    {
        private readonly ScalarFunction _f;
        private readonly VectorFunction? _gradient;
        private readonly double[] _x;
        private readonly CheckOptions _o;
        private readonly bool _detect;
        private readonly Func<int, double, bool>? _lossKinks;
        private readonly Dictionary<int, (double[] Column, double H, bool[] Kink)> _columns = new();
        private double[]? _g0;
        private readonly double _f0;

        public Numeric(ScalarFunction f, VectorFunction? gradient, double[] x, CheckOptions o, bool detect, Func<int, double, bool>? lossKinks = null)
        {
            _f = f; _gradient = gradient; _x = x; _o = o; _detect = detect; _lossKinks = lossKinks;
            if (x.Length == 0) throw new ArgumentException("x is empty: nothing to check.", nameof(x));
            _f0 = f(x);
            if (!double.IsFinite(_f0)) throw new ArgumentException($"f(x) = {_f0} is not finite.", nameof(f));
            string kink = detect ? ", piecewise-linear kink test" : "";
            Method = gradient is null
                ? $"second differences of the value, {(o.Step.Kind == StepKind.Theory ? "h = ε^(1/4)·max(|x|,1)" : o.Step.Describe(DifferenceRule.Central))}{kink}"
                : $"{CheckEngine.RuleName(o.Rule)} differences of the gradient, {o.Step.Describe(o.Rule)}{kink}";
            Tolerance = o.Tolerance ?? (gradient is null ? CheckTolerance.SecondDifference : CheckTolerance.For(o.Rule));
        }

        public string Method { get; }
        public CheckTolerance Tolerance { get; }

        public CheckEngine.Numeric Entry(int i, int j) => _gradient is null ? FromValue(i, j) : FromGradient(i, j);

        private CheckEngine.Numeric FromGradient(int i, int j)
        {
            if (!_columns.TryGetValue(j, out var col))
            {
                int m = _x.Length;
                var rule = _o.Rule;
                double xj = _x[j], h = _o.Step.At(xj, rule);
                StepSize.Checked(xj, FiniteDifference.Reach(rule) * h);
                if (_g0 is null) { _g0 = new double[m]; _gradient!(_x, _g0); }
                double[] G(double d) { var g = new double[m]; _x[j] = xj + d; _gradient!(_x, g); _x[j] = xj; return g; }
                var p = G(h); var mi = G(-h);
                double[]? p2 = null, m2 = null;
                if (rule == DifferenceRule.FivePointCentral) { p2 = G(2 * h); m2 = G(-2 * h); }
                var column = new double[m];
                var kink = new bool[m];
                for (int r = 0; r < m; r++)
                {
                    column[r] = rule switch
                    {
                        DifferenceRule.Forward => (p[r] - _g0[r]) / h,
                        DifferenceRule.Backward => (_g0[r] - mi[r]) / h,
                        DifferenceRule.Central => (p[r] - mi[r]) / (2 * h),
                        _ => (-p2![r] + 8 * p[r] - 8 * mi[r] + m2![r]) / (12 * h),
                    };
                    kink[r] = _detect && (CheckEngine.Bent(p[r], _g0[r], mi[r]) || (p2 is not null && CheckEngine.Bent(p2[r], _g0[r], m2![r])));
                }
                col = (column, h, kink);
                _columns[j] = col;
            }
            double reach = FiniteDifference.Reach(_o.Rule) * col.H;
            return new CheckEngine.Numeric(col.Column[i], col.H, col.Kink[i] || (_lossKinks?.Invoke(j, reach) ?? false));
        }

        private CheckEngine.Numeric FromValue(int i, int j)
        {
            double xi = _x[i], hi = _o.Step.ForSecondDerivativeAt(xi);
            double F(int a, double da, int b, double db)
            {
                double sa = _x[a], sb = _x[b];
                _x[a] = sa + da; _x[b] += db;
                double v = _f(_x);
                _x[a] = sa; _x[b] = sb;
                return v;
            }
            if (i == j)
            {
                double p = F(i, hi, i, 0), m = F(i, -hi, i, 0);
                bool kink = (_detect && CheckEngine.Bent(p, _f0, m)) || (_lossKinks?.Invoke(i, hi) ?? false);
                return new CheckEngine.Numeric((p - 2 * _f0 + m) / (hi * hi), hi, kink);
            }
            double xj = _x[j], hj = _o.Step.ForSecondDerivativeAt(xj);
            double pp = F(i, hi, j, hj), pm = F(i, hi, j, -hj), mp = F(i, -hi, j, hj), mm = F(i, -hi, j, -hj);
            // On a piecewise-linear f the cross difference is rounding only unless a kink is inside the square.
            bool bent = _detect && Math.Abs(pp - pm - mp + mm) > CheckEngine.KinkUlps * StepSize.MachineEpsilon * (Math.Abs(pp) + Math.Abs(pm) + Math.Abs(mp) + Math.Abs(mm));
            bool known = (_lossKinks?.Invoke(i, hi) ?? false) || (_lossKinks?.Invoke(j, hj) ?? false);
            return new CheckEngine.Numeric((pp - pm - mp + mm) / (4 * hi * hj), Math.Max(hi, hj), bent || known);
        }
    }
}

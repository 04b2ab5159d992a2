using System.Numerics;
using LossNotebooks.Display;
using LossNotebooks.Losses;
using LossNotebooks.Validation;

using static LossNotebooks.Differentiation.TextTable;

namespace LossNotebooks.Differentiation;

/// <summary>The methods a step sweep compares.</summary>
public enum SweepMethod
{
    Forward, Backward, Central, FivePointCentral,
    /// <summary>Im f(x + ih)/h — only when a complex version of f is given.</summary>
    ComplexStep,
    /// <summary>One Richardson step on central differences: (4·D(h/2) − D(h)) / 3, order 4.</summary>
    Richardson,
    /// <summary>The central second difference, compared against f''(x).</summary>
    SecondCentral,
}

/// <summary>
/// One rule's error over the step grid: <see cref="Error"/>[i] = |D(Steps[i]) − reference| (NaN where D is not finite),
/// the observed best step (minimiser of the error's upper envelope over ±¼ decade, so one lucky rounding cancellation
/// does not count) with the error there, and the theoretical optimum of the unit-scale error model (<see cref="StepSize.TheoreticalOptimum"/>,
/// h scaled by max(|x|, 1)).
/// </summary>
public sealed record SweepCurve(SweepMethod Method, double[] Error, double BestStep, double BestError, double TheoryStep, double TheoryError)
{
    public string Label => Method switch
    {
        SweepMethod.FivePointCentral => "5-point central",
        SweepMethod.ComplexStep => "complex step",
        SweepMethod.Richardson => "Richardson (central, h & h/2)",
        SweepMethod.SecondCentral => "2nd derivative, central",
        _ => Method.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// The data of the V-shaped error curve: for each h of a log grid, the absolute error of each rule. Left of the
/// minimum rounding (∝ ε/h) dominates, right of it truncation (∝ h^p). Plot <see cref="Steps"/> against each curve's
/// <see cref="SweepCurve.Error"/> on log–log axes.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class StepSweepResult : IRichDisplay
{
    internal StepSweepResult(double x, double[] steps, IReadOnlyList<SweepCurve> curves, double reference, string referenceSource,
        double secondReference, string secondReferenceSource)
    {
        X = x; Steps = steps; Curves = curves; Reference = reference; ReferenceSource = referenceSource;
        SecondReference = secondReference; SecondReferenceSource = secondReferenceSource;
    }

    public double X { get; }
    public double[] Steps { get; }
    public IReadOnlyList<SweepCurve> Curves { get; }
    /// <summary>f'(x) the first-derivative errors are measured against, and where it came from.</summary>
    public double Reference { get; }
    public string ReferenceSource { get; }
    /// <summary>f''(x) for <see cref="SweepMethod.SecondCentral"/>.</summary>
    public double SecondReference { get; }
    public string SecondReferenceSource { get; }

    public SweepCurve this[SweepMethod method] =>
        Curves.FirstOrDefault(c => c.Method == method) ?? throw new ArgumentException($"no {method} curve in this sweep (complex step needs a complex f).", nameof(method));

    private (string[] Headers, List<string[]> Rows) Table()
    {
        string[] headers = ["rule", "best h", "best error", "theory h", "theory error", "best h / theory h"];
        var rows = Curves.Select(c => new[]
        {
            c.Label, TextTable.Num(c.BestStep), TextTable.Num(c.BestError), TextTable.Num(c.TheoryStep), TextTable.Num(c.TheoryError),
            // The complex step has no rounding arm (no subtraction): any h below its theory h is as good, so the ratio means nothing.
            c.Method == SweepMethod.ComplexStep ? "—" : (c.BestStep / c.TheoryStep).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();
        return (headers, rows);
    }

    private string Caption =>
        Inv($"Step sweep at x = {X:G6}: f'(x) = {Reference:R} ({ReferenceSource}), f''(x) = {SecondReference:R} ({SecondReferenceSource}); ") +
        Inv($"{Steps.Length} steps from {Steps[0]:G2} to {Steps[^1]:G2}");

    public override string ToString()
    {
        var (h, r) = Table();
        return Caption + "\n" + TextTable.Text(h, r);
    }

    public string ToHtml()
    {
        var (h, r) = Table();
        return TextTable.Html(h, r, Caption);
    }
}

/// <summary>Sweeps h over a log grid and measures each rule's error against a reference derivative.</summary>
public static class StepSweep
{
    /// <summary>hMin, hMin·10^(1/p), …, hMax (p = pointsPerDecade).</summary>
    public static double[] LogGrid(double hMin = 1e-16, double hMax = 1e-1, int pointsPerDecade = 4)
    {
        Guard.Positive(hMin);
        Guard.Positive(hMax);
        if (!(hMax > hMin)) throw new ArgumentException($"hMax = {hMax} must exceed hMin = {hMin}.", nameof(hMax));
        if (pointsPerDecade < 1 || pointsPerDecade > 100)
            throw new ArgumentOutOfRangeException(nameof(pointsPerDecade), pointsPerDecade, "pointsPerDecade must be in [1, 100].");
        int n = (int)Math.Round(Math.Log10(hMax / hMin) * pointsPerDecade) + 1;
        var grid = new double[Math.Max(n, 2)];
        for (int i = 0; i < grid.Length; i++) grid[i] = hMin * Math.Pow(10, (double)i / pointsPerDecade);
        return grid;
    }

    /// <summary>
    /// Sweeps f at x. <paramref name="derivative"/> / <paramref name="secondDerivative"/>: the analytic values if known;
    /// otherwise the reference is the complex step (when <paramref name="complexF"/> is given) or Richardson
    /// extrapolation of central differences (5 levels from h = 2⁻³·max(|x|,1)). Steps that vanish against x are kept:
    /// they show the left end of the V (error = |f'|).
    /// </summary>
    public static StepSweepResult Run(Func<double, double> f, double x, double? derivative = null, double? secondDerivative = null,
        Func<Complex, Complex>? complexF = null, double hMin = 1e-16, double hMax = 1e-1, int pointsPerDecade = 4)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        if (derivative is { } d0) Guard.Finite(d0, nameof(derivative));
        if (secondDerivative is { } s0) Guard.Finite(s0, nameof(secondDerivative));
        var steps = LogGrid(hMin, hMax, pointsPerDecade);

        double reference; string source;
        if (derivative is { } d) (reference, source) = (d, "given");
        else if (complexF is not null) (reference, source) = (complexF(new Complex(x, ComplexStep.DefaultStep)).Imaginary / ComplexStep.DefaultStep, "complex step, h = 1e-20");
        else
        {
            var e = Richardson.Derivative(f, x, DifferenceRule.Central, levels: 5);
            (reference, source) = (e.Value, Inv($"Richardson, error estimate {e.ErrorEstimate:E1}"));
        }
        double second; string secondSource;
        if (secondDerivative is { } s) (second, secondSource) = (s, "given");
        else
        {
            var e = Richardson.SecondDerivative(f, x, levels: 5);
            (second, secondSource) = (e.Value, Inv($"Richardson, error estimate {e.ErrorEstimate:E1}"));
        }

        double scale = Math.Max(Math.Abs(x), 1);
        var curves = new List<SweepCurve>();
        void Add(SweepMethod method, Func<double, double> estimate, double target)
        {
            var error = new double[steps.Length];
            for (int i = 0; i < steps.Length; i++)
            {
                double v = estimate(steps[i]);
                error[i] = double.IsFinite(v) ? Math.Abs(v - target) : double.NaN;
            }
            int best = BestIndex(error, Math.Max(1, pointsPerDecade / 4));
            var (th, te) = StepSize.TheoreticalOptimum(method);
            curves.Add(new SweepCurve(method, error, best < 0 ? double.NaN : steps[best], best < 0 ? double.NaN : error[best], th * scale, te));
        }
        Add(SweepMethod.Forward, h => FiniteDifference.Apply(f, x, DifferenceRule.Forward, h), reference);
        Add(SweepMethod.Backward, h => FiniteDifference.Apply(f, x, DifferenceRule.Backward, h), reference);
        Add(SweepMethod.Central, h => FiniteDifference.Apply(f, x, DifferenceRule.Central, h), reference);
        Add(SweepMethod.FivePointCentral, h => FiniteDifference.Apply(f, x, DifferenceRule.FivePointCentral, h), reference);
        if (complexF is not null) Add(SweepMethod.ComplexStep, h => complexF(new Complex(x, h)).Imaginary / h, reference);
        Add(SweepMethod.Richardson, h =>
        {
            double dh = FiniteDifference.Apply(f, x, DifferenceRule.Central, h), dh2 = FiniteDifference.Apply(f, x, DifferenceRule.Central, h / 2);
            return (4 * dh2 - dh) / 3;
        }, reference);
        Add(SweepMethod.SecondCentral, h => (f(x + h) - 2 * f(x) + f(x - h)) / (h * h), second);
        return new StepSweepResult(x, steps, curves, reference, source, second, secondSource);
    }

    /// <summary>
    /// The minimiser of the error's upper envelope max(error[i−w … i+w]): on the rounding arm errors are random and
    /// an isolated lucky cancellation can dip far below its neighbours; the envelope ignores such single points, so the
    /// reported best h is where the curve is low, not where one sample happened to be.
    /// </summary>
    internal static int BestIndex(double[] error, int w)
    {
        int best = -1;
        double bestEnvelope = double.PositiveInfinity;
        for (int i = 0; i < error.Length; i++)
        {
            if (double.IsNaN(error[i])) continue;
            double envelope = 0;
            for (int j = Math.Max(0, i - w); j <= Math.Min(error.Length - 1, i + w); j++)
                envelope = Math.Max(envelope, double.IsNaN(error[j]) ? double.PositiveInfinity : error[j]);
            if (envelope < bestEnvelope || best < 0) { bestEnvelope = envelope; best = i; }
        }
        return best;
    }

    /// <summary>
    /// Sweeps one entry k of a scalar function of a vector (e.g. one entry of a loss gradient), all other entries fixed.
    /// </summary>
    public static StepSweepResult Run(ScalarFunction f, ReadOnlySpan<double> x, int k, double? derivative = null,
        double? secondDerivative = null, ComplexScalarFunction? complexF = null, double hMin = 1e-16, double hMax = 1e-1,
        int pointsPerDecade = 4)
    {
        ArgumentNullException.ThrowIfNull(f);
        if ((uint)k >= (uint)x.Length) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must index x (length {x.Length}).");
        Guard.AllFinite(x);
        var work = x.ToArray();
        double F(double t) { work[k] = t; return f(work); }
        Func<Complex, Complex>? cf = null;
        if (complexF is not null)
        {
            var cwork = new Complex[x.Length];
            for (int i = 0; i < x.Length; i++) cwork[i] = x[i];
            cf = t => { cwork[k] = t; return complexF(cwork); };
        }
        return Run(F, x[k], derivative, secondDerivative, cf, hMin, hMax, pointsPerDecade);
    }

    /// <summary>
    /// Sweeps entry k of a loss's score matrix (flat row-major index), measured against the loss's own analytic
    /// gradient and diagonal Hessian entries; the complex step is included when the loss is an IComplexScoreLoss.
    /// (For a piecewise-linear loss the V has no right arm while [z − h, z + h] holds no kink — a figure worth showing.)
    /// </summary>
    public static StepSweepResult Run(IScoreLoss loss, ReadOnlySpan<double> scores, int k, double hMin = 1e-16, double hMax = 1e-1,
        int pointsPerDecade = 4)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Guard.Length(scores.Length, loss.Rows * loss.Classes, "n×c scores of the loss", nameof(scores));
        if ((uint)k >= (uint)scores.Length) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must index the scores (length {scores.Length}).");
        Guard.AllFinite(scores);
        var gradient = new double[scores.Length];
        var diagonal = new double[scores.Length];
        loss.Gradient(scores, gradient);
        loss.DiagonalHessian(scores, diagonal);
        return Run(loss.Value, scores, k, gradient[k], diagonal[k], loss is IComplexScoreLoss c ? c.Value : null, hMin, hMax, pointsPerDecade);
    }
}

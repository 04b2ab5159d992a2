using LossNotebooks.Checks;
using LossNotebooks.Derivations;
using LossNotebooks.Differentiation;
using LossNotebooks.Figures;
using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>
/// The library calls notebooks/00-getting-started.ipynb relies on, on the notebook's own seeded example, so a
/// regression fails in `dotnet test` and not only when the notebook is run. Expected values come from an
/// independent hand computation (softmax by a plain loop) or from theory, never from the code under test.
/// </summary>
public class GettingStartedNotebookTests
{
    // The notebook's example (cell "A loss: softmax cross-entropy"); keep the two constructions identical.
    private const int N = 4, C = 3, Seed = 7;

    private static (double[] Z, int[] Labels) Example()
    {
        var rng = new Random(Seed);
        var z = new double[N * C];
        for (int k = 0; k < z.Length; k++) z[k] = 4 * rng.NextDouble() - 2;
        var labels = new int[N];
        for (int i = 0; i < N; i++) labels[i] = rng.Next(C);
        return (z, labels);
    }

    /// <summary>Softmax per row with a plain loop, as the notebook does it by hand.</summary>
    private static double[] SoftmaxByHand(double[] z)
    {
        var p = new double[z.Length];
        for (int i = 0; i < N; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < C; j++) max = Math.Max(max, z[i * C + j]);
            for (int j = 0; j < C; j++) { p[i * C + j] = Math.Exp(z[i * C + j] - max); sum += p[i * C + j]; }
            for (int j = 0; j < C; j++) p[i * C + j] /= sum;
        }
        return p;
    }

    [Fact]
    public void Value_is_the_sum_of_negative_log_probabilities_of_the_labels()
    {
        var (z, labels) = Example();
        var p = SoftmaxByHand(z);
        double byHand = Enumerable.Range(0, N).Sum(i => -Math.Log(p[i * C + labels[i]]));
        var loss = new SoftmaxCrossEntropy(labels, C);
        // Both sides evaluate the same formula in double with different operation order: a few ulps of L ≈ 7
        // (≈ 1e-15 each); 1e-12 leaves a 100× margin yet catches any real formula change.
        Assert.Equal(byHand, loss.Value(z), 1e-12);
        Assert.Equal(byHand, loss.Value(Matrix<double>.Build.DenseOfRowMajor(N, C, z)), 1e-12);
    }

    [Fact]
    public void Gradient_is_p_minus_y_and_every_row_sums_to_zero()
    {
        var (z, labels) = Example();
        var p = SoftmaxByHand(z);
        var loss = new SoftmaxCrossEntropy(labels, C);
        var g = loss.Gradient(Matrix<double>.Build.DenseOfRowMajor(N, C, z));
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < C; j++)
            {
                // p − y with p computed independently: entries are in (−1, 1), so rounding differences are ≲ 1e-16;
                // 1e-14 is a 100× margin.
                double expected = p[i * C + j] - (j == labels[i] ? 1.0 : 0.0);
                Assert.Equal(expected, g[i, j], 1e-14);
                Assert.InRange(g[i, j], -1.0, 1.0);
            }
            // Σ_j p_ij − 1 = 0 exactly in real arithmetic; in double three O(1) terms round to ≲ 3e-16.
            Assert.Equal(0.0, g.Row(i).Sum(), 1e-14);
        }
    }

    [Fact]
    public void Gradient_check_of_the_example_passes_with_a_tiny_relative_error()
    {
        var (z, labels) = Example();
        var loss = new SoftmaxCrossEntropy(labels, C);
        var report = GradientCheck.Run(loss, Matrix<double>.Build.DenseOfRowMajor(N, C, z));
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(N * C, report.Entries.Count);
        Assert.Equal(0, report.Failures);
        // Central differences with h = ε^(1/3): absolute error ≈ ε^(2/3)·(|L| + |L'''|) ≈ 1e-10 for this O(1) loss; the
        // smallest gradient entry here is of order 1e-2, so relative errors stay ≲ 1e-8. cs231n calls ≤ 1e-7 correct:
        // asserting that bound is what the notebook's prose promises.
        Assert.True(report.MaxRelativeError < 1e-7, $"max relative error {report.MaxRelativeError:E2}");
        Assert.All(report.Entries, e => Assert.Equal(CheckStatus.Pass, e.Status));
    }

    [Fact]
    public void A_gradient_missing_the_minus_y_fails_exactly_at_the_label_entries()
    {
        var (z, labels) = Example();
        var loss = new SoftmaxCrossEntropy(labels, C);
        var wrong = SoftmaxByHand(z);   // the classic slip: ∂L/∂z = p, forgetting −y
        var report = GradientCheck.Run(loss.Value, z, wrong, new CheckOptions { Columns = C });
        Assert.False(report.Passed);
        Assert.Equal(N, report.Failures);
        var failing = report.Entries.Where(e => e.Status == CheckStatus.Fail).Select(e => (e.Row, e.Column)).OrderBy(t => t).ToArray();
        var labelEntries = Enumerable.Range(0, N).Select(i => (i, labels[i])).ToArray();
        Assert.Equal(labelEntries, failing);
        // Each failing entry is off by the missing y = 1 (up to the ~1e-10 numeric error of the central difference).
        Assert.All(report.Entries.Where(e => e.Status == CheckStatus.Fail), e => Assert.Equal(1.0, e.AbsoluteError, 1e-8));
    }

    [Fact]
    public void Step_sweep_of_entry_0_0_has_the_V_shape_the_notebook_describes()
    {
        var (z, labels) = Example();
        var loss = new SoftmaxCrossEntropy(labels, C);
        var sweep = StepSweep.Run(loss, z, k: 0);
        var central = sweep[SweepMethod.Central];
        var forward = sweep[SweepMethod.Forward];

        // Theory: central h* = (3ε)^(1/3) ≈ 8.7e-6 for unit scales; the true scales of L shift it, so allow two decades
        // either way. Its error ~ ε^(2/3) ≈ 4e-11 times O(1) scales: 1e-9 is a 25× margin.
        Assert.InRange(central.BestStep, 1e-7, 1e-3);
        Assert.True(central.BestError < 1e-9, $"central best error {central.BestError:E2}");
        // A first-order rule cannot beat a second-order one at its best (√ε vs ε^(2/3)).
        Assert.True(forward.BestError > central.BestError);
        // Both arms exist: at h = 1e-16 rounding (ε|L|/h with |L| ≈ 7) gives an O(1) error, and at h = 0.1 truncation
        // (h²|L'''|/6) is far above the minimum.
        Assert.True(central.Error[0] > 1e-3, $"left end {central.Error[0]:E2}");
        Assert.True(central.Error[^1] > 100 * central.BestError, $"right end {central.Error[^1]:E2}");
        // The reference is the loss's own analytic gradient entry, which the hand computation confirms is p − y.
        Assert.Equal(SoftmaxByHand(z)[0] - (labels[0] == 0 ? 1.0 : 0.0), sweep.Reference, 1e-14);
    }

    [Fact]
    public void Sweep_figure_builds_on_log_axes_with_deterministic_json()
    {
        var (z, labels) = Example();
        var loss = new SoftmaxCrossEntropy(labels, C);
        var sweep = StepSweep.Run(loss, z, k: 0);
        var figure = sweep.ToFigure(title: "Error of ∂L/∂z[0,0] vs step size h (softmax cross-entropy)");
        Assert.Equal(AxisType.Log, figure.XAxis.Type);
        Assert.Equal(AxisType.Log, figure.YAxis.Type);
        // Six first-derivative rules (forward, backward, central, 5-point, complex step, Richardson; the second
        // derivative is left out by design), each a line with its best-h star, three to a panel, and in each panel
        // one trace of slope guides (−1, 1, 2).
        Assert.Equal(2, figure.Rows);
        Assert.Equal(8, figure.Traces.Count);
        Assert.Equal(6, figure.Traces.OfType<LineTrace>().Count(t => t.StarAt is not null));
        Assert.All(figure.Traces.GroupBy(t => t.Panel), g => Assert.True(g.Count() <= HouseStyle.MaxTracesPerPanel));
        Assert.Equal(["slope −1", "slope 1", "slope 2"], figure.Labels.Select(l => l.Text).Distinct().ToArray());
        string json = figure.ToJson();
        Assert.Contains("\"type\":\"log\"", json);
        Assert.Equal(json, sweep.ToFigure(title: "Error of ∂L/∂z[0,0] vs step size h (softmax cross-entropy)").ToJson());
    }

    [Fact]
    public void The_arrays_handed_to_Plotly_NET_line_up()
    {
        // The online-only Plotly.NET cell is never executed here; it relies on Steps and each curve's Error being
        // parallel arrays, with positive steps, and on non-positive / NaN errors being the only ones it must drop.
        var (z, labels) = Example();
        var sweep = StepSweep.Run(new SoftmaxCrossEntropy(labels, C), z, k: 0);
        Assert.All(sweep.Curves, curve => Assert.Equal(sweep.Steps.Length, curve.Error.Length));
        Assert.All(sweep.Steps, h => Assert.True(h > 0));
        for (int i = 1; i < sweep.Steps.Length; i++) Assert.True(sweep.Steps[i] > sweep.Steps[i - 1]);
        Assert.All(sweep.Curves, curve => Assert.All(curve.Error, e => Assert.True(double.IsNaN(e) || e >= 0)));
        Assert.Contains(sweep.Curves, curve => curve.Method == SweepMethod.SecondCentral);
    }

    // ------------------------------------------------------------------ section 6 and the exercises

    private static double LogCosh(StepInput s, double[] scores) =>
        s.SumIJ((i, j) => { double r = Math.Abs(scores[s.Index(i, j)] - s.Y(i, j)); return s.W(i, j) * (r + Math.Log(1 + Math.Exp(-2 * r)) - Math.Log(2)); });

    [Fact]
    public void Log_cosh_steps_pass_and_the_try_it_edit_without_the_weight_fails()
    {
        // The notebook's three lines, on the default 200 seeded inputs (weights in [0.2, 2], so dropping w must fail).
        var d = new Derivation("log-cosh loss: gradient and Hessian");
        double Tanh(StepInput s) => Math.Tanh(s.Z(s.K, s.L) - s.Y(s.K, s.L));
        Assert.True(d.Step("grad", "w tanh", s => s.NumericGradient(z => LogCosh(s, z)), s => s.W(s.K, s.L) * Tanh(s)).Passed);
        Assert.True(d.Step("hess", "w (1 − tanh²)", s => s.NumericHessian(z => LogCosh(s, z)), s => s.W(s.K, s.L) * (1 - Tanh(s) * Tanh(s))).Passed);
        Assert.True(d.Step("cross", "diagonal", s => s.NumericCrossHessian(z => LogCosh(s, z)),
            s => StepInput.Delta(s.I, s.K) * StepInput.Delta(s.J, s.L) * s.W(s.K, s.L) * (1 - Tanh(s) * Tanh(s))).Passed);
        Assert.False(d.Step("grad", "tanh without the weight", s => s.NumericGradient(z => LogCosh(s, z)), s => Tanh(s)).Passed);
    }

    [Fact]
    public void Exercise_00_1_weighted_gradient_passes_and_the_unweighted_one_fails()
    {
        var (z, labels) = Example();
        var p = SoftmaxByHand(z);
        double[] w = [0.5, 1.0, 2.0, 1.5];
        var weighted = new SoftmaxCrossEntropy(labels, C, w);
        double[] Grad(Func<int, double> weight) => Enumerable.Range(0, N * C).Select(k => weight(k / C) * (p[k] - (k % C == labels[k / C] ? 1.0 : 0.0))).ToArray();
        Assert.False(Exercise.CheckGradient("00-1", x => weighted.Value(x), z, (double[]?)null).Attempted);
        Assert.True(Exercise.CheckGradient("00-1", x => weighted.Value(x), z, Grad(i => w[i])).Passed);
        var wrong = Exercise.CheckGradient("00-1", x => weighted.Value(x), z, Grad(_ => 1.0));
        Assert.False(wrong.Passed);
        Assert.StartsWith("00-1: FAIL", wrong.Message);
    }

    [Fact]
    public void Exercise_00_2_central_difference_passes_and_a_forward_difference_fails()
    {
        var (z, labels) = Example();
        var loss = new SoftmaxCrossEntropy(labels, C);
        var analytic = new double[N * C];
        loss.Gradient(z, analytic);
        double[] Difference(bool central) => Enumerable.Range(0, N * C).Select(k =>
        {
            var plus = (double[])z.Clone();
            var minus = (double[])z.Clone();
            plus[k] += 1e-5;
            if (central) minus[k] -= 1e-5;
            return (loss.Value(plus) - loss.Value(minus)) / (central ? 2e-5 : 1e-5);
        }).ToArray();
        // Central at h = 1e-5: truncation h²|L'''|/6 ≤ 2e-12, rounding ε|L|/h ≈ 1e-10, inside 1e-8. Forward: h|L''|/2 up to ~1e-6.
        Assert.True(Exercise.CheckValues("00-2", analytic, Difference(true), tolerance: 1e-8).Passed);
        Assert.False(Exercise.CheckValues("00-2", analytic, Difference(false), tolerance: 1e-8).Passed);
    }
}

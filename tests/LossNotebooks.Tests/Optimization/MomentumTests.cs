using LossNotebooks.Data;
using LossNotebooks.Optimization;

namespace LossNotebooks.Tests.Optimization;

/// <summary>Momentum and Nesterov momentum (<see cref="MomentumStep"/>, <see cref="Optimizers.Sgd"/>) and exact budgets.</summary>
public class MomentumTests
{
    private static readonly Lazy<DataSplit> Digits = OptimizationData.Digits;

    // f(w) = ½(1·w₀² + 10·w₁²), ∇f = (w₀, 10·w₁); start (1, −2), η = 0.1, μ = 0.9.
    private static void QuadraticGradient(ReadOnlySpan<double> w, Span<double> g) { g[0] = w[0]; g[1] = 10 * w[1]; }

    private static double[] TwoSteps(bool nesterov)
    {
        var rule = new MomentumStep(2, learningRate: 0.1, momentum: 0.9, nesterov: nesterov);
        double[] w = [1, -2], g = new double[2], scratch = new double[2];
        for (int t = 0; t < 2; t++)
        {
            QuadraticGradient(rule.GradientPoint(w, scratch), g);
            rule.Apply(w, g);
        }
        return w;
    }

    [Fact]
    public void Classical_momentum_matches_two_steps_computed_by_hand()
    {
        // Step 1: g = (1, −20), v = (−0.1, 2), w = (0.9, 0).
        // Step 2: g = (0.9, 0), v = 0.9·(−0.1, 2) − 0.1·(0.9, 0) = (−0.18, 1.8), w = (0.72, 1.8): the stiff coordinate overshoots.
        var w = TwoSteps(nesterov: false);
        Assert.Equal(0.72, w[0], 1e-14);
        Assert.Equal(1.8, w[1], 1e-14);
    }

    [Fact]
    public void Nesterov_momentum_matches_two_steps_computed_by_hand()
    {
        // Step 1: v = 0, so the look-ahead is w itself: the same as classical, w = (0.9, 0), v = (−0.1, 2).
        // Step 2: look-ahead w + μv = (0.81, 1.8), g there = (0.81, 18), v = (−0.09 − 0.081, 1.8 − 1.8) = (−0.171, 0),
        // w = (0.729, 0): the gradient at the look-ahead point cancels the overshoot that classical momentum makes.
        var w = TwoSteps(nesterov: true);
        Assert.Equal(0.729, w[0], 1e-14);
        Assert.Equal(0.0, w[1], 1e-14);
    }

    [Fact]
    public void Momentum_zero_is_plain_gradient_descent_bit_for_bit()
    {
        var random = new Random(5);
        var w = new double[257];
        Gaussian.Fill(random, w);
        var plain = (double[])w.Clone();
        var classical = (double[])w.Clone();
        var nesterov = (double[])w.Clone();
        var a = new MomentumStep(w.Length, 0.37, 0);
        var b = new MomentumStep(w.Length, 0.37, 0, nesterov: true);
        var g = new double[w.Length];
        var scratch = new double[w.Length];
        for (int t = 0; t < 20; t++)
        {
            Gaussian.Fill(random, g); // any gradient sequence: the rule must not care where it came from
            for (int k = 0; k < w.Length; k++) plain[k] -= 0.37 * g[k];
            a.Apply(classical, g);
            Assert.True(b.GradientPoint(nesterov, scratch) == nesterov.AsSpan(), "μ = 0: the look-ahead point is W itself");
            b.Apply(nesterov, g);
        }
        Assert.Equal(plain.Select(BitConverter.DoubleToInt64Bits), classical.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(plain.Select(BitConverter.DoubleToInt64Bits), nesterov.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Sgd_with_momentum_zero_equals_a_plain_sgd_loop_bit_for_bit()
    {
        // The reference is written here from the documented procedure: W₀ = scale·N(0,1) from new Random(seed), then per
        // epoch a Fisher–Yates shuffle from the same generator, consecutive batches, W ← W − η·g.
        var split = Digits.Value;
        var model = new LinearClassifier(split.Train, LinearLoss.Hinge, 1e-3);
        const int steps = 90, batch = 32, seed = 7;
        const double eta = 0.05, scale = 1e-2;
        int n = model.Rows, P = model.Parameters;
        var random = new Random(seed);
        var w = new double[P];
        Gaussian.Fill(random, w, scale);
        var order = Enumerable.Range(0, n).ToArray();
        var g = new double[P];
        int position = n;
        for (int t = 0; t < steps; t++)
        {
            if (position + batch > n)
            {
                for (int i = n - 1; i > 0; i--) { int j = random.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
                position = 0;
            }
            model.ValueAndGradient(w, g, order.AsSpan(position, batch));
            position += batch;
            for (int k = 0; k < P; k++) w[k] -= eta * g[k];
        }
        var sgd = Optimizers.Sgd(model, null, steps, batch, eta, momentum: 0, scale: scale, seed: seed, traceEvery: steps);
        var nesterovZero = Optimizers.Sgd(model, null, steps, batch, eta, momentum: 0, scale: scale, seed: seed, traceEvery: steps, nesterov: true);
        Assert.Equal(w.Select(BitConverter.DoubleToInt64Bits), sgd.Weights.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(w.Select(BitConverter.DoubleToInt64Bits), nesterovZero.Weights.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Gradient_descent_equals_a_plain_full_batch_loop_bit_for_bit()
    {
        // The reference from the documented procedure: W₀ = scale·N(0,1) from new Random(seed), then W ← W − η·∇L(W) on
        // every row. A step scaled wrongly (η/2, a missing sign) changes the weights after the first step.
        var split = Digits.Value;
        var model = new LinearClassifier(split.Train, LinearLoss.SoftmaxCrossEntropy, 1e-3);
        const int steps = 25, seed = 3;
        const double eta = 0.3, scale = 1e-2;
        int P = model.Parameters;
        var w = new double[P];
        Gaussian.Fill(new Random(seed), w, scale);
        var g = new double[P];
        for (int t = 0; t < steps; t++)
        {
            model.ValueAndGradient(w, g);
            for (int k = 0; k < P; k++) w[k] -= eta * g[k];
        }
        var gd = Optimizers.GradientDescent(model, null, steps, eta, scale: scale, seed: seed, traceEvery: steps);
        Assert.Equal(w.Select(BitConverter.DoubleToInt64Bits), gd.Weights.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(model.Value(w), gd.Final.Loss);
    }

    [Fact]
    public void Nesterov_and_classical_momentum_differ_and_both_train()
    {
        var split = Digits.Value;
        var model = new LinearClassifier(split.Train, LinearLoss.Hinge, 1e-3);
        var classical = Optimizers.Sgd(model, split.Validation, 300, 32, 0.01, momentum: 0.9, seed: 2);
        var nesterov = Optimizers.Sgd(model, split.Validation, 300, 32, 0.01, momentum: 0.9, seed: 2, nesterov: true);
        Assert.NotEqual(classical.Weights, nesterov.Weights);
        Assert.Contains("Nesterov", nesterov.Method);
        foreach (var r in new[] { classical, nesterov })
        {
            Assert.True(r.Final.Loss < 0.2 * r.Trace[0].Loss, $"{r.Method}: {r.Trace[0].Loss} → {r.Final.Loss}");
            Assert.True(r.Final.ValidationAccuracy > 0.85, r.Final.ToString());
        }
    }

    [Fact]
    public void Bad_momentum_settings_name_the_parameter()
    {
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new MomentumStep(3, 0.1, 1.0)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new MomentumStep(3, 0.1, double.NaN)).ParamName);
        Assert.Equal("learningRate", Assert.ThrowsAny<ArgumentException>(() => new MomentumStep(3, 0)).ParamName);
        var rule = new MomentumStep(3, 0.1, 0.5);
        Assert.Equal("gradient", Assert.ThrowsAny<ArgumentException>(() => rule.Apply(new double[3], new double[2])).ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public void Random_local_search_spends_exactly_its_budget(int evaluations)
    {
        // The start costs one evaluation, so a budget of E buys E − 1 candidates (it used to buy E, one too many).
        var split = Digits.Value;
        var model = new LinearClassifier(split.Train, LinearLoss.Hinge, 1e-3);
        var run = Optimizers.RandomLocalSearch(model, split.Validation, evaluations, step: 1e-2, scale: 1e-2, seed: 1);
        Assert.Equal(evaluations, run.Final.Evaluations);
        Assert.Equal(evaluations - 1, run.Final.Iteration);
        Assert.Equal(1, run.Trace[0].Evaluations);
    }
}

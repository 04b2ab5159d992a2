using LossNotebooks.Data;
using LossNotebooks.Optimization;

namespace LossNotebooks.Tests.Optimization;

/// <summary>
/// The searches against loops written here from their documented procedure (several batches, a budget that is not a
/// multiple of the batch), cancellation and divergence in every optimizer, the guards the other tests do not reach,
/// and the method descriptions.
/// </summary>
public class OptimizerLoopTests
{
    private static DataSplit Digits => OptimizationData.Digits.Value;

    private static long[] Bits(double[] w) => w.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Fact]
    public void Random_search_equals_a_serial_loop_over_batches_with_a_short_last_batch()
    {
        // Documented: draws W ~ scale·N(0,1) from one generator, `batch` at a time, keep the first strictly lowest loss.
        // 130 draws in batches of 50: 50, 50, 30. The library draws the next batch on another thread; the draws must
        // still come from the one generator in this order.
        var model = new LinearClassifier(Digits.Train, LinearLoss.Hinge);
        const int draws = 130, batch = 50, seed = 4;
        const double scale = 0.05;
        int P = model.Parameters;
        var rng = new Random(seed);
        var best = new double[P];
        double bestLoss = double.PositiveInfinity;
        var block = new double[batch * P];
        for (int done = 0; done < draws; done += batch)
        {
            int b = Math.Min(batch, draws - done);
            Gaussian.Fill(rng, block.AsSpan(0, b * P), scale);
            for (int q = 0; q < b; q++)
            {
                var w = block.AsSpan(q * P, P).ToArray();
                double loss = model.Value(w);
                if (loss < bestLoss) (bestLoss, best) = (loss, w);
            }
        }
        var run = Optimizers.RandomSearch(model, null, draws, scale, batch, seed, traceEvery: 25);
        Assert.Equal(Bits(best), Bits(run.Weights));
        // The library scores a batch with one product X̃·[W₁ … W_B]: the same sums in another order, so the loss agrees
        // to rounding (1e-14 relative), not to the bit.
        Assert.Equal(bestLoss, run.Final.Loss, bestLoss * 1e-14);
        // Trace points at 0, 25, …, 125 and the end (130); never past the budget.
        Assert.Equal([0, 25, 50, 75, 100, 125, 130], run.Trace.Select(p => p.Iteration));
        Assert.Equal(draws, run.Final.Evaluations);
    }

    [Fact]
    public void Random_search_with_a_batch_larger_than_the_budget_draws_the_budget()
    {
        var model = new LinearClassifier(Digits.Train, LinearLoss.Hinge);
        var small = Optimizers.RandomSearch(model, null, 7, 0.05, batch: 500, seed: 2);
        var exact = Optimizers.RandomSearch(model, null, 7, 0.05, batch: 7, seed: 2);
        Assert.Equal(Bits(exact.Weights), Bits(small.Weights));
        Assert.Equal(7, small.Final.Iteration);
    }

    [Fact]
    public void Random_local_search_equals_a_serial_loop()
    {
        // Documented: start at scale·N(0,1), try W_best + step·N(0,1), keep it when the loss is strictly lower.
        var model = new LinearClassifier(Digits.Train, LinearLoss.SoftmaxCrossEntropy);
        const int evaluations = 40, seed = 6;
        const double step = 0.02, scale = 0.01;
        int P = model.Parameters;
        var rng = new Random(seed);
        var best = new double[P];
        Gaussian.Fill(rng, best, scale);
        double bestLoss = model.Value(best);
        int accepted = 0;
        for (int t = 1; t < evaluations; t++)
        {
            var candidate = new double[P];
            for (int k = 0; k < P; k++) candidate[k] = best[k] + step * Gaussian.Next(rng);
            double loss = model.Value(candidate);
            if (loss < bestLoss) { (bestLoss, best) = (loss, candidate); accepted++; }
        }
        Assert.InRange(accepted, 1, evaluations - 2);   // some candidates kept, some refused: both branches run
        var run = Optimizers.RandomLocalSearch(model, null, evaluations, step, scale, seed);
        Assert.Equal(Bits(best), Bits(run.Weights));
        Assert.Equal(bestLoss, run.Final.Loss);
    }

    [Fact]
    public void Sgd_with_a_batch_that_divides_n_uses_every_batch_of_the_epoch()
    {
        // n = 12 rows in batches of 4: one epoch is exactly 3 batches, then a fresh shuffle. Reference: per epoch a
        // Fisher–Yates shuffle of 0..n−1 from the optimizer's generator (after W₀), then consecutive runs of 4.
        var (x, labels) = SmallData(12);
        var model = new LinearClassifier(x, labels, 2, 3, LinearLoss.SoftmaxCrossEntropy, 0);
        const int steps = 7, size = 4, seed = 5;
        const double eta = 0.5, scale = 0.1;
        var rng = new Random(seed);
        var w = new double[model.Parameters];
        Gaussian.Fill(rng, w, scale);
        var g = new double[w.Length];
        var order = Enumerable.Range(0, 12).ToArray();
        for (int t = 0, position = 12; t < steps; t++, position += size)
        {
            if (position + size > 12)
            {
                for (int i = 11; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
                position = 0;
            }
            model.ValueAndGradient(w, g, order.AsSpan(position, size));
            for (int k = 0; k < w.Length; k++) w[k] -= eta * g[k];
        }
        var sgd = Optimizers.Sgd(model, null, steps, size, eta, scale: scale, seed: seed);
        Assert.Equal(Bits(w), Bits(sgd.Weights));
    }

    /// <summary>n rows of 2 features in [−1, 1] with labels i mod 3: a small, fixed problem.</summary>
    private static (double[] X, int[] Labels) SmallData(int n)
    {
        var r = new Random(11);
        return (Enumerable.Range(0, 2 * n).Select(_ => 2 * r.NextDouble() - 1).ToArray(), Enumerable.Range(0, n).Select(i => i % 3).ToArray());
    }

    public static TheoryData<string> Methods => ["random", "local", "gd", "sgd", "adam"];

    private static OptimizationResult RunMethod(string method, LinearClassifier model, Dataset? validation, int iterations,
        double rate, CancellationToken token = default) => method switch
    {
        "random" => Optimizers.RandomSearch(model, validation, iterations, rate, batch: 4, seed: 1, cancellationToken: token),
        "local" => Optimizers.RandomLocalSearch(model, validation, iterations, rate, seed: 1, cancellationToken: token),
        "gd" => Optimizers.GradientDescent(model, validation, iterations, rate, seed: 1, cancellationToken: token),
        "sgd" => Optimizers.Sgd(model, validation, iterations, 8, rate, seed: 1, cancellationToken: token),
        _ => Optimizers.Adam(model, validation, iterations, 8, rate, seed: 1, cancellationToken: token),
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_cancelled_token_stops_every_optimizer(string method)
    {
        var model = new LinearClassifier(Digits.Train, LinearLoss.Hinge);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => RunMethod(method, model, null, 20, 0.01, cancelled.Token));
    }

    [Theory]
    [InlineData("gd")]
    [InlineData("sgd")]
    public void Weights_that_overflow_in_the_update_end_the_run_at_that_step(string method)
    {
        // Features of size 100 make the first gradient's entries larger than 1, so W − η·g with η = double.MaxValue
        // overflows in the update itself, before any score is computed from it.
        var x = Enumerable.Range(0, 24).Select(i => i % 2 == 0 ? 100.0 : -100.0).ToArray();
        var labels = Enumerable.Range(0, 12).Select(i => i % 3).ToArray();
        var model = new LinearClassifier(x, labels, 2, 3, LinearLoss.SoftmaxCrossEntropy);
        var e = Assert.Throws<DivergenceException>(() => RunMethod(method, model, null, 5, double.MaxValue));
        Assert.Equal(1, e.Iteration);
        Assert.Contains("the weights overflowed", e.Message);
    }

    [Fact]
    public void Guards_the_other_tests_do_not_reach()
    {
        var model = new LinearClassifier(Digits.Train, LinearLoss.Hinge);
        var v = Digits.Validation;
        string Name(Action a) => Assert.ThrowsAny<ArgumentException>(a).ParamName!;
        Assert.Equal("batch", Name(() => Optimizers.RandomSearch(model, v, 10, batch: 0)));
        Assert.Equal("scale", Name(() => Optimizers.RandomLocalSearch(model, v, 10, scale: 0)));
        Assert.Equal("scale", Name(() => Optimizers.GradientDescent(model, v, 10, 0.1, scale: -1)));
        Assert.Equal("scale", Name(() => Optimizers.Sgd(model, v, 10, 8, 0.1, scale: 0)));
        Assert.Equal("scale", Name(() => Optimizers.Adam(model, v, 10, 8, 0.1, scale: 0)));
        Assert.Equal("iterations", Name(() => Optimizers.Adam(model, v, 0, 8, 0.1)));
        Assert.Equal("batchSize", Name(() => Optimizers.Adam(model, v, 10, 0, 0.1)));
        Assert.Equal("batchSize", Name(() => Optimizers.Adam(model, v, 10, model.Rows + 1, 0.1)));
        var (x, labels) = SmallData(12);
        var fourClasses = new Dataset("four", x, labels.Select(l => l == 0 ? 3 : l).ToArray(), 2, ["a", "b", "c", "d"]);
        var threeFeatures = new Dataset("three", x.Take(36).Concat(x).Take(36).ToArray(), labels, 3, ["a", "b", "c"]);
        var small = new LinearClassifier(x, labels, 2, 3, LinearLoss.Hinge);
        Assert.Equal("validation", Name(() => Optimizers.GradientDescent(small, threeFeatures, 3, 0.1)));
        Assert.Equal("validation", Name(() => Optimizers.GradientDescent(small, fourClasses, 3, 0.1)));
        // The ends of the batch range are allowed: one row, and all n.
        foreach (int size in new[] { 1, small.Rows })
        {
            Assert.Equal(2, Optimizers.Sgd(small, null, 2, size, 0.1).Final.Iteration);
            Assert.Equal(2, Optimizers.Adam(small, null, 2, size, 0.1).Final.Iteration);
        }
        // Adam's rules: β = 0 is allowed (no averaging); the state has one entry per parameter.
        var adam = new AdamStep(3, 0.1, beta1: 0, beta2: 0);
        adam.Apply(new double[3], new double[] { 1, -1, 0 });
        Assert.Equal("parameters", Name(() => new AdamStep(0, 0.1)));
        Assert.Equal("w", Name(() => adam.Apply(new double[2], new double[3])));
        Assert.Equal("gradient", Name(() => adam.Apply(new double[3], new double[2])));
        Assert.Equal("scratch", Name(() => new MomentumStep(3, 0.1, 0.9, nesterov: true).GradientPoint(new double[3], new double[2])));
    }

    [Fact]
    public void Sgd_descriptions_name_the_momentum_kind()
    {
        var (x, labels) = SmallData(12);
        var model = new LinearClassifier(x, labels, 2, 3, LinearLoss.Hinge);
        Assert.Equal("mini-batch SGD (1 steps, batch 4, η = 0.1, μ = 0, seed 0)", Optimizers.Sgd(model, null, 1, 4, 0.1).Method);
        Assert.Equal("mini-batch SGD (1 steps, batch 4, η = 0.1, μ = 0.9, momentum, seed 0)", Optimizers.Sgd(model, null, 1, 4, 0.1, momentum: 0.9).Method);
        Assert.Equal("mini-batch SGD (1 steps, batch 4, η = 0.1, μ = 0.9, Nesterov, seed 0)",
            Optimizers.Sgd(model, null, 1, 4, 0.1, momentum: 0.9, nesterov: true).Method);
    }
}

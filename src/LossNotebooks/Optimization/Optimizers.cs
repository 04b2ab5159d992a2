using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Globalization;
using LossNotebooks.Data;
using LossNotebooks.Validation;

namespace LossNotebooks.Optimization;

/// <summary>
/// Seeded optimizers for a <see cref="LinearClassifier"/>: random search, random local search, full-batch gradient descent
/// mini-batch SGD (plain, with momentum, or with Nesterov momentum) and mini-batch Adam. Each returns an <see cref="OptimizationResult"/> whose trace has a point at iteration 0 (the start),
/// every <c>traceEvery</c> iterations and at the end; each point is also sent to <c>progress</c>. Same seed → the same
/// weights and trace (bit for bit, apart from elapsed time).
/// </summary>
public static class Optimizers
{
    /// <summary>
    /// Independent draws W ~ scale·N(0, 1); keeps the best. Draws are scored <paramref name="batch"/> at a time with one
    /// product X̃·[W₁ … W_B] (<see cref="LinearClassifier.Values"/>). One iteration = one draw.
    /// </summary>
    public static OptimizationResult RandomSearch(LinearClassifier model, Dataset? validation, int draws, double scale = 1e-3,
        int batch = 50, int seed = 0, int traceEvery = 0, IProgress<TracePoint>? progress = null, CancellationToken cancellationToken = default)
    {
        Check(model, validation, draws, nameof(draws));
        Guard.Positive(scale);
        Guard.Positive(batch);
        int P = model.Parameters;
        batch = Math.Min(batch, draws);
        var random = new Random(seed);
        var candidates = new double[batch * P];
        var next = new double[batch * P];
        var losses = new double[batch];
        var best = new double[P];
        double bestLoss = double.PositiveInfinity;
        var run = new Run(model, validation, draws, traceEvery, progress, "the scale of the draws is probably too large");
        run.Record(0, best, model.Value(best), 0); // W = 0 as the "before any draw" reference point
        int done = 0;
        Gaussian.Fill(random, candidates.AsSpan(0, Math.Min(batch, draws) * P), scale);
        while (done < draws)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int b = Math.Min(batch, draws - done), following = Math.Min(batch, draws - done - b);
            // The next batch is drawn on another thread while this one is scored: the generator is serial and would
            // otherwise leave the other cores idle. Draws still come from the one generator in the same order.
            var fill = following > 0
                ? Task.Run(() => Gaussian.Fill(random, next.AsSpan(0, following * P), scale))
                : Task.CompletedTask;
            var block = candidates.AsSpan(0, b * P);
            try { model.Values(block, losses.AsSpan(0, b)); }
            catch (ArithmeticException e) { throw run.Overflowed(done + 1, e); } // the batch's first draw
            finally { fill.Wait(CancellationToken.None); }
            for (int q = 0; q < b; q++)
            {
                done++;
                if (losses[q] < bestLoss)
                {
                    bestLoss = losses[q];
                    block.Slice(q * P, P).CopyTo(best);
                }
                if (run.Due(done)) run.Record(done, best, bestLoss, done);
            }
            (candidates, next) = (next, candidates);
        }
        return run.Result(string.Create(CultureInfo.InvariantCulture, $"random search ({draws} draws, scale {scale}, seed {seed})"), best);
    }

    /// <summary>
    /// Random local search: start at scale·N(0, 1), try W_best + step·N(0, 1), keep it if the loss is lower.
    /// <paramref name="evaluations"/> counts every loss evaluation, the starting point's included: the run scores the start and
    /// then evaluations − 1 candidates, so its budget is exactly <paramref name="evaluations"/> (iteration t = candidate t).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static OptimizationResult RandomLocalSearch(LinearClassifier model, Dataset? validation, int evaluations, double step = 1e-2,
        double scale = 1e-3, int seed = 0, int traceEvery = 0, IProgress<TracePoint>? progress = null, CancellationToken cancellationToken = default)
    {
        Check(model, validation, evaluations, nameof(evaluations));
        Guard.Positive(step);
        Guard.Positive(scale);
        int P = model.Parameters, candidates = evaluations - 1;
        var random = new Random(seed);
        var best = new double[P];
        Gaussian.Fill(random, best, scale);
        var candidate = new double[P];
        var run = new Run(model, validation, candidates, traceEvery, progress, "the step or scale is probably too large");
        int t = 0;
        try
        {
            double bestLoss = model.Value(best);
            run.Record(0, best, bestLoss, 1);
            for (t = 1; t <= candidates; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (int k = 0; k < P; k++) candidate[k] = best[k] + step * Gaussian.Next(random);
                double loss = model.Value(candidate);
                if (loss < bestLoss) { bestLoss = loss; candidate.CopyTo(best, 0); }
                if (run.Due(t)) run.Record(t, best, bestLoss, 1 + t);
            }
        }
        catch (ArithmeticException e) when (e is not DivergenceException) { throw run.Overflowed(t, e); }
        return run.Result(string.Create(CultureInfo.InvariantCulture,
            $"random local search ({evaluations} evaluations: the start and {candidates} steps of {step}, seed {seed})"), best);
    }

    /// <summary>Full-batch gradient descent W ← W − η·∇L(W) from W₀ = scale·N(0, 1). One iteration = one evaluation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static OptimizationResult GradientDescent(LinearClassifier model, Dataset? validation, int iterations, double learningRate,
        double scale = 1e-3, int seed = 0, int traceEvery = 0, IProgress<TracePoint>? progress = null, CancellationToken cancellationToken = default)
    {
        Check(model, validation, iterations, nameof(iterations));
        Guard.Positive(learningRate);
        Guard.Positive(scale);
        int P = model.Parameters;
        var random = new Random(seed);
        var w = new double[P];
        Gaussian.Fill(random, w, scale);
        var gradient = new double[P];
        var run = new Run(model, validation, iterations, traceEvery, progress, LearningRateHint);
        int t = 0;
        try
        {
            run.Record(0, w, model.Value(w), 0);
            for (t = 1; t <= iterations; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                model.ValueAndGradient(w, gradient);
                for (int k = 0; k < P; k++) w[k] -= learningRate * gradient[k];
                run.EnsureFinite(w, t);
                if (run.Due(t)) run.Record(t, w, model.Value(w), t);
            }
        }
        catch (ArithmeticException e) when (e is not DivergenceException) { throw run.Overflowed(t, e); }
        return run.Result(string.Create(CultureInfo.InvariantCulture, $"gradient descent ({iterations} steps, η = {learningRate}, seed {seed})"), w);
    }

    /// <summary>
    /// Mini-batch SGD: each epoch visits the rows in a fresh seeded permutation, in consecutive batches of
    /// <paramref name="batchSize"/> (the last, short part of an epoch is skipped: every step has the same batch size).
    /// The step is <see cref="MomentumStep"/>: with μ = <paramref name="momentum"/> = 0 it is plain SGD, W ← W − η·g
    /// (bit for bit); with μ &gt; 0 it is classical momentum, or Nesterov's accelerated gradient when
    /// <paramref name="nesterov"/> is set (the gradient is taken at the look-ahead point W + μ·v). One iteration = one batch
    /// = batch/n evaluations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static OptimizationResult Sgd(LinearClassifier model, Dataset? validation, int iterations, int batchSize, double learningRate,
        double momentum = 0.0, double scale = 1e-3, int seed = 0, int traceEvery = 0, IProgress<TracePoint>? progress = null,
        CancellationToken cancellationToken = default, bool nesterov = false)
    {
        Check(model, validation, iterations, nameof(iterations));
        if (batchSize < 1 || batchSize > model.Rows)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be in [1, n = {model.Rows}].");
        Guard.Positive(scale);
        int P = model.Parameters, n = model.Rows;
        var rule = new MomentumStep(P, learningRate, momentum, nesterov);
        var random = new Random(seed);
        var w = new double[P];
        Gaussian.Fill(random, w, scale);
        var lookAhead = new double[P];
        var gradient = new double[P];
        var run = new Run(model, validation, iterations, traceEvery, progress, LearningRateHint);
        MiniBatches(model, run, iterations, batchSize, new Batches(n, batchSize, random), w, gradient,
            () => rule.GradientPoint(w, lookAhead), () => rule.Apply(w, gradient), cancellationToken);
        string kind = momentum == 0 ? "" : nesterov ? ", Nesterov" : ", momentum";
        return run.Result(string.Create(CultureInfo.InvariantCulture,
            $"mini-batch SGD ({iterations} steps, batch {batchSize}, η = {learningRate}, μ = {momentum}{kind}, seed {seed})"), w);
    }

    /// <summary>
    /// Mini-batch Adam (<see cref="AdamStep"/>): the same start W₀ = scale·N(0, 1) and the same seeded batches as
    /// <see cref="Sgd"/> (same seed → the same rows in the same order), only the step differs. With
    /// <paramref name="batchSize"/> = n every step sees all rows (full-batch Adam). One iteration = one batch = batch/n evaluations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static OptimizationResult Adam(LinearClassifier model, Dataset? validation, int iterations, int batchSize, double learningRate,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double scale = 1e-3, int seed = 0, int traceEvery = 0,
        IProgress<TracePoint>? progress = null, CancellationToken cancellationToken = default)
    {
        Check(model, validation, iterations, nameof(iterations));
        if (batchSize < 1 || batchSize > model.Rows)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be in [1, n = {model.Rows}].");
        Guard.Positive(scale);
        int P = model.Parameters, n = model.Rows;
        var rule = new AdamStep(P, learningRate, beta1, beta2, epsilon);
        var random = new Random(seed);
        var w = new double[P];
        Gaussian.Fill(random, w, scale);
        var gradient = new double[P];
        var run = new Run(model, validation, iterations, traceEvery, progress, LearningRateHint);
        MiniBatches(model, run, iterations, batchSize, new Batches(n, batchSize, random), w, gradient,
            () => w, () => rule.Apply(w, gradient), cancellationToken);
        return run.Result(string.Create(CultureInfo.InvariantCulture,
            $"Adam ({iterations} steps, batch {batchSize}, η = {learningRate}, β₁ = {beta1}, β₂ = {beta2}, ε = {epsilon}, seed {seed})"), w);
    }

    /// <summary>
    /// The loop <see cref="Sgd"/> and <see cref="Adam"/> share: per iteration one batch's gradient at the rule's point,
    /// then the rule's step; traced, checked for divergence, cancellable. One iteration = batch/n evaluations.
    /// </summary>
    private delegate ReadOnlySpan<double> GradientPoint();

    private static void MiniBatches(LinearClassifier model, Run run, int iterations, int batchSize, Batches batches, double[] w,
        double[] gradient, GradientPoint gradientPoint, Action step, CancellationToken cancellationToken)
    {
        int n = model.Rows, t = 0;
        try
        {
            run.Record(0, w, model.Value(w), 0);
            for (t = 1; t <= iterations; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                model.ValueAndGradient(gradientPoint(), gradient, batches.Next());
                step();
                run.EnsureFinite(w, t);
                if (run.Due(t)) run.Record(t, w, model.Value(w), (double)t * batchSize / n);
            }
        }
        catch (ArithmeticException e) when (e is not DivergenceException) { throw run.Overflowed(t, e); }
    }

    /// <summary>
    /// The batches of <see cref="Sgd"/> and <see cref="Adam"/>: per epoch a Fisher–Yates shuffle from the optimizer's
    /// generator, then consecutive runs of the permutation; the short rest of an epoch is skipped.
    /// </summary>
    private sealed class Batches(int n, int size, Random random)
    {
        private readonly int[] _order = Enumerable.Range(0, n).ToArray();
        private int _position = int.MaxValue - size; // forces a shuffle before the first batch

        public ReadOnlySpan<int> Next()
        {
            if (_position + size > _order.Length)
            {
                for (int i = _order.Length - 1; i > 0; i--) { int j = random.Next(i + 1); (_order[i], _order[j]) = (_order[j], _order[i]); }
                _position = 0;
            }
            _position += size;
            return _order.AsSpan(_position - size, size);
        }
    }

    private const string LearningRateHint = "the learning rate is probably too large";

    private static void Check(LinearClassifier model, Dataset? validation, int iterations, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (iterations < 1) throw new ArgumentOutOfRangeException(name, iterations, $"{name} must be at least 1.");
        if (validation is not null)
        {
            if (validation.Features != model.Features)
                throw new ArgumentException($"validation has {validation.Features} features, the model {model.Features}.", nameof(validation));
            if (validation.Classes != model.Classes)
                throw new ArgumentException($"validation has {validation.Classes} classes, the model {model.Classes}.", nameof(validation));
        }
    }

    /// <summary>Trace bookkeeping shared by the optimizers, and how a run that left double's range is reported.</summary>
    private sealed class Run(LinearClassifier model, Dataset? validation, int iterations, int traceEvery, IProgress<TracePoint>? progress,
        string divergenceHint)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<TracePoint> _trace = [];
        private readonly int _every = traceEvery > 0 ? traceEvery : Math.Max(1, iterations / 100);

        public bool Due(int iteration) => iteration % _every == 0 || iteration == iterations;

        public void Record(int iteration, double[] w, double loss, double evaluations)
        {
            if (!double.IsFinite(loss)) throw Diverged(iteration, $"the loss became {loss}");
            var point = new TracePoint(iteration, loss, model.Accuracy(w),
                validation is null ? double.NaN : model.Accuracy(w, validation), evaluations, _clock.Elapsed.TotalSeconds);
            _trace.Add(point);
            progress?.Report(point);
        }

        public OptimizationResult Result(string method, double[] w) => new(method, w, _trace);

        /// <summary>
        /// A step so large that W itself overflows ends the run here: the finite-loss check would only see it at the next
        /// trace point, and the model would first reject the weights as bad input.
        /// </summary>
        public void EnsureFinite(double[] w, int iteration)
        {
            if (!LinearKernel.AllFinite(w)) throw Diverged(iteration, "the weights overflowed");
        }

        /// <summary>The model's own overflow report (non-finite scores from finite W), placed in the run.</summary>
        public DivergenceException Overflowed(int iteration, ArithmeticException e) => Diverged(iteration, e.Message.TrimEnd('.'), e);

        private DivergenceException Diverged(int iteration, string what, Exception? inner = null) => new(iteration, what, divergenceHint, inner);
    }
}

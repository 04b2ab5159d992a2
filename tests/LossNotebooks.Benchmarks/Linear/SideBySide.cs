using System.Diagnostics;
using System.Globalization;
using LossNotebooks.Data;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using LossNotebooks.Optimization;

namespace LossNotebooks.Benchmarks.Linear;

/// <summary>
/// Our side of the numpy comparison (tests/LossNotebooks.Benchmarks/side_by_side.py holds the numpy side and the same
/// table of workloads). Each workload is set up once, warmed up once, then timed with a Stopwatch; the best of
/// <c>--runs</c> runs is printed as <c>RESULT key seconds note</c>. To add a row, add an entry to <see cref="Workloads"/>
/// with the key used in side_by_side.py.
/// </summary>
public static class SideBySide
{
    /// <summary>
    /// A workload: <c>Setup</c> builds the data (not timed) and returns the timed action and a warm-up action (JIT tiers,
    /// thread pool, page faults; may be a smaller version of the work). At most <c>MaxRuns</c> timed runs.
    /// </summary>
    public sealed record Workload(string Key, string Description, Func<(Action Timed, Action WarmUp)> Setup, int MaxRuns = int.MaxValue);

    public static IReadOnlyList<Workload> Workloads { get; } =
    [
        new("svm-loss-grad", "SVM loss + gradient, linear model, N=10000 D=3073 C=10", SvmLossGradient),
        new("svm-numeric-grad", "full numeric gradient of the SVM loss wrt W (3073x10), N=500, incremental", SvmNumericGradient),
        new("random-search", "random search, 1000 draws, N=10000 D=3073 C=10", RandomSearch, MaxRuns: 2),
        new("softmax-grad-hess", "softmax cross-entropy gradient + diagonal Hessian, n=100000 c=100", SoftmaxGradHess),
        new("brier-grad-hess", "weighted Brier gradient + diagonal Hessian, n=100000 c=100", BrierGradHess),
    ];

    /// <summary>Scores ~ U(−3, 3), labels uniform, per-entry weights ~ U(0.5, 1.5) (n×c row-major).</summary>
    private static (double[] Z, int[] Y, double[] W) ScoreData(int n, int c, int seed)
    {
        var r = new Random(seed);
        var z = new double[n * c];
        for (int k = 0; k < z.Length; k++) z[k] = 6 * r.NextDouble() - 3;
        var y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.Next(c);
        var w = new double[n * c];
        for (int k = 0; k < w.Length; k++) w[k] = 0.5 + r.NextDouble();
        return (z, y, w);
    }

    /// <summary>The span kernel of src/LossNotebooks/Losses: one softmax per row feeds value, gradient and diagonal.</summary>
    private static (Action, Action) SoftmaxGradHess()
    {
        const int n = 100_000, c = 100;
        var (z, y, _) = ScoreData(n, c, 7);
        var g = new double[n * c];
        var d = new double[n * c];
        Action run = () => SoftmaxCrossEntropy.Kernel(z, c, y, default, g, d);
        return (run, run);
    }

    private static (Action, Action) BrierGradHess()
    {
        const int n = 100_000, c = 100;
        var (z, y, w) = ScoreData(n, c, 8);
        var g = new double[n * c];
        var d = new double[n * c];
        Action run = () => WeightedBrier.Kernel(z, c, y, w, g, d);
        return (run, run);
    }

    public static int Run(string[] args)
    {
        int runs = 3;
        var keys = new List<string>();
        for (int a = 0; a < args.Length; a++)
        {
            if (args[a] == "--runs" && a + 1 < args.Length) runs = int.Parse(args[++a], CultureInfo.InvariantCulture);
            else keys.Add(args[a]);
        }
        var selected = keys.Count == 0 ? Workloads : keys.Select(k => Workloads.FirstOrDefault(w => w.Key == k)
            ?? throw new ArgumentException($"Unknown workload '{k}'. Known: {string.Join(", ", Workloads.Select(w => w.Key))}.", nameof(args))).ToList();
        foreach (var workload in selected)
        {
            var (timed, warmUp) = workload.Setup();
            // Tiered JIT promotes hot methods after ~30 calls plus a background delay: warm up for at least 1 s.
            var warm = Stopwatch.StartNew();
            do warmUp(); while (warm.Elapsed.TotalSeconds < 1);
            int n = Math.Min(runs, workload.MaxRuns);
            double best = double.PositiveInfinity;
            for (int r = 0; r < n; r++)
            {
                var clock = Stopwatch.StartNew();
                timed();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {workload.Key} {best:R} best of {n}"));
        }
        return 0;
    }

    /// <summary>The seeds' data: X ~ N(0,1) n×d (d = 3073 already holds the bias column), labels uniform in [0, c).</summary>
    internal static (double[] X, int[] Y) SeedData(int n, int d, int c, int seed)
    {
        var r = new Random(seed);
        var x = new double[n * d];
        Gaussian.Fill(r, x);
        var y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.Next(c);
        return (x, y);
    }

    private static (Action, Action) SvmLossGradient()
    {
        const int n = 10000, d = 3073, c = 10;
        var (x, y) = SeedData(n, d, c, 1);
        var model = new LinearClassifier(x, y, d, c, LinearLoss.Hinge, regularization: 1e-3, bias: false);
        var w = new double[d * c];
        Gaussian.Fill(new Random(2), w, 1e-4);
        var g = new double[d * c];
        Action run = () => model.ValueAndGradient(w, g);
        return (run, run);
    }

    private static (Action, Action) SvmNumericGradient()
    {
        const int n = 500, d = 3073, c = 10;
        var (x, y) = SeedData(n, d, c, 3);
        var model = new LinearClassifier(x, y, d, c, LinearLoss.Hinge, regularization: 1e-3, bias: false);
        var w = new double[d * c];
        Gaussian.Fill(new Random(4), w, 1e-4);
        var g = new double[d * c];
        // The seed's method: forward difference, h = 1e-5, every entry.
        Action run = () => LinearNumericGradient.Incremental(model, w, g, DifferenceRule.Forward, StepSize.Absolute(1e-5));
        return (run, run);
    }

    private static (Action, Action) RandomSearch()
    {
        const int n = 10000, d = 3073, c = 10, draws = 1000;
        var (x, y) = SeedData(n, d, c, 5);
        var model = new LinearClassifier(x, y, d, c, LinearLoss.Hinge, regularization: 0, bias: false);
        // traceEvery = draws: the trace holds only the start and end points, as numpy's loop keeps only the best.
        return (() => Optimizers.RandomSearch(model, null, draws, scale: 1e-4, seed: 6, traceEvery: draws),
                () => Optimizers.RandomSearch(model, null, 100, scale: 1e-4, seed: 6, traceEvery: 100));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using LossNotebooks.Data;
using LossNotebooks.Optimization;

namespace LossNotebooks.Benchmarks.Linear;

/// <summary>
/// `draw-cost [runs]`: where the time of one random-search draw goes at seed 002's shape (n = 10 000, d + 1 = 3073,
/// c = 10): generating the draw's normal numbers, scoring it alone, scoring it in a batch of 50, against one plain pass
/// over X̃ (a sum of its entries) as the memory yardstick. Each figure is the best of <c>runs</c> timed runs of 50 draws
/// after one warm-up run. docs/performance.md reports its output.
/// </summary>
public static class DrawCost
{
    private const int Draws = 50;

    public static int Run(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(args), runs, "runs must be at least 1.");
        var data = Datasets.RandomLabels(rows: 10_000, features: 3072, classes: 10, seed: 0);
        var model = new LinearClassifier(data, LinearLoss.Hinge, regularization: 0);
        int p = model.Parameters;
        var drawn = new double[Draws * p];
        var batched = new double[Draws];
        var alone = new double[Draws];
        double sink = 0;
        double BestOf(Action work)
        {
            work(); // warm-up: JIT tiers, workspaces, page faults
            double best = double.PositiveInfinity;
            for (int r = 0; r < runs; r++)
            {
                var sw = Stopwatch.StartNew();
                work();
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            return best;
        }
        double readX = BestOf(() => sink += TensorPrimitives.Sum(model.Design));
        double generate = BestOf(() => Gaussian.Fill(new Random(0), drawn, 1e-4)) / Draws;
        double scoreAlone = BestOf(() => { for (int q = 0; q < Draws; q++) alone[q] = model.Value(drawn.AsSpan(q * p, p)); }) / Draws;
        double scoreBatched = BestOf(() => model.Values(drawn, batched)) / Draws;
        double worst = batched.Zip(alone, (b, s) => Math.Abs(b - s) / Math.Abs(s)).Max();
        double bytes = 8.0 * model.Design.Length, flops = 2.0 * model.Rows * model.Width * model.Classes;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"X̃ {model.Rows}×{model.Width} = {bytes / 1e6:F0} MB; {Environment.ProcessorCount} logical cores; best of {runs} runs of {Draws} draws (sink {sink:E1})"));
        Console.WriteLine(string.Create(inv, $"one plain pass over X̃ (sum):        {readX * 1e3,8:F1} ms  ({bytes / readX / 1e9:F1} GB/s)"));
        Console.WriteLine(string.Create(inv, $"per draw: generate W                {generate * 1e3,8:F2} ms"));
        Console.WriteLine(string.Create(inv, $"per draw: score it alone            {scoreAlone * 1e3,8:F1} ms  ({scoreAlone / readX:F2}× the plain pass, {flops / scoreAlone / 1e9:F1} GFLOP/s)"));
        Console.WriteLine(string.Create(inv, $"per draw: score it in a batch of {Draws} {scoreBatched * 1e3,8:F1} ms  ({flops / scoreBatched / 1e9:F1} GFLOP/s)"));
        Console.WriteLine(string.Create(inv, $"batching speeds up scoring {scoreAlone / scoreBatched:F1}×; losses agree to {worst:E1} relative"));
        Console.WriteLine(string.Create(inv, $"10 000 draws extrapolated: {(generate + scoreAlone) * 1e4 / 60:F1} min one at a time, {(generate + scoreBatched) * 1e4 / 60:F1} min batched"));
        return 0;
    }
}

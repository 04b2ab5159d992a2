using System.Numerics;
using LossNotebooks.Differentiation;
using LossNotebooks.Data;
using LossNotebooks.Losses;
using LossNotebooks.Optimization;

namespace LossNotebooks.Figures;

/// <summary>
/// The ready-made figures of the notebooks, computed from the library on fixed seeds, by name: what
/// `lossnb figures` exports for blog posts. Same seed, same bytes.
/// </summary>
public static class FigureGallery
{
    public const int DefaultSeed = 20161;

    public static IReadOnlyList<KeyValuePair<string, Figure>> Build(int seed = DefaultSeed)
    {
        var figures = new List<KeyValuePair<string, Figure>>();
        void Add(string name, Figure figure) => figures.Add(new(name, figure));

        // A small softmax cross-entropy problem shared by several figures.
        const int n = 4, c = 5;
        var random = new Random(seed);
        var scores = new double[n * c];
        for (int i = 0; i < scores.Length; i++) scores[i] = 2 * random.NextDouble() - 1;
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = random.Next(c);
        var loss = new SoftmaxCrossEntropy(labels, c);

        var exp = StepSweep.Run(Math.Exp, 0.5, derivative: Math.Exp(0.5), complexF: Complex.Exp);
        Add("fd-error-exp", exp.ToFigure(title: "Finite-difference error of d/dx exp(x) at x = 0.5"));

        var entry = StepSweep.Run(loss, scores, k: 2);
        Add("fd-error-cross-entropy", entry.ToFigure(title: "Finite-difference error of ∂L/∂z[0,2], softmax cross-entropy"));

        var analytic = new double[scores.Length];
        loss.Gradient(scores, analytic);
        var numeric = new double[scores.Length];
        FiniteDifference.Gradient(loss.Value, scores, numeric);
        Add("gradient-check-cross-entropy", Plots.GradientCheck(analytic, numeric));

        var block = new double[c * c];
        loss.RowHessian(scores, 0, block);
        Add("hessian-cross-entropy-row", Plots.HessianHeatmap(block, c));

        // The hinge along the direction of one score: flat, then a kink where the margin turns positive.
        var hinge = new MulticlassHinge(labels, c);
        var t = Enumerable.Range(0, 201).Select(i => -2 + 4 * i / 200.0).ToArray();
        var along = new double[t.Length];
        var moved = (double[])scores.Clone();
        int wrong = (labels[0] + 1) % c;
        for (int i = 0; i < t.Length; i++)
        {
            moved[wrong] = scores[wrong] + t[i];
            along[i] = hinge.Value(moved);
        }
        Add("hinge-slice", Plots.LossSlice1D(t, along, title: "Multiclass hinge along one wrong-class score"));

        // Cross-entropy of row 0 over two of its logits.
        int grid = 41;
        var gx = Enumerable.Range(0, grid).Select(i => -3 + 6.0 * i / (grid - 1)).ToArray();
        var surface = new double[grid * grid];
        var row = new SoftmaxCrossEntropy([0], c);
        var z = new double[c];
        for (int a = 0; a < grid; a++)
            for (int b = 0; b < grid; b++)
            {
                z[0] = gx[b]; z[1] = gx[a];
                surface[a * grid + b] = row.Value(z);
            }
        Add("cross-entropy-landscape", Plots.LossLandscape2D(gx, gx, surface,
            title: "Cross-entropy of one row over z₀ (true class) and z₁", xLabel: "score z₀ (true class, logit)", yLabel: "score z₁ (logit)"));

        var steps = StepSweep.LogGrid(1e-12, 1, 2);
        Add("step-explorer", Plots.StepSizeExplorer(Math.Sin, 1.0, Math.Cos(1.0), steps, DifferenceRule.Forward, functionLabel: "sin(x)"));
        Add("convergence-digits", Convergence(seed));
        return figures;
    }

    /// <summary>
    /// Random search, random local search, gradient descent and SGD on digits (softmax cross-entropy), each given
    /// 100 loss evaluations: loss and validation accuracy against evaluations used.
    /// </summary>
    public static Figure Convergence(int seed = DefaultSeed)
    {
        var split = Datasets.Load("digits").Split(0.25, seed).Standardized();
        var model = new LinearClassifier(split.Train, LinearLoss.SoftmaxCrossEntropy);
        const int budget = 100;
        int batch = 32, sgdSteps = budget * split.Train.Rows / batch;
        var runs = new[]
        {
            Optimizers.RandomSearch(model, split.Validation, budget, scale: 1e-2, seed: seed, traceEvery: 5),
            Optimizers.RandomLocalSearch(model, split.Validation, budget, scale: 1e-2, seed: seed, traceEvery: 5),
            Optimizers.GradientDescent(model, split.Validation, budget, learningRate: 0.5, seed: seed, traceEvery: 5),
            Optimizers.Sgd(model, split.Validation, sgdSteps, batch, learningRate: 0.05, momentum: 0.9, seed: seed, traceEvery: sgdSteps / 20),
        };
        string[] names = ["random search", "random local search", "gradient descent", $"SGD, batch {batch}"];
        var series = runs.Select((r, i) => new ConvergenceSeries(names[i],
            r.Trace.Select(p => p.Evaluations).ToArray(),
            r.Trace.Select(p => p.Loss).ToArray(),
            r.Trace.Select(p => p.ValidationAccuracy).ToArray())).ToList();
        var figure = Plots.Convergence(series, logLoss: true, title: "Digits, softmax cross-entropy: 100 loss evaluations each",
            lossLabel: "training loss L(W)", accuracyLabel: "validation accuracy");
        foreach (var panel in figure.Panels) panel.XAxis = Axis.Linear("loss evaluations (an SGD step counts batch/n)");
        return figure;
    }
}

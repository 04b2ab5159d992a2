using System.Globalization;
using LossNotebooks.Data;
using LossNotebooks.Optimization;

namespace LossNotebooks.Benchmarks.Linear;

/// <summary>
/// `digits [budget]`: the expected result, printed — every optimizer on digits (split seed 0, 25 % validation,
/// standardised; optimizer seed 1) with the same budget of loss evaluations (full-data units), for each loss.
/// </summary>
public static class DigitsComparison
{
    public static int Run(string[] args)
    {
        int budget = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var split = Datasets.Load("digits").Split(0.25, seed: 0).Standardized();
        Console.WriteLine($"digits: {split.Train.Rows} train / {split.Validation.Rows} validation rows, budget {budget} loss evaluations, λ = 1e-3");
        foreach (var loss in Enum.GetValues<LinearLoss>())
        {
            var model = new LinearClassifier(split.Train, loss, 1e-3);
            int steps = budget * model.Rows / 32;
            var runs = new[]
            {
                Optimizers.RandomSearch(model, split.Validation, budget, scale: 1e-2, seed: 1),
                Optimizers.RandomLocalSearch(model, split.Validation, budget, step: 1e-2, seed: 1),
                Optimizers.GradientDescent(model, split.Validation, budget, learningRate: 0.5, seed: 1, traceEvery: budget),
                Optimizers.Sgd(model, split.Validation, steps, 32, 0.05, momentum: 0.9, seed: 1, traceEvery: steps),
            };
            foreach (var run in runs)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{loss,-20} {run.Method,-75} evals {run.Final.Evaluations,6:F1}  loss {run.Final.Loss,9:G4}  train {run.Final.TrainAccuracy:P1}  validation {run.Final.ValidationAccuracy:P1}"));
        }
        return 0;
    }
}

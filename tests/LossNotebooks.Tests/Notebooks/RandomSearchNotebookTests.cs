using System.Globalization;
using LossNotebooks.Checks;
using LossNotebooks.Data;
using LossNotebooks.Optimization;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>
/// The claims notebooks/05-random-search-vs-gradient-descent.ipynb makes, re-run with the notebook's data, seeds, grids and
/// budgets: digits split 20 % test (seed 0), the rest 25 % validation (seed 0), standardised on the training part; hinge
/// loss, λ = 1e-3; optimizer seed 1; 100 evaluations per run; six trials per method chosen on validation accuracy; each
/// chosen run scored once on the test set. If a library change breaks what the notebook tells students, this fails in
/// `dotnet test`, not only in the notebook. The README's "Results on the bundled data" table is checked against the same runs.
/// </summary>
public class RandomSearchNotebookTests(RandomSearchNotebookTests.DigitsRuns runs) : IClassFixture<RandomSearchNotebookTests.DigitsRuns>
{
    private const int Budget = 100;
    private const int Seed = 1;
    private const int BatchSize = 32;
    private const double Start = 1e-2;
    private static readonly double[] HalfDecades = [1, 3, 10, 30, 100, 300];

    public sealed record Method(string Name, string Setting, double[] Grid, Func<double, OptimizationResult> Run);
    public sealed record Chosen(Method Method, double Setting, OptimizationResult Run, double Test, int TrialCount);

    /// <summary>The notebook's 36 tuning runs and the six chosen ones, computed once for all tests in this class.</summary>
    public sealed class DigitsRuns
    {
        public DigitsRuns()
        {
            var outer = Datasets.Load("digits").Split(validationFraction: 0.2, seed: 0);
            var inner = outer.Train.Split(validationFraction: 0.25, seed: 0);
            var scaler = Standardizer.Fit(inner.Train);
            Train = scaler.Transform(inner.Train);
            Validation = scaler.Transform(inner.Validation);
            Test = scaler.Transform(outer.Validation);
            var model = Model = new LinearClassifier(Train, LinearLoss.Hinge, regularization: 1e-3);
            var v = Validation;
            int sgdSteps = Budget * model.Rows / BatchSize;
            double[] Grid(double unit) => [.. HalfDecades.Select(x => x * unit)];
            Methods =
            [
                new("random search", "σ", Grid(1e-3), s => Optimizers.RandomSearch(model, v, draws: Budget, scale: s, seed: Seed, traceEvery: Budget)),
                new("random local search", "σ", Grid(1e-3), s => Optimizers.RandomLocalSearch(model, v, evaluations: Budget, step: s, scale: Start, seed: Seed, traceEvery: Budget)),
                new("gradient descent", "η", Grid(1e-2), eta => Optimizers.GradientDescent(model, v, iterations: Budget, learningRate: eta, scale: Start, seed: Seed, traceEvery: Budget)),
                new("SGD", "η", Grid(1e-3), eta => Optimizers.Sgd(model, v, sgdSteps, BatchSize, eta, scale: Start, seed: Seed, traceEvery: sgdSteps)),
                new("SGD + momentum 0.9", "η", Grid(1e-3), eta => Optimizers.Sgd(model, v, sgdSteps, BatchSize, eta, momentum: 0.9, scale: Start, seed: Seed, traceEvery: sgdSteps)),
                new("SGD + Nesterov 0.9", "η", Grid(1e-3), eta => Optimizers.Sgd(model, v, sgdSteps, BatchSize, eta, momentum: 0.9, scale: Start, seed: Seed, traceEvery: sgdSteps, nesterov: true)),
            ];
            foreach (var m in Methods)
            {
                var trials = m.Grid.Select(s => (Setting: s, Run: m.Run(s))).ToList();
                Trials.AddRange(trials.Select(t => (m, t.Setting, t.Run)));
                var best = trials.OrderByDescending(t => t.Run.Final.ValidationAccuracy).ThenBy(t => t.Run.Final.Loss).First();
                Results.Add(new Chosen(m, best.Setting, best.Run, model.Accuracy(best.Run.Weights, Test), trials.Count));
            }
        }

        public Dataset Train { get; }
        public Dataset Validation { get; }
        public Dataset Test { get; }
        public LinearClassifier Model { get; }
        public Method[] Methods { get; }
        public List<(Method Method, double Setting, OptimizationResult Run)> Trials { get; } = [];
        public List<Chosen> Results { get; } = [];
        public Chosen Gd => Results[2];
    }

    private static string Pct(double p) => (100 * p).ToString("F1", CultureInfo.InvariantCulture) + " %";

    [Fact]
    public void The_three_parts_partition_the_data_and_the_loss_at_zero_is_c_minus_1()
    {
        Assert.Equal(1797, runs.Train.Rows + runs.Validation.Rows + runs.Test.Rows);
        Assert.InRange(runs.Test.Rows, 355, 365);        // 20 % of 1797, rounded per class
        Assert.InRange(runs.Validation.Rows, 355, 365);  // 25 % of the remaining 80 %
        // Every score is 0, so each of the 9 wrong classes adds max(0, 0 − 0 + 1) = 1 exactly; the penalty is 0.
        Assert.Equal(9.0, runs.Model.Value(new double[runs.Model.Parameters]), 12);
        Assert.Equal(650, runs.Model.Parameters);
    }

    [Fact]
    public void Every_run_spends_the_same_budget_and_every_method_gets_the_same_number_of_trials()
    {
        Assert.All(runs.Results, r => Assert.Equal(6, r.TrialCount));
        foreach (var (m, _, r) in runs.Trials)
        {
            if (m.Name.StartsWith("SGD"))
                // ⌊budget·n/B⌋ steps of B/n evaluations: short of the budget by less than one batch.
                Assert.InRange(r.Final.Evaluations, Budget - (double)BatchSize / runs.Model.Rows, Budget);
            else
                Assert.Equal(Budget, r.Final.Evaluations);   // local search included: start + 99 candidates
        }
    }

    [Fact]
    public void Every_gradient_method_beats_both_random_searches_on_the_test_set()
    {
        // Measured (notebook run): random search 23.1 %, random local search 47.6 %, the four gradient methods 96.4–96.7 %
        // test accuracy. Thresholds sit far from the measured values but would catch a broken optimizer (which falls to
        // random-search level) and a random search that suddenly "learns".
        var random = runs.Results.Take(2).ToList();
        var gradient = runs.Results.Skip(2).ToList();
        Assert.All(random, r => Assert.True(r.Test < 0.65, $"{r.Method.Name}: test {r.Test}"));
        Assert.All(gradient, r => Assert.True(r.Test > 0.93, $"{r.Method.Name}: test {r.Test}"));
        Assert.True(gradient.Min(r => r.Test) - random.Max(r => r.Test) > 0.3, "gap between the worst gradient method and the best random one");
        Assert.True(random[0].Run.Final.Loss > 5, $"random search barely leaves L(0) = 9: {random[0].Run.Final.Loss}");
    }

    [Fact]
    public void The_gradient_methods_are_within_two_standard_errors_of_each_other()
    {
        // The notebook says the experiment cannot rank GD, SGD, momentum and Nesterov: their test accuracies differ by less
        // than two standard errors √(p(1−p)/m) of the test set (measured: 0.3 standard errors).
        var tests = runs.Results.Skip(2).Select(r => r.Test).ToArray();
        double p = tests.Average(), se = Math.Sqrt(p * (1 - p) / runs.Test.Rows);
        Assert.True(tests.Max() - tests.Min() < 2 * se, $"spread {tests.Max() - tests.Min()} vs 2 s.e. {2 * se}");
    }

    [Fact]
    public void Validation_accuracy_of_the_winner_overstates_test_accuracy_most_for_local_search()
    {
        // The notebook's "validation − test" column: best-of-six on the same images is optimistic; largest for local search.
        var gaps = runs.Results.Select(r => r.Run.Final.ValidationAccuracy - r.Test).ToArray();
        Assert.Equal(1, Array.IndexOf(gaps, gaps.Max()));
        Assert.True(gaps[1] > 0.03, $"local search gap {gaps[1]}");
    }

    [Fact]
    public void The_readme_results_table_shows_the_numbers_of_these_runs()
    {
        // README.md, section "Results on the bundled data": one row per method, "| name | setting | validation | test |".
        string readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        int at = readme.IndexOf("## Results on the bundled data", StringComparison.Ordinal);
        Assert.True(at >= 0, "README section missing");
        int next = readme.IndexOf("\n## ", at + 5, StringComparison.Ordinal);
        var rows = readme[at..(next < 0 ? readme.Length : next)].Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries).Where(c => c.Length > 0).ToArray())
            .ToDictionary(c => c[0]);
        foreach (var r in runs.Results)
        {
            Assert.True(rows.TryGetValue(r.Method.Name, out var cells), $"README has no row for {r.Method.Name}");
            Assert.Equal($"{r.Method.Setting} = {r.Setting.ToString("G3", CultureInfo.InvariantCulture)}", cells[1]);
            Assert.Equal(Pct(r.Run.Final.ValidationAccuracy), cells[2]);
            Assert.Equal(Pct(r.Test), cells[3]);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LossNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("LossNotebooks.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_loss_along_a_random_line_through_the_solution_is_convex_with_its_minimum_at_the_solution()
    {
        var model = runs.Model;
        var wStar = runs.Gd.Run.Weights;
        double wNorm = Math.Sqrt(wStar.Sum(v => v * v));
        var d = new double[wStar.Length];
        Gaussian.Fill(new Random(11), d);
        double dn = Math.Sqrt(d.Sum(v => v * v));
        for (int k = 0; k < d.Length; k++) d[k] *= wNorm / dn;
        double[] a = [.. Enumerable.Range(0, 61).Select(i => -1 + 2.0 * i / 60)];
        double[] f = [.. a.Select(t => model.Value(wStar.Zip(d, (w, dk) => w + t * dk).ToArray()))];
        // Convex in exact arithmetic; the sums carry rounding of ~1e-16·|L| ≈ 1e-16, so −1e-12 is generous.
        for (int i = 1; i < a.Length - 1; i++) Assert.True(f[i - 1] - 2 * f[i] + f[i + 1] > -1e-12, $"second difference at a = {a[i]}");
        Assert.Equal(30, Array.IndexOf(f, f.Min()));
    }

    [Fact]
    public void A_larger_penalty_shrinks_the_weights_and_too_large_a_penalty_underfits()
    {
        double[] lambdas = [0, 1e-4, 1e-3, 1e-2, 1e-1, 1];
        var sweep = lambdas.Select(l =>
        {
            var m = new LinearClassifier(runs.Train, LinearLoss.Hinge, regularization: l);
            var r = Optimizers.GradientDescent(m, runs.Validation, Budget, runs.Gd.Setting, scale: Start, seed: Seed, traceEvery: Budget);
            return (Norm: Math.Sqrt(r.Weights.Take(m.Features * m.Classes).Sum(v => v * v)), r.Final.TrainAccuracy, r.Final.ValidationAccuracy);
        }).ToList();
        for (int i = 1; i < sweep.Count; i++) Assert.True(sweep[i].Norm < sweep[i - 1].Norm, $"norm at λ = {lambdas[i]}");
        Assert.True(sweep[^1].TrainAccuracy < sweep[2].TrainAccuracy - 0.02, "λ = 1 underfits the training data");
        Assert.True(sweep[^1].ValidationAccuracy < sweep[2].ValidationAccuracy - 0.02, "λ = 1 loses validation accuracy");
        Assert.True(Math.Abs(sweep[1].ValidationAccuracy - sweep[2].ValidationAccuracy) < 0.01, "small λ hardly matters");
    }

    [Fact]
    public void Exercise_05_1_check_fails_a_penalty_gradient_that_includes_the_bias_row()
    {
        var model = runs.Model;
        const double lambda = 1e-3;
        int penalised = model.Features * model.Classes;
        double Penalty(ReadOnlySpan<double> w) { double s = 0; for (int k = 0; k < penalised; k++) s += w[k] * w[k]; return lambda * s; }
        var w = new double[model.Parameters];
        Gaussian.Fill(new Random(3), w);
        var right = w.Select((v, k) => k < penalised ? 2 * lambda * v : 0).ToArray();
        var wrong = w.Select(v => 2 * lambda * v).ToArray();   // the bias row penalised too
        Assert.True(GradientCheck.Run(Penalty, w, right).Passed);
        var report = GradientCheck.Run(Penalty, w, wrong);
        Assert.False(report.Passed);
        Assert.Equal(model.Classes, report.Failures);           // exactly the 10 bias entries
        Assert.StartsWith("FAIL", report.Verdict);
    }

    [Fact]
    public void Exercise_05_2_check_fails_a_slope_without_the_chain_rule()
    {
        var model = runs.Model;
        var wStar = runs.Gd.Run.Weights;
        int P = model.Parameters;
        var d = new double[P];
        Gaussian.Fill(new Random(11), d);
        double[] slopeAt = [-0.7, -0.25, 0.15, 0.6];
        double SliceSum(ReadOnlySpan<double> at)
        {
            double s = 0;
            var w = new double[P];
            foreach (double t in at) { for (int k = 0; k < P; k++) w[k] = wStar[k] + t * d[k]; s += model.Value(w); }
            return s;
        }
        double[] Gradient(double t) { var g = new double[P]; model.ValueAndGradient(wStar.Zip(d, (w, dk) => w + t * dk).ToArray(), g); return g; }
        var right = slopeAt.Select(t => Gradient(t).Zip(d, (g, dk) => g * dk).Sum()).ToArray();
        var wrong = slopeAt.Select(t => Gradient(t).Sum()).ToArray();   // forgot to multiply by the direction
        Assert.True(GradientCheck.Run(SliceSum, slopeAt, right).Passed);
        Assert.False(GradientCheck.Run(SliceSum, slopeAt, wrong).Passed);
    }

    [Fact]
    public void Random_directions_are_nearly_orthogonal_to_the_gradient()
    {
        // The notebook's measurement: for P-dimensional isotropic directions E|cos| = Γ(P/2)/(√π·Γ((P+1)/2)) ≈ √(2/(πP)).
        // 2000 samples: the standard error of the mean |cos| is ≈ 0.6·E|cos|/√2000 ≈ 1.4 % of it, so 10 % is > 7 SE.
        var model = runs.Model;
        int P = model.Parameters;
        var w0 = new double[P];
        Gaussian.Fill(new Random(Seed), w0, 1e-2);
        var grad = new double[P];
        model.ValueAndGradient(w0, grad);
        double gradNorm = Math.Sqrt(grad.Sum(g => g * g));
        var rng = new Random(7);
        var dir = new double[P];
        var cosines = new double[2000];
        for (int t = 0; t < cosines.Length; t++)
        {
            Gaussian.Fill(rng, dir);
            double dot = 0, nn = 0;
            for (int k = 0; k < P; k++) { dot -= dir[k] * grad[k]; nn += dir[k] * dir[k]; }
            cosines[t] = dot / (Math.Sqrt(nn) * gradNorm);
        }
        double expected = Math.Sqrt(2 / (Math.PI * P));
        Assert.InRange(cosines.Average(Math.Abs), 0.9 * expected, 1.1 * expected);
        Assert.True(cosines.Max() < 0.25, $"best random direction cos = {cosines.Max()}");
    }

    [Fact]
    public void Random_labels_give_chance_on_held_out_data_while_training_loss_drops()
    {
        var noise = Datasets.RandomLabels(rows: 1000, features: 200, classes: 10, seed: 0).Split(0.5, seed: 0);
        var model = new LinearClassifier(noise.Train, LinearLoss.Hinge, regularization: 1e-3);
        var rs = Optimizers.RandomSearch(model, noise.Validation, draws: Budget, scale: 1e-2, seed: Seed);
        var gd = Optimizers.GradientDescent(model, noise.Validation, iterations: 200, learningRate: 0.1, seed: Seed);
        double chance = 0.1;
        // Labels independent of X: held-out accuracy is Binomial(m, 1/c)/m, standard error √(p(1−p)/m) ≈ 0.95 % for
        // m ≈ 500. Within 3.5 SE: a false alarm has probability < 0.1 %, and with fixed seeds the outcome is fixed anyway.
        double se = Math.Sqrt(chance * (1 - chance) / noise.Validation.Rows);
        foreach (var r in new[] { rs, gd })
            Assert.True(Math.Abs(r.Final.ValidationAccuracy - chance) < 3.5 * se, $"{r.Method}: held-out {r.Final.ValidationAccuracy}");
        // GD memorises: the training loss falls far and training accuracy climbs far above chance (measured 100 %).
        Assert.True(gd.Final.Loss < 0.2 * gd.Trace[0].Loss, $"GD loss {gd.Trace[0].Loss} → {gd.Final.Loss}");
        Assert.True(gd.Final.TrainAccuracy > 0.6, $"GD train accuracy {gd.Final.TrainAccuracy}");
        Assert.True(rs.Final.Loss <= rs.Trace[0].Loss);
    }

    [Fact]
    public void Scoring_draws_in_a_batch_gives_the_losses_of_scoring_them_one_at_a_time()
    {
        // docs/performance.md times scoring draws alone against scoring them in a batch; the losses must agree to rounding.
        var data = Datasets.RandomLabels(rows: 300, features: 3072, classes: 10, seed: 0);
        var model = new LinearClassifier(data, LinearLoss.Hinge, regularization: 0);
        int P = model.Parameters, draws = 7;
        var w = new double[draws * P];
        Gaussian.Fill(new Random(0), w, 1e-4);
        var batched = new double[draws];
        model.Values(w, batched);
        for (int q = 0; q < draws; q++)
        {
            double alone = model.Value(w.AsSpan(q * P, P));
            // Sums of 3073 products ~1e-4 in a different order: 1e-12 relative is ~10⁴ ulp of slack, far below any real error.
            Assert.True(Math.Abs(batched[q] - alone) <= 1e-12 * Math.Abs(alone), $"draw {q}: batched {batched[q]}, alone {alone}");
        }
    }

    [Fact]
    public void Batched_and_one_at_a_time_random_search_keep_the_same_draw()
    {
        // docs/performance.md says batching changes only how draws are scored, never which one wins: random search with
        // batch 1 and batch 50 keeps the same best W.
        var wide = Datasets.RandomLabels(rows: 200, features: 3072, classes: 10, seed: 0);
        var model = new LinearClassifier(wide, LinearLoss.Hinge, regularization: 0);
        var one = Optimizers.RandomSearch(model, null, draws: 60, scale: 1e-4, batch: 1, seed: 0, traceEvery: 60);
        var batched = Optimizers.RandomSearch(model, null, draws: 60, scale: 1e-4, batch: 50, seed: 0, traceEvery: 60);
        Assert.Equal(one.Weights, batched.Weights);
        Assert.Equal(one.Final.Loss, batched.Final.Loss, 12);
    }

    [Fact]
    public void The_seeds_loss_loop_reports_a_tenth_of_the_mean_hinge_loss()
    {
        // Seed 002's hinge_loss sums rows 0..999 only and divides by n = 10000. With W ≈ 1e-4·N(0,1) every margin is
        // ≈ Δ = 1, so the true mean loss is ≈ c − 1 = 9 and the seed's number ≈ 0.9 (the notebook prints both, section 9).
        var data = Datasets.RandomLabels(rows: 10_000, features: 64, classes: 10, seed: 0);
        var model = new LinearClassifier(data, LinearLoss.Hinge, regularization: 0, bias: false);
        var w = new double[model.Parameters];
        Gaussian.Fill(new Random(0), w, 1e-4);
        var scores = new double[model.Rows * model.Classes];
        model.Scores(w, scores);
        double seedStyle = 0;
        for (int i = 0; i < 1000; i++)
            for (int j = 0; j < 10; j++)
                if (j != data.Y[i]) seedStyle += Math.Max(0, 1 - scores[i * 10 + data.Y[i]] + scores[i * 10 + j]);
        seedStyle /= model.Rows;
        double trueLoss = model.Value(w);
        // Scores are O(1e-4·√64) ≈ 1e-3, so both values sit within 1 % of 9 and 0.9.
        Assert.InRange(trueLoss, 8.9, 9.1);
        Assert.InRange(seedStyle, 0.89, 0.91);
        Assert.InRange(trueLoss / seedStyle, 9.8, 10.2);
    }
}

using LossNotebooks.Checks;
using LossNotebooks.Derivations;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>The calls notebooks/02-brier-score.ipynb makes, with the outcomes its prose states.</summary>
public class Notebook02BrierScoreTests
{
    public static TheoryData<string, bool> StepsShown() => new()
    {
        { "br.dsigma.1", true }, { "br.dsigma.2", true },
        { "br.grad.1", true }, { "br.grad.2", true }, { "br.grad.3", true }, { "br.grad.4", true }, { "br.grad.python", true },
        { "br.dsigma.ll", true }, { "br.dsigma.jl", true }, { "br.hess.1", true }, { "br.hess.2", true },
        { "br.dS.1", true }, { "br.dS.2", true }, { "br.dS.3", true }, { "br.dS.4-seed", false }, { "br.dS.4", true },
        { "br.hess.3-seed", false }, { "br.hess.3-inherits", true }, { "br.hess.3", true },
    };

    [Theory]
    [MemberData(nameof(StepsShown))]
    public void Each_step_run_alone_passes_or_fails_as_the_notebook_says(string id, bool passes)
    {
        var r = SeedDerivations.BrierScore.Run(id);
        Assert.True(r.Passed == passes, r.ToString());
        Assert.True(r.AsExpected, r.ToString());
    }

    [Fact]
    public void The_summary_has_exactly_the_two_seed_failures()
    {
        var all = SeedDerivations.BrierScore.Run();
        Assert.True(all.AllAsExpected, all.ToString());
        Assert.Equal(StepsShown().Select(row => (string)row[0]).OrderBy(s => s), all.Steps.Select(s => s.Step.Id).OrderBy(s => s));
        Assert.Equal(["br.dS.4-seed", "br.hess.3-seed"], all.Steps.Where(s => !s.Passed).Select(s => s.Step.Id).OrderBy(s => s));
    }

    // The notebook's 6×4 problem (seed 11).
    private static (int N, int C, double[] Scores, int[] Labels, double[] Weights, double[] Y) Problem()
    {
        var rng = new Random(11);
        int n = 6, c = 4;
        var scores = Enumerable.Range(0, n * c).Select(_ => 1.5 * StepInput.Gaussian(rng)).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
        var weights = Enumerable.Range(0, n * c).Select(_ => 0.2 + 1.8 * rng.NextDouble()).ToArray();
        var y = new double[n * c];
        for (int i = 0; i < n; i++) y[i * c + labels[i]] = 1;
        return (n, c, scores, labels, weights, y);
    }

    [Fact]
    public void The_transliterated_python_grads_equal_the_library_gradient_and_the_numeric_one()
    {
        var (n, c, scores, labels, weights, y) = Problem();
        var preds = new double[n * c];
        Softmax.Rows(scores, c, preds);
        var python = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            double tmp = 0;
            for (int j = 0; j < c; j++) tmp += preds[i * c + j] * (preds[i * c + j] - y[i * c + j]) * weights[i * c + j];
            for (int j = 0; j < c; j++) python[i * c + j] = 2 * preds[i * c + j] * ((preds[i * c + j] - y[i * c + j]) * weights[i * c + j] - tmp);
        }
        var brier = new WeightedBrier(labels, c, weights);
        var library = new double[n * c];
        brier.Gradient(scores, library);
        var numeric = new double[n * c];
        FiniteDifference.Gradient(x => brier.Value(x), scores, numeric);
        for (int t = 0; t < n * c; t++)
        {
            Assert.Equal(python[t], library[t], 1e-14);    // same formula, different summation order: a few ulps (measured 1.1e-16)
            Assert.Equal(library[t], numeric[t], 1e-9);    // central differences: rounding ε·|L|/h ≈ 2e-16·5/6e-6 ≈ 2e-10; measured 4.2e-11
        }
    }

    private static StepInput Row(double[] z, double[] y, double[] w, int l) => new(1, z.Length, z, y, w, 0, l, 0, l, 0, TargetKind.OneHot);

    [Fact]
    public void Hand_row_seed_dS_line_is_off_for_every_class_and_the_correction_is_not()
    {
        var br = SeedDerivations.BrierScore;
        double[] z = [1.0, -0.5, 0.3], y = [0, 1, 0], w = [1, 2, 0.5];
        for (int l = 0; l < 3; l++)
        {
            var s = Row(z, y, w, l);
            double numeric = br["br.dS.4-seed"].Left(s)[0];
            // Measured gaps 0.34, 0.074, 0.166; the Richardson reference is good to 1e-12.
            Assert.True(Math.Abs(br["br.dS.4-seed"].Right(s)[0] - numeric) > 0.05, $"l = {l}");
            Assert.Equal(numeric, br["br.dS.4"].Right(s)[0], 1e-9);
        }
    }

    [Fact]
    public void At_equal_logits_the_seed_dS_line_coincides_with_the_truth()
    {
        // σ_kl = σ_kj for all j at equal logits, so the slip is invisible exactly where boosting starts.
        var br = SeedDerivations.BrierScore;
        var rng = new Random(3);
        for (int t = 0; t < 50; t++)
        {
            int c = rng.Next(2, 7);
            double level = 4 * rng.NextDouble() - 2;
            var z = Enumerable.Repeat(level, c).ToArray();
            var y = new double[c]; y[rng.Next(c)] = 1;
            var w = Enumerable.Range(0, c).Select(_ => 0.2 + 1.8 * rng.NextDouble()).ToArray();
            var s = Row(z, y, w, rng.Next(c));
            Assert.Equal(br["br.dS.4-seed"].Left(s)[0], br["br.dS.4-seed"].Right(s)[0], 1e-9);   // Richardson reference, ≤ 1e-12
        }
    }

    [Fact]
    public void Library_diagonal_and_corrected_final_line_match_numeric_the_seed_final_line_does_not()
    {
        var (n, c, scores, labels, weights, y) = Problem();
        var br = SeedDerivations.BrierScore;
        var brier = new WeightedBrier(labels, c, weights);
        var diag = new double[n * c];
        brier.DiagonalHessian(scores, diag);
        var numeric = new double[n * c];
        FiniteDifference.HessianDiagonal(x => brier.Value(x), scores, numeric);
        double seedWorst = 0;
        for (int i = 0; i < n; i++)
            for (int l = 0; l < c; l++)
            {
                var s = new StepInput(n, c, scores, y, weights, i, l, i, l, 0, TargetKind.OneHot);
                int t = i * c + l;
                // Plain second differences: rounding ε·|L|/h² ≈ 2e-16·5/1.5e-8 ≈ 7e-8 at |z| ≤ 1, measured max 6.3e-8.
                Assert.Equal(numeric[t], diag[t], 1e-6);
                Assert.Equal(diag[t], br["br.hess.3"].Right(s)[0], 1e-12);
                seedWorst = Math.Max(seedWorst, Math.Abs(br["br.hess.3-seed"].Right(s)[0] - numeric[t]));
            }
        Assert.True(seedWorst > 0.1, $"seed's final line is off by only {seedWorst}");   // measured 0.37
    }

    [Fact]
    public void Brier_row_blocks_match_numeric_and_are_indefinite_with_negative_diagonal_entries()
    {
        var (n, c, scores, labels, weights, _) = Problem();
        var brier = new WeightedBrier(labels, c, weights);
        var block = new double[c * c];
        brier.RowHessian(scores, 0, block);
        var numeric = new double[c * c];
        FiniteDifference.Hessian(x => new WeightedBrier([labels[0]], c, weights.Take(c).ToArray()).Value(x), scores.Take(c).ToArray(), numeric);
        for (int t = 0; t < c * c; t++) Assert.Equal(block[t], numeric[t], 1e-6);   // measured 2.3e-8
        var eig = Matrix<double>.Build.DenseOfRowMajor(c, c, block).Evd().EigenValues.Select(v => v.Real).ToArray();
        Assert.True(eig.Min() < -0.1 && eig.Max() > 0.1, string.Join(", ", eig));    // measured −0.239 and 0.240
        var diag = new double[n * c];
        brier.DiagonalHessian(scores, diag);
        Assert.Contains(diag, v => v < 0);
    }

    [Fact]
    public void Library_checks_the_notebook_shows_pass()
    {
        var (_, c, scores, labels, weights, _) = Problem();
        var brier = new WeightedBrier(labels, c, weights);
        var complex = GradientCheck.Run(brier, scores, new CheckOptions { UseComplexStep = true });
        Assert.True(complex.Passed && complex.MaxAbsoluteError < 1e-14, complex.ToString());   // measured 1.7e-16
        var diagonal = HessianCheck.Diagonal(brier, scores);
        Assert.True(diagonal.Passed && diagonal.MaxAbsoluteError < 1e-9, diagonal.ToString()); // measured 1.5e-11
        var block = HessianCheck.RowBlock(brier, scores, 0);
        Assert.True(block.Passed && block.MaxAbsoluteError < 1e-9, block.ToString());          // measured 1.2e-11
    }
}

using LossNotebooks.Differentiation;

namespace LossNotebooks.Derivations;

/// <summary>
/// Seed 000 (WARP notebook): its sampler, rank weight, "gradient" and "Hessian" computed faithfully on the seed's
/// 500×100 data recipe (seeded), each against a reference, with the corrected computation beside it.
/// </summary>
public static class WarpDerivation
{
    private const string IntegerReason = "integer-valued quantities (indices, draw counts): any difference is ≥ 1";
    private const string ExactReason = "pure bookkeeping: the arrays must be bit-identical (1e-15 only because a tolerance must be positive)";
    // The WARP loss is linear in x once the indices are drawn, so a central difference has no truncation error:
    // only rounding, ε·|L|/h ≈ 2.2e-16·5e3/1e-3 ≈ 1e-9 for |L| ≤ 500·5.2·2. 1e-7 leaves 100× headroom.
    private const double GradientTol = 1e-7;
    private const string GradientReason = "loss linear in x: central difference (h = 1e-3) has only rounding error ε|L|/h ≈ 1e-9";
    // Second differences of a linear function: rounding only, ≈ 4ε|L|/h² ≈ 3e-8 at the finest Richardson step 0.0125.
    private const double HessianTol = 1e-6;
    private const string HessianReason = "linear loss: second/cross differences carry only rounding ≈ 4ε|L|/h² ≈ 3e-8";
    private const double CentralStep = 1e-3;
    private const int GradientRows = 100;

    private static int[][] Orders(StepInput s) => WarpSeed.DrawOrders(s.Rows, s.Classes, s.ScenarioSeed);

    private static WarpSample Sample(StepInput s, ReadOnlySpan<double> scores, WarpOptions o) =>
        WarpSeed.Sample(scores, s.Rows, s.Classes, WarpSeed.Labels(s), Orders(s), o);

    private static double[] ToDouble(int[] v) => v.Select(x => (double)x).ToArray();

    /// <summary>H_k = Σ_{r≤k} 1/r for k = floor((C−1)/N), 0 for a row with no violator (N = C): the WARP weight.</summary>
    private static double[] ReferenceHarmonicWeights(int columns, int[] trials)
    {
        var harmonic = new double[columns];
        for (int k = 1; k < columns; k++) harmonic[k] = harmonic[k - 1] + 1.0 / k;
        return trials.Select(n => n >= columns ? 0.0 : harmonic[(columns - 1) / n]).ToArray();
    }

    public static Derivation Create()
    {
        var argmaxOnly = new WarpOptions(MarginRowBug: false, PositiveFromArgmax: true, WarpWeight.SeedLog);
        var steps = new List<Step>
        {
            new("warp.data.N=1",
                @"1+\hat y_{i,n}-\hat y_{i,p}>0\ \ \forall n\ \Rightarrow\ N_i=1,\ L_i=\log 99",
                "On the seed's own data (rows of probabilities, margin 1) the first sampled negative always violates: every row has N = 1 and weight log 99, so the sampling estimates no rank.",
                s => Enumerable.Repeat(1.0, s.Rows).ToArray(),
                s => ToDouble(Sample(s, s.Logits, WarpOptions.Seed).Trials),
                0.5, 0, IntegerReason) { Samples = 3 },
            new("warp.margin-row-seed",
                @"\text{margin}=1+\hat y_{j,n}-\hat y_{i,j},\ j=p_i\ \text{(a class index used as a row)}",
                "Seed's margin y_hat[j, neg] − y_hat[i, j] with j = p[i]: another example's score. Compared with the definition (row i) on log-probability scores, where violations are not automatic: the first-violator draw count N differs.",
                s => ToDouble(WarpSeed.ReferenceTrials(WarpSeed.LogScores(s), s.Classes, Sample(s, WarpSeed.LogScores(s), argmaxOnly).Positives, Orders(s))),
                s => ToDouble(Sample(s, WarpSeed.LogScores(s), argmaxOnly with { MarginRowBug = true }).Trials),
                0.5, 0, IntegerReason, ExpectedVerdict.SeedError, "warp.margin-row") { Samples = 3 },
            new("warp.margin-row",
                @"\text{margin}=1+\hat y_{i,n}-\hat y_{i,p_i}",
                "Corrected margin (row i): the sampler's N equals the first violator in the draw order.",
                s => ToDouble(WarpSeed.ReferenceTrials(WarpSeed.LogScores(s), s.Classes, Sample(s, WarpSeed.LogScores(s), argmaxOnly).Positives, Orders(s))),
                s => ToDouble(Sample(s, WarpSeed.LogScores(s), argmaxOnly).Trials),
                0.5, 0, IntegerReason) { Samples = 3 },
            new("warp.positive-seed",
                @"p_i=\arg\max_c\hat y_{ic}",
                "Seed's positive is the argmax of the predictions, not the true label y (the labels are never used by the sampler).",
                s => ToDouble(WarpSeed.Labels(s)),
                s => ToDouble(Sample(s, s.Logits, WarpOptions.Seed).Positives),
                0.5, 0, IntegerReason, ExpectedVerdict.SeedError, "warp.positive") { Samples = 3 },
            new("warp.positive",
                @"p_i=y_i",
                "Corrected: the positive is the true label.",
                s => ToDouble(WarpSeed.Labels(s)),
                s => ToDouble(Sample(s, s.Logits, WarpOptions.Corrected).Positives),
                0.5, 0, IntegerReason) { Samples = 3 },
            new("warp.weight-seed",
                @"L_i=\log\left\lfloor\frac{C-1}{N_i}\right\rfloor",
                "Seed's rank weight log(floor((C−1)/N)) instead of WARP's L(k) = Σ_{r≤k} 1/r; it is log 1 = 0 for every violating row with N > (C−1)/2 (compared on log-scores with the row fixed, where violators are rare and N spreads over 1..99).",
                s => ReferenceHarmonicWeights(s.Classes, Sample(s, WarpSeed.LogScores(s), argmaxOnly).Trials),
                s => Sample(s, WarpSeed.LogScores(s), argmaxOnly).Weights,
                1e-12, 1e-12, "closed forms on integers: rounding only", ExpectedVerdict.SeedError, "warp.weight") { Samples = 3 },
            new("warp.weight",
                @"L_i=\sum_{r=1}^{\lfloor (C-1)/N_i\rfloor}\frac1r",
                "Corrected rank weight: the harmonic L(k), ≥ 1 for every violating row.",
                s => ReferenceHarmonicWeights(s.Classes, Sample(s, WarpSeed.LogScores(s), argmaxOnly).Trials),
                s => Sample(s, WarpSeed.LogScores(s), argmaxOnly with { Weight = WarpWeight.Harmonic }).Weights,
                1e-12, 1e-12, "closed forms on integers: rounding only") { Samples = 3 },
            new("warp.loss_grad-seed",
                @"\texttt{L*(loss\_helper(y\_hat+}\epsilon\texttt{) - loss\_helper(y))/}\epsilon,\ \epsilon=10^{-10}",
                "Seed's loss_grad: differences loss_helper at y_hat + ε against loss_helper at the LABELS y, perturbs every entry at once, returns one number per row. The derivative of each row's term along that all-ones direction is exactly 0 (a row shift cancels); the seed's numbers are ~1e9.",
                s => new double[s.Rows],
                s => { var smp = Sample(s, s.Logits, WarpOptions.Seed); return WarpSeed.SeedLossGrad(s.Logits, s.Targets, s.Classes, smp); },
                1e-6, 0, "the exact value is 0; ε-rounding of a correct difference would be ≲ 1e-7", ExpectedVerdict.SeedError, "warp.gradient") { Samples = 3 },
            new("warp.gradient",
                @"\frac{\partial\mathcal L}{\partial x_{ic}}=L_i\left([c=n_i]-[c=y_i]\right)",
                "Corrected gradient (n×C, sparse): +L_i at the sampled negative, −L_i at the true label; matches a central difference of the loss entry by entry.",
                s =>
                {
                    // Every entry of the first GradientRows rows (10 000 partials of the full loss; all rows would
                    // cost 1 s for the same evidence).
                    var smp = Sample(s, s.Logits, WarpOptions.Corrected);
                    int c = s.Classes;
                    var x = (double[])s.Logits.Clone();
                    var g = new double[GradientRows * c];
                    for (int a = 0; a < g.Length; a++)
                        g[a] = FiniteDifference.PartialDerivative(v => WarpSeed.Loss(v, c, smp), x, a, DifferenceRule.Central, CentralStep);
                    return g;
                },
                s => WarpSeed.Gradient(s.Rows, s.Classes, Sample(s, s.Logits, WarpOptions.Corrected)).AsSpan(0, GradientRows * s.Classes).ToArray(),
                GradientTol, GradientTol, GradientReason) { Samples = 2 },
            new("warp.forward-1e-10",
                @"\frac{\mathcal L(x+10^{-10}e_{i,n_i})-\mathcal L(x)}{10^{-10}}\approx L_i",
                "Seed's step: a forward difference with ε = 1e-10. On this linear loss truncation is 0 but rounding is ε_mach·|L|/1e-10 ≈ 1e-3: far from the exact L_i.",
                s => Sample(s, s.Logits, WarpOptions.Corrected).Weights,
                s =>
                {
                    var smp = Sample(s, s.Logits, WarpOptions.Corrected);
                    var x = (double[])s.Logits.Clone();
                    double f0 = WarpSeed.Loss(x, s.Classes, smp);
                    var d = new double[s.Rows];
                    for (int i = 0; i < s.Rows; i++)
                        d[i] = FiniteDifference.PartialDerivative(v => WarpSeed.Loss(v, s.Classes, smp), x, i * s.Classes + smp.Negatives[i], DifferenceRule.Forward, WarpSeed.SeedGradientEpsilon, f0);
                    return d;
                },
                GradientTol, GradientTol, GradientReason, ExpectedVerdict.SeedError, "warp.gradient") { Samples = 2 },
            new("warp.hessian-restore-seed",
                @"\texttt{xx0 = xx[j]; xx[j] = xx0 + eps; ...; xx[j] = xx0}",
                "Seed's hessian() restores x0 after each perturbation. It does not: xx0 = xx[j] is a numpy VIEW of row j (n = x0.shape[0] = rows, so whole rows are perturbed, not entries), the restore copies the perturbed row onto itself, and xx aliases the global y_hat, which ends up shifted by ε = 0.1 everywhere. Its 500×500 result is rounding noise, not the 50000×50000 Hessian.",
                s => (double[])s.Logits.Clone(),
                s =>
                {
                    var yHat = (double[])s.Logits.Clone();
                    var smp = Sample(s, s.Logits, WarpOptions.Seed);
                    _ = WarpSeed.SeedHessian(yHat, s.Targets, s.Rows, s.Classes, smp);
                    return yHat;
                },
                1e-15, 0, ExactReason, ExpectedVerdict.SeedError, "warp.hessian-restore") { Samples = 2 },
            new("warp.hessian-restore",
                @"\texttt{xx = x0.copy(); old = xx[a]; xx[a] = old + eps; ...; xx[a] = old}",
                "Corrected bookkeeping: perturb one entry of a private copy and put the old value back; x0 is unchanged.",
                s => (double[])s.Logits.Clone(),
                s => WarpSeed.PerturbAndRestore(s.Logits, WarpSeed.SeedHessianEpsilon),
                1e-15, 0, ExactReason) { Samples = 2 },
            new("warp.hessian-zero",
                @"\frac{\partial^2\mathcal L}{\partial x_{a}\partial x_{b}}=0\ \text{(away from the sampling's kinks)}",
                "The WARP loss with the indices drawn is linear in x, so its Hessian is exactly 0 (the piecewise-linear hinge has zero curvature almost everywhere): numeric second and cross differences at the active entries agree.",
                s => new double[60],
                s =>
                {
                    var smp = Sample(s, s.Logits, WarpOptions.Corrected);
                    int c = s.Classes;
                    var result = new double[60];
                    for (int t = 0; t < 20; t++)
                    {
                        int i = (t * 37) % s.Rows, n = i * c + smp.Negatives[i], p = i * c + smp.Positives[i];
                        Func<double[], double> f = x => WarpSeed.Loss(x, c, smp);
                        result[3 * t] = Numeric.SecondPartial(f, s.Logits, n, n);
                        result[3 * t + 1] = Numeric.SecondPartial(f, s.Logits, n, p);
                        result[3 * t + 2] = Numeric.SecondPartial(f, s.Logits, p, (p + 1) % (s.Rows * c));
                    }
                    return result;
                },
                HessianTol, 0, HessianReason) { Samples = 2 },
        };
        return new Derivation("WARP ranking loss: sampler, weight, gradient, Hessian", WarpSeed.SeedFile, steps,
            (rng, _) => WarpSeed.SeedData(rng), samples: 3, randomSeed: 500100);
    }
}

using System.Globalization;

namespace LossNotebooks.Derivations;

/// <summary>Seed 002 (course notes): the hinge loop, the vectorized hinge, the numerical gradient, random search on random labels.</summary>
public static class SvmDerivation
{
    private const double SumTol = 1e-12;
    private const string SumReason = "the same sums in a different order: rounding ~1e-15 relative";
    // cs231n's own rule for a gradient check: relative error < 1e-7 means the gradient is right. Central
    // difference at h = 1e-5: truncation h²/6·f''' ≈ 1e-11, rounding ε|f|/h ≈ 5e-11 → passes with room; the
    // forward difference's h/2·f'' ≈ 5e-7 absolute does not.
    private const double GradientCheckRelTol = 1e-7;
    private const double GradientCheckAbsTol = 1e-9;
    private const string GradientCheckReason = "cs231n's gradient-check threshold (relative error < 1e-7); 1e-9 absolute floor for entries near 0 (rounding ε|f|/h ≈ 5e-11)";
    private const int GradientCheckRows = 200;
    private const int SearchTrainRows = 500, SearchHeldOutRows = 2000, SearchAttempts = 50;

    private static SvmScenario Data(StepInput s) => (SvmScenario)(s.Payload ?? throw new ArgumentException("input carries no SVM scenario", nameof(s)));

    private static SvmScenario Head(SvmScenario d, int rows)
    {
        int n = Math.Min(rows, d.Rows);
        return d with { Rows = n, X = d.X.AsSpan(0, n * d.Features).ToArray(), Labels = d.Labels.AsSpan(0, n).ToArray() };
    }

    private static double[] Transpose(double[] w, int features, int classes)
    {
        var t = new double[w.Length];
        for (int f = 0; f < features; f++) for (int c = 0; c < classes; c++) t[c * features + f] = w[f * classes + c];
        return t;
    }

    /// <summary>Input 0 is the seed's own configuration (n = 10 000, c = 10, w = 1e-4·N(0,1); d reduced from 3073 to 32 —
    /// the scores are ~1e-3 either way); the others are random sizes with n &gt; 1000 so the seed's loop runs.</summary>
    public static StepInput Generate(Random rng, int index)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int seed = rng.Next();
        var inv = CultureInfo.InvariantCulture;
        if (index == 0)
            return StepInput.ForScenario(seed, string.Create(inv, $"seed configuration: n=10000, d=32 (seed: 3073), c=10, w=1e-4·N(0,1), random labels, scenario seed {seed}"),
                SvmScenario.Random(seed, 10000, 32, 10, 1e-4));
        int n = rng.Next(1001, 3001), d = rng.Next(3, 9), c = rng.Next(3, 11);
        return StepInput.ForScenario(seed, string.Create(inv, $"n={n}, d={d}, c={c}, w=0.5·N(0,1), random labels, scenario seed {seed}"),
            SvmScenario.Random(seed, n, d, c, 0.5));
    }

    public static Derivation Create()
    {
        var steps = new List<Step>
        {
            new("svm.loop-seed",
                @"\mathcal L=\frac1n\sum_{i=0}^{999}\sum_{j\ne y_i}\max(0,1-s_{iy_i}+s_{ij})",
                "Seed's hinge_loss loops over range(1000) whatever n is, then divides by n: for n > 1000 it drops rows (at the seed's n = 10 000 it is ~1/10 of the loss), for n < 1000 it raises IndexError.",
                s => SvmSeed.HingeLossReference(Data(s), Data(s).W),
                s => SvmSeed.HingeLossLoop(Data(s), Data(s).W),
                SumTol, SumTol, SumReason, ExpectedVerdict.SeedError, "svm.loop"),
            new("svm.loop",
                @"\mathcal L=\frac1n\sum_{i=0}^{n-1}\sum_{j\ne y_i}\max(0,1-s_{iy_i}+s_{ij})",
                "Corrected loop: range(n).",
                s => SvmSeed.HingeLossReference(Data(s), Data(s).W),
                s => SvmSeed.HingeLossLoop(Data(s), Data(s).W, Data(s).Rows),
                SumTol, SumTol, SumReason),
            new("svm.vectorized",
                @"L_i=\sum_{j\ne y_i}\max(0,s_j-s_{y_i}+1),\ s=Wx_i",
                "L_i_vectorized agrees with the loop for every example (mind the layout: it takes W as c×d, hinge_loss takes w as d×c).",
                s => SvmSeed.PerExampleHinge(Data(s), Data(s).W),
                s =>
                {
                    var d = Data(s);
                    var wt = Transpose(d.W, d.Features, d.Classes);
                    var r = new double[d.Rows];
                    for (int i = 0; i < d.Rows; i++) r[i] = SvmSeed.LiVectorized(d.X.AsSpan(i * d.Features, d.Features), d.Labels[i], wt, d.Classes);
                    return r;
                },
                SumTol, SumTol, SumReason),
            new("svm.forward-difference-seed",
                @"\frac{\partial f}{\partial x}\approx\frac{f(x+h)-f(x)}{h},\ h=10^{-5}",
                "Seed's eval_numerical_gradient (forward difference, h = 1e-5) is accurate enough for a gradient check (relative error < 1e-7). Its error is O(h): ≈ h/2·f'' (checked on the softmax loss of the linear model, first 200 rows).",
                s => { var d = Head(Data(s), GradientCheckRows); return SvmSeed.SoftmaxGradient(d, d.W); },
                s => { var d = Head(Data(s), GradientCheckRows); return SvmSeed.EvalNumericalGradient(w => SvmSeed.SoftmaxLoss(d, w), (double[])d.W.Clone()); },
                GradientCheckAbsTol, GradientCheckRelTol, GradientCheckReason, ExpectedVerdict.SeedError, "svm.central-difference"),
            new("svm.central-difference",
                @"\frac{\partial f}{\partial x}\approx\frac{f(x+h)-f(x-h)}{2h},\ h=10^{-5}",
                "Corrected: the centered difference (error O(h²)) passes the same check.",
                s => { var d = Head(Data(s), GradientCheckRows); return SvmSeed.SoftmaxGradient(d, d.W); },
                s => { var d = Head(Data(s), GradientCheckRows); return SvmSeed.EvalNumericalGradient(w => SvmSeed.SoftmaxLoss(d, w), (double[])d.W.Clone(), central: true); },
                GradientCheckAbsTol, GradientCheckRelTol, GradientCheckReason),
            new("svm.search-loss-flat",
                @"w\sim10^{-4}\mathcal N(0,1)\Rightarrow s\approx0\Rightarrow\mathcal L\approx c-1",
                "At the seed's scale every random-search candidate has hinge loss ≈ c − 1 (scores ≈ 0, each margin ≈ 1): 'best loss' ranks noise.",
                s => Enumerable.Repeat(Data(s).Classes - 1.0, SearchAttempts).ToArray(),
                s => { var d = Data(s); return SvmSeed.RandomSearch(Head(d, SearchTrainRows), SearchAttempts, s.ScenarioSeed).Losses; },
                0.05, 0, "scores are 1e-4·√d·N(0,1) ≲ 1e-3, so the mean of c−1 margins moves < 1e-2 from c−1; 0.05 leaves 5×"),
            new("svm.random-labels",
                @"\text{labels random}\Rightarrow\text{held-out accuracy}\approx 1/c",
                "With random labels, the random-search winner's held-out accuracy is chance (1/c): the seed's experiment cannot show learning.",
                s => 1.0 / Data(s).Classes,
                s =>
                {
                    var d = Data(s);
                    var best = SvmSeed.RandomSearch(Head(d, SearchTrainRows), SearchAttempts, s.ScenarioSeed).Best;
                    var heldOut = SvmScenario.Random(unchecked(s.ScenarioSeed * 31 + 7), SearchHeldOutRows, d.Features, d.Classes, 1);
                    return SvmSeed.Accuracy(heldOut, best);
                },
                0.045, 0, "4.5 binomial standard deviations at p = 1/3 (the widest case), m = 2000: 4.5·√(p(1−p)/m) ≈ 0.047 → 0.045 for p ≤ 1/3"),
        };
        return new Derivation("Multiclass SVM course notes: hinge loss, numerical gradient, random search", SvmSeed.SeedFile, steps,
            Generate, samples: 4, randomSeed: 231);
    }
}

namespace LossNotebooks.Derivations;

/// <summary>A linear-classifier data set for seed 002: X (n×d, row-major), labels, weights w (d×c, the seed's layout).</summary>
public sealed record SvmScenario(int Rows, int Features, int Classes, double[] X, int[] Labels, double[] W)
{
    /// <summary>X ~ N(0,1), labels uniform at random (as in the seed), w ~ weightScale·N(0,1).</summary>
    public static SvmScenario Random(int seed, int rows, int features, int classes, double weightScale)
    {
        Validation.Guard.Positive(rows);
        Validation.Guard.Positive(features);
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        Validation.Guard.Positive(weightScale);
        var rng = new Random(seed);
        var x = new double[rows * features];
        for (int t = 0; t < x.Length; t++) x[t] = StepInput.Gaussian(rng);
        var y = new int[rows];
        for (int i = 0; i < rows; i++) y[i] = rng.Next(classes);
        var w = new double[features * classes];
        for (int t = 0; t < w.Length; t++) w[t] = weightScale * StepInput.Gaussian(rng);
        return new SvmScenario(rows, features, classes, x, y, w);
    }

    /// <summary>The first <paramref name="rows"/> examples (all of them if there are fewer).</summary>
    public SvmScenario Head(int rows)
    {
        Validation.Guard.Positive(rows);
        int n = Math.Min(rows, Rows);
        return this with { Rows = n, X = X.AsSpan(0, n * Features).ToArray(), Labels = Labels.AsSpan(0, n).ToArray() };
    }

    /// <summary>w (d×c) as the c×d matrix L_i_vectorized takes.</summary>
    public double[] TransposedW()
    {
        var t = new double[W.Length];
        for (int f = 0; f < Features; f++) for (int c = 0; c < Classes; c++) t[c * Features + f] = W[f * Classes + c];
        return t;
    }

    /// <summary>scores = X·w (n×c).</summary>
    public double[] Scores(ReadOnlySpan<double> w)
    {
        var s = new double[Rows * Classes];
        for (int i = 0; i < Rows; i++)
            for (int f = 0; f < Features; f++)
            {
                double xv = X[i * Features + f];
                for (int c = 0; c < Classes; c++) s[i * Classes + c] += xv * w[f * Classes + c];
            }
        return s;
    }
}

/// <summary>Seed 002 (course notes) re-implemented faithfully, with the references its claims are checked against.</summary>
public static class SvmSeed
{
    public const string SeedFile = "002_4ae84c5654342c55.txt";
    /// <summary>The seed's step in eval_numerical_gradient.</summary>
    public const double SeedStep = 0.00001;
    /// <summary>The hard-coded loop bound in the seed's hinge_loss.</summary>
    public const int SeedLoopRows = 1000;

    /// <summary>
    /// The audit's inputs for seed 002 (a <see cref="Derivation"/> generator): input 0 is the seed's own configuration
    /// (n = 10 000, c = 10, w = 1e-4·N(0,1); d cut from 3073 to 32 — the scores are ~1e-3 either way); the others are
    /// random sizes with n &gt; 1000 so the seed's loop runs. The scenario is the input's <see cref="StepInput.Payload"/>.
    /// </summary>
    public static StepInput AuditInput(Random rng, int index)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int seed = rng.Next();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (index == 0)
            return StepInput.ForScenario(seed, string.Create(inv, $"seed configuration: n=10000, d=32 (seed: 3073), c=10, w=1e-4·N(0,1), random labels, scenario seed {seed}"),
                SvmScenario.Random(seed, 10000, 32, 10, 1e-4));
        int n = rng.Next(1001, 3001), d = rng.Next(3, 9), c = rng.Next(3, 11);
        return StepInput.ForScenario(seed, string.Create(inv, $"n={n}, d={d}, c={c}, w=0.5·N(0,1), random labels, scenario seed {seed}"),
            SvmScenario.Random(seed, n, d, c, 0.5));
    }

    /// <summary>The scenario an <see cref="AuditInput"/> carries.</summary>
    public static SvmScenario Data(StepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Payload as SvmScenario ?? throw new ArgumentException("The input carries no SVM scenario.", nameof(input));
    }

    /// <summary>
    /// The seed's hinge_loss as written: <c>for i in range(1000)</c> whatever n is, then <c>loss /= n</c>.
    /// For n &lt; 1000 numpy raises IndexError; here IndexOutOfRangeException. <paramref name="loopRows"/> = n is the fix.
    /// </summary>
    public static double HingeLossLoop(SvmScenario d, ReadOnlySpan<double> w, int loopRows = SeedLoopRows)
    {
        ArgumentNullException.ThrowIfNull(d);
        var scores = d.Scores(w);
        double loss = 0;
        for (int i = 0; i < loopRows; i++)
        {
            if (i >= d.Rows) throw new IndexOutOfRangeException($"index {i} is out of bounds for axis 0 with size {d.Rows} (the seed loops over range(1000)).");
            double correct = scores[i * d.Classes + d.Labels[i]];
            for (int j = 0; j < d.Classes; j++)
                if (j != d.Labels[i]) loss += Math.Max(0, 1 - correct + scores[i * d.Classes + j]);
        }
        return loss / d.Rows;
    }

    /// <summary>The definition: (1/n) Σ_i Σ_{j≠y_i} max(0, s_ij − s_iy_i + 1), over every row.</summary>
    public static double HingeLossReference(SvmScenario d, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(d);
        var scores = d.Scores(w);
        double total = 0;
        for (int i = 0; i < d.Rows; i++) total += RowHinge(scores.AsSpan(i * d.Classes, d.Classes), d.Labels[i]);
        return total / d.Rows;
    }

    private static double RowHinge(ReadOnlySpan<double> s, int y)
    {
        double t = 0;
        for (int j = 0; j < s.Length; j++) if (j != y) t += Math.Max(0, s[j] - s[y] + 1);
        return t;
    }

    /// <summary>The seed's L_i_vectorized(x, y, W): note W is c×d here (scores = W·x) while hinge_loss takes w as d×c.</summary>
    public static double LiVectorized(ReadOnlySpan<double> x, int y, ReadOnlySpan<double> wClassesByFeatures, int classes)
    {
        int d = x.Length;
        var margins = new double[classes];
        var scores = new double[classes];
        for (int c = 0; c < classes; c++) for (int f = 0; f < d; f++) scores[c] += wClassesByFeatures[c * d + f] * x[f];
        for (int c = 0; c < classes; c++) margins[c] = Math.Max(0, scores[c] - scores[y] + 1);
        margins[y] = 0;
        return margins.Sum();
    }

    /// <summary>Per-example hinge by the loop definition (the reference for <see cref="LiVectorized"/>).</summary>
    public static double[] PerExampleHinge(SvmScenario d, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(d);
        var scores = d.Scores(w);
        var r = new double[d.Rows];
        for (int i = 0; i < d.Rows; i++) r[i] = RowHinge(scores.AsSpan(i * d.Classes, d.Classes), d.Labels[i]);
        return r;
    }

    /// <summary>Mean softmax cross-entropy of the linear model (a smooth loss for the gradient check).</summary>
    public static double SoftmaxLoss(SvmScenario d, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(d);
        var scores = d.Scores(w);
        double total = 0;
        for (int i = 0; i < d.Rows; i++)
            total += SoftmaxSeedFunctions.LogSumExp(scores, d.Classes, i) - scores[i * d.Classes + d.Labels[i]];
        return total / d.Rows;
    }

    /// <summary>Its analytic gradient Xᵀ(P − Y)/n (d×c).</summary>
    public static double[] SoftmaxGradient(SvmScenario d, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(d);
        var scores = d.Scores(w);
        var p = new double[scores.Length];
        StepInput.SoftmaxInto(scores, d.Rows, d.Classes, p);
        for (int i = 0; i < d.Rows; i++) p[i * d.Classes + d.Labels[i]] -= 1;
        var g = new double[d.Features * d.Classes];
        for (int i = 0; i < d.Rows; i++)
            for (int f = 0; f < d.Features; f++)
                for (int c = 0; c < d.Classes; c++) g[f * d.Classes + c] += d.X[i * d.Features + f] * p[i * d.Classes + c] / d.Rows;
        return g;
    }

    /// <summary>
    /// The seed's eval_numerical_gradient: forward difference, h = 1e-5, each entry perturbed in place and restored.
    /// <paramref name="central"/> = true gives the centered (f(x+h) − f(x−h))/2h the course recommends.
    /// </summary>
    public static double[] EvalNumericalGradient(Func<double[], double> f, double[] x, double h = SeedStep, bool central = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        double fx = f(x);
        var grad = new double[x.Length];
        for (int ix = 0; ix < x.Length; ix++)
        {
            double old = x[ix];
            x[ix] = old + h;
            double fxh = f(x);
            double fxmh = 0;
            if (central) { x[ix] = old - h; fxmh = f(x); }
            x[ix] = old;
            grad[ix] = central ? (fxh - fxmh) / (2 * h) : (fxh - fx) / h;
        }
        return grad;
    }

    /// <summary>Classification accuracy of w on (X, labels).</summary>
    public static double Accuracy(SvmScenario d, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(d);
        var scores = d.Scores(w);
        int right = 0;
        for (int i = 0; i < d.Rows; i++) if (WarpSeed.ArgMax(scores.AsSpan(i * d.Classes, d.Classes)) == d.Labels[i]) right++;
        return (double)right / d.Rows;
    }

    /// <summary>
    /// The seed's random search: <paramref name="attempts"/> draws of w = 1e-4·N(0,1), keep the lowest hinge loss
    /// (the reference loss, i.e. with the loop bug fixed). Returns the best w and every attempt's loss.
    /// </summary>
    public static (double[] Best, double[] Losses) RandomSearch(SvmScenario train, int attempts, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        Validation.Guard.Positive(attempts);
        var rng = new Random(seed);
        double bestLoss = double.PositiveInfinity;
        double[] best = [];
        var losses = new double[attempts];
        for (int a = 0; a < attempts; a++)
        {
            var w = new double[train.Features * train.Classes];
            for (int t = 0; t < w.Length; t++) w[t] = 0.0001 * StepInput.Gaussian(rng);
            losses[a] = HingeLossReference(train, w);
            if (losses[a] < bestLoss) { bestLoss = losses[a]; best = w; }
        }
        return (best, losses);
    }
}

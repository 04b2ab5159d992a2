namespace LossNotebooks.Derivations;

/// <summary>Which rank weight a WARP sampler gives a row whose first violator came at draw N.</summary>
public enum WarpWeight
{
    /// <summary>The seed's log(floor((C−1)/N)) — 0 whenever N &gt; (C−1)/2.</summary>
    SeedLog,
    /// <summary>WARP's L(k) = Σ_{r=1..k} 1/r with k = floor((C−1)/N) (Weston, Bengio, Usunier 2011).</summary>
    Harmonic,
}

/// <summary>The switches between the seed's sampler and the corrected one.</summary>
/// <param name="MarginRowBug">Seed: margin 1 + ŷ[j, neg] − ŷ[i, j] with j = p[i] used as a ROW index.</param>
/// <param name="PositiveFromArgmax">Seed: the positive is argmax ŷ[i, :] instead of the true label.</param>
/// <param name="Weight">Seed: <see cref="WarpWeight.SeedLog"/>.</param>
public sealed record WarpOptions(bool MarginRowBug, bool PositiveFromArgmax, WarpWeight Weight)
{
    public static WarpOptions Seed { get; } = new(true, true, WarpWeight.SeedLog);
    public static WarpOptions Corrected { get; } = new(false, false, WarpWeight.Harmonic);
}

/// <summary>Per row: the positive, the sampled violating negative, the draw count N (C if none violated), the weight.</summary>
public sealed record WarpSample(int[] Positives, int[] Negatives, int[] Trials, double[] Weights);

/// <summary>
/// Seed 000 (the WARP notebook) re-implemented faithfully in C#, with System.Random in place of numpy's generator:
/// the same data recipe, the same sampler loop, loss, loss_grad and hessian — and switches that turn each mistake off.
/// Draw order: each row gets one seeded permutation of the columns; a sampler walks it skipping the positive, which
/// is what np.random.choice over the not-yet-drawn negatives does, and lets the seed and corrected samplers see the
/// same draws.
/// </summary>
public static class WarpSeed
{
    public const string SeedFile = "000_d504d0f02f0971ec.txt";
    public const int SeedRows = 500;
    public const int SeedColumns = 100;
    /// <summary>The seed's loss_grad step.</summary>
    public const double SeedGradientEpsilon = 1e-10;
    /// <summary>The epsilon the seed passes to hessian(y_hat, loss, 1e-1).</summary>
    public const double SeedHessianEpsilon = 1e-1;

    /// <summary>
    /// The seed's data: one-hot labels y (uniform classes) and y_hat = rows of Exponential(1) draws normalized to sum
    /// to 1 ("output of a predict_proba type function"). Returned as a <see cref="StepInput"/> (ŷ in Logits, y in
    /// Targets, unit weights) with a scenario seed for the sampler.
    /// </summary>
    public static StepInput SeedData(Random rng, int rows = SeedRows, int columns = SeedColumns)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Validation.Guard.Positive(rows);
        if (columns < 2) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be at least 2.");
        var y = new double[rows * columns];
        for (int i = 0; i < rows; i++) y[i * columns + rng.Next(columns)] = 1;
        var yHat = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            double sum = 0;
            for (int c = 0; c < columns; c++) { yHat[i * columns + c] = -Math.Log(1 - rng.NextDouble()); sum += yHat[i * columns + c]; }
            for (int c = 0; c < columns; c++) yHat[i * columns + c] /= sum;
        }
        var w = new double[rows * columns];
        Array.Fill(w, 1.0);
        int k = rng.Next(rows), l = rng.Next(columns);   // drawn to keep the random stream; no WARP step reads the indices
        int scenarioSeed = rng.Next();
        // Described by what the WARP steps use (the matrices and the sampler's seed), not by the unused (i, j, k, l).
        return new StepInput(rows, columns, yHat, y, w, k, l, k, l, scenarioSeed, TargetKind.OneHot)
        {
            Scenario = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"seed data n={rows}, c={columns} (one-hot labels, ŷ rows of Exp(1) draws normalized), sampler seed {scenarioSeed}"),
        };
    }

    /// <summary>The true label of each row (argmax of the one-hot targets).</summary>
    public static int[] Labels(StepInput data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = new int[data.Rows];
        for (int i = 0; i < data.Rows; i++) labels[i] = ArgMax(data.Targets.AsSpan(i * data.Classes, data.Classes));
        return labels;
    }

    /// <summary>log of the seed's probabilities: the same model's scores on a logit scale, where violations are rare.</summary>
    public static double[] LogScores(StepInput data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Logits.Select(v => Math.Log(v)).ToArray();
    }

    /// <summary>Index of the largest entry (the first on ties), like numpy's argmax.</summary>
    public static int ArgMax(ReadOnlySpan<double> v)
    {
        int best = 0;
        for (int t = 1; t < v.Length; t++) if (v[t] > v[best]) best = t;
        return best;
    }

    /// <summary>One permutation of the columns per row, from the scenario seed (shared by every sampler).</summary>
    public static int[][] DrawOrders(int rows, int columns, int seed)
    {
        var rng = new Random(seed);
        var orders = new int[rows][];
        for (int i = 0; i < rows; i++)
        {
            var p = Enumerable.Range(0, columns).ToArray();
            for (int t = columns - 1; t > 0; t--) { int u = rng.Next(t + 1); (p[t], p[u]) = (p[u], p[t]); }
            orders[i] = p;
        }
        return orders;
    }

    /// <summary>The rank weight for a row whose first violator came at draw <paramref name="trials"/>.</summary>
    public static double RankWeight(int columns, int trials, WarpWeight weight)
    {
        int k = (columns - 1) / trials;   // floor((C−1)/N)
        if (weight == WarpWeight.SeedLog) return Math.Log(k);
        double h = 0;
        for (int r = 1; r <= k; r++) h += 1.0 / r;
        return h;
    }

    /// <summary>
    /// The seed's sampling loop. For each row: positive p; walk the draw order skipping p; the first negative with
    /// margin &gt; 0 is kept with its weight; none → weight 0 and negative 0 (the seed's zeros), N = C.
    /// </summary>
    public static WarpSample Sample(ReadOnlySpan<double> scores, int rows, int columns, int[] labels, int[][] drawOrders, WarpOptions options)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(drawOrders);
        ArgumentNullException.ThrowIfNull(options);
        Validation.Guard.Length(scores.Length, rows * columns, "rows×columns scores");
        var pos = new int[rows];
        var neg = new int[rows];
        var trials = new int[rows];
        var weights = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            int j = options.PositiveFromArgmax ? ArgMax(scores.Slice(i * columns, columns)) : labels[i];
            pos[i] = j;
            trials[i] = columns;
            int n = 1;
            foreach (int candidate in drawOrders[i])
            {
                if (candidate == j) continue;
                // Seed: y_hat[j, neg_idx] — row j is a CLASS index (IndexOutOfRange if j ≥ rows, numpy's IndexError).
                double negScore = options.MarginRowBug ? scores[j * columns + candidate] : scores[i * columns + candidate];
                double margin = 1 + negScore - scores[i * columns + j];
                if (margin > 0)
                {
                    weights[i] = RankWeight(columns, n, options.Weight);
                    neg[i] = candidate;
                    trials[i] = n;
                    break;
                }
                n++;
            }
        }
        return new WarpSample(pos, neg, trials, weights);
    }

    /// <summary>The reference first-violator draw count: the definition, written independently of <see cref="Sample"/>.</summary>
    public static int[] ReferenceTrials(ReadOnlySpan<double> scores, int columns, int[] positives, int[][] drawOrders)
    {
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(drawOrders);
        var result = new int[positives.Length];
        for (int i = 0; i < positives.Length; i++)
        {
            int p = positives[i], drawn = 0;
            result[i] = columns;
            foreach (int c in drawOrders[i])
            {
                if (c == p) continue;
                drawn++;
                if (scores[i * columns + c] + 1 > scores[i * columns + p]) { result[i] = drawn; break; }
            }
        }
        return result;
    }

    /// <summary>The seed's loss: Σ_i L_i (1 + x[i, neg_i] − x[i, pos_i]) — linear in x once the indices are drawn.</summary>
    public static double Loss(ReadOnlySpan<double> x, int columns, WarpSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        double total = 0;
        for (int i = 0; i < sample.Weights.Length; i++)
            total += sample.Weights[i] * (1 + x[i * columns + sample.Negatives[i]] - x[i * columns + sample.Positives[i]]);
        return total;
    }

    /// <summary>The exact gradient of <see cref="Loss"/>: +L_i at (i, neg_i), −L_i at (i, pos_i), zero elsewhere.</summary>
    public static double[] Gradient(int rows, int columns, WarpSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var g = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            g[i * columns + sample.Negatives[i]] += sample.Weights[i];
            g[i * columns + sample.Positives[i]] -= sample.Weights[i];
        }
        return g;
    }

    /// <summary>loss_helper(x) row i, in numpy's evaluation order: (1 + x[i,neg]) − x[i,pos].</summary>
    private static double Helper(ReadOnlySpan<double> x, int columns, WarpSample s, int i, double add) =>
        (1 + (x[i * columns + s.Negatives[i]] + add)) - (x[i * columns + s.Positives[i]] + add);

    /// <summary>
    /// The seed's loss_grad(y_hat), as written: L * (loss_helper(y_hat + ε) − loss_helper(y)) / ε with ε = 1e-10 —
    /// one number per ROW, and the subtraction is against the label matrix y, not y_hat.
    /// </summary>
    public static double[] SeedLossGrad(ReadOnlySpan<double> yHat, ReadOnlySpan<double> y, int columns, WarpSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var f = new double[sample.Weights.Length];
        for (int i = 0; i < f.Length; i++)
            f[i] = sample.Weights[i] * ((Helper(yHat, columns, sample, i, SeedGradientEpsilon) - Helper(y, columns, sample, i, 0)) / SeedGradientEpsilon);
        return f;
    }

    /// <summary>
    /// The seed's hessian(y_hat, loss, 1e-1), as numpy executes it. n = x0.shape[0] = ROWS; xx = x0 aliases the global
    /// y_hat; xx0 = xx[j] is a VIEW of row j, so xx[j] = xx0 + ε perturbs the whole row and the "restore" xx[j] = xx0
    /// copies the perturbed view onto itself: every row stays shifted by ε. Columns: (loss_grad − f1)/ε.
    /// <paramref name="yHat"/> is mutated exactly as the seed mutates its global. Returns the n×n matrix, row-major.
    /// </summary>
    public static double[] SeedHessian(double[] yHat, ReadOnlySpan<double> y, int rows, int columns, WarpSample sample, double epsilon = SeedHessianEpsilon)
    {
        ArgumentNullException.ThrowIfNull(yHat);
        ArgumentNullException.ThrowIfNull(sample);
        var f1 = SeedLossGrad(yHat, y, columns, sample);
        var h = new double[rows * rows];
        for (int j = 0; j < rows; j++)
        {
            for (int c = 0; c < columns; c++) yHat[j * columns + c] += epsilon;   // xx[j] = xx0 + epsilon
            // xx[j] = xx0  — xx0 is the same memory: no restore.
            var f2 = SeedLossGrad(yHat, y, columns, sample);
            for (int r = 0; r < rows; r++) h[r * rows + j] = (f2[r] - f1[r]) / epsilon;
        }
        return h;
    }

    /// <summary>The corrected Hessian loop's bookkeeping: perturb one ENTRY of a private copy, then put it back.</summary>
    public static double[] PerturbAndRestore(ReadOnlySpan<double> x0, double epsilon)
    {
        var xx = x0.ToArray();
        for (int a = 0; a < xx.Length; a++) { double old = xx[a]; xx[a] = old + epsilon; xx[a] = old; }
        return xx;
    }
}

using System.Globalization;
using System.Text;

namespace LossNotebooks.Derivations;

/// <summary>What kind of targets a random input carries; the seeds' formulas must hold for each kind they allow.</summary>
public enum TargetKind
{
    /// <summary>One 1 per row (hard labels).</summary>
    OneHot,
    /// <summary>A probability vector per row.</summary>
    Soft,
    /// <summary>Non-negative entries whose rows need not sum to 1 (the seeds keep Σ_j y_kj, so it must be tested ≠ 1).</summary>
    Unnormalized,
}

/// <summary>
/// One random input a step is evaluated on: an n×c logit matrix ŷ (row-major), targets y, weights w, four random
/// indices (i, j, k, l) for the index-level identities, and a scenario seed for steps that build their own data
/// (the WARP and SVM seeds). Immutable; softmax is computed once.
/// </summary>
public sealed class StepInput
{
    private readonly double[] _softmax;

    public StepInput(int rows, int classes, double[] logits, double[] targets, double[] weights,
        int i, int j, int k, int l, int scenarioSeed, TargetKind targetKind)
    {
        Validation.Guard.Positive(rows);
        Validation.Guard.Positive(classes);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(weights);
        Validation.Guard.Length(logits.Length, rows * classes, "n×c logits");
        Validation.Guard.Length(targets.Length, rows * classes, "n×c targets");
        Validation.Guard.Length(weights.Length, rows * classes, "n×c weights");
        Validation.Guard.AllFinite(logits);
        if ((uint)i >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(i), i, "i must be a row index.");
        if ((uint)k >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be a row index.");
        if ((uint)j >= (uint)classes) throw new ArgumentOutOfRangeException(nameof(j), j, "j must be a class index.");
        if ((uint)l >= (uint)classes) throw new ArgumentOutOfRangeException(nameof(l), l, "l must be a class index.");
        (Rows, Classes, Logits, Targets, Weights, I, J, K, L, ScenarioSeed, TargetKind) =
            (rows, classes, logits, targets, weights, i, j, k, l, scenarioSeed, targetKind);
        _softmax = new double[logits.Length];
        SoftmaxInto(logits, rows, classes, _softmax);
    }

    public int Rows { get; }
    public int Classes { get; }
    public double[] Logits { get; }
    public double[] Targets { get; }
    public double[] Weights { get; }
    public int I { get; }
    public int J { get; }
    public int K { get; }
    public int L { get; }
    public int ScenarioSeed { get; }
    public TargetKind TargetKind { get; }
    /// <summary>For scenario inputs (steps that build their own data from <see cref="ScenarioSeed"/>): how to describe it.</summary>
    public string? Scenario { get; init; }
    /// <summary>For scenario inputs: the data the steps read (e.g. an <see cref="SvmScenario"/>).</summary>
    public object? Payload { get; init; }

    /// <summary>A scenario input: no matrices of its own, just a seed, a description and the data.</summary>
    public static StepInput ForScenario(int scenarioSeed, string description, object payload) =>
        new(1, 1, [0.0], [0.0], [1.0], 0, 0, 0, 0, scenarioSeed, TargetKind.OneHot) { Scenario = description, Payload = payload };

    public double Z(int row, int col) => Logits[Index(row, col)];
    public double Y(int row, int col) => Targets[Index(row, col)];
    public double W(int row, int col) => Weights[Index(row, col)];
    /// <summary>σ(ŷ)_{row,col}, the softmax over the row.</summary>
    public double S(int row, int col) => _softmax[Index(row, col)];

    /// <summary>The flat index of (row, col), each checked on its own: col = c must not read the next row's first entry.</summary>
    public int Index(int row, int col)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in 0..{Rows - 1} (n = {Rows}).");
        if ((uint)col >= (uint)Classes) throw new ArgumentOutOfRangeException(nameof(col), col, $"col must be in 0..{Classes - 1} (c = {Classes}).");
        return row * Classes + col;
    }
    public static double Delta(int a, int b) => a == b ? 1.0 : 0.0;

    /// <summary>Σ_i Σ_j term(i, j) over the whole n×c matrix.</summary>
    public double SumIJ(Func<int, int, double> term)
    {
        ArgumentNullException.ThrowIfNull(term);
        double t = 0;
        for (int i = 0; i < Rows; i++) for (int j = 0; j < Classes; j++) t += term(i, j);
        return t;
    }

    /// <summary>Σ_j term(j) over the classes.</summary>
    public double SumJ(Func<int, double> term)
    {
        ArgumentNullException.ThrowIfNull(term);
        double t = 0;
        for (int j = 0; j < Classes; j++) t += term(j);
        return t;
    }

    /// <summary>Σ_j y_row,j (1 for probability targets, not for unnormalized ones).</summary>
    public double RowMass(int row) => SumJ(j => Y(row, j));

    /// <summary>
    /// ∂f/∂ŷ_kl at these logits, numerically (central differences, two Richardson levels): the reference side of a
    /// gradient line. <paramref name="f"/> takes a (perturbed) copy of the logits.
    /// </summary>
    public double NumericGradient(Func<double[], double> f) => Numeric.Partial(f, Logits, Index(K, L));

    /// <summary>∂²f/∂ŷ_kl² numerically: the reference side of a diagonal-Hessian line.</summary>
    public double NumericHessian(Func<double[], double> f) => Numeric.SecondPartial(f, Logits, Index(K, L), Index(K, L));

    /// <summary>∂²f/∂ŷ_kl∂ŷ_ij numerically.</summary>
    public double NumericCrossHessian(Func<double[], double> f) => Numeric.SecondPartial(f, Logits, Index(K, L), Index(I, J));

    /// <summary>Row-wise softmax with the max shifted out (no overflow for large logits).</summary>
    public static void SoftmaxInto(ReadOnlySpan<double> logits, int rows, int classes, Span<double> result)
    {
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            var s = result.Slice(r * classes, classes);
            double max = double.NegativeInfinity;
            foreach (var v in z) max = Math.Max(max, v);
            double sum = 0;
            for (int c = 0; c < classes; c++) { s[c] = Math.Exp(z[c] - max); sum += s[c]; }
            for (int c = 0; c < classes; c++) s[c] /= sum;
        }
    }

    /// <summary>A short description for "example input where they differ".</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        if (Scenario is not null) return Scenario;
        var sb = new StringBuilder();
        sb.Append(inv, $"n={Rows}, c={Classes}, {TargetKind} targets, (i,j,k,l)=({I},{J},{K},{L}), scenario seed {ScenarioSeed}");
        if (Rows * Classes <= 15)
        {
            sb.Append("; ŷ row k = [");
            for (int c = 0; c < Classes; c++) sb.Append(inv, $"{(c > 0 ? ", " : "")}{Z(K, c):0.###}");
            sb.Append("], y row k = [");
            for (int c = 0; c < Classes; c++) sb.Append(inv, $"{(c > 0 ? ", " : "")}{Y(K, c):0.###}");
            sb.Append(']');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The default random input: 1–3 rows, 2–5 classes, logits N(0, s²) with s in [0.5, 2.5], targets cycling through
    /// one-hot / soft (uniform on the simplex) / unnormalized (entries uniform in [0, 1.5)), weights in [0.2, 2]. i = k
    /// and j = l are each forced on half of the inputs, so the Kronecker deltas in the seeds' index algebra are
    /// exercised both ways.
    /// </summary>
    public static StepInput Random(Random rng, int sampleIndex)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int n = rng.Next(1, 4), c = rng.Next(2, 6);
        double scale = 0.5 + 2 * rng.NextDouble();
        var z = new double[n * c];
        for (int t = 0; t < z.Length; t++) z[t] = scale * Gaussian(rng);
        var kind = (TargetKind)(sampleIndex % 3);
        var y = new double[n * c];
        for (int r = 0; r < n; r++)
        {
            var row = y.AsSpan(r * c, c);
            switch (kind)
            {
                case TargetKind.OneHot: row[rng.Next(c)] = 1; break;
                case TargetKind.Soft:
                    double sum = 0;
                    for (int t = 0; t < c; t++) { row[t] = -Math.Log(1 - rng.NextDouble()); sum += row[t]; }
                    for (int t = 0; t < c; t++) row[t] /= sum;
                    break;
                default:
                    for (int t = 0; t < c; t++) row[t] = 1.5 * rng.NextDouble();
                    break;
            }
        }
        var w = new double[n * c];
        for (int t = 0; t < w.Length; t++) w[t] = 0.2 + 1.8 * rng.NextDouble();
        int k = rng.Next(n), l = rng.Next(c);
        int i = rng.Next(2) == 0 ? k : rng.Next(n);
        int j = rng.Next(2) == 0 ? l : rng.Next(c);
        return new StepInput(n, c, z, y, w, i, j, k, l, rng.Next(), kind);
    }

    /// <summary>A standard normal by Box–Muller (System.Random has no Gaussian on net8.0).</summary>
    public static double Gaussian(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

using System.Net;
using LossNotebooks.Display;
using LossNotebooks.Validation;

namespace LossNotebooks.Data;

/// <summary>
/// A labelled data set: <see cref="X"/> is n×d row-major (rows = examples), <see cref="Y"/> holds class indices in
/// [0, <see cref="Classes"/>). Immutable by convention: every transformation returns a new set.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class Dataset : IRichDisplay
{
    public Dataset(string name, double[] x, int[] y, int features, string[] classNames, string[]? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(classNames);
        Guard.Positive(features);
        if (classNames.Length < 2) throw new ArgumentException($"classNames must name at least 2 classes, got {classNames.Length}.", nameof(classNames));
        Guard.Length(x.Length, y.Length * features, $"n×d with n = {y.Length} labels and d = {features}", nameof(x));
        Guard.AllFinite(x, nameof(x));
        Guard.Labels(y, classNames.Length, nameof(y));
        if (featureNames is not null) Guard.Length(featureNames.Length, features, "one per feature", nameof(featureNames));
        Name = name;
        X = x;
        Y = y;
        Features = features;
        ClassNames = classNames;
        FeatureNames = featureNames ?? Enumerable.Range(0, features).Select(j => $"x{j}").ToArray();
    }

    public string Name { get; }
    /// <summary>n×d, row-major.</summary>
    public double[] X { get; }
    /// <summary>Class index per row.</summary>
    public int[] Y { get; }
    public int Rows => Y.Length;
    public int Features { get; }
    public int Classes => ClassNames.Length;
    public string[] ClassNames { get; }
    public string[] FeatureNames { get; }

    /// <summary>Row i of X.</summary>
    public ReadOnlySpan<double> Row(int i) => X.AsSpan(i * Features, Features);

    /// <summary>How many rows of each class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (int label in Y) counts[label]++;
        return counts;
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var x = new double[indices.Count * Features];
        var y = new int[indices.Count];
        for (int r = 0; r < indices.Count; r++)
        {
            int i = indices[r];
            if ((uint)i >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(indices), i, $"row index must be in [0, {Rows}).");
            Row(i).CopyTo(x.AsSpan(r * Features, Features));
            y[r] = Y[i];
        }
        return new Dataset(name ?? Name, x, y, Features, ClassNames, FeatureNames);
    }

    /// <summary>The columns at <paramref name="features"/>, in that order (e.g. two of iris's four measurements).</summary>
    public Dataset SelectFeatures(params int[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length == 0) throw new ArgumentException("select at least one feature.", nameof(features));
        foreach (int f in features)
            if ((uint)f >= (uint)Features) throw new ArgumentOutOfRangeException(nameof(features), f, $"feature index must be in [0, {Features}).");
        var x = new double[Rows * features.Length];
        for (int i = 0; i < Rows; i++)
            for (int k = 0; k < features.Length; k++) x[i * features.Length + k] = X[i * Features + features[k]];
        return new Dataset(Name, x, Y, features.Length, ClassNames, [.. features.Select(f => FeatureNames[f])]);
    }

    /// <summary>
    /// Polynomial features: every monomial x_{j1}·x_{j2}···x_{jk} with j1 ≤ j2 ≤ … ≤ jk and 1 ≤ k ≤ <paramref name="degree"/>
    /// (no constant: the classifier adds the bias), in graded order — the d features themselves first, then all products
    /// of two, and so on. d features give C(d + degree, degree) − 1 columns; feature names read e.g. "a·a·b".
    /// </summary>
    public Dataset Polynomial(int degree)
    {
        if (degree < 1) throw new ArgumentOutOfRangeException(nameof(degree), degree, "degree must be at least 1.");
        var monomials = new List<int[]>();
        var current = new List<int>();
        for (int k = 1; k <= degree; k++) Collect(0, k);
        void Collect(int from, int left)
        {
            if (left == 0) { monomials.Add([.. current]); return; }
            for (int j = from; j < Features; j++) { current.Add(j); Collect(j, left - 1); current.RemoveAt(current.Count - 1); }
        }
        int D = monomials.Count;
        var x = new double[Rows * D];
        for (int i = 0; i < Rows; i++)
        {
            var row = Row(i);
            for (int m = 0; m < D; m++)
            {
                double p = 1;
                foreach (int j in monomials[m]) p *= row[j];
                x[i * D + m] = p;
            }
        }
        return new Dataset(Name, x, Y, D, ClassNames, [.. monomials.Select(m => string.Join("·", m.Select(j => FeatureNames[j])))]);
    }

    /// <summary>
    /// Seeded stratified split: within every class the rows are shuffled (Fisher–Yates, <c>new Random(seed)</c>) and
    /// round(fraction·count) of them go to validation, so both parts keep the class proportions.
    /// </summary>
    public DataSplit Split(double validationFraction = 0.25, int seed = 0)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "validationFraction must be in (0, 1).");
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        for (int k = 0; k < Classes; k++)
        {
            var rows = new List<int>();
            for (int i = 0; i < Rows; i++) if (Y[i] == k) rows.Add(i);
            for (int i = rows.Count - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (rows[i], rows[j]) = (rows[j], rows[i]);
            }
            int nv = (int)Math.Round(validationFraction * rows.Count, MidpointRounding.AwayFromZero);
            validation.AddRange(rows.Take(nv));
            train.AddRange(rows.Skip(nv));
        }
        // Sorted row order: the split is a set; the optimizers do their own seeded shuffling.
        train.Sort();
        validation.Sort();
        if (train.Count == 0 || validation.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"the split leaves an empty part ({train.Count} train, {validation.Count} validation rows).");
        return new DataSplit(Subset(train, Name + " (train)"), Subset(validation, Name + " (validation)"));
    }

    public override string ToString() => $"{Name}: {Rows} rows × {Features} features, {Classes} classes";

    /// <summary>Name, shape and the class counts as a small table.</summary>
    public string ToHtml()
    {
        var counts = ClassCounts();
        var cells = string.Concat(ClassNames.Select((c, k) => $"<tr><td>{WebUtility.HtmlEncode(c)}</td><td>{counts[k]}</td></tr>"));
        return $"<div><b>{WebUtility.HtmlEncode(Name)}</b>: {Rows} rows × {Features} features, {Classes} classes" +
               $"<table><thead><tr><th>class</th><th>rows</th></tr></thead><tbody>{cells}</tbody></table></div>";
    }
}

/// <summary>A train/validation pair.</summary>
public sealed record DataSplit(Dataset Train, Dataset Validation)
{
    /// <summary>Both parts standardised with the mean and standard deviation of <see cref="Train"/> only (no leakage).</summary>
    public DataSplit Standardized()
    {
        var s = Standardizer.Fit(Train);
        return new DataSplit(s.Transform(Train), s.Transform(Validation));
    }
}

/// <summary>Per-feature (x − mean) / std, fitted on one set and applied to others. Constant features get std 1.</summary>
public sealed class Standardizer
{
    private Standardizer(double[] mean, double[] std) { Mean = mean; Std = std; }

    public double[] Mean { get; }
    public double[] Std { get; }

    public static Standardizer Fit(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int d = data.Features, n = data.Rows;
        var mean = new double[d];
        var std = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (int j = 0; j < d; j++) { double e = row[j] - mean[j]; std[j] += e * e; }
        }
        for (int j = 0; j < d; j++)
        {
            std[j] = Math.Sqrt(std[j] / n);
            // A pixel that is always 0 in the training set would divide by zero: leave it centred, unscaled.
            if (!(std[j] > 1e-12)) std[j] = 1.0;
        }
        return new Standardizer(mean, std);
    }

    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.Length(data.Features, Mean.Length, "the features the standardizer was fitted on", nameof(data));
        int d = data.Features;
        var x = new double[data.X.Length];
        for (int k = 0; k < x.Length; k++) x[k] = (data.X[k] - Mean[k % d]) / Std[k % d];
        return new Dataset(data.Name, x, data.Y, d, data.ClassNames, data.FeatureNames);
    }
}

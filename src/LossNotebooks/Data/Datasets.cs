using System.Globalization;
using System.IO.Compression;
using LossNotebooks.Validation;

namespace LossNotebooks.Data;

/// <summary>
/// The embedded real data sets (UCI digits and iris, CC BY 4.0 — see <see cref="Attribution"/>) and seeded synthetic ones.
/// </summary>
public static class Datasets
{
    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["digits", "iris"];

    /// <summary>
    /// "digits": 1797×64 (8×8 images, pixels 0..16), 10 classes. "iris": 150×4, 3 classes. Case-insensitive.
    /// Unknown name → <see cref="ArgumentException"/> listing the known ones.
    /// </summary>
    public static Dataset Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "digits" => LoadDigits(),
            "iris" => LoadIris(),
            _ => throw new ArgumentException($"Unknown dataset '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>The data set's description (.rst shipped with it).</summary>
    public static string Description(string name)
    {
        Load(name); // same name check and message
        return ReadText(name.Trim().ToLowerInvariant() + ".rst");
    }

    /// <summary>Licence and authors of the embedded data.</summary>
    public static string Attribution => ReadText("ATTRIBUTION.md");

    private static Dataset LoadDigits()
    {
        using var gz = new GZipStream(Open("digits.csv.gz"), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var x = new List<double>(1797 * 64);
        var y = new List<int>(1797);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            for (int j = 0; j < 64; j++) x.Add(double.Parse(parts[j], CultureInfo.InvariantCulture));
            y.Add(int.Parse(parts[64], CultureInfo.InvariantCulture));
        }
        var pixels = Enumerable.Range(0, 64).Select(j => $"pixel_{j / 8}_{j % 8}").ToArray();
        return new Dataset("digits", x.ToArray(), y.ToArray(), 64, Enumerable.Range(0, 10).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray(), pixels);
    }

    private static Dataset LoadIris()
    {
        using var reader = new StreamReader(Open("iris.csv"));
        var header = reader.ReadLine()!.Split(',');
        int n = int.Parse(header[0], CultureInfo.InvariantCulture), d = int.Parse(header[1], CultureInfo.InvariantCulture);
        var classes = header[2..];
        var x = new double[n * d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            var parts = reader.ReadLine()!.Split(',');
            for (int j = 0; j < d; j++) x[i * d + j] = double.Parse(parts[j], CultureInfo.InvariantCulture);
            y[i] = int.Parse(parts[d], CultureInfo.InvariantCulture);
        }
        return new Dataset("iris", x, y, d, classes, ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]);
    }

    private static Stream Open(string file) =>
        typeof(Datasets).Assembly.GetManifestResourceStream("LossNotebooks.Data." + file)
        ?? throw new InvalidOperationException($"Embedded resource LossNotebooks.Data.{file} is missing from the assembly.");

    private static string ReadText(string file)
    {
        using var reader = new StreamReader(Open(file));
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Isotropic Gaussian blobs: each centre
    /// coordinate ~ U(−10, 10) and points = centre + std·N(0, 1). Rows are class-balanced (k = i mod classes).
    /// </summary>
    public static Dataset Blobs(int rows, int features, int classes, double std = 1.0, int seed = 0)
    {
        Guard.Positive(rows);
        Guard.Positive(features);
        CheckClasses(classes);
        Guard.Positive(std);
        var random = new Random(seed);
        var centres = new double[classes * features];
        for (int k = 0; k < centres.Length; k++) centres[k] = 20 * random.NextDouble() - 10;
        var x = new double[rows * features];
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int k = y[i] = i % classes;
            for (int j = 0; j < features; j++) x[i * features + j] = centres[k * features + j] + std * Gaussian.Next(random);
        }
        return new Dataset($"blobs (seed {seed})", x, y, features, ClassNames(classes));
    }

    /// <summary>
    /// The 2-D spiral (cs231n): class k has <paramref name="pointsPerClass"/> points at radius r = linspace(0, 1) and angle
    /// t = linspace(4k, 4(k+1)) + noise·N(0, 1); x = (r sin t, r cos t). Not linearly separable: a linear model tops out low.
    /// </summary>
    public static Dataset Spiral(int pointsPerClass = 100, int classes = 3, double noise = 0.2, int seed = 0)
    {
        Guard.Positive(pointsPerClass);
        CheckClasses(classes);
        Guard.NonNegative(noise);
        var random = new Random(seed);
        int n = pointsPerClass * classes;
        var x = new double[2 * n];
        var y = new int[n];
        for (int k = 0; k < classes; k++)
            for (int p = 0; p < pointsPerClass; p++)
            {
                int i = k * pointsPerClass + p;
                double f = pointsPerClass == 1 ? 0 : (double)p / (pointsPerClass - 1);
                double r = f, t = 4 * k + 4 * f + noise * Gaussian.Next(random);
                x[2 * i] = r * Math.Sin(t);
                x[2 * i + 1] = r * Math.Cos(t);
                y[i] = k;
            }
        return new Dataset($"spiral (seed {seed})", x, y, 2, ClassNames(classes), ["x", "y"]);
    }

    /// <summary>
    /// The seeds' experiment: X ~ N(0, 1) and labels uniform at random, independent of X. There is nothing to learn, so
    /// validation accuracy stays at chance (1/classes) whatever the optimizer — the point the notebook makes.
    /// </summary>
    public static Dataset RandomLabels(int rows = 10000, int features = 3073, int classes = 10, int seed = 0)
    {
        Guard.Positive(rows);
        Guard.Positive(features);
        CheckClasses(classes);
        var random = new Random(seed);
        var x = new double[rows * features];
        for (int k = 0; k < x.Length; k++) x[k] = Gaussian.Next(random);
        var y = new int[rows];
        for (int i = 0; i < rows; i++) y[i] = random.Next(classes);
        return new Dataset($"random X, random labels (seed {seed})", x, y, features, ClassNames(classes));
    }

    private static void CheckClasses(int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
    }

    private static string[] ClassNames(int classes) => Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box–Muller; both values of a pair are not cached, for simplicity).</summary>
public static class Gaussian
{
    public static double Next(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: log is finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="values"/> with scale·N(0, 1).</summary>
    public static void Fill(Random random, Span<double> values, double scale = 1.0)
    {
        for (int k = 0; k < values.Length; k++) values[k] = scale * Next(random);
    }
}

using LossNotebooks.Data;

namespace LossNotebooks.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void Digits_has_the_documented_shape_and_class_counts()
    {
        var digits = Datasets.Load("digits");
        Assert.Equal(1797, digits.Rows);
        Assert.Equal(64, digits.Features);
        Assert.Equal(10, digits.Classes);
        // Class counts from digits.rst / the UCI test set: 178, 182, 177, 183, 181, 182, 181, 179, 174, 180.
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], digits.ClassCounts());
        Assert.All(digits.X, v => Assert.InRange(v, 0, 16));
        // First row of the file: 0,0,5,13,9,1,0,0,... label 0.
        Assert.Equal([0.0, 0, 5, 13, 9, 1, 0, 0], digits.Row(0)[..8].ToArray());
        Assert.Equal(0, digits.Y[0]);
    }

    [Fact]
    public void Iris_has_150_rows_4_features_50_per_class()
    {
        var iris = Datasets.Load("IRIS");
        Assert.Equal(150, iris.Rows);
        Assert.Equal(4, iris.Features);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.Equal([50, 50, 50], iris.ClassCounts());
        Assert.Equal([5.1, 3.5, 1.4, 0.2], iris.Row(0).ToArray());
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Datasets.Load("mnist"));
        Assert.Equal("name", e.ParamName);
        Assert.Contains("digits", e.Message);
        Assert.Contains("iris", e.Message);
        Assert.Throws<ArgumentException>(() => Datasets.Description("cifar"));
    }

    [Fact]
    public void Attribution_and_descriptions_are_embedded()
    {
        Assert.Contains("CC BY 4.0", Datasets.Attribution);
        Assert.Contains("Alpaydin", Datasets.Attribution);
        Assert.Contains("Optical recognition", Datasets.Description("digits"));
        Assert.Contains("Iris", Datasets.Description("iris"));
    }

    [Fact]
    public void Split_is_stratified_seeded_and_a_partition()
    {
        var digits = Datasets.Load("digits");
        var a = digits.Split(0.25, seed: 7);
        var b = digits.Split(0.25, seed: 7);
        var other = digits.Split(0.25, seed: 8);
        Assert.Equal(digits.Rows, a.Train.Rows + a.Validation.Rows);
        var counts = digits.ClassCounts();
        var val = a.Validation.ClassCounts();
        for (int k = 0; k < 10; k++) Assert.Equal((int)Math.Round(0.25 * counts[k], MidpointRounding.AwayFromZero), val[k]);
        Assert.Equal(a.Train.X, b.Train.X);
        Assert.Equal(a.Validation.Y, b.Validation.Y);
        Assert.NotEqual(a.Validation.X, other.Validation.X);
        // Partition: the multiset of rows is unchanged (compare sorted row strings).
        static IEnumerable<string> Rows(Dataset d) => Enumerable.Range(0, d.Rows).Select(i => string.Join(',', d.Row(i).ToArray()) + ";" + d.Y[i]);
        Assert.Equal(Rows(digits).Order(), Rows(a.Train).Concat(Rows(a.Validation)).Order());
    }

    [Fact]
    public void Standardisation_uses_training_statistics_only()
    {
        var split = Datasets.Load("iris").Split(0.3, seed: 1);
        var s = split.Standardized();
        int d = 4;
        for (int j = 0; j < d; j++)
        {
            var col = Enumerable.Range(0, s.Train.Rows).Select(i => s.Train.X[i * d + j]).ToArray();
            Assert.Equal(0, col.Average(), 12);
            Assert.Equal(1, Math.Sqrt(col.Select(v => v * v).Average()), 12);
            // The validation rows are transformed with the training mean/std (computed here independently).
            var raw = Enumerable.Range(0, split.Train.Rows).Select(i => split.Train.X[i * d + j]).ToArray();
            double mean = raw.Average(), std = Math.Sqrt(raw.Select(v => (v - mean) * (v - mean)).Average());
            Assert.Equal((split.Validation.X[j] - mean) / std, s.Validation.X[j], 12);
        }
    }

    [Fact]
    public void Constant_features_are_centred_not_divided_by_zero()
    {
        var digits = Datasets.Load("digits").Split(0.25, 0).Standardized();
        Assert.All(digits.Train.X, v => Assert.True(double.IsFinite(v)));
        Assert.All(digits.Validation.X, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Synthetic_sets_are_seeded()
    {
        Assert.Equal(Datasets.Blobs(60, 3, 4, seed: 5).X, Datasets.Blobs(60, 3, 4, seed: 5).X);
        Assert.NotEqual(Datasets.Blobs(60, 3, 4, seed: 5).X, Datasets.Blobs(60, 3, 4, seed: 6).X);
        var spiral = Datasets.Spiral(100, 3, seed: 2);
        Assert.Equal(300, spiral.Rows);
        Assert.Equal(2, spiral.Features);
        Assert.Equal(spiral.X, Datasets.Spiral(100, 3, seed: 2).X);
        // Radius r = linspace(0, 1) per class, whatever the angle noise.
        Assert.Equal(1.0, Math.Sqrt(spiral.X[2 * 99] * spiral.X[2 * 99] + spiral.X[2 * 99 + 1] * spiral.X[2 * 99 + 1]), 12);
        var noise = Datasets.RandomLabels(200, 5, 10, seed: 3);
        Assert.Equal(noise.Y, Datasets.RandomLabels(200, 5, 10, seed: 3).Y);
        Assert.Equal(10, noise.ClassCounts().Length);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("validationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Load("iris").Split(1.0)).ParamName);
        Assert.Equal("validationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Load("iris").Split(double.NaN)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Dataset("bad", [1, double.NaN], [0, 1], 1, ["a", "b"])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset("bad", [1, 2], [0, 2], 1, ["a", "b"])).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Spiral(10, 1)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Blobs(0, 2, 2)).ParamName);
    }
}

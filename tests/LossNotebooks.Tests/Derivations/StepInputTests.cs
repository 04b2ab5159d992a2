using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>
/// The input the seed derivations are checked on: its argument checks, index arithmetic, softmax, the description a
/// failing step prints, and the distribution <see cref="StepInput.Random"/> draws from (as its documentation states it).
/// </summary>
public class StepInputTests
{
    private static StepInput Make(int rows, int classes, double[]? z = null, double[]? y = null, double[]? w = null,
        int i = 0, int j = 0, int k = 0, int l = 0, int seed = 7, TargetKind kind = TargetKind.OneHot) =>
        new(rows, classes, z ?? new double[rows * classes], y ?? new double[rows * classes], w ?? Enumerable.Repeat(1.0, rows * classes).ToArray(),
            i, j, k, l, seed, kind);

    private static void Names(string param, Action act) => Assert.Equal(param, Assert.ThrowsAny<ArgumentException>(act).ParamName);

    [Fact]
    public void The_constructor_names_a_bad_size_a_wrong_length_or_a_non_finite_logit()
    {
        Names("rows", () => Make(0, 2));
        Names("classes", () => Make(1, 0));
        Names("logits.Length", () => Make(1, 2, z: [0, 0, 0]));
        Names("targets.Length", () => Make(1, 2, y: [0, 0, 0]));
        Names("weights.Length", () => Make(1, 2, w: [1, 1, 1]));
        Names("logits", () => Make(1, 2, z: [0, double.NaN]));
        Names("logits", () => Make(1, 2, z: [double.PositiveInfinity, 0]));
    }

    [Fact]
    public void Each_index_must_lie_inside_the_matrix_one_past_the_end_included()
    {
        // 2 rows, 3 classes: i, k in {0, 1}; j, l in {0, 1, 2}.
        Names("i", () => Make(2, 3, i: 2));
        Names("k", () => Make(2, 3, k: 2));
        Names("j", () => Make(2, 3, j: 3));
        Names("l", () => Make(2, 3, l: 3));
        Names("i", () => Make(2, 3, i: -1));
        var x = Make(2, 3, i: 1, j: 2, k: 1, l: 2);
        Assert.Equal((1, 2, 1, 2), (x.I, x.J, x.K, x.L));
        Names("row", () => x.Z(2, 0));
        Names("col", () => x.Y(0, 3));
        Names("row", () => x.S(-1, 0));
    }

    [Fact]
    public void Entries_are_read_row_major_and_the_double_sum_covers_every_entry_once()
    {
        var x = Make(2, 3, z: [1, 2, 3, 11, 12, 13], y: [0, 0, 1, 0.5, 0.25, 0.25], w: [0.5, 1, 1, 1, 1, 2]);
        Assert.Equal((3, 5), (x.Index(1, 0), x.Index(1, 2)));
        Assert.Equal((11.0, 0.25, 2.0), (x.Z(1, 0), x.Y(1, 2), x.W(1, 2)));
        Assert.Equal(42.0, x.SumIJ((r, c) => x.Z(r, c)));   // 1 + 2 + 3 + 11 + 12 + 13
        Assert.Equal(1.0, x.RowMass(1));
        Assert.Equal(1.0, StepInput.Delta(2, 2));
        Assert.Equal(0.0, StepInput.Delta(1, 2));
    }

    [Fact]
    public void Softmax_stays_finite_for_large_logits_of_either_sign()
    {
        // Rows (400, 399) and (−401, −400): σ = (1, e⁻¹)/(1 + e⁻¹) up to order; exp(±800) would overflow or vanish.
        var x = Make(2, 2, z: [400, 399, -401, -400]);
        double big = 1 / (1 + Math.Exp(-1)), small = Math.Exp(-1) / (1 + Math.Exp(-1));
        Assert.Equal(0.7310585786300049, big, 15);
        Assert.Equal([big, small, small, big], new[] { x.S(0, 0), x.S(0, 1), x.S(1, 0), x.S(1, 1) }, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void The_description_shows_row_k_of_the_logits_and_targets_when_the_matrix_is_small()
    {
        var x = Make(2, 3, z: [9, 9, 9, 0.1234, -2, 10.00049], y: [1, 0, 0, 0.25, 0.125, 0.625], i: 0, j: 1, k: 1, l: 2, seed: 7,
            kind: TargetKind.Soft);
        Assert.Equal("n=2, c=3, Soft targets, (i,j,k,l)=(0,1,1,2), scenario seed 7; ŷ row k = [0.123, -2, 10], y row k = [0.25, 0.125, 0.625]",
            x.ToString());
        // 3×5 = 15 entries: still shown; 4×4 and 2×8 = 16: the indices and the seed only.
        var z15 = Enumerable.Range(0, 15).Select(t => 0.5 * t).ToArray();
        Assert.Equal("n=3, c=5, OneHot targets, (i,j,k,l)=(0,0,2,0), scenario seed 7; ŷ row k = [5, 5.5, 6, 6.5, 7], y row k = [0, 0, 0, 0, 0]",
            Make(3, 5, z: z15, k: 2).ToString());
        Assert.Equal("n=4, c=4, Unnormalized targets, (i,j,k,l)=(3,3,0,0), scenario seed -5",
            Make(4, 4, i: 3, j: 3, seed: -5, kind: TargetKind.Unnormalized).ToString());
        Assert.Equal("n=2, c=8, OneHot targets, (i,j,k,l)=(0,0,0,0), scenario seed 7", Make(2, 8).ToString());
        Assert.Equal("a scenario", StepInput.ForScenario(3, "a scenario", new object()).ToString());
    }

    [Fact]
    public void Random_inputs_follow_the_documented_distribution()
    {
        // 6,000 inputs from a fixed seed. Each band reaches ≥ 5 standard errors either side of the exact expectation.
        const int n = 6000;
        var rng = new Random(20240501);
        var inputs = Enumerable.Range(0, n).Select(t => StepInput.Random(rng, t)).ToArray();
        Assert.Equal([1, 2, 3], inputs.Select(x => x.Rows).Distinct().Order().ToArray());
        Assert.Equal([2, 3, 4, 5], inputs.Select(x => x.Classes).Distinct().Order().ToArray());
        Assert.All(Enumerable.Range(0, n), t => Assert.Equal((TargetKind)(t % 3), inputs[t].TargetKind));

        IEnumerable<double[]> Rows(TargetKind kind) => inputs.Where(x => x.TargetKind == kind)
            .SelectMany(x => Enumerable.Range(0, x.Rows).Select(r => Enumerable.Range(0, x.Classes).Select(c => x.Y(r, c)).ToArray()));
        Assert.All(Rows(TargetKind.OneHot), row => Assert.Equal((1, row.Length - 1), (row.Count(v => v == 1), row.Count(v => v == 0))));
        Assert.All(Rows(TargetKind.Soft), row => Assert.True(row.All(v => v >= 0) && Math.Abs(row.Sum() - 1) < 1e-12));
        // Soft rows are uniform on the simplex: with 2 classes the first entry is U(0, 1) (mean 1/2, variance 1/12, 10 % below 0.1).
        var first = Rows(TargetKind.Soft).Where(r => r.Length == 2).Select(r => r[0]).ToArray();
        Assert.InRange(first.Average(v => (v - 0.5) * (v - 0.5)), 0.07, 0.097);
        Assert.InRange(first.Count(v => v < 0.1) / (double)first.Length, 0.05, 0.15);
        Assert.InRange(first.Count(v => v > 0.9) / (double)first.Length, 0.05, 0.15);
        // Unnormalized entries are U(0, 1.5): mean 0.75.
        var loose = Rows(TargetKind.Unnormalized).SelectMany(r => r).ToArray();
        Assert.All(loose, v => Assert.InRange(v, 0, 1.5));
        Assert.InRange(loose.Average(), 0.72, 0.78);

        // Weights U(0.2, 2): mean 1.1.
        var weights = inputs.SelectMany(x => x.Weights).ToArray();
        Assert.All(weights, v => Assert.InRange(v, 0.2, 2.0));
        Assert.InRange(weights.Average(), 1.08, 1.12);
        // Logits s·N(0, 1) with s ~ U(0.5, 2.5): E[z²] = E[s²] = 1/3 + 1.5² = 2.583.
        Assert.InRange(inputs.SelectMany(x => x.Logits).Average(v => v * v), 2.4, 2.77);

        // i = k half of the time, otherwise a uniform row: P(i = k) = 1/2 + 1/2·E[1/n] = 1/2 + 11/36 = 0.806 (n uniform on 1..3);
        // likewise P(j = l) = 1/2 + 1/2·E[1/c] = 1/2 + 77/480 = 0.660 (c uniform on 2..5).
        Assert.InRange(inputs.Count(x => x.I == x.K) / (double)n, 0.775, 0.835);
        Assert.InRange(inputs.Count(x => x.J == x.L) / (double)n, 0.625, 0.695);
    }
}

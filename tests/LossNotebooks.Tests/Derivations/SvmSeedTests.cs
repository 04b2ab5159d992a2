using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>Seed 002's hinge-loss code as transliterated in <see cref="SvmSeed"/>, with values worked out by hand.</summary>
public class SvmSeedTests
{
    // 3 examples, 2 features, 3 classes. X rows (1, 0), (1, 1), (0, 1); w (d×c) rows (0.5, 1, −1) and (2, 0, 1).
    // scores = X·w: row 0 = w₀ = (0.5, 1, −1); row 1 = w₀ + w₁ = (2.5, 1, 0); row 2 = w₁ = (2, 0, 1).
    private static SvmScenario Small(int[]? labels = null) =>
        new(3, 2, 3, [1, 0, 1, 1, 0, 1], labels ?? [0, 2, 1], [0.5, 1, -1, 2, 0, 1]);

    // Hinge Σ_{j≠y} max(0, s_j − s_y + 1) with labels (0, 2, 1):
    //   row 0 (s_y = 0.5): 1 − 0.5 + 1 = 1.5 and max(0, −1 − 0.5 + 1) = 0 → 1.5
    //   row 1 (s_y = 0):   2.5 + 1 = 3.5 and 1 + 1 = 2 → 5.5
    //   row 2 (s_y = 0):   2 + 1 = 3 and 1 + 1 = 2 → 5
    // Mean (1.5 + 5.5 + 5)/3 = 4.

    [Fact]
    public void Hinge_loss_by_hand_on_a_three_row_example()
    {
        var d = Small();
        Assert.Equal([0.5, 1, -1, 2.5, 1, 0, 2, 0, 1], d.Scores(d.W));
        Assert.Equal([1.5, 5.5, 5], SvmSeed.PerExampleHinge(d, d.W));
        Assert.Equal(4, SvmSeed.HingeLossReference(d, d.W), 14);
    }

    [Fact]
    public void Seed_loop_over_fewer_rows_than_n_still_divides_by_n()
    {
        var d = Small();
        // range(1) and range(2) of 3 rows: (1.5)/3 and (1.5 + 5.5)/3; range(3) is the definition.
        Assert.Equal(0.5, SvmSeed.HingeLossLoop(d, d.W, loopRows: 1), 14);
        Assert.Equal(7.0 / 3, SvmSeed.HingeLossLoop(d, d.W, loopRows: 2), 14);
        Assert.Equal(4, SvmSeed.HingeLossLoop(d, d.W, loopRows: 3), 14);
    }

    [Fact]
    public void Seed_loop_past_the_last_row_fails_at_that_index_like_numpy()
    {
        // numpy: "index 3 is out of bounds for axis 0 with size 3" — the failing row and the axis size.
        var e = Assert.Throws<IndexOutOfRangeException>(() => SvmSeed.HingeLossLoop(Small(), Small().W, loopRows: 4));
        Assert.Contains("index 3 ", e.Message);
        Assert.Contains("size 3 ", e.Message);
    }

    [Fact]
    public void Vectorized_per_example_loss_with_two_active_margins()
    {
        // W (c×d) rows (1, 0), (0, 1), (2, −1); x = (1, 2) → scores (1, 2, 0). y = 2: margins 1 − 0 + 1 = 2 and
        // 2 − 0 + 1 = 3 → 5 (not their max 3; with scores 0 it would be 2, with the scores negated 0).
        Assert.Equal(5, SvmSeed.LiVectorized([1.0, 2.0], 2, [1, 0, 0, 1, 2, -1], 3), 14);
        // The seed's W is c×d: the example's w (d×c) transposed gives (0.5, 2), (1, 0), (−1, 1); row 1 x = (1, 1),
        // y = 2 → scores (2.5, 1, 0) → 5.5, the loop's value for that row.
        var d = Small();
        Assert.Equal([0.5, 2, 1, 0, -1, 1], d.TransposedW());
        Assert.Equal(5.5, SvmSeed.LiVectorized([1.0, 1.0], 2, d.TransposedW(), 3), 14);
    }

    [Fact]
    public void Accuracy_counts_rows_whose_argmax_is_the_label()
    {
        // argmax of the score rows: 1, 0, 0.
        Assert.Equal(0, SvmSeed.Accuracy(Small([0, 2, 1]), Small().W));
        Assert.Equal(2.0 / 3, SvmSeed.Accuracy(Small([1, 2, 0]), Small().W), 14);
        Assert.Equal(1.0 / 3, SvmSeed.Accuracy(Small([2, 0, 1]), Small().W), 14);
    }

    [Fact]
    public void Head_keeps_the_first_rows_and_never_more_than_there_are()
    {
        var d = Small();
        var two = d.Head(2);
        Assert.Equal(2, two.Rows);
        Assert.Equal([1, 0, 1, 1], two.X);
        Assert.Equal([0, 2], two.Labels);
        Assert.Same(d.W, two.W);
        var all = d.Head(10);
        Assert.Equal(3, all.Rows);
        Assert.Equal(d.X, all.X);
        Assert.Equal(d.Labels, all.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Head(0));
    }

    [Fact]
    public void Random_scenario_has_the_seed_recipe_shapes_and_scales()
    {
        var d = SvmScenario.Random(3, 300, 4, 3, 1e-4);
        Assert.Equal((300, 4, 3), (d.Rows, d.Features, d.Classes));
        Assert.Equal(1200, d.X.Length);
        Assert.Equal(12, d.W.Length);
        Assert.Equal([0, 1, 2], d.Labels.Distinct().Order().ToArray());   // uniform labels: 300 draws hit every class
        // w = 1e-4·N(0,1): |w| < 1e-3 unless a draw is past 10σ; not all zero.
        Assert.All(d.W, w => Assert.True(Math.Abs(w) < 1e-3, $"{w}"));
        Assert.True(d.W.Max(Math.Abs) > 1e-6);
        // X ~ N(0,1): the mean square of 1200 draws is 1 ± 0.04 (one standard error); allow 0.2.
        Assert.InRange(d.X.Average(v => v * v), 0.8, 1.2);
        Assert.Equal(2, SvmScenario.Random(3, 5, 4, 2, 1).Classes);
    }

    [Fact]
    public void Random_scenario_rejects_empty_sizes_one_class_and_a_zero_scale()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SvmScenario.Random(1, 0, 4, 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SvmScenario.Random(1, 5, 0, 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SvmScenario.Random(1, 5, 4, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SvmScenario.Random(1, 5, 4, 3, 0));
    }

    [Fact]
    public void Audit_input_zero_is_the_seed_configuration_and_the_others_have_more_than_1000_rows()
    {
        var rng = new Random(8);
        var first = SvmSeed.AuditInput(rng, 0);
        var cfg = SvmSeed.Data(first);
        Assert.Equal((10000, 32, 10), (cfg.Rows, cfg.Features, cfg.Classes));
        Assert.True(cfg.W.Max(Math.Abs) < 1e-3);                                // w = 1e-4·N(0,1)
        Assert.Equal(SvmScenario.Random(first.ScenarioSeed, 10000, 32, 10, 1e-4).X, cfg.X);   // rebuilt from its seed
        for (int index = 1; index <= 3; index++)
        {
            var input = SvmSeed.AuditInput(rng, index);
            var d = SvmSeed.Data(input);
            Assert.InRange(d.Rows, 1001, 3000);    // n > 1000: the seed's range(1000) loop runs
            Assert.InRange(d.Features, 3, 8);
            Assert.InRange(d.Classes, 3, 10);
            Assert.True(d.W.Max(Math.Abs) > 1e-2);  // w = 0.5·N(0,1)
            Assert.Equal(SvmScenario.Random(input.ScenarioSeed, d.Rows, d.Features, d.Classes, 0.5).W, d.W);
        }
        var plain = new StepInput(1, 2, [0.0, 0], [1.0, 0], [1.0, 1], 0, 0, 0, 0, 0, TargetKind.OneHot);
        Assert.Throws<ArgumentException>(() => SvmSeed.Data(plain));
    }

    [Fact]
    public void Random_search_keeps_the_first_of_the_lowest_losses()
    {
        // X = 0: every w has scores 0 and loss c − 1 = 2, a tie on every attempt; "loss < best_loss" keeps the first
        // w drawn, the one a single attempt with the same seed returns.
        var flat = new SvmScenario(4, 2, 3, new double[8], [0, 1, 2, 0], new double[6]);
        var one = SvmSeed.RandomSearch(flat, 1, 21);
        var five = SvmSeed.RandomSearch(flat, 5, 21);
        Assert.Equal([2.0, 2, 2, 2, 2], five.Losses);
        Assert.Equal(6, five.Best.Length);
        Assert.Equal(one.Best, five.Best);
        Assert.All(five.Best, w => Assert.True(Math.Abs(w) < 5e-4 && w != 0, $"{w}"));   // 1e-4·N(0,1): within 5σ

        // Otherwise the lowest of the attempts' losses, each the hinge loss of its w.
        var d = SvmScenario.Random(5, 40, 3, 4, 1);
        var run = SvmSeed.RandomSearch(d, 6, 2);
        Assert.Equal(6, run.Losses.Length);
        Assert.Equal(run.Losses.Min(), SvmSeed.HingeLossReference(d, run.Best));
        Assert.True(run.Losses.Distinct().Count() > 1);
        Assert.All(run.Best, w => Assert.True(Math.Abs(w) < 5e-4 && w != 0, $"{w}"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SvmSeed.RandomSearch(d, 0, 2));
    }
}

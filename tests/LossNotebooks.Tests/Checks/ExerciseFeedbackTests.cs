using System.Globalization;
using LossNotebooks.Checks;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// What a student reads from <see cref="Exercise"/>'s value, gradient and function checks and from
/// <see cref="Exercise.Reveal"/>: the verdict, the counts, the numbers shown, which entry or input is named. Expected
/// values are worked out by hand; numbers are chosen exactly representable where a test sits on a boundary.
/// </summary>
public class ExerciseFeedbackTests
{
    private static string G4(double[] x) => string.Join(", ", x.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)));

    // The median of |N(0, s²)| is 0.674·s (the normal's 75th percentile); over 60 draws its standard error is ≈ 0.1·s,
    // so [0.4·s, 1.0·s] holds it with room, while scale/N(0, 1) (a median near 1.48·s) falls outside.
    private static void AssertMedianAbsNear(IEnumerable<double[]> points, double scale)
    {
        var abs = points.SelectMany(x => x).Select(Math.Abs).Order().ToArray();
        Assert.Equal(60, abs.Length);
        double median = 0.5 * (abs[29] + abs[30]);
        Assert.InRange(median, 0.4 * scale, 1.0 * scale);
    }

    [Fact]
    public void Html_colour_tells_not_attempted_pass_and_fail_apart()
    {
        string none = Exercise.CheckValue("e<1>", 1.0, null).ToHtml();
        Assert.StartsWith("<pre style=\"color:#57606a\">e&lt;1&gt;: not attempted yet", none);
        Assert.EndsWith("</pre>", none);
        Assert.StartsWith("<pre style=\"color:#1a7f37\">e: PASS", Exercise.CheckValue("e", 1.0, 1.0).ToHtml());
        Assert.StartsWith("<pre style=\"color:#cf222e\">e: FAIL", Exercise.CheckValue("e", 1.0, 2.0).ToHtml());
    }

    [Fact]
    public void The_tolerance_is_relative_to_the_expected_value_and_its_bound_is_inclusive()
    {
        // |Δ| ≤ tol·(1 + |expected|): tol 0.5 allows 1 at expected ±1 and 2 at expected 3.
        var onBound = Exercise.CheckValues("b", [1.0, -1.0, 3.0], [2.0, -2.0, 5.0], tolerance: 0.5);
        Assert.True(onBound.Passed, onBound.Message);
        Assert.True(onBound.Attempted);
        Assert.StartsWith("b: PASS (3 values within 0.5·", onBound.Message);
        Assert.False(Exercise.CheckValues("b", [1.0], [2.0001], tolerance: 0.5).Passed);
        Assert.True(Exercise.CheckValue("c", 1.0, 2.0, tolerance: 0.5).Passed);
        Assert.False(Exercise.CheckValue("c", 1.0, 2.0).Passed);
        var one = Exercise.CheckValue("c", 2.0, 2.0);
        Assert.True(one.Passed);
        Assert.StartsWith("c: PASS (1 value within 1E-09·", one.Message);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => Exercise.CheckValues("b", [1.0], [1.0], tolerance: 0)).ParamName);
    }

    [Fact]
    public void A_fail_lists_each_wrong_entry_with_yours_expected_and_the_difference()
    {
        var r = Exercise.CheckValues("d", [1.0, 0.0, 2.0], [3.0, 1.0 / 3, 2.0]);
        Assert.True(r.Attempted);
        Assert.False(r.Passed);
        Assert.Equal(
        [
            "d: FAIL: 2 of 3 values wrong",
            "  [0] yours 3, expected 1 (|Δ| = 2)",
            "  [1] yours 0.33333333, expected 0 (|Δ| = 0.33)",
        ], r.Message.Split('\n'));
    }

    [Fact]
    public void Numbers_below_1e_12_print_as_zero()
    {
        var r = Exercise.CheckValues("n", [1.0, 1.0], [1e-12, 9e-13]);
        Assert.Contains("[0] yours 1E-12, expected 1", r.Message);
        Assert.Contains("[1] yours 0, expected 1", r.Message);
    }

    [Fact]
    public void Five_wrong_entries_are_all_shown_and_a_sixth_is_counted()
    {
        var five = Exercise.CheckValues("f", new double[5], Enumerable.Repeat(1.0, 5).ToArray());
        Assert.Equal(1 + 5, five.Message.Split('\n').Length);
        Assert.DoesNotContain("more", five.Message);
        var six = Exercise.CheckValues("f", new double[6], Enumerable.Repeat(1.0, 6).ToArray());
        var lines = six.Message.Split('\n');
        Assert.Equal(1 + 5 + 1, lines.Length);
        Assert.StartsWith("  [4] ", lines[5]);
        Assert.Equal("  (… 1 more)", lines[6]);
    }

    [Fact]
    public void A_wrong_length_is_an_attempted_fail()
    {
        var r = Exercise.CheckValues("w", [1.0, 2.0], [1.0]);
        Assert.True(r.Attempted);
        Assert.False(r.Passed);
        Assert.StartsWith("w: FAIL: your answer has 1 entries, expected 2", r.Message);
    }

    // f(x) = Σ x_k² + x_0 x_1, ∇f = 2x + (x_1, x_0, 0).
    private static double F(double[] x) => x.Sum(v => v * v) + x[0] * x[1];
    private static double[] Right(double[] x) => [2 * x[0] + x[1], 2 * x[1] + x[0], 2 * x[2]];

    [Fact]
    public void A_gradient_at_one_point_uses_the_callers_tolerance_and_rejects_a_non_finite_point()
    {
        double[] x = [0.5, -1.0, 2.0];
        var g = Right(x);
        g[0] += 1e-3;
        Assert.False(Exercise.CheckGradient("g", F, x, g).Passed);
        Assert.True(Exercise.CheckGradient("g", F, x, g, tolerance: 1e-2).Passed);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Exercise.CheckGradient("g", F, [0.5, double.NaN, 2.0], g)).ParamName);
    }

    [Fact]
    public void Random_points_the_answer_is_called_once_per_point_with_points_of_the_given_size_and_scale()
    {
        var seen = new List<double[]>();
        var r = Exercise.CheckGradient("t", F, 3, x => { seen.Add(x); return Right(x); }, points: 4);
        Assert.True(r.Passed, r.Message);
        Assert.True(r.Attempted);
        Assert.StartsWith("t: PASS (4 random points × 3 gradient entries within 1E-06·", r.Message);
        Assert.Equal(4, seen.Count);
        Assert.All(seen, x => Assert.Equal(3, x.Length));
        // Same seed, scale 2: every point is exactly twice the scale-1 point.
        var twice = new List<double[]>();
        Exercise.CheckGradient("t", F, 3, x => { twice.Add(x); return Right(x); }, points: 4, scale: 2);
        for (int p = 0; p < 4; p++) Assert.Equal(seen[p].Select(v => 2 * v).ToArray(), twice[p]);
        // Entries are N(0, scale²).
        var wide = new List<double[]>();
        Exercise.CheckGradient("t", F, 3, x => { wide.Add(x); return Right(x); }, points: 20, scale: 3);
        AssertMedianAbsNear(wide, 3);
        Assert.Equal("points", Assert.Throws<ArgumentOutOfRangeException>(() => Exercise.CheckGradient("t", F, 3, Right, points: 0)).ParamName);
    }

    [Fact]
    public void Random_points_inside_the_skipped_region_are_redrawn_up_to_100_draws_per_point()
    {
        var seen = new List<double[]>();
        var r = Exercise.CheckGradient("t", F, 3, x => { seen.Add(x); return Right(x); }, points: 6, skip: x => x[0] < 0);
        Assert.True(r.Passed, r.Message);
        Assert.Equal(6, seen.Count);
        Assert.All(seen, x => Assert.True(x[0] >= 0));
        // Nothing outside the region: the check gives up after 100 draws per requested point (2 points: 200 draws).
        int draws = 0;
        Assert.Throws<InvalidOperationException>(() => Exercise.CheckGradient("t", F, 3, Right, points: 2, skip: _ => { draws++; return true; }));
        Assert.Equal(200, draws);
    }

    [Fact]
    public void A_fail_at_a_random_point_names_the_point_number_and_shows_that_point()
    {
        // Right at points 1, 2, 4, 5; entry 2 off by 1 at point 3.
        var seen = new List<double[]>();
        var r = Exercise.CheckGradient("t", F, 3, x =>
        {
            seen.Add((double[])x.Clone());
            var g = Right(x);
            if (seen.Count == 3) g[2] += 1;
            return g;
        }, points: 5);
        Assert.True(r.Attempted);
        Assert.False(r.Passed);
        var lines = r.Message.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("t: FAIL at point 3 of 5: 1 of 3 gradient entries wrong", lines[0]);
        Assert.StartsWith("  [2] yours ", lines[1]);
        Assert.EndsWith("(|Δ| = 1)", lines[1]);
        Assert.Equal($"  x = [{G4(seen[2])}]", lines[2]);
        Assert.Equal(3, seen.Count);   // stops at the first failing point
    }

    [Theory]
    [InlineData(4.0, 4.0, true, "exactly right", true)]
    [InlineData(3.0, 4.0, true, "close (within 50 %)", true)]
    [InlineData(-3.0, -4.0, true, "close (within 50 %)", true)]
    [InlineData(6.0, 4.0, true, "the right order of magnitude (off by a factor 1.5)", false)]   // 1.5 is no longer close
    [InlineData(40.0, 4.0, true, "off by a factor 10 — too large", false)]                     // 10 is no longer the right order
    [InlineData(-40.0, -4.0, true, "off by a factor 10 — too large", false)]
    [InlineData(0.5, 5.0, true, "off by a factor 10 — too small", false)]
    [InlineData(-3.0, 4.0, true, "a different sign or zero", false)]
    [InlineData(0.0, 4.0, true, "a different sign or zero", false)]
    [InlineData(3.0, 0.0, true, "a different sign or zero", false)]
    [InlineData(3.0, 4.0, false, "off by -1", false)]
    [InlineData(6.0, 4.0, false, "off by 2", false)]
    public void Reveal_says_how_far_off_a_guess_is_and_counts_only_close_guesses_as_passed(double guess, double actual, bool asFactor,
        string how, bool passed)
    {
        var r = Exercise.Reveal("q", guess, actual, asFactor);
        Assert.Equal("q", r.Id);
        Assert.True(r.Attempted);
        Assert.Equal(passed, r.Passed);
        string g = guess.ToString(CultureInfo.InvariantCulture), a = actual.ToString(CultureInfo.InvariantCulture);
        Assert.StartsWith($"q: your guess {g}, measured {a}: {how}", r.Message);
    }

    [Fact]
    public void Reveal_prints_three_significant_digits_and_a_blank_guess_just_shows_the_answer()
    {
        Assert.StartsWith("q: your guess 0.667, measured 0.333: the right order of magnitude (off by a factor 2)",
            Exercise.Reveal("q", 2.0 / 3, 1.0 / 3).Message);
        Assert.StartsWith("q: your guess 2.5, measured 5.0", Exercise.Reveal("q", 2.5, 5, format: "F1").Message);
        var blank = Exercise.Reveal("q", double.NaN, 2.0 / 3);
        Assert.False(blank.Attempted);
        Assert.False(blank.Passed);
        Assert.Contains("the answer is 0.667", blank.Message);
    }

    [Fact]
    public void A_function_fail_counts_wrong_inputs_and_shows_the_first_one()
    {
        // Reference 1 everywhere, tolerance 0.5 (bound 1): input 0 answers 2 (on the bound, passes), inputs 3 and 5
        // answer 5 (wrong), the rest 1.
        var seen = new List<double[]>();
        var r = Exercise.CheckFunction("f", _ => 1.0, x =>
        {
            seen.Add((double[])x.Clone());
            return seen.Count switch { 1 => 2.0, 4 or 6 => 5.0, _ => 1.0 };
        }, dimension: 2, samples: 8, tolerance: 0.5);
        Assert.True(r.Attempted);
        Assert.False(r.Passed);
        Assert.Equal(
        [
            "f: FAIL: 2 of 8 inputs wrong",
            "  [3] yours 5, expected 1 (|Δ| = 4)",
            "  [5] yours 5, expected 1 (|Δ| = 4)",
            $"  input [3] = [{G4(seen[3])}]",
        ], r.Message.Split('\n'));
        Assert.All(seen, x => Assert.Equal(2, x.Length));
    }

    [Fact]
    public void A_function_is_compared_on_inputs_of_the_given_scale_and_its_sizes_are_guarded()
    {
        var one = new List<double[]>();
        var two = new List<double[]>();
        Assert.True(Exercise.CheckFunction("f", x => x.Sum(), x => { one.Add(x); return x.Sum(); }, 3, samples: 5).Passed);
        Assert.True(Exercise.CheckFunction("f", x => x.Sum(), x => { two.Add(x); return x.Sum(); }, 3, samples: 5, scale: 2).Passed);
        Assert.Equal(5, one.Count);
        for (int t = 0; t < 5; t++) Assert.Equal(one[t].Select(v => 2 * v).ToArray(), two[t]);
        var wide = new List<double[]>();
        Exercise.CheckFunction("f", x => x.Sum(), x => { wide.Add(x); return x.Sum(); }, 3, samples: 20, scale: 3);
        AssertMedianAbsNear(wide, 3);
        Func<double[], double> sum = x => x.Sum();
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => Exercise.CheckFunction("f", sum, sum, 0)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => Exercise.CheckFunction("f", sum, sum, 2, samples: 0)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => Exercise.CheckFunction("f", sum, sum, 2, scale: 0)).ParamName);
    }
}

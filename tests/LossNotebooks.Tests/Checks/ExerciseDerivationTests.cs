using LossNotebooks.Checks;
using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// <see cref="Exercise.CheckStep"/>, <see cref="Exercise.ShowBugHunt"/> and <see cref="Exercise.CheckBugHunt"/>: which
/// verdict, which line, which counts and which numbers the student is shown. The bug hunts run on a derivation over
/// the inputs 1, 2, 3, 4 (a generator written here), so the worst input and both sides there are known by hand.
/// </summary>
public class ExerciseDerivationTests
{
    // Lines a and c hold; b is planted (d/dx 1.5x² is 3x, not 2x).
    private static Derivation<double> Hunt()
    {
        var d = new Derivation<double>("lines", (_, i) => i + 1.0, samples: 4);
        d.Step("a", "x + x = 2x", left: x => 2 * x, right: x => x + x);
        d.Step("b", "d/dx 1.5x² = 2x", left: x => 3 * x, right: x => 2 * x);
        d.Step("c", "x·x = x²", left: x => x * x, right: x => Math.Pow(x, 2));
        return d;
    }

    [Fact]
    public void A_bug_hunt_is_shown_with_its_line_count_failing_count_and_every_line()
    {
        var r = Exercise.ShowBugHunt("h", Hunt());
        Assert.False(r.Attempted);
        Assert.False(r.Passed);
        Assert.StartsWith("h: lines: 3 lines, 1 failing", r.Message);
        Assert.Contains("\na  PASS", r.Message);
        Assert.Contains("\nb  FAIL", r.Message);
        Assert.Contains("\nc  PASS", r.Message);
    }

    [Fact]
    public void The_named_line_is_checked_first()
    {
        var d = Hunt();
        Assert.False(Exercise.CheckBugHunt<double>("h", d, null, null).Attempted);
        var noName = Exercise.CheckBugHunt<double>("h", d, null, x => 3 * x);
        Assert.True(noName.Attempted);
        Assert.False(noName.Passed);
        Assert.Contains("name the id of the wrong line", noName.Message);
        var passing = Exercise.CheckBugHunt<double>("h", d, " a ", null);
        Assert.False(passing.Passed);
        Assert.StartsWith("h: FAIL: ' a ' passes on every input", passing.Message);
        var missing = Exercise.CheckBugHunt<double>("h", d, "z", null);
        Assert.False(missing.Passed);
        Assert.StartsWith("h: FAIL: 'z' is not a line of this derivation", missing.Message);
        var right = Exercise.CheckBugHunt<double>("h", d, " b ", null);
        Assert.True(right.Attempted);
        Assert.False(right.Passed);
        Assert.StartsWith("h: right line (b); now write its corrected right side", right.Message);
    }

    [Fact]
    public void A_right_fix_passes_on_the_lines_inputs()
    {
        var r = Exercise.CheckBugHunt<double>("h", Hunt(), "b", x => 3 * x);
        Assert.True(r.Attempted);
        Assert.True(r.Passed, r.Message);
        Assert.StartsWith("h: PASS (b is the wrong line;", r.Message);
        Assert.Contains("on 4 random inputs, max |Δ| = 0)", r.Message);
    }

    [Fact]
    public void A_wrong_fix_fails_with_the_worst_input_and_both_sides_there()
    {
        // 4x against 3x: |Δ| = x, relative to the allowed 1e-10·(1 + 4x) largest at x = 4 (16 vs 12).
        var r = Exercise.CheckBugHunt<double>("h", Hunt(), "b", x => 4 * x);
        Assert.True(r.Attempted);
        Assert.False(r.Passed);
        Assert.Equal(["h: right line (b), but the fix FAILS on 4 of 4 random inputs", "  worst: yours 16, expected 12", "  inputs: 4"],
            r.Message.Split('\n'));
        var threw = Exercise.CheckBugHunt<double>("h", Hunt(), "b", _ => throw new InvalidOperationException("boom"));
        Assert.False(threw.Passed);
        Assert.Contains("\n  worst: your line: right threw InvalidOperationException: boom", threw.Message);
    }

    [Fact]
    public void A_bug_hunt_needs_exactly_one_failing_line()
    {
        var none = new Derivation<double>("none", (_, i) => i + 1.0, samples: 4);
        none.Step("a", "x + x = 2x", left: x => 2 * x, right: x => x + x);
        Assert.Throws<InvalidOperationException>(() => Exercise.CheckBugHunt<double>("h", none, "a", null));
        var two = Hunt();
        two.Step("d", "planted too", left: x => x, right: x => -x);
        Assert.Throws<InvalidOperationException>(() => Exercise.CheckBugHunt<double>("h", two, "b", null));
    }

    [Fact]
    public void A_step_uses_the_callers_tolerance_and_shows_the_largest_difference()
    {
        var d = new Derivation("t", samples: 50);
        var loose = Exercise.CheckStep("s", d, s => s.Z(s.K, s.L), s => s.Z(s.K, s.L) + 0.01, tolerance: 0.1);
        Assert.True(loose.Attempted);
        Assert.True(loose.Passed, loose.Message);
        Assert.Equal("s: PASS (max |yours − expected| = 0.01 on 50 random inputs)", loose.Message);
        Assert.False(Exercise.CheckStep("s", d, s => s.Z(s.K, s.L), s => s.Z(s.K, s.L) + 0.01).Passed);
    }

    [Fact]
    public void A_wrong_step_shows_its_value_and_the_expected_one_or_the_error_it_threw()
    {
        var d = new Derivation("t", samples: 50);
        var r = Exercise.CheckStep("s", d, _ => 1.0, _ => 2.0);
        Assert.True(r.Attempted);
        Assert.False(r.Passed);
        var lines = r.Message.Split('\n');
        Assert.Equal("s: FAIL on 50 of 50 random inputs", lines[0]);
        Assert.Equal("  worst: yours 2, expected 1", lines[1]);
        Assert.StartsWith("  inputs: n=", lines[2]);
        var threw = Exercise.CheckStep("s", d, _ => 1.0, _ => throw new InvalidOperationException("boom"));
        Assert.StartsWith("s: FAIL on 50 of 50 random inputs\n  worst: your line: right threw InvalidOperationException: boom", threw.Message);
    }
}

using LossNotebooks.Checks;

namespace LossNotebooks.Tests.Checks;

public class ExerciseTests
{
    // f(x) = Σ x_k² + x_0 x_1, ∇f = 2x + (x_1, x_0, 0): worked by hand.
    private static double F(double[] x) => x.Sum(v => v * v) + x[0] * x[1];
    private static readonly double[] X = [0.5, -1.0, 2.0];

    [Fact]
    public void A_null_answer_is_not_attempted_and_does_not_throw()
    {
        var r = Exercise.CheckGradient("01-1", F, X, (double[]?)null);
        Assert.False(r.Attempted);
        Assert.False(r.Passed);
        Assert.StartsWith("01-1: not attempted yet", r.ToString());
        Assert.False(Exercise.CheckGradient("01-1", F, X, (Func<double[], double[]>?)null).Attempted);
        Assert.False(Exercise.CheckFunction("01-1", v => v[0], null, 2).Attempted);
        Assert.False(Exercise.CheckValue("01-1", 1.0, null).Attempted);
    }

    [Fact]
    public void The_right_gradient_passes_in_one_line()
    {
        var r = Exercise.CheckGradient("01-1", F, X, [2 * 0.5 - 1.0, -2.0 + 0.5, 4.0]);
        Assert.True(r.Passed, r.Message);
        Assert.StartsWith("01-1: PASS", r.Message);
        Assert.DoesNotContain('\n', r.Message);
    }

    [Fact]
    public void A_wrong_gradient_fails_and_names_the_wrong_entry_with_both_values()
    {
        // Forgot the cross term in entry 0 only: 1.0 instead of 0.0.
        var r = Exercise.CheckGradient("01-1", F, X, v => [2 * v[0], 2 * v[1] + v[0], 2 * v[2]]);
        Assert.True(r.Attempted);
        Assert.False(r.Passed);
        Assert.Contains("FAIL: 1 of 3 gradient entries wrong", r.Message);
        Assert.Contains("[0] yours 1, expected 0", r.Message);
        Assert.DoesNotContain("[1]", r.Message);
    }

    [Fact]
    public void A_wrong_function_fails_and_shows_an_input()
    {
        var r = Exercise.CheckFunction("02-1", v => Math.Exp(v[0]) / (Math.Exp(v[0]) + Math.Exp(v[1])), v => Math.Exp(v[0]) / Math.Exp(v[1]), 2);
        Assert.False(r.Passed);
        Assert.Contains("input [0] = [", r.Message);
        var ok = Exercise.CheckFunction("02-1", v => Math.Exp(v[0]) / (Math.Exp(v[0]) + Math.Exp(v[1])), v => 1 / (1 + Math.Exp(v[1] - v[0])), 2);
        Assert.True(ok.Passed, ok.Message);
    }

    [Fact]
    public void A_wrong_length_fails_instead_of_throwing()
    {
        var r = Exercise.CheckValues("03-1", [1.0, 2.0], [1.0]);
        Assert.False(r.Passed);
        Assert.Contains("1 entries, expected 2", r.Message);
    }

    [Fact]
    public void Many_wrong_entries_are_cut_to_five_with_a_count()
    {
        var r = Exercise.CheckValues("03-2", new double[9], Enumerable.Repeat(1.0, 9).ToArray());
        Assert.Contains("9 of 9", r.Message);
        Assert.Contains("(… 4 more)", r.Message);
        Assert.Equal(7, r.Message.Split('\n').Length);
    }
}

public class ExerciseStepTests
{
    [Fact]
    public void A_wrong_derivation_line_fails_with_the_worst_input_and_a_right_one_passes()
    {
        var d = new LossNotebooks.Derivations.Derivation("t", samples: 50);
        var wrong = Exercise.CheckStep("01-2", d, s => s.NumericGradient(z => LossNotebooks.Derivations.SoftmaxSeedFunctions.LogSumExp(z, s.Classes, s.K)), s => 1 - s.S(s.K, s.L));
        Assert.False(wrong.Passed);
        Assert.Contains("01-2: FAIL on", wrong.Message);
        Assert.Contains("inputs: n=", wrong.Message);
        var right = Exercise.CheckStep("01-2", d, s => s.NumericGradient(z => LossNotebooks.Derivations.SoftmaxSeedFunctions.LogSumExp(z, s.Classes, s.K)), s => s.S(s.K, s.L));
        Assert.True(right.Passed, right.Message);
        Assert.False(Exercise.CheckStep("01-2", d, s => 0.0, null).Attempted);
    }

    [Fact]
    public void A_bug_hunt_finds_the_one_failing_line_checks_the_name_then_the_fix()
    {
        // ∂/∂ŷ_kl of Σ_n w_kn ŷ_kn² is 2 w_kl ŷ_kl; the planted line drops the 2.
        var d = new LossNotebooks.Derivations.Derivation("t", samples: 50);
        d.Step("q.1", "definition", left: s => s.NumericGradient(z => s.SumJ(j => s.W(s.K, j) * z[s.Index(s.K, j)] * z[s.Index(s.K, j)])),
            right: d.Terms(("2 w ŷ", s => 2 * s.W(s.K, s.L) * s.Z(s.K, s.L))));
        d.Step("q.2", "planted", left: s => s.NumericGradient(z => s.SumJ(j => s.W(s.K, j) * z[s.Index(s.K, j)] * z[s.Index(s.K, j)])),
            right: d.Terms(("w ŷ", s => s.W(s.K, s.L) * s.Z(s.K, s.L))));
        Assert.Contains("diagnosis", Exercise.ShowBugHunt("01-3", d).Message);
        Assert.False(Exercise.CheckBugHunt<LossNotebooks.Derivations.StepInput>("01-3", d, null, null).Attempted);
        var other = Exercise.CheckBugHunt<LossNotebooks.Derivations.StepInput>("01-3", d, "q.1", null);
        Assert.False(other.Passed);
        Assert.Contains("not the wrong line", other.Message);
        Assert.Contains("right line", Exercise.CheckBugHunt<LossNotebooks.Derivations.StepInput>("01-3", d, "q.2", null).Message);
        Assert.False(Exercise.CheckBugHunt<LossNotebooks.Derivations.StepInput>("01-3", d, "q.2", s => 3 * s.W(s.K, s.L) * s.Z(s.K, s.L)).Passed);
        var right = Exercise.CheckBugHunt<LossNotebooks.Derivations.StepInput>("01-3", d, "q.2", s => 2 * s.W(s.K, s.L) * s.Z(s.K, s.L));
        Assert.True(right.Passed, right.Message);
    }

    [Fact]
    public void A_gradient_function_is_checked_at_many_points_and_a_guess_is_revealed_never_failed()
    {
        // f(x) = Σ x_k² + x_0 x_1 (as in ExerciseTests), ∇f = 2x + (x_1, x_0, 0).
        static double F(double[] x) => x.Sum(v => v * v) + x[0] * x[1];
        double[] X = [0.5, -1.0, 2.0];
        Func<double[], double[]> right = x => [2 * x[0] + x[1], 2 * x[1] + x[0], 2 * x[2]];
        Assert.True(Exercise.CheckGradient("t-1", F, 3, right).Passed);
        // Right at X but wrong elsewhere: a one-point check would pass it.
        Func<double[], double[]> lucky = x => [2 * x[0] + x[1], 2 * x[1] + x[0], 4.0];
        Assert.True(Exercise.CheckGradient("t-1", F, X, lucky).Passed);
        var many = Exercise.CheckGradient("t-1", F, 3, lucky);
        Assert.False(many.Passed);
        Assert.Contains("at point", many.Message);
        Assert.False(Exercise.CheckGradient("t-1", F, 3, (Func<double[], double[]>?)null).Attempted);
        Assert.Contains("no guess", Exercise.Reveal("q", double.NaN, 3).Message);
        Assert.Contains("exactly right", Exercise.Reveal("q", 4, 4, asFactor: false).Message);
        Assert.Contains("off by 2", Exercise.Reveal("q", 6, 4, asFactor: false).Message);
        Assert.Contains("factor 1E+02", Exercise.Reveal("q", 1e-6, 1e-8).Message);
    }
}

using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>
/// Edge cases of evaluating a step and of the diagnosis of a failing line, on the inputs 1..4 (absolute tolerance 0.25
/// unless a test says otherwise): which earlier line a failing one is compared with, how a term that changed by a
/// constant factor is named, an inequality met exactly at 0.
/// </summary>
public class StepEvaluationEdgeTests
{
    private const double Tol = 0.25;
    private const string NoPredecessor = "no earlier passing line with the same left side to compare the terms with (name one with from:)";
    private const string Against = "against a (the last passing line with the same left side): ";

    private static Derivation<int> Ints() => new("ints", (_, t) => t + 1, samples: 4);

    [Fact]
    public void A_bound_met_with_equality_at_zero_holds_under_a_purely_relative_tolerance()
    {
        // value = bound = 0: slack 0, nothing allowed (0 + 0.1·0), and nothing needed.
        var lower = Ints().AtLeast("ge", "0 ≥ 0", x => 0, x => 0, tolerance: 0, relativeTolerance: 0.1);
        Assert.True(lower.Passed, lower.ToString());
        Assert.Equal((0.0, 0.0), (lower.MaxExcess, lower.MinSlack));
        Assert.Equal("min slack value − bound = 0, tol 0+0.1·|v| (set by the step), 4/4 inputs hold", lower.Evidence);
        Assert.True(Ints().AtMost("le", "0 ≤ 0", x => 0, x => 0, tolerance: 0, relativeTolerance: 0.1).Passed);
    }

    [Fact]
    public void An_earlier_line_with_a_shorter_left_side_is_not_the_same_left_side()
    {
        var d = Ints();
        Assert.True(d.Step("a", "x = x", x => x, x => x, tolerance: Tol).Passed);
        // Left (x, 2x) starts with a's left x, but has two entries: not the same quantity.
        var r = d.Add(new Step<int>("b", "(x, 2x) = (x, 2x) + (1, 1)", x => [x, 2.0 * x], x => [x + 1.0, 2.0 * x + 1], tolerance: Tol,
            terms: d.VectorTerms(("(x, 2x)", x => [x, 2.0 * x]), ("(1, 1)", x => [1.0, 1.0]))));
        Assert.False(r.Passed);
        Assert.Equal(NoPredecessor, r.Diagnosis);
    }

    [Fact]
    public void An_earlier_line_whose_left_side_now_throws_is_not_compared_with()
    {
        // a passed when it was stated; the helper it reads has changed since (a stale cell), so its left side throws now.
        var d = Ints();
        bool stale = false;
        Assert.True(d.Step("a", "3x", x => stale ? throw new InvalidOperationException("helper changed") : 3.0 * x,
            d.Terms(("x", x => x), ("2x", x => 2.0 * x))).Passed);
        stale = true;
        var r = d.Step("b", "3x", x => 3.0 * x, d.Terms(("x", x => x), ("−2x", x => -2.0 * x)));
        Assert.Equal(NoPredecessor, r.Diagnosis);
    }

    [Fact]
    public void A_match_with_a_side_written_as_one_expression_names_the_whole_side()
    {
        var d = Ints();
        d.Step("a", "3x", x => 3.0 * x, x => 3.0 * x, tolerance: Tol);
        var extra = d.Step("b", "3x", x => 3.0 * x, d.Terms(("3x", x => 3.0 * x), ("1", x => 1.0)), tolerance: Tol);
        Assert.Equal(Against + "term 2 (1) has no counterpart there (an extra term); matched: term 1 = the whole side of a", extra.Diagnosis);

        var e = Ints();
        e.Step("a", "3x", x => 3.0 * x, e.Terms(("x", x => x), ("2x", x => 2.0 * x)));
        var dropped = e.Step("b", "3x", x => 3.0 * x, x => 2.0 * x, tolerance: Tol);
        Assert.Equal(Against + "term 1 (x) appears nowhere in this line (a dropped term); matched: the whole side = term 2 of a", dropped.Diagnosis);
    }

    /// <summary>a: x + 1 written as the terms p and the rest; then b, the same left side with the terms t and the same rest.</summary>
    private static string? AgainstP(Func<int, double> p, string pName, Func<int, double> t, string name, double? tolerance = Tol)
    {
        var d = Ints();
        Func<int, double> rest = x => x + 1.0 - p(x);
        Assert.True(d.Step("a", "x + 1", x => x + 1.0, d.Terms((pName, p), ("rest", rest))).Passed);
        var r = d.Step("b", "x + 1", x => x + 1.0, d.Terms((name, t), ("rest", rest)), tolerance: tolerance);
        Assert.False(r.Passed);
        return r.Diagnosis;
    }

    [Fact]
    public void A_term_that_is_a_constant_multiple_is_named_with_its_factor_where_both_are_zero_too()
    {
        // p = x − 1 is 0 at x = 1, and so is 3p: the ratio is 3 wherever it is defined.
        Assert.Equal(Against + "term 1 (3(x − 1)) has no counterpart; it should equal term 1 (x − 1) (it is 3× that); matched: term 2 = term 2 of a",
            AgainstP(x => x - 1.0, "x − 1", x => 3.0 * (x - 1), "3(x − 1)"));
    }

    [Fact]
    public void No_factor_is_named_when_the_term_is_non_zero_where_the_earlier_one_is_zero()
    {
        // 3p except at x = 1, where p = 0 but the term is 0.5: no constant c has 0.5 = c·0.
        Assert.Equal(Against + "term 1 (3(x − 1) + [x = 1]/2) has no counterpart; it should equal term 1 (x − 1); matched: term 2 = term 2 of a",
            AgainstP(x => x - 1.0, "x − 1", x => 3.0 * (x - 1) + (x == 1 ? 0.5 : 0), "3(x − 1) + [x = 1]/2"));
    }

    [Fact]
    public void A_factor_is_named_when_the_ratios_agree_to_1e_9_relative_and_a_factor_of_1_is_not()
    {
        // Ratios 3, 3 + 2e-9, 3, 3: they differ by 6.7e-10 relative to 3 (2e-9 absolute).
        Assert.Equal(Against + "term 1 (≈3x) has no counterpart; it should equal term 1 (x) (it is 3× that); matched: term 2 = term 2 of a",
            AgainstP(x => x, "x", x => x == 2 ? 6 + 4e-9 : 3.0 * x, "≈3x"));
        // Off by a factor 1 + 1e-10: beyond a tolerance of 1e-12, but "1× that" would say nothing.
        Assert.Equal(Against + "term 1 (x(1 + 1e-10)) has no counterpart; it should equal term 1 (x); matched: term 2 = term 2 of a",
            AgainstP(x => x, "x", x => x * (1 + 1e-10), "x(1 + 1e-10)", tolerance: 1e-12));
    }
}

/// <summary>The texts of a step's result and of a derivation's summary in the cases the other tests do not reach.</summary>
public class StepResultTextTests
{
    private const double Tol = 0.25;

    private static Derivation<int> Ints() => new("ints", (_, t) => t + 1, samples: 4);

    private static double Bad(int x) => throw new InvalidOperationException($"bad {x}");

    [Fact]
    public void A_bound_never_evaluated_shows_no_slack_and_no_worst_input()
    {
        var r = Ints().AtLeast("l", "v ≥ x", x => Bad(x), x => x, tolerance: Tol);
        Assert.Equal("no input evaluated; min slack value − bound = n/a, tol 0.25 absolute (set by the step), 0/4 inputs hold; " +
                     "value threw InvalidOperationException: bad 1 (on 4 of 4 inputs; first at: 1)", r.Evidence);
        Assert.Equal("", r.WorstInput);
    }

    [Fact]
    public void The_worst_entry_is_shown_to_seven_significant_digits()
    {
        var r = Ints().Step("third", "x/3 = 2x/3", x => x / 3.0, x => 2.0 * x / 3, tolerance: Tol, samples: 1);
        Assert.Equal("third  FAIL  (max |Δ| = 0.333 (rel 0.5), tol 0.25 absolute (set by the step), 0/1 inputs pass)\n" +
                     "  worst entry: left 0.3333333 vs right 0.6666667, |Δ| = 0.333\n  inputs: 1", r.ToString());
    }

    [Fact]
    public void A_null_input_is_described_as_null()
    {
        var r = StepResult.Evaluate(new Step<string?>("n", "x is not null", x => [x is null ? 0.0 : 1.0], _ => [1.0], tolerance: Tol), [null, "a"]);
        Assert.Equal((1, "null"), (r.Failures, r.WorstInput));
        Assert.Equal("null", new Derivation<string?>("t", (_, _) => null).Describe(null));
        Assert.Equal("abc", new Derivation<string?>("t", (_, _) => null).Describe("abc"));
    }

    [Fact]
    public void A_code_fence_in_a_message_cannot_close_the_markdown_block()
    {
        var r = Ints().Step("f", "fence", x => throw new InvalidOperationException("see ```code```"), x => x, tolerance: Tol);
        string md = r.ToMarkdown();
        Assert.Contains("see ` ` `code` ` `", md);
        Assert.Equal(2, md.Split("```").Length - 1);   // the block's own opening and closing fences
    }

    [Fact]
    public void Sides_with_no_entries_on_every_input_fail_as_nothing_compared()
    {
        // e.g. a gradient restricted to the violated margins, on inputs where none is violated: no evidence, not a pass.
        var r = Ints().Step("e", "g_V = h_V", x => Array.Empty<double>(), x => Array.Empty<double>(), tolerance: Tol);
        Assert.False(r.Passed);
        Assert.Equal((4, 0, 4), (r.Failures, r.ComparedEntries, r.Evaluated));
        Assert.Equal(["both sides have no entries on all 4 inputs: nothing was compared"], r.Problems);
        Assert.StartsWith("e  FAIL  (no finite entry to compare; max |Δ| = n/a", r.ToString());
        Assert.False(r.ToRecord().Passed);
    }

    [Fact]
    public void Sides_with_no_entries_on_some_inputs_are_judged_on_the_others()
    {
        // Empty where x is odd; compared on x = 2 and 4: a pass when those agree, a fail when they do not.
        Func<int, double[]> even = x => x % 2 == 0 ? [x] : [];
        var pass = Ints().Step("s", "g_V = h_V", even, even, tolerance: Tol);
        Assert.True(pass.Passed, pass.ToString());
        Assert.Equal(2, pass.ComparedEntries);
        var fail = Ints().Step("s", "g_V = h_V", even, x => x % 2 == 0 ? [x + 1.0] : [], tolerance: Tol);
        Assert.Equal((false, 2), (fail.Passed, fail.Failures));
    }

    [Fact]
    public void A_summary_without_a_passing_step_lists_every_failing_id()
    {
        var d = Ints();
        d.Step("w1", "x = x + 1", x => x, x => x + 1.0, tolerance: Tol, expected: ExpectedVerdict.Wrong);
        d.Step("w2", "x = x + 2", x => x, x => x + 2.0, tolerance: Tol, expected: ExpectedVerdict.Wrong);
        d.Step("u1", "x = 2x", x => x, x => 2.0 * x, tolerance: Tol);
        d.Step("u2", "x = 3x", x => x, x => 3.0 * x, tolerance: Tol);
        Assert.Equal("ints: 4 steps, 0 pass, 4 fail\n  failing as claimed (stated as wrong): w1, w2\n  NOT as claimed: u1, u2", d.Run().ToString());
    }
}

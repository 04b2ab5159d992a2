using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>
/// The verdict of one step and the numbers it reports, on the inputs 1..4 with an absolute tolerance of 0.25 (binary
/// fractions, so every expected value below is exact and worked out by hand).
/// </summary>
public class StepVerdictTests
{
    private const double Tol = 0.25;

    private static Derivation<int> Ints(string? seed = null) => new("ints", (_, t) => t + 1, seed: seed, samples: 4);

    private static double Bad(int x) => throw new InvalidOperationException($"bad {x}");

    [Fact]
    public void A_purely_relative_tolerance_passes_entries_that_are_exactly_zero_on_both_sides()
    {
        // x = 1, 2: both sides 0 (allowed 0, |Δ| 0: equal); x = 3, 4: 2x vs 2.5x, rel 0.5x/2.5x = 0.2 ≤ 0.4.
        var r = Ints().Step("z0", "zeros and a relative gap", x => x <= 2 ? 0 : 2.0 * x, x => x <= 2 ? 0 : 2.5 * x, tolerance: 0, relativeTolerance: 0.4);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal((4, 0), (r.ComparedEntries, r.Failures));
        Assert.Equal(0.5, r.MaxExcess);   // 0.5x / (0.4 · 2.5x)
        // One side 0, the other not: nothing is allowed there, so the line fails.
        var f = Ints().Step("z1", "zero vs tiny", x => 0, x => x == 1 ? 1e-300 : 0, tolerance: 0, relativeTolerance: 0.4);
        Assert.False(f.Passed);
        Assert.Equal(1, f.Failures);
    }

    [Fact]
    public void A_failing_equality_reports_counts_errors_and_the_first_worst_input()
    {
        // Off by 0.5 at x = 3 and x = 4: excess 0.5/0.25 = 2 at both; the first (3) is reported.
        var r = Ints().Step("e", "x = x", x => x, x => x >= 3 ? x + 0.5 : x, tolerance: Tol);
        Assert.False(r.Passed);
        Assert.False(r.AsExpected);
        Assert.Equal("FAIL", r.Verdict);
        Assert.Equal((4, 4, 2, 4), (r.Evaluated, r.ComparedEntries, r.Failures, r.Samples));
        Assert.Equal(0.5, r.MaxAbsoluteError);
        Assert.Equal(0.5 / 3.5, r.MaxRelativeError, 15);
        Assert.Equal((4, 0), (r.RelativeEntries, r.ExactZeroEntries));
        Assert.Equal(2.0, r.MaxExcess);
        Assert.Equal(("3", 3.0, 3.5), (r.WorstInput, r.LeftAtWorst, r.RightAtWorst));
        Assert.Equal((0.25, 0.0, false), (r.Tolerance, r.RelativeTolerance, r.ToleranceByDefault));
        Assert.Equal("set by the step", r.ToleranceReason);
        Assert.Empty(r.Problems);
        Assert.Null(r.Error);
        const string measured = "max |Δ| = 0.5 (rel 0.143), tol 0.25 absolute (set by the step), 2/4 inputs pass";
        Assert.Equal($"{measured}; worst: left 3 vs right 3.5 at 3", r.Evidence);
        Assert.Equal($"e  FAIL  ({measured})\n  worst entry: left 3 vs right 3.5, |Δ| = 0.5\n  inputs: 3", r.ToString());
        Assert.Contains("color:#cf222e", r.ToHtml());
    }

    [Fact]
    public void An_entry_exactly_at_the_tolerance_passes_and_MaxExcess_is_the_largest_ratio()
    {
        // x = 2 off by 0.25 (excess 1), the others by 0.125 (excess 0.5).
        var r = Ints().Step("p", "x = x", x => x, x => x == 2 ? x + 0.25 : x + 0.125, tolerance: Tol);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(1.0, r.MaxExcess);
        const string measured = "max |Δ| = 0.25 (rel 0.111), tol 0.25 absolute (set by the step), 4/4 inputs pass";
        Assert.Equal(measured, r.Evidence);
        Assert.Equal($"p  PASS  ({measured})", r.ToString());
        Assert.Contains("color:#1a7f37", r.ToHtml());

        var half = Ints().Step("h", "x = x", x => x, x => x + 0.125, tolerance: Tol);
        Assert.Equal(0.5, half.MaxExcess);
    }

    [Fact]
    public void Tolerances_come_from_the_step_or_from_the_numeric_method_used()
    {
        var closed = Ints().Step("c", "x = x", x => x, x => x);
        Assert.Equal((Tolerances.ClosedForm, Tolerances.ClosedForm, true), (closed.Tolerance, closed.RelativeTolerance, closed.ToleranceByDefault));
        Assert.Equal("default: closed forms", closed.ToleranceRule);
        Assert.Equal("default for closed forms: rounding only (~1e-14 at these sizes)", closed.ToleranceReason);
        Assert.Equal("max |Δ| = 0 (rel 0), tol 1E-10+1E-10·|v| (default: closed forms), 4/4 inputs pass", closed.Evidence);

        // d(x²/2)/dx = x, d²(x³/6)/dx² = x.
        var first = Ints().Step("d1", "x", x => Numeric.Derivative(t => t * t / 2, x), x => x);
        Assert.Equal((Tolerances.FirstDerivative, "default: numeric 1st derivative"), (first.Tolerance, first.ToleranceRule));
        Assert.Equal("default for a Richardson first derivative (Numeric.*, O(h⁶), h = 0.05): measured error ≤ 4e-13", first.ToleranceReason);
        var second = Ints().Step("d2", "x", x => Numeric.SecondDerivative(t => t * t * t / 6, x), x => x);
        Assert.Equal((Tolerances.SecondDerivative, "default: numeric 2nd derivative"), (second.Tolerance, second.ToleranceRule));
        Assert.Equal("default for a Richardson second/cross derivative (Numeric.*, O(h⁶) + ε|L|·40/h² rounding): measured error ≤ 8e-11", second.ToleranceReason);

        // A relative tolerance alone keeps the default absolute one.
        var rel = Ints().Step("r", "x = x", x => x, x => x, relativeTolerance: 0.5);
        Assert.Equal((Tolerances.ClosedForm, 0.5, true), (rel.Tolerance, rel.RelativeTolerance, rel.ToleranceByDefault));
    }

    [Fact]
    public void A_relative_tolerance_scales_with_the_larger_side()
    {
        // 2x vs 3x: |Δ| = x ≤ 0.4·3x = 1.2x passes; 0.4·2x = 0.8x (the smaller side) would not.
        var r = Ints().Step("r", "2x ≈ 3x", x => 2.0 * x, x => 3.0 * x, tolerance: 0, relativeTolerance: 0.4);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal("max |Δ| = 4 (rel 0.333), tol 0+0.4·|v| (set by the step), 4/4 inputs pass", r.Evidence);
    }

    [Fact]
    public void Entries_against_an_exact_zero_are_counted_apart_from_the_relative_error()
    {
        // x = 1: 0 vs 0.125 (exact zero); x = 2: 0 vs 0 (neither); x = 3, 4: equal non-zero (relative 0).
        var d = Ints();
        var r = d.Step("z", "zeros", x => x <= 2 ? 0 : x, x => x == 1 ? 0.125 : x == 2 ? 0 : x, tolerance: Tol);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal((1, 2), (r.ExactZeroEntries, r.RelativeEntries));
        Assert.Equal((0.125, 0.0), (r.MaxAbsoluteError, r.MaxRelativeError));
        Assert.Equal("max |Δ| = 0.125 (rel 0, n/a where one side is exactly 0), tol 0.25 absolute (set by the step), 4/4 inputs pass", r.Evidence);

        var one = d.Step("z1", "zeros", x => 0, x => 0.125, tolerance: Tol, samples: 1);
        Assert.Equal((1, 0), (one.ExactZeroEntries, one.RelativeEntries));
        Assert.Equal("max |Δ| = 0.125 (rel n/a (exact 0)), tol 0.25 absolute (set by the step), 1/1 inputs pass", one.Evidence);
    }

    [Fact]
    public void A_side_that_throws_on_some_inputs_is_charged_with_its_first_error()
    {
        var r = Ints().Step("t", "x = x", x => x >= 3 ? Bad(x) : x, x => x, tolerance: Tol);
        const string problem = "left threw InvalidOperationException: bad 3 (on 2 of 4 inputs; first at: 3)";
        Assert.Equal([problem], r.Problems);
        Assert.Equal(problem, r.Error);
        Assert.Equal((2, 2, 2), (r.Evaluated, r.ComparedEntries, r.Failures));
        Assert.Equal(double.PositiveInfinity, r.MaxExcess);
        const string measured = "2 of 4 inputs not evaluated; max |Δ| = 0 (rel 0) on the finite entries, tol 0.25 absolute (set by the step), 2/4 inputs pass";
        Assert.Equal($"{measured}; {problem}", r.Evidence);
        Assert.Equal($"t  FAIL  ({measured})\n  {problem}", r.ToString());
    }

    [Fact]
    public void A_side_that_never_evaluates_or_is_never_finite_says_so()
    {
        var d = Ints();
        var threw = d.Step("a", "x = x", x => Bad(0), x => x, tolerance: Tol);
        Assert.Equal(0, threw.Evaluated);
        Assert.Equal("no input evaluated; max |Δ| = n/a, tol 0.25 absolute (set by the step), 0/4 inputs pass; " +
                     "left threw InvalidOperationException: bad 0 (on 4 of 4 inputs; first at: 1)", threw.Evidence);

        var nulls = d.Step("n", "x = x", (Func<int, double[]>)(_ => null!), x => [x], tolerance: Tol);
        Assert.Equal("no input evaluated; max |Δ| = n/a, tol 0.25 absolute (set by the step), 0/4 inputs pass; " +
                     "left returned null (on 4 of 4 inputs; first at: 1)", nulls.Evidence);

        var nan = d.Step("nan", "x = x", x => double.NaN, x => x, tolerance: Tol);
        Assert.Equal((4, 0, 4), (nan.Evaluated, nan.ComparedEntries, nan.Failures));
        Assert.Equal("no finite entry to compare; max |Δ| = n/a, tol 0.25 absolute (set by the step), 0/4 inputs pass; " +
                     "left is NaN on 4 entries (first at: 1)", nan.Evidence);

        var inf = d.Step("inf", "x = x", x => x == 1 ? double.PositiveInfinity : x, x => x == 2 ? double.NegativeInfinity : x, tolerance: Tol);
        Assert.Equal(["left is +∞ on 1 entry (first at: 1)", "right is −∞ on 1 entry (first at: 2)"], inf.Problems);
        Assert.Equal((4, 2, 2), (inf.Evaluated, inf.ComparedEntries, inf.Failures));
    }

    [Fact]
    public void An_upper_bound_reports_the_smallest_slack_and_the_worst_input()
    {
        // slack 2.5 − x = 1.5, 0.5, −0.5, −1.5: excess 2 at x = 3 and 6 at x = 4.
        var r = Ints().AtMost("m", "x ≤ 2.5", x => x, x => 2.5, tolerance: Tol);
        Assert.Equal(2, r.Failures);
        Assert.Equal((-1.5, "4"), (r.MinSlack, r.MinSlackInput));
        Assert.Equal(("4", 4.0, 2.5, 6.0), (r.WorstInput, r.LeftAtWorst, r.RightAtWorst, r.MaxExcess));
        const string measured = "min slack bound − value = -1.5, tol 0.25 absolute (set by the step), 2/4 inputs hold";
        Assert.Equal($"{measured}; worst: value 4 vs bound 2.5 at 4", r.Evidence);
        Assert.Equal($"m  FAIL  ({measured})\n  worst: value 4 vs bound 2.5\n  inputs: 4", r.ToString());
    }

    [Fact]
    public void A_lower_bound_allows_the_tolerance_and_reports_the_first_smallest_slack()
    {
        // slack x − bound = 1, 0, 1, 0: the first 0 is at x = 2.
        var ties = Ints().AtLeast("l", "x ≥ b", x => x, x => x % 2 == 0 ? x : x - 1, tolerance: Tol);
        Assert.True(ties.Passed);
        Assert.Equal((0.0, "2"), (ties.MinSlack, ties.MinSlackInput));
        Assert.Equal("min slack value − bound = 0, tol 0.25 absolute (set by the step), 4/4 inputs hold", ties.Evidence);

        // slack −0.25 everywhere: exactly the tolerance, still a pass.
        var edge = Ints().AtLeast("e", "x ≥ x + 0.25", x => x, x => x + 0.25, tolerance: Tol);
        Assert.True(edge.Passed, edge.ToString());
        Assert.Equal(-0.25, edge.MinSlack);
    }

    [Fact]
    public void A_property_reports_how_many_inputs_it_holds_on_and_the_first_false_one()
    {
        var r = Ints().Holds("h", "x ≠ 3", x => x != 3);
        Assert.Equal(1, r.Failures);
        Assert.Equal("holds on 3/4 inputs; false at 3", r.Evidence);
        Assert.Equal("h  FAIL  (holds on 3/4 inputs)\n  false at: 3", r.ToString());
    }

    [Fact]
    public void A_line_stated_as_wrong_gets_its_own_verdicts()
    {
        var seeded = Ints(seed: "s.txt").Step("w", "x = x + 1", x => x, x => x + 1.0, tolerance: Tol,
            expected: ExpectedVerdict.Wrong, correctedBy: "w2");
        Assert.True(seeded.AsExpected);
        Assert.Equal("FAIL, as claimed: the seed's line is wrong (corrected in w2)", seeded.Verdict);
        Assert.Contains("color:#9a6700", seeded.ToHtml());

        var own = Ints().Step("w", "x = x + 1", x => x, x => x + 1.0, tolerance: Tol, expected: ExpectedVerdict.Wrong);
        Assert.Equal("FAIL, as claimed: a line stated as wrong", own.Verdict);

        var holds = Ints().Step("w", "x = x", x => x, x => x, expected: ExpectedVerdict.Wrong);
        Assert.False(holds.AsExpected);
        Assert.Equal("PASS, but this line is claimed to be wrong", holds.Verdict);
        Assert.Contains("color:#cf222e", holds.ToHtml());
    }

    [Fact]
    public void Markdown_shows_the_formula_then_the_verdict_block()
    {
        var r = Ints().Step("f", "x = x", x => x, x => x, tolerance: Tol, formula: " x = x ");
        Assert.Equal($"$$x = x$$\n\n```text\n{r}\n```\n", r.ToMarkdown());
    }

    [Fact]
    public void A_step_evaluated_alone_has_an_empty_derivation_title_in_its_record()
    {
        var r = StepResult.Evaluate(new Step<int>("s", "x = x", x => [x], x => [x]), [1, 2]);
        var rec = r.ToRecord();
        Assert.Equal(("", null, 2, true), (rec.Derivation, rec.Seed, rec.Samples, rec.Passed));
        var e = Assert.ThrowsAny<ArgumentException>(() => StepRecord.FromJson(" "));
        Assert.Equal("json", e.ParamName);
    }

    [Fact]
    public void The_derivation_summary_counts_passes_and_names_the_unexpected_steps()
    {
        var d = Ints();
        d.Step("a", "x = x", x => x, x => x + 0.125, tolerance: Tol);        // passes at 0.5× tol
        d.Step("z", "x = x", x => x, x => x);                                 // passes at 0× tol
        d.Step("w", "x = x + 1", x => x, x => x + 1.0, tolerance: Tol, expected: ExpectedVerdict.Wrong);
        d.Step("u", "x = x + 1", x => x, x => x + 1.0, tolerance: Tol);
        var all = d.Run();
        Assert.False(all.AllAsExpected);
        Assert.Equal("ints: 4 steps, 2 pass, 2 fail\n  failing as claimed (stated as wrong): w\n" +
                     "  closest passing step to its tolerance: a at 0.5× tol\n  NOT as claimed: u", all.ToString());
        Assert.Same(all.Steps[3], all["u"]);
        Assert.Equal("id", Assert.Throws<ArgumentOutOfRangeException>(() => all["nope"]).ParamName);

        var one = Ints();
        one.Step("a", "x = x", x => x, x => x + 0.125, tolerance: Tol);
        var single = one.Run();
        Assert.True(single.AllAsExpected);
        Assert.Equal("ints: 1 step, 1 pass, 0 fail\n  closest passing step to its tolerance: a at 0.5× tol\n  every step as claimed", single.ToString());
        Assert.StartsWith("<pre style=\"white-space:pre-wrap\">ints: 1 step, 1 pass", single.ToHtml());
    }
}

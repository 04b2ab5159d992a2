using LossNotebooks.Derivations;
using static LossNotebooks.Derivations.SoftmaxSeedFunctions;

namespace LossNotebooks.Tests.Derivations;

/// <summary>
/// A derivation over an input type of its author's: label-smoothed softmax cross-entropy on one row, with the
/// smoothing α and the label as typed parameters.
/// </summary>
public sealed record Smoothed(double[] Z, int Label, double Alpha, int J)
{
    public int C => Z.Length;
    public double T(int j) => (j == Label ? 1 - Alpha : 0) + Alpha / C;
    public double P(int j) => Math.Exp(Z[j] - Lse(Z));
    public static double Lse(double[] z) { double m = z.Max(); return m + Math.Log(z.Sum(v => Math.Exp(v - m))); }
    public double Loss(double[] z) => -Enumerable.Range(0, C).Sum(j => T(j) * (z[j] - Lse(z)));
    public double Entropy() => -Enumerable.Range(0, C).Sum(j => T(j) * Math.Log(T(j)));
    public double NumericGradient() => Numeric.Partial(z => Loss(z), Z, J);

    public static Smoothed Draw(Random rng)
    {
        int c = rng.Next(2, 7);
        return new([.. Enumerable.Range(0, c).Select(_ => 2 * StepInput.Gaussian(rng))], rng.Next(c), 0.3 * rng.NextDouble(), rng.Next(c));
    }

    public override string ToString() =>
        $"c={C}, label={Label}, α={Alpha:0.###}, j={J}, z=[{string.Join(", ", Z.Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))}]";
}

public class TypedDerivationTests
{
    private static Derivation<Smoothed> New(int samples = 100) =>
        new("label smoothing", generator: (rng, _) => Smoothed.Draw(rng), samples: samples, randomSeed: 5);

    [Fact]
    public void A_right_line_over_a_custom_input_passes_and_a_wrong_one_prints_the_input_in_full()
    {
        var d = New();
        var ok = d.Step("grad", "∂L/∂z_j = p_j − t_j", left: x => x.NumericGradient(), right: x => x.P(x.J) - x.T(x.J));
        Assert.True(ok.Passed, ok.ToString());
        Assert.Contains("default: numeric 1st derivative", ok.ToString());
        // Planted error: the smoothing forgotten (t_j taken as the one-hot label).
        var bad = d.Step("grad-onehot", "∂L/∂z_j = p_j − δ_j,label", left: x => x.NumericGradient(), right: x => x.P(x.J) - (x.J == x.Label ? 1 : 0));
        Assert.False(bad.Passed);
        Assert.Matches(@"inputs: c=\d, label=\d, α=[0-9.]+, j=\d, z=\[", bad.ToString());
    }

    [Fact]
    public void Inequalities_report_the_smallest_slack_on_pass_and_the_violation_on_fail()
    {
        var d = New();
        var gibbs = d.AtLeast("gibbs", "L ≥ H(t)", value: x => x.Loss(x.Z), bound: x => x.Entropy());
        Assert.True(gibbs.Passed, gibbs.ToString());
        Assert.True(gibbs.MinSlack > 0 && gibbs.MinSlack < 10, gibbs.ToString());
        Assert.Contains("min slack value − bound = ", gibbs.ToString());
        Assert.DoesNotContain("max |Δ|", gibbs.ToString());
        // A false bound: L ≤ H(t) breaks wherever L > H(t), i.e. almost everywhere.
        var wrong = d.AtMost("upper", "L ≤ H(t)", value: x => x.Loss(x.Z), bound: x => x.Entropy());
        Assert.False(wrong.Passed);
        Assert.Contains("worst: value ", wrong.ToString());
        Assert.Contains("inputs: c=", wrong.ToString());
        var prob = d.Holds("p-sums-to-1", "Σ p = 1", x => Math.Abs(Enumerable.Range(0, x.C).Sum(x.P) - 1) < 1e-12);
        Assert.True(prob.Passed);
        Assert.Contains("holds on 100/100 inputs", prob.ToString());
        var never = d.Holds("two-classes", "c = 2", x => x.C == 2);
        Assert.False(never.Passed);
        Assert.Contains("false at: c=", never.ToString());
    }

    [Fact]
    public void An_inequality_that_is_tight_somewhere_passes_within_the_tolerance_and_fails_just_beyond_it()
    {
        var d = New(20);
        // value − bound = −0.3·tol on every input: inside the allowed 1e-10 (closed forms), so it holds.
        Assert.True(d.AtLeast("in", "x ≥ x + 3e-11", x => x.Alpha, x => x.Alpha + 3e-11, relativeTolerance: 0, tolerance: 1e-10).Passed);
        Assert.False(d.AtLeast("out", "x ≥ x + 3e-10", x => x.Alpha, x => x.Alpha + 3e-10, relativeTolerance: 0, tolerance: 1e-10).Passed);
    }
}

public class RobustStepTests
{
    private static Derivation New() => new("robust", samples: 30);

    [Fact]
    public void A_side_that_throws_fails_naming_the_side_the_exception_and_the_input_and_the_derivation_goes_on()
    {
        var d = New();
        var r = d.Step("todo", "not written yet", left: s => s.S(s.K, s.L), right: s => throw new NotImplementedException("later"));
        Assert.False(r.Passed);
        Assert.Equal(30, r.Failures);
        var text = r.ToString();
        Assert.Contains("no input evaluated", text);
        Assert.Contains("right threw NotImplementedException: later (on 30 of 30 inputs; first at: n=", text);
        Assert.DoesNotContain("max |Δ| = 0", text);
        // The derivation is not poisoned: the next step and Run() work, and a fixed restatement passes.
        Assert.True(d.Step("ok", "σ = σ", s => s.S(s.K, s.L), s => s.S(s.K, s.L)).Passed);
        var run = d.Run();
        Assert.Equal(2, run.Steps.Count);
        Assert.True(d.Step("todo", "written", left: s => s.S(s.K, s.L), right: s => s.S(s.K, s.L)).Passed);
        Assert.True(d.Run().AllAsExpected);
    }

    [Fact]
    public void Nan_infinite_wrong_length_and_out_of_range_sides_each_fail_with_their_own_words()
    {
        var d = New();
        var nan = d.Step("nan", "nan", s => 0.0, s => s.K == 0 ? double.NaN : 0.0);
        Assert.False(nan.Passed);
        Assert.Contains("right is NaN on ", nan.ToString());
        var inf = d.Step("inf", "inf", s => double.PositiveInfinity, s => 0.0);
        Assert.Contains("left is +∞ on 30 entries", inf.ToString());
        var len = d.Step("len", "len", s => new double[2], s => new double[3]);
        Assert.False(len.Passed);
        Assert.Contains("left has 2 entries, right has 3 (on 30 of 30 inputs", len.ToString());
        // s.S(k, c) used to read the next row's first entry; now the column is checked on its own.
        var range = d.Step("range", "one past the last class", s => 0.0, s => s.S(s.K, s.Classes));
        Assert.False(range.Passed);
        Assert.Contains("right threw ArgumentOutOfRangeException: col must be in 0..", range.ToString());
    }

    [Fact]
    public void The_tolerance_rule_is_printed_and_a_hand_written_numeric_side_gets_a_hint()
    {
        var d = New();
        // A forward difference written by hand: O(h) error, invisible to the default rule, so the closed-form tolerance applies.
        double Forward(StepInput s)
        {
            const double h = 1e-6;
            var z = (double[])s.Logits.Clone();
            double f0 = CrossEntropy(s, z);
            z[s.Index(s.K, s.L)] += h;
            return (CrossEntropy(s, z) - f0) / h;
        }
        var r = d.Step("fwd", "forward difference", left: Forward, right: s => -s.Y(s.K, s.L) + s.S(s.K, s.L) * s.RowMass(s.K));
        Assert.False(r.Passed);
        Assert.Contains("(default: closed forms)", r.ToString());
        Assert.Contains("hint: the default tolerance assumes both sides are exact formulas", r.ToString());
        var set = d.Step("fwd", "forward difference", left: Forward, right: s => -s.Y(s.K, s.L) + s.S(s.K, s.L) * s.RowMass(s.K), tolerance: 1e-4);
        Assert.True(set.Passed, set.ToString());
        Assert.Contains("tol 0.0001 absolute (set by the step)", set.ToString());
        Assert.Equal(0, set.RelativeTolerance);
    }

    [Fact]
    public void A_line_stated_as_wrong_that_fails_is_as_claimed_outside_the_seeds_too()
    {
        var d = New();
        var r = d.Step("planted", "σ − y with the row mass dropped", left: s => s.NumericGradient(z => CrossEntropy(s, z)),
            right: s => -s.Y(s.K, s.L) + s.S(s.K, s.L), expected: ExpectedVerdict.Wrong, correctedBy: "fixed");
        Assert.True(r.AsExpected);
        Assert.Contains("FAIL, as claimed: a line stated as wrong (corrected in fixed)", r.ToString());
        Assert.True(d.Remove("planted"));
        Assert.Empty(d.Steps);
        Assert.False(d.Remove("planted"));
    }

    [Fact]
    public void A_step_passes_at_0_3_of_its_tolerance_and_fails_at_3_times_it_for_each_default()
    {
        // The defaults written as numbers (not read from the code): 1e-10 closed form, 1e-9 first, 1e-8 second derivative.
        foreach (var (tol, order) in new[] { (1e-10, 0), (1e-9, 1), (1e-8, 2) })
        {
            var d = new Derivation("boundary", samples: 10);
            double Side(StepInput s) => order switch
            {
                0 => 0.0,
                1 => Numeric.Derivative(x => 0.0, 0.0),
                _ => Numeric.SecondDerivative(x => 0.0, 0.0),
            };
            // |Δ| = k·tol against a left side of 0: allowed = atol + rtol·|Δ| ≈ tol.
            var inside = d.Step("in", "inside", left: Side, right: s => 0.3 * tol);
            var outside = d.Step("out", "outside", left: Side, right: s => 3 * tol);
            Assert.True(inside.Passed, $"order {order}: {inside}");
            Assert.False(outside.Passed, $"order {order}: {outside}");
            Assert.Equal(tol, inside.Tolerance);
        }
    }
}

public class TermDiagnosisTests
{
    // The Brier ∂S_k lines of notebook 02 (seed 001), written as sums of terms.
    private static double Sg(StepInput s, int j) => s.S(s.K, j);
    private static double A(StepInput s, int j) => (s.S(s.K, j) - s.Y(s.K, j)) * s.W(s.K, j);
    private static double Sk(StepInput s) => s.SumJ(j => Sg(s, j) * A(s, j));
    private static double DS(StepInput s) => s.NumericGradient(z => BrierRowSum(s, z, s.K));

    private static Derivation WithLine3(out StepResult line3)
    {
        var d = new Derivation("Brier ∂S", samples: 60);
        line3 = d.Step("dS.3", "line 3", left: DS, right: d.Terms(
            ("σ_kl a_kl", s => Sg(s, s.L) * A(s, s.L)),
            ("−σ_kl S_k", s => -Sg(s, s.L) * Sk(s)),
            ("σ_kl² w_kl", s => Sg(s, s.L) * Sg(s, s.L) * s.W(s.K, s.L)),
            ("−σ_kl Σ_j σ_kj² w_kj", s => -Sg(s, s.L) * s.SumJ(j => Sg(s, j) * Sg(s, j) * s.W(s.K, j)))));
        return d;
    }

    [Fact]
    public void The_seeds_regrouped_line_has_its_sigma_kl_term_named_and_the_merged_term_matched()
    {
        var d = WithLine3(out var line3);
        Assert.True(line3.Passed, line3.ToString());
        var seed = d.Step("dS.4-seed", "seed's line 4", left: DS, right: d.Terms(
            ("σ_kl w_kl(2σ_kl − y_kl)", s => Sg(s, s.L) * s.W(s.K, s.L) * (2 * Sg(s, s.L) - s.Y(s.K, s.L))),
            ("−σ_kl Σ_j w_kj σ_kl (2σ_kj − y_kj)", s => -Sg(s, s.L) * s.SumJ(j => s.W(s.K, j) * Sg(s, s.L) * (2 * Sg(s, j) - s.Y(s.K, j))))),
            expected: ExpectedVerdict.Wrong, correctedBy: "dS.4");
        Assert.False(seed.Passed);
        Assert.Equal(
            "against dS.3 (the last passing line with the same left side): term 2 (−σ_kl Σ_j w_kj σ_kl (2σ_kj − y_kj)) has no counterpart; " +
            "it should equal terms 2 + 4 (−σ_kl S_k − σ_kl Σ_j σ_kj² w_kj); matched: term 1 = term 1+3 of dS.3",
            seed.Diagnosis);
        Assert.Contains("\n  diagnosis: against dS.3", seed.ToString());
        Assert.Equal(seed.Diagnosis, seed.ToRecord().Diagnosis);
    }

    [Fact]
    public void A_dropped_term_a_flipped_sign_and_a_factor_are_each_named()
    {
        var d = WithLine3(out _);
        var dropped = d.Step("drop", "term 4 lost", left: DS, right: d.Terms(
            ("σ_kl a_kl", s => Sg(s, s.L) * A(s, s.L)),
            ("−σ_kl S_k", s => -Sg(s, s.L) * Sk(s)),
            ("σ_kl² w_kl", s => Sg(s, s.L) * Sg(s, s.L) * s.W(s.K, s.L))));
        Assert.StartsWith("against dS.3 (the last passing line with the same left side): term 4 (−σ_kl Σ_j σ_kj² w_kj) appears nowhere in this line (a dropped term)",
            dropped.Diagnosis);
        var sign = d.Step("sign", "sign slip", left: DS, right: d.Terms(
            ("σ_kl a_kl", s => Sg(s, s.L) * A(s, s.L)),
            ("+σ_kl S_k", s => Sg(s, s.L) * Sk(s)),
            ("σ_kl² w_kl − σ_kl Σ_j σ_kj² w_kj", s => Sg(s, s.L) * Sg(s, s.L) * s.W(s.K, s.L) - Sg(s, s.L) * s.SumJ(j => Sg(s, j) * Sg(s, j) * s.W(s.K, j)))));
        Assert.Contains("term 2 (+σ_kl S_k) has no counterpart; it should equal term 2 (−σ_kl S_k) (it has the opposite sign)", sign.Diagnosis);
        Assert.Contains("matched: term 1 = term 1 of dS.3, term 3 = term 3+4 of dS.3", sign.Diagnosis);
        var twice = d.Step("twice", "factor slip", left: DS, right: d.Terms(
            ("2σ_kl a_kl", s => 2 * Sg(s, s.L) * A(s, s.L)),
            ("rest", s => -Sg(s, s.L) * Sk(s) + Sg(s, s.L) * Sg(s, s.L) * s.W(s.K, s.L) - Sg(s, s.L) * s.SumJ(j => Sg(s, j) * Sg(s, j) * s.W(s.K, j)))));
        Assert.Contains("term 1 (2σ_kl a_kl) has no counterpart; it should equal term 1 (σ_kl a_kl) (it is 2× that)", twice.Diagnosis);
    }

    [Fact]
    public void Without_terms_the_failure_says_how_to_get_a_diagnosis_and_a_line_about_another_quantity_is_not_compared()
    {
        var d = WithLine3(out _);
        var plain = d.Step("plain", "no terms", left: DS, right: s => Sg(s, s.L) * A(s, s.L));
        Assert.StartsWith("against dS.3", plain.Diagnosis);   // the earlier line has terms: the whole side is matched against them
        var other = d.Step("other", "another quantity", left: s => s.NumericGradient(z => Brier(s, z)),
            right: d.Terms(("σ", s => Sg(s, s.L))));
        Assert.Equal("no earlier passing line with the same left side to compare the terms with (name one with from:)", other.Diagnosis);
        var named = d.Step("named", "compared with dS.3 by name", left: s => s.NumericGradient(z => Brier(s, z)),
            right: d.Terms(("σ_kl a_kl", s => Sg(s, s.L) * A(s, s.L))), from: "dS.3");
        Assert.StartsWith("against dS.3: terms 2 + 3 + 4 (−σ_kl S_k + σ_kl² w_kl − σ_kl Σ_j σ_kj² w_kj) appears nowhere in this line (a dropped term)", named.Diagnosis);
        Assert.Throws<ArgumentException>(() => d.Step("bad-from", "x", left: DS, right: DS, from: "nope"));
        Assert.DoesNotContain(d.Steps, s => s.Id == "bad-from");
    }
}

public class StepMarkdownTests
{
    [Fact]
    public void A_step_with_a_formula_shows_it_as_display_math_above_the_verdict()
    {
        var d = new Derivation("md", samples: 5);
        var r = d.Step("s", "softmax", s => s.S(s.K, s.L), s => s.S(s.K, s.L), formula: @"\sigma_{kl} = \sigma_{kl}");
        var md = r.ToMarkdown();
        Assert.StartsWith("$$\\sigma_{kl} = \\sigma_{kl}$$\n\n```text\ns  PASS  (", md);
        Assert.Equal(@"\sigma_{kl} = \sigma_{kl}", r.ToRecord().Formula);
        var f = new LossNotebooks.Display.RichDisplayFormatterSource.MarkdownFormatter();
        var w = new StringWriter();
        Assert.True(f.Format(r, w));
        Assert.Equal(md, w.ToString());
        Assert.DoesNotContain("$$", d.Step("t", "no formula", s => 1.0, s => 1.0).ToMarkdown());
    }
}

public class NumericOrderTests
{
    [Fact]
    public void A_numeric_derivative_nested_in_another_counts_as_a_second_derivative()
    {
        var d = new Derivation<double[]>("nested", generator: (rng, _) => [rng.NextDouble(), rng.NextDouble()], samples: 10);
        // ∂/∂x0 of a numeric ∂f/∂x1, f = x0² x1: exactly 2 x0. Default tolerance: a second derivative's, 1e-8.
        var r = d.Step("cross", "∂²(x0² x1)/∂x0∂x1 = 2 x0",
            left: x => Numeric.Partial(y => Numeric.Partial(z => z[0] * z[0] * z[1], y, 1), x, 0), right: x => 2 * x[0]);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(1e-8, r.Tolerance);
        Assert.Contains("(default: numeric 2nd derivative)", r.ToString());
        Assert.Equal(1e-9, d.Step("single", "∂(x0² x1)/∂x1 = x0²", left: x => Numeric.Partial(z => z[0] * z[0] * z[1], x, 1), right: x => x[0] * x[0]).Tolerance);
    }

    [Fact]
    public void Nan_in_every_entry_says_there_was_nothing_to_compare_and_a_multi_line_message_stays_on_one_line()
    {
        var d = new Derivation("nan", samples: 5);
        var r = d.Step("nan", "nan", s => 0.0, s => double.NaN);
        Assert.Contains("no finite entry to compare; max |Δ| = n/a,", r.ToString());
        Assert.DoesNotContain("max |Δ| = 0", r.ToString());
        var t = d.Step("multi", "multi-line message", s => 0.0, s => throw new InvalidOperationException("first line\nsecond line"));
        Assert.Contains("right threw InvalidOperationException: first line second line (on 5 of 5 inputs", t.ToString());
        Assert.DoesNotContain('\n', t.Evidence);
    }
}

public class DerivationRunTests
{
    [Fact]
    public void Run_evaluates_every_step_on_all_its_inputs_again()
    {
        var d = new Derivation("run", samples: 60);
        // Wrong only on unnormalised targets (every third input): a run on fewer inputs could miss it or count fewer failures.
        var first = d.Step("mass", "σ − y without the row mass", left: s => -s.Y(s.K, s.L) + s.S(s.K, s.L) * s.RowMass(s.K),
            right: s => -s.Y(s.K, s.L) + s.S(s.K, s.L));
        d.Step("few", "on 7 inputs", s => s.S(s.K, s.L), s => s.S(s.K, s.L), samples: 7);
        var run = d.Run();
        Assert.Equal(60, run["mass"].Samples);
        Assert.Equal(first.Failures, run["mass"].Failures);
        Assert.Equal(20, run["mass"].Failures);   // inputs 2, 5, 8, …: the Unnormalized third of StepInput.Random
        Assert.Equal(7, run["few"].Samples);
        Assert.Equal(first.ToString(), d.Run("mass").ToString());
    }
}

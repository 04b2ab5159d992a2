using LossNotebooks.Derivations;
using static LossNotebooks.Derivations.SoftmaxSeedFunctions;

namespace LossNotebooks.Tests.Derivations;

/// <summary>The authoring API the notebooks use: a step is an id, a claim and two sides evaluated on seeded inputs.</summary>
public class DerivationApiTests
{
    private static Derivation New() => new("cross-entropy", seed: "001.txt", samples: 60);

    [Fact]
    public void A_right_gradient_line_passes_in_one_line_with_the_first_derivative_tolerance()
    {
        var r = New().Step("g", "gradient", left: s => s.NumericGradient(z => CrossEntropy(s, z)),
            right: s => -s.Y(s.K, s.L) + s.S(s.K, s.L) * s.RowMass(s.K));
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(Tolerances.FirstDerivative, r.Tolerance);
        Assert.Equal(Tolerances.FirstDerivative, r.RelativeTolerance);
        Assert.StartsWith("g  PASS  (", r.ToString());
        Assert.DoesNotContain('\n', r.ToString());
    }

    [Fact]
    public void A_wrong_line_fails_and_shows_the_worst_entry_and_its_input()
    {
        // Σ_j y_kj replaced by 1: wrong on unnormalized targets.
        var r = New().Step("g", "gradient", left: s => s.NumericGradient(z => CrossEntropy(s, z)),
            right: s => -s.Y(s.K, s.L) + s.S(s.K, s.L));
        Assert.False(r.Passed);
        Assert.False(r.AsExpected);
        var lines = r.ToString().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("g  FAIL  (", lines[0]);
        Assert.StartsWith("  worst entry: left ", lines[1]);
        Assert.StartsWith("  inputs: n=", lines[2]);
        Assert.Contains("Unnormalized", lines[2]);
        Assert.True(r.MaxAbsoluteError > 0.1);
    }

    [Fact]
    public void Default_tolerance_follows_the_numeric_method_used()
    {
        var d = New();
        Assert.Equal(Tolerances.ClosedForm, d.Step("c", "closed", s => s.S(s.K, s.L), s => Math.Exp(s.Z(s.K, s.L)) / s.SumJ(j => Math.Exp(s.Z(s.K, j)))).Tolerance);
        Assert.Equal(Tolerances.SecondDerivative, d.Step("h", "hessian", s => s.NumericHessian(z => CrossEntropy(s, z)),
            s => s.S(s.K, s.L) * (1 - s.S(s.K, s.L)) * s.RowMass(s.K)).Tolerance);
        var own = d.Step("o", "own tolerance", s => 1.0, s => 1.05, tolerance: 0.1);
        Assert.True(own.Passed);
        Assert.Equal(0.1, own.Tolerance);
        Assert.Equal(0, own.RelativeTolerance);
    }

    [Fact]
    public void A_seed_error_that_fails_is_as_expected_and_says_so()
    {
        var d = New();
        var r = d.Step("h-seed", "seed's Hessian", s => s.NumericHessian(z => CrossEntropy(s, z)),
            s => (1 - s.S(s.K, s.L)) * s.SumJ(j => s.S(s.K, j) * s.Y(s.K, j)), expected: ExpectedVerdict.Wrong, correctedBy: "h");
        Assert.False(r.Passed);
        Assert.True(r.AsExpected);
        Assert.Contains("FAIL, as claimed", r.ToString());
    }

    [Fact]
    public void Rerunning_a_step_replaces_it_and_the_same_seed_gives_the_same_numbers()
    {
        var d = New();
        d.Step("g", "v1", s => s.S(s.K, s.L), s => s.S(s.K, s.L) + 1);
        var second = d.Step("g", "v2", s => s.S(s.K, s.L), s => s.S(s.K, s.L));
        Assert.Single(d.Steps);
        Assert.Equal("v2", d["g"].Claim);
        Assert.True(second.Passed);
        var a = New().Step("x", "x", s => s.S(s.K, s.L), s => s.S(s.K, s.L) * 1.5);
        var b = New().Step("x", "x", s => s.S(s.K, s.L), s => s.S(s.K, s.L) * 1.5);
        Assert.Equal(a.ToString(), b.ToString());
        Assert.True(d.Run().AllAsExpected);
    }

    [Fact]
    public void A_nan_side_or_a_throwing_side_is_a_failure_never_a_pass()
    {
        var d = New();
        Assert.False(d.Step("nan", "nan", s => 0.0, s => double.NaN).Passed);
        var t = d.Step("throw", "throws", s => 0.0, s => throw new ArgumentException("boom"));
        Assert.False(t.Passed);
        Assert.Contains("right threw ArgumentException: boom", t.ToString());
    }

    [Fact]
    public void Vector_sides_are_compared_entry_by_entry()
    {
        var r = New().Step("v", "vector", s => new[] { 1.0, 2.0 }, s => new[] { 1.0, 2.5 });
        Assert.False(r.Passed);
        Assert.Contains("entry 1 of", r.Evidence);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Step<StepInput>("v", "c", s => [1.0], s => [1.0], tolerance: 0, relativeTolerance: 0));
        Assert.Throws<ArgumentException>(() => new Step<StepInput>("v", "c", s => [1.0], s => [1.0], correctedBy: "x"));
    }

    [Fact]
    public void The_record_round_trips_through_json()
    {
        var r = New().Step("g", "grad", s => s.S(s.K, s.L), s => s.S(s.K, s.L)).ToRecord();
        Assert.Equal(r, StepRecord.FromJson(r.ToJson()));
        Assert.Equal("cross-entropy", r.Derivation);
        Assert.Equal("001.txt", r.Seed);
    }
}

/// <summary>What the kernel is told: a step displays text/markdown (its formula rendered), text/plain and its JSON record.</summary>
public class StepDisplayTests
{
    [Fact]
    public void A_step_prefers_three_mime_types_and_the_json_formatter_writes_its_record()
    {
        var attr = (LossNotebooks.Display.TypeFormatterSourceAttribute)Attribute.GetCustomAttribute(typeof(StepResult), typeof(LossNotebooks.Display.TypeFormatterSourceAttribute))!;
        Assert.Equal(["text/markdown", "text/plain", StepResult.MimeType], attr.PreferredMimeTypes);
        var r = new Derivation("t", seed: "s.txt", samples: 5).Step("x", "claim", s => 1.0, s => 1.0);
        var json = new LossNotebooks.Display.RichDisplayFormatterSource.StepJsonFormatter();
        Assert.Equal(StepResult.MimeType, json.MimeType);
        var w = new StringWriter();
        Assert.True(json.Format(r, w));
        Assert.Equal(r.ToRecord(), StepRecord.FromJson(w.ToString()));
        Assert.False(json.Format("not a step", new StringWriter()));
    }
}

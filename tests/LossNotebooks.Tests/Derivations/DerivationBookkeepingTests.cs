using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>
/// How a derivation keeps its steps: sums of terms, sample counts, re-stated ids, the line a diagnosis compares with.
/// Inputs are the integers 1..4 (generator t + 1), so every expected value is worked out by hand.
/// </summary>
public class DerivationBookkeepingTests
{
    private const string NoPredecessor = "no earlier passing line with the same left side to compare the terms with (name one with from:)";

    private static Derivation<int> Ints(int samples = 4, string? seed = null, Func<int, string>? describe = null) =>
        new("ints", (_, t) => t + 1, seed: seed, samples: samples, describe: describe);

    [Fact]
    public void A_summed_right_side_adds_every_term_once()
    {
        var d = Ints();
        var r = d.Step("s", "6x = x + 2x + 3x", left: x => 6.0 * x, right: d.Terms(("x", x => x), ("2x", x => 2.0 * x), ("3x", x => 3.0 * x)));
        Assert.True(r.Passed, r.ToString());
        // x = 2: 2 + 4 + 6 = 12 (subtracting gives −8, skipping the tail 2, repeating the first 4).
        Assert.Equal([12.0], d["s"].Right(2));
    }

    [Fact]
    public void A_summed_vector_side_adds_entry_by_entry()
    {
        var d = Ints();
        // Only a scalar left side takes terms: the step fails on shape, its summed side is still the sum.
        d.Step("v", "vector sum", left: x => x, right: d.VectorTerms(("a", x => [x, 1.0]), ("b", x => [10.0, x])));
        // x = 3: [3 + 10, 1 + 3].
        Assert.Equal([13.0, 4.0], d["v"].Right(3));
    }

    [Fact]
    public void Terms_of_different_lengths_throw_naming_the_term_when_summed()
    {
        var d = Ints();
        var r = d.Step("v", "bad shapes", left: x => x, right: d.VectorTerms(("a", x => [1.0, 2.0]), ("b", x => [1.0])));
        Assert.False(r.Passed);
        var e = Assert.Throws<InvalidOperationException>(() => d["v"].Right(1));
        Assert.Equal("term 'b' has 1 entries, the first term 2", e.Message);
    }

    [Fact]
    public void A_step_with_its_own_samples_sees_that_many_inputs_and_Run_draws_enough_for_the_largest()
    {
        var d = Ints(samples: 4);
        Assert.Equal(2, d.Step("few", "x = x", x => x, x => x, samples: 2).Samples);
        Assert.Equal(6, d.Step("many", "x = x", x => x, x => x, samples: 6).Samples);
        var all = d.Run();
        Assert.Equal([2, 6], all.Steps.Select(s => s.Samples));
        Assert.Equal([1, 2], d.Inputs(2));
        Assert.Equal([1, 2, 3, 4], d.Inputs());
    }

    [Fact]
    public void Inputs_with_zero_count_throw_naming_count()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ints().Inputs(0));
        Assert.Equal("count", e.ParamName);
    }

    [Fact]
    public void A_generator_that_throws_is_reported_with_the_input_number()
    {
        var d = new Derivation<int>("gen", (_, t) => t == 2 ? throw new FormatException("no") : t, samples: 4);
        var e = Assert.Throws<InvalidOperationException>(() => d.Inputs());
        Assert.Equal("'gen': the input generator threw on input 2: FormatException: no", e.Message);
        Assert.IsType<FormatException>(e.InnerException);
    }

    [Fact]
    public void Run_without_steps_throws_and_an_unknown_id_is_out_of_range()
    {
        var d = Ints();
        Assert.Equal("'ints' has no steps yet.", Assert.Throws<InvalidOperationException>(() => d.Run()).Message);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => d["nope"]);
        Assert.Equal("id", e.ParamName);
        Assert.StartsWith("No step 'nope' in 'ints'.", e.Message);
    }

    [Fact]
    public void The_describe_function_names_the_failing_input()
    {
        var r = Ints(describe: x => $"#{x}").Step("f", "x = 2", x => x, x => 2.0, tolerance: 0.25);
        Assert.Equal("#4", r.WorstInput); // |x − 2| is largest at x = 4
    }

    [Fact]
    public void The_default_describe_is_ToString()
    {
        var r = Ints().Step("f", "x = 2", x => x, x => 2.0, tolerance: 0.25);
        Assert.Equal("4", r.WorstInput);
    }

    [Fact]
    public void A_StepInput_derivation_uses_the_given_generator()
    {
        int calls = 0;
        var d = new Derivation("own", generator: (rng, t) => { calls++; return StepInput.Random(rng, t); }, samples: 3);
        d.Inputs();
        Assert.Equal(3, calls);
    }

    [Fact]
    public void A_restated_step_keeps_its_place_and_is_diagnosed_against_earlier_lines_only()
    {
        var d = Ints();
        Assert.True(d.Step("a", "3x", x => 3.0 * x, d.Terms(("x", x => x), ("2x", x => 2.0 * x))).Passed);
        Assert.True(d.Step("b", "3x", x => 3.0 * x, d.Terms(("2x", x => 2.0 * x), ("x", x => x))).Passed);
        var r = d.Step("a", "3x", x => 3.0 * x, d.Terms(("x", x => x), ("−2x", x => -2.0 * x)));
        Assert.False(r.Passed);
        Assert.Equal(["a", "b"], d.Steps.Select(s => s.Id));
        Assert.Same(r.Step, d.Steps[0]);
        // "b" comes after "a": re-stating "a" must not compare it with a later line.
        Assert.Equal(NoPredecessor, r.Diagnosis);
    }

    [Fact]
    public void A_later_line_is_diagnosed_against_the_last_passing_line_with_the_same_left_side()
    {
        var d = Ints();
        d.Step("a", "3x", x => 3.0 * x, d.Terms(("x", x => x), ("2x", x => 2.0 * x)));
        // Left side off by 1.5e-8: within the 1e-8·(1 + |x|) agreement of SameLeft on every input.
        var r = d.Step("b", "3x", x => 3.0 * x + 1.5e-8, d.Terms(("x", x => x), ("−2x", x => -2.0 * x)));
        Assert.StartsWith("against a (the last passing line with the same left side): ", r.Diagnosis);
    }

    [Fact]
    public void An_inequality_is_never_the_line_a_diagnosis_compares_with()
    {
        var d = Ints();
        Assert.True(d.AtLeast("ineq", "3x ≥ 0", x => 3.0 * x, x => 0.0).Passed);
        var r = d.Step("w", "3x", x => 3.0 * x, d.Terms(("x", x => x), ("−2x", x => -2.0 * x)));
        Assert.Equal(NoPredecessor, r.Diagnosis);
    }

    [Fact]
    public void From_names_the_line_to_compare_with_and_an_unknown_from_throws()
    {
        var d = Ints();
        d.Step("a", "3x", x => 3.0 * x, d.Terms(("x", x => x), ("2x", x => 2.0 * x)));
        var r = d.Step("b", "4x", x => 4.0 * x, d.Terms(("x", x => x), ("2x", x => 2.0 * x)), from: "a");
        Assert.StartsWith("against a: ", r.Diagnosis);

        var e = Assert.Throws<ArgumentException>(() => d.Step("c", "x", x => x, x => x, from: "zz"));
        Assert.Equal("step", e.ParamName);
        Assert.StartsWith("from: no step 'zz' in 'ints' (state it before this one).", e.Message);

        // The named line removed afterwards: Run re-evaluates "b" without a line to compare with, and does not throw.
        Assert.True(d.Remove("a"));
        Assert.False(d.Remove("a"));
        Assert.Equal(NoPredecessor, d.Run()["b"].Diagnosis);
    }

    [Fact]
    public void A_Holds_step_states_its_tolerance_reason()
    {
        Assert.Equal("true or false", Ints().Holds("h", "x > 0", x => x > 0).ToleranceReason);
    }
}

using LossNotebooks.Checks;
using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// Every entry point of <see cref="Exercise"/> refuses a blank exercise id before it checks anything: the id is how a
/// student finds the feedback in the notebook, and a blank one would print a nameless verdict.
/// </summary>
public class ExerciseIdGuardTests
{
    public static TheoryData<string, Func<string, ExerciseResult>> EntryPoints()
    {
        static double F(double[] x) => x[0] * x[0];
        double[] x = [1.0];
        var hunt = new Derivation<double>("lines", (_, i) => i + 1.0, samples: 2);
        hunt.Step("a", "x + x = 2x", left: v => 2 * v, right: v => v + v);
        hunt.Step("b", "d/dx 1.5x² = 2x", left: v => 3 * v, right: v => 2 * v);   // the planted line
        var d = new Derivation("t", samples: 2);
        return new()
        {
            { "CheckValues", id => Exercise.CheckValues(id, [1.0], [1.0]) },
            { "CheckGradient(values)", id => Exercise.CheckGradient(id, F, x, new[] { 2.0 }) },
            { "CheckGradient(function at x)", id => Exercise.CheckGradient(id, F, x, (Func<double[], double[]>)(v => [2 * v[0]])) },
            { "CheckGradient(random points)", id => Exercise.CheckGradient(id, F, 1, v => [2 * v[0]]) },
            { "CheckFunction", id => Exercise.CheckFunction(id, F, F, 1) },
            { "CheckStep", id => Exercise.CheckStep(id, d, _ => 1.0, _ => 1.0) },
            { "ShowBugHunt", id => Exercise.ShowBugHunt(id, hunt) },
            { "CheckBugHunt", id => Exercise.CheckBugHunt<double>(id, hunt, "b", v => 3 * v) },
        };
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void A_blank_id_is_refused_and_a_named_one_is_checked(string entry, Func<string, ExerciseResult> call)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => call("  "));
        Assert.Equal("id", e.ParamName);
        Assert.StartsWith("ex-1", call("ex-1").Message);   // the same call with an id goes through (the guard is the cause)
        Assert.NotEmpty(entry);
    }
}

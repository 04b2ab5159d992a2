using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>Every public entry of the derivation engine rejects a missing or meaningless argument by its name.</summary>
public class DerivationGuardTests
{
    private static Derivation<int> Ints() => new("ints", (_, t) => t + 1, samples: 4);
    private static readonly Func<int, double[]> Id = x => [x];

    private static void Names(string param, Action act) => Assert.Equal(param, Assert.ThrowsAny<ArgumentException>(act).ParamName);

    [Fact]
    public void The_derivation_constructor_names_its_bad_argument()
    {
        Names("title", () => new Derivation<int>(" ", (_, t) => t));
        Names("title", () => new Derivation<int>(null!, (_, t) => t));
        Names("generator", () => new Derivation<int>("t", null!));
        Names("seed", () => new Derivation<int>("t", (_, t) => t, seed: " "));
        Names("samples", () => new Derivation<int>("t", (_, t) => t, samples: 0));
    }

    [Fact]
    public void Stating_a_step_names_the_missing_side()
    {
        var d = Ints();
        Names("step", () => d.Add(null!));
        Names("left", () => d.Step("s", "c", left: (Func<int, double>)null!, right: x => x));
        Names("right", () => d.Step("s", "c", left: x => x, right: (Func<int, double>)null!));
        Names("right", () => d.Step("s", "c", left: x => x, right: (Terms<int>)null!));
        Names("value", () => d.AtLeast("s", "c", value: null!, bound: x => x));
        Names("bound", () => d.AtMost("s", "c", value: x => x, bound: null!));
        Names("property", () => d.Holds("s", "c", property: null!));
        Assert.Empty(d.Steps);
    }

    [Fact]
    public void Terms_name_the_missing_term_and_need_at_least_one()
    {
        var d = Ints();
        Names("terms", () => d.Terms(null!));
        Names("a", () => d.Terms(("a", null!)));
        Names("terms", () => d.VectorTerms(null!));
        Names("b", () => d.VectorTerms(("a", Id), ("b", null!)));
        var e = Assert.Throws<ArgumentException>(() => d.Terms());
        Assert.Equal("items", e.ParamName);
        Assert.StartsWith("A sum needs at least one term.", e.Message);
    }

    [Fact]
    public void A_step_names_its_bad_argument()
    {
        Names("id", () => new Step<int>(" ", "c", Id, Id));
        Names("claim", () => new Step<int>("s", " ", Id, Id));
        Names("tolerance", () => new Step<int>("s", "c", Id, Id, tolerance: -1));
        Names("relativeTolerance", () => new Step<int>("s", "c", Id, Id, relativeTolerance: -1));
        Names("samples", () => new Step<int>("s", "c", Id, Id, samples: 0));
        Names("formula", () => new Step<int>("s", "c", Id, Id, formula: " "));
        Names("left", () => new Step<int>("s", "c", null!, Id));
        Names("right", () => new Step<int>("s", "c", Id, null!));

        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new Step<int>("s", "c", Id, Id, tolerance: 0));
        Assert.Equal("tolerance", zero.ParamName);
        Assert.StartsWith("At least one tolerance must be positive.", zero.Message);
        // A zero absolute tolerance is fine next to a positive relative one.
        Assert.Equal(0.0, new Step<int>("s", "c", Id, Id, tolerance: 0, relativeTolerance: 1e-3).Tolerance);

        var corr = Assert.Throws<ArgumentException>(() => new Step<int>("s", "c", Id, Id, correctedBy: "t"));
        Assert.Equal("correctedBy", corr.ParamName);
        Assert.StartsWith("Only a step expected to be Wrong has a correction.", corr.Message);
    }

    [Fact]
    public void Numeric_derivatives_name_their_bad_argument()
    {
        Func<double, double> sq = t => t * t;
        Func<double[], double> prod = v => v[0] * v[1];
        Names("f", () => Numeric.Derivative(null!, 1));
        Names("f", () => Numeric.SecondDerivative(null!, 1));
        Names("x", () => Numeric.SecondDerivative(sq, double.NaN));
        Names("h", () => Numeric.SecondDerivative(sq, 1, 0));
        Names("f", () => Numeric.Partial(null!, [1.0, 2.0], 0));
        Names("f", () => Numeric.SecondPartial(null!, [1.0, 2.0], 0, 1));
        Names("h", () => Numeric.SecondPartial(prod, [1.0, 2.0], 0, 1, 0));
    }
}

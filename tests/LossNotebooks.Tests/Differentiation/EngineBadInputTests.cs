using System.Numerics;
using LossNotebooks.Differentiation;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>Every entry point rejects bad input with an ArgumentException naming the parameter.</summary>
public class EngineBadInputTests
{
    private static double Sq(ReadOnlySpan<double> x) => x[0] * x[0];

    private static void Throws(string param, Action act)
    {
        var e = Assert.ThrowsAny<ArgumentException>(act);
        Assert.Equal(param, e.ParamName);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_positive_or_non_finite_step(double h)
    {
        Throws("h", () => FiniteDifference.Derivative(Math.Sin, 1.0, DifferenceRule.Central, h));
        Throws("h", () => FiniteDifference.SecondDerivative(Math.Sin, 1.0, h));
        Throws("h", () => StepSize.Absolute(h));
        Throws("h", () => ComplexStep.Derivative(Complex.Sin, 1.0, h));
    }

    [Fact]
    public void Step_that_underflows_against_x()
    {
        // 1e10 + 1e-7 == 1e10 in double (spacing at 1e10 is ~1.9e-6).
        Throws("h", () => FiniteDifference.Derivative(Math.Sin, 1e10, DifferenceRule.Central, 1e-7));
        Throws("h", () => FiniteDifference.Gradient(Sq, [1e10], new double[1], DifferenceRule.Central, StepSize.Absolute(1e-7)));
        Throws("h", () => StepSize.Absolute(1e-7).At(1e10, DifferenceRule.Forward));
    }

    [Fact]
    public void Non_finite_inputs()
    {
        Throws("x", () => FiniteDifference.Derivative(Math.Sin, double.NaN, DifferenceRule.Central, 1e-5));
        Throws("x", () => FiniteDifference.Gradient(Sq, [double.PositiveInfinity], new double[1]));
        Throws("x", () => ComplexStep.Gradient(z => z[0], [double.NaN], new double[1]));
        Throws("x", () => StepSweep.Run(Math.Sin, double.NaN));
        Throws("x", () => Richardson.Derivative(Math.Sin, double.NegativeInfinity));
        Throws("derivative", () => StepSweep.Run(Math.Sin, 1.0, derivative: double.NaN));
    }

    [Fact]
    public void Mismatched_lengths()
    {
        Throws("gradient", () => FiniteDifference.Gradient(Sq, [1.0, 2.0], new double[3]));
        Throws("diagonal", () => FiniteDifference.HessianDiagonal(Sq, [1.0, 2.0], new double[1]));
        Throws("hessian", () => FiniteDifference.Hessian(Sq, [1.0, 2.0], new double[3]));
        Throws("jacobian", () => FiniteDifference.Jacobian((x, r) => r[0] = x[0], [1.0, 2.0], 1, new double[3]));
        Throws("values", () => FiniteDifference.GradientAt(Sq, [1.0, 2.0], [0], new double[2]));
        Throws("gradient", () => ComplexStep.Gradient(z => z[0], [1.0], new double[2]));
    }

    [Fact]
    public void Indices_and_counts_out_of_range()
    {
        Throws("count", () => FiniteDifference.SampleIndices(5, 6, 0));
        Throws("count", () => FiniteDifference.SampleIndices(5, 0, 0));
        Throws("indices", () => FiniteDifference.GradientAt(Sq, [1.0, 2.0], [2], new double[1]));
        Throws("k", () => StepSweep.Run(Sq, [1.0], 1));
        Throws("levels", () => Richardson.Derivative(Math.Sin, 1.0, levels: 0));
        Throws("pointsPerDecade", () => StepSweep.LogGrid(1e-10, 1e-1, 0));
        Throws("hMax", () => StepSweep.LogGrid(1e-1, 1e-10));
    }

    [Fact]
    public void Function_returning_NaN_is_reported_not_passed_on()
    {
        Throws("f", () => FiniteDifference.Derivative(x => x > 1 ? double.NaN : x, 1.0, DifferenceRule.Central, 1e-3));
        Throws("estimate", () => Richardson.Derivative(Math.Log, 0.05, h: 0.1));
    }

    [Fact]
    public void Sampling_is_deterministic_and_distinct()
    {
        var a = FiniteDifference.SampleIndices(100, 10, 42);
        Assert.Equal(a, FiniteDifference.SampleIndices(100, 10, 42));
        Assert.NotEqual(a, FiniteDifference.SampleIndices(100, 10, 43));
        Assert.Equal(10, a.Distinct().Count());
        Assert.Equal(a.OrderBy(i => i), a);

        // The sparse gradient equals the dense one at the sampled entries (same rule, same steps).
        static double F(ReadOnlySpan<double> x) { double s = 0; for (int k = 0; k < x.Length; k++) s += Math.Sin(x[k] + 0.1 * k); return s; }
        var x = Enumerable.Range(0, 100).Select(k => 0.01 * k).ToArray();
        var dense = new double[100];
        FiniteDifference.Gradient(F, x, dense);
        var (indices, values) = FiniteDifference.SampledGradient(F, x, 10, 42);
        Assert.Equal(a, indices);
        var sparse = new double[10];
        FiniteDifference.GradientAt(F, x, indices, sparse);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(dense[indices[i]], values[i]);
            Assert.Equal(dense[indices[i]], sparse[i]);
            Assert.True(Math.Abs(values[i] - Math.Cos(x[indices[i]] + 0.1 * indices[i])) < 1e-8); // central: ~1e-10 here
        }
    }
}

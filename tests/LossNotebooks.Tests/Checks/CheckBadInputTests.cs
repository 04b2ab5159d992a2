using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Checks;

public class CheckBadInputTests
{
    private static double Sq(ReadOnlySpan<double> x) { double s = 0; foreach (var v in x) s += v * v; return s; }

    private static void Throws(string param, Action act) => Assert.Equal(param, Assert.ThrowsAny<ArgumentException>(act).ParamName);

    [Fact]
    public void Every_bad_input_is_an_argument_exception_naming_the_parameter()
    {
        double[] x = [1.0, 2.0];
        Throws("analytic", () => GradientCheck.Run(Sq, x, new double[3]));
        Throws("x", () => GradientCheck.Run(Sq, [double.NaN, 1.0], new double[2]));
        Throws("analytic", () => GradientCheck.Run(Sq, x, [double.PositiveInfinity, 0.0]));
        Throws("SampleSize", () => GradientCheck.Run(Sq, x, new double[2], new CheckOptions { SampleSize = 3 }));
        Throws("SampleSize", () => GradientCheck.Run(Sq, x, new double[2], new CheckOptions { SampleSize = 0 }));
        Throws("options", () => GradientCheck.Run(Sq, x, new double[2], new CheckOptions { UseComplexStep = true }));
        Throws("h", () => GradientCheck.Run(Sq, [1e10, 1.0], new double[2], new CheckOptions { Step = StepSize.Absolute(1e-7) }));
        Throws("f", () => GradientCheck.Run(_ => double.NaN, x, new double[2]));
        var hinge = new MulticlassHinge([0, 1], 3);
        Throws("options", () => GradientCheck.Run(hinge, new double[6], new CheckOptions { UseComplexStep = true }));
        Throws("scores", () => GradientCheck.Run(hinge, new double[5]));
    }
}

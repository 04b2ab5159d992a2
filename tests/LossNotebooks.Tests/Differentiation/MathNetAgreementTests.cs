using LossNotebooks.Differentiation;
using MathNet.Numerics;
using MathNet.Numerics.Differentiation;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>
/// The engine against MathNet.Numerics' independent implementation, on sin, exp, log1p and a quintic at several
/// points. Both sides are compared with each other and with the analytic derivative. Tolerances: MathNet's defaults
/// are 3-point central differences with a relative step (its documented default), accurate to ~1e-9–1e-10 here;
/// our central rule with the theory step is ~4e-11·scale; so |ours − MathNet| ≤ 1e-8·max(1, |f'|, |f|) leaves
/// ≥ 10× margin over both and still catches any wrong coefficient (O(h) ≈ 1e-5 or worse).
/// </summary>
public class MathNetAgreementTests
{
    private static double Scale(TestFunction f, double x) => Math.Max(1, Math.Max(Math.Abs(f.F(x)), Math.Abs(f.D1(x))));

    [Theory]
    [MemberData(nameof(TestFunction.Cases), MemberType = typeof(TestFunction))]
    public void First_derivative_agrees_with_MathNet(string name, double x)
    {
        var f = TestFunction.ByName(name);
        double tol = 1e-8 * Scale(f, x);
        double mathNet = Differentiate.FirstDerivative(f.F, x);
        double mathNet5 = new NumericalDerivative(5, 2).EvaluateDerivative(f.F, x, 1);
        foreach (var rule in new[] { DifferenceRule.Central, DifferenceRule.FivePointCentral })
        {
            double ours = FiniteDifference.Derivative(f.F, x, rule);
            Assert.True(Math.Abs(ours - mathNet) <= tol, $"{rule}: ours {ours:R}, MathNet {mathNet:R}");
            Assert.True(Math.Abs(ours - mathNet5) <= tol, $"{rule}: ours {ours:R}, MathNet 5-point {mathNet5:R}");
            Assert.True(Math.Abs(ours - f.D1(x)) <= tol, $"{rule}: ours {ours:R}, exact {f.D1(x):R}");
        }
        // Richardson and complex step are more accurate than MathNet; compare them with the exact value instead.
        Assert.True(Math.Abs(Richardson.Derivative(f.F, x).Value - f.D1(x)) <= 1e-11 * Scale(f, x));
        Assert.True(Math.Abs(ComplexStep.Derivative(f.C, x) - f.D1(x)) <= 4 * StepSize.MachineEpsilon * Math.Abs(f.D1(x)));
    }

    [Theory]
    [MemberData(nameof(TestFunction.Cases), MemberType = typeof(TestFunction))]
    public void Second_derivative_agrees_with_MathNet(string name, double x)
    {
        // Ours: error ~ 8ε|f|/h² + h²|f''''|/12 ≈ 2e-8 with the ε^(1/4) step → 1e-6·scale against the exact value.
        // MathNet's default second derivative is coarser (measured ~1.5e-6 on exp(0.3)), so agreement is 1e-5·scale.
        var f = TestFunction.ByName(name);
        double tol = 1e-6 * Math.Max(Scale(f, x), Math.Abs(f.D2(x)));
        double ours = FiniteDifference.SecondDerivative(f.F, x, StepSize.TheoreticalSecondDerivativeStep * Math.Max(1, Math.Abs(x)));
        double mathNet = Differentiate.SecondDerivative(f.F, x);
        Assert.True(Math.Abs(ours - mathNet) <= 10 * tol, $"ours {ours:R}, MathNet {mathNet:R}");
        Assert.True(Math.Abs(ours - f.D2(x)) <= tol, $"ours {ours:R}, exact {f.D2(x):R}");
    }

    [Fact]
    public void Gradient_Jacobian_and_Hessian_agree_with_MathNet()
    {
        // f(x) = Σ sin(x_k)·exp(x_(k+1)) + log1p(x_0²): couples neighbours so the Hessian has off-diagonal entries.
        static double F(ReadOnlySpan<double> x)
        {
            double s = Math.Log(1 + x[0] * x[0]);
            for (int k = 0; k + 1 < x.Length; k++) s += Math.Sin(x[k]) * Math.Exp(x[k + 1]);
            return s;
        }
        var random = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            var x = Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var ours = new double[5];
            FiniteDifference.Gradient(F, x, ours);
            var mathNet = new NumericalJacobian().Evaluate(v => F(v), x);
            for (int k = 0; k < 5; k++) Assert.True(Math.Abs(ours[k] - mathNet[k]) <= 1e-8, $"gradient[{k}]: {ours[k]:R} vs {mathNet[k]:R}");

            // Jacobian of the vector function (F, x_0·x_1, exp(x_4)).
            void V(ReadOnlySpan<double> v, Span<double> r) { r[0] = F(v); r[1] = v[0] * v[1]; r[2] = Math.Exp(v[4]); }
            var jac = new double[3 * 5];
            FiniteDifference.Jacobian(V, x, 3, jac);
            var mnJac = new NumericalJacobian().Evaluate(new Func<double[], double>[] { v => F(v), v => v[0] * v[1], v => Math.Exp(v[4]) }, x);
            for (int i = 0; i < 3; i++)
                for (int k = 0; k < 5; k++)
                    Assert.True(Math.Abs(jac[i * 5 + k] - mnJac[i, k]) <= 1e-8, $"J[{i},{k}]: {jac[i * 5 + k]:R} vs {mnJac[i, k]:R}");

            // Hessians: ours (ε^(1/4) steps, error ~2e-8·scale) against the analytic Hessian to 1e-6; MathNet's default
            // Hessian is coarser (measured ~7e-6 on H[0,0]), so agreement with it is 1e-4.
            var hess = new double[25];
            FiniteDifference.Hessian(F, x, hess);
            var mnHess = new NumericalHessian().Evaluate(v => F(v), x);
            var exact = new double[25];
            double q = 1 + x[0] * x[0];
            exact[0] = (2 - 2 * x[0] * x[0]) / (q * q);
            for (int k = 0; k + 1 < 5; k++)
            {
                double e = Math.Exp(x[k + 1]);
                exact[k * 5 + k] += -Math.Sin(x[k]) * e;
                exact[(k + 1) * 5 + k + 1] += Math.Sin(x[k]) * e;
                exact[k * 5 + k + 1] = exact[(k + 1) * 5 + k] = Math.Cos(x[k]) * e;
            }
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 5; j++)
                {
                    Assert.True(Math.Abs(hess[i * 5 + j] - exact[i * 5 + j]) <= 1e-6, $"H[{i},{j}]: {hess[i * 5 + j]:R} vs exact {exact[i * 5 + j]:R}");
                    Assert.True(Math.Abs(hess[i * 5 + j] - mnHess[i, j]) <= 1e-4, $"H[{i},{j}]: {hess[i * 5 + j]:R} vs MathNet {mnHess[i, j]:R}");
                }
        }
    }
}

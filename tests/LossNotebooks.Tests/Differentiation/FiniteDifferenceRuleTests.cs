using LossNotebooks.Differentiation;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>
/// Every rule through every multi-entry entry point, on polynomials where the rule's error is known in closed form.
/// Steps are powers of two and points small integers, so every evaluation below is exact in double precision and
/// the expected values are exact.
/// </summary>
public class FiniteDifferenceRuleTests
{
    private static void Throws(string param, Action act)
    {
        var e = Assert.ThrowsAny<ArgumentException>(act);
        Assert.Equal(param, e.ParamName);
    }

    private static readonly StepSize Half = StepSize.Absolute(0.5);

    // f(x) = x0² + x1⁴ + 3 x2 at (1, 1, 2), h = 1/2.
    // Forward on t²: 2t + h; on t⁴: 4t³ + 6t²h + 4th² + h³; backward: signs of the odd powers of h flip.
    // Central on t⁴: 4t³ + 4th²; five-point is exact on quartics; every rule is exact on a linear term.
    private static double Q(ReadOnlySpan<double> x) => x[0] * x[0] + Math.Pow(x[1], 4) + 3 * x[2];
    private static readonly double[] X = [1.0, 1.0, 2.0];

    public static IEnumerable<object[]> QuarticCases =>
    [
        [DifferenceRule.Forward, new[] { 2.5, 4 + 3 + 1 + 0.125, 3.0 }],
        [DifferenceRule.Backward, new[] { 1.5, 4 - 3 + 1 - 0.125, 3.0 }],
        [DifferenceRule.Central, new[] { 2.0, 5.0, 3.0 }],
        [DifferenceRule.FivePointCentral, new[] { 2.0, 4.0, 3.0 }],
    ];

    [Theory]
    [MemberData(nameof(QuarticCases))]
    public void Gradient_sparse_sampled_and_partial_forms_agree_with_the_closed_form(DifferenceRule rule, double[] exact)
    {
        var g = new double[3];
        FiniteDifference.Gradient(Q, X, g, rule, Half);
        Assert.Equal(exact, g);

        var sparse = new double[2];
        FiniteDifference.GradientAt(Q, X, [1, 0], sparse, rule, Half);
        Assert.Equal([exact[1], exact[0]], sparse);

        var (indices, values) = FiniteDifference.SampledGradient(Q, X, 3, 7, rule, Half);
        Assert.Equal([0, 1, 2], indices);
        Assert.Equal(exact, values);

        // PartialDerivative evaluates f(x) itself for the one-sided rules when f0 is not given.
        var work = (double[])X.Clone();
        Assert.Equal(exact[1], FiniteDifference.PartialDerivative(Q, work, 1, rule, 0.5));
        Assert.Equal(X, work);
    }

    [Fact]
    public void Derivative_with_an_explicit_step_uses_that_step()
    {
        // Central on t³ at 1: 3 + h²; forward on t²: 2 + h.
        Assert.Equal(3.25, FiniteDifference.Derivative(t => t * t * t, 1.0, DifferenceRule.Central, Half));
        Assert.Equal(2.5, FiniteDifference.Derivative(t => t * t, 1.0, DifferenceRule.Forward, Half));
    }

    [Fact]
    public void Matrix_gradient_of_a_non_square_matrix()
    {
        // f(W) = Σ (i+1)(j+2) W_ij² over a 2×3 W: ∂f/∂W_ij = 2 (i+1)(j+2) W_ij, central exact on quadratics.
        var w = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, -2.0, 0.5 }, { 3.0, 0.25, -1.0 } });
        double F(Matrix<double> m)
        {
            double s = 0;
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) s += (i + 1) * (j + 2) * m[i, j] * m[i, j];
            return s;
        }
        var g = FiniteDifference.Gradient(F, w, DifferenceRule.Central, Half);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(2 * (i + 1) * (j + 2) * w[i, j], g[i, j]);
        var sample = FiniteDifference.GradientSample(F, w, 6, 1, DifferenceRule.Central, Half);
        Assert.Equal(6, sample.Count);
        foreach (var (r, c, v) in sample) Assert.Equal(2 * (r + 1) * (c + 2) * w[r, c], v);
    }

    // f: ℝ³ → ℝ² with f0 = x0² + 2 x1 − x2⁴, f1 = x0 x2 + x1³ at (1, 2, 1), h = 1/2. Rows are outputs, columns inputs.
    private static void V(ReadOnlySpan<double> x, Span<double> r)
    {
        r[0] = x[0] * x[0] + 2 * x[1] - Math.Pow(x[2], 4);
        r[1] = x[0] * x[2] + x[1] * x[1] * x[1];
    }

    private static readonly double[] Xv = [1.0, 2.0, 1.0];

    public static IEnumerable<object[]> JacobianCases =>
    [
        // Forward: t² → 2t + h, t³ at 2 → 12 + 6h + h², t⁴ at 1 → 4 + 3 + 1 + 1/8.
        [DifferenceRule.Forward, new[] { 2.5, 2, -8.125, 1, 12 + 3 + 0.25, 1 }],
        [DifferenceRule.Backward, new[] { 1.5, 2, -(4 - 3 + 1 - 0.125), 1, 12 - 3 + 0.25, 1 }],
        // Central: t³ → 3t² + h², t⁴ → 4t³ + 4th².
        [DifferenceRule.Central, new[] { 2.0, 2, -5.0, 1, 12.25, 1 }],
        [DifferenceRule.FivePointCentral, new[] { 2.0, 2, -4.0, 1, 12.0, 1 }],
    ];

    [Theory]
    [MemberData(nameof(JacobianCases))]
    public void Jacobian_entries_are_row_major_outputs_by_inputs(DifferenceRule rule, double[] exact)
    {
        var j = new double[6];
        FiniteDifference.Jacobian(V, Xv, 2, j, rule, Half);
        Assert.Equal(exact, j);

        var m = FiniteDifference.Jacobian(v =>
        {
            var r = new double[2];
            V(v.ToArray(), r);
            return Vector<double>.Build.Dense(r);
        }, Vector<double>.Build.Dense(Xv), rule, Half);
        Assert.Equal(2, m.RowCount);
        Assert.Equal(3, m.ColumnCount);
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < 3; k++) Assert.Equal(exact[i * 3 + k], m[i, k]);
    }

    [Fact]
    public void Jacobian_names_a_non_finite_output_in_any_row()
    {
        // √x2 at x2 = 0: the central difference's f(x − h) is NaN in output 1 only, column 2 only.
        static void G(ReadOnlySpan<double> x, Span<double> r) { r[0] = x[0] + x[1] + x[2]; r[1] = Math.Sqrt(x[2]); }
        var e = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Jacobian(G, [1.0, 2.0, 0.0], 2, new double[6]));
        Assert.Equal("f", e.ParamName);
        Assert.Contains("entry 2", e.Message);
    }

    [Fact]
    public void Jacobian_rejects_a_function_whose_output_count_changes()
    {
        int calls = 0;
        Throws("f", () => FiniteDifference.Jacobian(v => Vector<double>.Build.Dense(calls++ == 0 ? 2 : 3, v[0]), Vector<double>.Build.Dense(2, 1.0)));
    }

    [Fact]
    public void Hessian_with_an_explicit_step()
    {
        // f = x0³ x1 + x1 x2² at (1, 1, 1), h = 1/2. Diagonal by the second difference: 6 x0 x1 = 6 (exact on cubics),
        // 0, 2 x1 = 2. Cross difference of x0³ x1 is [(1+h)³ − (1−h)³] / 2h = 3 + h² = 3.25; of x1 x2² exactly 2 x2 = 2;
        // x0 and x2 never meet, so 0.
        static double F(ReadOnlySpan<double> x) => x[0] * x[0] * x[0] * x[1] + x[1] * x[2] * x[2];
        double[] exact = [6, 3.25, 0, 3.25, 0, 2, 0, 2, 2];
        var h = new double[9];
        FiniteDifference.Hessian(F, [1.0, 1.0, 1.0], h, Half);
        Assert.Equal(exact, h);
        var diagonal = new double[3];
        FiniteDifference.HessianDiagonal(F, [1.0, 1.0, 1.0], diagonal, Half);
        Assert.Equal([6.0, 0.0, 2.0], diagonal);

        var m = FiniteDifference.Hessian(v => F(v.ToArray()), Vector<double>.Build.Dense([1.0, 1.0, 1.0]), Half);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) Assert.Equal(exact[r * 3 + c], m[r, c]);
        // The second difference of t⁴ at 1: f'' + h² f''''/12 = 12 + 0.5.
        var d4 = new double[1];
        FiniteDifference.HessianDiagonal(x => Math.Pow(x[0], 4), [1.0], d4, Half);
        Assert.Equal(12.5, d4[0]);
    }

    [Theory]
    [InlineData(DifferenceRule.Forward, 3 + 1)]
    [InlineData(DifferenceRule.Backward, 3 + 1)]
    [InlineData(DifferenceRule.Central, 2 * 3)]
    [InlineData(DifferenceRule.FivePointCentral, 4 * 3)]
    public void One_sided_rules_evaluate_f_at_x_once_per_gradient(DifferenceRule rule, int expectedCalls)
    {
        // A loss evaluation can be the expensive part of a check: f(x) is shared by all one-sided differences and not
        // evaluated at all by the symmetric rules.
        int calls = 0;
        double F(ReadOnlySpan<double> x) { calls++; return Q(x); }
        FiniteDifference.Gradient(F, X, new double[3], rule, Half);
        Assert.Equal(expectedCalls, calls);
        calls = 0;
        FiniteDifference.GradientAt(F, X, [0, 1, 2], new double[3], rule, Half);
        Assert.Equal(expectedCalls, calls);
        calls = 0;
        FiniteDifference.Jacobian((x, r) => { calls++; V(x, r); }, Xv, 2, new double[6], rule, Half);
        Assert.Equal(expectedCalls, calls);
        // One partial on its own: f(x) once more for a one-sided rule, nothing extra for a symmetric one; a given f0 is used as is.
        calls = 0;
        FiniteDifference.PartialDerivative(F, (double[])X.Clone(), 0, rule, 0.5);
        Assert.Equal(expectedCalls / 3 + (expectedCalls == 4 ? 1 : 0), calls);
        calls = 0;
        FiniteDifference.PartialDerivative(F, (double[])X.Clone(), 0, rule, 0.5, Q(X));
        Assert.Equal(expectedCalls == 4 ? 1 : expectedCalls / 3, calls);
    }

    [Fact]
    public void Every_entry_point_checks_its_own_input()
    {
        // Each of these would otherwise fail later under another name (h, f, work) or not at all.
        Throws("x", () => FiniteDifference.Derivative(Math.Sin, double.NaN));
        Throws("x", () => FiniteDifference.SecondDerivative(Math.Sin, double.NaN, 1e-3));
        Throws("x", () => FiniteDifference.SampledGradient(Q, [1.0, double.NaN, 2.0], 1, 0));
        Throws("x", () => FiniteDifference.GradientAt(Q, [1.0, 1.0, double.NaN], [0], new double[1]));
        Throws("x", () => FiniteDifference.Jacobian(V, [1.0, double.NaN, 1.0], 2, new double[6]));
        Throws("x", () => FiniteDifference.HessianDiagonal(Q, [double.NaN, 1.0, 1.0], new double[3]));
        Throws("x", () => FiniteDifference.Gradient(m => m[0, 0], Matrix<double>.Build.Dense(1, 2, double.NaN)));
        Throws("outputs", () => FiniteDifference.Jacobian(V, Xv, 0, Array.Empty<double>()));
        Throws("length", () => FiniteDifference.SampleIndices(0, 1, 0));
        Throws("k", () => FiniteDifference.PartialDerivative(Q, [1.0, 1.0, 2.0], 3, DifferenceRule.Central, 0.5));
        Throws("work", () => FiniteDifference.PartialDerivative(Q, [1.0, double.NaN, 2.0], 1, DifferenceRule.Central, 0.5));
        Throws("h", () => FiniteDifference.PartialDerivative(Q, [1.0, 1.0, 2.0], 1, DifferenceRule.Central, 0));
        Throws("h", () => FiniteDifference.PartialDerivative(Q, [1e10, 1.0, 2.0], 0, DifferenceRule.Central, 1e-7));
    }

    [Fact]
    public void A_non_finite_difference_names_the_entry_when_there_is_one()
    {
        var scalar = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Derivative(x => x > 1 ? double.NaN : x, 1.0, DifferenceRule.Central, 1e-3));
        Assert.DoesNotContain("entry", scalar.Message);
        Assert.Contains("x = 1", scalar.Message);
        var entry0 = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Gradient(x => x[0] > 1 ? double.NaN : x[1], [1.0, 2.0], new double[2]));
        Assert.Contains("entry 0 (x = 1)", entry0.Message);
    }
}

using System.Numerics;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>
/// The sweep on f(x) = x⁵ at x = 1 over two steps (0.01, 0.1), where every rule's error is a polynomial in h:
/// forward 10h + 10h² + 5h³ + h⁴, backward 10h − 10h² + 5h³ − h⁴, central 10h² + h⁴, five-point 4h⁴,
/// one Richardson step (4D(h/2) − D(h))/3 = 5 − h⁴/4, complex step Im(1 + ih)⁵/h = 5 − 10h² + h⁴,
/// second difference 20 + 10h² against f'' = 20. At these steps rounding (~1e-14) is far below every one of them.
/// </summary>
public class StepSweepTableTests
{
    private static double P(double x) => Math.Pow(x, 5);
    private static Complex Pc(Complex z) => z * z * z * z * z;

    private static StepSweepResult Sweep() => StepSweep.Run(P, 1.0, 5.0, 20.0, Pc, hMin: 0.01, hMax: 0.1, pointsPerDecade: 1);

    private static void Close(double expected, double actual, double rel = 1e-9) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    public static IEnumerable<object[]> Errors =>
    [
        [SweepMethod.Forward, 1 + 0.1 + 0.005 + 0.0001],
        [SweepMethod.Backward, 1 - 0.1 + 0.005 - 0.0001],
        [SweepMethod.Central, 0.1 + 0.0001],
        [SweepMethod.FivePointCentral, 4e-4],
        [SweepMethod.Richardson, 0.25e-4],
        [SweepMethod.ComplexStep, 0.1 - 0.0001],
        [SweepMethod.SecondCentral, 0.1],
    ];

    [Theory]
    [MemberData(nameof(Errors))]
    public void Error_at_h_0_1_is_the_rule_s_truncation_polynomial(SweepMethod method, double expected)
    {
        var c = Sweep()[method];
        Assert.Equal(2, c.Error.Length);
        Close(expected, c.Error[1], 1e-9);
        // Every error here grows with h, so the best step is the first one (a tie of envelopes keeps the earlier step).
        Assert.True(c.Error[0] < c.Error[1]);
        Assert.Equal(0.01, c.BestStep);
        Assert.Equal(c.Error[0], c.BestError);
    }

    [Fact]
    public void Sweep_records_its_references_and_sources()
    {
        var s = Sweep();
        Assert.Equal([0.01, 0.1], s.Steps);
        Assert.Equal(5.0, s.Reference);
        Assert.Equal("given", s.ReferenceSource);
        Assert.Equal(20.0, s.SecondReference);
        Assert.Equal("given", s.SecondReferenceSource);
        Assert.Equal(7, s.Curves.Count);
        var c = StepSweep.Run(P, 1.0, complexF: Pc, hMin: 0.01, hMax: 0.1, pointsPerDecade: 1);
        Assert.Equal("complex step, h = 1e-20", c.ReferenceSource);
        Close(5.0, c.Reference, 1e-15);
    }

    [Fact]
    public void Theory_steps_scale_with_max_abs_x_and_1()
    {
        // At x = 4 every theory step is 4 times the unit-scale optimum; at x = 0.5 it is the optimum itself.
        var at4 = StepSweep.Run(P, 4.0, 5 * 256.0, 20 * 64.0, hMin: 0.01, hMax: 0.1, pointsPerDecade: 1);
        var at05 = StepSweep.Run(P, 0.5, 5 / 16.0, 20 / 8.0, hMin: 0.01, hMax: 0.1, pointsPerDecade: 1);
        foreach (var m in new[] { SweepMethod.Forward, SweepMethod.Central, SweepMethod.FivePointCentral, SweepMethod.SecondCentral })
        {
            var (h, e) = StepSize.TheoreticalOptimum(m);
            Assert.Equal(4 * h, at4[m].TheoryStep);
            Assert.Equal(h, at05[m].TheoryStep);
            Assert.Equal(e, at4[m].TheoryError);
        }
    }

    [Fact]
    public void Text_table_has_a_caption_a_header_a_rule_and_one_row_per_curve()
    {
        var s = Sweep();
        var lines = s.ToString().Split('\n');
        Assert.StartsWith("Step sweep at x = 1: f'(x) = 5 (given), f''(x) = 20 (given); 2 steps from 0.01 to 0.1", lines[0]);
        string[] headers = ["rule", "best h", "best error", "theory h", "theory error", "best h / theory h"];
        Assert.Equal(headers, Cells(lines[1]));
        Assert.Matches("^-+( {2}-+){5}$", lines[2]);
        Assert.Equal(2 + 1 + 7 + 1, lines.Length); // caption, header, rule, 7 rows, trailing newline
        Assert.Equal("", lines[^1]);

        var central = Cells(lines.Single(l => l.StartsWith("central ")));
        var c = s[SweepMethod.Central];
        Assert.Equal(["central", "1E-02", TextTable.Num(c.BestError), TextTable.Num(c.TheoryStep), TextTable.Num(c.TheoryError),
            (0.01 / Math.Cbrt(3 * StepSize.MachineEpsilon)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)], central);
        // The complex step has no rounding arm, so its ratio is a dash, not a number.
        var complex = Cells(lines.Single(l => l.StartsWith("complex step ")));
        Assert.Equal("—", complex[^1]);
        Assert.Equal(["forward", "backward", "central", "5-point central", "complex step", "Richardson (central, h & h/2)", "2nd derivative, central"],
            lines.Skip(3).Take(7).Select(l => Cells(l)[0]));
        // Columns line up: every line of the table is as wide as the rule under the header.
        Assert.All(lines.Skip(1).Take(9), l => Assert.Equal(lines[2].Length, l.Length));
    }

    [Fact]
    public void Html_table_has_the_same_cells()
    {
        var s = Sweep();
        string html = s.ToHtml();
        Assert.StartsWith("<table class=\"lossnb-table\"><caption>Step sweep at x = 1:", html);
        Assert.Contains("<th>best h / theory h</th>", html);
        Assert.Contains("<td>Richardson (central, h &amp; h/2)</td>", html);
        Assert.Equal(7, html.Split("<tr>").Length - 2); // header row + 7 body rows
    }

    private static string[] Cells(string line) =>
        System.Text.RegularExpressions.Regex.Split(line.Trim(), " {2,}");

    [Fact]
    public void Labels_of_every_method()
    {
        string Label(SweepMethod m) => new SweepCurve(m, [], 0, 0, 0, 0).Label;
        Assert.Equal("forward", Label(SweepMethod.Forward));
        Assert.Equal("backward", Label(SweepMethod.Backward));
        Assert.Equal("central", Label(SweepMethod.Central));
        Assert.Equal("5-point central", Label(SweepMethod.FivePointCentral));
        Assert.Equal("complex step", Label(SweepMethod.ComplexStep));
        Assert.Equal("Richardson (central, h & h/2)", Label(SweepMethod.Richardson));
        Assert.Equal("2nd derivative, central", Label(SweepMethod.SecondCentral));
    }

    [Fact]
    public void A_missing_curve_is_an_argument_error_naming_the_method()
    {
        var s = StepSweep.Run(P, 1.0, 5.0, 20.0, hMin: 0.01, hMax: 0.1, pointsPerDecade: 1);
        Assert.Equal("method", Assert.ThrowsAny<ArgumentException>(() => s[SweepMethod.ComplexStep]).ParamName);
    }

    [Fact]
    public void Non_finite_estimates_are_NaN_errors_and_a_curve_of_only_NaN_has_no_best_step()
    {
        // f is +∞ beyond 1.05: at h = 0.1 every rule but the backward one sees ∞, which is reported as NaN (not ∞).
        static double F(double t) => t < 1.05 ? t * t : double.PositiveInfinity;
        var s = StepSweep.Run(F, 1.0, 2.0, 2.0, hMin: 0.01, hMax: 0.1, pointsPerDecade: 1);
        Assert.True(double.IsNaN(s[SweepMethod.Central].Error[1]));
        Assert.True(double.IsNaN(s[SweepMethod.Forward].Error[1]));
        Assert.False(double.IsNaN(s[SweepMethod.Backward].Error[1]));

        var nan = StepSweep.Run(_ => double.NaN, 1.0, 2.0, 2.0, hMin: 0.01, hMax: 0.1, pointsPerDecade: 1);
        foreach (var c in nan.Curves)
        {
            Assert.True(double.IsNaN(c.BestStep), c.Method.ToString());
            Assert.True(double.IsNaN(c.BestError), c.Method.ToString());
        }
    }

    [Fact]
    public void Best_index_ignores_NaN_and_distrusts_points_next_to_one()
    {
        Assert.Equal(-1, StepSweep.BestIndex([double.NaN, double.NaN], 1));
        Assert.Equal(-1, StepSweep.BestIndex([double.NaN], 1));
        // 0.1 sits next to a NaN, so its envelope is ∞; the flat run of 5s is the best place.
        Assert.Equal(3, StepSweep.BestIndex([0.1, double.NaN, 5, 5, 5], 1));
        // An isolated dip does not win: with w = 1 the envelopes are 3, 3, 3, 3, 2 → the last index.
        Assert.Equal(4, StepSweep.BestIndex([3, 1e-9, 3, 2, 2], 1));
    }

    [Fact]
    public void Log_grid_bounds_are_checked_and_inclusive()
    {
        var g = StepSweep.LogGrid(1e-3, 1e-1, 1);
        Assert.Equal(3, g.Length);
        Assert.Equal(1e-3, g[0]);
        Assert.Equal(1e-2, g[1], 15);
        Assert.Equal(1e-1, g[2], 15);
        Assert.Equal(101, StepSweep.LogGrid(1e-2, 1e-1, 100).Length);
        Assert.Equal("pointsPerDecade", Assert.ThrowsAny<ArgumentException>(() => StepSweep.LogGrid(1e-2, 1e-1, 101)).ParamName);
        Assert.Equal("hMax", Assert.ThrowsAny<ArgumentException>(() => StepSweep.LogGrid(1e-3, 1e-3)).ParamName);
        Assert.Equal("hMin", Assert.ThrowsAny<ArgumentException>(() => StepSweep.LogGrid(0, 1e-1)).ParamName);
        Assert.Equal("hMax", Assert.ThrowsAny<ArgumentException>(() => StepSweep.LogGrid(1e-3, double.PositiveInfinity)).ParamName);
    }

    [Fact]
    public void Run_checks_its_inputs_even_when_both_references_are_given()
    {
        static double Sq(ReadOnlySpan<double> x) => x[0] * x[0] + x[1];
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => StepSweep.Run(Math.Sin, double.NaN, 1.0, 0.0)).ParamName);
        Assert.Equal("secondDerivative", Assert.ThrowsAny<ArgumentException>(() => StepSweep.Run(Math.Sin, 1.0, secondDerivative: double.NaN)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => StepSweep.Run(Sq, [1.0, double.NaN], 0, 2.0, 2.0)).ParamName);
    }

    [Fact]
    public void Loss_sweep_uses_the_loss_s_own_gradient_and_Hessian_diagonal()
    {
        // One row, two classes, scores (0, 0), label 0: p = (½, ½), ∂L/∂z0 = p0 − 1 = −½, ∂²L/∂z0² = p0(1 − p0) = ¼.
        var loss = new SoftmaxCrossEntropy([0], 2);
        var s = StepSweep.Run(loss, [0.0, 0.0], 0, hMin: 0.01, hMax: 0.1, pointsPerDecade: 1);
        Assert.Equal(-0.5, s.Reference, 15);
        Assert.Equal(0.25, s.SecondReference, 15);
        Assert.Contains(s.Curves, c => c.Method == SweepMethod.ComplexStep);

        Assert.Equal("scores", Assert.ThrowsAny<ArgumentException>(() => StepSweep.Run(loss, [0.0, 0.0, 0.0], 0)).ParamName);
        Assert.Equal("k", Assert.ThrowsAny<ArgumentException>(() => StepSweep.Run(loss, [0.0, 0.0], 2)).ParamName);
        Assert.Equal("scores", Assert.ThrowsAny<ArgumentException>(() => StepSweep.Run(loss, [double.NaN, 0.0], 0)).ParamName);
    }
}

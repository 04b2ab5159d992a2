using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using LossNotebooks.Figures;

namespace LossNotebooks.Tests.Figures;

public sealed class FigureBadInputTests
{
    [Fact]
    public void NaN_is_rejected_naming_the_parameter()
    {
        var e = Assert.Throws<ArgumentException>(() => new LineTrace([1, 2], [1, double.NaN]));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("entry 1", e.Message);
    }

    [Fact]
    public void Empty_and_mismatched_series_are_rejected()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new LineTrace([], [])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => new LineTrace([1, 2, 3], [1, 2])).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => new HeatmapTrace([1, 2, 3], 2, 2)).ParamName);
        Assert.Equal("upper", Assert.Throws<ArgumentException>(() => new BandTrace([1, 2], [0, 0], [1])).ParamName);
    }

    [Fact]
    public void Non_positive_value_on_log_axis_is_rejected_by_Add_and_by_ToJson()
    {
        var f = new Figure { YAxis = Axis.Log("error") };
        var e = Assert.Throws<ArgumentException>(() => f.Add(new LineTrace([1, 2], [1e-3, 0])));
        Assert.Equal("trace", e.ParamName);
        Assert.Contains("y[1] = 0", e.Message);

        var g = new Figure();
        g.Add(new LineTrace([0, 1], [1, 2]));
        g.XAxis = Axis.Log("h"); // switched after adding: caught when written
        Assert.Throws<InvalidOperationException>(() => g.ToJson());
    }

    [Fact]
    public void VCurve_drops_zero_errors_with_a_visible_note_and_rejects_negative_ones()
    {
        double[] h = [1e-1, 1e-2, 1e-3];
        var fig = Plots.FiniteDifferenceError([new Series("exact on quadratics", h, [1e-3, 0, 1e-5])]);
        Assert.Equal(2, ((LineTrace)fig.Traces[0]).X.Count);
        Assert.Contains(fig.Notes, n => n.StartsWith("1 point(s) with error exactly 0", StringComparison.Ordinal));
        Assert.Contains("error exactly 0", fig.ToHtml()); // the caption under the plot

        var e = Assert.Throws<ArgumentException>(() => Plots.FiniteDifferenceError([new Series("bad", h, [1e-3, -1, 1e-5])]));
        Assert.Equal("measured", e.ParamName);
        Assert.Contains("measured[0].Y[1]", e.Message);
        Assert.Equal("measured", Assert.Throws<ArgumentException>(() => Plots.FiniteDifferenceError([new Series("nan", h, [1, double.NaN, 1])])).ParamName);
        Assert.Equal("measured", Assert.Throws<ArgumentException>(() => Plots.FiniteDifferenceError([])).ParamName);
        Assert.Equal("measured", Assert.Throws<ArgumentException>(() => Plots.FiniteDifferenceError([new Series("short", h, [1, 2])])).ParamName);
    }

    [Fact]
    public void Builders_name_the_bad_parameter()
    {
        Assert.Equal("numeric", Assert.Throws<ArgumentException>(() => Plots.GradientCheck([1, 2], [1])).ParamName);
        Assert.Equal("analytic", Assert.Throws<ArgumentException>(() => Plots.GradientCheck([], [])).ParamName);
        Assert.Equal("block", Assert.Throws<ArgumentException>(() => Plots.HessianHeatmap([1, 2, 3], 2)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Plots.HessianHeatmap([1, 0, 0, 1], 2, ["only one"])).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentException>(() => Plots.LossSlice1D([0, 1], [1, double.PositiveInfinity])).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentException>(() => Plots.LossLandscape2D([0, 1], [0, 1], [1, 2, 3])).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() =>
            Plots.Convergence([new ConvergenceSeries("m", [0, 1], [1, 0.5], [0.5, 1.5])])).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentException>(() =>
            Plots.StepSizeExplorer(Math.Sin, 0, 1, [0.1, -0.1])).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentException>(() =>
            Plots.StepSizeExplorer(Math.Sin, 0, 1, [0.1, 0.1000001])).ParamName);
    }

    [Fact]
    public void Convergence_on_log_axis_drops_zero_loss_with_note()
    {
        var fig = Plots.Convergence([new ConvergenceSeries("m", [0, 1, 2], [1, 0.1, 0])]);
        Assert.Equal(2, ((LineTrace)fig.Traces[0]).Y.Count);
        Assert.Single(fig.Notes);
        var linear = Plots.Convergence([new ConvergenceSeries("m", [0, 1, 2], [1, 0.1, 0])], logLoss: false);
        Assert.Equal(3, ((LineTrace)linear.Traces[0]).Y.Count);
        Assert.Empty(linear.Notes);
    }

    [Fact]
    public void Frames_must_refer_to_existing_traces_and_have_unique_names()
    {
        var f = new Figure();
        f.Add(new LineTrace([1], [1]));
        Assert.Equal("frame", Assert.Throws<ArgumentException>(() => f.AddFrame(new Frame("a", [new FrameUpdate(3, [1], [1])]))).ParamName);
        f.AddFrame(new Frame("a", [new FrameUpdate(0, [1], [2])]));
        Assert.Equal("frame", Assert.Throws<ArgumentException>(() => f.AddFrame(new Frame("a", [new FrameUpdate(0, [1], [3])]))).ParamName);
        f.Slider = new Slider { Active = 5 };
        Assert.Throws<InvalidOperationException>(() => f.ToJson());
    }

    [Fact]
    public void Explorer_rejects_a_function_that_is_not_finite_near_x0()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.StepSizeExplorer(Math.Log, 0.5, 2, [0.1], DifferenceRule.Central, halfWidth: 1));
        Assert.Equal("f", e.ParamName);
    }
}

public sealed class FigureBuilderTests
{
    [Fact]
    public void Convergence_band_is_one_closed_polygon_in_the_method_colour()
    {
        double[] it = [0, 1, 2];
        var s = new ConvergenceSeries("gd", it, [1, 0.5, 0.25]) { LossLower = [0.9, 0.4, 0.2], LossUpper = [1.1, 0.6, 0.3] };
        var fig = Plots.Convergence([s]);
        var band = Assert.IsType<BandTrace>(fig.Traces[0]);
        Assert.Equal([0.9, 0.4, 0.2], band.Lower);
        using var doc = System.Text.Json.JsonDocument.Parse(fig.ToJson());
        var d = doc.RootElement.GetProperty("data")[0];
        // Forward along the upper bound, back along the lower: x = 0 1 2 2 1 0, y = 1.1 0.6 0.3 0.2 0.4 0.9.
        Assert.Equal([0, 1, 2, 2, 1, 0], d.GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        Assert.Equal([1.1, 0.6, 0.3, 0.2, 0.4, 0.9], d.GetProperty("y").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        Assert.Equal("toself", d.GetProperty("fill").GetString());
        Assert.Equal("rgba(0,114,178,0.2)", d.GetProperty("fillcolor").GetString()); // #0072B2 at 20 %
        Assert.Equal("series", Assert.Throws<ArgumentException>(() =>
            Plots.Convergence([s with { LossUpper = null }])).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() =>
            Plots.Convergence([s with { LossLower = [0.9, 0.7, 0.2] }])).ParamName);
    }

    [Fact]
    public void GradientCheck_plots_differences_against_the_tolerance_and_marks_failures()
    {
        // Tolerance 1e-6 + 1e-4·|n|: entry 0 passes (diff 1e-6 ≤ 1e-6 + 2e-4), entry 1 is exact (diff 0: a note),
        // entry 2 fails (diff 0.5 > 1e-6 + 1e-4·1).
        var fig = Plots.GradientCheck([-2, 3, 1.5], [-2.000001, 3, 1.0]);
        Assert.Equal(AxisType.Log, fig.YAxis.Type);
        var tolerance = Assert.IsType<LineTrace>(fig.Traces[0]);
        Assert.Equal(1e-6 + 1e-4 * 2.000001, tolerance.Y[0], 15);
        var pass = Assert.IsType<LineTrace>(fig.Traces[1]);
        Assert.Equal([0.0], pass.X);
        Assert.Equal(1e-6, pass.Y[0], 12);
        var fail = Assert.IsType<LineTrace>(fig.Traces[2]);
        Assert.Equal("over tolerance", fail.Name);
        Assert.Equal([2.0], fail.X);
        Assert.Equal([0.5], fail.Y);
        Assert.Contains(fig.Notes, n => n.StartsWith("3 entries, 1 over tolerance; max |analytic − numeric| = 0.5", StringComparison.Ordinal));
        Assert.Contains(fig.Notes, n => n.StartsWith("1 entry with analytic = numeric exactly", StringComparison.Ordinal));
        Assert.Equal("tolerance", Assert.Throws<ArgumentException>(() => Plots.GradientCheck([1], [1], tolerance: new CheckTolerance(0, 1e-3))).ParamName);
    }

    [Fact]
    public void GradientCheck_of_a_long_gradient_keeps_the_worst_entry_of_each_run()
    {
        var a = new double[10_000];
        var n = new double[10_000];
        for (int i = 0; i < a.Length; i++) { a[i] = 1; n[i] = 1 + 1e-9 * (1 + i % 7); }
        n[4321] = 1.01; // the one wrong entry
        var fig = Plots.GradientCheck(a, n);
        Assert.Equal(1000, Assert.IsType<LineTrace>(fig.Traces[0]).X.Count);
        var fail = Assert.IsType<LineTrace>(fig.Traces[^1]);
        Assert.Equal([4321.0], fail.X);
        Assert.Contains("worst of each 10", fig.XAxis.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void LossSlice1D_zooms_on_a_jump_too_small_to_see_and_not_on_a_kink()
    {
        var t = Enumerable.Range(0, 201).Select(i => -0.5 + i * 0.005).ToArray();
        // A hinge-like kink at t = -0.2 and a jump of 0.01 at t = 0 on a loss spanning about 1.
        var y = t.Select(v => Math.Max(0, v + 0.2) * 1.5 + (v > 0.001 ? 0.01 : 0)).ToArray();
        var fig = Plots.LossSlice1D(t, y);
        Assert.Equal(2, fig.Rows);
        Assert.Equal("zoom: a jump of 0.01 between t = 0 and 0.005", fig.Panels[1].Title);
        Assert.Contains(fig.Notes, n => n.Contains("the jump between t = 0 and 0.005 is 0.01,", StringComparison.Ordinal));
        // A kink and a jump in the same sample interval (WARP along one score): the jump is still found, at its size.
        var both = Plots.LossSlice1D(t, t.Select(v => 3.3 * Math.Max(0, v) + (v > 0.001 ? 0.0126 : 0)).ToArray());
        Assert.Equal(2, both.Rows);
        Assert.Contains(both.Notes, n => n.Contains("the jump between t = 0 and 0.005 is 0.0126", StringComparison.Ordinal));
        // WARP's case exactly: kink and jump both at t = 0, on the grid. Uniform samples cannot tell it from a kink
        // just left of 0 (the same five numbers fit both), so no zoom; a grid refined around 0 resolves the jump.
        double Warp(double v) => 3.25 * Math.Max(0, v) + (v >= 0 ? 0.01256 : 0);
        Assert.Equal(1, Plots.LossSlice1D(t, t.Select(Warp).ToArray()).Rows);
        var refined = t.Concat(Enumerable.Range(-50, 100).Select(k => k * 0.0002)).Distinct().Order().ToArray();
        var resolved = Plots.LossSlice1D(refined, refined.Select(Warp).ToArray());
        Assert.Equal(2, resolved.Rows);
        Assert.Contains(resolved.Notes, n => n.Contains("the jump between t = ", StringComparison.Ordinal) && n.Contains(" is 0.0119", StringComparison.Ordinal));
        var kinkOnly = Plots.LossSlice1D(t, t.Select(v => Math.Max(0, v + 0.2) * 1.5).ToArray());
        Assert.Equal(1, kinkOnly.Rows);
        Assert.Empty(kinkOnly.Notes);
        var smooth = Plots.LossSlice1D(t, t.Select(v => Math.Exp(2 * v) + v * v).ToArray());
        Assert.Equal(1, smooth.Rows);
    }

    [Fact]
    public void Number_format_reads_like_hand_written_exponents()
    {
        Assert.Equal("1e-8", Plots.Fmt(1e-8));
        Assert.Equal("2.5e-11", Plots.Fmt(2.5e-11));
        Assert.Equal("0.001", Plots.Fmt(1e-3));
        Assert.Equal("1.23e20", Plots.Fmt(1.234e20));
    }
}

using System.Reflection;
using System.Text.Json;
using LossNotebooks.Differentiation;
using LossNotebooks.Figures;

namespace LossNotebooks.Tests.Figures;

public sealed class FigureJsonTests
{
    private static JsonElement Parse(Figure f) => JsonDocument.Parse(f.ToJson()).RootElement;

    private static Figure Explorer() =>
        Plots.StepSizeExplorer(Math.Sin, 1, Math.Cos(1), [0.1, 1e-3, 1e-6, 1e-9], DifferenceRule.Central);

    [Fact]
    public void Plain_figure_has_data_and_layout_but_no_frames()
    {
        var f = new Figure { Title = "t" };
        f.Add(new LineTrace([1, 2, 3], [4, 5, 6]) { Name = "a" });
        var root = Parse(f);
        Assert.Equal(["data", "layout"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(1, root.GetProperty("data").GetArrayLength());
        Assert.Equal("linear", root.GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
    }

    [Fact]
    public void Trace_json_is_exactly_the_hand_written_form()
    {
        // Written by hand from the plotly schema, not produced by the code: fixed order, shortest round-trip doubles.
        var f = new Figure();
        f.Add(new LineTrace([1, 0.1, 1e-8], [2.5, -3, 1e300]) { Name = "a<b" });
        string expected = "{\"type\":\"scatter\",\"name\":\"a\\u003Cb\",\"showlegend\":true,\"xaxis\":\"x\",\"yaxis\":\"y\",\"mode\":\"lines\","
            + "\"x\":[1,0.1,1E-08],\"y\":[2.5,-3,1E+300],\"line\":{\"color\":\"#0072B2\",\"width\":2.5,\"dash\":\"solid\"}}";
        Assert.Equal(expected, Parse(f).GetProperty("data")[0].GetRawText());
    }

    [Fact]
    public void Doubles_round_trip_exactly()
    {
        var rng = new Random(12345);
        var values = new List<double>();
        while (values.Count < 2000)
        {
            double d = BitConverter.Int64BitsToDouble(rng.NextInt64());
            if (double.IsFinite(d)) values.Add(d);
        }
        var x = Enumerable.Range(0, values.Count).Select(i => (double)i).ToArray();
        var f = new Figure();
        f.Add(new LineTrace(x, values.ToArray()));
        var y = Parse(f).GetProperty("data")[0].GetProperty("y").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(values.ToArray(), y);
    }

    [Fact]
    public void Same_figure_gives_identical_bytes_and_a_change_gives_different_bytes()
    {
        byte[] a = Explorer().ToJsonUtf8(), b = Explorer().ToJsonUtf8();
        Assert.Equal(a, b);
        var c = Plots.StepSizeExplorer(Math.Sin, 1, Math.Cos(1), [0.1, 1e-3, 1e-6, 1e-10], DifferenceRule.Central).ToJsonUtf8();
        Assert.NotEqual(a, c);
        // Serialising the same instance twice is stable too.
        var f = Explorer();
        Assert.Equal(f.ToJson(), f.ToJson());
    }

    [Fact]
    public void VCurve_has_log_axes_theory_lines_and_best_h_markers()
    {
        double[] h = [1e-1, 1e-2, 1e-3];
        var fig = Plots.FiniteDifferenceError([new Series("fwd", h, [1e-2, 1e-3, 1e-4])], [new Series("theory", h, [2e-2, 2e-3, 2e-4])]);
        var root = Parse(fig);
        var layout = root.GetProperty("layout");
        Assert.Equal("log", layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());
        var data = root.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength()); // measured with its best-h star, theory (two decades: too narrow for slope guides)
        Assert.Equal(["circle", "circle", "star"], data[0].GetProperty("marker").GetProperty("symbol").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(1e-3, data[0].GetProperty("x")[2].GetDouble());
        Assert.Equal("dash", data[1].GetProperty("line").GetProperty("dash").GetString());
        // The model paired with a rule joins its legend entry: one entry per rule, not one per trace.
        Assert.False(data[1].GetProperty("showlegend").GetBoolean());
        Assert.Equal("fwd", data[1].GetProperty("legendgroup").GetString());
        Assert.True(data[0].GetProperty("showlegend").GetBoolean());
    }

    [Fact]
    public void VCurve_dashes_a_rule_lying_on_another_and_labels_slope_guides_clear_of_the_data()
    {
        var h = StepSweep.LogGrid(1e-16, 1e-1, 4);
        var fwd = h.Select(x => 1e-16 / x + x).ToArray();
        var bwd = fwd.Select(v => v * 1.02).ToArray();              // lies on forward
        var cen = h.Select(x => 1e-16 / x + x * x).ToArray();
        var fig = Plots.FiniteDifferenceError([new Series("forward", h, fwd), new Series("backward", h, bwd), new Series("central", h, cen)]);
        var lines = fig.Traces.OfType<LineTrace>().ToList();
        Assert.Equal(LineDash.Solid, lines.Single(t => t.Name == "forward").Dash);
        Assert.Equal(LineDash.Dash, lines.Single(t => t.Name == "backward").Dash);
        Assert.Equal(LineDash.Solid, lines.Single(t => t.Name == "central").Dash);
        Assert.Contains(fig.Notes, n => n == "backward (dashed) lies on forward at the larger steps");
        Assert.Equal(["slope −1", "slope 1", "slope 2"], fig.Labels.Select(l => l.Text).ToArray());
        var measured = new[] { (h, fwd), (h, bwd), (h, cen) };
        // The three guides are one trace, a segment of two points each, broken between them.
        var guides = lines.Single(t => t.Name == "slope guides");
        Assert.Equal(6, guides.X.Count);
        Assert.Equal([1, 3], guides.BreakAfter);
        double[] slopes = [-1.0, 1, 2];
        for (int j = 0; j < 3; j++)
        {
            double slope = slopes[j];
            double x0 = Math.Log10(guides.X[2 * j]), x1 = Math.Log10(guides.X[2 * j + 1]), y0 = Math.Log10(guides.Y[2 * j]), y1 = Math.Log10(guides.Y[2 * j + 1]);
            Assert.Equal(slope, (y1 - y0) / (x1 - x0), 9);
            foreach (var (xs, ys) in measured)
                for (int i = 0; i < xs.Length; i++)
                {
                    double lx = Math.Log10(xs[i]);
                    if (lx < x0 || lx > x1) continue;
                    Assert.True(Math.Abs(Math.Log10(ys[i]) - (y0 + slope * (lx - x0))) >= 0.5, $"slope {slope} guide passes within half a decade of a curve at h = {xs[i]}");
                }
        }
        Assert.Empty(Plots.FiniteDifferenceError([new Series("forward", h, fwd)], slopes: []).Labels);
    }

    [Fact]
    public void Narrow_log_axes_get_full_1_2_5_tick_labels()
    {
        var f = new Figure { YAxis = Axis.Log("loss") };
        f.Add(new LineTrace([0, 1, 2], [2.3, 0.4, 0.12]));
        var y = Parse(f).GetProperty("layout").GetProperty("yaxis");
        Assert.Equal("array", y.GetProperty("tickmode").GetString());
        Assert.Equal(["0.1", "0.2", "0.5", "1", "2"], y.GetProperty("ticktext").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal([0.1, 0.2, 0.5, 1, 2], y.GetProperty("tickvals").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }

    [Fact]
    public void Name_and_labels_are_written_and_the_opening_frame_must_be_the_drawn_one()
    {
        var f = new Figure { XAxis = Axis.Log("h"), Name = "error-vs-h" };
        f.Add(new LineTrace([1e-3, 1e-1], [1, 2]));
        f.AddFrame(new Frame("a", [new FrameUpdate(0, [1e-3, 1e-1], [1, 2])]));
        f.AddFrame(new Frame("b", [new FrameUpdate(0, [1e-3, 1e-1], [2, 3])]));
        f.Slider = new Slider("h = ");
        f.AddLabel(new TextLabel("here", 1e-2, 1.5));
        var layout = Parse(f).GetProperty("layout");
        Assert.Equal("error-vs-h", layout.GetProperty("meta").GetProperty("lossnbName").GetString());
        Assert.Equal(0, layout.GetProperty("sliders")[0].GetProperty("active").GetInt32());
        var label = layout.GetProperty("annotations")[0];
        Assert.Equal(-2, label.GetProperty("x").GetDouble(), 12); // log axis: the exponent
        Assert.Equal(1.5, label.GetProperty("y").GetDouble());
        // The slider opening on frame "b" while the traces hold frame "a": the picture and the slider would disagree.
        f.Slider = new Slider("h = ") { Active = 1 };
        Assert.Contains("does not hold that frame's data", Assert.Throws<InvalidOperationException>(() => f.ToJson()).Message);
        Assert.Equal("label", Assert.Throws<ArgumentException>(() => f.AddLabel(new TextLabel("bad", 0, 1))).ParamName);
        Assert.Throws<ArgumentException>(() => f.Name = "Error vs h");
    }

    [Fact]
    public void Log_axis_range_is_written_as_exponents()
    {
        var f = new Figure { XAxis = Axis.Log("h") with { Range = (1e-8, 1) } };
        f.Add(new LineTrace([1e-4], [1]));
        var range = Parse(f).GetProperty("layout").GetProperty("xaxis").GetProperty("range");
        Assert.Equal(-8, range[0].GetDouble());
        Assert.Equal(0, range[1].GetDouble());
    }

    [Fact]
    public void Explorer_has_one_frame_per_h_and_a_slider_step_per_frame()
    {
        var root = Parse(Explorer());
        var frames = root.GetProperty("frames");
        Assert.Equal(4, frames.GetArrayLength());
        var slider = root.GetProperty("layout").GetProperty("sliders")[0];
        var steps = slider.GetProperty("steps");
        Assert.Equal(4, steps.GetArrayLength());
        string[] expectedNames = ["0.1", "0.001", "1e-6", "1e-9"];
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(expectedNames[k], frames[k].GetProperty("name").GetString());
            Assert.Equal(expectedNames[k], steps[k].GetProperty("args")[0][0].GetString());
            Assert.Equal("animate", steps[k].GetProperty("method").GetString());
            // Frames update the estimate line (trace 2), the evaluated points (3) and the error marker (5).
            Assert.Equal([2, 3, 5], frames[k].GetProperty("traces").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        }
        // Frame 0 (h = 0.1, central rule on sin at 1): the slope of the estimate line is (sin(1.1) − sin(0.9)) / 0.2.
        var line = frames[0].GetProperty("data")[0];
        double x0 = line.GetProperty("x")[0].GetDouble(), x1 = line.GetProperty("x")[1].GetDouble();
        double y0 = line.GetProperty("y")[0].GetDouble(), y1 = line.GetProperty("y")[1].GetDouble();
        Assert.Equal((Math.Sin(1.1) - Math.Sin(0.9)) / 0.2, (y1 - y0) / (x1 - x0), 1e-12);
        Assert.Equal("log", root.GetProperty("layout").GetProperty("xaxis2").GetProperty("type").GetString());
        Assert.Equal("x2", root.GetProperty("data")[4].GetProperty("xaxis").GetString());
    }

    [Fact]
    public void Convergence_stacks_loss_over_accuracy_with_shared_x()
    {
        double[] it = [0, 1, 2];
        var fig = Plots.Convergence([new ConvergenceSeries("gd", it, [1, 0.5, 0.25], [0.2, 0.5, 0.9])]);
        var layout = Parse(fig).GetProperty("layout");
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Equal("linear", layout.GetProperty("yaxis2").GetProperty("type").GetString());
        Assert.Equal("x", layout.GetProperty("xaxis2").GetProperty("matches").GetString());
        double top0 = layout.GetProperty("yaxis").GetProperty("domain")[0].GetDouble();
        double bottom1 = layout.GetProperty("yaxis2").GetProperty("domain")[1].GetDouble();
        Assert.True(bottom1 < top0, "accuracy panel must sit below the loss panel");
    }

    [Fact]
    public void Hessian_heatmap_is_diverging_and_symmetric_about_zero()
    {
        double[] h = [0.2, -0.1, -0.1, 0.3];
        var data = Parse(Plots.HessianHeatmap(h, 2)).GetProperty("data")[0];
        Assert.Equal("heatmap", data.GetProperty("type").GetString());
        Assert.Equal(-0.3, data.GetProperty("zmin").GetDouble());
        Assert.Equal(0.3, data.GetProperty("zmax").GetDouble());
        Assert.Equal(0, data.GetProperty("zmid").GetDouble());
        Assert.Equal(-0.1, data.GetProperty("z")[1][0].GetDouble());
    }

    [Fact]
    public void Formatter_source_is_found_by_attribute_name_and_yields_three_mime_types()
    {
        // The kernel matches the attribute by NAME, so look it up the same way.
        var attr = typeof(Figure).GetCustomAttributes(inherit: true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attr.GetType().GetProperty("FormatterSourceType")!.GetValue(attr)!;
        Assert.Equal(typeof(FigureFormatterSource), sourceType);
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = ((System.Collections.IEnumerable)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).Cast<object>().ToList();
        var fig = Explorer();
        var outputs = new Dictionary<string, string>();
        foreach (var fmt in formatters)
        {
            var mime = (string)fmt.GetType().GetProperty("MimeType")!.GetValue(fmt)!;
            using var w = new StringWriter();
            Assert.True((bool)fmt.GetType().GetMethod("Format")!.Invoke(fmt, [fig, w])!);
            Assert.False((bool)fmt.GetType().GetMethod("Format")!.Invoke(fmt, ["not a figure", new StringWriter()])!);
            outputs[mime] = w.ToString();
        }
        Assert.Equal(["application/vnd.plotly.v1+json", "text/html", "text/plain"], outputs.Keys.Order().ToArray());
        Assert.Equal(fig.ToJson(), outputs["application/vnd.plotly.v1+json"]);
        Assert.Contains("4 frames with slider", outputs["text/plain"]);
        Assert.Contains("log \"step size h\"", outputs["text/plain"]);
        Assert.Contains("Plotly.newPlot", outputs["text/html"]);
    }
}

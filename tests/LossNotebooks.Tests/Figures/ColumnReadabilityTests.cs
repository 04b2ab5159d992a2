using System.Text.Json;
using LossNotebooks.Differentiation;
using LossNotebooks.Figures;

namespace LossNotebooks.Tests.Figures;

/// <summary>
/// Figures read in an 800-px blog column: log axes label decades only, no panel holds more than
/// <see cref="HouseStyle.MaxTracesPerPanel"/> traces, notes stay out of the plot, jumps are breaks with
/// open/filled ends, and a slider's static image is its opening frame.
/// </summary>
public class ColumnReadabilityTests
{
    private static JsonElement Parse(Figure f) => JsonDocument.Parse(f.ToJson()).RootElement;

    /// <summary>Traces per panel, counted from the figure JSON by the axis pair each trace is drawn on.</summary>
    internal static Dictionary<string, int> TracesPerPanel(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("data").EnumerateArray()
            .Where(t => !t.TryGetProperty("visible", out var v) || v.ValueKind != JsonValueKind.False)
            .GroupBy(t => (t.TryGetProperty("xaxis", out var x) ? x.GetString() : "x") + "/" + (t.TryGetProperty("yaxis", out var y) ? y.GetString() : "y"))
            .ToDictionary(g => g.Key, g => g.Count());
    }

    [Fact]
    public void Wide_log_axes_label_decades_only_with_minor_ticks_unlabelled()
    {
        var f = new Figure(2, 1);
        f.Panels[0].XAxis = Axis.Log("h");
        f.Panels[0].YAxis = Axis.Log("error");
        f.Panels[1].XAxis = Axis.Log("h");
        f.Add(new LineTrace([1e-16, 1e-8, 1e-1], [0.5, 1e-7, 2e-3]));       // x: 15 decades, y: 6.7 decades
        f.Add(new LineTrace([1e-4, 1e-2], [1, 2]) { Panel = 1 });             // x: 2 decades exactly
        var layout = Parse(f).GetProperty("layout");
        foreach (var (key, dtick) in new[] { ("xaxis", 2.0), ("yaxis", 1.0), ("xaxis2", 1.0) })
        {
            var a = layout.GetProperty(key);
            Assert.Equal("power", a.GetProperty("exponentformat").GetString());
            Assert.Equal("linear", a.GetProperty("tickmode").GetString());
            Assert.Equal(0, a.GetProperty("tick0").GetDouble());
            // Whole decades only: plotly's "D1"/"D2" (labels 2 and 5 between decades) must never be chosen.
            Assert.Equal(dtick, a.GetProperty("dtick").GetDouble());
            Assert.False(a.TryGetProperty("tickvals", out _), key);
        }
        // At most MaxLogLabels labels: 15 decades at dtick 2 give 8.
        Assert.True(15 / 2 + 1 <= HouseStyle.MaxLogLabels);
        // Minor ticks (unlabelled by plotly) where labels are every decade.
        Assert.Equal("outside", layout.GetProperty("yaxis").GetProperty("minor").GetProperty("ticks").GetString());
        Assert.False(layout.GetProperty("yaxis").GetProperty("minor").TryGetProperty("showticklabels", out _));
        // A linear axis is left to plotly.
        Assert.False(layout.GetProperty("yaxis2").TryGetProperty("dtick", out _));
    }

    [Fact]
    public void Notes_are_a_caption_outside_the_plot()
    {
        var f = new Figure { Title = "Loss", XAxis = Axis.Linear("t") };
        f.Add(new LineTrace([0, 1], [1, 2]));
        f.AddNote("3 points dropped");
        string json = f.ToJson();
        Assert.DoesNotContain("3 points dropped", json);
        Assert.Equal("Loss", Parse(f).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Contains("<p class=\"lossnb-caption\"", f.ToHtml());
        Assert.Contains("3 points dropped</p>", f.ToHtml());
        Assert.Contains("note: 3 points dropped", f.ToString());
    }

    /// <summary>The figures the notebooks build, with the notebooks' shapes (rules, models, panels).</summary>
    public static TheoryData<string> NotebookShapedFigures() => new(Shapes.Keys);

    private static readonly Dictionary<string, Func<Figure>> Shapes = new()
    {
        // 00: the sweep of every first-derivative rule (six), no models.
        ["00 V-curve"] = () =>
        {
            var h = StepSweep.LogGrid(1e-16, 1e-1, 4);
            return Plots.FiniteDifferenceError(Enumerable.Range(0, 6).Select(k => new Series($"rule {k}", h, h.Select(x => 1e-16 / x + Math.Pow(x, 1 + k % 3)).ToArray())).ToArray());
        },
        // 04: six measured rules, four with dashed models.
        ["04 V-curve with models"] = () =>
        {
            var h = StepSweep.LogGrid(1e-16, 1e-1, 4);
            var rules = Enumerable.Range(0, 6).Select(k => new Series($"rule {k}", h, h.Select(x => 1e-16 / x + Math.Pow(x, 1 + k % 3)).ToArray())).ToArray();
            var models = Enumerable.Range(0, 4).Select(k => new Series($"model {k}", h, h.Select(x => 1e-16 / x + Math.Pow(x, 1 + k % 3)).ToArray())).ToArray();
            return Plots.FiniteDifferenceError(rules, models);
        },
        ["04 step-size explorer"] = () => Plots.StepSizeExplorer(Math.Exp, 1.0, Math.E, StepSweep.LogGrid(1e-15, 1e-1, 2), DifferenceRule.Forward, halfWidth: 0.5),
        ["06 slice with a jump"] = () => Plots.LossSlice1D(Grid(), t => 3.25 * Math.Max(0, t) + (t >= 0 ? 0.01256 : 0)),
        // 05: six optimisers on one budget: two columns of panels, three methods each.
        ["05 convergence, six methods"] = () => Plots.Convergence(Enumerable.Range(0, 6).Select(k => new ConvergenceSeries($"m{k}", [1, 2, 3], [1, 0.5, 0.2 + k / 10.0], [0.3, 0.5, 0.7])).ToList()),
        ["08 convergence, three runs"] = () => Plots.Convergence(Enumerable.Range(0, 3).Select(k => new ConvergenceSeries($"m{k}", [1, 2, 3], [1, 0.5, 0.2 + k / 10.0], [0.3, 0.5, 0.7])).ToList()),
    };

    private static double[] Grid() =>
        Enumerable.Range(0, 201).Select(i => -0.5 + i * 0.005).Concat(Enumerable.Range(-50, 100).Select(k => k * 0.0002)).Distinct().Order().ToArray();

    [Theory]
    [MemberData(nameof(NotebookShapedFigures))]
    public void No_panel_holds_more_than_five_traces(string shape)
    {
        var counts = TracesPerPanel(Shapes[shape]().ToJson());
        Assert.All(counts, c => Assert.True(c.Value <= HouseStyle.MaxTracesPerPanel, $"{shape}: panel {c.Key} has {c.Value} traces"));
    }

    [Fact]
    public void The_V_curve_keeps_every_rule_and_model_across_its_panels()
    {
        var fig = Shapes["04 V-curve with models"]();
        Assert.Equal(3, fig.Rows);
        var lines = fig.Traces.OfType<LineTrace>().ToList();
        // Six rules, each with its best step starred on its own line; four models; one guide trace per panel.
        Assert.Equal(6, lines.Count(l => l.Name!.StartsWith("rule", StringComparison.Ordinal) && l.StarAt is not null));
        Assert.Equal(4, lines.Count(l => l.Name!.StartsWith("model", StringComparison.Ordinal)));
        // A model sits in its rule's panel.
        for (int k = 0; k < 4; k++)
            Assert.Equal(lines.Single(l => l.Name == $"rule {k}").Panel, lines.Single(l => l.Name == $"model {k}").Panel);
        // The star is the smallest error of the rule, drawn as a "star" symbol at that point.
        var rule = lines.Single(l => l.Name == "rule 1");
        Assert.Equal(rule.Y.Min(), rule.Y[rule.StarAt!.Value]);
        var written = Parse(fig).GetProperty("data")[fig.Traces.ToList().IndexOf(rule)].GetProperty("marker").GetProperty("symbol");
        Assert.Equal("star", written[rule.StarAt.Value].GetString());
        Assert.Equal(1, written.EnumerateArray().Count(s => s.GetString() == "star"));
    }

    [Fact]
    public void A_jump_is_a_break_with_the_value_end_filled_and_the_limit_end_open()
    {
        // Jump at t = 0 of size 0.01256; the value at 0 belongs to the right side (t >= 0).
        var fig = Plots.LossSlice1D(Grid(), t => 3.25 * Math.Max(0, t) + (t >= 0 ? 0.01256 : 0), markAt: null);
        Assert.Equal(2, fig.Rows);
        Assert.Equal("zoom: a jump of 0.0126 at t = 0", fig.Panels[1].Title);
        Assert.Contains(fig.Notes, n => n.StartsWith("the jump at t = 0 is 0.0126,", StringComparison.Ordinal));
        var data = Parse(fig).GetProperty("data");
        // The loss line: a null y right where t passes 0, nothing steep drawn across it.
        var y = data[0].GetProperty("y").EnumerateArray().ToList();
        var x = data[0].GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToList();
        int gap = y.FindIndex(v => v.ValueKind == JsonValueKind.Null);
        Assert.True(gap > 0, "no null in the loss line");
        Assert.Single(y, v => v.ValueKind == JsonValueKind.Null);
        Assert.Equal(0, x[gap - 1], 12);
        Assert.Equal(0, x[gap + 1], 12);
        Assert.Equal(0, y[gap - 1].GetDouble(), 12);          // left limit
        Assert.Equal(0.01256, y[gap + 1].GetDouble(), 12);    // right value
        // Ends: the filled marker at the value the loss takes at 0 (right side), the open one (white inside) at the left limit.
        var held = data.EnumerateArray().First(t => t.GetProperty("name").GetString() == "value at the jump");
        var open = data.EnumerateArray().First(t => t.GetProperty("name").GetString() == "limit not taken");
        Assert.Equal(0.01256, held.GetProperty("y")[0].GetDouble(), 12);
        Assert.Equal(HouseStyle.Color(0), held.GetProperty("marker").GetProperty("color").GetString());
        Assert.Equal(0, open.GetProperty("y")[0].GetDouble(), 12);
        Assert.Equal("#ffffff", open.GetProperty("marker").GetProperty("color").GetString());
        Assert.Equal(HouseStyle.Color(0), open.GetProperty("marker").GetProperty("line").GetProperty("color").GetString());

        // The mirror case: the value at 0 on the left (t > 0 jumps), so the left end is the filled one.
        var mirror = Plots.LossSlice1D(Grid(), t => 3.25 * Math.Max(0, t) + (t > 0 ? 0.01256 : 0), markAt: null);
        var m = Parse(mirror).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(0, m.First(t => t.GetProperty("name").GetString() == "value at the jump").GetProperty("y")[0].GetDouble(), 12);
        Assert.Equal(0.01256, m.First(t => t.GetProperty("name").GetString() == "limit not taken").GetProperty("y")[0].GetDouble(), 12);
    }

    [Fact]
    public void A_slider_figure_draws_its_opening_frame_and_no_other()
    {
        var steps = StepSweep.LogGrid(1e-15, 1e-1, 2);
        var fig = Plots.StepSizeExplorer(Math.Exp, 1.0, Math.E, steps, DifferenceRule.Forward, halfWidth: 0.5);
        var root = Parse(fig);
        int active = root.GetProperty("layout").GetProperty("sliders")[0].GetProperty("active").GetInt32();
        Assert.False(root.GetProperty("layout").TryGetProperty("meta", out _)); // no separate "static frame"
        var frame = root.GetProperty("frames")[active];
        // Every trace the opening frame updates already holds that frame's data, and the title is the frame's.
        var traces = frame.GetProperty("traces").EnumerateArray().Select(e => e.GetInt32()).ToList();
        for (int i = 0; i < traces.Count; i++)
            Assert.Equal(frame.GetProperty("data")[i].GetProperty("y").GetRawText(), root.GetProperty("data")[traces[i]].GetProperty("y").GetRawText());
        Assert.Equal(frame.GetProperty("layout").GetProperty("title").GetProperty("text").GetString(),
            root.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        // openStep moves the opening frame (and so the static image) to the step nearest it.
        var atTenth = Plots.StepSizeExplorer(Math.Exp, 1.0, Math.E, steps, DifferenceRule.Forward, halfWidth: 0.5, openStep: 0.1);
        Assert.Equal(0.1, steps[atTenth.Slider!.Active], 12);
        Assert.StartsWith("Step-size explorer<br><span style=\"font-size:14px\">h = 0.1:", atTenth.Title, StringComparison.Ordinal);
        Assert.Equal("openStep", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Plots.StepSizeExplorer(Math.Exp, 1.0, Math.E, steps, openStep: -1)).ParamName);
    }
}

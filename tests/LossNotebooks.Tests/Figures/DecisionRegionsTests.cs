using System.Text.Json;
using LossNotebooks.Figures;

namespace LossNotebooks.Tests.Figures;

public sealed class DecisionRegionsTests
{
    private static JsonElement Parse(Figure f) => JsonDocument.Parse(f.ToJson()).RootElement;

    // A 3×2 grid (x = 0, 1; y = 0, 1, 2) and three labelled points, two classes.
    private static Figure Small() => Plots.DecisionRegions([0, 1], [0, 1, 2], [0, 1, 1, 1, 0, 0], [0.1, 0.2, 0.9, 1.1, 0.5, 1.9], [0, 1, 0], ["a", "b"]);

    [Fact]
    public void Region_trace_json_is_exactly_the_hand_written_form()
    {
        // Written by hand from the plotly schema: z rows are y values, a stepwise colour scale puts category k on palette
        // colour k over [k/K, (k+1)/K], and zmin/zmax = −0.5, K − 0.5 centre each integer in its step.
        string expected = "{\"type\":\"heatmap\",\"name\":\"predicted class\",\"showlegend\":false,\"xaxis\":\"x\",\"yaxis\":\"y\","
            + "\"x\":[0,1],\"y\":[0,1,2],\"z\":[[0,1],[1,1],[0,0]],"
            + "\"colorscale\":[[0,\"#0072B2\"],[0.5,\"#0072B2\"],[0.5,\"#D55E00\"],[1,\"#D55E00\"]],"
            + "\"zmin\":-0.5,\"zmax\":1.5,\"showscale\":false,\"hoverinfo\":\"skip\",\"opacity\":0.3}";
        Assert.Equal(expected, Parse(Small()).GetProperty("data")[0].GetRawText());
    }

    [Fact]
    public void Points_are_one_marker_trace_per_class_in_the_region_colour_of_that_class()
    {
        var data = Parse(Small()).GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());
        var a = data[1];
        Assert.Equal("a", a.GetProperty("name").GetString());
        Assert.Equal("markers", a.GetProperty("mode").GetString());
        Assert.Equal([0.1, 0.5], a.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        Assert.Equal([0.2, 1.9], a.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        Assert.Equal("#0072B2", a.GetProperty("marker").GetProperty("color").GetString());
        Assert.Equal("#D55E00", data[2].GetProperty("marker").GetProperty("color").GetString());
    }

    [Fact]
    public void Continuous_heatmaps_keep_their_colour_bar_and_no_opacity()
    {
        var f = new Figure();
        f.Add(new HeatmapTrace([1, 2, 3, 4], 2, 2));
        var h = Parse(f).GetProperty("data")[0];
        Assert.True(h.TryGetProperty("colorbar", out _));
        Assert.False(h.TryGetProperty("opacity", out _));
        Assert.False(h.TryGetProperty("showscale", out _));
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("predicted", Assert.ThrowsAny<ArgumentException>(() =>
            Plots.DecisionRegions([0, 1], [0], [0, 2], [0, 0], [0], ["a", "b"])).ParamName);
        Assert.Equal("predicted", Assert.ThrowsAny<ArgumentException>(() =>
            Plots.DecisionRegions([0, 1], [0], [0], [0, 0], [0], ["a", "b"])).ParamName);
        Assert.Equal("labels", Assert.ThrowsAny<ArgumentException>(() =>
            Plots.DecisionRegions([0, 1], [0], [0, 1], [0, 0], [-1], ["a", "b"])).ParamName);
        Assert.Equal("points", Assert.ThrowsAny<ArgumentException>(() =>
            Plots.DecisionRegions([0, 1], [0], [0, 1], [0, double.NaN], [0], ["a", "b"])).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => new HeatmapTrace([0, 0.5], 1, 2) { Categories = 2 }).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => new HeatmapTrace([0, 2], 1, 2) { Categories = 2 }).ParamName);
        Assert.Equal("Opacity", Assert.Throws<ArgumentOutOfRangeException>(() => new HeatmapTrace([0, 1], 1, 2) { Opacity = 0 }).ParamName);
    }
}

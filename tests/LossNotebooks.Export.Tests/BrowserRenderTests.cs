using System.Text.Json;
using LossNotebooks.Differentiation;
using LossNotebooks.Figures;
using Microsoft.Playwright;

namespace LossNotebooks.Export.Tests;

/// <summary>
/// Each figure kind drawn by plotly.js in headless Chromium; assertions read what was DRAWN (DOM) and what plotly
/// resolved (gd._fullLayout / gd._fullData), not our own JSON.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserRenderTests(ExporterFixture fixture)
{
    private async Task<JsonElement> Inspect(Figure figure, string script, Func<IPage, Task>? act = null)
    {
        var page = await fixture.Exporter.OpenAsync(figure);
        try
        {
            if (act is not null) await act(page);
            string json = await page.EvaluateAsync<string>("() => { const gd = document.getElementById('figure'); return JSON.stringify((" + script + ")(gd)); }");
            return JsonDocument.Parse(json).RootElement;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private const string Common = """
        gd => ({
          traces: gd.data.length,
          drawn: gd.querySelectorAll('.scatterlayer .trace').length,
          xtype: gd._fullLayout.xaxis.type, ytype: gd._fullLayout.yaxis.type,
          x2type: gd._fullLayout.xaxis2 ? gd._fullLayout.xaxis2.type : null,
          y2type: gd._fullLayout.yaxis2 ? gd._fullLayout.yaxis2.type : null,
          subplots: Array.from(gd.querySelectorAll('.cartesianlayer > g.subplot')).map(g => g.getAttribute('class')),
          legendItems: gd.querySelectorAll('.legend .traces').length,
          points: Array.from(gd.querySelectorAll('.scatterlayer .trace')).map(t => t.querySelectorAll('.point').length),
          title: gd._fullLayout.title.text,
          fills: gd.querySelectorAll('.scatterlayer .trace path.js-fill').length,
          types: gd._fullData.map(t => t.type),
        })
        """;

    [Fact]
    public async Task VCurve_draws_five_traces_on_log_log_axes()
    {
        var r = await Inspect(SampleFigures.VCurve(), Common);
        // Per rule its measured line (the best-h star is a marker of that line) and its error model, then one trace of
        // dotted slope guides: 2 + 2 + 1, the most one panel of a blog figure holds.
        int traces = r.GetProperty("traces").GetInt32();
        Assert.Equal(5, traces);
        Assert.Equal(traces, r.GetProperty("drawn").GetInt32());
        Assert.Equal("log", r.GetProperty("xtype").GetString());
        Assert.Equal("log", r.GetProperty("ytype").GetString());
        // 15 step sizes per rule (no zero errors in this sample); models and guides are lines without markers.
        var points = r.GetProperty("points").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal([15, 0, 15, 0, 0], points);
        // One legend entry per rule: a rule's error model shares its rule's entry (legend group).
        Assert.Equal(2, r.GetProperty("legendItems").GetInt32());
    }

    [Fact]
    public async Task Convergence_draws_two_stacked_subplots()
    {
        var r = await Inspect(SampleFigures.Convergence(), Common);
        Assert.Equal(["subplot xy", "subplot x2y2"], r.GetProperty("subplots").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("log", r.GetProperty("ytype").GetString());
        Assert.Equal("linear", r.GetProperty("y2type").GetString());
        Assert.Equal(5, r.GetProperty("drawn").GetInt32()); // band + 2 loss lines + 2 accuracy lines
        Assert.Equal(2, r.GetProperty("legendItems").GetInt32()); // one entry per method
        Assert.Equal(1, r.GetProperty("fills").GetInt32());
    }

    [Fact]
    public async Task GradientCheck_draws_every_entry_and_the_tolerance_line()
    {
        var r = await Inspect(SampleFigures.GradientCheck(), Common);
        Assert.Equal(2, r.GetProperty("drawn").GetInt32()); // tolerance line, entries within it (none fails)
        Assert.Equal(40, r.GetProperty("points")[1].GetInt32());
        Assert.Equal("linear", r.GetProperty("xtype").GetString());
        Assert.Equal("log", r.GetProperty("ytype").GetString());
    }

    [Fact]
    public async Task Hessian_draws_a_heatmap_with_a_colour_bar_centred_at_zero()
    {
        var h = SampleFigures.SoftmaxHessian(out int c);
        double absMax = h.Max(Math.Abs);
        var r = await Inspect(SampleFigures.Hessian(), """
            gd => ({
              type: gd._fullData[0].type,
              images: gd.querySelectorAll('.heatmaplayer image, .hm image').length,
              colorbar: gd.querySelectorAll('.colorbar').length,
              zmin: gd._fullData[0].zmin, zmax: gd._fullData[0].zmax,
              xtype: gd._fullLayout.xaxis.type,
              yrange: gd._fullLayout.yaxis.range,
              labels: Array.from(gd.querySelectorAll('.xtick text')).map(t => t.textContent),
              cellTexts: gd.querySelectorAll('.heatmaplayer text, .hm text').length,
            })
            """);
        Assert.Equal("heatmap", r.GetProperty("type").GetString());
        Assert.True(r.GetProperty("images").GetInt32() >= 1, "the heatmap image was not drawn");
        Assert.Equal(1, r.GetProperty("colorbar").GetInt32());
        Assert.Equal(-absMax, r.GetProperty("zmin").GetDouble(), 15);
        Assert.Equal(absMax, r.GetProperty("zmax").GetDouble(), 15);
        Assert.Equal("category", r.GetProperty("xtype").GetString());
        Assert.Equal(["cat", "dog", "bird", "fish"], r.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray());
        var yr = r.GetProperty("yrange");
        Assert.True(yr[0].GetDouble() > yr[1].GetDouble(), "row 0 must be at the top (reversed y)");
        Assert.Equal(c * c, r.GetProperty("cellTexts").GetInt32());
    }

    [Fact]
    public async Task Slice1D_draws_the_curve_and_the_marked_point()
    {
        var r = await Inspect(SampleFigures.Slice1D(), Common);
        Assert.Equal(2, r.GetProperty("drawn").GetInt32());
        Assert.Equal(1, r.GetProperty("points")[1].GetInt32());
    }

    [Fact]
    public async Task Landscape2D_draws_filled_contours_and_the_path()
    {
        var r = await Inspect(SampleFigures.Landscape2D(), """
            gd => ({
              types: gd._fullData.map(t => t.type),
              contourPaths: gd.querySelectorAll('.contourlayer path').length,
              pathPoints: gd.querySelectorAll('.scatterlayer .trace')[0].querySelectorAll('.point').length,
              colorbar: gd.querySelectorAll('.colorbar').length,
            })
            """);
        Assert.Equal(["contour", "scatter", "scatter"], r.GetProperty("types").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.True(r.GetProperty("contourPaths").GetInt32() > 5, "contours were not drawn");
        Assert.Equal(5, r.GetProperty("pathPoints").GetInt32());
        Assert.Equal(1, r.GetProperty("colorbar").GetInt32());
    }

    private const string ExplorerState = """
        gd => ({
          sliders: gd.querySelectorAll('.slider-container').length,
          steps: gd._fullLayout.sliders[0].steps.length,
          frames: gd._transitionData._frames.length,
          active: gd._fullLayout.sliders[0].active,
          pointsX: gd.data[3].x,
          markerX: gd.data[5].x,
          title: gd._fullLayout.title.text,
          xtype2: gd._fullLayout.xaxis2.type,
        })
        """;

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public async Task Explorer_opens_on_the_best_h_and_has_a_slider_with_a_step_per_frame()
    {
        var steps = SampleFigures.ExplorerSteps;
        // Independent expectation: the forward rule's error for exp at 0.5, smallest over the steps.
        var errors = steps.Select(h => Math.Abs((Math.Exp(0.5 + h) - Math.Exp(0.5)) / h - Math.Exp(0.5))).ToArray();
        int best = Array.IndexOf(errors, errors.Min());
        var r = await Inspect(SampleFigures.Explorer(), ExplorerState);
        Assert.Equal(1, r.GetProperty("sliders").GetInt32());
        Assert.Equal(steps.Length, r.GetProperty("steps").GetInt32());
        Assert.Equal(steps.Length, r.GetProperty("frames").GetInt32());
        Assert.Equal(best, r.GetProperty("active").GetInt32());
        Assert.Equal([0.5, 0.5 + steps[best]], Doubles(r.GetProperty("pointsX")));
        Assert.Equal("log", r.GetProperty("xtype2").GetString());
    }

    [Fact]
    public async Task Explorer_animate_to_a_frame_changes_the_data_and_title()
    {
        var r = await Inspect(SampleFigures.Explorer(), ExplorerState, page => page.EvaluateAsync(
            "() => Plotly.animate(document.getElementById('figure'), ['0.0001'], { mode: 'immediate', frame: { duration: 0, redraw: true }, transition: { duration: 0 } })"));
        Assert.Equal([0.5, 0.5 + 1e-4], Doubles(r.GetProperty("pointsX")));
        Assert.Equal([1e-4], Doubles(r.GetProperty("markerX")));
        Assert.Contains("h = 0.0001", r.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Explorer_dragging_the_slider_to_the_left_end_shows_the_first_frame()
    {
        var r = await Inspect(SampleFigures.Explorer(), ExplorerState, async page =>
        {
            var grip = await page.QuerySelectorAsync(".slider-grip-rect") ?? throw new Xunit.Sdk.XunitException("no slider grip drawn");
            var rail = await page.QuerySelectorAsync(".slider-rail-rect") ?? throw new Xunit.Sdk.XunitException("no slider rail drawn");
            var g = (await grip.BoundingBoxAsync())!;
            var b = (await rail.BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(g.X + g.Width / 2, g.Y + g.Height / 2);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(b.X + 1, g.Y + g.Height / 2, new MouseMoveOptions { Steps = 10 });
            await page.Mouse.UpAsync();
            await page.WaitForFunctionAsync("() => document.getElementById('figure').data[3].x[1] === 1.5", null, new PageWaitForFunctionOptions { Timeout = 10000 });
        });
        Assert.Equal(0, r.GetProperty("active").GetInt32());
        Assert.Equal([0.5, 1.5], Doubles(r.GetProperty("pointsX"))); // forward rule at h = 1: x0 and x0 + h
        Assert.Contains("h = 1:", r.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Notebook_fragments_share_one_inline_bundle_and_both_draw()
    {
        var source = PlotlyJsSource.Inline(File.ReadAllText(fixture.Exporter.PlotlyJsPath));
        string html;
        lock (typeof(FigureHtml))
        {
            FigureHtml.ResetInlineBundle();
            html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
                + FigureHtml.Fragment(SampleFigures.Slice1D(), source) + FigureHtml.Fragment(SampleFigures.Explorer(), source) + "</body></html>";
            FigureHtml.ResetInlineBundle();
        }
        Assert.Equal(1, html.Split($"plotly.js v{PlotlyJsSource.Version}").Length - 1);
        var page = await fixture.Exporter.OpenHtmlAsync(html);
        try
        {
            await page.WaitForFunctionAsync("() => document.querySelectorAll('.lossnb-figure.js-plotly-plot .main-svg').length >= 2 && document.querySelectorAll('.lossnb-figure')[1]._transitionData._frames.length === 9",
                null, new PageWaitForFunctionOptions { Timeout = 20000 });
            int traces = await page.EvaluateAsync<int>("() => document.querySelectorAll('.lossnb-figure')[1].data.length");
            Assert.Equal(6, traces);
        }
        finally { await page.CloseAsync(); }
    }

    [Fact]
    public async Task Cdn_fragment_offline_shows_a_message_instead_of_hanging()
    {
        string html = "<!DOCTYPE html><html><head></head><body>" + FigureHtml.Fragment(SampleFigures.Slice1D(), PlotlyJsSource.Cdn()) + "</body></html>";
        var page = await fixture.Exporter.OpenHtmlAsync(html);
        try
        {
            await page.WaitForFunctionAsync("() => document.querySelector('.lossnb-figure').textContent.startsWith('Figure not drawn')", null,
                new PageWaitForFunctionOptions { Timeout = 20000 });
            string text = await page.EvaluateAsync<string>("() => document.querySelector('.lossnb-figure').textContent");
            Assert.Contains("PlotlyJsSource.FromNodeModules()", text);
        }
        finally { await page.CloseAsync(); }
    }
}

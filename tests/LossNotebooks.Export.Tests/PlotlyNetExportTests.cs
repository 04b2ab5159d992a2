using System.Buffers.Binary;
using System.Text.Json;
using System.Xml.Linq;
using LossNotebooks.Figures;
using Microsoft.Playwright;
using Plotly.NET.CSharp;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace LossNotebooks.Export.Tests;

/// <summary>
/// The Plotly.NET route: a chart built with Plotly.NET's C# API (in a normal .NET process FSharp.Core 10.1 resolves, no
/// shim needed), its figure JSON exported by the project's exporter offline, and what plotly.js drew read back.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlotlyNetExportTests(ExporterFixture fixture)
{
    private static readonly double[] H = Enumerable.Range(1, 12).Select(i => Math.Pow(10, -i)).ToArray();

    private static double[] ForwardErrors() => H.Select(h => Math.Abs((Math.Sin(1 + h) - Math.Sin(1)) / h - Math.Cos(1))).ToArray();

    private static double[] CentralErrors() => H.Select(h => Math.Abs((Math.Sin(1 + h) - Math.Sin(1 - h)) / (2 * h) - Math.Cos(1))).ToArray();

    /// <summary>Forward (line) and central (markers) difference errors of d/dx sin at 1 on log–log axes, 640×420.</summary>
    private static Plotly.NET.GenericChart BuildChart() =>
        PlotlyChart.Combine(new[]
            {
                PlotlyChart.Line<double, double, string>(x: H, y: ForwardErrors(), Name: "forward"),
                PlotlyChart.Point<double, double, string>(x: H, y: CentralErrors(), Name: "central"),
            })
            .WithXAxisStyle<double, double, string>(TitleText: "step size h", AxisType: Plotly.NET.StyleParam.AxisType.Log)
            .WithYAxisStyle<double, double, string>(TitleText: "|estimate − exact|", AxisType: Plotly.NET.StyleParam.AxisType.Log)
            .WithSize(Width: 640, Height: 420);

    private static string Json() => Plotly.NET.GenericChart.toFigureJson(BuildChart());

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public async Task Plotly_NET_chart_json_is_drawn_from_a_self_contained_page_offline()
    {
        string json = Json();
        string html = FigureExporter.StandaloneHtml(json, "Plotly.NET chart", fixture.Exporter.PlotlyJsPath);
        Assert.Contains($"plotly.js v{PlotlyJsSource.Version}", html); // the bundle is inlined
        Assert.DoesNotContain("<script src=", html);
        var page = await fixture.Exporter.OpenJsonAsync(json); // the browser context is offline
        try
        {
            string state = await page.EvaluateAsync<string>("""
                () => {
                  const gd = document.getElementById('figure');
                  return JSON.stringify({
                    drawn: gd.querySelectorAll('.scatterlayer .trace').length,
                    modes: gd._fullData.map(t => t.mode),
                    xtype: gd._fullLayout.xaxis.type, ytype: gd._fullLayout.yaxis.type,
                    xtitle: gd.querySelector('.g-xtitle text').textContent,
                    ytitle: gd.querySelector('.g-ytitle text').textContent,
                    legend: Array.from(gd.querySelectorAll('.legend .traces .legendtext')).map(t => t.textContent),
                    points: gd.querySelectorAll('.scatterlayer .trace')[1].querySelectorAll('.point').length,
                    width: gd._fullLayout.width, height: gd._fullLayout.height,
                  });
                }
                """);
            var r = JsonDocument.Parse(state).RootElement;
            Assert.Equal(2, r.GetProperty("drawn").GetInt32());
            Assert.Equal(["lines", "markers"], r.GetProperty("modes").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.Equal("log", r.GetProperty("xtype").GetString());
            Assert.Equal("log", r.GetProperty("ytype").GetString());
            Assert.Equal("step size h", r.GetProperty("xtitle").GetString());
            Assert.Equal("|estimate − exact|", r.GetProperty("ytitle").GetString());
            Assert.Equal(["forward", "central"], r.GetProperty("legend").EnumerateArray().Select(e => e.GetString()!).ToArray());
            // A log axis cannot draw an error of exactly 0: expect one marker per positive central error.
            Assert.Equal(CentralErrors().Count(e => e > 0), r.GetProperty("points").GetInt32());
            Assert.Equal(640, r.GetProperty("width").GetInt32());
            Assert.Equal(420, r.GetProperty("height").GetInt32());
        }
        finally { await page.CloseAsync(); }
    }

    [Fact]
    public async Task Plotly_NET_chart_exports_to_svg_png_and_html_files_of_its_layout_size()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lossnb-plotlynet-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = await fixture.Exporter.ExportJsonAsync(Json(), dir, "plotlynet-chart", scale: 2);
            Assert.Equal(["plotlynet-chart.html", "plotlynet-chart.svg", "plotlynet-chart.png"], files.Select(f => Path.GetFileName(f)).ToArray());
            var svg = XDocument.Parse(File.ReadAllText(Path.Combine(dir, "plotlynet-chart.svg"))).Root!;
            Assert.Equal("svg", svg.Name.LocalName);
            Assert.Equal("640", svg.Attribute("width")!.Value);
            Assert.Equal("420", svg.Attribute("height")!.Value);
            Assert.Equal(2, svg.Descendants().Count(e => e.Name.LocalName == "g" && (e.Attribute("class")?.Value ?? "").Split(' ').Contains("trace")
                && (e.Parent?.Attribute("class")?.Value ?? "").Contains("scatterlayer", StringComparison.Ordinal)));
            Assert.Equal((1280, 840), PngSize(File.ReadAllBytes(Path.Combine(dir, "plotlynet-chart.png"))));
            Assert.Contains($"plotly.js v{PlotlyJsSource.Version}", File.ReadAllText(Path.Combine(dir, "plotlynet-chart.html")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task The_same_Plotly_NET_chart_gives_identical_json_svg_and_png_bytes_twice()
    {
        string json1 = Json(), json2 = Json(); // two charts built independently
        Assert.Equal(json1, json2);
        string svg1 = await fixture.Exporter.ToSvgAsync(json1), svg2 = await fixture.Exporter.ToSvgAsync(json2);
        Assert.Equal(svg1, svg2);
        byte[] png1 = await fixture.Exporter.ToPngAsync(json1), png2 = await fixture.Exporter.ToPngAsync(json2);
        Assert.Equal(png1, png2);
    }

    [Fact]
    public void Json_export_rejects_what_is_not_a_figure()
    {
        Assert.Equal("plotlyJson", Assert.Throws<ArgumentException>(() => FigureExporter.StandaloneHtml("{\"layout\":{}}")).ParamName);
        Assert.Equal("plotlyJson", Assert.Throws<ArgumentException>(() => FigureExporter.StandaloneHtml("not json")).ParamName);
    }
}

/// <summary>The offline fallback the notebook runner puts around every figure's HTML (FigureHtml.WithStaticFallback).</summary>
[Collection(BrowserCollection.Name)]
public sealed class StaticFallbackTests(ExporterFixture fixture)
{
    private async Task<(bool ImageShown, int InteractiveHeight, bool Drawn)> Open(PlotlyJsSource source, int waitMs)
    {
        var figure = SampleFigures.Slice1D();
        string fragment;
        lock (typeof(FigureHtml))
        {
            FigureHtml.ResetInlineBundle();
            fragment = FigureHtml.Fragment(figure, source);
            FigureHtml.ResetInlineBundle();
        }
        byte[] png = await fixture.Exporter.ToPngAsync(figure, 1);
        string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
            + FigureHtml.WithStaticFallback(fragment, Convert.ToBase64String(png), figure.Width, "out-1") + "</body></html>";
        var page = await fixture.Exporter.OpenHtmlAsync(html);
        try
        {
            if (source.IsInline)
                await page.WaitForFunctionAsync("() => !document.querySelector('#out-1 img.lossnb-static')", null, new PageWaitForFunctionOptions { Timeout = 20000 });
            else
                await page.WaitForTimeoutAsync(waitMs);
            string state = await page.EvaluateAsync<string>("""
                () => {
                  const img = document.querySelector('#out-1 img.lossnb-static');
                  const live = document.querySelector('#out-1 .lossnb-interactive');
                  return JSON.stringify({
                    image: !!img && img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().height > 0,
                    height: Math.round(live.getBoundingClientRect().height),
                    drawn: !!live.querySelector('.main-svg'),
                  });
                }
                """);
            var r = JsonDocument.Parse(state).RootElement;
            return (r.GetProperty("image").GetBoolean(), r.GetProperty("height").GetInt32(), r.GetProperty("drawn").GetBoolean());
        }
        finally { await page.CloseAsync(); }
    }

    [Fact]
    public async Task The_interactive_figure_replaces_the_image_once_plotly_draws()
    {
        var (image, height, drawn) = await Open(PlotlyJsSource.Inline(File.ReadAllText(fixture.Exporter.PlotlyJsPath)), 0);
        Assert.True(drawn);
        Assert.False(image);
        Assert.Equal(SampleFigures.Slice1D().Height, height);
    }

    [Fact]
    public async Task Offline_the_image_stays_and_the_undrawn_figure_takes_no_space()
    {
        // The browser context is offline: the CDN script fails, the static PNG must still be shown.
        var (image, height, drawn) = await Open(PlotlyJsSource.Cdn(), 3000);
        Assert.False(drawn);
        Assert.True(image, "the static image is not shown");
        Assert.Equal(0, height);
    }

    [Fact]
    public void Fallback_rejects_an_id_that_is_not_a_plain_html_id()
    {
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => FigureHtml.WithStaticFallback("<div></div>", "AAAA", 100, "a\"b")).ParamName);
    }
}

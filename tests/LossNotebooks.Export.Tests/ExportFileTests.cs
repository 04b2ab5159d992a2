using System.Buffers.Binary;
using System.Diagnostics;
using System.Xml.Linq;
using LossNotebooks.Figures;
using Microsoft.Playwright;

namespace LossNotebooks.Export.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ExportFileTests(ExporterFixture fixture)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height from the IHDR chunk, which must follow the signature directly.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.Length > 33, "PNG too short");
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Theory]
    [InlineData(1.0, 720, 440)]
    [InlineData(1.5, 1080, 660)]
    [InlineData(2.0, 1440, 880)]
    public async Task Png_has_signature_and_size_width_times_scale(double scale, int width, int height)
    {
        byte[] png = await fixture.Exporter.ToPngAsync(SampleFigures.VCurve(), scale);
        Assert.Equal((width, height), PngSize(png));
    }

    [Fact]
    public async Task Png_shows_the_house_colours()
    {
        byte[] png = await fixture.Exporter.ToPngAsync(SampleFigures.VCurve(), 1);
        // Decode in the browser and count pixels close to the first two palette colours (#0072B2, #D55E00: the rules' lines).
        var page = await fixture.Exporter.OpenHtmlAsync("<html><body></body></html>");
        try
        {
            int[] counts = await page.EvaluateAsync<int[]>("""
                async (b64) => {
                  const img = new Image();
                  img.src = 'data:image/png;base64,' + b64;
                  await img.decode();
                  const c = document.createElement('canvas');
                  c.width = img.width; c.height = img.height;
                  const ctx = c.getContext('2d');
                  ctx.drawImage(img, 0, 0);
                  const d = ctx.getImageData(0, 0, c.width, c.height).data;
                  const near = (i, r, g, b) => Math.abs(d[i] - r) < 30 && Math.abs(d[i + 1] - g) < 30 && Math.abs(d[i + 2] - b) < 30;
                  let blue = 0, vermillion = 0;
                  for (let i = 0; i < d.length; i += 4) {
                    if (near(i, 0x00, 0x72, 0xB2)) blue++;
                    if (near(i, 0xD5, 0x5E, 0x00)) vermillion++;
                  }
                  return [blue, vermillion];
                }
                """, Convert.ToBase64String(png));
            // Each rule is a 2.5 px line several hundred px long plus markers: well over 500 pixels of its colour;
            // a blank or mis-coloured image has ~0.
            Assert.True(counts[0] > 500, $"only {counts[0]} pixels in the house blue");
            Assert.True(counts[1] > 500, $"only {counts[1]} pixels in the house vermillion");
        }
        finally { await page.CloseAsync(); }
    }

    [Fact]
    public async Task Svg_parses_with_an_svg_root_of_the_figure_size_and_holds_every_trace()
    {
        var fig = SampleFigures.VCurve();
        string svg = await fixture.Exporter.ToSvgAsync(fig);
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        Assert.Equal("http://www.w3.org/2000/svg", root.Name.NamespaceName);
        Assert.Equal(fig.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), root.Attribute("width")?.Value);
        Assert.Equal(fig.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), root.Attribute("height")?.Value);
        int traces = root.Descendants().Count(e => e.Name.LocalName == "g" && (e.Attribute("class")?.Value.Split(' ').Contains("trace") ?? false));
        Assert.Equal(fig.Traces.Count, traces);
        Assert.Contains("d/dx sin(x) at x = 1", svg);
    }

    [Fact]
    public async Task Exporting_the_same_figure_twice_gives_identical_svg_and_png_bytes()
    {
        // plotly.js names clip paths and gradients after random uids; the exporter renames them by order, so an
        // executed notebook re-run gives the same files. The heatmap has a gradient id with a trace uid in it.
        foreach (var fig in new[] { SampleFigures.VCurve(), SampleFigures.Hessian() })
        {
            var (svg1, png1) = await fixture.Exporter.RenderStaticAsync(fig.ToJson(), scale: 1);
            var (svg2, png2) = await fixture.Exporter.RenderStaticAsync(fig.ToJson(), scale: 1);
            Assert.Equal(svg1, svg2);
            Assert.Equal(png1, png2);
            Assert.Contains("id=\"lossnb0\"", svg1);
            // Every reference still points at an id that exists.
            var ids = System.Text.RegularExpressions.Regex.Matches(svg1, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
            foreach (System.Text.RegularExpressions.Match r in System.Text.RegularExpressions.Regex.Matches(svg1, "url\\('?#([^')]+)'?\\)"))
                Assert.Contains(r.Groups[1].Value, ids);
        }
    }

    [Fact]
    public async Task Enricher_turns_foreign_plotly_json_into_svg_and_png()
    {
        // Hand-written figure JSON (not from our model): the runner may meet any application/vnd.plotly.v1+json.
        const string json = """{"data":[{"type":"bar","x":["a","b"],"y":[3,4]}],"layout":{"width":400,"height":300}}""";
        var (svg, png) = await fixture.Exporter.RenderStaticAsync(json, scale: 2);
        Assert.Equal("svg", XDocument.Parse(svg).Root!.Name.LocalName);
        Assert.Equal((800, 600), PngSize(png));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Exporter.RenderStaticAsync("{not json"));
    }

    [Fact]
    public async Task Static_images_of_an_explorer_show_its_opening_frame()
    {
        var fig = SampleFigures.Explorer();
        string opening = fig.Frames[fig.Slider!.Active].Name;
        // Independent expectation: the opening step is the one with the smallest forward-difference error.
        var errors = SampleFigures.ExplorerSteps.Select(h => Math.Abs((Math.Exp(0.5 + h) - Math.Exp(0.5)) / h - Math.Exp(0.5))).ToArray();
        Assert.Equal(Array.IndexOf(errors, errors.Min()), fig.Slider.Active);
        string svg = await fixture.Exporter.ToSvgAsync(fig);
        Assert.Contains($"h = {opening}: estimate", svg);
        foreach (var other in fig.Frames.Where(f => f.Name != opening))
            Assert.DoesNotContain($"h = {other.Name}: estimate", svg);
    }

    [Fact]
    public async Task Export_writes_html_svg_png_and_the_html_opens_offline()
    {
        var dir = Directory.CreateTempSubdirectory("lossnb-export").FullName;
        try
        {
            var files = await fixture.Exporter.ExportAsync(SampleFigures.Explorer(), dir, "explorer", scale: 1);
            Assert.Equal(["explorer.html", "explorer.svg", "explorer.png"], files.Select(f => Path.GetFileName(f)).ToArray());
            Assert.Equal((720, 860), PngSize(await File.ReadAllBytesAsync(Path.Combine(dir, "explorer.png"))));
            var page = await fixture.Exporter.OpenHtmlAsync("<html><body></body></html>");
            try
            {
                await page.GotoAsync("file://" + Path.Combine(dir, "explorer.html"));
                await page.WaitForSelectorAsync("body[data-rendered='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 20000 });
                Assert.Equal(9, await page.EvaluateAsync<int>("() => document.getElementById('figure')._transitionData._frames.length"));
                Assert.Equal(1, await page.EvaluateAsync<int>("() => document.querySelectorAll('.slider-container').length"));
            }
            finally { await page.CloseAsync(); }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Every_sample_figure_exports_to_three_files()
    {
        // LOSSNB_SAMPLE_OUT keeps the files for a human look; otherwise a temp dir that is removed.
        string? keep = Environment.GetEnvironmentVariable("LOSSNB_SAMPLE_OUT");
        string dir = keep ?? Directory.CreateTempSubdirectory("lossnb-samples").FullName;
        try
        {
            var reported = new List<string>();
            var samples = SampleFigures.All().Select(s => KeyValuePair.Create(s.Name, s.Figure)).ToList();
            var files = await fixture.Exporter.ExportManyAsync(samples, dir, progress: new SyncProgress(reported));
            Assert.Equal(samples.Select(s => s.Key), reported);
            Assert.Equal(3 * samples.Count, files.Count);
            Assert.All(files, f => Assert.True(new FileInfo(f).Length > 1000, $"{f} is suspiciously small"));
            await Assert.ThrowsAsync<ArgumentException>(() => fixture.Exporter.ExportManyAsync([samples[0], samples[0]], dir, formats: ["svg"]));
        }
        finally { if (keep is null) Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Many_figures_reuse_one_browser()
    {
        var sw = Stopwatch.StartNew();
        foreach (var (_, fig) in SampleFigures.All())
            Assert.Equal(PngSignature, (await fixture.Exporter.ToPngAsync(fig, 1))[..8]);
        // Not a benchmark; guards against a per-figure browser launch creeping in (each launch costs seconds).
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"7 figures took {sw.Elapsed}");
    }
}

/// <summary>IProgress that records synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress(List<string> sink) : IProgress<string>
{
    public void Report(string value) => sink.Add(value);
}

/// <summary>Timeouts turn into a FigureExportException instead of a hang.</summary>
public sealed class TimeoutTests
{
    [Fact]
    public async Task Render_timeout_is_an_export_exception()
    {
        await using var exporter = await FigureExporter.StartAsync(new FigureExportOptions { RenderTimeout = TimeSpan.FromMilliseconds(1) });
        var e = await Assert.ThrowsAsync<FigureExportException>(() => exporter.ToPngAsync(SampleFigures.Landscape2D(), 4));
        // The configured 1 ms deadline is the one that fired (not a wall-clock bound, which flakes on a loaded machine).
        Assert.Contains("did not produce the png within 0.001 s", e.Message);
    }

    [Fact]
    public async Task Launch_timeout_is_an_export_exception()
    {
        var e = await Assert.ThrowsAsync<FigureExportException>(() => FigureExporter.StartAsync(new FigureExportOptions { LaunchTimeout = TimeSpan.FromMilliseconds(1) }));
        Assert.Contains("did not start within", e.Message);
    }
}

/// <summary>Failures that must be fast and say what to install; no browser needed.</summary>
public sealed class MissingDependencyTests
{
    [Fact]
    public async Task Missing_chromium_fails_fast_naming_the_file_and_the_apt_package()
    {
        // Fails before any launch: the message names the file checked, so no browser start was attempted.
        var e = await Assert.ThrowsAsync<FigureExportException>(() =>
            FigureExporter.StartAsync(new FigureExportOptions { ChromiumPath = "/nonexistent/chromium" }));
        Assert.Contains("/nonexistent/chromium", e.Message);
        Assert.Contains("apt-get install chromium", e.Message);
        Assert.Contains(FigureExportOptions.ChromiumEnvironmentVariable, e.Message);
    }

    [Fact]
    public async Task Missing_plotly_fails_fast_naming_the_file_and_npm_ci()
    {
        var e = await Assert.ThrowsAsync<FigureExportException>(() =>
            FigureExporter.StartAsync(new FigureExportOptions { PlotlyJsPath = "/nonexistent/plotly.min.js" }));
        Assert.Contains("/nonexistent/plotly.min.js", e.Message);
        Assert.Contains("npm ci", e.Message);
    }

    [Fact]
    public void Html_export_needs_no_browser()
    {
        var f = new Figure { Title = "no browser" };
        f.Add(new LineTrace([1, 2], [2, 1]));
        string html = FigureExporter.StandaloneHtml(f);
        Assert.Contains($"plotly.js v{PlotlyJsSource.Version}", html);
        Assert.Contains("\"no browser\"", html);
    }
}

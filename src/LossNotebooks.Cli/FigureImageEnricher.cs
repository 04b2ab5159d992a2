using System.Text;
using LossNotebooks.Export;
using LossNotebooks.Figures;
using LossNotebooks.Notebooks.Execution;

namespace LossNotebooks.Cli;

/// <summary>
/// Gives every Plotly figure a notebook displays a static twin: image/svg+xml and image/png in the executed
/// notebook (so nbconvert and GitHub show it) and the same SVG/PNG as files under OUT/figures/&lt;notebook&gt;/.
/// The figure's text/html (which needs plotly.js from a CDN: the library's figures and Plotly.NET charts alike)
/// is wrapped so that it shows the PNG until plotly.js has drawn the interactive figure: opened offline, the
/// executed notebook still shows every figure (see <see cref="FigureHtml.WithStaticFallback"/>).
/// The browser starts on the first figure and is shared by the rest of the run.
/// </summary>
public sealed class FigureImageEnricher : IOutputEnricher, IAsyncDisposable
{
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    private readonly double _scale;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FigureExporter? _exporter;
    // File stems already written per notebook in this run (duplicates get -2, -3 in cell order).
    private readonly Dictionary<string, HashSet<string>> _stems = new(StringComparer.Ordinal);

    public FigureImageEnricher(double scale = 2) => _scale = scale;

    public async Task EnrichAsync(IDictionary<string, string> mimeBundle, OutputContext context, CancellationToken cancellationToken)
    {
        if (!mimeBundle.TryGetValue(PlotlyMimeType, out var json)) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _exporter ??= await FigureExporter.StartAsync(cancellationToken: cancellationToken);
            var (svg, png) = await _exporter.RenderStaticAsync(json, _scale, cancellationToken);
            mimeBundle["image/svg+xml"] = svg;
            mimeBundle["image/png"] = Convert.ToBase64String(png);
            if (mimeBundle.TryGetValue("text/html", out var html))
                mimeBundle["text/html"] = FigureHtml.WithStaticFallback(html, mimeBundle["image/png"], LayoutWidth(json), $"lossnb-output-{context.CellIndex:D2}-{context.OutputIndex}");
            if (context.OutputDirectory is { } outDir)
            {
                var notebook = Path.GetFileNameWithoutExtension(context.NotebookPath);
                var dir = Path.Combine(outDir, "figures", notebook);
                Directory.CreateDirectory(dir);
                if (!_stems.TryGetValue(dir, out var used))
                {
                    // First figure of this notebook in this run: files of an earlier run (maybe under older names) go,
                    // so the folder holds exactly this run's figures.
                    foreach (var old in Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".svg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal)).ToList())
                        File.Delete(old);
                    _stems[dir] = used = new HashSet<string>(StringComparer.Ordinal);
                }
                // Named by what the figure shows, not by cell position (cells move): 05-convergence-digits.png.
                var stem = FileStem(notebook, json, used);
                used.Add(stem);
                stem = Path.Combine(dir, stem);
                await File.WriteAllTextAsync(stem + ".svg", svg, new UTF8Encoding(false), cancellationToken);
                await File.WriteAllBytesAsync(stem + ".png", png, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The file stem of a figure (<see cref="FigureFileNames.Stem"/>: the rule an exported app follows too).</summary>
    public static string FileStem(string notebook, string json, IReadOnlySet<string> used) => FigureFileNames.Stem(notebook, json, used);

    /// <summary>"-" and the figure's title in lower-case ASCII words (at most 6), or "" when it has none.</summary>
    public static string TitleSlug(string json) => FigureFileNames.TitleSlug(json);

    /// <summary>layout.width of Plotly figure JSON, or plotly's default 700 when absent.</summary>
    private static int LayoutWidth(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("layout", out var layout) && layout.TryGetProperty("width", out var w) && w.TryGetDouble(out var d) && d > 0)
                return (int)Math.Round(d);
        }
        catch (System.Text.Json.JsonException) { }
        return 700;
    }

    public async ValueTask DisposeAsync()
    {
        if (_exporter is not null) await _exporter.DisposeAsync();
        _gate.Dispose();
    }
}

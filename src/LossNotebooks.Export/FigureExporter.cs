using System.Text;
using System.Text.Json;
using LossNotebooks.Figures;
using Microsoft.Playwright;

namespace LossNotebooks.Export;

/// <summary>
/// Renders figures to SVG and PNG (and writes self-contained HTML) with plotly.js inside the SYSTEM Chromium,
/// driven by Playwright. One browser per exporter, reused for every figure; dispose it when done. Nothing is ever
/// downloaded: a missing Chromium or plotly.js is a <see cref="FigureExportException"/> that names the file and
/// the install command, raised before any browser starts.
/// </summary>
public sealed partial class FigureExporter : IAsyncDisposable
{
    /// <summary>Chromium flags: headless CI boxes without GPU, sandbox or network; no background traffic.</summary>
    public static IReadOnlyList<string> ChromiumArgs { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly IPage _page;
    private readonly string _userDataDir;
    private readonly FigureExportOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<string> _plotlyJs;
    private bool _disposed;

    private FigureExporter(IPlaywright playwright, IBrowserContext context, IPage page, string userDataDir,
        FigureExportOptions options, string chromiumPath, string plotlyJsPath)
    {
        _playwright = playwright;
        _context = context;
        _page = page;
        _userDataDir = userDataDir;
        _options = options;
        ChromiumPath = chromiumPath;
        PlotlyJsPath = plotlyJsPath;
        _plotlyJs = new(() => File.ReadAllText(plotlyJsPath));
    }

    public string ChromiumPath { get; }
    public string PlotlyJsPath { get; }

    /// <summary>Finds Chromium and plotly.js (or throws saying how to install them), launches the browser and loads plotly.js once.</summary>
    public static async Task<FigureExporter> StartAsync(FigureExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FigureExportOptions();
        string chromium = LocateChromium(options);
        string plotly = LocatePlotlyJs(options);
        // Belt and braces: nothing in this process may fetch a browser.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        string userDataDir = Path.Combine(Path.GetTempPath(), "lossnb-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(userDataDir);
        IPlaywright? playwright = null;
        IBrowserContext? context = null;
        Task<IPlaywright>? creating = null;
        Task<IBrowserContext>? launching = null;
        try
        {
            creating = Microsoft.Playwright.Playwright.CreateAsync();
            playwright = await creating.WaitAsync(options.LaunchTimeout, cancellationToken).ConfigureAwait(false);
            launching = playwright.Chromium.LaunchPersistentContextAsync(userDataDir, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = (float)options.LaunchTimeout.TotalMilliseconds,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
                Offline = true,
            });
            context = await launching.WaitAsync(options.LaunchTimeout, cancellationToken).ConfigureAwait(false);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync().ConfigureAwait(false);
            await page.SetContentAsync("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>").ConfigureAwait(false);
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = plotly }).WaitAsync(options.LaunchTimeout, cancellationToken).ConfigureAwait(false);
            var ok = await page.EvaluateAsync<bool>("() => typeof window.Plotly === 'object' && typeof window.Plotly.toImage === 'function'").ConfigureAwait(false);
            if (!ok) throw new FigureExportException($"{plotly} loaded but defines no Plotly.toImage; is it plotly.js-dist-min? Run `npm ci` in the repository root.");
            return new FigureExporter(playwright, context, page, userDataDir, options, chromium, plotly);
        }
        catch (Exception e)
        {
            // Whatever finishes starting after we stopped waiting is shut down rather than leaked.
            if (playwright is null) _ = creating?.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
            if (context is null) _ = launching?.ContinueWith(t => { if (t.IsCompletedSuccessfully) _ = t.Result.CloseAsync(); }, TaskScheduler.Default);
            if (context is not null) await SafeAsync(() => context.CloseAsync()).ConfigureAwait(false);
            playwright?.Dispose();
            TryDelete(userDataDir);
            if (e is FigureExportException or OperationCanceledException) throw;
            if (e is TimeoutException)
                throw new FigureExportException($"Chromium at {chromium} did not start within {options.LaunchTimeout.TotalSeconds} s. Check that it runs: `{chromium} --headless --no-sandbox --dump-dom about:blank`.", e);
            throw new FigureExportException($"Could not start Chromium at {chromium} through Playwright: {e.Message}", e);
        }
    }

    /// <summary>The Chromium executable the options name, or a FigureExportException with the install command.</summary>
    public static string LocateChromium(FigureExportOptions? options = null)
    {
        string path = (options ?? new FigureExportOptions()).ResolveChromiumPath();
        if (File.Exists(path)) return path;
        throw new FigureExportException(
            $"Chromium not found at {path}. Install it with `sudo apt-get install chromium` (Debian/Ubuntu), or set " +
            $"{FigureExportOptions.ChromiumEnvironmentVariable} to a Chromium/Chrome executable. This project never downloads a browser.");
    }

    /// <summary>plotly.min.js as the options name it, or a FigureExportException with the install command.</summary>
    public static string LocatePlotlyJs(FigureExportOptions? options = null)
    {
        var explicitPath = options?.PlotlyJsPath;
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (File.Exists(explicitPath)) return Path.GetFullPath(explicitPath);
            throw new FigureExportException($"plotly.js not found at {explicitPath}. Run `npm ci` in the repository root to install plotly.js-dist-min {PlotlyJsSource.Version}.");
        }
        try { return PlotlyJsSource.Locate(); }
        catch (FileNotFoundException e) { throw new FigureExportException(e.Message, e); }
    }

    /// <summary>A self-contained HTML page (plotly.js inlined). Needs no browser.</summary>
    public static string StandaloneHtml(Figure figure, string? plotlyJsPath = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        string path = LocatePlotlyJs(new FigureExportOptions { PlotlyJsPath = plotlyJsPath });
        return FigureHtml.Standalone(figure, File.ReadAllText(path));
    }

    /// <summary>Writes <see cref="StandaloneHtml(Figure, string?)"/> to <paramref name="path"/> (UTF-8, no BOM).</summary>
    public static void WriteHtml(Figure figure, string path, string? plotlyJsPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        WriteAllText(path, StandaloneHtml(figure, plotlyJsPath));
    }

    /// <summary>
    /// A self-contained HTML page (plotly.js inlined, opens offline) for ANY Plotly figure JSON: a Plotly.NET chart's
    /// GenericChart.toFigureJson, a notebook's application/vnd.plotly.v1+json output. The page size is the JSON's
    /// layout width/height (plotly's 700×450 when absent). Needs no browser.
    /// </summary>
    public static string StandaloneHtml(string plotlyJson, string title = "Figure", string? plotlyJsPath = null)
    {
        var (width, height) = LayoutSize(plotlyJson);
        string path = LocatePlotlyJs(new FigureExportOptions { PlotlyJsPath = plotlyJsPath });
        return FigureHtml.StandaloneFromJson(plotlyJson, title, width, height, File.ReadAllText(path));
    }

    /// <summary>Writes <see cref="StandaloneHtml(string, string, string?)"/> to <paramref name="path"/> (UTF-8, no BOM).</summary>
    public static void WriteHtml(string plotlyJson, string path, string title = "Figure", string? plotlyJsPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        WriteAllText(path, StandaloneHtml(plotlyJson, title, plotlyJsPath));
    }

    /// <summary>layout.width / layout.height of Plotly figure JSON (700×450, plotly's defaults, when absent); bad JSON → ArgumentException.</summary>
    internal static (int Width, int Height) LayoutSize(string plotlyJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(plotlyJson);
        try
        {
            using var doc = JsonDocument.Parse(plotlyJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new ArgumentException("plotlyJson must be a figure object with a \"data\" array.", nameof(plotlyJson));
            int Size(string name, int fallback) =>
                doc.RootElement.TryGetProperty("layout", out var layout) && layout.TryGetProperty(name, out var v) && v.TryGetDouble(out var d) && d >= 10
                    ? (int)Math.Round(d) : fallback;
            return (Size("width", 700), Size("height", 450));
        }
        catch (JsonException e) { throw new ArgumentException($"plotlyJson is not valid JSON: {e.Message}", nameof(plotlyJson), e); }
    }

    /// <summary>
    /// Writes Plotly figure JSON from anywhere (a Plotly.NET chart, a notebook output) as the requested files
    /// ("html", "svg", "png") named <paramref name="baseName"/>.ext, like <see cref="ExportAsync(Figure, string, string, double, IReadOnlyCollection{string}?, CancellationToken)"/>.
    /// </summary>
    public Task<IReadOnlyList<string>> ExportJsonAsync(string plotlyJson, string directory, string baseName, double scale = 2,
        IReadOnlyCollection<string>? formats = null, string title = "Figure", CancellationToken cancellationToken = default)
    {
        var (width, height) = LayoutSize(plotlyJson);
        return WriteFilesAsync(plotlyJson, () => FigureHtml.StandaloneFromJson(plotlyJson, title, width, height, _plotlyJs.Value),
            directory, baseName, scale, formats, cancellationToken);
    }

    /// <summary>A new page showing <see cref="StandaloneHtml(string, string, string?)"/> of the JSON, ready when this returns (frames added).</summary>
    public async Task<IPage> OpenJsonAsync(string plotlyJson, CancellationToken cancellationToken = default)
    {
        var (width, height) = LayoutSize(plotlyJson);
        return await OpenHtmlAsync(FigureHtml.StandaloneFromJson(plotlyJson, "Figure", width, height, _plotlyJs.Value), "body[data-rendered='true']", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The figure as an SVG document (vector, for blogs that scale images).</summary>
    public async Task<string> ToSvgAsync(Figure figure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return await ToSvgAsync(figure.ToJson(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The figure as PNG bytes: width × scale by height × scale pixels.</summary>
    public async Task<byte[]> ToPngAsync(Figure figure, double scale = 2, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return await ToPngAsync(figure.ToJson(), scale, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SVG from Plotly figure JSON (e.g. a notebook's application/vnd.plotly.v1+json output).</summary>
    public async Task<string> ToSvgAsync(string plotlyJson, CancellationToken cancellationToken = default)
    {
        string url = await RenderAsync(plotlyJson, "svg", 1, cancellationToken).ConfigureAwait(false);
        const string prefix = "data:image/svg+xml,";
        if (!url.StartsWith(prefix, StringComparison.Ordinal)) throw new FigureExportException($"Unexpected SVG data URL from plotly: {Head(url)}");
        return StableSvgIds(Uri.UnescapeDataString(url[prefix.Length..]));
    }

    /// <summary>
    /// plotly.js names clip paths, defs and gradients after random uids ("clipf1c046xy", "g7edeac-cbac7f52"), so the
    /// same figure would give different SVG bytes on every export. Every id is renamed by its order of appearance,
    /// and so is every reference to it (url(#id), href="#id").
    /// </summary>
    public static string StableSvgIds(string svg)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match m in SvgId().Matches(svg))
            ids.TryAdd(m.Groups[1].Value, $"lossnb{ids.Count}");
        return ids.Count == 0 ? svg : SvgIdOrReference().Replace(svg, m => ids.TryGetValue(m.Value, out var stable) ? stable : m.Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bid=""([A-Za-z][\w-]*)""")]
    private static partial System.Text.RegularExpressions.Regex SvgId();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=\bid=""|#)[A-Za-z][\w-]*")]
    private static partial System.Text.RegularExpressions.Regex SvgIdOrReference();

    /// <summary>PNG bytes from Plotly figure JSON; the size is the JSON's layout width/height (default 720×450) times scale.</summary>
    public async Task<byte[]> ToPngAsync(string plotlyJson, double scale = 2, CancellationToken cancellationToken = default)
    {
        if (!(scale > 0) || scale > 10 || !double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be in (0, 10].");
        string url = await RenderAsync(plotlyJson, "png", scale, cancellationToken).ConfigureAwait(false);
        const string prefix = "data:image/png;base64,";
        if (!url.StartsWith(prefix, StringComparison.Ordinal)) throw new FigureExportException($"Unexpected PNG data URL from plotly: {Head(url)}");
        return Convert.FromBase64String(url[prefix.Length..]);
    }

    /// <summary>
    /// The enricher entry point for the runner / CLI: Plotly figure JSON → (SVG text, PNG bytes) for the static
    /// image outputs next to a notebook's HTML output.
    /// </summary>
    public async Task<(string Svg, byte[] Png)> RenderStaticAsync(string plotlyJson, double scale = 2, CancellationToken cancellationToken = default)
    {
        string svg = await ToSvgAsync(plotlyJson, cancellationToken).ConfigureAwait(false);
        byte[] png = await ToPngAsync(plotlyJson, scale, cancellationToken).ConfigureAwait(false);
        return (svg, png);
    }

    /// <summary>Writes the figure as the requested files ("html", "svg", "png") named <paramref name="baseName"/>.ext; returns their paths.</summary>
    public Task<IReadOnlyList<string>> ExportAsync(Figure figure, string directory, string baseName, double scale = 2,
        IReadOnlyCollection<string>? formats = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return WriteFilesAsync(figure.ToJson(), () => FigureHtml.Standalone(figure, _plotlyJs.Value), directory, baseName, scale, formats, cancellationToken);
    }

    /// <summary>The files of one figure: its JSON drawn as SVG/PNG, <paramref name="html"/> as the self-contained page.</summary>
    private async Task<IReadOnlyList<string>> WriteFilesAsync(string json, Func<string> html, string directory, string baseName, double scale,
        IReadOnlyCollection<string>? formats, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseName);
        if (baseName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || baseName.Contains('/'))
            throw new ArgumentException($"baseName \"{baseName}\" is not a plain file name.", nameof(baseName));
        formats ??= ["html", "svg", "png"];
        foreach (var f in formats)
            if (f is not ("html" or "svg" or "png")) throw new ArgumentException($"unknown format \"{f}\"; use html, svg or png.", nameof(formats));
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        if (formats.Contains("html"))
        {
            string p = Path.Combine(directory, baseName + ".html");
            WriteAllText(p, html());
            written.Add(p);
        }
        if (formats.Contains("svg"))
        {
            string p = Path.Combine(directory, baseName + ".svg");
            WriteAllText(p, await ToSvgAsync(json, cancellationToken).ConfigureAwait(false));
            written.Add(p);
        }
        if (formats.Contains("png"))
        {
            string p = Path.Combine(directory, baseName + ".png");
            await File.WriteAllBytesAsync(p, await ToPngAsync(json, scale, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            written.Add(p);
        }
        return written;
    }

    /// <summary>
    /// Exports many named figures with this one browser (the CLI's `lossnb figures --out DIR`); reports each
    /// name to <paramref name="progress"/> before it is written. Names must be distinct plain file names.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExportManyAsync(IEnumerable<KeyValuePair<string, Figure>> figures, string directory,
        double scale = 2, IReadOnlyCollection<string>? formats = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var all = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, figure) in figures)
        {
            if (!seen.Add(name)) throw new ArgumentException($"two figures are named \"{name}\".", nameof(figures));
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(name);
            all.AddRange(await ExportAsync(figure, directory, name, scale, formats, cancellationToken).ConfigureAwait(false));
        }
        return all;
    }

    /// <summary>
    /// A new page showing the figure's self-contained HTML (plotly.js inlined, frames added), ready when this
    /// returns: for browser tests and inspection. The caller closes the page.
    /// </summary>
    public async Task<IPage> OpenAsync(Figure figure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return await OpenHtmlAsync(FigureHtml.Standalone(figure, _plotlyJs.Value), "body[data-rendered='true']", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new page with arbitrary HTML (e.g. notebook fragments), waiting for <paramref name="readySelector"/> if given.</summary>
    public async Task<IPage> OpenHtmlAsync(string html, string? readySelector = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var page = await _context.NewPageAsync().ConfigureAwait(false);
        try
        {
            float ms = (float)_options.RenderTimeout.TotalMilliseconds;
            await page.SetContentAsync(html, new PageSetContentOptions { Timeout = ms }).WaitAsync(_options.RenderTimeout, cancellationToken).ConfigureAwait(false);
            if (readySelector is not null)
                await page.WaitForSelectorAsync(readySelector, new PageWaitForSelectorOptions { Timeout = ms, State = WaitForSelectorState.Attached }).ConfigureAwait(false);
            return page;
        }
        catch
        {
            await page.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A blank page in this exporter's offline browser context (no network), for opening exported files by URL in
    /// browser tests: attach request listeners, then GotoAsync. The caller closes the page.
    /// </summary>
    public Task<IPage> NewPageAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _context.NewPageAsync();
    }

    private const string RenderScript = """
        async ([json, format, scale]) => {
          const fig = JSON.parse(json);
          const layout = fig.layout || {};
          // A trace without a uid gets a random one, which ends up in SVG class names: give each a fixed one.
          (fig.data || []).forEach((trace, i) => { if (trace.uid === undefined) trace.uid = 'lossnb-trace' + i; });
          const gd = document.createElement('div');
          document.body.appendChild(gd);
          try {
            await Plotly.newPlot(gd, fig.data || [], layout, { staticPlot: true });
            return await Plotly.toImage(gd, { format: format, width: layout.width || 720, height: layout.height || 450, scale: scale });
          } finally {
            Plotly.purge(gd);
            gd.remove();
          }
        }
        """;

    private async Task<string> RenderAsync(string plotlyJson, string format, double scale, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(plotlyJson);
        try { using var _ = JsonDocument.Parse(plotlyJson); }
        catch (JsonException e) { throw new ArgumentException($"plotlyJson is not valid JSON: {e.Message}", nameof(plotlyJson), e); }
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _page.EvaluateAsync<string>(RenderScript, new object[] { plotlyJson, format, scale })
                .WaitAsync(_options.RenderTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new FigureExportException($"plotly.js did not produce the {format} within {_options.RenderTimeout.TotalSeconds} s.", e);
        }
        catch (PlaywrightException e)
        {
            throw new FigureExportException($"plotly.js failed to render the figure as {format}: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Head(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private static void WriteAllText(string path, string text)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    private static async Task SafeAsync(Func<Task> action)
    {
        try { await action().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); } catch { /* best effort during cleanup */ }
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await SafeAsync(() => _context.CloseAsync()).ConfigureAwait(false);
        _playwright.Dispose();
        _gate.Dispose();
        TryDelete(_userDataDir);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LossNotebooks.Figures;

/// <summary>The HTML forms of a figure: a notebook fragment and a self-contained page.</summary>
public static class FigureHtml
{
    private static int _counter;
    private static int _inlineEmitted;

    /// <summary>Forget that the inline bundle was already emitted (e.g. after clearing all notebook outputs).</summary>
    public static void ResetInlineBundle() => Interlocked.Exchange(ref _inlineEmitted, 0);

    /// <summary>The plotly "config" every output uses: no plotly logo, no editing, responsive off (fixed house size).</summary>
    public const string ConfigJson = "{\"displaylogo\":false,\"responsive\":false}";

    /// <summary>
    /// A div plus a script. plotly.js is loaded once per page: the first fragment starts loading it (CDN through
    /// requirejs when present — classic Jupyter — else a script tag; or the inline bundle) and stores a promise on
    /// window; every fragment draws when that promise resolves.
    /// </summary>
    public static string Fragment(Figure figure, PlotlyJsSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        source ??= Figure.PlotlyJs;
        string json = figure.ToJson();
        string id = "lossnb-fig-" + ShortHash(json) + "-" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("<div id=\"").Append(id).Append("\" class=\"lossnb-figure\" style=\"width:")
          .Append(figure.Width.ToString(CultureInfo.InvariantCulture)).Append("px;height:")
          .Append(figure.Height.ToString(CultureInfo.InvariantCulture)).Append("px;\"></div>\n");
        // Notes are the figure's caption: under the plot, outside it (plotly draws no note into the picture).
        foreach (var note in figure.Notes)
            sb.Append("<p class=\"lossnb-caption\" style=\"max-width:").Append(figure.Width.ToString(CultureInfo.InvariantCulture))
              .Append("px;margin:4px 0;font-size:").Append(HouseStyle.NoteFontSize.ToString(CultureInfo.InvariantCulture))
              .Append("px;color:#444444;\">").Append(System.Net.WebUtility.HtmlEncode(note)).Append("</p>\n");
        if (source.IsInline && Interlocked.Exchange(ref _inlineEmitted, 1) == 0)
            sb.Append("<script type=\"text/javascript\">if (!window.Plotly) {\n").Append(ScriptSafe(source.Script!)).Append("\n}</script>\n");
        sb.Append("<script type=\"text/javascript\">\n(function () {\n");
        sb.Append("  var fig = ").Append(json).Append(";\n");
        if (source.IsInline)
        {
            sb.Append("""
                  window.__lossnbPlotly = window.__lossnbPlotly || new Promise(function (resolve) {
                    (function wait() { if (window.Plotly) resolve(window.Plotly); else setTimeout(wait, 50); })();
                  });

                """);
        }
        else
        {
            string url = source.Url!;
            string amd = url.EndsWith(".js", StringComparison.Ordinal) ? url[..^3] : url;
            sb.Append("  var url = ").Append(JsString(url)).Append(", amdUrl = ").Append(JsString(amd)).Append(";\n");
            sb.Append("""
                  window.__lossnbPlotly = window.__lossnbPlotly || new Promise(function (resolve, reject) {
                    if (window.Plotly) { resolve(window.Plotly); return; }
                    if (typeof window.requirejs === 'function' && typeof window.requirejs.config === 'function') {
                      window.requirejs.config({ paths: { lossnbplotly: amdUrl } });
                      window.requirejs(['lossnbplotly'], function (P) { window.Plotly = window.Plotly || P; resolve(window.Plotly); }, reject);
                      return;
                    }
                    var s = document.createElement('script');
                    s.src = url;
                    s.onload = function () { resolve(window.Plotly); };
                    s.onerror = function () { reject(new Error('could not load plotly.js from ' + url)); };
                    document.head.appendChild(s);
                  });

                """);
        }
        sb.Append("  window.__lossnbPlotly.then(function (Plotly) {\n");
        sb.Append("    var gd = document.getElementById(").Append(JsString(id)).Append(");\n");
        sb.Append("    return Plotly.newPlot(gd, fig.data, fig.layout, ").Append(ConfigJson).Append(")\n");
        sb.Append("      .then(function () { return fig.frames ? Plotly.addFrames(gd, fig.frames) : null; });\n");
        sb.Append("  }).catch(function (e) {\n");
        sb.Append("    var gd = document.getElementById(").Append(JsString(id)).Append(");\n");
        sb.Append("    if (gd) gd.textContent = 'Figure not drawn: ' + e + ' (offline? use Figure.PlotlyJs = PlotlyJsSource.FromNodeModules())';\n");
        sb.Append("  });\n})();\n</script>");
        return sb.ToString();
    }

    /// <summary>
    /// A complete HTML page with plotly.js inlined: opens offline, in any browser, years from now. The figure
    /// div has id "figure"; body gets data-rendered="true" once drawn (and frames added).
    /// </summary>
    public static string Standalone(Figure figure, string plotlyJs)
    {
        ArgumentNullException.ThrowIfNull(figure);
        if (string.IsNullOrWhiteSpace(plotlyJs)) throw new ArgumentException("plotlyJs must be the plotly.js bundle text.", nameof(plotlyJs));
        return StandaloneFromJson(figure.ToJson(), figure.Title ?? "Figure", figure.Width, figure.Height, plotlyJs);
    }

    /// <summary><see cref="Standalone"/> for figure JSON produced elsewhere (the runner's plotly mime output).</summary>
    public static string StandaloneFromJson(string figureJson, string title, int width, int height, string plotlyJs)
    {
        var sb = new StringBuilder(plotlyJs.Length + figureJson.Length + 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(System.Net.WebUtility.HtmlEncode(title)).Append("</title>\n");
        sb.Append("<style>body{margin:0;background:#fff;font-family:").Append(HouseStyle.FontFamily).Append(";}</style>\n");
        sb.Append("<script type=\"text/javascript\">\n").Append(ScriptSafe(plotlyJs)).Append("\n</script>\n</head>\n<body>\n");
        sb.Append("<div id=\"figure\" style=\"width:").Append(width.ToString(CultureInfo.InvariantCulture))
          .Append("px;height:").Append(height.ToString(CultureInfo.InvariantCulture)).Append("px;\"></div>\n");
        sb.Append("<script type=\"text/javascript\">\n(function () {\n  var fig = ").Append(figureJson).Append(";\n");
        sb.Append("  var gd = document.getElementById('figure');\n");
        sb.Append("  Plotly.newPlot(gd, fig.data, fig.layout, ").Append(ConfigJson).Append(")\n");
        sb.Append("    .then(function () { return fig.frames ? Plotly.addFrames(gd, fig.frames) : null; })\n");
        sb.Append("    .then(function () { document.body.setAttribute('data-rendered', 'true'); });\n})();\n</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>
    /// The interactive HTML, hidden (zero height, invisible) behind the static PNG until plotly.js has drawn into it
    /// (its ".main-svg" appears); then the image goes and the interactive figure shows. Without plotly.js (offline,
    /// a viewer that runs no scripts) the image stays. <paramref name="id"/> must be unique within the page.
    /// </summary>
    public static string WithStaticFallback(string html, string pngBase64, int width, string id)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentException.ThrowIfNullOrWhiteSpace(pngBase64);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[A-Za-z][A-Za-z0-9_-]*$")) throw new ArgumentException($"id \"{id}\" must be a plain HTML id (letters, digits, - and _).", nameof(id));
        var sb = new StringBuilder(html.Length + pngBase64.Length + 1200);
        sb.Append("<div id=\"").Append(id).Append("\" class=\"lossnb-figure-output\">\n");
        sb.Append("<img class=\"lossnb-static\" alt=\"figure (static image)\" style=\"width:").Append(width.ToString(CultureInfo.InvariantCulture))
          .Append("px;max-width:100%;height:auto;\" src=\"data:image/png;base64,").Append(pngBase64).Append("\">\n");
        sb.Append("<div class=\"lossnb-interactive\" style=\"height:0;overflow:hidden;visibility:hidden;\">\n").Append(html).Append("\n</div>\n");
        sb.Append("<script type=\"text/javascript\">\n(function () {\n");
        sb.Append("  var root = document.getElementById('").Append(id).Append("'), tries = 0;\n");
        sb.Append("""
              if (!root) return;
              (function check() {
                var live = root.querySelector('.lossnb-interactive'), img = root.querySelector('.lossnb-static');
                if (live && live.querySelector('.main-svg')) {
                  if (img) img.remove();
                  live.style.height = ''; live.style.overflow = ''; live.style.visibility = '';
                } else if (++tries < 240) setTimeout(check, 250);
              })();
            })();
            </script>
            </div>
            """);
        return sb.ToString();
    }

    /// <summary>A script body must not contain "&lt;/script" (it would end the element early).</summary>
    private static string ScriptSafe(string js) => js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);

    private static string JsString(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    private static string ShortHash(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s)), 0, 4).ToLowerInvariant();
}

namespace LossNotebooks.Figures;

/// <summary>
/// Where notebook HTML loads plotly.js from. <see cref="Cdn"/> (default) needs a network in the viewer;
/// <see cref="Inline"/> / <see cref="FromNodeModules"/> embed the bundle (≈4.8 MB) in the FIRST figure shown in
/// this process and later figures reuse it, so a notebook works offline.
/// </summary>
public sealed class PlotlyJsSource
{
    /// <summary>The plotly.js version pinned in package.json; the CDN URL uses the same version.</summary>
    public const string Version = "4.1.2";

    /// <summary>The plotly.js npm file, relative to a directory holding node_modules.</summary>
    public const string NodeModulesPath = "node_modules/plotly.js-dist-min/plotly.min.js";

    /// <summary>Environment variable naming plotly.min.js explicitly (overrides the node_modules search).</summary>
    public const string EnvironmentVariable = "LOSSNB_PLOTLYJS";

    private PlotlyJsSource(string? url, string? script) { Url = url; Script = script; }

    /// <summary>Script URL (CDN mode) or null.</summary>
    public string? Url { get; }

    /// <summary>The bundle text (inline mode) or null.</summary>
    public string? Script { get; }

    public bool IsInline => Script is not null;

    /// <summary>Load from a URL (default: cdn.plot.ly, same version as the npm pin).</summary>
    public static PlotlyJsSource Cdn(string url = $"https://cdn.plot.ly/plotly-{Version}.min.js")
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out _)) throw new ArgumentException($"url must be an absolute URL, got \"{url}\".", nameof(url));
        return new(url, null);
    }

    /// <summary>Embed the given plotly.js bundle text.</summary>
    public static PlotlyJsSource Inline(string script)
    {
        if (string.IsNullOrWhiteSpace(script)) throw new ArgumentException("script must be the plotly.js bundle text.", nameof(script));
        return new(null, script);
    }

    /// <summary>Embed plotly.min.js found by <see cref="Locate"/> (LOSSNB_PLOTLYJS or node_modules upwards of <paramref name="startDirectory"/>).</summary>
    public static PlotlyJsSource FromNodeModules(string? startDirectory = null) => Inline(File.ReadAllText(Locate(startDirectory)));

    /// <summary>
    /// The path of plotly.min.js: $LOSSNB_PLOTLYJS if set, else the first node_modules/plotly.js-dist-min/plotly.min.js
    /// walking up from <paramref name="startDirectory"/> (default: the current directory), then from this
    /// assembly's directory. Throws FileNotFoundException saying how to install it.
    /// </summary>
    public static string Locate(string? startDirectory = null)
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
        {
            if (File.Exists(env)) return Path.GetFullPath(env);
            throw new FileNotFoundException(
                $"{EnvironmentVariable} points to \"{env}\", which does not exist. Unset it, or run `npm ci` in the repository root to get {NodeModulesPath}.", env);
        }
        var starts = new[] { startDirectory ?? Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        foreach (var start in starts)
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, NodeModulesPath);
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException(
            $"plotly.js not found: no {NodeModulesPath} in \"{starts[0]}\" or any parent (nor above {starts[1]}). " +
            $"Install it with `npm ci` in the repository root (package-lock.json pins plotly.js-dist-min {Version}), " +
            $"or set {EnvironmentVariable} to a plotly.min.js file.", NodeModulesPath);
    }
}

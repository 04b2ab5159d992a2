namespace LossNotebooks.Export;

/// <summary>Where the browser and plotly.js come from, and how long to wait for them.</summary>
public sealed record FigureExportOptions
{
    /// <summary>Environment variable overriding the Chromium executable.</summary>
    public const string ChromiumEnvironmentVariable = "LOSSNB_CHROMIUM";

    /// <summary>Debian's chromium package.</summary>
    public const string DefaultChromiumPath = "/usr/bin/chromium";

    /// <summary>Chromium executable; null = $LOSSNB_CHROMIUM, else /usr/bin/chromium.</summary>
    public string? ChromiumPath { get; init; }

    /// <summary>plotly.min.js; null = $LOSSNB_PLOTLYJS, else node_modules/plotly.js-dist-min/plotly.min.js walking up from the current directory.</summary>
    public string? PlotlyJsPath { get; init; }

    /// <summary>Upper bound for starting the Playwright driver and the browser.</summary>
    public TimeSpan LaunchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound for drawing and encoding one figure.</summary>
    public TimeSpan RenderTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The Chromium path these options resolve to.</summary>
    public string ResolveChromiumPath()
    {
        if (!string.IsNullOrEmpty(ChromiumPath)) return ChromiumPath;
        var env = Environment.GetEnvironmentVariable(ChromiumEnvironmentVariable);
        return string.IsNullOrEmpty(env) ? DefaultChromiumPath : env;
    }
}

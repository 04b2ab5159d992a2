namespace LossNotebooks.Figures;

/// <summary>
/// The one place the look of every figure is decided: fonts, colours, sizes, margins. Change a value here and
/// every figure (notebook, HTML, SVG, PNG) follows. Tuned for blog posts: 720×450 px at scale 2 reads well
/// on a laptop and on a phone.
/// </summary>
public static class HouseStyle
{
    /// <summary>DejaVu Sans is installed with Debian's chromium (fonts-dejavu-core), so exports look the same in CI.</summary>
    public const string FontFamily = "DejaVu Sans, Open Sans, Arial, sans-serif";
    public const int FontSize = 14;
    public const int TitleFontSize = 18;
    public const int NoteFontSize = 12;
    public const string TextColor = "#222222";
    public const string GridColor = "#e3e3e3";
    public const string AxisLineColor = "#555555";
    public const string Background = "#ffffff";

    public const int Width = 720;
    public const int Height = 450;
    public const int MarginLeft = 80, MarginRight = 30, MarginTop = 70, MarginBottom = 70;
    /// <summary>Extra bottom margin when a slider sits under the plot.</summary>
    public const int SliderMargin = 90;

    /// <summary>At most this many labelled ticks on a log axis spanning two decades or more (every k-th decade).</summary>
    public const int MaxLogLabels = 9;

    /// <summary>A panel with more traces than this is hard to read in an 800-px column: split it into panels.</summary>
    public const int MaxTracesPerPanel = 5;

    /// <summary>The widest figure that still shows at full size in an 800-px blog column.</summary>
    public const int MaxColumnWidth = 800;

    public const double LineWidth = 2.5;
    public const double MarkerSize = 7;

    /// <summary>
    /// Okabe–Ito colour-blind-safe palette, ordered for lines on white: the yellow (#F0E442) is last because it
    /// is hard to see as a thin line.
    /// </summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];

    /// <summary>Colour for reference lines (y = x, theory, exact tangent).</summary>
    public const string ReferenceColor = "#555555";

    /// <summary>Diverging blue–white–red scale (ColorBrewer RdBu ends), readable with red–green colour blindness.</summary>
    public static IReadOnlyList<(double Stop, string Color)> Diverging { get; } =
        [(0.0, "#2166ac"), (0.25, "#92c5de"), (0.5, "#f7f7f7"), (0.75, "#f4a582"), (1.0, "#b2182b")];

    /// <summary>Sequential scale for non-negative quantities (loss landscapes): plotly's built-in Viridis.</summary>
    public const string Sequential = "Viridis";

    /// <summary>The palette colour for series number <paramref name="index"/> (wraps around).</summary>
    public static string Color(int index) => Palette[((index % Palette.Count) + Palette.Count) % Palette.Count];
}

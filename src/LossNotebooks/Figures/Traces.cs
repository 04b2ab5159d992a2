using LossNotebooks.Validation;

namespace LossNotebooks.Figures;

/// <summary>How a line trace is drawn.</summary>
public enum TraceMode { Lines, Markers, LinesAndMarkers }

/// <summary>Line dash pattern (plotly names).</summary>
public enum LineDash { Solid, Dash, Dot, DashDot }

/// <summary>Marker shapes that stay distinguishable in greyscale print.</summary>
public enum MarkerSymbol
{
    Circle, Square, Diamond, TriangleUp, Cross, Star,
    /// <summary>A short horizontal stroke (plotly "line-ew"), drawn in the marker outline colour: a level per x.</summary>
    HorizontalDash,
}

/// <summary>
/// A drawable series. Data is copied on construction: a figure is a value, later changes to the caller's arrays
/// do not change it. NaN and ±∞ are REJECTED (ArgumentException naming the parameter): plotly would silently
/// leave a gap, which hides exactly the numerical failures these notebooks are about.
/// </summary>
public abstract class Trace
{
    /// <summary>Legend label.</summary>
    public string? Name { get; init; }

    /// <summary>0-based subplot panel (row-major in the figure's grid).</summary>
    public int Panel { get; init; }

    public bool ShowLegend { get; init; } = true;

    /// <summary>Traces in one group toggle together in the legend (same method in two stacked panels).</summary>
    public string? LegendGroup { get; init; }

    /// <summary>Short kind name for summaries: "line", "band", "heatmap", "contour".</summary>
    public abstract string Kind { get; }

    /// <summary>X coordinates that must be positive when the panel's x axis is logarithmic.</summary>
    internal abstract ReadOnlySpan<double> XValues { get; }

    /// <summary>Y coordinates that must be positive when the panel's y axis is logarithmic.</summary>
    internal abstract ReadOnlySpan<double> YValues { get; }

    internal static double[] CopyFinite(ReadOnlySpan<double> values, string name)
    {
        if (values.IsEmpty) throw new ArgumentException($"{name} must not be empty.", name);
        Guard.AllFinite(values, name);
        return values.ToArray();
    }
}

/// <summary>A line and/or marker series (plotly "scatter").</summary>
public sealed class LineTrace : Trace
{
    private readonly double[] _x, _y;

    /// <summary>Series y over x; lengths must match, both non-empty and finite.</summary>
    public LineTrace(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        _x = CopyFinite(x, nameof(x));
        _y = CopyFinite(y, nameof(y));
        Guard.Length(_y.Length, _x.Length, "one y per x", nameof(y));
    }

    public IReadOnlyList<double> X => _x;
    public IReadOnlyList<double> Y => _y;
    public TraceMode Mode { get; init; } = TraceMode.Lines;
    public LineDash Dash { get; init; } = LineDash.Solid;
    /// <summary>CSS colour; null = the house palette colour for this trace's position among line traces.</summary>
    public string? Color { get; init; }
    public double Width { get; init; } = HouseStyle.LineWidth;
    public double MarkerSize { get; init; } = HouseStyle.MarkerSize;
    public MarkerSymbol Symbol { get; init; } = MarkerSymbol.Circle;
    /// <summary>Outline colour of the markers (keeps white markers visible in the legend); null = none.</summary>
    public string? MarkerOutline { get; init; }
    /// <summary>Marker opacity in (0, 1]; lower it for dense scatter plots.</summary>
    public double Opacity { get; init; } = 1;

    /// <summary>
    /// Indices i after which the line stops and starts again at point i + 1 (a jump drawn as a break, not as a
    /// steep connecting segment). Written as a null point between the two; each index must lie in [0, n − 2].
    /// </summary>
    public IReadOnlyList<int> BreakAfter
    {
        get => _breaks;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            var sorted = value.Distinct().Order().ToArray();
            foreach (var i in sorted)
                if (i < 0 || i > _x.Length - 2)
                    throw new ArgumentOutOfRangeException(nameof(BreakAfter), i, $"a break index must lie in [0, {_x.Length - 2}] (between two points).");
            _breaks = sorted;
        }
    }
    private readonly int[] _breaks = [];

    /// <summary>Index of one point drawn as a large star on the line (a rule's best step); null = none.</summary>
    public int? StarAt
    {
        get => _star;
        init
        {
            if (value is int i && (i < 0 || i >= _x.Length))
                throw new ArgumentOutOfRangeException(nameof(StarAt), i, $"StarAt must index a point in [0, {_x.Length - 1}].");
            _star = value;
        }
    }
    private readonly int? _star;

    public override string Kind => Mode == TraceMode.Markers ? "scatter" : "line";
    internal override ReadOnlySpan<double> XValues => _x;
    internal override ReadOnlySpan<double> YValues => _y;
}

/// <summary>
/// A shaded band between <c>lower</c> and <c>upper</c> over x (an error band, a min–max envelope); drawn as one
/// closed polygon so it is a single trace in the legend.
/// </summary>
public sealed class BandTrace : Trace
{
    private readonly double[] _x, _lower, _upper;

    public BandTrace(ReadOnlySpan<double> x, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        _x = CopyFinite(x, nameof(x));
        _lower = CopyFinite(lower, nameof(lower));
        _upper = CopyFinite(upper, nameof(upper));
        Guard.Length(_lower.Length, _x.Length, "one lower bound per x", nameof(lower));
        Guard.Length(_upper.Length, _x.Length, "one upper bound per x", nameof(upper));
        for (int i = 0; i < _x.Length; i++)
            if (_lower[i] > _upper[i])
                throw new ArgumentException($"lower[{i}] = {_lower[i]} exceeds upper[{i}] = {_upper[i]}.", nameof(lower));
    }

    public IReadOnlyList<double> X => _x;
    public IReadOnlyList<double> Lower => _lower;
    public IReadOnlyList<double> Upper => _upper;
    /// <summary>Fill colour (hex #rrggbb); null = palette colour by position among bands and lines.</summary>
    public string? Color { get; init; }
    /// <summary>Fill opacity in (0, 1].</summary>
    public double Opacity { get; init; } = 0.2;

    public override string Kind => "band";
    internal override ReadOnlySpan<double> XValues => _x;
    internal override ReadOnlySpan<double> YValues => _lower; // lower ≤ upper, so lower > 0 covers both on a log axis
}

/// <summary>Which colour scale a heatmap uses.</summary>
public enum ColorScale
{
    /// <summary>Blue–white–red centred at 0 with a symmetric range (signed values: Hessians, gradients).</summary>
    Diverging,
    /// <summary>Viridis over the data range (non-negative values: losses).</summary>
    Sequential,
}

/// <summary>
/// z over a grid: <c>rows</c> values of y by <c>columns</c> values of x, row-major (z[r*columns + c] sits at
/// (x[c], y[r])). Drawn as a heatmap or, with <see cref="Contour"/>, as filled contours.
/// </summary>
public sealed class HeatmapTrace : Trace
{
    private readonly double[] _z;
    private readonly double[]? _x, _y;

    /// <summary>Heatmap over index positions 0..columns−1 × 0..rows−1.</summary>
    public HeatmapTrace(ReadOnlySpan<double> z, int rows, int columns)
    {
        Guard.Positive(rows);
        Guard.Positive(columns);
        _z = CopyFinite(z, nameof(z));
        Guard.Length(_z.Length, rows * columns, "rows × columns, row-major", nameof(z));
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Heatmap over coordinates x (length = columns) and y (length = rows).</summary>
    public HeatmapTrace(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z)
        : this(z, y.Length == 0 ? throw new ArgumentException("y must not be empty.", nameof(y)) : y.Length,
               x.Length == 0 ? throw new ArgumentException("x must not be empty.", nameof(x)) : x.Length)
    {
        _x = CopyFinite(x, nameof(x));
        _y = CopyFinite(y, nameof(y));
    }

    public int Rows { get; }
    public int Columns { get; }
    public IReadOnlyList<double> Z => _z;
    public IReadOnlyList<double>? XCoordinates => _x;
    public IReadOnlyList<double>? YCoordinates => _y;
    /// <summary>Category labels for columns (x) and rows (y) instead of numbers, e.g. class names.</summary>
    public IReadOnlyList<string>? ColumnLabels { get; init; }
    public IReadOnlyList<string>? RowLabels { get; init; }
    public ColorScale Scale { get; init; } = ColorScale.Sequential;
    /// <summary>Write each cell's value on the cell (sensible for blocks up to ~12×12).</summary>
    public bool ShowValues { get; init; }
    /// <summary>Filled contour lines instead of cells (2-D loss landscapes).</summary>
    public bool Contour { get; init; }
    public string? ColorBarTitle { get; init; }

    /// <summary>Cell opacity in (0, 1]; lower it so markers drawn on top stay visible (decision regions).</summary>
    public double Opacity
    {
        get => _opacity;
        init
        {
            if (!(value > 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(Opacity), value, "Opacity must be in (0, 1].");
            _opacity = value;
        }
    }
    private readonly double _opacity = 1;

    /// <summary>
    /// 0 (default): z is a continuous quantity on <see cref="Scale"/>. K &gt; 0: z holds category indices 0..K−1 (a
    /// classifier's predicted class per grid cell) and category k is drawn in the house palette colour k — the colour
    /// a scatter of class k uses — with no colour bar. Any z that is not an integer in [0, K) is rejected.
    /// </summary>
    public int Categories
    {
        get => _categories;
        init
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(Categories), value, "Categories must be 0 (continuous) or positive.");
            for (int i = 0; i < _z.Length; i++)
                if (value > 0 && (_z[i] != Math.Floor(_z[i]) || _z[i] < 0 || _z[i] >= value))
                    throw new ArgumentException($"z[{i}] = {_z[i]} is not a category index in [0, {value}).", "z");
            _categories = value;
        }
    }
    private readonly int _categories;

    public override string Kind => Contour ? "contour" : Categories > 0 ? "regions" : "heatmap";
    internal override ReadOnlySpan<double> XValues => _x;
    internal override ReadOnlySpan<double> YValues => _y;

    /// <summary>The symmetric bound max|z| used for the diverging scale (1 when z is all zero).</summary>
    internal double AbsMax()
    {
        double m = 0;
        foreach (var v in _z) m = Math.Max(m, Math.Abs(v));
        return m > 0 ? m : 1;
    }
}

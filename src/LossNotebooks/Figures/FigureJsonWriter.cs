using System.Globalization;
using System.Text.Json;

namespace LossNotebooks.Figures;

/// <summary>
/// Writes Plotly figure JSON with a fixed property order, invariant culture and shortest round-trip doubles
/// ("R"), so equal figures give equal bytes on every machine. The default encoder escapes &lt; &gt; &amp; ',
/// which makes the JSON safe to inline in a &lt;script&gt; element.
/// </summary>
internal static class FigureJsonWriter
{

    public static byte[] Write(Figure fig)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            var colors = AssignColors(fig);
            for (int i = 0; i < fig.Traces.Count; i++) WriteTrace(w, fig, fig.Traces[i], colors[i]);
            w.WriteEndArray();
            WriteLayout(w, fig);
            if (fig.Frames.Count > 0) WriteFrames(w, fig);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Palette colour by position among the traces that take one (lines and bands), unless set.</summary>
    private static string?[] AssignColors(Figure fig)
    {
        var colors = new string?[fig.Traces.Count];
        int k = 0;
        for (int i = 0; i < fig.Traces.Count; i++)
            colors[i] = fig.Traces[i] switch
            {
                LineTrace l => l.Color ?? HouseStyle.Color(k++),
                BandTrace b => b.Color ?? HouseStyle.Color(k++),
                _ => null,
            };
        return colors;
    }

    internal static void Number(Utf8JsonWriter w, double d)
    {
        // Validation upstream makes this unreachable; a NaN must never reach plotly silently.
        if (!double.IsFinite(d)) throw new InvalidOperationException($"Non-finite number {d} in figure JSON.");
        w.WriteRawValue(d.ToString("R", CultureInfo.InvariantCulture));
    }

    private static void Number(Utf8JsonWriter w, string name, double d)
    {
        w.WritePropertyName(name);
        Number(w, d);
    }

    private static void Array(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Number(w, v);
        w.WriteEndArray();
    }

    private static string AxisRef(string letter, int panel) => panel == 0 ? letter : letter + (panel + 1).ToString(CultureInfo.InvariantCulture);
    private static string AxisKey(string letter, int panel) => AxisRef(letter + "axis", panel);

    private static void CommonTraceProps(Utf8JsonWriter w, Trace t)
    {
        if (t.Name is not null) w.WriteString("name", t.Name);
        // Heatmaps explain themselves through their colour bar, not the legend.
        w.WriteBoolean("showlegend", t.ShowLegend && t.Name is not null && t is not HeatmapTrace);
        if (t.LegendGroup is not null) w.WriteString("legendgroup", t.LegendGroup);
        w.WriteString("xaxis", AxisRef("x", t.Panel));
        w.WriteString("yaxis", AxisRef("y", t.Panel));
    }

    private static void WriteTrace(Utf8JsonWriter w, Figure fig, Trace trace, string? color)
    {
        w.WriteStartObject();
        switch (trace)
        {
            case LineTrace l:
            {
                w.WriteString("type", "scatter");
                CommonTraceProps(w, l);
                // A star on a plain line needs markers; every other point gets size 0.
                bool markers = l.Mode != TraceMode.Lines || l.StarAt is not null;
                w.WriteString("mode", l.Mode switch { TraceMode.Lines when !markers => "lines", TraceMode.Markers => "markers", _ => "lines+markers" });
                // Point k of the written arrays: data index, or −1 for the null that breaks the line.
                var points = new List<int>(l.X.Count + l.BreakAfter.Count);
                for (int i = 0, b = 0; i < l.X.Count; i++)
                {
                    points.Add(i);
                    if (b < l.BreakAfter.Count && l.BreakAfter[b] == i) { points.Add(-1); b++; }
                }
                w.WriteStartArray("x");
                for (int k = 0; k < points.Count; k++)
                    if (points[k] >= 0) Number(w, l.X[points[k]]);
                    else Number(w, (l.X[points[k - 1]] + l.X[points[k - 1] + 1]) / 2); // any x: the null y makes the gap
                w.WriteEndArray();
                w.WriteStartArray("y");
                foreach (var i in points)
                    if (i >= 0) Number(w, l.Y[i]);
                    else w.WriteNullValue(); // plotly leaves a gap at a null y (connectgaps is off)
                w.WriteEndArray();
                if (l.Mode != TraceMode.Markers)
                {
                    w.WriteStartObject("line");
                    w.WriteString("color", color);
                    Number(w, "width", l.Width);
                    w.WriteString("dash", l.Dash switch { LineDash.Dash => "dash", LineDash.Dot => "dot", LineDash.DashDot => "dashdot", _ => "solid" });
                    w.WriteEndObject();
                }
                if (markers)
                {
                    w.WriteStartObject("marker");
                    w.WriteString("color", color);
                    double baseSize = l.Mode == TraceMode.Lines ? 0 : l.MarkerSize;
                    string symbol = SymbolName(l.Symbol);
                    if (l.StarAt is int star)
                    {
                        int starPoint = points.IndexOf(star);
                        w.WriteStartArray("size");
                        for (int k = 0; k < points.Count; k++) Number(w, k == starPoint ? 16 : baseSize);
                        w.WriteEndArray();
                        w.WriteStartArray("symbol");
                        for (int k = 0; k < points.Count; k++) w.WriteStringValue(k == starPoint ? "star" : symbol);
                        w.WriteEndArray();
                    }
                    else
                    {
                        Number(w, "size", baseSize);
                        w.WriteString("symbol", symbol);
                    }
                    Number(w, "opacity", l.Opacity);
                    if (l.MarkerOutline is not null)
                    {
                        w.WriteStartObject("line");
                        w.WriteString("color", l.MarkerOutline);
                        Number(w, "width", 1.5);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                break;
            }
            case BandTrace b:
                w.WriteString("type", "scatter");
                CommonTraceProps(w, b);
                w.WriteString("mode", "lines");
                // One closed polygon: x forward along the upper bound, back along the lower bound.
                w.WriteStartArray("x");
                for (int i = 0; i < b.X.Count; i++) Number(w, b.X[i]);
                for (int i = b.X.Count - 1; i >= 0; i--) Number(w, b.X[i]);
                w.WriteEndArray();
                w.WriteStartArray("y");
                for (int i = 0; i < b.Upper.Count; i++) Number(w, b.Upper[i]);
                for (int i = b.Lower.Count - 1; i >= 0; i--) Number(w, b.Lower[i]);
                w.WriteEndArray();
                w.WriteString("fill", "toself");
                w.WriteString("fillcolor", Rgba(color!, b.Opacity));
                w.WriteStartObject("line");
                Number(w, "width", 0);
                w.WriteEndObject();
                w.WriteString("hoverinfo", "skip");
                break;
            case HeatmapTrace h:
                w.WriteString("type", h.Contour ? "contour" : "heatmap");
                CommonTraceProps(w, h);
                if (h.ColumnLabels is { } cl) Strings(w, "x", cl);
                else if (h.XCoordinates is { } xs) Array(w, "x", xs);
                if (h.RowLabels is { } rl) Strings(w, "y", rl);
                else if (h.YCoordinates is { } ys) Array(w, "y", ys);
                w.WriteStartArray("z");
                for (int r = 0; r < h.Rows; r++)
                {
                    w.WriteStartArray();
                    for (int c = 0; c < h.Columns; c++) Number(w, h.Z[r * h.Columns + c]);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                if (h.Categories > 0)
                {
                    // Steps: category k fills [k/K, (k+1)/K] of the scale with palette colour k; z ∈ {0..K−1} sits
                    // in the middle of its step because the scale runs from −0.5 to K − 0.5.
                    int categories = h.Categories;
                    w.WriteStartArray("colorscale");
                    for (int k = 0; k < categories; k++)
                        foreach (double stop in new[] { (double)k / categories, (double)(k + 1) / categories })
                        {
                            w.WriteStartArray();
                            Number(w, stop);
                            w.WriteStringValue(HouseStyle.Color(k));
                            w.WriteEndArray();
                        }
                    w.WriteEndArray();
                    Number(w, "zmin", -0.5);
                    Number(w, "zmax", categories - 0.5);
                    w.WriteBoolean("showscale", false);
                    w.WriteString("hoverinfo", "skip");
                }
                else if (h.Scale == ColorScale.Diverging)
                {
                    w.WriteStartArray("colorscale");
                    foreach (var (stop, c) in HouseStyle.Diverging)
                    {
                        w.WriteStartArray();
                        Number(w, stop);
                        w.WriteStringValue(c);
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                    double m = h.AbsMax();
                    Number(w, "zmin", -m);
                    Number(w, "zmax", m);
                    Number(w, "zmid", 0);
                }
                else
                {
                    w.WriteString("colorscale", HouseStyle.Sequential);
                }
                if (h.Opacity != 1) Number(w, "opacity", h.Opacity);
                if (h.Categories == 0) WriteColorBar(w, h);
                if (h.ShowValues)
                {
                    w.WriteString("texttemplate", "%{z:.3g}");
                    w.WriteStartObject("textfont");
                    Number(w, "size", HouseStyle.NoteFontSize);
                    w.WriteEndObject();
                }
                if (h.Contour)
                {
                    w.WriteStartObject("contours");
                    w.WriteString("coloring", "heatmap");
                    w.WriteBoolean("showlines", true);
                    w.WriteEndObject();
                    w.WriteStartObject("line");
                    Number(w, "width", 0.5);
                    w.WriteString("color", "rgba(255,255,255,0.6)");
                    w.WriteEndObject();
                }
                break;
            default:
                throw new InvalidOperationException($"Unknown trace type {trace.GetType().Name}.");
        }
        w.WriteEndObject();
    }

    private static string SymbolName(MarkerSymbol s) => s switch
    {
        MarkerSymbol.Square => "square", MarkerSymbol.Diamond => "diamond", MarkerSymbol.TriangleUp => "triangle-up",
        MarkerSymbol.Cross => "x", MarkerSymbol.Star => "star", MarkerSymbol.HorizontalDash => "line-ew", _ => "circle",
    };

    private static void WriteColorBar(Utf8JsonWriter w, HeatmapTrace h)
    {
        w.WriteStartObject("colorbar");
        if (h.ColorBarTitle is not null)
        {
            w.WriteStartObject("title");
            w.WriteString("text", h.ColorBarTitle);
            w.WriteEndObject();
        }
        Number(w, "thickness", 16);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static string Rgba(string hex, double opacity)
    {
        if (hex.Length != 7 || hex[0] != '#') return hex; // not #rrggbb: pass through, plotly's fill uses its own alpha
        int r = Convert.ToInt32(hex.Substring(1, 2), 16), g = Convert.ToInt32(hex.Substring(3, 2), 16), b = Convert.ToInt32(hex.Substring(5, 2), 16);
        return string.Create(CultureInfo.InvariantCulture, $"rgba({r},{g},{b},{opacity:R})");
    }

    private static void Font(Utf8JsonWriter w, string name, int size)
    {
        w.WriteStartObject(name);
        w.WriteString("family", HouseStyle.FontFamily);
        Number(w, "size", size);
        w.WriteString("color", HouseStyle.TextColor);
        w.WriteEndObject();
    }

    private static void WriteLayout(Utf8JsonWriter w, Figure fig)
    {
        w.WriteStartObject("layout");
        w.WriteStartObject("title");
        w.WriteString("text", fig.Title ?? "");
        Number(w, "x", 0.01);
        w.WriteString("xanchor", "left");
        Font(w, "font", HouseStyle.TitleFontSize);
        w.WriteEndObject();
        Number(w, "width", fig.Width);
        Number(w, "height", fig.Height);
        Font(w, "font", HouseStyle.FontSize);
        w.WriteString("paper_bgcolor", HouseStyle.Background);
        w.WriteString("plot_bgcolor", HouseStyle.Background);
        w.WriteStartArray("colorway");
        foreach (var c in HouseStyle.Palette) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteStartObject("margin");
        Number(w, "l", HouseStyle.MarginLeft);
        Number(w, "r", HouseStyle.MarginRight);
        // Notes are a caption outside the plot (FigureHtml), never drawn into it: only the title takes room on top.
        int titleLines = (fig.Title ?? "").Split("<br>").Length;
        Number(w, "t", 30 + 28 * titleLines + (fig.Panels.Take(fig.Columns).Any(p => p.Title is not null) ? 34 : 0));
        Number(w, "b", HouseStyle.MarginBottom + (fig.Slider is null ? 0 : HouseStyle.SliderMargin));
        w.WriteEndObject();
        w.WriteBoolean("showlegend", fig.ShowLegend);
        w.WriteStartObject("legend");
        w.WriteString("bgcolor", "rgba(255,255,255,0.85)");
        w.WriteString("bordercolor", "#cccccc");
        Number(w, "borderwidth", 1);
        switch (fig.Legend)
        {
            case LegendPlacement.Top:
                // Horizontal, above the plot area at the right: clear of colour bars and the left-aligned title.
                w.WriteString("orientation", "h");
                Number(w, "x", 1);
                w.WriteString("xanchor", "right");
                Number(w, "y", 1.02);
                w.WriteString("yanchor", "bottom");
                break;
            case LegendPlacement.Bottom:
                // Horizontal at the bottom of the whole figure (container coordinates): under the x-axis title,
                // and plotly grows the bottom margin to fit it, so it never covers data or tick labels.
                w.WriteString("orientation", "h");
                Number(w, "x", 0);
                w.WriteString("xanchor", "left");
                Number(w, "y", 0);
                w.WriteString("yref", "container");
                w.WriteString("yanchor", "bottom");
                break;
            case LegendPlacement.InsideTopLeft:
            case LegendPlacement.InsideTopRight:
            case LegendPlacement.InsideBottomRight:
            {
                // Inside the first panel (top left of the grid), against the chosen corner.
                double firstColumn = (1 - fig.HorizontalSpacing * (fig.Columns - 1)) / fig.Columns;
                double firstRow = (1 - fig.VerticalSpacing * (fig.Rows - 1)) / fig.Rows;
                bool left = fig.Legend == LegendPlacement.InsideTopLeft, bottom = fig.Legend == LegendPlacement.InsideBottomRight;
                Number(w, "x", left ? 0.01 : firstColumn - 0.01);
                w.WriteString("xanchor", left ? "left" : "right");
                Number(w, "y", bottom ? 1 - firstRow + 0.01 : 0.99);
                w.WriteString("yanchor", bottom ? "bottom" : "top");
                break;
            }
        }
        w.WriteEndObject();
        w.WriteString("hovermode", "closest");

        int rows = fig.Rows, cols = fig.Columns;
        double PanelGapX = fig.HorizontalSpacing, PanelGapY = fig.VerticalSpacing;
        double cw = (1 - PanelGapX * (cols - 1)) / cols, rh = (1 - PanelGapY * (rows - 1)) / rows;
        for (int k = 0; k < fig.Panels.Count; k++)
        {
            int r = k / cols, c = k % cols;
            double x0 = c * (cw + PanelGapX), y1 = 1 - r * (rh + PanelGapY);
            var p = fig.Panels[k];
            WriteAxis(w, AxisKey("x", k), p.XAxis, (x0, Math.Min(1, x0 + cw)), AxisRef("y", k), k > 0 && fig.SharedX ? "x" : null, Span(fig, k, x: true));
            WriteAxis(w, AxisKey("y", k), p.YAxis, (Math.Max(0, y1 - rh), y1), AxisRef("x", k), null, Span(fig, k, x: false));
        }

        var titled = fig.Panels.Select((p, k) => (p, k)).Where(t => t.p.Title is not null).ToList();
        if (titled.Count > 0 || fig.Labels.Count > 0)
        {
            w.WriteStartArray("annotations");
            foreach (var (p, k) in titled)
            {
                int r = k / cols, c = k % cols;
                double x0 = c * (cw + PanelGapX), y1 = 1 - r * (rh + PanelGapY);
                w.WriteStartObject();
                w.WriteString("name", "panel-title");
                w.WriteString("text", $"<b>{System.Net.WebUtility.HtmlEncode(p.Title)}</b>");
                Number(w, "x", x0 + cw / 2);
                Number(w, "y", y1);
                w.WriteString("xref", "paper");
                w.WriteString("yref", "paper");
                w.WriteString("xanchor", "center");
                w.WriteString("yanchor", "bottom");
                w.WriteBoolean("showarrow", false);
                Font(w, "font", HouseStyle.FontSize);
                w.WriteEndObject();
            }
            foreach (var l in fig.Labels)
            {
                var p = fig.Panels[l.Panel];
                w.WriteStartObject();
                w.WriteString("name", "label");
                w.WriteString("text", System.Net.WebUtility.HtmlEncode(l.Text));
                // plotly places annotations on a log axis by the exponent.
                Number(w, "x", p.XAxis.Type == AxisType.Log ? Math.Log10(l.X) : l.X);
                Number(w, "y", p.YAxis.Type == AxisType.Log ? Math.Log10(l.Y) : l.Y);
                w.WriteString("xref", AxisRef("x", l.Panel));
                w.WriteString("yref", AxisRef("y", l.Panel));
                w.WriteString("xanchor", l.Anchor);
                w.WriteString("yanchor", "middle");
                w.WriteBoolean("showarrow", false);
                w.WriteStartObject("font");
                w.WriteString("family", HouseStyle.FontFamily);
                Number(w, "size", HouseStyle.NoteFontSize);
                w.WriteString("color", l.Color ?? HouseStyle.TextColor);
                w.WriteEndObject();
                w.WriteString("bgcolor", "rgba(255,255,255,0.8)");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        if (fig.Name is { } name)
        {
            // Read by `lossnb run` (figure file names); plotly ignores "meta".
            w.WriteStartObject("meta");
            w.WriteString("lossnbName", name);
            w.WriteEndObject();
        }

        if (fig.Slider is { } s)
        {
            w.WriteStartArray("sliders");
            w.WriteStartObject();
            Number(w, "active", s.Active);
            w.WriteStartObject("currentvalue");
            w.WriteString("prefix", s.Prefix);
            Font(w, "font", HouseStyle.FontSize);
            w.WriteEndObject();
            w.WriteStartObject("pad");
            Number(w, "t", 55);
            w.WriteEndObject();
            w.WriteStartArray("steps");
            foreach (var f in fig.Frames)
            {
                w.WriteStartObject();
                w.WriteString("label", f.Name);
                w.WriteString("method", "animate");
                w.WriteStartArray("args");
                w.WriteStartArray();
                w.WriteStringValue(f.Name);
                w.WriteEndArray();
                w.WriteStartObject();
                w.WriteString("mode", "immediate");
                w.WriteStartObject("frame");
                Number(w, "duration", 0);
                w.WriteBoolean("redraw", true);
                w.WriteEndObject();
                w.WriteStartObject("transition");
                Number(w, "duration", 0);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>The positive data range of panel <paramref name="panel"/> on one log axis (its range if set); null otherwise.</summary>
    private static (double Lo, double Hi)? Span(Figure fig, int panel, bool x)
    {
        var axis = x ? fig.Panels[panel].XAxis : fig.Panels[panel].YAxis;
        if (axis.Type != AxisType.Log) return null;
        if (axis.Range is { } r) return (r.Min, r.Max);
        double lo = double.PositiveInfinity, hi = 0;
        foreach (var t in fig.Traces)
        {
            if (t.Panel != panel) continue;
            foreach (var d in x ? t.XValues : t.YValues) if (d > 0) { lo = Math.Min(lo, d); hi = Math.Max(hi, d); }
            if (!x && t is BandTrace band) foreach (var d in band.Upper) if (d > 0) { lo = Math.Min(lo, d); hi = Math.Max(hi, d); }
        }
        return hi > 0 ? (lo, hi) : null;
    }

    private static void WriteAxis(Utf8JsonWriter w, string key, Axis a, (double, double) domain, string anchor, string? matches, (double Lo, double Hi)? span)
    {
        w.WriteStartObject(key);
        w.WriteStartObject("title");
        w.WriteString("text", a.Title);
        w.WriteEndObject();
        w.WriteString("type", a.Type switch { AxisType.Log => "log", AxisType.Category => "category", _ => "linear" });
        if (a.Type == AxisType.Log)
        {
            w.WriteString("exponentformat", "power");
            double decades = span is var (lo0, hi0) ? Math.Log10(hi0 / lo0) : double.PositiveInfinity;
            if (decades < 2 && span is var (lo, hi))
            {
                // Over less than two decades a decade-only axis has one or two labels: write 1-2-5 ticks (denser
                // under one decade) with full labels ("0.2", "5e-3") instead of plotly's bare digits 2…9.
                var ticks = new List<double>();
                double[] mantissas = decades < 1 ? [1, 1.5, 2, 3, 5, 7] : [1, 2, 5];
                for (int e = (int)Math.Floor(Math.Log10(lo)) - 1; e <= (int)Math.Ceiling(Math.Log10(hi)); e++)
                    foreach (var m in mantissas)
                    {
                        double v = m * Math.Pow(10, e);
                        if (v >= lo / 1.25 && v <= hi * 1.25) ticks.Add(double.Parse(v.ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
                    }
                w.WriteString("tickmode", "array");
                w.WriteStartArray("tickvals");
                foreach (var v in ticks) Number(w, v);
                w.WriteEndArray();
                w.WriteStartArray("ticktext");
                foreach (var v in ticks) w.WriteStringValue(Plots.Fmt(v));
                w.WriteEndArray();
            }
            else
            {
                // Labels on decades only (every k-th decade on wide axes, at most HouseStyle.MaxLogLabels), so every
                // label carries its exponent; plotly's default labels 2 and 5 between decades as bare digits
                // ("10, 5, 2, 1, 5, 2, 10⁻¹"). Minor ticks at 2…9 × 10ᵏ, unlabelled.
                int every = double.IsFinite(decades) ? Math.Max(1, (int)Math.Ceiling(decades / (HouseStyle.MaxLogLabels - 1))) : 1;
                w.WriteString("tickmode", "linear");
                Number(w, "tick0", 0);
                Number(w, "dtick", every);
                if (every == 1)
                {
                    w.WriteStartObject("minor");
                    w.WriteString("ticks", "outside");
                    Number(w, "ticklen", 4);
                    w.WriteString("tickcolor", HouseStyle.AxisLineColor);
                    w.WriteBoolean("showgrid", false);
                    w.WriteEndObject();
                }
            }
        }
        if (a.Range is { } range)
        {
            // plotly wants log-axis ranges as exponents; callers give data units.
            w.WriteStartArray("range");
            Number(w, a.Type == AxisType.Log ? Math.Log10(range.Min) : range.Min);
            Number(w, a.Type == AxisType.Log ? Math.Log10(range.Max) : range.Max);
            w.WriteEndArray();
        }
        else if (a.Reversed) w.WriteString("autorange", "reversed");
        w.WriteStartArray("domain");
        Number(w, domain.Item1);
        Number(w, domain.Item2);
        w.WriteEndArray();
        w.WriteString("anchor", anchor);
        if (matches is not null) w.WriteString("matches", matches);
        w.WriteBoolean("showgrid", true);
        w.WriteString("gridcolor", HouseStyle.GridColor);
        w.WriteBoolean("zeroline", a.ZeroLine);
        if (a.ZeroLine) w.WriteString("zerolinecolor", HouseStyle.AxisLineColor);
        w.WriteBoolean("showline", true);
        w.WriteString("linecolor", HouseStyle.AxisLineColor);
        w.WriteString("ticks", "outside");
        w.WriteString("tickcolor", HouseStyle.AxisLineColor);
        w.WriteBoolean("automargin", true);
        w.WriteEndObject();
    }

    private static void WriteFrames(Utf8JsonWriter w, Figure fig)
    {
        w.WriteStartArray("frames");
        foreach (var f in fig.Frames)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteStartArray("data");
            foreach (var u in f.Updates)
            {
                w.WriteStartObject();
                Array(w, "x", u.X);
                Array(w, "y", u.Y);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("traces");
            foreach (var u in f.Updates) w.WriteNumberValue(u.TraceIndex);
            w.WriteEndArray();
            if (f.Title is not null)
            {
                w.WriteStartObject("layout");
                w.WriteStartObject("title");
                w.WriteString("text", f.Title);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

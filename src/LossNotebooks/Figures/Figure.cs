using System.Globalization;
using System.Text;
using LossNotebooks.Display;
using LossNotebooks.Validation;

namespace LossNotebooks.Figures;

/// <summary>Where the legend sits.</summary>
public enum LegendPlacement
{
    /// <summary>Horizontal, under the plot at the left (the default: takes no plot width, wraps long names).</summary>
    Bottom,
    /// <summary>Vertical, right of the plot (plotly's default; long names take plot width).</summary>
    Right,
    /// <summary>Horizontal, above the plot at the right (figures with a colour bar).</summary>
    Top,
    /// <summary>Vertical, inside the first panel's top left corner (figures whose bottom holds a slider).</summary>
    InsideTopLeft,
    /// <summary>Vertical, inside the first panel's top right corner.</summary>
    InsideTopRight,
    /// <summary>Vertical, inside the first panel's bottom right corner.</summary>
    InsideBottomRight,
}

/// <summary>A text label at data coordinates of one panel (e.g. "slope −1" next to a reference line).</summary>
public sealed record TextLabel(string Text, double X, double Y, int Panel = 0)
{
    /// <summary>Text colour; null = the house text colour.</summary>
    public string? Color { get; init; }
    /// <summary>Horizontal anchor: "left", "center" or "right" of the text at X.</summary>
    public string Anchor { get; init; } = "left";
}

/// <summary>One subplot: its axes and an optional title above it.</summary>
public sealed class Panel
{
    public Axis XAxis { get; set; } = new();
    public Axis YAxis { get; set; } = new();
    public string? Title { get; set; }
}

/// <summary>New x/y data for one trace (by index in <see cref="Figure.Traces"/>) inside a <see cref="Frame"/>.</summary>
public sealed class FrameUpdate
{
    private readonly double[] _x, _y;

    public FrameUpdate(int traceIndex, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (traceIndex < 0) throw new ArgumentOutOfRangeException(nameof(traceIndex), traceIndex, "traceIndex must be non-negative.");
        TraceIndex = traceIndex;
        _x = Trace.CopyFinite(x, nameof(x));
        _y = Trace.CopyFinite(y, nameof(y));
        Guard.Length(_y.Length, _x.Length, "one y per x", nameof(y));
    }

    public int TraceIndex { get; }
    public IReadOnlyList<double> X => _x;
    public IReadOnlyList<double> Y => _y;
}

/// <summary>One animation frame: a name (the slider label), data updates, optionally a new figure title.</summary>
public sealed class Frame
{
    public Frame(string name, IReadOnlyList<FrameUpdate> updates)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("name must not be empty.", nameof(name));
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0) throw new ArgumentException("updates must not be empty.", nameof(updates));
        Name = name;
        Updates = updates.ToArray();
    }

    public string Name { get; }
    public IReadOnlyList<FrameUpdate> Updates { get; }
    /// <summary>Title shown while this frame is active (e.g. the estimate and its error at this h).</summary>
    public string? Title { get; init; }
}

/// <summary>A slider under the plot with one step per frame.</summary>
public sealed record Slider(string Prefix = "")
{
    /// <summary>
    /// Index of the frame shown first, interactively and in static images: the figure's traces must hold that
    /// frame's data and its title (checked when written), so the drawn picture and the slider never disagree.
    /// </summary>
    public int Active { get; init; }
}

/// <summary>
/// A figure: traces on one or more panels (a rows × columns grid), optional frames with a slider, and visible
/// notes. Serialises to Plotly figure JSON (<see cref="ToJson"/>: deterministic bytes), shows itself in
/// notebooks (text/html, text/plain, application/vnd.plotly.v1+json) and is exported by LossNotebooks.Export.
/// </summary>
/// <remarks>
/// Bad input policy: NaN/∞, empty or mismatched series are rejected when a trace is built; a trace with a
/// non-positive coordinate on a log axis is rejected by <see cref="Add"/> (ArgumentException) and again by
/// <see cref="ToJson"/> (InvalidOperationException) if an axis was switched to log afterwards. The ready-made
/// builders in <see cref="Plots"/> instead drop such points and say so in a visible note.
/// </remarks>
[TypeFormatterSource(typeof(FigureFormatterSource), PreferredMimeTypes = ["text/html", "text/plain", FigureFormatterSource.PlotlyMimeType])]
public sealed class Figure : IRichDisplay
{
    private readonly List<Trace> _traces = [];
    private readonly List<Frame> _frames = [];
    private readonly List<string> _notes = [];
    private readonly List<TextLabel> _labels = [];
    private readonly Panel[] _panels;

    /// <summary>A single-panel figure.</summary>
    public Figure() : this(1, 1) { }

    /// <summary>A grid of rows × columns panels, numbered row-major from the top left.</summary>
    public Figure(int rows, int columns)
    {
        Guard.Positive(rows);
        Guard.Positive(columns);
        Rows = rows;
        Columns = columns;
        _panels = new Panel[rows * columns];
        for (int i = 0; i < _panels.Length; i++) _panels[i] = new Panel();
    }

    public string? Title { get; set; }
    public int Width { get; set; } = HouseStyle.Width;
    public int Height { get; set; } = HouseStyle.Height;
    public int Rows { get; }
    public int Columns { get; }
    /// <summary>All panels share the first panel's x range (zooming one zooms all): stacked comparisons.</summary>
    public bool SharedX { get; set; }
    public bool ShowLegend { get; set; } = true;
    public LegendPlacement Legend { get; set; } = LegendPlacement.Bottom;
    /// <summary>Gap between panel columns, as a fraction of the plot width (room for the right panel's y labels).</summary>
    public double HorizontalSpacing { get; set; } = 0.08;
    /// <summary>Gap between panel rows, as a fraction of the plot height.</summary>
    public double VerticalSpacing { get; set; } = 0.12;
    public IReadOnlyList<Panel> Panels => _panels;
    public IReadOnlyList<Trace> Traces => _traces;
    public IReadOnlyList<Frame> Frames => _frames;
    /// <summary>
    /// Caption notes (e.g. "3 points with error = 0 not shown on the log axis"): written under the plot in the HTML
    /// output and in the text summary, never into the plot itself (a blog post puts its caption under the image).
    /// </summary>
    public IReadOnlyList<string> Notes => _notes;
    /// <summary>Text labels at data coordinates.</summary>
    public IReadOnlyList<TextLabel> Labels => _labels;
    public Slider? Slider { get; set; }

    /// <summary>
    /// What the figure shows, as a short lower-case name ("convergence-digits"): `lossnb run` names the figure's
    /// files after it (05-convergence-digits.png), so names stay put when cells move or titles change. Null = a slug
    /// of the title.
    /// </summary>
    public string? Name
    {
        get => _name;
        set
        {
            if (value is not null && !System.Text.RegularExpressions.Regex.IsMatch(value, "^[a-z0-9]+(-[a-z0-9]+)*$"))
                throw new ArgumentException($"Name \"{value}\" must be lower-case ASCII words joined by '-', e.g. \"convergence-digits\".", nameof(value));
            _name = value;
        }
    }
    private string? _name;

    /// <summary>The first panel's x axis.</summary>
    public Axis XAxis { get => _panels[0].XAxis; set => _panels[0].XAxis = value; }
    /// <summary>The first panel's y axis.</summary>
    public Axis YAxis { get => _panels[0].YAxis; set => _panels[0].YAxis = value; }

    /// <summary>Adds a trace; returns its index (for frames). Checks the panel exists and log axes get positive data.</summary>
    public int Add(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if ((uint)trace.Panel >= (uint)_panels.Length)
            throw new ArgumentException($"trace.Panel = {trace.Panel} but the figure has {_panels.Length} panel(s).", nameof(trace));
        if (trace is LineTrace l && (!(l.Opacity > 0 && l.Opacity <= 1) || !(l.Width > 0) || !(l.MarkerSize > 0)))
            throw new ArgumentException($"line trace \"{l.Name}\" needs Opacity in (0, 1] and positive Width and MarkerSize.", nameof(trace));
        if (trace is BandTrace b && !(b.Opacity > 0 && b.Opacity <= 1))
            throw new ArgumentException($"band trace \"{b.Name}\" needs Opacity in (0, 1].", nameof(trace));
        string? problem = LogProblem(trace);
        if (problem is not null) throw new ArgumentException(problem, nameof(trace));
        if (trace is HeatmapTrace h)
        {
            if (h.ColumnLabels is { } cl && cl.Count != h.Columns)
                throw new ArgumentException($"ColumnLabels has {cl.Count} entries, expected {h.Columns}.", nameof(trace));
            if (h.RowLabels is { } rl && rl.Count != h.Rows)
                throw new ArgumentException($"RowLabels has {rl.Count} entries, expected {h.Rows}.", nameof(trace));
        }
        _traces.Add(trace);
        return _traces.Count - 1;
    }

    /// <summary>Adds a frame; every update must refer to an existing trace.</summary>
    public void AddFrame(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        foreach (var u in frame.Updates)
            if (u.TraceIndex >= _traces.Count)
                throw new ArgumentException($"frame \"{frame.Name}\" updates trace {u.TraceIndex}, but the figure has {_traces.Count} trace(s).", nameof(frame));
        if (_frames.Any(f => f.Name == frame.Name))
            throw new ArgumentException($"a frame named \"{frame.Name}\" already exists.", nameof(frame));
        _frames.Add(frame);
    }

    /// <summary>Adds a caption note (under the plot in HTML, in the text summary; not drawn into the plot).</summary>
    public void AddNote(string note)
    {
        if (string.IsNullOrWhiteSpace(note)) throw new ArgumentException("note must not be empty.", nameof(note));
        _notes.Add(note);
    }

    /// <summary>Adds a text label at data coordinates; on a log axis give the value itself, not its exponent.</summary>
    public void AddLabel(TextLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (string.IsNullOrWhiteSpace(label.Text)) throw new ArgumentException("label.Text must not be empty.", nameof(label));
        if ((uint)label.Panel >= (uint)_panels.Length)
            throw new ArgumentException($"label.Panel = {label.Panel} but the figure has {_panels.Length} panel(s).", nameof(label));
        if (!double.IsFinite(label.X) || !double.IsFinite(label.Y))
            throw new ArgumentException($"label \"{label.Text}\" has a non-finite coordinate ({label.X}, {label.Y}).", nameof(label));
        var p = _panels[label.Panel];
        if ((p.XAxis.Type == AxisType.Log && !(label.X > 0)) || (p.YAxis.Type == AxisType.Log && !(label.Y > 0)))
            throw new ArgumentException($"label \"{label.Text}\" sits at ({label.X}, {label.Y}); a log axis needs a positive coordinate.", nameof(label));
        if (label.Anchor is not ("left" or "center" or "right"))
            throw new ArgumentException($"label.Anchor must be left, center or right; got \"{label.Anchor}\".", nameof(label));
        _labels.Add(label);
    }

    /// <summary>Plotly figure JSON {"data","layout"[,"frames"]}: the same figure always gives the same bytes.</summary>
    public string ToJson() => Encoding.UTF8.GetString(ToJsonUtf8());

    /// <summary>UTF-8 bytes of <see cref="ToJson"/>.</summary>
    public byte[] ToJsonUtf8()
    {
        Validate();
        return FigureJsonWriter.Write(this);
    }

    /// <summary>Notebook HTML: a div plus a script that loads plotly.js once per page (see <see cref="PlotlyJs"/>).</summary>
    public string ToHtml() => FigureHtml.Fragment(this);

    /// <summary>Where notebook HTML gets plotly.js: the CDN by default; <see cref="PlotlyJsSource.FromNodeModules"/> for offline.</summary>
    public static PlotlyJsSource PlotlyJs { get; set; } = PlotlyJsSource.Cdn();

    /// <summary>Short text/plain summary: title, panels with axes, traces by kind, frames.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Figure \"{Title ?? ""}\" {Width}×{Height}: ");
        var kinds = _traces.GroupBy(t => t.Kind).Select(g => $"{g.Count()} {g.Key}");
        sb.Append(CultureInfo.InvariantCulture, $"{_traces.Count} trace(s) ({string.Join(", ", kinds)})");
        for (int i = 0; i < _panels.Length; i++)
        {
            var p = _panels[i];
            sb.Append(CultureInfo.InvariantCulture, $"; panel {i + 1}{(p.Title is null ? "" : $" \"{p.Title}\"")}: x {p.XAxis}, y {p.YAxis}");
        }
        if (_frames.Count > 0) sb.Append(CultureInfo.InvariantCulture, $"; {_frames.Count} frames{(Slider is null ? "" : " with slider")}");
        foreach (var n in _notes) sb.Append("; note: ").Append(n);
        return sb.ToString();
    }

    /// <summary>Throws InvalidOperationException when the figure cannot be written faithfully.</summary>
    internal void Validate()
    {
        foreach (var t in _traces)
            if (LogProblem(t) is { } problem) throw new InvalidOperationException(problem);
        for (int i = 0; i < _panels.Length; i++)
            foreach (var a in new[] { _panels[i].XAxis, _panels[i].YAxis })
                if (a.Range is { } r && (!double.IsFinite(r.Min) || !double.IsFinite(r.Max) || !(r.Min < r.Max) || (a.Type == AxisType.Log && !(r.Min > 0))))
                    throw new InvalidOperationException($"Panel {i + 1}: axis \"{a.Title}\" has range ({r.Min}, {r.Max}); it needs finite min < max, and min > 0 on a log axis.");
        if (!(HorizontalSpacing >= 0 && HorizontalSpacing < 0.5) || !(VerticalSpacing >= 0 && VerticalSpacing < 0.5))
            throw new InvalidOperationException($"HorizontalSpacing and VerticalSpacing must lie in [0, 0.5); got {HorizontalSpacing} and {VerticalSpacing}.");
        if (Width < 50 || Height < 50) throw new InvalidOperationException($"Width and Height must be at least 50 px; got {Width}×{Height}.");
        if (Slider is not null && _frames.Count == 0)
            throw new InvalidOperationException("The figure has a slider but no frames.");
        if (Slider is not null && (uint)Slider.Active >= (uint)_frames.Count)
            throw new InvalidOperationException($"Slider.Active = {Slider.Active} but there are {_frames.Count} frames.");
        if (Slider is not null)
        {
            var opening = _frames[Slider.Active];
            foreach (var u in opening.Updates)
                if (_traces[u.TraceIndex] is not LineTrace l || !l.X.SequenceEqual(u.X) || !l.Y.SequenceEqual(u.Y))
                    throw new InvalidOperationException($"Slider.Active = {Slider.Active} opens on frame \"{opening.Name}\", but trace {u.TraceIndex} does not hold that frame's data: the drawn figure would disagree with the slider.");
            if (opening.Title is not null && opening.Title != Title)
                throw new InvalidOperationException($"Slider.Active = {Slider.Active} opens on frame \"{opening.Name}\", but the figure's title is not that frame's title.");
        }
        foreach (var l in _labels)
        {
            var p = _panels[l.Panel];
            if ((p.XAxis.Type == AxisType.Log && !(l.X > 0)) || (p.YAxis.Type == AxisType.Log && !(l.Y > 0)))
                throw new InvalidOperationException($"Label \"{l.Text}\" sits at ({l.X}, {l.Y}) on a log axis of panel {l.Panel + 1}; it needs a positive coordinate.");
        }
        foreach (var f in _frames)
            foreach (var u in f.Updates)
            {
                var p = _panels[_traces[u.TraceIndex].Panel];
                if ((p.XAxis.Type == AxisType.Log && !AllPositive(u.X)) || (p.YAxis.Type == AxisType.Log && !AllPositive(u.Y)))
                    throw new InvalidOperationException($"Frame \"{f.Name}\" puts a non-positive value on a log axis (trace {u.TraceIndex}).");
            }
    }

    private static bool AllPositive(IReadOnlyList<double> v)
    {
        foreach (var d in v) if (!(d > 0)) return false;
        return true;
    }

    private string? LogProblem(Trace t)
    {
        var p = _panels[t.Panel];
        if (p.XAxis.Type == AxisType.Log && FirstNonPositive(t.XValues) is int i)
            return $"{t.Kind} trace \"{t.Name}\" has x[{i}] = {t.XValues[i].ToString("R", CultureInfo.InvariantCulture)} on the log x axis of panel {t.Panel + 1}; log axes need positive values.";
        if (p.YAxis.Type == AxisType.Log && FirstNonPositive(t.YValues) is int j)
            return $"{t.Kind} trace \"{t.Name}\" has y[{j}] = {t.YValues[j].ToString("R", CultureInfo.InvariantCulture)} on the log y axis of panel {t.Panel + 1}; log axes need positive values.";
        return null;
    }

    private static int? FirstNonPositive(ReadOnlySpan<double> v)
    {
        for (int i = 0; i < v.Length; i++) if (!(v[i] > 0)) return i;
        return null;
    }
}

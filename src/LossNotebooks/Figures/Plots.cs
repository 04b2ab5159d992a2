using System.Globalization;
using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using LossNotebooks.Validation;

namespace LossNotebooks.Figures;

/// <summary>
/// The ready-made figures of the notebooks. Inputs are plain arrays and records.
/// Bad input: empty series, mismatched lengths, NaN/∞ → ArgumentException naming the parameter. Values that a
/// log axis cannot show (an error of exactly 0, a loss of 0) are DROPPED and the figure carries a visible note
/// saying how many points were dropped and why; negative values where only magnitudes make sense
/// (errors, step sizes) are rejected.
/// </summary>
public static class Plots
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // ---------------------------------------------------------------- finite-difference error vs h

    /// <summary>
    /// The V-curve: absolute error of each difference rule against the step h on log–log axes, as small multiples
    /// (panels stacked, shared h axis and error range) so no panel holds more than
    /// <see cref="HouseStyle.MaxTracesPerPanel"/> traces: three rules per panel, or two when they come with theory
    /// lines (dashed, same colour as the measured series of the same index). Each rule's best measured h is a star
    /// on its curve; dotted reference lines of the given <paramref name="slopes"/> (default −1, 1 and 2: the rounding
    /// arm, and the truncation arms of one-sided and central rules) are one trace per panel, each labelled
    /// "slope k". A rule that lies on top of an earlier one in its panel (at the larger half of the steps: on the rounding
    /// arm all rules look alike) is drawn dashed (or dotted) and named in a
    /// note, so no curve hides another. Zero errors cannot sit on a log axis: they are dropped with a note; h ≤ 0 or a
    /// negative error throws.
    /// </summary>
    public static Figure FiniteDifferenceError(IReadOnlyList<Series> measured, IReadOnlyList<Series>? theory = null,
        string title = "Finite-difference error vs step size", string stepLabel = "step size h",
        string errorLabel = "|estimate − exact|", IReadOnlyList<double>? slopes = null)
    {
        CheckList(measured, nameof(measured));
        int dropped = 0;
        var kept = new List<(double[] X, double[] Y)>();
        for (int i = 0; i < measured.Count; i++)
        {
            var s = measured[i];
            string p = $"{nameof(measured)}[{i}]";
            CheckSeries(s, p);
            CheckPositive(s.X, p + ".X");
            CheckNonNegative(s.Y, p + ".Y");
            var (x, y) = KeepPositive(s.X, s.Y, ref dropped);
            if (x.Length == 0) throw new ArgumentException($"{p}.Y is all zero: nothing to show on a log axis.", nameof(measured));
            kept.Add((x, y));
        }
        if (theory is not null)
            for (int i = 0; i < theory.Count; i++)
            {
                var s = theory[i];
                string p = $"{nameof(theory)}[{i}]";
                if (s is null) throw new ArgumentException($"{p} is null.", nameof(theory));
                CheckSeries(s, p);
                CheckPositive(s.X, p + ".X");
                CheckPositive(s.Y, p + ".Y");
            }
        // Theory i pairs with measured i (same colour, same panel, one legend entry); the rest stand alone.
        int paired = Math.Min(theory?.Count ?? 0, measured.Count);
        int unpaired = (theory?.Count ?? 0) - paired;
        // Rules per panel: each rule takes a line (its star rides on it), a paired model one more, and the slope
        // guides of a panel one trace together.
        int budget = HouseStyle.MaxTracesPerPanel - 1;
        var groups = new List<List<int>>();
        var current = new List<int>();
        int used = 0;
        for (int i = 0; i < measured.Count; i++)
        {
            int cost = i < paired ? 2 : 1;
            if (current.Count == 3 || used + cost > budget) { groups.Add(current); current = []; used = 0; }
            current.Add(i);
            used += cost;
        }
        groups.Add(current);
        // Models without a measured partner go to panels of their own budget.
        var unpairedGroups = Enumerable.Range(0, (unpaired + budget - 1) / budget)
            .Select(g => Enumerable.Range(paired + g * budget, Math.Min(budget, unpaired - g * budget)).ToList()).ToList();
        int panels = groups.Count + unpairedGroups.Count;

        var fig = new Figure(panels, 1)
        {
            Title = title, SharedX = true, Height = 140 + 300 * panels, VerticalSpacing = panels > 1 ? 0.24 / panels : 0.12,
        };
        double ylo = kept.Min(k => k.Y.Min()), yhi = kept.Max(k => k.Y.Max());
        if (theory is not null) foreach (var s in theory) { ylo = Math.Min(ylo, s.Y.Min()); yhi = Math.Max(yhi, s.Y.Max()); }
        for (int k = 0; k < panels; k++)
        {
            // One error range on every panel: a rule's curve can be compared with one in another panel by height.
            fig.Panels[k].XAxis = Axis.Log(k == panels - 1 ? stepLabel : "");
            fig.Panels[k].YAxis = Axis.Log(errorLabel) with { Range = (ylo / 3, yhi * 3) };
        }
        var coincide = new List<string>();
        for (int g = 0; g < groups.Count; g++)
        {
            var dashes = new List<(int Rule, LineDash Dash)>();
            foreach (int i in groups[g])
            {
                var (x, y) = kept[i];
                var s = measured[i];
                // A curve drawn over an earlier one it matches would hide it: give it another dash pattern.
                var dash = LineDash.Solid;
                int under = dashes.FindIndex(d => Coincide(kept[d.Rule].X, kept[d.Rule].Y, x, y));
                if (under >= 0)
                {
                    dash = dashes[under].Dash == LineDash.Solid ? LineDash.Dash : LineDash.Dot;
                    coincide.Add($"{s.Name} ({(dash == LineDash.Dash ? "dashed" : "dotted")}) lies on {measured[dashes[under].Rule].Name} at the larger steps");
                }
                dashes.Add((i, dash));
                fig.Add(new LineTrace(x, y)
                {
                    Name = s.Name, Mode = TraceMode.LinesAndMarkers, MarkerSize = 6, Color = HouseStyle.Color(i), LegendGroup = s.Name, Dash = dash,
                    Symbol = SeriesSymbols[i % SeriesSymbols.Length], StarAt = ArgMin(y), Panel = g,
                });
                if (i < paired)
                    fig.Add(new LineTrace(theory![i].X, theory[i].Y)
                    {
                        Name = theory[i].Name, Dash = LineDash.Dash, Width = 1.5, Color = HouseStyle.Color(i),
                        ShowLegend = false, LegendGroup = s.Name, Panel = g,
                    });
            }
            AddSlopeGuides(fig, groups[g].Select(i => kept[i]).ToList(), slopes ?? [-1, 1, 2], g);
        }
        for (int g = 0; g < unpairedGroups.Count; g++)
            foreach (int i in unpairedGroups[g])
                fig.Add(new LineTrace(theory![i].X, theory[i].Y)
                {
                    Name = theory[i].Name, Dash = LineDash.Dash, Width = 1.5, Color = HouseStyle.ReferenceColor, Panel = groups.Count + g,
                });
        if (dropped > 0) fig.AddNote($"{dropped} point(s) with error exactly 0 are not shown (log axis).");
        fig.AddNote("★ = smallest measured error of each rule");
        if (paired > 0) fig.AddNote("dashed line in a rule's colour: that rule's error model");
        if (coincide.Count > 0) fig.AddNote(string.Join("; ", coincide));
        return fig;
    }

    private static readonly MarkerSymbol[] SeriesSymbols =
        [MarkerSymbol.Circle, MarkerSymbol.Square, MarkerSymbol.Diamond, MarkerSymbol.TriangleUp, MarkerSymbol.Cross];

    /// <summary>Two error curves coincide (one would hide the other) when on a third of their common larger steps the errors agree within 25 %.</summary>
    private static bool Coincide(double[] x1, double[] y1, double[] x2, double[] y2)
    {
        // Only the larger half of the steps counts: on the rounding arm every rule looks alike and none is hidden for long.
        double mid = Math.Sqrt(Math.Min(x1.Min(), x2.Min()) * Math.Max(x1.Max(), x2.Max()));
        var at = new Dictionary<double, double>();
        for (int i = 0; i < x1.Length; i++) if (x1[i] >= mid) at[x1[i]] = y1[i];
        int common = 0, close = 0;
        for (int i = 0; i < x2.Length; i++)
            if (at.TryGetValue(x2[i], out var v))
            {
                common++;
                if (Math.Abs(Math.Log10(v / y2[i])) < 0.1) close++;
            }
        return common >= 5 && close >= 0.33 * common;
    }

    /// <summary>
    /// Dotted reference lines of the given slopes on log–log axes, each labelled "slope k", placed where they cross no
    /// curve: a search over positions inside the data's range for a segment (two decades of h, fewer on narrow
    /// plots) that stays clear of every measured point by most of a decade, negative slopes as far left and positive
    /// ones as far right as possible (where the rounding and truncation arms are). A slope with no clear spot is skipped.
    /// </summary>
    private static void AddSlopeGuides(Figure fig, List<(double[] X, double[] Y)> curves, IReadOnlyList<double> slopes, int panel = 0)
    {
        var gx = new List<double>();
        var gy = new List<double>();
        if (slopes.Count == 0 || curves.Count == 0) return;
        foreach (var k in slopes)
            if (!double.IsFinite(k) || k == 0) throw new ArgumentException($"slope {k} must be finite and non-zero.", nameof(slopes));
        var points = curves.SelectMany(c => c.X.Select((x, i) => (X: Math.Log10(x), Y: Math.Log10(c.Y[i])))).ToList();
        double xlo = points.Min(p => p.X), xhi = points.Max(p => p.X), ylo = points.Min(p => p.Y), yhi = points.Max(p => p.Y);
        if (!(xhi - xlo >= 3) || !(yhi - ylo >= 3)) return; // too narrow for a guide to stand clear of the curves
        foreach (var k in slopes)
        {
            (double X0, double Y0, double Run)? best = null;
            foreach (var (run, clearance) in new[] { (Math.Min(2, (xhi - xlo) / 5), 0.8), (Math.Min(1, (xhi - xlo) / 8), 0.5) })
            {
                double rise = k * run;
                for (double x0 = xlo; x0 + run <= xhi + 1e-9 && best is null; x0 += 0.25)
                {
                    double xs = k < 0 ? x0 : xhi - run - (x0 - xlo); // left to right for k < 0, right to left for k > 0
                    double bestScore = double.PositiveInfinity;
                    for (double y0 = ylo; y0 <= yhi + 1e-9; y0 += 0.25)
                    {
                        double y1 = y0 + rise;
                        if (y1 < ylo || y1 > yhi) continue;
                        bool clear = points.All(p =>
                        {
                            if (p.X < xs - 0.3 || p.X > xs + run + 0.3) return true;
                            double at = y0 + k * (Math.Clamp(p.X, xs, xs + run) - xs);
                            return Math.Abs(p.Y - at) >= clearance;
                        });
                        // Among clear heights prefer the one nearest the data (middle of its clear band is not needed).
                        if (clear && Math.Abs(y0 - (ylo + yhi) / 2) < bestScore) { bestScore = Math.Abs(y0 - (ylo + yhi) / 2); best = (xs, y0, run); }
                    }
                }
                if (best is not null) break;
            }
            if (best is not { } g) continue;
            string text = k < 0 ? $"slope −{Fmt(-k)}" : $"slope {Fmt(k)}";
            double gx0 = Math.Pow(10, g.X0), gx1 = Math.Pow(10, g.X0 + g.Run), gy0 = Math.Pow(10, g.Y0), gy1 = Math.Pow(10, g.Y0 + k * g.Run);
            gx.AddRange([gx0, gx1]);
            gy.AddRange([gy0, gy1]);
            points.Add((g.X0, g.Y0));
            points.Add((g.X0 + g.Run / 2, g.Y0 + k * g.Run / 2));
            points.Add((g.X0 + g.Run, g.Y0 + k * g.Run));
            // The label above or below the segment's middle, on the side farther from the data.
            double mx = g.X0 + g.Run / 2, my = g.Y0 + k * g.Run / 2;
            double Room(double y) => points.Where(p => Math.Abs(p.X - mx) <= 0.8).Select(p => Math.Abs(p.Y - y)).DefaultIfEmpty(double.PositiveInfinity).Min();
            double ly = Room(my + 0.5) >= Room(my - 0.5) ? my + 0.5 : my - 0.5;
            fig.AddLabel(new TextLabel(text, Math.Pow(10, mx), Math.Pow(10, ly), panel) { Anchor = "center", Color = HouseStyle.ReferenceColor });
        }
        // All guides of a panel in one trace, broken between them: reference lines, not series.
        if (gx.Count > 0)
            fig.Add(new LineTrace(gx.ToArray(), gy.ToArray())
            {
                Name = "slope guides", Color = HouseStyle.ReferenceColor, Dash = LineDash.Dot, Width = 2, ShowLegend = false, Panel = panel,
                BreakAfter = Enumerable.Range(0, gx.Count / 2 - 1).Select(j => 2 * j + 1).ToArray(),
            });
    }

    private static int NearestIndex(double[] x, double at)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++) if (Math.Abs(Math.Log10(x[i] / at)) < Math.Abs(Math.Log10(x[best] / at))) best = i;
        return best;
    }

    // ---------------------------------------------------------------- convergence

    /// <summary>
    /// Loss (top) and, when any series has accuracy, accuracy (bottom) against iteration or seconds, one colour
    /// per method in both panels, shared x, each panel with its own x title. With <paramref name="logLoss"/>
    /// non-positive losses are dropped with a note; accuracy must lie in [0, 1]. Say which accuracy it is in
    /// <paramref name="accuracyLabel"/> (e.g. "validation accuracy").
    /// </summary>
    public static Figure Convergence(IReadOnlyList<ConvergenceSeries> series, ConvergenceAxis xAxis = ConvergenceAxis.Iteration,
        bool logLoss = true, string title = "Convergence", string lossLabel = "training loss", string accuracyLabel = "accuracy")
    {
        CheckList(series, nameof(series));
        bool withAccuracy = series.Any(s => s?.Accuracy is not null);
        // More series than a panel reads well: side-by-side columns of panels (small multiples), shared axes.
        int columns = (series.Count + HouseStyle.MaxTracesPerPanel - 1) / HouseStyle.MaxTracesPerPanel;
        int perColumn = (series.Count + columns - 1) / columns;
        int rows = withAccuracy ? 2 : 1;
        var fig = new Figure(rows, columns)
        {
            Title = title, SharedX = true, Height = withAccuracy ? 680 : HouseStyle.Height, VerticalSpacing = withAccuracy ? 0.2 : 0.12,
            HorizontalSpacing = columns > 1 ? 0.12 : 0.08,
        };
        string xLabel = xAxis == ConvergenceAxis.Seconds ? "time (s)" : "iteration";
        for (int col = 0; col < columns; col++)
        {
            fig.Panels[col].XAxis = Axis.Linear(xLabel);
            fig.Panels[col].YAxis = new Axis(col == 0 ? lossLabel : "", logLoss ? AxisType.Log : AxisType.Linear);
            if (withAccuracy)
            {
                fig.Panels[columns + col].XAxis = Axis.Linear(xLabel);
                fig.Panels[columns + col].YAxis = Axis.Linear(col == 0 ? accuracyLabel : "") with { Range = (0, 1.02) };
            }
        }
        int dropped = 0;
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            string p = $"{nameof(series)}[{i}]";
            if (s is null) throw new ArgumentException($"{p} is null.", nameof(series));
            CheckXY(s.X, s.Loss, p + ".X", p + ".Loss");
            if (xAxis == ConvergenceAxis.Seconds) CheckNonNegative(s.X, p + ".X");
            string color = HouseStyle.Color(i);
            var (x, loss) = logLoss ? KeepPositive(s.X, s.Loss, ref dropped) : (s.X, s.Loss);
            if (x.Length == 0) throw new ArgumentException($"{p}.Loss has no positive value to show on the log axis.", nameof(series));
            if (s.LossLower is not null || s.LossUpper is not null)
            {
                if (s.LossLower is null || s.LossUpper is null)
                    throw new ArgumentException($"{p} needs both LossLower and LossUpper for a band.", nameof(series));
                CheckXY(s.X, s.LossLower, p + ".X", p + ".LossLower");
                CheckXY(s.X, s.LossUpper, p + ".X", p + ".LossUpper");
                for (int k = 0; k < s.X.Length; k++)
                {
                    if (s.LossLower[k] > s.LossUpper[k])
                        throw new ArgumentException($"{p}.LossLower[{k}] = {s.LossLower[k]} exceeds LossUpper[{k}] = {s.LossUpper[k]}.", nameof(series));
                    if (logLoss && !(s.LossLower[k] > 0))
                        throw new ArgumentException($"{p}.LossLower[{k}] = {s.LossLower[k]} cannot sit on the log loss axis; pass logLoss: false.", nameof(series));
                }
                fig.Add(new BandTrace(s.X, s.LossLower, s.LossUpper) { Name = s.Method + " range", Color = color, LegendGroup = s.Method, ShowLegend = false, Panel = i / perColumn });
            }
            fig.Add(new LineTrace(x, loss) { Name = s.Method, Color = color, LegendGroup = s.Method, Panel = i / perColumn });
            if (s.Accuracy is { } acc)
            {
                CheckXY(s.X, acc, p + ".X", p + ".Accuracy");
                for (int k = 0; k < acc.Length; k++)
                    if (acc[k] < 0 || acc[k] > 1)
                        throw new ArgumentException($"{p}.Accuracy[{k}] = {acc[k]} is outside [0, 1].", nameof(series));
                fig.Add(new LineTrace(s.X, acc) { Name = s.Method, Color = color, LegendGroup = s.Method, ShowLegend = false, Panel = columns + i / perColumn });
            }
        }
        if (columns > 1)
        {
            // One loss range on every column, so heights compare across panels.
            var ys = fig.Traces.Where(t => t.Panel < columns).SelectMany(t => t is BandTrace band ? band.Lower.Concat(band.Upper) : ((LineTrace)t).Y).Where(v => !logLoss || v > 0).ToList();
            double lo = ys.Min(), hi = ys.Max(), pad = logLoss ? 1.3 : 0;
            for (int col = 0; col < columns; col++)
                fig.Panels[col].YAxis = fig.Panels[col].YAxis with { Range = logLoss ? (lo / pad, hi * pad) : (lo - 0.05 * (hi - lo + 1e-12), hi + 0.05 * (hi - lo + 1e-12)) };
        }
        if (dropped > 0) fig.AddNote($"{dropped} point(s) with loss ≤ 0 are not shown (log axis).");
        return fig;
    }

    // ---------------------------------------------------------------- gradient check

    /// <summary>
    /// A gradient check as a picture: for every entry k the difference |analytic − numeric| on a log axis against the
    /// entry index, with the pass/fail tolerance atol + rtol·|numeric_k| drawn as a line; entries above it are drawn
    /// as red crosses. (A scatter of analytic against numeric shows nothing: differences of 1e-8 on values of order 1
    /// are invisible.) Default tolerance: the central-difference one of <see cref="CheckTolerance"/>. An entry whose
    /// difference is exactly 0 cannot sit on the log axis and is counted in a note. Above 1000 entries each point
    /// is the worst entry (largest difference / tolerance) of a run of consecutive entries, so failures stay visible.
    /// </summary>
    public static Figure GradientCheck(ReadOnlySpan<double> analytic, ReadOnlySpan<double> numeric,
        string title = "Gradient check: |analytic − numeric| per entry", CheckTolerance? tolerance = null)
    {
        CheckXY(analytic, numeric, nameof(analytic), nameof(numeric));
        var tol = tolerance ?? CheckTolerance.For(DifferenceRule.Central);
        if (!(tol.Atol > 0) || !(tol.Rtol >= 0) || !double.IsFinite(tol.Atol) || !double.IsFinite(tol.Rtol))
            throw new ArgumentException($"tolerance needs a finite Atol > 0 (the tolerance line sits on a log axis) and a finite Rtol ≥ 0; got {tol}.", nameof(tolerance));
        int n = analytic.Length;
        var diff = new double[n];
        var limit = new double[n];
        double maxAbs = 0, maxRel = 0;
        int failing = 0;
        for (int i = 0; i < n; i++)
        {
            diff[i] = Math.Abs(analytic[i] - numeric[i]);
            limit[i] = tol.Atol + tol.Rtol * Math.Abs(numeric[i]);
            double scale = Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i]));
            maxAbs = Math.Max(maxAbs, diff[i]);
            if (scale > 0) maxRel = Math.Max(maxRel, diff[i] / scale);
            if (diff[i] > limit[i]) failing++;
        }
        // Long gradients: one point per run of `group` entries, the one closest to (or furthest over) its tolerance.
        const int maxPoints = 1000;
        int group = (n + maxPoints - 1) / maxPoints;
        var keep = new List<int>();
        for (int start = 0; start < n; start += group)
        {
            int worst = start;
            for (int i = start; i < Math.Min(n, start + group); i++)
                if (diff[i] / limit[i] > diff[worst] / limit[worst]) worst = i;
            keep.Add(worst);
        }
        var fig = new Figure { Title = title };
        fig.XAxis = Axis.Linear(group == 1 ? "gradient entry (flattened index)" : $"gradient entry (flattened index; worst of each {group})");
        fig.YAxis = Axis.Log("|analytic − numeric|");
        double[] ix = keep.Select(i => (double)i).ToArray();
        // Few entries: a dashed line through the tolerances. Many: one short grey stroke per point (a line
        // zig-zagging between 1e-6 and 1e-3 a thousand times would be a solid comb).
        bool strokes = keep.Count > 60 || n == 1;
        fig.Add(new LineTrace(ix, keep.Select(i => limit[i]).ToArray())
        {
            Name = string.Create(Inv, $"tolerance {Fmt(tol.Atol)} + {Fmt(tol.Rtol)}·|numeric|"), Color = HouseStyle.ReferenceColor,
            Dash = LineDash.Dash, Width = 1.5, Mode = strokes ? TraceMode.Markers : TraceMode.Lines,
            Symbol = MarkerSymbol.HorizontalDash, MarkerOutline = HouseStyle.ReferenceColor, MarkerSize = 6,
        });
        int zero = 0;
        var pass = keep.Where(i => diff[i] > 0 && diff[i] <= limit[i]).ToList();
        var fail = keep.Where(i => diff[i] > limit[i]).ToList();
        zero = keep.Count(i => diff[i] == 0);
        if (pass.Count > 0)
            fig.Add(new LineTrace(pass.Select(i => (double)i).ToArray(), pass.Select(i => diff[i]).ToArray())
            { Name = "within tolerance", Mode = TraceMode.Markers, Color = HouseStyle.Color(0), Opacity = 0.8, MarkerSize = n > 200 ? 5 : 8 });
        if (fail.Count > 0)
            fig.Add(new LineTrace(fail.Select(i => (double)i).ToArray(), fail.Select(i => diff[i]).ToArray())
            { Name = "over tolerance", Mode = TraceMode.Markers, Color = HouseStyle.Color(1), Symbol = MarkerSymbol.Cross, MarkerSize = 10 });
        string verdict = failing == 0 ? "all within tolerance" : $"{failing} over tolerance";
        fig.AddNote(string.Create(Inv, $"{n} entries, {verdict}; max |analytic − numeric| = {Fmt(maxAbs)}, max relative = {Fmt(maxRel)}"));
        if (zero > 0) fig.AddNote($"{zero} entr{(zero == 1 ? "y" : "ies")} with analytic = numeric exactly (difference 0) not shown (log axis).");
        return fig;
    }

    // ---------------------------------------------------------------- Hessian heatmap

    /// <summary>
    /// A c×c Hessian block (row-major) as a heatmap with a diverging scale centred at 0 and a symmetric range, row
    /// 0 at the top as in the matrix; cell values written on the cells up to 12×12.
    /// </summary>
    public static Figure HessianHeatmap(ReadOnlySpan<double> block, int c, IReadOnlyList<string>? labels = null,
        string title = "Hessian block ∂²L/∂z∂z")
    {
        Guard.Positive(c);
        if (block.IsEmpty) throw new ArgumentException("block must not be empty.", nameof(block));
        Guard.Length(block.Length, c * c, "c×c, row-major", nameof(block));
        Guard.AllFinite(block);
        if (labels is not null && labels.Count != c) throw new ArgumentException($"labels has {labels.Count} entries, expected c = {c}.", nameof(labels));
        var names = labels?.ToArray() ?? Enumerable.Range(0, c).Select(k => "z" + k.ToString(Inv)).ToArray();
        int side = Math.Clamp(140 + 48 * c, 420, 720);
        var fig = new Figure { Title = title, Width = side + 80, Height = side, ShowLegend = false };
        fig.XAxis = Axis.Category("class (column)");
        fig.YAxis = Axis.Category("class (row)") with { Reversed = true };
        fig.Add(new HeatmapTrace(block, c, c)
        {
            ColumnLabels = names, RowLabels = names, Scale = ColorScale.Diverging, ShowValues = c <= 12, ColorBarTitle = "value",
        });
        return fig;
    }

    // ---------------------------------------------------------------- loss landscapes

    /// <summary>
    /// The loss along one direction, L(w + t·d) against t, with the current point (t nearest
    /// <paramref name="markAt"/>) marked. A jump (a step between two samples that a straight or smoothly bending
    /// curve cannot explain) is drawn as a break in the line, not as a steep segment; a jump too small to see at full
    /// scale — under 5 % of the loss range — gets a second panel zoomed around it. From samples alone the side that
    /// holds the value at the jump is unknown, so no end markers are drawn: pass the loss as a function
    /// (the other overload) to get them.
    /// </summary>
    public static Figure LossSlice1D(ReadOnlySpan<double> t, ReadOnlySpan<double> loss, double? markAt = 0,
        string title = "Loss along a direction", string xLabel = "t (step along direction d)", string yLabel = "loss L(w + t·d)")
    {
        CheckXY(t, loss, nameof(t), nameof(loss));
        return Slice(t.ToArray(), loss.ToArray(), null, markAt, title, xLabel, yLabel);
    }

    /// <summary>
    /// <see cref="LossSlice1D(ReadOnlySpan{double}, ReadOnlySpan{double}, double?, string, string, string)"/> with
    /// the loss as a function of t, sampled at <paramref name="t"/>. The largest jump is then located by bisection to
    /// the last double, drawn as a break with an open and a filled end marker (the filled end is the value the
    /// function takes at the jump), and its size and place in the zoom title are exact.
    /// </summary>
    public static Figure LossSlice1D(ReadOnlySpan<double> t, Func<double, double> loss, double? markAt = 0,
        string title = "Loss along a direction", string xLabel = "t (step along direction d)", string yLabel = "loss L(w + t·d)")
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (t.IsEmpty) throw new ArgumentException("t must not be empty.", nameof(t));
        CheckFinite(t, nameof(t));
        for (int i = 1; i < t.Length; i++)
            if (!(t[i] > t[i - 1])) throw new ArgumentException($"t[{i}] = {t[i]} must exceed t[{i - 1}] = {t[i - 1]} (sorted, distinct).", nameof(t));
        var y = new double[t.Length];
        for (int i = 0; i < t.Length; i++)
        {
            y[i] = loss(t[i]);
            if (!double.IsFinite(y[i])) throw new ArgumentException($"loss({t[i]}) = {y[i]} is not finite.", nameof(loss));
        }
        return Slice(t.ToArray(), y, loss, markAt, title, xLabel, yLabel);
    }

    /// <summary>Where a jump sits and which side holds its value (only known with the function).</summary>
    private sealed record JumpEnds(double At, double Left, double Right, bool LeftHolds);

    private static Figure Slice(double[] t, double[] loss, Func<double, double>? f, double? markAt, string title, string xLabel, string yLabel)
    {
        var (jumpAt, jump) = LargestJump(t, loss);
        double range = loss.Max() - loss.Min();
        JumpEnds? ends = jumpAt >= 0 && f is not null ? LocateJump(t, loss, jumpAt, f) : null;
        if (ends is not null) jump = ends.Right - ends.Left;
        bool zoom = jumpAt >= 0 && Math.Abs(jump) < 0.05 * range;

        // The drawn line: the samples, plus the two limits at the jump when known, broken between the sides.
        var px = new List<double>();
        var py = new List<double>();
        int breakAfter = -1;
        for (int i = 0; i < t.Length; i++)
        {
            px.Add(t[i]);
            py.Add(loss[i]);
            if (i != jumpAt) continue;
            if (ends is not null && ends.At > t[i]) { px.Add(ends.At); py.Add(ends.Left); }
            breakAfter = px.Count - 1;
            if (ends is not null && ends.At < t[i + 1]) { px.Add(ends.At); py.Add(ends.Right); }
        }

        var fig = zoom ? new Figure(2, 1) { Title = title, Height = 760, VerticalSpacing = 0.2 } : new Figure { Title = title };
        fig.XAxis = Axis.Linear(xLabel);
        fig.YAxis = Axis.Linear(yLabel);
        int panels = zoom ? 2 : 1;
        string where = ends is not null ? $"at t = {Fmt(ends.At)}" : jumpAt >= 0 ? $"between t = {Fmt(t[jumpAt])} and {Fmt(t[jumpAt + 1])}" : "";
        for (int panel = 0; panel < panels; panel++)
        {
            int from = 0, to = px.Count - 1;
            if (panel == 1)
            {
                double lo = t[Math.Max(0, jumpAt - 8)], hi = t[Math.Min(t.Length - 1, jumpAt + 9)];
                from = px.FindIndex(v => v >= lo);
                to = px.FindLastIndex(v => v <= hi);
                fig.Panels[1].XAxis = Axis.Linear(xLabel);
                fig.Panels[1].YAxis = Axis.Linear(yLabel);
                fig.Panels[1].Title = $"zoom: a jump of {Fmt(jump)} {where}";
            }
            var x = px.GetRange(from, to - from + 1).ToArray();
            var yy = py.GetRange(from, to - from + 1).ToArray();
            fig.Add(new LineTrace(x, yy)
            {
                Name = "loss", Color = HouseStyle.Color(0), Panel = panel, LegendGroup = "loss", ShowLegend = panel == 0,
                Mode = panel == 1 ? TraceMode.LinesAndMarkers : TraceMode.Lines,
                BreakAfter = breakAfter >= from && breakAfter < to ? [breakAfter - from] : [],
            });
        }
        if (markAt is double m)
        {
            Guard.Finite(m, nameof(markAt));
            int k = 0;
            for (int i = 1; i < t.Length; i++) if (Math.Abs(t[i] - m) < Math.Abs(t[k] - m)) k = i;
            for (int panel = 0; panel < panels; panel++)
                fig.Add(new LineTrace([t[k]], [loss[k]])
                {
                    Name = string.Create(Inv, $"t = {Fmt(t[k])}"), Mode = TraceMode.Markers, Symbol = MarkerSymbol.Diamond, MarkerSize = 12,
                    Color = HouseStyle.Color(1), Panel = panel, LegendGroup = "mark", ShowLegend = panel == 0,
                });
        }
        if (ends is not null)
        {
            // The end that holds the value is filled; the other (a limit the loss never takes) is open: white inside.
            double held = ends.LeftHolds ? ends.Left : ends.Right, open = ends.LeftHolds ? ends.Right : ends.Left;
            for (int panel = 0; panel < panels; panel++)
            {
                fig.Add(new LineTrace([ends.At], [held])
                {
                    Name = "value at the jump", Mode = TraceMode.Markers, Color = HouseStyle.Color(0), MarkerSize = 9,
                    Panel = panel, LegendGroup = "held", ShowLegend = panel == 0,
                });
                fig.Add(new LineTrace([ends.At], [open])
                {
                    Name = "limit not taken", Mode = TraceMode.Markers, Color = "#ffffff", MarkerOutline = HouseStyle.Color(0), MarkerSize = 9,
                    Panel = panel, LegendGroup = "open", ShowLegend = panel == 0,
                });
            }
        }
        if (zoom) fig.AddNote(string.Create(Inv, $"the jump {where} is {Fmt(Math.Abs(jump))}, {100 * Math.Abs(jump) / range:0.#} % of the loss range: zoomed below"));
        return fig;
    }

    /// <summary>
    /// Bisects the sample interval [t[i], t[i+1]] holding a jump down to adjacent doubles a &lt; b (a on the left
    /// branch, b on the right: each sample is put on the branch whose line through the neighbouring samples it is
    /// nearer). The jump is placed at whichever of a, b has the shorter decimal form (0 rather than −5e-324), and
    /// the side holding the value is the branch f takes there.
    /// </summary>
    private static JumpEnds LocateJump(double[] t, double[] y, int i, Func<double, double> f)
    {
        double left = (y[i] - y[i - 1]) / (t[i] - t[i - 1]), right = (y[i + 2] - y[i + 1]) / (t[i + 2] - t[i + 1]);
        bool OnLeft(double x, double v) => Math.Abs(v - (y[i] + left * (x - t[i]))) <= Math.Abs(v - (y[i + 1] + right * (x - t[i + 1])));
        double a = t[i], b = t[i + 1];
        for (int iter = 0; iter < 2100; iter++)
        {
            double mid = a + (b - a) / 2;
            if (mid <= a || mid >= b) break;
            double v = f(mid);
            if (!double.IsFinite(v)) throw new ArgumentException($"loss({mid}) = {v} is not finite.", "loss");
            if (OnLeft(mid, v)) a = mid; else b = mid;
        }
        double at = a.ToString("R", Inv).Length <= b.ToString("R", Inv).Length ? a : b;
        double fa = f(a), fb = f(b);
        return new JumpEnds(at, fa, fb, at == a);
    }

    /// <summary>
    /// The sample interval [i, i+1] with the largest discontinuity, and its size; (−1, 0) when there is none. The
    /// line through the two samples left of the interval and the line through the two samples right of it cross
    /// inside the interval when the curve is continuous there (a smooth bend, or a kink anywhere in it); when they
    /// do not, the smallest gap between them over the interval is the jump (it is found even where a kink and a
    /// jump share an interval, as in WARP's loss along one score).
    /// </summary>
    internal static (int Index, double Jump) LargestJump(ReadOnlySpan<double> t, ReadOnlySpan<double> y)
    {
        int best = -1;
        double bestJump = 0;
        double scale = 0;
        foreach (var v in y) scale = Math.Max(scale, Math.Abs(v));
        double tolerance = 1e-9 * Math.Max(scale, 1);
        for (int i = 1; i + 2 < y.Length; i++)
        {
            double left = (y[i] - y[i - 1]) / (t[i] - t[i - 1]), right = (y[i + 2] - y[i + 1]) / (t[i + 2] - t[i + 1]);
            double gapStart = y[i + 1] + right * (t[i] - t[i + 1]) - y[i];   // right line minus left line at t[i]
            double gapEnd = y[i + 1] - (y[i] + left * (t[i + 1] - t[i]));   // … at t[i+1]
            if (Math.Sign(gapStart) != Math.Sign(gapEnd) || Math.Min(Math.Abs(gapStart), Math.Abs(gapEnd)) <= tolerance) continue;
            double jump = Math.Abs(gapStart) < Math.Abs(gapEnd) ? gapStart : gapEnd;
            if (Math.Abs(jump) > Math.Abs(bestJump)) { best = i; bestJump = jump; }
        }
        return (best, bestJump);
    }

    /// <summary>
    /// The loss over a 2-D plane, rows = y values, columns = x values (loss[r*x.Length + c] at (x[c], y[r])), as
    /// filled contours (or a heatmap), with an optional optimiser path overlaid.
    /// </summary>
    public static Figure LossLandscape2D(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> loss,
        bool contour = true, double[]? pathX = null, double[]? pathY = null,
        string title = "Loss landscape", string xLabel = "direction 1", string yLabel = "direction 2")
    {
        if (x.IsEmpty) throw new ArgumentException("x must not be empty.", nameof(x));
        if (y.IsEmpty) throw new ArgumentException("y must not be empty.", nameof(y));
        Guard.Length(loss.Length, x.Length * y.Length, "y.Length rows × x.Length columns, row-major", nameof(loss));
        Guard.AllFinite(x);
        Guard.AllFinite(y);
        Guard.AllFinite(loss);
        var fig = new Figure { Title = title, XAxis = Axis.Linear(xLabel), YAxis = Axis.Linear(yLabel), Width = 680, Height = 580, Legend = LegendPlacement.Bottom };
        fig.Add(new HeatmapTrace(x, y, loss) { Contour = contour, Scale = ColorScale.Sequential, ColorBarTitle = "loss", Name = "loss" });
        if (pathX is not null || pathY is not null)
        {
            if (pathX is null) throw new ArgumentException("pathX is missing while pathY is given.", nameof(pathX));
            if (pathY is null) throw new ArgumentException("pathY is missing while pathX is given.", nameof(pathY));
            CheckXY(pathX, pathY, nameof(pathX), nameof(pathY));
            fig.Add(new LineTrace(pathX, pathY) { Name = "optimiser path", Mode = TraceMode.LinesAndMarkers, Color = "#ffffff", MarkerOutline = "#222222", MarkerSize = 8, Width = 2.5 });
            fig.Add(new LineTrace([pathX[^1]], [pathY[^1]]) { Name = "end", Mode = TraceMode.Markers, Symbol = MarkerSymbol.Star, MarkerSize = 16, Color = HouseStyle.Color(1) });
        }
        else fig.ShowLegend = false;
        return fig;
    }

    // ---------------------------------------------------------------- decision regions

    /// <summary>
    /// A classifier's decision regions in 2-D with the data on top: <paramref name="predicted"/> holds the predicted class
    /// of every grid point (predicted[r*gridX.Length + c] at (gridX[c], gridY[r])), drawn as pale cells in palette colour k
    /// for class k; <paramref name="points"/> (n×2, row-major) are drawn as markers in the same colour as their true
    /// class, so a point sitting in a region of another colour is a training error.
    /// </summary>
    public static Figure DecisionRegions(ReadOnlySpan<double> gridX, ReadOnlySpan<double> gridY, ReadOnlySpan<int> predicted,
        ReadOnlySpan<double> points, ReadOnlySpan<int> labels, IReadOnlyList<string> classNames,
        string title = "Decision regions", string xLabel = "x₁", string yLabel = "x₂")
    {
        ArgumentNullException.ThrowIfNull(classNames);
        int classes = classNames.Count;
        if (classes < 1) throw new ArgumentException("classNames must not be empty.", nameof(classNames));
        if (gridX.IsEmpty) throw new ArgumentException("gridX must not be empty.", nameof(gridX));
        if (gridY.IsEmpty) throw new ArgumentException("gridY must not be empty.", nameof(gridY));
        Guard.AllFinite(gridX);
        Guard.AllFinite(gridY);
        Guard.Length(predicted.Length, gridX.Length * gridY.Length, "gridY.Length rows × gridX.Length columns, row-major", nameof(predicted));
        Guard.Labels(predicted, classes, nameof(predicted));
        Guard.Length(points.Length, 2 * labels.Length, "n×2 with one label per point", nameof(points));
        Guard.AllFinite(points);
        Guard.Labels(labels, classes, nameof(labels));
        var z = new double[predicted.Length];
        for (int i = 0; i < z.Length; i++) z[i] = predicted[i];
        var fig = new Figure { Title = title, XAxis = Axis.Linear(xLabel), YAxis = Axis.Linear(yLabel), Width = 640, Height = 580, Legend = LegendPlacement.Bottom };
        fig.Add(new HeatmapTrace(gridX, gridY, z) { Categories = classes, Opacity = 0.3, Name = "predicted class" });
        for (int k = 0; k < classes; k++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < labels.Length; i++)
                if (labels[i] == k) { xs.Add(points[2 * i]); ys.Add(points[2 * i + 1]); }
            if (xs.Count == 0) continue;
            fig.Add(new LineTrace(xs.ToArray(), ys.ToArray())
            {
                Name = classNames[k], Mode = TraceMode.Markers, Color = HouseStyle.Color(k), MarkerOutline = "#ffffff", MarkerSize = 7,
            });
        }
        return fig;
    }

    // ---------------------------------------------------------------- step-size explorer

    /// <summary>
    /// One frame per step h (slider under the plot). Top: f near x0 with the exact tangent (dashed) and the
    /// line whose slope is the finite-difference estimate for the current h, through the points the rule
    /// evaluates. Bottom: |estimate − exact| against h on log–log axes with the current h marked. The figure
    /// opens on the step nearest <paramref name="openStep"/> (default: the h with the smallest error), and that one
    /// frame is what the slider, the title, the traces and every static image (SVG/PNG) show. Zero errors are
    /// dropped from the bottom panel with a note.
    /// </summary>
    public static Figure StepSizeExplorer(Func<double, double> f, double x0, double exactDerivative, ReadOnlySpan<double> steps,
        DifferenceRule rule = DifferenceRule.Central, double halfWidth = 1, string functionLabel = "f(x)",
        string title = "Step-size explorer", double? openStep = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x0);
        Guard.Finite(exactDerivative);
        Guard.Positive(halfWidth);
        if (steps.IsEmpty) throw new ArgumentException("steps must not be empty.", nameof(steps));
        CheckPositive(steps, nameof(steps));

        const int samples = 201;
        var cx = new double[samples];
        var cy = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            cx[i] = x0 - halfWidth + 2 * halfWidth * i / (samples - 1);
            cy[i] = f(cx[i]);
            if (!double.IsFinite(cy[i])) throw new ArgumentException($"f({cx[i]}) = {cy[i]} is not finite on [x0 − halfWidth, x0 + halfWidth].", nameof(f));
        }
        double f0 = f(x0), yMin = cy.Min(), yMax = cy.Max(), pad = Math.Max(0.15 * (yMax - yMin), 1e-9);
        double[] window = [x0 - halfWidth, x0 + halfWidth];

        int n = steps.Length;
        var estimates = new double[n];
        var errors = new double[n];
        var names = new string[n];
        for (int k = 0; k < n; k++)
        {
            estimates[k] = FiniteDifference.Derivative(f, x0, rule, steps[k]);
            if (!double.IsFinite(estimates[k])) throw new ArgumentException($"the {rule} estimate at h = {steps[k]} is {estimates[k]}.", nameof(steps));
            errors[k] = Math.Abs(estimates[k] - exactDerivative);
            names[k] = Fmt(steps[k]);
            for (int j = 0; j < k; j++)
                if (names[j] == names[k]) throw new ArgumentException($"steps[{j}] and steps[{k}] both read h = {names[k]}; give distinct steps.", nameof(steps));
        }
        int active = ArgMin(errors);
        if (openStep is double wanted)
        {
            Guard.Finite(wanted, nameof(openStep));
            if (!(wanted > 0)) throw new ArgumentOutOfRangeException(nameof(openStep), wanted, "openStep must be a positive step.");
            active = 0;
            for (int k = 1; k < n; k++) if (Math.Abs(Math.Log(steps[k] / wanted)) < Math.Abs(Math.Log(steps[active] / wanted))) active = k;
        }

        var fig = new Figure(2, 1) { Title = title, Width = HouseStyle.Width, Height = 860, VerticalSpacing = 0.2, Legend = LegendPlacement.InsideBottomRight };
        fig.Panels[0].XAxis = Axis.Linear("x");
        fig.Panels[0].YAxis = Axis.Linear(functionLabel) with { Range = (yMin - pad, yMax + pad) };
        fig.Panels[0].Title = $"{functionLabel} near x0 = {Fmt(x0)}";
        fig.Panels[1].XAxis = Axis.Log("step size h");
        fig.Panels[1].YAxis = Axis.Log("|estimate − exact|");
        fig.Panels[1].Title = $"{rule} rule: error vs h (★ = current h)";

        fig.Add(new LineTrace(cx, cy) { Name = functionLabel, Color = HouseStyle.Color(0) });
        fig.Add(new LineTrace(window, Line(window, x0, f0, exactDerivative)) { Name = "exact tangent", Color = HouseStyle.ReferenceColor, Dash = LineDash.Dash, Width = 1.5 });
        int estimateTrace = fig.Add(new LineTrace(window, Line(window, x0, f0, estimates[active])) { Name = "finite-difference slope", Color = HouseStyle.Color(1) });
        var (px, py) = RulePoints(f, x0, steps[active], rule);
        int pointsTrace = fig.Add(new LineTrace(px, py) { Name = "points the rule evaluates", Mode = TraceMode.Markers, Color = HouseStyle.Color(1), MarkerSize = 9 });

        int dropped = 0;
        var (eh, ee) = KeepPositive(steps.ToArray(), errors, ref dropped);
        int markerTrace = -1;
        if (eh.Length > 0)
        {
            fig.Add(new LineTrace(eh, ee) { Name = "error vs h", Mode = TraceMode.LinesAndMarkers, MarkerSize = 5, Color = HouseStyle.Color(2), Panel = 1, ShowLegend = false });
            markerTrace = fig.Add(new LineTrace([steps[active]], [Math.Max(errors[active], ee.Min())])
            { Name = "current h", Mode = TraceMode.Markers, Symbol = MarkerSymbol.Star, MarkerSize = 16, Color = HouseStyle.Color(1), Panel = 1, ShowLegend = false });
        }
        if (dropped > 0) fig.AddNote($"{dropped} step(s) with error exactly 0 are not shown on the log axis (their marker sits at the smallest shown error).");

        for (int k = 0; k < n; k++)
        {
            var (qx, qy) = RulePoints(f, x0, steps[k], rule);
            var updates = new List<FrameUpdate>
            {
                new(estimateTrace, window, Line(window, x0, f0, estimates[k])),
                new(pointsTrace, qx, qy),
            };
            if (markerTrace >= 0) updates.Add(new(markerTrace, [steps[k]], [Math.Max(errors[k], ee.Min())]));
            fig.AddFrame(new Frame(names[k], updates)
            {
                Title = string.Create(Inv,
                    $"{title}<br><span style=\"font-size:{HouseStyle.FontSize}px\">h = {names[k]}: estimate {estimates[k]:G8}, exact {exactDerivative:G8}, error {Fmt(errors[k])}</span>"),
            });
        }
        fig.Title = fig.Frames[active].Title;
        fig.Slider = new Slider("h = ") { Active = active };
        return fig;
    }

    private static double[] Line(double[] xs, double x0, double y0, double slope)
    {
        var ys = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++) ys[i] = y0 + slope * (xs[i] - x0);
        return ys;
    }

    private static (double[] X, double[] Y) RulePoints(Func<double, double> f, double x0, double h, DifferenceRule rule)
    {
        double[] xs = rule switch
        {
            DifferenceRule.Forward => [x0, x0 + h],
            DifferenceRule.Backward => [x0 - h, x0],
            DifferenceRule.Central => [x0 - h, x0 + h],
            _ => [x0 - 2 * h, x0 - h, x0 + h, x0 + 2 * h],
        };
        return (xs, xs.Select(f).ToArray());
    }

    // ---------------------------------------------------------------- checks and helpers

    /// <summary>3 significant digits, exponents written the way people write them: 1e-8, 2.5e-11.</summary>
    internal static string Fmt(double v)
    {
        string s = v.ToString("G3", Inv);
        int e = s.IndexOf('E');
        return e < 0 ? s : s[..e] + "e" + int.Parse(s[(e + 1)..], Inv).ToString(Inv);
    }

    private static int ArgMin(ReadOnlySpan<double> v)
    {
        int k = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] < v[k]) k = i;
        return k;
    }

    private static void CheckList<T>(IReadOnlyList<T>? list, string name)
    {
        if (list is null) throw new ArgumentNullException(name);
        if (list.Count == 0) throw new ArgumentException($"{name} must contain at least one series.", name);
    }

    private static void CheckSeries(Series? s, string p)
    {
        string param = p[..p.IndexOf('[')];
        if (s is null) throw new ArgumentException($"{p} is null.", param);
        if (s.X is null || s.Y is null) throw new ArgumentException($"{p} has a null X or Y.", param);
        if (s.X.Length == 0) throw new ArgumentException($"{p}.X must not be empty.", param);
        if (s.Y.Length != s.X.Length) throw new ArgumentException($"{p}.Y has length {s.Y.Length}, expected {s.X.Length} (one y per x).", param);
        CheckFinite(s.X, p + ".X");
        CheckFinite(s.Y, p + ".Y");
    }

    /// <summary>Non-empty, equal length, finite; names the offending parameter.</summary>
    private static void CheckXY(ReadOnlySpan<double> x, ReadOnlySpan<double> y, string xName, string yName)
    {
        if (x.IsEmpty) throw new ArgumentException($"{xName} must not be empty.", ParamOf(xName));
        if (y.Length != x.Length) throw new ArgumentException($"{yName} has length {y.Length}, expected {x.Length} (one per entry of {xName}).", ParamOf(yName));
        CheckFinite(x, xName);
        CheckFinite(y, yName);
    }

    private static string ParamOf(string path) => path.IndexOf('[') is int i and > 0 ? path[..i] : path;

    private static void CheckFinite(ReadOnlySpan<double> v, string p)
    {
        for (int i = 0; i < v.Length; i++)
            if (!double.IsFinite(v[i])) throw new ArgumentException($"{p}[{i}] is {v[i]}; figures reject NaN and infinities instead of leaving silent gaps.", ParamOf(p));
    }

    private static void CheckPositive(ReadOnlySpan<double> v, string p)
    {
        for (int i = 0; i < v.Length; i++)
            if (!(v[i] > 0) || !double.IsFinite(v[i])) throw new ArgumentException($"{p}[{i}] = {v[i]} must be a finite positive number (log axis).", ParamOf(p));
    }

    private static void CheckNonNegative(ReadOnlySpan<double> v, string p)
    {
        for (int i = 0; i < v.Length; i++)
            if (!(v[i] >= 0)) throw new ArgumentException($"{p}[{i}] = {v[i]} is negative; errors are magnitudes.", ParamOf(p));
    }

    /// <summary>Keeps the points whose y (and x, if asked) is positive; counts the rest into <paramref name="dropped"/>.</summary>
    private static (double[] X, double[] Y) KeepPositive(double[] x, double[] y, ref int dropped, bool alsoX = false)
    {
        var kx = new List<double>(x.Length);
        var ky = new List<double>(y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            if (y[i] > 0 && (!alsoX || x[i] > 0)) { kx.Add(x[i]); ky.Add(y[i]); }
            else dropped++;
        }
        return (kx.ToArray(), ky.ToArray());
    }
}

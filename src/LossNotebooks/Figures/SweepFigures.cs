using LossNotebooks.Differentiation;

namespace LossNotebooks.Figures;

/// <summary>Bridges a <see cref="StepSweepResult"/> to the V-curve figure.</summary>
public static class SweepFigures
{
    /// <summary>
    /// The V-curve of <paramref name="sweep"/> for <paramref name="methods"/> (default: every first-derivative rule),
    /// with each rule's theoretical optimum as a dashed marker line. A rule whose error is exactly zero at every h
    /// (the complex step on a simple function can be) has nothing to draw on a log axis and is left out with a note.
    /// </summary>
    public static Figure ToFigure(this StepSweepResult sweep, IEnumerable<SweepMethod>? methods = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var wanted = (methods ?? sweep.Curves.Select(c => c.Method).Where(m => m != SweepMethod.SecondCentral)).ToList();
        var measured = new List<Series>();
        var omitted = new List<string>();
        foreach (var method in wanted)
        {
            var curve = sweep[method];
            if (curve.Error.All(e => e == 0)) { omitted.Add(curve.Label); continue; }
            measured.Add(new Series(curve.Label, sweep.Steps, curve.Error));
        }
        if (measured.Count == 0) throw new ArgumentException("every selected rule has zero error at every step: nothing to plot on a log axis.", nameof(methods));
        var figure = Plots.FiniteDifferenceError(measured, title: title ?? $"Finite-difference error vs step size at x = {sweep.X:G4}");
        if (omitted.Count > 0) figure.AddNote($"exact (zero error) at every h, not drawn: {string.Join(", ", omitted)}");
        return figure;
    }
}

namespace LossNotebooks.Figures;

/// <summary>A named y-over-x series (a rule's error curve, a theory line, …). Plain arrays so any code can feed it.</summary>
public sealed record Series(string Name, double[] X, double[] Y);

/// <summary>
/// One optimiser run: loss (and optionally accuracy in [0, 1]) at each x, where x is the iteration number or the
/// elapsed seconds. <see cref="LossLower"/>/<see cref="LossUpper"/> (both or neither) draw a shaded band around the
/// loss, e.g. the min–max or a quantile range over several seeds.
/// </summary>
public sealed record ConvergenceSeries(string Method, double[] X, double[] Loss, double[]? Accuracy = null)
{
    public double[]? LossLower { get; init; }
    public double[]? LossUpper { get; init; }
}

/// <summary>What the x values of <see cref="ConvergenceSeries"/> mean.</summary>
public enum ConvergenceAxis { Iteration, Seconds }

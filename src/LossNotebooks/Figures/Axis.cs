namespace LossNotebooks.Figures;

/// <summary>Linear, logarithmic (base 10), or categories (labelled cells such as classes in a Hessian block).</summary>
public enum AxisType { Linear, Log, Category }

/// <summary>
/// One axis: title (with units, plain text — no LaTeX), type, optional range in DATA units (a log axis range is
/// converted to log10 when written, so callers never think in exponents).
/// </summary>
public sealed record Axis(string Title = "", AxisType Type = AxisType.Linear)
{
    /// <summary>Lower and upper bound in data units; null lets plotly autorange.</summary>
    public (double Min, double Max)? Range { get; init; }

    /// <summary>Draw the zero line (useful for signed quantities such as gradients).</summary>
    public bool ZeroLine { get; init; }

    /// <summary>Values grow downwards (matrix orientation: row 0 at the top). Ignored when <see cref="Range"/> is set.</summary>
    public bool Reversed { get; init; }

    public static Axis Linear(string title) => new(title, AxisType.Linear);
    public static Axis Log(string title) => new(title, AxisType.Log);

    public static Axis Category(string title) => new(title, AxisType.Category);

    public override string ToString() => $"{Type.ToString().ToLowerInvariant()} \"{Title}\"";
}

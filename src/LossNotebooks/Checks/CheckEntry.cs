namespace LossNotebooks.Checks;

public enum CheckStatus
{
    Pass,
    Fail,
    /// <summary>Outside tolerance, but the perturbation crosses a kink: the difference is not a derivative there.</summary>
    Kink,
}

/// <summary>
/// One checked entry: flat index, (row, column) when the input is a matrix, the analytic and numeric values,
/// |a − n|, the relative error |a − n| / max(|a|, |n|, tiny), the step used, and the verdict.
/// </summary>
public sealed record CheckEntry(int Index, int Row, int Column, double Analytic, double Numeric, double AbsoluteError,
    double RelativeError, double Step, bool KinkSuspected, CheckStatus Status)
{
    public string Position => Row < 0 ? $"[{Index}]" : $"[{Row},{Column}]";
}

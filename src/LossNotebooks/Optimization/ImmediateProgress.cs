namespace LossNotebooks.Optimization;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls <c>report</c> at once, on the reporting thread. .NET's
/// <see cref="Progress{T}"/> posts each report to the captured synchronization context or the thread pool, so in a
/// notebook cell or a console loop the last reports can arrive after the run returned, or out of order. Use this one to
/// update a live notebook line (<c>display(…).Update(…)</c>) or a progress bar from an optimizer.
/// </summary>
public sealed class ImmediateProgress<T> : IProgress<T>
{
    private readonly Action<T> _report;

    public ImmediateProgress(Action<T> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _report = report;
    }

    public void Report(T value) => _report(value);
}

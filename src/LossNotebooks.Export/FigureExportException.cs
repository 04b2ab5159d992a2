namespace LossNotebooks.Export;

/// <summary>Export cannot run or failed: the message says what is missing or what went wrong and how to fix it.</summary>
public sealed class FigureExportException : InvalidOperationException
{
    public FigureExportException(string message, Exception? inner = null) : base(message, inner) { }
}

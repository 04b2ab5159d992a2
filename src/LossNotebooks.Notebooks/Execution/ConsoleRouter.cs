using System.Text;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// Console.Out/Error are process-wide; this writer, installed once, sends text written while a cell runs to
/// that cell's stream output and everything else to the original console.
/// </summary>
internal sealed class ConsoleRouter(string stream, TextWriter original) : TextWriter
{
    private static readonly object InstallGate = new();
    private static bool _installed;

    public override Encoding Encoding => original.Encoding;

    public static void Install()
    {
        lock (InstallGate)
        {
            if (_installed) return;
            Console.SetOut(new ConsoleRouter("stdout", Console.Out));
            Console.SetError(new ConsoleRouter("stderr", Console.Error));
            _installed = true;
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (value is null) return;
        if (CellContext.Current is { } cell) cell.Write(stream, value);
        else original.Write(value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    public override void WriteLine() => Write("\n");

    public override void Flush()
    {
        if (CellContext.Current is null) original.Flush();
    }
}

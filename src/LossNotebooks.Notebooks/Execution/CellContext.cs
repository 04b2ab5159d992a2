using LossNotebooks.Notebooks.Formatting;
using LossNotebooks.Notebooks.Kernel;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// The outputs of the cell running on this async flow. Console writes and display(...) find it through an
/// <see cref="AsyncLocal{T}"/>, so concurrent runs (tests) and background writes stay with their own cell.
/// </summary>
public sealed class CellContext
{
    private static readonly AsyncLocal<CellContext?> CurrentCell = new();
    private readonly List<CellOutput> _outputs = [];
    private readonly object _gate = new();

    public static CellContext? Current => CurrentCell.Value;

    internal static CellContext Require() => CurrentCell.Value
        ?? throw new InvalidOperationException("display(...) was called outside a running notebook cell.");

    internal static void Enter(CellContext? context) => CurrentCell.Value = context;

    public IReadOnlyList<CellOutput> Outputs { get { lock (_gate) return _outputs.ToArray(); } }

    internal void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == stream) last.Text.Append(text);
            else
            {
                var output = new StreamOutput(stream);
                output.Text.Append(text);
                _outputs.Add(output);
            }
        }
    }

    internal void Add(CellOutput output) { lock (_gate) _outputs.Add(output); }

    internal DisplayedValue Display(object? value, string[] mimeTypes)
    {
        var output = new DisplayOutput(ValueFormatter.Format(value, mimeTypes), isResult: false);
        Add(output);
        return new DisplayedValue(output, mimeTypes);
    }
}

using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// Turns the kernel's events for one cell into nbformat outputs the way the kernel's own Jupyter front end does
/// (checked by the parity test against `jupyter nbconvert --execute` with the tool's kernel): console text as
/// streams, displayed and returned values with every mime type the kernel formatted, diagnostics on stderr, a
/// failure as an error output ("compilation error" when the diagnostics hold an error, else the kernel's message).
/// </summary>
public sealed class KernelOutputs
{
    private readonly List<CellOutput> _outputs = [];
    private readonly Dictionary<string, DisplayOutput> _displays;
    private bool _compileError;

    /// <param name="displays">Displayed values of the whole notebook by value id, so an update from a later cell finds its output.</param>
    public KernelOutputs(Dictionary<string, DisplayOutput> displays) => _displays = displays;

    public IReadOnlyList<CellOutput> Outputs => _outputs;

    /// <summary>Null while the cell has not failed; else one line saying why (for the run summary).</summary>
    public string? Failure { get; private set; }

    /// <summary>Outputs of earlier cells changed by this cell's display updates.</summary>
    public List<DisplayOutput> UpdatedElsewhere { get; } = [];

    public void Add(KernelEvent e)
    {
        switch (e)
        {
            case StandardOutputValueProduced o: Stream("stdout", Text(o)); break;
            case StandardErrorValueProduced o: Stream("stderr", Text(o)); break;
            case ReturnValueProduced r: _outputs.Add(new DisplayOutput(Bundle(r), isResult: true)); break;
            // An update replaces the output it names. The tool's kernel sends C#'s DisplayedValue.Update under a value
            // id it never displayed (seen with 1.0.712001); such an update falls through and is kept as a new output,
            // so the final value stays visible (Jupyter's nbclient drops it and keeps the stale first value).
            case DisplayedValueUpdated u when u.ValueId is { } id && _displays.TryGetValue(id, out var shown):
                shown.Replace(Bundle(u));
                if (!_outputs.Contains(shown)) UpdatedElsewhere.Add(shown);
                break;
            case DisplayEvent d:
                var output = new DisplayOutput(Bundle(d), isResult: false);
                _outputs.Add(output);
                if (d.ValueId is { } valueId) _displays[valueId] = output;
                break;
            case DiagnosticsProduced diagnostics:
                var text = string.Join("\n", diagnostics.FormattedDiagnostics.Where(f => f.MimeType == "text/plain").Select(f => f.Value));
                if (diagnostics.Diagnostics.Any(x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
                {
                    _compileError = true;
                    // "(line,column): error CSxxxx: message", as the kernel formats it for people.
                    Failure ??= text.Split('\n').FirstOrDefault(l => l.Contains(": error ", StringComparison.Ordinal))?.Trim()
                        ?? diagnostics.Diagnostics.First(x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToString();
                }
                if (text.Length > 0) Stream("stderr", "\n" + text + "\n\n");
                break;
            case CommandFailed failed:
                string message = failed.Message ?? "the kernel reported a failure without a message";
                _outputs.Add(_compileError
                    ? new ErrorOutput("Error", "compilation error", [])
                    : new ErrorOutput("Error", message, [message]));
                Failure = _compileError ? Failure : FirstLine(message);
                break;
        }
    }

    /// <summary>A failure the runner saw itself (timeout, kernel exit): an error output naming it.</summary>
    public void Fail(string ename, string message)
    {
        _outputs.Add(new ErrorOutput(ename, message, [message]));
        Failure = message;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');

    private static string Text(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(f => f.MimeType == "text/plain")?.Value ?? e.FormattedValues.FirstOrDefault()?.Value ?? "";

    private static Dictionary<string, string> Bundle(DisplayEvent e) =>
        e.FormattedValues.GroupBy(f => f.MimeType).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    private void Stream(string name, string text)
    {
        if (text.Length == 0) return;
        var stream = new StreamOutput(name);
        stream.Text.Append(text);
        _outputs.Add(stream);
    }
}

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

    /// <summary>
    /// The bundle by MIME type. A JSON type (application/json, *+json) whose text is not JSON cannot be written to the
    /// notebook: it is left out and the cell fails naming it, rather than the whole run stopping at write time.
    /// </summary>
    private Dictionary<string, string> Bundle(DisplayEvent e)
    {
        var bundle = e.FormattedValues.GroupBy(f => f.MimeType).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        foreach (var mime in bundle.Keys.Where(DisplayOutput.IsJsonMimeType).ToList())
        {
            try { System.Text.Json.Nodes.JsonNode.Parse(bundle[mime]); }
            catch (System.Text.Json.JsonException x)
            {
                bundle.Remove(mime);
                string message = $"a displayed value's {mime} is not valid JSON ({x.Message}); that MIME type was left out";
                _outputs.Add(new ErrorOutput("InvalidOutput", message, [message]));
                Failure ??= message;
            }
        }
        return bundle;
    }

    // Consecutive writes to one stream are one output, as Jupyter shows them: a loop printing lines stays one output.
    private void Stream(string name, string text)
    {
        if (text.Length == 0) return;
        if (_outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == name)
        {
            last.Text.Append(text);
            return;
        }
        var stream = new StreamOutput(name);
        stream.Text.Append(text);
        _outputs.Add(stream);
    }

    /// <summary>
    /// Keeps at most <paramref name="limit"/> characters of output (streams by their text, bundles by all their
    /// values): the output that crosses it is cut (a stream) or dropped (a bundle), later ones are dropped, and a
    /// stderr note says how much was left out. Runs once per cell, after the cell.
    /// </summary>
    public void Limit(long? limit)
    {
        if (limit is not long max) return;
        long used = 0;
        for (int k = 0; k < _outputs.Count; k++)
        {
            long size = _outputs[k] switch
            {
                StreamOutput s => s.Text.Length,
                DisplayOutput d => d.Data.Values.Sum(v => (long)v.Length),
                ErrorOutput e => e.Value.Length,
                _ => 0,
            };
            if (used + size <= max || _outputs[k] is ErrorOutput) { used += size; continue; }
            long dropped = size - (_outputs[k] is StreamOutput ? max - used : 0);
            if (_outputs[k] is StreamOutput cut) cut.Text.Length = (int)(max - used);
            else { _outputs.RemoveAt(k); k--; }
            int removed = 0;
            for (int j = _outputs.Count - 1; j > k; j--)
            {
                if (_outputs[j] is ErrorOutput) continue; // the reason a cell failed is never cut
                dropped += _outputs[j] switch { StreamOutput s => s.Text.Length, DisplayOutput d => d.Data.Values.Sum(v => (long)v.Length), _ => 0 };
                _outputs.RemoveAt(j);
                removed++;
            }
            var note = new StreamOutput("stderr");
            note.Text.Append($"\n[lossnb: output truncated at {max} characters; {dropped} more characters" +
                (removed > 0 ? $" in this and {removed} later output(s)" : "") + " were not kept (--max-output)]\n");
            _outputs.Insert(k + 1, note);
            return;
        }
    }
}

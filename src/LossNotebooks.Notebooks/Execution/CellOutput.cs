using System.Text;
using System.Text.Json.Nodes;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>One output of a cell, in order, convertible to nbformat JSON.</summary>
public abstract class CellOutput
{
    public abstract JsonObject ToJson(int executionCount);
}

/// <summary>Console text (stdout/stderr); consecutive writes to one stream are merged, as Jupyter shows them.</summary>
public sealed class StreamOutput(string name) : CellOutput
{
    public string Name { get; } = name;
    public StringBuilder Text { get; } = new();

    public override JsonObject ToJson(int executionCount) => new()
    {
        ["output_type"] = "stream",
        ["name"] = Name,
        ["text"] = NotebookJson.SplitMultiline(Text.ToString()),
    };
}

/// <summary>
/// A MIME bundle: display_data, or the cell's execute_result when <see cref="IsResult"/>.
/// <see cref="Data"/> maps MIME type to text; JSON types (application/json, *+json) hold JSON text and are
/// written as JSON objects. Enrichers may add entries (e.g. image/svg+xml, image/png as base64).
/// </summary>
public sealed class DisplayOutput(IDictionary<string, string> data, bool isResult) : CellOutput
{
    public IDictionary<string, string> Data { get; private set; } = data;
    public bool IsResult { get; } = isResult;

    internal void Replace(IDictionary<string, string> data) => Data = data;

    public static bool IsJsonMimeType(string mime) =>
        mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal);

    public override JsonObject ToJson(int executionCount)
    {
        var data = new JsonObject();
        foreach (var (mime, text) in Data.OrderBy(p => p.Key, StringComparer.Ordinal))
            data[mime] = IsJsonMimeType(mime) ? JsonNode.Parse(text)
                : mime.StartsWith("text/", StringComparison.Ordinal) || mime == "image/svg+xml" ? NotebookJson.SplitMultiline(text)
                : text;
        var json = new JsonObject { ["output_type"] = IsResult ? "execute_result" : "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
        if (IsResult) json["execution_count"] = executionCount;
        return json;
    }
}

/// <summary>nbformat's error output: a compile error, a runtime exception, a timeout, a failed directive.</summary>
public sealed class ErrorOutput(string name, string value, IReadOnlyList<string> traceback) : CellOutput
{
    public string Name { get; } = name;
    public string Value { get; } = value;
    public IReadOnlyList<string> Traceback { get; } = traceback;

    public override JsonObject ToJson(int executionCount) => new()
    {
        ["output_type"] = "error",
        ["ename"] = Name,
        ["evalue"] = Value,
        ["traceback"] = new JsonArray(Traceback.Select(t => (JsonNode?)t).ToArray()),
    };
}

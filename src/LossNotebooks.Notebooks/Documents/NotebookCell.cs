using System.Text.Json.Nodes;

namespace LossNotebooks.Notebooks.Documents;

public enum CellKind { Code, Markdown, Raw }

/// <summary>
/// One cell, kept as its nbformat JSON object so that everything we do not interpret (ids, unknown metadata,
/// the source's line splitting, attachments) is written back untouched. Only outputs and execution_count change.
/// </summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json, CellKind kind, string language)
    {
        Json = json;
        Kind = kind;
        Language = language;
    }

    /// <summary>The cell as nbformat JSON (the object that is written back).</summary>
    public JsonObject Json { get; }

    public CellKind Kind { get; }

    /// <summary>Kernel name: "csharp" for C# code cells, "markdown" for markdown, "raw" for raw cells.</summary>
    public string Language { get; }

    public string? Id => Json["id"]?.GetValue<string>();

    /// <summary>The cell's source text (nbformat's list of lines joined).</summary>
    public string Source => NotebookJson.JoinMultiline(Json["source"]);

    /// <summary>The cell's metadata (an empty detached object when the cell has none, so reading never adds a key).</summary>
    public JsonObject Metadata => Json["metadata"] as JsonObject ?? new JsonObject();

    /// <summary>The outputs currently stored on a code cell (empty for other kinds).</summary>
    public JsonArray Outputs => Json["outputs"] as JsonArray ?? [];

    /// <summary>Replaces a code cell's outputs and execution count; the source is never touched.</summary>
    public void SetOutputs(IEnumerable<JsonObject> outputs, int? executionCount)
    {
        if (Kind != CellKind.Code) throw new InvalidOperationException("Only code cells have outputs.");
        Json["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray());
        Json["execution_count"] = executionCount;
    }

    /// <summary>
    /// For <see cref="ExerciseSolutions.FillIn"/> only: the executed copy runs the solution in place of the stub, and
    /// the cell's metadata says so (<c>lossnb.solutionFilledIn</c>); the notebook file is not written.
    /// </summary>
    internal void ReplaceSourceForRun(string source)
    {
        Json["source"] = NotebookJson.SplitMultiline(source);
        if (Json["metadata"] is JsonObject meta && meta["lossnb"] is JsonObject lossnb) lossnb["solutionFilledIn"] = true;
    }

    internal static NotebookCell Create(CellKind kind, string language, string source, string? id)
    {
        var json = new JsonObject();
        if (id is not null) json["id"] = id;
        json["cell_type"] = kind switch { CellKind.Code => "code", CellKind.Markdown => "markdown", _ => "raw" };
        var meta = new JsonObject();
        if (kind == CellKind.Code)
        {
            meta["dotnet_interactive"] = new JsonObject { ["language"] = language };
            meta["polyglot_notebook"] = new JsonObject { ["kernelName"] = language };
        }
        json["metadata"] = meta;
        json["source"] = NotebookJson.SplitMultiline(source);
        if (kind == CellKind.Code)
        {
            json["execution_count"] = null;
            json["outputs"] = new JsonArray();
        }
        return new NotebookCell(json, kind, language);
    }
}

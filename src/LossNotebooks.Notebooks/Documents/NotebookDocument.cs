using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;

namespace LossNotebooks.Notebooks.Documents;

/// <summary>
/// A Polyglot notebook (.ipynb or .dib) held as nbformat JSON. .dib files are read with Microsoft.DotNet.Interactive.Documents;
/// .ipynb files are read and written as JSON here, because that library's Jupyter writer fails on this project's
/// notebooks (<c>Notebook.ToJupyterJson</c> throws InvalidCastException on a parsed notebook's kernel info, and
/// ArgumentException on a JSON-object output value such as Plotly figure JSON: DocumentTests show both). Reading then writing an unchanged document gives
/// the same cells, sources and metadata; <see cref="NotebookCell.SetOutputs"/> is the only mutation.
/// </summary>
public sealed class NotebookDocument
{
    /// <summary>Languages a code cell may have; anything else is refused when the file is read.</summary>
    public static readonly IReadOnlySet<string> CSharpNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "csharp", "c#" };

    private NotebookDocument(string path, JsonObject root, List<NotebookCell> cells)
    {
        Path = path;
        Root = root;
        Cells = cells;
    }

    /// <summary>Where the document was read from (used in every error message).</summary>
    public string Path { get; }

    /// <summary>The whole nbformat document (notebook metadata, nbformat, cells, any unknown keys).</summary>
    public JsonObject Root { get; }

    public JsonObject Metadata => (JsonObject)Root["metadata"]!;

    public IReadOnlyList<NotebookCell> Cells { get; }

    public static NotebookDocument Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(path, $"cannot be read: {e.Message}", inner: e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses by extension: ".dib" as Polyglot script, anything else as .ipynb JSON.</summary>
    public static NotebookDocument Parse(string text, string path) =>
        path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? ParseDib(text, path) : ParseIpynb(text, path);

    public static NotebookDocument ParseIpynb(string text, string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }); }
        catch (JsonException e) { throw new NotebookFormatException(path, $"is not valid JSON ({e.Message})", inner: e); }
        if (node is not JsonObject root) throw new NotebookFormatException(path, "is not a JSON object");
        if (root["nbformat"] is not JsonValue v || !v.TryGetValue(out int major))
            throw new NotebookFormatException(path, "has no integer 'nbformat' field");
        if (major != 4) throw new NotebookFormatException(path, $"has nbformat {major}; only nbformat 4.x is supported");
        if (root["metadata"] is not JsonObject metadata) root["metadata"] = metadata = new JsonObject();
        if (root["cells"] is not JsonArray cellArray) throw new NotebookFormatException(path, "has no 'cells' list");

        string defaultLanguage = StringAt(path, null, metadata, "polyglot_notebook", "kernelInfo", "defaultKernelName") ?? "csharp";
        var cells = new List<NotebookCell>();
        for (int i = 0; i < cellArray.Count; i++)
        {
            if (cellArray[i] is not JsonObject cell) throw new NotebookFormatException(path, "is not a JSON object", i);
            string? type = cell["cell_type"] is JsonValue t && t.TryGetValue(out string? s) ? s : null;
            if (cell["source"] is not (JsonArray or JsonValue))
                throw new NotebookFormatException(path, "has no 'source'", i);
            try { NotebookJson.JoinMultiline(cell["source"]); }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new NotebookFormatException(path, "'source' must be a string or a list of strings", i, e);
            }
            cells.Add(type switch
            {
                "markdown" => new NotebookCell(cell, CellKind.Markdown, "markdown"),
                "raw" => new NotebookCell(cell, CellKind.Raw, "raw"),
                "code" => new NotebookCell(cell, CellKind.Code, CodeLanguage(path, i, cell, defaultLanguage)),
                _ => throw new NotebookFormatException(path, $"has unknown cell_type '{type}'", i),
            });
        }
        return new NotebookDocument(path, root, cells);
    }

    /// <summary>
    /// The string at <paramref name="keys"/> under <paramref name="node"/>, null when absent; metadata of another type
    /// (e.g. "kernelName": 5) is a format error naming the field, not a crash.
    /// </summary>
    private static string? StringAt(string path, int? cell, JsonNode? node, params string[] keys)
    {
        for (int k = 0; k < keys.Length; k++)
        {
            if (node is null) return null;
            if (node is not JsonObject o)
                throw new NotebookFormatException(path, $"metadata '{string.Join('.', keys[..k])}' must be an object, got {node.ToJsonString()}", cell);
            node = o[keys[k]];
        }
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out string? text)) return text;
        throw new NotebookFormatException(path, $"metadata '{string.Join('.', keys)}' must be a string, got {node.ToJsonString()}", cell);
    }

    private static string CodeLanguage(string path, int index, JsonObject cell, string defaultLanguage)
    {
        var meta = cell["metadata"];
        string language = StringAt(path, index, meta, "polyglot_notebook", "kernelName")
            ?? StringAt(path, index, meta, "dotnet_interactive", "language")
            ?? defaultLanguage;
        if (!CSharpNames.Contains(language))
            throw new NotebookFormatException(path, $"is in language '{language}'; the runner executes only C# (csharp) code cells", index);
        return "csharp";
    }

    // ---- .dib ----

    /// <summary>The kernels a .dib may name (with aliases), for Microsoft.DotNet.Interactive.Documents' parser.</summary>
    private static readonly KernelInfoCollection DibKernels =
    [
        new KernelInfo("csharp", "C#", ["c#", "C#"]), new KernelInfo("fsharp", "F#", ["f#", "F#"]),
        new KernelInfo("pwsh", "PowerShell", ["powershell"]), new KernelInfo("javascript", "JavaScript", ["js"]),
        new KernelInfo("markdown", "Markdown", ["md"]), new KernelInfo("html"), new KernelInfo("sql"), new KernelInfo("kql"),
        new KernelInfo("mermaid"), new KernelInfo("http"), new KernelInfo("value"), new KernelInfo("python"), new KernelInfo("r"),
    ];

    /// <summary>
    /// Reads a .dib with Microsoft.DotNet.Interactive.Documents (<see cref="CodeSubmission.Parse"/>): cells split on
    /// the kernel lines, the #!meta kernel info kept. The document becomes nbformat JSON (.dib has no outputs or ids;
    /// cells get ids cell-1, cell-2, …), which is how an executed .dib is written.
    /// </summary>
    public static NotebookDocument ParseDib(string text, string path)
    {
        InteractiveDocument parsed;
        try { parsed = CodeSubmission.Parse(text, DibKernels); }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or JsonException)
        {
            throw new NotebookFormatException(path, $"is not a readable .dib ({e.Message})", inner: e);
        }
        var cells = new List<NotebookCell>();
        foreach (var element in parsed.Elements)
        {
            int index = cells.Count;
            string id = $"cell-{index + 1}";
            string kernel = element.KernelName ?? "csharp";
            if (kernel is "markdown" or "md") cells.Add(NotebookCell.Create(CellKind.Markdown, "markdown", element.Contents, id));
            else if (CSharpNames.Contains(kernel)) cells.Add(NotebookCell.Create(CellKind.Code, "csharp", element.Contents, id));
            else throw new NotebookFormatException(path, $"is in language '{kernel}'; the runner executes only C# (csharp) code cells", index);
        }

        JsonObject? kernelInfo = null;
        if (parsed.Metadata.TryGetValue("kernelInfo", out var info) && info is KernelInfoCollection infos)
            kernelInfo = new JsonObject
            {
                ["defaultKernelName"] = infos.DefaultKernelName ?? "csharp",
                ["items"] = new JsonArray(infos.Select(k => (JsonNode)new JsonObject
                {
                    ["aliases"] = new JsonArray(k.Aliases.Select(a => (JsonNode?)a).ToArray()),
                    ["name"] = k.Name,
                }).ToArray()),
            };
        var root = NewIpynbRoot(kernelInfo);
        root["cells"] = new JsonArray(cells.Select(c => (JsonNode)c.Json).ToArray());
        return new NotebookDocument(path, root, cells);
    }

    /// <summary>The notebook-level metadata VS Code Polyglot writes for a C# notebook.</summary>
    private static JsonObject NewIpynbRoot(JsonObject? kernelInfo) => new()
    {
        ["cells"] = new JsonArray(),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = kernelInfo ?? new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    /// <summary>For <see cref="NotebookParameters"/> only: a new cell in the copy being run (the notebook file is not written).</summary>
    internal void InsertForRun(int index, NotebookCell cell)
    {
        ((List<NotebookCell>)Cells).Insert(index, cell);
        ((JsonArray)Root["cells"]!).Insert(index, cell.Json);
    }

    // ---- writing ----

    /// <summary>The document as .ipynb text (deterministic; see <see cref="NotebookJson"/>).</summary>
    public string ToIpynb() => NotebookJson.Serialize(Root);

    /// <summary>Writes the document as .ipynb atomically (temp file + move) so a failure never leaves a half-written notebook.</summary>
    public void Save(string path)
    {
        string text = ToIpynb();
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, full, overwrite: true);
    }

}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace LossNotebooks.Notebooks.Documents;

public enum NotebookFormat { Ipynb, Dib }

/// <summary>
/// A Polyglot notebook (.ipynb or .dib) held as nbformat JSON. Reading then writing an unchanged document gives
/// the same cells, sources and metadata; <see cref="NotebookCell.SetOutputs"/> is the only mutation.
/// </summary>
public sealed class NotebookDocument
{
    /// <summary>Languages a code cell may have; anything else is refused when the file is read.</summary>
    public static readonly IReadOnlySet<string> CSharpNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "csharp", "c#" };

    private NotebookDocument(string path, NotebookFormat format, JsonObject root, List<NotebookCell> cells, string? dibMeta)
    {
        Path = path;
        Format = format;
        Root = root;
        Cells = cells;
        DibMeta = dibMeta;
    }

    /// <summary>Where the document was read from (used in every error message).</summary>
    public string Path { get; }

    public NotebookFormat Format { get; }

    /// <summary>The whole nbformat document (notebook metadata, nbformat, cells, any unknown keys).</summary>
    public JsonObject Root { get; }

    public JsonObject Metadata => (JsonObject)Root["metadata"]!;

    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The .dib "#!meta" JSON text exactly as read (null when there was none).</summary>
    internal string? DibMeta { get; }

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

        string defaultLanguage = DefaultKernel(metadata) ?? "csharp";
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
        return new NotebookDocument(path, NotebookFormat.Ipynb, root, cells, null);
    }

    private static string? DefaultKernel(JsonObject metadata) =>
        (metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"] as JsonValue)?.GetValue<string>();

    private static string CodeLanguage(string path, int index, JsonObject cell, string defaultLanguage)
    {
        var meta = cell["metadata"] as JsonObject;
        string language = (meta?["polyglot_notebook"]?["kernelName"] as JsonValue)?.GetValue<string>()
            ?? (meta?["dotnet_interactive"]?["language"] as JsonValue)?.GetValue<string>()
            ?? defaultLanguage;
        if (!CSharpNames.Contains(language))
            throw new NotebookFormatException(path, $"is in language '{language}'; the runner executes only C# (csharp) code cells", index);
        return "csharp";
    }

    // ---- .dib ----

    /// <summary>Kernel names that separate cells in a .dib file (the Polyglot set plus their aliases).</summary>
    private static readonly HashSet<string> DibKernels = new(StringComparer.Ordinal)
    {
        "csharp", "C#", "c#", "fsharp", "F#", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md",
        "sql", "kql", "mermaid", "http", "value", "meta", "vscode", "python", "r",
    };

    public static NotebookDocument ParseDib(string text, string path)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var blocks = new List<(string Kernel, List<string> Lines)>();
        (string Kernel, List<string> Lines)? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("#!", StringComparison.Ordinal) && DibKernels.Contains(line[2..].TrimEnd()))
            {
                current = (line[2..].TrimEnd(), new List<string>());
                blocks.Add(current.Value);
            }
            else if (current is null)
            {
                if (line.Trim().Length == 0) continue;
                current = ("csharp", new List<string> { line });
                blocks.Add(current.Value);
            }
            else current.Value.Lines.Add(line);
        }

        string? meta = null;
        JsonObject? kernelInfo = null;
        var cells = new List<NotebookCell>();
        foreach (var (kernel, body) in blocks)
        {
            string content = string.Join("\n", TrimBlankLines(body));
            if (kernel == "meta")
            {
                meta = content;
                try { kernelInfo = JsonNode.Parse(content)?["kernelInfo"]?.DeepClone() as JsonObject; }
                catch (JsonException e) { throw new NotebookFormatException(path, $"#!meta is not valid JSON ({e.Message})", inner: e); }
                continue;
            }
            int index = cells.Count;
            string id = $"cell-{index + 1}";
            if (kernel is "markdown" or "md") cells.Add(NotebookCell.Create(CellKind.Markdown, "markdown", content, id));
            else if (CSharpNames.Contains(kernel)) cells.Add(NotebookCell.Create(CellKind.Code, "csharp", content, id));
            else throw new NotebookFormatException(path, $"is in language '{kernel}'; the runner executes only C# (csharp) code cells", index);
        }

        var root = NewIpynbRoot(kernelInfo);
        root["cells"] = new JsonArray(cells.Select(c => (JsonNode)c.Json).ToArray());
        return new NotebookDocument(path, NotebookFormat.Dib, root, cells, meta);
    }

    private static IEnumerable<string> TrimBlankLines(List<string> lines)
    {
        int start = 0, end = lines.Count;
        while (start < end && lines[start].Trim().Length == 0) start++;
        while (end > start && lines[end - 1].Trim().Length == 0) end--;
        return lines.Skip(start).Take(end - start);
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

    // ---- writing ----

    /// <summary>The document as .ipynb text (deterministic; see <see cref="NotebookJson"/>).</summary>
    public string ToIpynb() => NotebookJson.Serialize(Root);

    /// <summary>The document as .dib text: "#!meta" header, then "#!kernel" separated cells (outputs are not part of .dib).</summary>
    public string ToDib()
    {
        var blocks = new List<string>();
        string meta = DibMeta ?? new JsonObject { ["kernelInfo"] = Metadata["polyglot_notebook"]?["kernelInfo"]?.DeepClone() }.ToJsonString();
        blocks.Add("#!meta\n\n" + meta);
        foreach (var cell in Cells)
            blocks.Add($"#!{(cell.Kind == CellKind.Markdown ? "markdown" : cell.Language)}\n\n{cell.Source}");
        return string.Join("\n\n", blocks) + "\n";
    }

    /// <summary>Writes atomically (temp file + move) so a failure never leaves a half-written notebook.</summary>
    public void Save(string path, NotebookFormat? format = null)
    {
        string text = (format ?? FormatOf(path)) == NotebookFormat.Dib ? ToDib() : ToIpynb();
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, full, overwrite: true);
    }

    public static NotebookFormat FormatOf(string path) =>
        path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? NotebookFormat.Dib : NotebookFormat.Ipynb;
}

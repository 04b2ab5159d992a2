using System.Text.Json.Nodes;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>A temporary notebook folder per test, and helpers to write and run notebooks in it.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lossnb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string text)
    {
        string full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class TestNotebooks
{
    /// <summary>A .dib notebook with one C# cell per element.</summary>
    public static string Dib(params string[] cells) =>
        string.Join("\n\n", cells.Select(c => "#!csharp\n\n" + c)) + "\n";

    /// <summary>A Polyglot .ipynb with one C# cell per element (cell metadata as VS Code writes it).</summary>
    public static string Ipynb(params string[] cells)
    {
        var array = new JsonArray(cells.Select((c, i) => (JsonNode)new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = $"c{i}", ["outputs"] = new JsonArray(), ["source"] = c,
            ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
        }).ToArray());
        return new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString();
    }

    public static Task<(NotebookDocument Doc, NotebookResult Result)> RunAsync(
        TempFolder folder, ExecutorOptions? options, params string[] cells) => RunFileAsync(folder, "test.dib", Dib(cells), options);

    public static async Task<(NotebookDocument Doc, NotebookResult Result)> RunFileAsync(
        TempFolder folder, string name, string text, ExecutorOptions? options)
    {
        string path = folder.Write(name, text);
        var doc = NotebookDocument.Load(path);
        var result = await new NotebookExecutor(options ?? Options(o => o)).RunAsync(doc);
        return (doc, result);
    }

    /// <summary>Test defaults (the repository's pinned kernel tool, a 60 s cell timeout), changed by <paramref name="change"/>.</summary>
    public static ExecutorOptions Options(Func<ExecutorOptions, ExecutorOptions> change) =>
        change(new ExecutorOptions { CellTimeout = TimeSpan.FromSeconds(60), Tool = Tool.Value });

    private static readonly Lazy<KernelTool> Tool = new(() => KernelTool.Locate(RepoRoot()));

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "LossNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("LossNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}

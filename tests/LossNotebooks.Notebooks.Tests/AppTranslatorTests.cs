using System.Reflection;
using System.Text.Json.Nodes;
using LossNotebooks.Notebooks.Apps;
using LossNotebooks.Notebooks.Documents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossNotebooks.Notebooks.Tests;

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// The notebook → app translation on cells that are legal script submissions but not a legal program as written: each
/// app is compiled in memory and run (its console captured), so the test sees the values a notebook shows.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class AppTranslatorTests
{
    private static string Notebook(params (string Kind, string Source)[] cells)
    {
        var array = new JsonArray(cells.Select((c, i) => (JsonNode)(c.Kind == "md"
            ? new JsonObject { ["cell_type"] = "markdown", ["id"] = $"m{i}", ["metadata"] = new JsonObject(), ["source"] = c.Source }
            : new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["id"] = $"c{i}", ["outputs"] = new JsonArray(), ["source"] = c.Source,
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
            })).ToArray());
        return new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString();
    }

    private static (string Source, string Output) TranslateAndRun(params (string Kind, string Source)[] cells)
    {
        using var folder = new TempFolder();
        string path = folder.Write("notebooks/t.ipynb", Notebook(cells));
        string appFile = Path.Combine(folder.Path, "apps", "t", "app.cs");
        string source = AppTranslator.Translate(NotebookDocument.Load(path), new AppTarget(appFile));
        // The #: lines are for `dotnet run`; this compiles the C# itself.
        string csharp = string.Join('\n', source.Split('\n').Select(l => l.StartsWith("#:", StringComparison.Ordinal) ? "//" + l : l));
        var tree = CSharpSyntaxTree.ParseText(csharp, new CSharpParseOptions(LanguageVersion.Preview), path: appFile);
        var compilation = CSharpCompilation.Create("app" + Guid.NewGuid().ToString("N"), [tree], References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Disable));
        using var pe = new MemoryStream();
        var emit = compilation.Emit(pe);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + source);
        var entry = Assembly.Load(pe.ToArray()).EntryPoint!;
        var saved = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try { entry.Invoke(null, [new[] { "--out", Path.Combine(folder.Path, "out"), "--no-figures" }]); }
        finally { Console.SetOut(saved); }
        return (source, captured.ToString().Replace("\r\n", "\n"));
    }

    private static readonly Lazy<List<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !f.Contains("Microsoft.DiaSymReader.Native", StringComparison.Ordinal))
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList());

    private static string[] Lines(string output) => output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('[')).ToArray();

    [Fact]
    public void A_cells_last_expression_is_shown_and_a_void_one_runs_once()
    {
        var (_, output) = TranslateAndRun(("code", "var a = 20;\na + 1"), ("code", "Console.WriteLine(\"once\")"), ("code", "$\"{a}!\"  // trailing comment"));
        Assert.Equal(["21", "once", "20!"], Lines(output));
    }

    [Fact]
    public void A_variable_declared_again_in_a_later_cell_is_a_new_variable_and_closures_keep_the_old_one()
    {
        var (source, output) = TranslateAndRun(
            ("code", "var x = 1;\nFunc<int> f = () => x;"),
            ("code", "var x = \"two\";"),
            ("code", "$\"{f()} {x}\""),
            ("code", "int F() => 1;"),
            ("code", "int F() => 2;\nF()"));
        Assert.Equal(["1 two", "2"], Lines(output));
        Assert.Contains("var x_1 = \"two\";", source);
    }

    [Fact]
    public void A_top_level_name_that_a_nested_local_a_query_or_a_member_also_uses_is_renamed()
    {
        var (_, output) = TranslateAndRun(
            ("code", "foreach (var c in new[] { 1 }) Console.WriteLine(c);"),
            ("code", "var q = (from a in new[] { 1, 2 } select a * 10).Sum();\nq"),
            ("code", "using static System.Math;\nRound(PI, 2)"),
            ("code", "int c = 5, a = 7;\nvar PI = 3;\n$\"{c * 2} {a} {PI}\""));
        Assert.Equal(["1", "30", "3.14", "10 7 3"], Lines(output));
    }

    [Fact]
    public void A_class_declared_in_a_cell_moves_after_the_top_level_statements()
    {
        var (source, output) = TranslateAndRun(
            ("code", "record Point(int X, int Y);\nclass Box { public int Size => 4; }\nvar p = new Point(1, 2);"),
            ("code", "p.X + p.Y + new Box().Size"));
        Assert.Equal(["7"], Lines(output));
        Assert.True(source.IndexOf("record Point", StringComparison.Ordinal) > source.IndexOf("AppConsole.End();", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_becomes_line_comments_that_no_star_slash_or_line_separator_can_end()
    {
        var (source, output) = TranslateAndRun(
            ("md", "# Title */ not code\n/* still a comment\nline\u2028Console.WriteLine(\"escaped\");"),
            ("code", "\"after\""));
        Assert.Equal(["after"], Lines(output));
        Assert.Contains("// # Title */ not code\n// /* still a comment\n", source);
    }
}

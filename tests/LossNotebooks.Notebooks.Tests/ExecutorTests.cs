using System.Text.Json.Nodes;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossNotebooks.Notebooks.Tests;

public class ExecutorTests
{
    private static JsonObject Output(NotebookDocument doc, int cell, int index = 0) => (JsonObject)doc.Cells[cell].Outputs[index]!;

    private static string Text(JsonNode? node) => NotebookJson.JoinMultiline(node);

    [Fact]
    public async Task Trailing_expression_is_an_execute_result_and_state_carries_over()
    {
        using var folder = new TempFolder();
        var (doc, result) = await TestNotebooks.RunAsync(folder, null, "var a = 20;", "a * 2 + 2", "a++;");
        Assert.Equal(3, result.Ran);
        Assert.Empty(doc.Cells[0].Outputs);
        var output = Output(doc, 1);
        Assert.Equal("execute_result", output["output_type"]!.GetValue<string>());
        Assert.Equal("42", Text(output["data"]!["text/plain"]));
        Assert.Equal(2, output["execution_count"]!.GetValue<int>());
        Assert.Empty(doc.Cells[2].Outputs); // a statement, not a value
    }

    [Fact]
    public async Task Display_and_html_are_display_data_in_order_with_streams()
    {
        using var folder = new TempFolder();
        var (doc, _) = await TestNotebooks.RunAsync(folder, null,
            "Console.WriteLine(\"before\");\ndisplay(HTML(\"<b>bold</b>\"));\n\"shown\".Display();\nConsole.Error.WriteLine(\"warn\");");
        var outputs = doc.Cells[0].Outputs.Select(o => o!["output_type"]!.GetValue<string>()).ToList();
        Assert.Equal(["stream", "display_data", "display_data", "stream"], outputs);
        Assert.Equal("stdout", Output(doc, 0, 0)["name"]!.GetValue<string>());
        Assert.Equal("before\n", Text(Output(doc, 0, 0)["text"]));
        Assert.Equal("<b>bold</b>", Text(Output(doc, 0, 1)["data"]!["text/html"]));
        Assert.Equal("shown", Text(Output(doc, 0, 2)["data"]!["text/plain"]));
        Assert.Equal("stderr", Output(doc, 0, 3)["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Displayed_value_update_replaces_the_output()
    {
        using var folder = new TempFolder();
        var (doc, _) = await TestNotebooks.RunAsync(folder, null, "var d = display(1);\nd.Update(2);");
        Assert.Single(doc.Cells[0].Outputs);
        Assert.Equal("2", Text(Output(doc, 0)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Compile_error_is_an_error_output_with_cell_line_numbers_and_later_cells_are_skipped()
    {
        using var folder = new TempFolder();
        var (doc, result) = await TestNotebooks.RunAsync(folder, null, "var ok = 1;", "// comment\nint x = \"text\";", "ok");
        var error = Output(doc, 1);
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.StartsWith("(2,9): error CS0029", error["evalue"]!.GetValue<string>());
        Assert.Equal([CellStatus.Ran, CellStatus.Failed, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.Equal("cell 2 failed", result.Cells[2].Reason);
        Assert.Contains("cell 2 failed", Text(Output(doc, 2)["text"]));
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Runtime_exception_is_an_error_output_and_keep_going_runs_the_rest()
    {
        using var folder = new TempFolder();
        var options = new ExecutorOptions { ContinueAfterFailure = true };
        var (doc, result) = await TestNotebooks.RunAsync(folder, options,
            "var n = 5;", "throw new InvalidOperationException(\"boom\");", "n + 1");
        var error = Output(doc, 1);
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("boom", error["evalue"]!.GetValue<string>());
        Assert.Contains(error["traceback"]!.AsArray(), l => l!.GetValue<string>().Contains("boom"));
        Assert.Equal([CellStatus.Ran, CellStatus.Failed, CellStatus.Ran], result.Cells.Select(c => c.Status));
        Assert.Equal("6", Text(Output(doc, 2)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Timeout_fails_the_cell_and_skips_the_rest_even_with_keep_going()
    {
        using var folder = new TempFolder();
        var options = new ExecutorOptions { CellTimeout = TimeSpan.FromMilliseconds(500), ContinueAfterFailure = true };
        var (doc, result) = await TestNotebooks.RunAsync(folder, options, "System.Threading.Thread.Sleep(3000);", "1");
        Assert.Equal("TimeoutException", Output(doc, 0)["ename"]!.GetValue<string>());
        Assert.Equal("Cell did not finish within 0.5 s", Output(doc, 0)["evalue"]!.GetValue<string>());
        Assert.Equal([CellStatus.Failed, CellStatus.Skipped], result.Cells.Select(c => c.Status));
    }

    [Fact]
    public async Task Online_only_cells_are_skipped_with_their_reason()
    {
        using var folder = new TempFolder();
        string path = folder.Write("online.ipynb", """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
             {"cell_type": "code", "id": "a", "metadata": {"lossnb": {"onlineOnly": true, "reason": "needs Plotly.NET"}}, "source": "#r \"nuget: Plotly.NET\"", "outputs": [], "execution_count": null},
             {"cell_type": "code", "id": "b", "metadata": {}, "source": "1 + 1", "outputs": [], "execution_count": null}]}
            """);
        var doc = NotebookDocument.Load(path);
        var result = await new NotebookExecutor().RunAsync(doc);
        Assert.Equal([CellStatus.Skipped, CellStatus.Ran], result.Cells.Select(c => c.Status));
        Assert.Equal("online-only cell: needs Plotly.NET", result.Cells[0].Reason);
        Assert.Contains("needs Plotly.NET", Text(Output(doc, 0)["text"]));
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Unsupported_magic_is_a_clear_error_and_time_magic_works()
    {
        using var folder = new TempFolder();
        var options = new ExecutorOptions { ContinueAfterFailure = true };
        // In .ipynb a "#!fsharp" line is a magic inside a C# cell (in .dib it would separate cells).
        var (doc, result) = await TestNotebooks.RunFileAsync(folder, "magic.ipynb",
            TestNotebooks.Ipynb("#!fsharp\nlet x = 1", "#!time\nvar y = 1;", "#!markdown\n# not code"), options);
        Assert.Equal("UnsupportedDirective", Output(doc, 0)["ename"]!.GetValue<string>());
        Assert.Contains("magic command '#!fsharp' is not supported", Output(doc, 0)["evalue"]!.GetValue<string>());
        Assert.StartsWith("Wall time: ", Text(Output(doc, 1)["text"]));
        Assert.Equal([CellStatus.Failed, CellStatus.Ran, CellStatus.NotCode], result.Cells.Select(c => c.Status));
    }

    [Fact]
    public async Task Convention_formatted_value_from_a_referenced_dll_emits_all_mime_types()
    {
        using var folder = new TempFolder();
        string dll = typeof(Convention.TestFigure).Assembly.Location;
        var (doc, result) = await TestNotebooks.RunAsync(folder, null,
            $"#r \"{dll}\"\nusing LossNotebooks.Notebooks.Tests.Convention;\ndisplay(new TestFigure(\"a\"));\nnew DerivedFigure(\"b\")");
        Assert.True(result.Succeeded, string.Join("; ", result.Cells.Select(c => c.Reason)));
        var shown = Output(doc, 0, 0);
        Assert.Equal("display_data", shown["output_type"]!.GetValue<string>());
        Assert.Equal("<div class=\"fig\">a</div>", Text(shown["data"]!["text/html"]));
        Assert.Equal("a", shown["data"]!["application/vnd.plotly.v1+json"]!["layout"]!["title"]!.GetValue<string>());
        var value = Output(doc, 0, 1);
        Assert.Equal("execute_result", value["output_type"]!.GetValue<string>());
        Assert.Equal("Figure 'b'", Text(value["data"]!["text/plain"]));
    }

    private static void CompileGreeter(string path)
    {
        var tree = CSharpSyntaxTree.ParseText("public static class Greeter { public static string Hello() => \"hello\"; }");
        var compilation = CSharpCompilation.Create("Greeter", [tree],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var emit = compilation.Emit(path);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
    }

    [Fact]
    public async Task R_dll_and_load_csx_resolve_relative_to_the_notebook_and_csx_folders()
    {
        using var folder = new TempFolder();
        CompileGreeter(Path.Combine(folder.Path, "lib", "Greeter.dll"));
        // #r inside a #load-ed file resolves against the .csx's own folder (helpers/), as in the kernel.
        folder.Write("helpers/h.csx", "#r \"../lib/Greeter.dll\"\nstatic int Twice(int x) => 2 * x;\n");
        var (doc, result) = await TestNotebooks.RunAsync(folder, null,
            "#r \"lib/Greeter.dll\"\nGreeter.Hello()", "#load \"helpers/h.csx\"\nTwice(Greeter.Hello().Length)");
        Assert.True(result.Succeeded, string.Join("; ", result.Cells.Select(c => c.Reason)));
        Assert.Equal("hello", Text(Output(doc, 0)["data"]!["text/plain"]));
        Assert.Equal("10", Text(Output(doc, 1)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Working_directory_is_the_notebook_folder_and_output_dir_is_in_LOSSNB_OUT()
    {
        using var folder = new TempFolder();
        string outDir = Path.Combine(folder.Path, "out");
        var (doc, _) = await TestNotebooks.RunAsync(folder, new ExecutorOptions { OutputDirectory = outDir },
            "System.IO.Directory.GetCurrentDirectory() + \"|\" + Environment.GetEnvironmentVariable(\"LOSSNB_OUT\")");
        Assert.Equal($"{folder.Path}|{outDir}", Text(Output(doc, 0)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Enrichers_add_mime_types_to_display_outputs()
    {
        using var folder = new TempFolder();
        var options = new ExecutorOptions { Enrichers = [new SvgEnricher()] };
        var (doc, _) = await TestNotebooks.RunAsync(folder, options, "display(\"fig\");");
        Assert.Equal("<svg/>", Text(Output(doc, 0)["data"]!["image/svg+xml"]));
    }

    [Fact]
    public async Task Failing_enricher_fails_its_cell()
    {
        using var folder = new TempFolder();
        var options = new ExecutorOptions { Enrichers = [new ThrowingEnricher()] };
        var (doc, result) = await TestNotebooks.RunAsync(folder, options, "display(1);");
        Assert.Equal(CellStatus.Failed, result.Cells[0].Status);
        Assert.Contains("output enricher ThrowingEnricher failed: no renderer", Output(doc, 0, 1)["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Top_level_await_works_and_void_calls_have_no_result()
    {
        using var folder = new TempFolder();
        var (doc, result) = await TestNotebooks.RunAsync(folder, null, "await Task.Delay(10);\n5", "Console.WriteLine(\"x\")");
        Assert.True(result.Succeeded);
        Assert.Equal("5", Text(Output(doc, 0)["data"]!["text/plain"]));
        Assert.Equal(["stream"], doc.Cells[1].Outputs.Select(o => o!["output_type"]!.GetValue<string>()));
    }

    private sealed class ThrowingEnricher : IOutputEnricher
    {
        public Task EnrichAsync(IDictionary<string, string> mimeBundle, OutputContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no renderer");
    }

    private sealed class SvgEnricher : IOutputEnricher
    {
        public Task EnrichAsync(IDictionary<string, string> mimeBundle, OutputContext context, CancellationToken cancellationToken)
        {
            Assert.Equal(0, context.CellIndex);
            mimeBundle["image/svg+xml"] = "<svg/>";
            return Task.CompletedTask;
        }
    }
}

using System.Text.Json.Nodes;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>The executor on the real kernel process (the pinned .NET Interactive tool): each test starts one.</summary>
public class ExecutorTests
{
    private static JsonObject Output(NotebookDocument doc, int cell, int index = 0) => (JsonObject)doc.Cells[cell].Outputs[index]!;

    private static string Text(JsonNode? node) => NotebookJson.JoinMultiline(node);

    private static List<string> Types(NotebookDocument doc, int cell) =>
        doc.Cells[cell].Outputs.Select(o => o!["output_type"]!.GetValue<string>()).ToList();

    private static string Reasons(NotebookResult result) => string.Join("; ", result.Cells.Select(c => c.Reason));

    [Fact]
    public async Task State_carries_over_and_a_trailing_expression_is_the_execute_result()
    {
        using var folder = new TempFolder();
        var (doc, result) = await TestNotebooks.RunAsync(folder, null, "var a = 20;", "(a * 2 + 2).ToString()", "a++;");
        Assert.Equal(3, result.Ran);
        Assert.Empty(doc.Cells[0].Outputs);
        var output = Output(doc, 1);
        Assert.Equal("execute_result", output["output_type"]!.GetValue<string>());
        Assert.Equal("42", Text(output["data"]!["text/plain"]));
        Assert.Equal(2, output["execution_count"]!.GetValue<int>());
        Assert.Empty(doc.Cells[2].Outputs); // a statement, not a value
    }

    [Fact]
    public async Task Streams_and_displays_keep_their_order_and_updates_are_kept()
    {
        using var folder = new TempFolder();
        var (doc, result) = await TestNotebooks.RunAsync(folder, null,
            "Console.WriteLine(\"before\");\n\"shown\".Display();\nConsole.Error.WriteLine(\"warn\");",
            "var d = \"first\".Display();\nd.Update(\"second\");",
            "#r \"nuget: MathNet.Numerics, 5.0.0\"");
        Assert.True(result.Succeeded, Reasons(result));
        Assert.Equal(["stream", "display_data", "stream"], Types(doc, 0));
        Assert.Equal("before\n", Text(Output(doc, 0, 0)["text"]));
        Assert.Equal("shown", Text(Output(doc, 0, 1)["data"]!["text/plain"]));
        Assert.Equal("stderr", Output(doc, 0, 2)["name"]!.GetValue<string>());
        // The tool's kernel sends DisplayedValue.Update under a new value id, so the update is a second output
        // (the final value stays visible) ...
        Assert.Equal(["first", "second"], doc.Cells[1].Outputs.Select(o => Text(o!["data"]!["text/plain"])));
        // ... while its own package-install progress updates one output in place: "Installing" becomes "Installed".
        var install = Assert.Single(doc.Cells[2].Outputs);
        Assert.Contains("Installed Packages", Text(install!["data"]!["text/html"]));
    }

    [Fact]
    public async Task Compile_error_names_its_line_and_later_cells_are_skipped()
    {
        using var folder = new TempFolder();
        var (doc, result) = await TestNotebooks.RunAsync(folder, null, "var ok = 1;", "// comment\nint x = \"text\";", "ok");
        Assert.Equal(["stream", "error"], Types(doc, 1));
        Assert.Contains("(2,9): error CS0029", Text(Output(doc, 1, 0)["text"]));
        Assert.Equal("compilation error", Output(doc, 1, 1)["evalue"]!.GetValue<string>());
        Assert.Equal([CellStatus.Ran, CellStatus.Failed, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.StartsWith("(2,9): error CS0029", result.Cells[1].Reason);
        Assert.Equal("cell 2 failed", result.Cells[2].Reason);
        Assert.Empty(doc.Cells[2].Outputs);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Runtime_exception_is_an_error_output_and_keep_going_runs_the_rest()
    {
        using var folder = new TempFolder();
        var options = TestNotebooks.Options(o => o with { ContinueAfterFailure = true });
        var (doc, result) = await TestNotebooks.RunAsync(folder, options,
            "var n = 5;", "throw new InvalidOperationException(\"boom\");", "(n + 1).ToString()");
        var error = Output(doc, 1);
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.StartsWith("System.InvalidOperationException: boom", error["evalue"]!.GetValue<string>());
        Assert.Equal("System.InvalidOperationException: boom", result.Cells[1].Reason);
        Assert.Equal([CellStatus.Ran, CellStatus.Failed, CellStatus.Ran], result.Cells.Select(c => c.Status));
        Assert.Equal("6", Text(Output(doc, 2)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Timeout_cancels_a_cell_that_awaits_the_kernels_token_and_the_kernel_goes_on()
    {
        using var folder = new TempFolder();
        // The first cell also pays for the kernel's warm-up (seconds on a busy machine): a generous timeout.
        var options = TestNotebooks.Options(o => o with { CellTimeout = TimeSpan.FromSeconds(15), ContinueAfterFailure = true });
        var (doc, result) = await TestNotebooks.RunAsync(folder, options,
            "var kept = \"state\";",
            "await Task.Delay(TimeSpan.FromMinutes(5), Microsoft.DotNet.Interactive.KernelInvocationContext.Current.CancellationToken);",
            "kept");
        Assert.Equal([CellStatus.Ran, CellStatus.Failed, CellStatus.Ran], result.Cells.Select(c => c.Status));
        Assert.Contains("did not finish within 15 s; the kernel cancelled it", result.Cells[1].Reason);
        Assert.Equal("state", Text(Output(doc, 2)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Timeout_of_a_cell_that_ignores_cancel_ends_the_kernel_and_the_rest_is_not_run()
    {
        using var folder = new TempFolder();
        var options = TestNotebooks.Options(o => o with { CellTimeout = TimeSpan.FromSeconds(15), ContinueAfterFailure = true });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (doc, result) = await TestNotebooks.RunAsync(folder, options, "var warm = 1;", "Console.WriteLine(\"started\");\nwhile (true) { }", "1");
        Assert.Equal([CellStatus.Ran, CellStatus.Failed, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.Contains("ignored the kernel's Cancel; the kernel process was ended", result.Cells[1].Reason);
        Assert.Equal("cell 2 timed out and its kernel was ended", result.Cells[2].Reason);
        Assert.Equal("started\n", Text(Output(doc, 1, 0)["text"])); // what it printed before it hung is kept
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Kernel_that_exits_fails_its_cell_and_the_rest_is_not_run()
    {
        using var folder = new TempFolder();
        var options = TestNotebooks.Options(o => o with { ContinueAfterFailure = true });
        var (doc, result) = await TestNotebooks.RunAsync(folder, options, "Environment.Exit(3);", "1");
        Assert.Equal([CellStatus.Failed, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.Equal("The kernel process exited while the cell ran", result.Cells[0].Reason);
        Assert.Equal("the kernel exited in cell 1", result.Cells[1].Reason);
        Assert.Equal("KernelExited", Output(doc, 0, doc.Cells[0].Outputs.Count - 1)["ename"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_kernel_process_is_gone_when_the_notebook_is_done()
    {
        // A kernel whose stdin is merely closed keeps running (and spinning) after its host leaves: the executor ends it.
        using var folder = new TempFolder();
        var (doc, result) = await TestNotebooks.RunAsync(folder, null, "Environment.ProcessId.ToString()");
        Assert.True(result.Succeeded, Reasons(result));
        int pid = int.Parse(Text(Output(doc, 0)["data"]!["text/plain"]));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        bool alive = true;
        while (alive && DateTime.UtcNow < deadline)
        {
            try { using var p = System.Diagnostics.Process.GetProcessById(pid); alive = !p.HasExited; }
            catch (ArgumentException) { alive = false; }
            if (alive) await Task.Delay(200);
        }
        Assert.False(alive, $"kernel process {pid} still runs after the notebook finished");
    }

    [Fact]
    public async Task Consecutive_writes_are_one_stream_and_output_past_the_limit_is_cut_with_a_note()
    {
        using var folder = new TempFolder();
        var options = TestNotebooks.Options(o => o with { OutputLimit = 100_000 });
        var (doc, result) = await TestNotebooks.RunAsync(folder, options,
            "for (int i = 0; i < 20000; i++) Console.WriteLine(\"line \" + i);",
            "for (int i = 0; i < 20000; i++) Console.Write(i % 10);\n\"done\"");
        Assert.True(result.Succeeded, Reasons(result));
        Assert.Equal(["stream", "stream"], Types(doc, 0));
        Assert.Equal(100_000, Text(Output(doc, 0, 0)["text"]).Length);
        Assert.Equal("stderr", Output(doc, 0, 1)["name"]!.GetValue<string>());
        Assert.Contains("output truncated at 100000 characters", Text(Output(doc, 0, 1)["text"]));
        Assert.Equal(["stream", "execute_result"], Types(doc, 1)); // 20000 writes, one output
        Assert.Equal(20000, Text(Output(doc, 1, 0)["text"]).Length);
    }

    [Fact]
    public async Task Missing_load_target_is_a_failed_cell_naming_the_file()
    {
        using var folder = new TempFolder();
        var (_, result) = await TestNotebooks.RunAsync(folder, null, "#load \"helpers/missing.csx\"", "1");
        Assert.Equal([CellStatus.Failed, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.Contains("missing.csx", result.Cells[0].Reason);
    }

    [Fact]
    public async Task Unknown_nuget_package_is_a_failed_cell_naming_the_package()
    {
        using var folder = new TempFolder();
        var (_, result) = await TestNotebooks.RunAsync(folder, null, "#r \"nuget: LossNotebooks.NoSuchPackage.Probe, 1.0.0\"");
        Assert.Equal(CellStatus.Failed, result.Cells[0].Status);
        Assert.Contains("LossNotebooks.NoSuchPackage.Probe", result.Cells[0].Reason);
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
        folder.Write("helpers/h.csx", "#r \"../lib/Greeter.dll\"\nstatic int Twice(int x) => 2 * x;\n");
        var (doc, result) = await TestNotebooks.RunAsync(folder, null,
            "#r \"lib/Greeter.dll\"\nGreeter.Hello()", "#load \"helpers/h.csx\"\nTwice(Greeter.Hello().Length).ToString()");
        Assert.True(result.Succeeded, Reasons(result));
        Assert.Equal("hello", Text(Output(doc, 0)["data"]!["text/plain"]));
        Assert.Equal("10", Text(Output(doc, 1)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Working_directory_is_the_notebook_folder_and_output_dir_is_in_LOSSNB_OUT()
    {
        using var folder = new TempFolder();
        string outDir = Path.Combine(folder.Path, "out");
        var (doc, _) = await TestNotebooks.RunAsync(folder, TestNotebooks.Options(o => o with { OutputDirectory = outDir }),
            "System.IO.Directory.GetCurrentDirectory() + \"|\" + Environment.GetEnvironmentVariable(\"LOSSNB_OUT\")");
        Assert.Equal($"{folder.Path}|{outDir}", Text(Output(doc, 0)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Enrichers_add_mime_types_and_a_failing_enricher_fails_its_cell()
    {
        using var folder = new TempFolder();
        var (doc, _) = await TestNotebooks.RunAsync(folder, TestNotebooks.Options(o => o with { Enrichers = [new SvgEnricher()] }), "display(\"fig\");");
        Assert.Equal("<svg/>", Text(Output(doc, 0)["data"]!["image/svg+xml"]));

        var (failed, result) = await TestNotebooks.RunAsync(folder, TestNotebooks.Options(o => o with { Enrichers = [new ThrowingEnricher()] }), "display(1);");
        Assert.Equal(CellStatus.Failed, result.Cells[0].Status);
        Assert.Contains("output enricher ThrowingEnricher failed: no renderer", Output(failed, 0, 1)["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_kernel_tool_fails_the_first_cell_with_the_reason()
    {
        using var folder = new TempFolder();
        var tool = new KernelTool(Path.Combine(folder.Path, "no-such-tool.dll"), "0.0.0");
        var options = TestNotebooks.Options(o => o with { Tool = tool, KernelStartTimeout = TimeSpan.FromSeconds(20) });
        var (_, result) = await TestNotebooks.RunAsync(folder, options, "1", "2");
        Assert.Equal([CellStatus.Failed, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.Contains("did not start", result.Cells[0].Reason);
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

using System.Diagnostics;
using System.Text.Json.Nodes;
using LossNotebooks.Cli;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>`lossnb run` end to end, in process, on the real notebooks/ folder; output checked by Jupyter's own tools.</summary>
public class CliTests
{
    internal static (int Code, string Output) Run(string file, params string[] args)
    {
        // An explicit working directory: the executor moves the process's one while other tests run notebooks.
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestNotebooks.RepoRoot(),
        };
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>The notebooks load the library's Release build (notebooks/lossnb.csx builds it when missing or stale); build it here first, so no cell pays for it (incremental, seconds when up to date).</summary>
    internal static void BuildLibraryRelease(string repo)
    {
        var (code, output) = Run("dotnet", "build", Path.Combine(repo, "src", "LossNotebooks", "LossNotebooks.csproj"), "-c", "Release", "-nologo", "-v", "q");
        Assert.True(code == 0, "dotnet build src/LossNotebooks -c Release failed:\n" + output);
    }

    [Fact]
    public async Task Lossnb_run_executes_every_notebook_and_the_output_validates_with_nbformat()
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "/usr/bin/python3 (Debian, with python3-nbformat and jupyter-nbconvert) is required: run scripts/setup.sh");
        string repo = TestNotebooks.RepoRoot();
        BuildLibraryRelease(repo);
        using var folder = new TempFolder();

        int exit = await LossnbApp.InvokeAsync(["run", Path.Combine(repo, "notebooks"), "--out", folder.Path]);

        Assert.Equal(0, exit);
        foreach (var source in Directory.GetFiles(Path.Combine(repo, "notebooks"), "*.ipynb"))
        {
            string executed = Path.Combine(folder.Path, "notebooks", Path.GetFileName(source));
            Assert.True(File.Exists(executed), $"no executed notebook for {source}");
            var json = JsonNode.Parse(File.ReadAllText(executed))!;
            var outputs = json["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? []).ToList();
            Assert.DoesNotContain(outputs, o => o!["output_type"]!.GetValue<string>() == "error");
            Assert.Contains(outputs, o => o!["output_type"]!.GetValue<string>() == "execute_result");
        }
        // The library's own [TypeFormatterSource] (an internal attribute) is honoured: the getting-started notebook's
        // gradient-check report renders as an HTML table.
        var gettingStarted = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "notebooks", "00-getting-started.ipynb")))!;
        var bundles = gettingStarted["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Select(o => o!["data"] as JsonObject).Where(d => d is not null).ToList();
        Assert.Contains(bundles, d => d!.ContainsKey("text/html") && Notebooks.Documents.NotebookJson.JoinMultiline(d["text/html"]).Contains("<table"));

        var (code, output) = Run("bash", Path.Combine(repo, "scripts", "validate-notebooks.sh"), Path.Combine(folder.Path, "notebooks"));
        Assert.True(code == 0, "validate-notebooks.sh failed:\n" + output);
        Assert.True(File.Exists(Path.Combine(folder.Path, "notebooks", "html", "00-getting-started.html")));
    }

    [Fact]
    public async Task Malformed_notebook_fails_before_anything_runs_or_is_written()
    {
        using var folder = new TempFolder();
        string good = folder.Write("in/good.dib", TestNotebooks.Dib("1 + 1"));
        string bad = folder.Write("in/bad.ipynb", "{ not json");
        string outDir = Path.Combine(folder.Path, "out");

        int exit = await LossnbApp.InvokeAsync(["run", good, bad, "--out", outDir]);

        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(outDir), "nothing may be written when an input is malformed");
        Assert.Equal("{ not json", File.ReadAllText(bad));
    }

    [Fact]
    public async Task Failed_cell_gives_exit_code_1_and_the_executed_notebook_holds_the_error()
    {
        using var folder = new TempFolder();
        string nb = folder.Write("in/fails.dib", TestNotebooks.Dib("throw new Exception(\"x\");", "1"));
        string outDir = Path.Combine(folder.Path, "out");

        int exit = await LossnbApp.InvokeAsync(["run", nb, "--out", outDir, "--timeout", "60"]);

        Assert.Equal(1, exit);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "run-summary.json")))!["notebooks"]![0]!;
        Assert.Equal(1, summary["failed"]!.GetValue<int>());
        Assert.Equal("skipped", summary["cells"]![1]!["status"]!.GetValue<string>());
        Assert.Equal("cell 1 failed", summary["cells"]![1]!["reason"]!.GetValue<string>());
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "notebooks", "fails.ipynb")))!;
        Assert.Equal("error", json["cells"]![0]!["outputs"]![0]!["output_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rerun_gives_identical_bytes()
    {
        using var folder = new TempFolder();
        string nb = folder.Write("in/same.dib", TestNotebooks.Dib("Console.WriteLine(\"a\");", "display(HTML(\"<i>b</i>\"));", "new[] { 1, 2 }"));
        string outFile = Path.Combine(folder.Path, "out", "notebooks", "same.ipynb");
        Assert.Equal(0, await LossnbApp.InvokeAsync(["run", nb, "--out", Path.Combine(folder.Path, "out")]));
        string first = File.ReadAllText(outFile);
        Assert.Equal(0, await LossnbApp.InvokeAsync(["run", nb, "--out", Path.Combine(folder.Path, "out")]));
        Assert.Equal(first, File.ReadAllText(outFile));
        Assert.Contains("[ 1, 2 ]", first);
    }
}

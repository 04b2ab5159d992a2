using System.Diagnostics;
using System.Text.Json.Nodes;
using LossNotebooks.Cli;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// Clone, open, Run All: on a clone with no build output the first cell (`#load "lossnb.csx"`) builds the
/// library, once however many notebooks start together; a kernel that holds the library is told to restart when its
/// sources change; the next kernel rebuilds and says so.
/// </summary>
public class FreshCloneTests
{
    private const string FirstBuild = "building the library (first run";
    private const string Rebuild = "rebuilding the library (";

    [Fact]
    public async Task A_fresh_clone_builds_the_library_once_and_a_changed_source_rebuilds_it()
    {
        string repo = TestNotebooks.RepoRoot();
        using var folder = new TempFolder();
        string clone = Path.Combine(folder.Path, "clone");
        Git(repo, "clone", "-q", "--no-checkout", repo, clone);
        Git(clone, "checkout", "-q", Git(repo, "rev-parse", "HEAD").Trim());
        // The loader as it is in this working tree, committed or not.
        File.Copy(Path.Combine(repo, "notebooks", "lossnb.csx"), Path.Combine(clone, "notebooks", "lossnb.csx"), overwrite: true);
        string library = Path.Combine(clone, "src", "LossNotebooks");
        Assert.False(Directory.Exists(Path.Combine(library, "bin")), "a fresh clone has no build output");

        // Two notebooks at once on the fresh clone: both pass, one of them built the library.
        var first = await RunAsync(folder, "run1", Path.Combine(clone, "notebooks", "00-getting-started.ipynb"), Path.Combine(clone, "notebooks", "09-cheat-sheet.ipynb"));
        Assert.True(first.Exit == 0, "lossnb run on the fresh clone failed:\n" + first.Describe());
        Assert.True(first.FirstCells.Count(text => text.Contains(FirstBuild, StringComparison.Ordinal)) == 1,
            "exactly one notebook should have built the library:\n" + first.Describe());
        Assert.DoesNotContain(first.FirstCells, text => text.Contains(Rebuild, StringComparison.Ordinal));

        // A kernel that holds the library refuses to go on once a source is newer than its build.
        string source = Path.Combine(library, "Losses", "SoftmaxCrossEntropy.cs");
        Assert.True(File.Exists(source), source);
        string touch = $"System.IO.File.SetLastWriteTimeUtc({System.Text.Json.JsonSerializer.Serialize(source)}, DateTime.UtcNow)";
        string held = folder.Write("clone/notebooks/held.ipynb", TestNotebooks.Ipynb("#load \"lossnb.csx\"", touch, "#load \"lossnb.csx\""));
        var second = await RunAsync(folder, "run2", held);
        Assert.Equal(1, second.Exit);
        Assert.Equal("", second.FirstCells[0]);
        Assert.Contains("Restart the kernel: the library changed since this kernel loaded it (src/LossNotebooks/Losses/SoftmaxCrossEntropy.cs changed since the last build)",
            second.Cells[0][2]);

        // The next kernel rebuilds, says so, loads the new build; loading it again in that kernel is a no-op (no
        // restart demanded: the rebuild counts as up to date).
        string fresh = folder.Write("clone/notebooks/fresh.ipynb", TestNotebooks.Ipynb(
            "#load \"lossnb.csx\"", "#load \"lossnb.csx\"", "using LossNotebooks.Losses;\ntypeof(SoftmaxCrossEntropy).Assembly.Location"));
        var third = await RunAsync(folder, "run3", fresh);
        Assert.True(third.Exit == 0, "the run after a source changed failed:\n" + third.Describe());
        Assert.StartsWith(Rebuild + "src/LossNotebooks/Losses/SoftmaxCrossEntropy.cs changed since the last build", third.FirstCells[0]);
        Assert.Equal("", third.Cells[0][1]);
        Assert.Contains(Path.Combine(library, "bin", "Release", "net10.0", "LossNotebooks.dll"), third.Cells[0][2]);
    }

    /// <summary>The text of every code cell's outputs, per executed notebook.</summary>
    private sealed record Run(int Exit, List<string[]> Cells)
    {
        public List<string> FirstCells => Cells.Select(c => c[0]).ToList();
        public string Describe() => string.Join("\n", Cells.Select((c, i) => $"notebook {i + 1}:\n  " + string.Join("\n  ", c)));
    }

    private static async Task<Run> RunAsync(TempFolder folder, string name, params string[] notebooks)
    {
        string outDir = Path.Combine(folder.Path, name);
        int exit = await LossnbApp.InvokeAsync(["run", .. notebooks, "--out", outDir, "--parallel", "2"]);
        var cells = notebooks.Select(nb =>
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "notebooks", Path.GetFileName(nb))))!;
            return json["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code")
                .Select(c => string.Concat((c!["outputs"]?.AsArray() ?? []).Select(Text))).ToArray();
        }).ToList();
        return new Run(exit, cells);
    }

    private static string Text(JsonNode? output) => output!["output_type"]!.GetValue<string>() switch
    {
        "stream" => NotebookJson.JoinMultiline(output["text"]),
        "error" => output["evalue"]!.GetValue<string>(),
        _ => NotebookJson.JoinMultiline(output["data"]?["text/plain"]),
    };

    private static string Git(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("git", args) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout;
    }
}

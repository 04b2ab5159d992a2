using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LossNotebooks.Cli;
using LossNotebooks.Derivations;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// The README's "Write your own derivation" example, executed on the kernel as written (one cell per code block), then
/// through `lossnb run` and `lossnb check` as a teacher would: the planted line fails as claimed with its wrong term
/// named, the run exits 0; the same notebook with the planted line not marked as wrong exits 1.
/// </summary>
public class OwnDerivationTests
{
    private static string[] ReadmeCells(string repo)
    {
        string readme = File.ReadAllText(Path.Combine(repo, "README.md"));
        var m = Regex.Match(readme, "<!-- own-derivation:start -->(.*?)<!-- own-derivation:end -->", RegexOptions.Singleline);
        Assert.True(m.Success, "README has no own-derivation example between its markers");
        var cells = Regex.Matches(m.Groups[1].Value, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(x => x.Groups[1].Value.TrimEnd()).ToArray();
        Assert.True(cells.Length >= 5, "the example has its cells");
        Assert.True(cells.Sum(c => c.Split('\n').Length) <= 40, "the example fits in 40 lines");
        // The notebook is written outside notebooks/: load the library through the absolute path of lossnb.csx.
        cells[0] = cells[0].Replace("#load \"lossnb.csx\"", $"#load \"{Path.Combine(repo, "notebooks", "lossnb.csx")}\"");
        return cells;
    }

    private static List<JsonObject> Outputs(string executed) =>
        [.. JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!.AsObject())];

    [Fact]
    public async Task The_readme_example_runs_on_the_kernel_and_the_gate_follows_the_claims()
    {
        string repo = TestNotebooks.RepoRoot();
        CliTests.BuildLibraryRelease(repo);
        var cells = ReadmeCells(repo);
        using var folder = new TempFolder();
        folder.Write("own/own-derivation.ipynb", TestNotebooks.Ipynb(cells));
        string outOk = Path.Combine(folder.Path, "out-ok");

        Assert.Equal(0, await LossnbApp.InvokeAsync(["run", Path.Combine(folder.Path, "own"), "--out", outOk]));

        string executed = Path.Combine(outOk, "notebooks", "own-derivation.ipynb");
        var outputs = Outputs(executed);
        Assert.DoesNotContain(outputs, o => o["output_type"]!.GetValue<string>() == "error");
        var records = SeedAudit.ReadNotebook(executed).ToDictionary(r => r.Id);
        Assert.Equal(["ls.grad.1", "ls.grad.2-wrong", "ls.grad.2", "ls.gibbs"], records.Keys);
        Assert.True(records["ls.grad.1"].Passed && records["ls.grad.2"].Passed && records["ls.gibbs"].Passed);
        Assert.False(records["ls.grad.2-wrong"].Passed);
        Assert.Equal("against ls.grad.1 (the last passing line with the same left side): term 1 (−δ_j,label) has no counterpart; " +
            "it should equal term 1 (−t_j); matched: term 2 = term 2 of ls.grad.1", records["ls.grad.2-wrong"].Diagnosis);
        Assert.Equal(StepKind.AtLeast, records["ls.gibbs"].Kind);
        Assert.Contains("min slack value − bound = ", records["ls.gibbs"].Evidence);
        // The formula is in the step's own output, as display math in text/markdown.
        Assert.Contains(outputs, o => o["data"] is JsonObject d && d.ContainsKey("text/markdown")
            && Notebooks.Documents.NotebookJson.JoinMultiline(d["text/markdown"]).StartsWith(@"$$\frac{\partial L}{\partial z_j} = p_j - t_j$$"));
        // A folder of one's own notebooks (no seed notebook) is checked as a whole.
        Assert.Equal(0, await LossnbApp.InvokeAsync(["check", "--from", Path.Combine(outOk, "notebooks")]));

        // The planted line no longer marked as wrong, and a side that throws: the run says so with exit 1, no cell errors.
        var unmarked = cells.Select(c => c.Replace("expected: ExpectedVerdict.Wrong, correctedBy: \"ls.grad.2\", ", "")).ToList();
        Assert.NotEqual(cells, unmarked);
        unmarked.Insert(unmarked.Count - 1, "d.Step(\"ls.todo\", \"not written yet\", left: x => x.dL, right: x => throw new NotImplementedException(\"later\"))");
        folder.Write("own2/own-derivation.ipynb", TestNotebooks.Ipynb([.. unmarked]));
        string outBad = Path.Combine(folder.Path, "out-bad");
        Assert.Equal(1, await LossnbApp.InvokeAsync(["run", Path.Combine(folder.Path, "own2"), "--out", outBad]));
        string executedBad = Path.Combine(outBad, "notebooks", "own-derivation.ipynb");
        Assert.DoesNotContain(Outputs(executedBad), o => o["output_type"]!.GetValue<string>() == "error");
        var bad = SeedAudit.ReadNotebook(executedBad).ToDictionary(r => r.Id);
        Assert.False(bad["ls.grad.2-wrong"].AsExpected);
        Assert.Equal(1, bad["ls.todo"].Problems);
        Assert.Contains("right threw NotImplementedException: later", bad["ls.todo"].Evidence);
        Assert.Equal(1, await LossnbApp.InvokeAsync(["check", "--from", Path.Combine(outBad, "notebooks")]));
        // A line stated as wrong whose correction is misnamed: the gate catches it in run, as check does.
        var typo = cells.Select(c => c.Replace("correctedBy: \"ls.grad.2\"", "correctedBy: \"ls.grad.22\"")).ToArray();
        Assert.NotEqual(cells, typo);
        folder.Write("own3/own-derivation.ipynb", TestNotebooks.Ipynb(typo));
        Assert.Equal(1, await LossnbApp.InvokeAsync(["run", Path.Combine(folder.Path, "own3"), "--out", Path.Combine(folder.Path, "out-typo")]));
        // --allow-failing-steps reports without failing.
        Assert.Equal(0, await LossnbApp.InvokeAsync(["run", Path.Combine(folder.Path, "own2"), "--out", outBad + "2", "--allow-failing-steps"]));
    }
}

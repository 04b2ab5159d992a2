using System.Text.Json.Nodes;
using LossNotebooks.Cli;
using LossNotebooks.Cli.Export;
using LossNotebooks.Derivations;
using LossNotebooks.Export;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// `lossnb export --to app --compare`: a notebook executed on the kernel and its app run with `dotnet run` show the same
/// derivation steps (bit for bit), the same console lines and figure files of the same names.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class AppExportTests
{
    private static string Repo => TestNotebooks.RepoRoot();

    // A `dotnet lossnb.dll` child: the CLI writes to the process's own stdout, which tests running in parallel share.
    private static Task<(int Code, string Out, string Err)> Lossnb(params string[] args) => Task.Run(() =>
    {
        var (code, output) = CliTests.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "lossnb.dll"), .. args]);
        return (code, output, output);
    });

    /// <summary>Runs the notebook on the kernel (solutions filled in) and saves it with its outputs into <paramref name="folder"/>.</summary>
    private static async Task<NotebookDocument> ExecuteAsync(string notebook, string folder)
    {
        var doc = NotebookDocument.Load(notebook);
        ExerciseSolutions.FillIn(doc);
        var result = await new Execution.NotebookExecutor(TestNotebooks.Options(o => o with { CellTimeout = TimeSpan.FromSeconds(240) })).RunAsync(doc);
        Assert.All(result.Cells, c => Assert.NotEqual(Execution.CellStatus.Failed, c.Status));
        Directory.CreateDirectory(folder);
        doc.Save(Path.Combine(folder, Path.GetFileName(notebook)));
        return doc;
    }

    [Fact]
    public async Task A_fixture_app_shows_the_notebooks_steps_console_lines_and_figure_names()
    {
        using var folder = new TempFolder();
        string csx = Path.Combine(Repo, "notebooks", "lossnb.csx");
        string notebook = folder.Write("fix.ipynb", TestNotebooks.Ipynb(
            $"#load \"{csx}\"",
            "using LossNotebooks.Derivations;\nusing LossNotebooks.Figures;\nvar d = new Derivation(\"fixture\", randomSeed: 5);\nvar k = 2.0;",
            "d.Step(\"fx.1\", \"doubling is adding\", left: s => s.Z(0, 0) * k, right: s => s.Z(0, 0) + s.Z(0, 0))",
            "var k = 3.0;   // a new k: the step above keeps the old one\nd.Step(\"fx.2\", \"stated wrong\", left: s => s.Z(0, 0) * k, right: s => Math.Exp(s.Z(0, 0)), expected: ExpectedVerdict.Wrong)",
            "Console.WriteLine($\"k = {k}\");\ndisplay(Plots.HessianHeatmap(new double[] { 2, -1, -1, 2 }, 2, title: \"Fixture heatmap\"));\nd.Run()"));
        var executed = await ExecuteAsync(notebook, Path.Combine(folder.Path, "executed"));

        var (code, stdout, stderr) = await Lossnb("export", notebook, "--to", "app", "--out", Path.Combine(folder.Path, "apps"),
            "--compare", Path.Combine(folder.Path, "executed"));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("fix: app ran in", stdout);
        Assert.Contains("2 steps, same ids, verdicts and max |Δ| (bit-equal)", stdout);

        // Figure files: the name lossnb run gives each Plotly output of the executed notebook (notebook, then the title's words).
        var expected = new List<string>();
        var used = new HashSet<string>();
        for (int i = 0; i < executed.Cells.Count; i++)
            for (int k = 0; k < executed.Cells[i].Outputs.Count; k++)
                if (executed.Cells[i].Outputs[k]?["data"]?[FigureImageEnricher.PlotlyMimeType] is { } json)
                {
                    expected.Add(FigureFileNames.Stem("fix", json is JsonValue v && v.TryGetValue(out string? text) ? text : json.ToJsonString(), used));
                    used.Add(expected[^1]);
                }
        Assert.Equal(["fix-fixture-heatmap"], expected);
        string figures = Path.Combine(folder.Path, "apps", "fix", "out", "figures", "fix");
        Assert.Equal(expected.SelectMany(s => new[] { s + ".png", s + ".svg" }).Order(), Directory.GetFiles(figures).Select(Path.GetFileName).Order());
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(figures, expected[0] + ".svg")).TrimStart());
    }

    [Fact]
    public async Task The_cheat_sheet_app_prints_every_line_the_notebook_prints()
    {
        using var folder = new TempFolder();
        string notebook = Path.Combine(Repo, "notebooks", "09-cheat-sheet.ipynb");
        var executed = await ExecuteAsync(notebook, Path.Combine(folder.Path, "executed"));
        string app = AppExport.Write(notebook, Path.Combine(folder.Path, "apps"));
        var run = await AppExport.RunAsync(app, Path.Combine(folder.Path, "out"), figures: false, TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.True(run.ExitCode == 0, run.Output);
        var printed = executed.Cells.SelectMany(c => c.Outputs).Where(o => (string?)o?["output_type"] == "stream")
            .SelectMany(o => NotebookJson.JoinMultiline(o!["text"]).Split('\n')).Where(l => l.Trim().Length > 0).ToList();
        Assert.True(printed.Count >= 40, $"only {printed.Count} printed lines");
        var appLines = run.Output.Replace("\r\n", "\n").Split('\n').ToHashSet();
        Assert.All(printed, line => Assert.Contains(line, appLines));
        Assert.Empty(AppExport.ReadSteps(Path.Combine(folder.Path, "out")));
    }

    private static StepRecord Record(string id, bool passed, double maxAbs) => new("d", null, id, "claim", ExpectedVerdict.Correct, null,
        passed, 200, passed ? 0 : 3, maxAbs, 1e-9, 1e-8, 0, "default", "evidence");

    [Fact]
    public void Compare_finds_a_missing_step_another_verdict_and_a_max_difference_one_ulp_apart()
    {
        var notebook = new[] { Record("a", true, 1e-10), Record("b", true, 2e-10), Record("c", true, 0) };
        Assert.Empty(AppExport.Compare(notebook, notebook.Select(r => r with { }).ToList()));
        var problems = AppExport.Compare(notebook, [Record("a", true, Math.BitIncrement(1e-10)), Record("b", false, 2e-10)]);
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("3 step records in the notebook, 2 in the app", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("(d / a): max |Δ|", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("(d / b): verdict PASS in the notebook, FAIL in the app", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("(d / b): 0/200 inputs failing in the notebook, 3/200 in the app", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--to", "pdf", "--to must be one of markdown, html, app")]
    [InlineData("--compare", "/nonexistent/executed", "--compare: no folder /nonexistent/executed")]
    public async Task Bad_input_exits_2_naming_the_parameter(string option, string value, string message)
    {
        using var folder = new TempFolder();
        var args = new List<string> { "export", Path.Combine(Repo, "notebooks", "09-cheat-sheet.ipynb"), "--out", folder.Path };
        if (option != "--to") args.AddRange(["--to", "app"]);
        args.AddRange([option, value]);
        var (code, _, stderr) = await Lossnb([.. args]);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public async Task Compare_with_a_markdown_export_exits_2_naming_the_options()
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = await Lossnb("export", Path.Combine(Repo, "notebooks", "09-cheat-sheet.ipynb"), "--to", "markdown",
            "--out", folder.Path, "--compare", folder.Path);
        Assert.Equal(2, code);
        Assert.Contains("--compare, --no-figures and --timeout go with --to app only", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task A_missing_notebook_exits_2_naming_the_argument()
    {
        var (code, _, stderr) = await Lossnb("export", "/nonexistent/x.ipynb", "--to", "app", "--out", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("NOTEBOOK_OR_DIR: no file or folder /nonexistent/x.ipynb", stderr);
    }
}

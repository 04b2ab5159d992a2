using System.Text.Json.Nodes;
using LossNotebooks.Cli;
using LossNotebooks.Derivations;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>`lossnb check --sources`: the executed notebooks must show the steps their sources state, as stated.</summary>
public class CheckSourcesTests
{
    private const string Source = """
        var d = new Derivation<double>("own");
        d.Step("own.a", "a (the id in a string: \"own.z\")", left: x => x, right: x => x)
        // d.Step("own.commented", "not a step", left: x => x, right: x => x)
        d.Step("own.b", "b", left: x => x, right: x => x + 1,
            expected: ExpectedVerdict.Wrong)
        """;

    private static StepRecord Record(string id, ExpectedVerdict expected, bool passed) =>
        new("own", null, id, id, expected, null, passed, 10, passed ? 0 : 10, 0, 0, 1e-8, 1e-6, "default", "evidence");

    private static string Executed(params object[] records) => new JsonObject
    {
        ["cells"] = new JsonArray(new JsonObject
        {
            ["cell_type"] = "code", ["source"] = Source, ["metadata"] = new JsonObject(), ["execution_count"] = 1,
            ["outputs"] = new JsonArray(records.Select(r => (JsonNode)new JsonObject
            {
                ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
                ["data"] = new JsonObject { [StepResult.MimeType] = r is StepRecord s ? JsonNode.Parse(s.ToJson()) : JsonNode.Parse((string)r) },
            }).ToArray()),
        }),
        ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5,
    }.ToJsonString();

    private static async Task<int> Check(TempFolder folder, string executed)
    {
        folder.Write("src/own.ipynb", TestNotebooks.Ipynb(Source));
        folder.Write("out/own.ipynb", executed);
        return await LossnbApp.InvokeAsync(["check", "--from", Path.Combine(folder.Path, "out"), "--sources", Path.Combine(folder.Path, "src")]);
    }

    [Fact]
    public async Task Executed_as_the_source_states_passes()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, await Check(folder, Executed(Record("own.a", ExpectedVerdict.Correct, true), Record("own.b", ExpectedVerdict.Wrong, false))));
    }

    [Fact]
    public async Task A_wrong_step_relabelled_correct_and_passing_fails()
    {
        using var folder = new TempFolder();
        Assert.Equal(1, await Check(folder, Executed(Record("own.a", ExpectedVerdict.Correct, true), Record("own.b", ExpectedVerdict.Correct, true))));
    }

    [Fact]
    public async Task A_deleted_duplicated_or_unstated_step_fails()
    {
        using var folder = new TempFolder();
        var a = Record("own.a", ExpectedVerdict.Correct, true);
        var b = Record("own.b", ExpectedVerdict.Wrong, false);
        Assert.Equal(1, await Check(folder, Executed(b)));
        Assert.Equal(1, await Check(folder, Executed(a, b, Record("own.c", ExpectedVerdict.Correct, true))));
        // Every record deleted: the notebook no longer looks like one with steps, yet its source states two.
        folder.Write("out/other.ipynb", Executed(Record("x", ExpectedVerdict.Correct, true)));
        folder.Write("src/other.ipynb", TestNotebooks.Ipynb("d.Step(\"x\", \"x\", left: x => x, right: x => x)"));
        Assert.Equal(1, await Check(folder, Executed()));
    }

    [Fact]
    public async Task A_malformed_record_or_a_junk_notebook_is_exit_2()
    {
        using var folder = new TempFolder();
        Assert.Equal(2, await Check(folder, Executed("""{"Id": 5}""")));
        Assert.Equal(2, await Check(folder, "[]"));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["check", "--from", Path.Combine(folder.Path, "out"), "--sources", Path.Combine(folder.Path, "nowhere")]));
    }
}

using System.Xml.Linq;
using LossNotebooks.Cli;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>`lossnb run --junit FILE` read back: the common JUnit shape CI systems parse, with the counts they sum.</summary>
public class JUnitTests
{
    [Fact]
    public async Task Cells_and_derivation_steps_become_test_cases_with_failures_and_skips()
    {
        string repo = TestNotebooks.RepoRoot();
        CliTests.BuildLibraryRelease(repo);
        using var folder = new TempFolder();
        folder.Write("nb/junit-probe.ipynb", TestNotebooks.Ipynb(
            $"#load \"{Path.Combine(repo, "notebooks", "lossnb.csx")}\"",
            "using LossNotebooks.Derivations;\nvar d = new Derivation(\"probe\", samples: 5);\nd.Step(\"probe.ok\", \"1 = 1\", s => 1.0, s => 1.0)",
            "d.Step(\"probe.bad\", \"1 = 2\", s => 1.0, s => 2.0)",
            "throw new InvalidOperationException(\"boom\");",
            "1 + 1"));
        string junit = Path.Combine(folder.Path, "results.xml");

        int exit = await LossnbApp.InvokeAsync(["run", Path.Combine(folder.Path, "nb"), "--out", Path.Combine(folder.Path, "out"), "--junit", junit]);

        string executed = File.ReadAllText(Path.Combine(folder.Path, "out", "notebooks", "junit-probe.ipynb"));
        Assert.True(exit == 1, executed);
        var root = XDocument.Load(junit).Root!;
        Assert.True(root.Descendants("testcase").Count() == 7, executed);
        Assert.Equal("testsuites", root.Name.LocalName);
        var suite = Assert.Single(root.Elements("testsuite"));
        Assert.Equal("junit-probe", (string?)suite.Attribute("name"));
        var cases = suite.Elements("testcase").ToList();
        // 5 code cells + 2 steps; failures: cell 4 (the exception) and the step probe.bad; skipped: cell 5.
        Assert.Equal(7, cases.Count);
        Assert.Equal("7", (string?)suite.Attribute("tests"));
        Assert.Equal("2", (string?)suite.Attribute("failures"));
        Assert.Equal("1", (string?)suite.Attribute("skipped"));
        Assert.Equal(root.Attribute("tests")!.Value, suite.Attribute("tests")!.Value);
        var cell4 = cases.Single(c => (string?)c.Attribute("name") == "cell 4");
        Assert.Contains("boom", cell4.Element("failure")!.Attribute("message")!.Value);
        Assert.NotNull(cases.Single(c => (string?)c.Attribute("name") == "cell 5").Element("skipped"));
        var bad = cases.Single(c => (string?)c.Attribute("name") == "probe.bad");
        Assert.Equal("junit-probe.steps", (string?)bad.Attribute("classname"));
        Assert.Equal("probe.bad fails", bad.Element("failure")!.Attribute("message")!.Value);
        Assert.Contains("max |Δ| = 1", bad.Element("failure")!.Value);
        Assert.Null(cases.Single(c => (string?)c.Attribute("name") == "probe.ok").Element("failure"));
        Assert.All(cases, c => Assert.True(double.TryParse((string?)c.Attribute("time"), System.Globalization.CultureInfo.InvariantCulture, out _)));

        // A path it could not write (under a file) is refused before anything runs; a missing folder is made.
        folder.Write("a-file", "not a folder");
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", Path.Combine(folder.Path, "nb"), "--out", Path.Combine(folder.Path, "out2"),
            "--junit", Path.Combine(folder.Path, "a-file", "r.xml")]));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out2", "notebooks")) && Directory.EnumerateFiles(Path.Combine(folder.Path, "out2", "notebooks")).Any());
    }
}

using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>#r "nuget:" restores for real through a generated project and the repo's nuget.config.</summary>
public class NuGetTests
{
    private static TempFolder WithRepoConfig()
    {
        var folder = new TempFolder();
        File.Copy(Path.Combine(TestNotebooks.RepoRoot(), "nuget.config"), Path.Combine(folder.Path, "nuget.config"));
        return folder;
    }

    [Fact]
    public async Task Nuget_reference_restores_and_the_package_is_usable()
    {
        using var folder = WithRepoConfig();
        Directory.CreateDirectory(Path.Combine(folder.Path, "feed"));
        var (doc, result) = await TestNotebooks.RunAsync(folder, null,
            "#i \"nuget: feed\"\n#r \"nuget: Newtonsoft.Json, 13.0.3\"",
            "Newtonsoft.Json.JsonConvert.SerializeObject(new { a = 1 })");
        Assert.True(result.Succeeded, string.Join("; ", result.Cells.Select(c => c.Reason)));
        Assert.Equal("Installed package Newtonsoft.Json version 13.0.3\n", NotebookJson.JoinMultiline(doc.Cells[0].Outputs[0]!["text"]));
        Assert.Equal("{\"a\":1}", NotebookJson.JoinMultiline(doc.Cells[1].Outputs[0]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Unavailable_package_is_a_clear_error_on_its_cell()
    {
        using var folder = WithRepoConfig();
        var (doc, result) = await TestNotebooks.RunAsync(folder, null, "#r \"nuget: LossNb.No.Such.Package.Anywhere, 1.0.0\"");
        Assert.Equal(CellStatus.Failed, result.Cells[0].Status);
        var error = doc.Cells[0].Outputs[0]!;
        Assert.Equal("NuGetRestoreError", error["ename"]!.GetValue<string>());
        Assert.StartsWith("NuGet could not restore LossNb.No.Such.Package.Anywhere 1.0.0", error["evalue"]!.GetValue<string>());
        Assert.Contains("NU1101", error["evalue"]!.GetValue<string>());
    }
}

using System.Text.Json;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>
/// notebooks/lossnb.csx hands the library to the kernel with AddAssemblyReferences, which takes effect from the next
/// submission: a cell that loads it and also names a library type fails with CS0246. So every notebook's first code cell
/// is the load alone, and no other cell loads it again.
/// </summary>
public class LoaderCellTests
{
    public static TheoryData<string> Notebooks()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LossNotebooks.sln"))) dir = dir.Parent;
        var data = new TheoryData<string>();
        foreach (var p in Directory.GetFiles(Path.Combine(dir!.FullName, "notebooks"), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal)) data.Add(p);
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void The_first_code_cell_only_loads_the_library(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var code = doc.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())).Trim()).ToList();
        Assert.Equal("#load \"lossnb.csx\"", code[0]);
        Assert.DoesNotContain(code.Skip(1), c => c.Contains("#load \"lossnb.csx\""));
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LossNotebooks.Cli;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// `lossnb run` against Jupyter: the probe notebook (streams, display(HTML), return values, #r "nuget:", #!time,
/// a compile error, an exception, the library's check report and figure) executed by `jupyter nbconvert --execute`
/// with the tool's own Jupyter kernel (.net-csharp, installed by `dotnet interactive jupyter install`) and by
/// `lossnb run` must give the same outputs cell by cell: output types, stream names, mime types and texts.
/// </summary>
public class ParityTests
{
    private static string ProbePath => Path.Combine(TestNotebooks.RepoRoot(), "tests", "LossNotebooks.Notebooks.Tests", "Probe", "probe.ipynb");

    [Fact]
    public async Task Lossnb_run_gives_the_outputs_jupyter_gives_on_the_same_kernel()
    {
        using var folder = new TempFolder();
        string repo = TestNotebooks.RepoRoot();
        CliTests.BuildLibraryRelease(repo);

        var (code, output) = CliTests.Run("/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
            "--ExecutePreprocessor.kernel_name=.net-csharp", "--ExecutePreprocessor.timeout=300",
            "--output-dir", Path.Combine(folder.Path, "jupyter"), ProbePath);
        Assert.True(code == 0, "jupyter nbconvert --execute with the .net-csharp kernel failed (scripts/setup.sh installs it):\n" + output);
        int exit = await LossnbApp.InvokeAsync(["run", ProbePath, "--out", Path.Combine(folder.Path, "lossnb"), "--keep-going"]);
        Assert.Equal(1, exit); // the probe's compile error and exception are failed cells

        var jupyter = Cells(Path.Combine(folder.Path, "jupyter", "probe.ipynb"));
        var ours = Cells(Path.Combine(folder.Path, "lossnb", "notebooks", "probe.ipynb"));
        Assert.Equal(jupyter.Count, ours.Count);
        for (int i = 0; i < jupyter.Count; i++)
            if (!jupyter[i].SequenceEqual(ours[i])) Assert.Fail($"code cell {i + 1} differs\n{FirstDifference(jupyter[i], ours[i])}");
        // The probe covers what it claims: a figure with its Plotly JSON, a failed compile, an exception.
        var all = ours.SelectMany(c => c).ToList();
        Assert.Contains(all, o => o.Contains("application/vnd.plotly.v1+json"));
        Assert.Contains(all, o => o.Contains("compilation error"));
        Assert.Contains(all, o => o.Contains("probe exception"));
    }

    private static string FirstDifference(List<string> jupyter, List<string> ours)
    {
        if (jupyter.Count != ours.Count) return $"{jupyter.Count} outputs from jupyter, {ours.Count} from lossnb run: {string.Join(" | ", jupyter.Concat(ours).Select(l => l[..Math.Min(120, l.Length)]))}";
        int k = Enumerable.Range(0, jupyter.Count).First(i => jupyter[i] != ours[i]);
        int at = Enumerable.Range(0, Math.Min(jupyter[k].Length, ours[k].Length)).FirstOrDefault(i => jupyter[k][i] != ours[k][i]);
        string Around(string s) { int from = Math.Min(s.Length, Math.Max(0, at - 60)); return s.Substring(from, Math.Min(160, s.Length - from)); }
        return $"output {k + 1}, from character {at}:\njupyter: {Around(jupyter[k])}\nlossnb:  {Around(ours[k])}";
    }

    /// <summary>Each code cell's outputs as comparable lines, normalised as described on the class.</summary>
    private static List<List<string>> Cells(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var cells = new List<List<string>>();
        foreach (var cell in json["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code"))
        {
            var lines = new List<string>();
            foreach (var o in cell!["outputs"]!.AsArray())
            {
                string type = o!["output_type"]!.GetValue<string>();
                if (type == "stream") { lines.Add($"stream {o["name"]}: {Norm(NotebookJson.JoinMultiline(o["text"]))}"); continue; }
                if (type == "error") { lines.Add($"error {o["ename"]}: {Norm(o["evalue"]!.GetValue<string>())}"); continue; }
                var data = o["data"]!.AsObject();
                // Jupyter's front end alone sends a script bootstrapping its own display on the first cell.
                if (data["text/html"] is { } html && NotebookJson.JoinMultiline(html).Contains("dotnet-interactive-this-cell")) continue;
                // The static images are what `lossnb run` adds to a figure (its enricher), nothing the kernel sent.
                var mimes = data.Select(p => p.Key).Where(m => m is not ("image/png" or "image/svg+xml")).OrderBy(m => m, StringComparer.Ordinal);
                lines.Add($"{type}: " + string.Join("; ", mimes.Select(m => $"{m}={Norm(Value(m, data[m]))}")));
            }
            cells.Add(lines);
        }
        return cells;
    }

    /// <summary>
    /// A JSON mime type's value canonically (keys sorted): Jupyter's front end stores the kernel's figure JSON as a
    /// string, `lossnb run` as the JSON object nbformat renderers read; both hold the same kernel text.
    /// </summary>
    private static string Value(string mime, JsonNode? value)
    {
        if (!(mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal))) return NotebookJson.JoinMultiline(value);
        var node = value is JsonValue v && v.TryGetValue(out string? text) ? JsonNode.Parse(text) : value;
        return Canonical(node);
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    /// <summary>Whitespace folded; the submission number in stack traces and #!time's measurement are not the kernel's output but its state and the clock.</summary>
    private static string Norm(string text)
    {
        text = Regex.Replace(text, @"Submission#\d+", "Submission#N");
        text = Regex.Replace(text, @"Wall time: [0-9.]+ms", "Wall time: Tms");
        return Regex.Replace(text, @"\s+", " ").Trim();
    }
}

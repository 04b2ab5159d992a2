using System.Text.RegularExpressions;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// What the runner itself handles before Roslyn sees a cell: magic commands (#!...) and the NuGet forms of
/// #r / #i. Handled lines become blank lines so compile errors keep the cell's own line numbers.
/// </summary>
internal sealed partial class CellDirectives
{
    public static readonly IReadOnlySet<string> SupportedMagics = new HashSet<string> { "#!csharp", "#!c#", "#!C#", "#!markdown", "#!time" };

    public string Code { get; private init; } = "";
    public bool IsMarkdown { get; private init; }
    public bool Time { get; private init; }
    public List<(string Name, string? Version)> Packages { get; } = [];
    public List<string> Sources { get; } = [];
    public string? Error { get; private init; }

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<name>[^,"]+?)\s*(,\s*(?<version>[^"]+?)\s*)?"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#i\s+"nuget:\s*(?<source>[^"]+?)\s*"\s*$""")]
    private static partial Regex NuGetSource();

    public static CellDirectives Parse(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var packages = new List<(string, string?)>();
        var sources = new List<string>();
        bool time = false, markdown = false, sawCode = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].Trim();
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                string magic = trimmed.Split(' ', 2)[0];
                if (magic == "#!markdown" && !sawCode) { markdown = true; break; }
                if (!SupportedMagics.Contains(magic))
                    return new CellDirectives
                    {
                        Error = $"(line {i + 1}) magic command '{magic}' is not supported by the headless runner " +
                                $"(supported: {string.Join(", ", SupportedMagics)})",
                    };
                if (magic == "#!time") time = true;
                lines[i] = "";
                continue;
            }
            if (NuGetReference().Match(lines[i]) is { Success: true } r)
            {
                packages.Add((r.Groups["name"].Value, r.Groups["version"].Success ? r.Groups["version"].Value : null));
                lines[i] = "";
                continue;
            }
            if (NuGetSource().Match(lines[i]) is { Success: true } s)
            {
                sources.Add(s.Groups["source"].Value);
                lines[i] = "";
                continue;
            }
            if (trimmed.StartsWith("#i ", StringComparison.Ordinal))
                return new CellDirectives { Error = $"(line {i + 1}) only '#i \"nuget: <source>\"' is supported, not: {trimmed}" };
            if (trimmed.Length > 0) sawCode = true;
        }
        var result = new CellDirectives { Code = string.Join("\n", lines), IsMarkdown = markdown, Time = time };
        result.Packages.AddRange(packages);
        result.Sources.AddRange(sources);
        return result;
    }
}

using System.Text.Json.Nodes;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// The kernel process: the Microsoft.dotnet-interactive tool pinned in the repository's local tool manifest
/// (.config/dotnet-tools.json, restored by `dotnet tool restore`) — the binary VS Code's Polyglot Notebooks starts.
/// It is started as `dotnet &lt;tool dll&gt; stdio`, so notebooks outside the repository (tests in a temp folder) use
/// the same pinned binary that `dotnet interactive` resolves to inside it.
/// </summary>
public sealed record KernelTool(string EntryAssembly, string Version)
{
    public const string PackageId = "microsoft.dotnet-interactive";

    /// <summary>
    /// The command line of a kernel process speaking the .NET Interactive protocol over stdio. No --http-port or
    /// --http-port-range: with either the tool also serves an unauthenticated HTTP host on every network interface.
    /// </summary>
    public IReadOnlyList<string> StdioCommand(string workingDirectory) =>
        ["dotnet", EntryAssembly, "stdio", "--default-kernel", "csharp", "--working-dir", workingDirectory];

    /// <summary>
    /// Finds the pinned tool: the manifest in <paramref name="searchFrom"/> or a parent folder gives the version, the
    /// NuGet package folder (NUGET_PACKAGES or ~/.nuget/packages) holds it after `dotnet tool restore`.
    /// </summary>
    public static KernelTool Locate(string searchFrom)
    {
        string? manifest = null;
        for (var dir = new DirectoryInfo(Path.GetFullPath(searchFrom)); dir is not null && manifest is null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, ".config", "dotnet-tools.json");
            if (File.Exists(candidate)) manifest = candidate;
        }
        if (manifest is null)
            throw new KernelToolException($"no .config/dotnet-tools.json in {searchFrom} or above: the kernel tool is pinned there");
        string? version = JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[PackageId]?["version"]?.GetValue<string>();
        if (version is null) throw new KernelToolException($"{manifest} does not pin {PackageId}");

        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string toolsDir = Path.Combine(packages, PackageId, version, "tools");
        string? entry = Directory.Exists(toolsDir)
            ? Directory.EnumerateFiles(toolsDir, "Microsoft.DotNet.Interactive.App.dll", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (entry is null)
            throw new KernelToolException($"{PackageId} {version} is not restored under {packages}: run `dotnet tool restore` in the repository");
        return new KernelTool(entry, version);
    }
}

/// <summary>The kernel tool could not be found or started (bad set-up, not a failing cell).</summary>
public sealed class KernelToolException(string message, Exception? inner = null) : Exception(message, inner);

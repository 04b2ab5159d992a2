using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// #r "nuget: Name, Version" for real: every package the notebook asked for so far goes into one generated
/// project, built with `dotnet build` against the sources of the nearest nuget.config (plus #i sources); the
/// assemblies it copies to its output are what the cell references. A package that cannot be restored is an
/// exception carrying NuGet's own error lines.
/// </summary>
internal sealed class NuGetRestorer(string notebookDirectory, TimeSpan timeout)
{
    private readonly List<(string Name, string? Version)> _packages = [];
    private readonly List<string> _sources = [];

    public void AddSource(string source)
    {
        // A relative local feed means "next to the notebook", not next to the generated project.
        if (!Uri.TryCreate(source, UriKind.Absolute, out _)) source = Path.GetFullPath(source, notebookDirectory);
        if (!_sources.Contains(source)) _sources.Add(source);
    }

    /// <summary>Adds the packages and restores everything requested so far; returns all resolved assembly paths.</summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(IEnumerable<(string Name, string? Version)> packages, CancellationToken ct)
    {
        foreach (var p in packages)
        {
            _packages.RemoveAll(q => string.Equals(q.Name, p.Name, StringComparison.OrdinalIgnoreCase));
            _packages.Add(p);
        }
        string tfm = $"net{Environment.Version.Major}.0";
        string csproj = Project(tfm);
        string config = Config();
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(csproj + config)))[..16];
        string dir = Path.Combine(Path.GetTempPath(), "lossnb-nuget", key);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "restore.csproj"), csproj);
        File.WriteAllText(Path.Combine(dir, "nuget.config"), config);

        var psi = new ProcessStartInfo("dotnet", ["build", "restore.csproj", "-c", "Release", "-nologo", "-v", "q", "-o", outDir])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A parent `dotnet test`/`dotnet run` leaves MSBuild variables that would hijack the child build.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start `dotnet build`");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"NuGet restore did not finish within {timeout.TotalSeconds:0} s");
        }
        string output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            var errors = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))
                .Select(l => l.Replace(Path.Combine(dir, "restore.csproj"), "").Trim(' ', ':')).Distinct().Take(5);
            string requested = string.Join(", ", _packages.Select(p => p.Version is null ? p.Name : $"{p.Name} {p.Version}"));
            throw new InvalidOperationException($"NuGet could not restore {requested}: {string.Join(" | ", errors)}");
        }
        return Directory.GetFiles(outDir, "*.dll")
            .Where(f => !Path.GetFileName(f).Equals("restore.dll", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    private string Project(string tfm)
    {
        var items = new XElement("ItemGroup", _packages.Select(p => new XElement("PackageReference",
            new XAttribute("Include", p.Name), new XAttribute("Version", p.Version ?? "*"))));
        var project = new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XElement("PropertyGroup",
                new XElement("TargetFramework", tfm),
                new XElement("ManagePackageVersionsCentrally", "false"),
                new XElement("CopyLocalLockFileAssemblies", "true"),
                new XElement("EnableDefaultItems", "false"),
                new XElement("TreatWarningsAsErrors", "false"),
                new XElement("SatelliteResourceLanguages", "en")),
            items);
        return project.ToString();
    }

    /// <summary>The nearest nuget.config's package sources (the repo's, for our notebooks) plus #i sources.</summary>
    private string Config()
    {
        var sources = new List<(string Key, string Value)>();
        bool clear = false;
        for (var dir = new DirectoryInfo(notebookDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "nuget.config");
            if (!File.Exists(path)) path = Path.Combine(dir.FullName, "NuGet.Config");
            if (!File.Exists(path)) continue;
            var packageSources = XDocument.Load(path).Root?.Element("packageSources");
            clear = packageSources?.Element("clear") is not null;
            foreach (var add in packageSources?.Elements("add") ?? [])
                sources.Add(((string?)add.Attribute("key") ?? "", (string?)add.Attribute("value") ?? ""));
            break;
        }
        for (int i = 0; i < _sources.Count; i++) sources.Add(($"notebook-source-{i + 1}", _sources[i]));
        var config = new XElement("configuration", new XElement("packageSources",
            clear ? new XElement("clear") : null,
            sources.Select(s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Value)))));
        return config.ToString();
    }
}

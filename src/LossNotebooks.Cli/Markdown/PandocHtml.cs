using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace LossNotebooks.Cli.Markdown;

/// <summary>Pandoc or KaTeX is missing or failed: the message says which and how to get it.</summary>
public sealed class PandocException(string message) : Exception(message);

/// <summary>
/// Markdown → one self-contained HTML file with pandoc (2.17: `--self-contained`; later versions call it
/// `--embed-resources`). pandoc's `--katex=URL` links KaTeX's script and stylesheet from that URL and typesets every
/// math span when the page opens; given a local folder, `--self-contained` inlines both, and images become data
/// URLs. The folder handed to pandoc holds KaTeX from node_modules with a stylesheet whose fonts are already inlined,
/// woff2 only (as scripts/export-html.sh does): left to pandoc, every font would be inlined three times (woff2, woff,
/// ttf), tripling the page.
/// </summary>
public static class PandocHtml
{
    public const string KatexPath = "node_modules/katex/dist";
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Writes <paramref name="htmlPath"/> from the Markdown file (images resolved next to it).</summary>
    public static void Render(string markdownPath, string htmlPath, string title, string katexFolder)
    {
        var psi = new ProcessStartInfo("pandoc")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(markdownPath))!,
        };
        foreach (var a in new[]
        {
            "--from", "markdown", "--to", "html5", "--standalone", "--self-contained",
            "--katex=" + katexFolder.TrimEnd('/') + "/", "--metadata", "pagetitle=" + title,
            "--resource-path", Path.GetDirectoryName(Path.GetFullPath(markdownPath))!,
            "--output", Path.GetFullPath(htmlPath), Path.GetFullPath(markdownPath),
        }) psi.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(psi) ?? throw new PandocException("pandoc could not be started"); }
        catch (Win32Exception e) { throw new PandocException($"pandoc not found ({e.Message}): install it (Debian: apt-get install pandoc; scripts/setup.sh does)"); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new PandocException($"pandoc did not finish within {Timeout.TotalSeconds:0} s");
            }
            string errors = stderr.Result.Trim();
            if (process.ExitCode != 0) throw new PandocException($"pandoc exited {process.ExitCode}: {errors}");
            // pandoc warns and goes on when it cannot fetch a resource: a page with a missing image or script is a failure.
            if (errors.Contains("Could not fetch", StringComparison.OrdinalIgnoreCase)) throw new PandocException($"pandoc: {errors}");
            _ = stdout.Result;
        }
    }

    /// <summary>
    /// katex.min.js and a katex.min.css whose fonts are woff2 data URLs, written to <paramref name="folder"/> (the
    /// folder to pass to <see cref="Render"/>). The KaTeX files come from node_modules (npm ci, pinned in package-lock.json).
    /// </summary>
    public static void PrepareKatex(string folder, string? startDirectory = null)
    {
        string dist = LocateKatex(startDirectory);
        string css = Regex.Replace(File.ReadAllText(Path.Combine(dist, "katex.min.css")),
            @"src:url\(fonts/([\w-]+)\.woff2\) format\(""woff2""\)[^;}]*",
            m => $"src:url(data:font/woff2;base64,{System.Convert.ToBase64String(File.ReadAllBytes(Path.Combine(dist, "fonts", m.Groups[1].Value + ".woff2")))}) format(\"woff2\")");
        if (css.Contains("url(fonts/", StringComparison.Ordinal))
            throw new PandocException($"{dist}/katex.min.css names a font in a form lossnb does not inline (a newer KaTeX?)");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "katex.min.css"), css, new UTF8Encoding(false));
        File.Copy(Path.Combine(dist, "katex.min.js"), Path.Combine(folder, "katex.min.js"), overwrite: true);
    }

    /// <summary>node_modules/katex/dist upwards of the current directory, then of lossnb's own folder.</summary>
    public static string LocateKatex(string? startDirectory = null)
    {
        var starts = new[] { startDirectory ?? Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        foreach (var start in starts)
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, KatexPath);
                if (File.Exists(Path.Combine(candidate, "katex.min.js"))) return candidate;
            }
        throw new PandocException($"KaTeX not found: no {KatexPath}/katex.min.js in \"{starts[0]}\" or above (nor above {starts[1]}); run `npm ci` in the repository root (scripts/setup.sh does)");
    }
}

using System.CommandLine;
using LossNotebooks.Derivations;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb check --from DIR [--markdown FILE]`: reads the derivation steps out of every executed notebook in DIR (every
/// output carrying <see cref="StepResult.MimeType"/>), prints the seed audit table (seed, claim, verdict, evidence) for
/// the seed notebooks and one line per step of any other derivation. The steps are the ones the notebooks show; there
/// is no second copy. Exit code 1 if a step claimed correct fails, a line stated as wrong passes, a record contradicts
/// itself, or a seed notebook is missing or shows no steps; 2 on bad usage or an unreadable notebook.
/// </summary>
public static class CheckCommand
{
    /// <summary>The notebooks whose steps make up the seed audit, in the order the audit lists them.</summary>
    public static readonly string[] SeedNotebooks =
        ["01-softmax-cross-entropy.ipynb", "02-brier-score.ipynb", "03-multiclass-svm.ipynb", "06-warp-loss.ipynb"];

    /// <summary>
    /// The seed notebooks in <paramref name="dir"/>, then any other notebook there that shows steps. The seed notebooks
    /// are required only when the folder holds one of them (a folder of one's own notebooks needs none).
    /// </summary>
    public static (List<string> Paths, List<string> Missing) NotebooksIn(string dir)
    {
        var paths = new List<string>();
        var missing = new List<string>();
        bool anySeed = SeedNotebooks.Any(n => File.Exists(Path.Combine(dir, n)));
        foreach (var name in SeedNotebooks)
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) paths.Add(p); else if (anySeed) missing.Add(name);
        }
        foreach (var p in Directory.GetFiles(dir, "*.ipynb").OrderBy(p => p, StringComparer.Ordinal))
            if (!SeedNotebooks.Contains(Path.GetFileName(p)) && SeedAudit.ReadNotebook(p).Count > 0) paths.Add(p);
        return (paths, missing);
    }

    public static Command Create()
    {
        var markdown = new Option<string?>("--markdown")
        {
            Description = "Also write the audit table as Markdown to this file (the README's table comes from here)",
        };
        var from = new Option<string?>("--from")
        {
            Description = "Folder of executed notebooks (.ipynb with outputs, e.g. from jupyter nbconvert --execute) to read the steps from",
        };
        var notebooks = new Option<string>("--notebooks")
        {
            Description = "Without --from: the folder whose seed notebooks are executed on the kernel first",
            DefaultValueFactory = _ => "notebooks",
        };
        var sources = new Option<string?>("--sources")
        {
            Description = "Folder of the source notebooks: every step their code states must be in the executed notebook of the same name, once, with the stated expected verdict (default: notebooks/ when it exists; 'none' to skip)",
        };
        var command = new Command("check", "Read every derivation step out of executed notebooks and print the seed audit table") { from, notebooks, sources, markdown };
        command.SetAction(async (parse, ct) =>
        {
            using var interruption = new Interruption(ct);
            string? dir = parse.GetValue(from);
            if (dir is { Length: > 0 } && !Directory.Exists(dir))
            {
                Stdio.Error.WriteLine($"lossnb check: --from {dir}: no such folder of executed notebooks");
                return 2;
            }
            string? sourceDir = parse.GetValue(sources) switch
            {
                "none" => null,
                { Length: > 0 } given => given,
                _ => Directory.Exists("notebooks") ? "notebooks" : null,
            };
            if (sourceDir is not null && !Directory.Exists(sourceDir))
            {
                Stdio.Error.WriteLine($"lossnb check: --sources {sourceDir}: no such folder of source notebooks");
                return 2;
            }
            string? markdownPath = parse.GetValue(markdown) is { Length: > 0 } m ? m : null;
            if (markdownPath is not null && OutputSafety.Check([markdownPath], []) is { } clash)
            {
                Stdio.Error.WriteLine($"lossnb check: --markdown {markdownPath}: {clash}");
                return 2;
            }
            string? runFolder = null;   // where the seed notebooks were executed, when check executed them itself
            try
            {
                if (dir is not { Length: > 0 })
                {
                    string source = parse.GetValue(notebooks)!;
                    if (SeedNotebooks.Any(n => !File.Exists(Path.Combine(source, n))))
                    {
                        Stdio.Error.WriteLine($"lossnb check: --notebooks {source} does not hold {string.Join(", ", SeedNotebooks)}");
                        return 2;
                    }
                    sourceDir = parse.GetValue(sources) is "none" ? null : parse.GetValue(sources) is { Length: > 0 } s ? s : source;
                    runFolder = Path.Combine(Path.GetTempPath(), "lossnb-check-" + Guid.NewGuid().ToString("N"));
                    var settings = new RunSettings([.. SeedNotebooks.Select(n => Path.Combine(source, n))], runFolder, TimeSpan.FromMinutes(5),
                        KeepGoing: true, Solutions: false, Parallel: Environment.ProcessorCount, Enrichers: []);
                    Stdio.Out.WriteLine($"executing the seed notebooks of {source} on the kernel (steps are read from their outputs)");
                    int ran = await NotebookRun.ExecuteAsync(settings, interruption.Token);
                    if (interruption.Token.IsCancellationRequested) return interruption.ExitCode;
                    if (ran == 2) return 2;
                    dir = Path.Combine(runFolder, "notebooks");
                }
                List<string> paths, missing;
                SeedAudit audit;
                try
                {
                    (paths, missing) = NotebooksIn(dir);
                    var problems = missing.Select(m => $"{m} is not in {dir}").ToList();
                    if (paths.Count == 0) problems.Add($"no notebook in {dir} shows a derivation step");
                    if (sourceDir is not null) problems.AddRange(AgainstSources(dir, sourceDir));
                    audit = SeedAudit.FromNotebooks(paths, problems);
                }
                catch (Exception e) when (e is InvalidDataException or NotebookFormatException or IOException or UnauthorizedAccessException)
                {
                    Stdio.Error.WriteLine($"lossnb check: {e.Message}");
                    return 2;
                }
                Stdio.Out.WriteLine(audit.ToString());
                if (markdownPath is not null)
                {
                    try { File.WriteAllText(markdownPath, audit.ToMarkdown()); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        Stdio.Error.WriteLine($"lossnb check: --markdown {markdownPath}: cannot write: {e.Message}");
                        return 2;
                    }
                    Stdio.Out.WriteLine($"wrote {markdownPath}");
                }
                if (!audit.ProjectClaimsHold)
                {
                    Stdio.Error.WriteLine("lossnb check: a step is not as its notebook claims or differs from its source, a record contradicts itself, a correction is not shown, or a seed notebook is missing; see above.");
                    return 1;
                }
                return 0;
            }
            finally
            {
                if (runFolder is not null)
                    try { Directory.Delete(runFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        });
        return command;
    }

    /// <summary>
    /// Each source notebook in <paramref name="sourceDir"/> that states steps, compared with the executed notebook of the
    /// same name in <paramref name="dir"/> when there is one (a missing seed notebook is reported elsewhere).
    /// </summary>
    private static List<string> AgainstSources(string dir, string sourceDir)
    {
        var problems = new List<string>();
        var sourceFiles = NotebookRun.Expand([sourceDir]);
        foreach (var file in sourceFiles)
        {
            string name = Path.GetFileNameWithoutExtension(file) + ".ipynb";
            string executed = Path.Combine(dir, name);
            if (!File.Exists(executed)) continue;
            var stated = SourceSteps.Read(NotebookDocument.Load(file));
            if (stated.Count == 0 && SeedAudit.ReadNotebook(executed).Count == 0) continue;
            problems.AddRange(SourceSteps.Compare(name, stated, SeedAudit.ReadNotebook(executed)));
        }
        return problems;
    }
}

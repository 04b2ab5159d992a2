using System.CommandLine;
using LossNotebooks.Derivations;

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
        var command = new Command("check", "Read every derivation step out of executed notebooks and print the seed audit table") { from, notebooks, markdown };
        command.SetAction(async (parse, ct) =>
        {
            string? dir = parse.GetValue(from);
            if (dir is { Length: > 0 } && !Directory.Exists(dir))
            {
                Console.Error.WriteLine($"lossnb check: --from {dir}: no such folder of executed notebooks");
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
                    Console.Error.WriteLine($"lossnb check: --notebooks {source} does not hold {string.Join(", ", SeedNotebooks)}");
                    return 2;
                }
                runFolder = Path.Combine(Path.GetTempPath(), "lossnb-check-" + Guid.NewGuid().ToString("N"));
                var settings = new RunSettings([.. SeedNotebooks.Select(n => Path.Combine(source, n))], runFolder, TimeSpan.FromMinutes(5),
                    KeepGoing: true, Solutions: false, Parallel: Environment.ProcessorCount, Enrichers: []);
                Console.WriteLine($"executing the seed notebooks of {source} on the kernel (steps are read from their outputs)");
                if (await NotebookRun.ExecuteAsync(settings, ct) == 2) return 2;
                dir = Path.Combine(runFolder, "notebooks");
            }
            List<string> paths, missing;
            SeedAudit audit;
            try
            {
                (paths, missing) = NotebooksIn(dir);
                var problems = missing.Select(m => $"{m} is not in {dir}").ToList();
                if (paths.Count == 0) problems.Add($"no notebook in {dir} shows a derivation step");
                audit = SeedAudit.FromNotebooks(paths, problems);
            }
            catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or NotSupportedException or IOException)
            {
                Console.Error.WriteLine($"lossnb check: {e.Message}");
                return 2;
            }
            Console.WriteLine(audit.ToString());
            if (parse.GetValue(markdown) is { Length: > 0 } path)
            {
                File.WriteAllText(path, audit.ToMarkdown());
                Console.WriteLine($"wrote {path}");
            }
            if (!audit.ProjectClaimsHold)
            {
                Console.Error.WriteLine("lossnb check: a step is not as its notebook claims, a record contradicts itself, a correction is not shown, or a seed notebook is missing; see above.");
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
}

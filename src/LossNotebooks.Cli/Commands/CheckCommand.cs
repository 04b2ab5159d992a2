using System.CommandLine;
using LossNotebooks.Derivations;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb check --from DIR [--markdown FILE]`: reads the derivation steps out of executed notebooks (every output
/// carrying <see cref="StepResult.MimeType"/>) and prints the seed audit table (seed, claim, verdict, evidence). The
/// steps are the ones the notebooks show; there is no second copy. Exit code 1 if a step the project claims correct
/// fails, a seed line the project calls wrong passes, or a seed notebook is missing or shows no steps; 2 on bad usage.
/// </summary>
public static class CheckCommand
{
    /// <summary>The notebooks whose steps make up the seed audit, in the order the audit lists them.</summary>
    public static readonly string[] SeedNotebooks =
        ["01-softmax-cross-entropy.ipynb", "02-brier-score.ipynb", "03-multiclass-svm.ipynb", "06-warp-loss.ipynb"];

    /// <summary>The seed notebooks in <paramref name="dir"/>, then any other notebook there that shows steps.</summary>
    public static (List<string> Paths, List<string> Missing) NotebooksIn(string dir)
    {
        var paths = new List<string>();
        var missing = new List<string>();
        foreach (var name in SeedNotebooks)
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) paths.Add(p); else missing.Add(name);
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
        var command = new Command("check", "Read every derivation step out of executed notebooks and print the seed audit table") { from, markdown };
        command.SetAction(parse =>
        {
            if (parse.GetValue(from) is not { Length: > 0 } dir || !Directory.Exists(dir))
            {
                Console.Error.WriteLine("lossnb check: give --from DIR, a folder of executed notebooks 01, 02, 03 and 06, e.g.\n" +
                    "  jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=.net-csharp --output-dir DIR notebooks/0[1236]-*.ipynb");
                return 2;
            }
            var (paths, missing) = NotebooksIn(dir);
            var audit = SeedAudit.FromRecords(paths.SelectMany(SeedAudit.ReadNotebook),
                missing.Select(m => $"{m} is not in {dir}")
                    .Concat(paths.Where(p => SeedAudit.ReadNotebook(p).Count == 0).Select(p => $"{Path.GetFileName(p)} shows no derivation step (was it executed?)")));
            Console.WriteLine(audit.ToString());
            if (parse.GetValue(markdown) is { Length: > 0 } path)
            {
                File.WriteAllText(path, audit.ToMarkdown());
                Console.WriteLine($"wrote {path}");
            }
            if (!audit.ProjectClaimsHold)
            {
                Console.Error.WriteLine("lossnb check: a step the project claims correct failed, a seed error no longer fails, or a notebook is missing; see above.");
                return 1;
            }
            return 0;
        });
        return command;
    }
}

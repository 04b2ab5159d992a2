using System.CommandLine;
using LossNotebooks.Derivations;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb check [--markdown FILE]`: runs every derivation check of the seed audit and prints the table
/// (seed, claim, verdict, evidence). Exit code 1 if a step the project claims correct fails, or a seed line the
/// project calls wrong turns out to pass.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var markdown = new Option<string?>("--markdown")
        {
            Description = "Also write the audit table as Markdown to this file (the README's table comes from here)",
        };
        var command = new Command("check", "Run every derivation check and print the seed audit table") { markdown };
        command.SetAction(parse =>
        {
            var audit = SeedAudit.Run();
            Console.WriteLine(audit.ToString());
            if (parse.GetValue(markdown) is { Length: > 0 } path)
            {
                File.WriteAllText(path, audit.ToMarkdown());
                Console.WriteLine($"wrote {path}");
            }
            if (!audit.ProjectClaimsHold)
            {
                Console.Error.WriteLine("lossnb check: a step the project claims correct failed (or a seed error no longer fails); see the table above.");
                return 1;
            }
            return 0;
        });
        return command;
    }
}

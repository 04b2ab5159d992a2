using System.CommandLine;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb run [notebooks or folders…] --out DIR`: executes every notebook, writes DIR/notebooks/NAME.ipynb with
/// outputs, prints a summary per notebook; exit code 0 only if no cell failed (1 otherwise, 2 for unreadable input).
/// </summary>
public static class RunCommand
{
    public static Command Create(Func<IReadOnlyList<IOutputEnricher>> enrichers)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = ".ipynb/.dib files or folders holding them (default: notebooks/)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Output folder: executed notebooks go to OUT/notebooks/; notebooks see it as $LOSSNB_OUT",
            DefaultValueFactory = _ => "artifacts",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Per-cell timeout in seconds",
            DefaultValueFactory = _ => 300,
        };
        var keepGoing = new Option<bool>("--keep-going")
        {
            Description = "Run the remaining cells after a failed cell (default: skip them, reporting why)",
        };
        var online = new Option<bool>("--online")
        {
            Description = "Also run cells marked online-only (metadata lossnb.onlineOnly)",
        };
        var command = new Command("run", "Execute notebooks headless and write them with their outputs") { paths, output, timeout, keepGoing, online };
        command.SetAction(async (parse, ct) =>
        {
            var inputs = parse.GetValue(paths) is { Length: > 0 } given ? given : ["notebooks"];
            int seconds = parse.GetValue(timeout);
            if (seconds <= 0)
            {
                Console.Error.WriteLine($"--timeout must be a positive number of seconds, got {seconds}");
                return 2;
            }
            var settings = new RunSettings(inputs, parse.GetValue(output)!, TimeSpan.FromSeconds(seconds),
                parse.GetValue(keepGoing), parse.GetValue(online), enrichers());
            return await NotebookRun.ExecuteAsync(settings, ct);
        });
        return command;
    }
}

public sealed record RunSettings(
    IReadOnlyList<string> Inputs, string OutputDirectory, TimeSpan CellTimeout, bool KeepGoing, bool Online,
    IReadOnlyList<IOutputEnricher> Enrichers);

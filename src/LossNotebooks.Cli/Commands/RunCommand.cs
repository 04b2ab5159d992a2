using System.CommandLine;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb run [notebooks or folders…] --out DIR`: executes every notebook, writes DIR/notebooks/NAME.ipynb with
/// outputs, prints a summary per notebook; exit code 0 only if no cell failed and every derivation step came out as
/// its notebook claims (1 otherwise, 2 for unreadable input). --allow-failing-steps turns the step gate off.
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
        var solutions = new Option<bool>("--solutions")
        {
            Description = "Run each exercise with its hidden solution in place of the stub (the notebook file is not changed)",
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Notebooks run at once, each on its own kernel process (default: the number of cores)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var allowFailingSteps = new Option<bool>("--allow-failing-steps")
        {
            Description = "Exit 0 even when a derivation step is not as claimed (a line claimed correct fails, or one stated as wrong passes)",
        };
        var command = new Command("run", "Execute notebooks headless on the .NET Interactive kernel and write them with their outputs")
        {
            paths, output, timeout, keepGoing, solutions, parallel, allowFailingSteps,
        };
        command.SetAction(async (parse, ct) =>
        {
            var inputs = parse.GetValue(paths) is { Length: > 0 } given ? given : ["notebooks"];
            int seconds = parse.GetValue(timeout);
            if (seconds <= 0)
            {
                Console.Error.WriteLine($"--timeout must be a positive number of seconds, got {seconds}");
                return 2;
            }
            int workers = parse.GetValue(parallel);
            if (workers <= 0)
            {
                Console.Error.WriteLine($"--parallel must be a positive number of notebooks, got {workers}");
                return 2;
            }
            var settings = new RunSettings(inputs, parse.GetValue(output)!, TimeSpan.FromSeconds(seconds),
                parse.GetValue(keepGoing), parse.GetValue(solutions), workers, enrichers(), StepGate: !parse.GetValue(allowFailingSteps));
            return await NotebookRun.ExecuteAsync(settings, ct);
        });
        return command;
    }
}

public sealed record RunSettings(
    IReadOnlyList<string> Inputs, string OutputDirectory, TimeSpan CellTimeout, bool KeepGoing, bool Solutions, int Parallel,
    IReadOnlyList<IOutputEnricher> Enrichers, bool StepGate = true);

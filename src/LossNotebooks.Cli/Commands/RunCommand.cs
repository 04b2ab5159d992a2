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
    /// <summary>Timers take at most 2³² − 2 ms; a week is far beyond any cell and far inside that.</summary>
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

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
        var maxOutput = new Option<long>("--max-output")
        {
            Description = $"Most characters of output a cell keeps (text of its streams and displays); past it a note says how much was left out (default {ExecutorOptions.DefaultOutputLimit}, 0: no limit)",
            DefaultValueFactory = _ => ExecutorOptions.DefaultOutputLimit,
        };
        var junit = new Option<string?>("--junit")
        {
            Description = "Also write the run as JUnit XML to this file: a suite per notebook, a case per code cell and per derivation step",
        };
        var parameters = new Option<string[]>("--param")
        {
            Description = "NAME=VALUE: run with this value of a variable the notebook's parameters cell (tagged 'parameters') declares; repeatable",
            Arity = ArgumentArity.OneOrMore,
        };
        var allowFailingSteps = new Option<bool>("--allow-failing-steps")
        {
            Description = "Exit 0 even when a derivation step is not as claimed (a line claimed correct fails, or one stated as wrong passes)",
        };
        var command = new Command("run", "Execute notebooks headless on the .NET Interactive kernel and write them with their outputs")
        {
            paths, output, timeout, keepGoing, solutions, parallel, maxOutput, allowFailingSteps, junit, parameters,
        };
        command.SetAction(async (parse, ct) =>
        {
            var inputs = parse.GetValue(paths) is { Length: > 0 } given ? given : ["notebooks"];
            // The paths argument takes any token; one that looks like an option and names no file is a mistyped option.
            if (inputs.FirstOrDefault(i => i.StartsWith('-') && !Path.Exists(i)) is { } unknown)
            {
                Stdio.Error.WriteLine($"lossnb run: unknown option {unknown} (see lossnb run --help)");
                return 2;
            }
            int seconds = parse.GetValue(timeout);
            if (seconds <= 0 || seconds > MaxTimeoutSeconds)
            {
                Stdio.Error.WriteLine($"lossnb run: --timeout must be 1 to {MaxTimeoutSeconds} seconds, got {seconds}");
                return 2;
            }
            long limit = parse.GetValue(maxOutput);
            if (limit < 0)
            {
                Stdio.Error.WriteLine($"lossnb run: --max-output must be 0 (no limit) or a positive number of characters, got {limit}");
                return 2;
            }
            int workers = parse.GetValue(parallel);
            if (workers <= 0)
            {
                Stdio.Error.WriteLine($"lossnb run: --parallel must be a positive number of notebooks, got {workers}");
                return 2;
            }
            IReadOnlyList<KeyValuePair<string, string>> values;
            try { values = NotebookParameters.ParseArguments(parse.GetValue(parameters) ?? []); }
            catch (ParameterException e)
            {
                Stdio.Error.WriteLine($"lossnb run: {e.Message}");
                return 2;
            }
            var settings = new RunSettings(inputs, parse.GetValue(output)!, TimeSpan.FromSeconds(seconds),
                parse.GetValue(keepGoing), parse.GetValue(solutions), workers, enrichers(), StepGate: !parse.GetValue(allowFailingSteps),
                OutputLimit: limit == 0 ? null : limit, JUnitPath: parse.GetValue(junit) is { Length: > 0 } j ? j : null, Parameters: values);
            using var interruption = new Interruption(ct);
            int code = await NotebookRun.ExecuteAsync(settings, interruption.Token);
            return code == NotebookRun.Interrupted && interruption.Token.IsCancellationRequested ? interruption.ExitCode : code;
        });
        return command;
    }
}

public sealed record RunSettings(
    IReadOnlyList<string> Inputs, string OutputDirectory, TimeSpan CellTimeout, bool KeepGoing, bool Solutions, int Parallel,
    IReadOnlyList<IOutputEnricher> Enrichers, bool StepGate = true, long? OutputLimit = ExecutorOptions.DefaultOutputLimit,
    string? JUnitPath = null, IReadOnlyList<KeyValuePair<string, string>>? Parameters = null);

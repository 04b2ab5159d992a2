using System.CommandLine;
using System.CommandLine.Invocation;
using LossNotebooks.Cli.Commands;
using LossNotebooks.Notebooks.Execution;

namespace LossNotebooks.Cli;

public static class LossnbApp
{
    /// <summary>Output enrichers every `lossnb run` uses (e.g. static images next to Plotly figures).</summary>
    public static List<IOutputEnricher> Enrichers { get; } = [];

    public static RootCommand Build()
    {
        var root = new RootCommand("lossnb: run the LossNotebooks notebooks headless, as the Polyglot C# kernel does.");
        root.Subcommands.Add(RunCommand.Create(() => Enrichers));
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(FiguresCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        return root;
    }

    /// <summary>Exit codes: 0 ok, 1 the work failed, 2 bad input — including what System.CommandLine rejects while parsing.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Build().Parse(args);
        int code = await parse.InvokeAsync();
        // Its parse-error action prints the errors (and help) and returns 1, which would read as "the work failed".
        return parse.Action is ParseErrorAction ? 2 : code;
    }
}

using System.CommandLine;
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
        return root;
    }

    public static Task<int> InvokeAsync(string[] args) => Build().Parse(args).InvokeAsync();
}

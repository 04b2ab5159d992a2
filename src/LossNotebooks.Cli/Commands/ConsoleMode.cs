using Spectre.Console;

namespace LossNotebooks.Cli.Commands;

/// <summary>How the commands show progress: live Spectre widgets in a terminal, plain lines everywhere else.</summary>
public static class ConsoleMode
{
    /// <summary>
    /// Output redirected, no interactive terminal, or CI set: a live bar would fill logs with redraws, so print lines.
    /// </summary>
    public static bool IsPlain =>
        Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive || Environment.GetEnvironmentVariable("CI") is not null;
}

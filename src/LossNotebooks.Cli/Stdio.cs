using System.Text;
using Spectre.Console;

namespace LossNotebooks.Cli;

/// <summary>
/// The process's own stdout and stderr, opened once. Microsoft.DotNet.Interactive (in process, for the stdio connector)
/// replaces Console.Out/Console.Error with its ConsoleOutput multiplexer, which sends what a thread writes to the
/// console captured for the async flow it belongs to; lines the CLI wrote from a continuation of a kernel call then
/// went there and never reached stdout. Writing through these streams bypasses Console.Out entirely.
/// </summary>
public static class Stdio
{
    public static readonly TextWriter Out = Open(Console.OpenStandardOutput());
    public static readonly TextWriter Error = Open(Console.OpenStandardError());

    private static TextWriter Open(Stream stream) =>
        TextWriter.Synchronized(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true });

    /// <summary>A Spectre console for live widgets in a terminal, writing to <see cref="Out"/>.</summary>
    public static IAnsiConsole Live() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes,
    });
}

using System.Runtime.InteropServices;

namespace LossNotebooks.Cli;

/// <summary>
/// SIGINT and SIGTERM cancel a token instead of ending the process at once, so a command can end the kernels it
/// started, write what finished and remove its temporary folders; its exit code is then 128 + the signal's number.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly PosixSignalRegistration _sigint, _sigterm;

    public Interruption(CancellationToken outer)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The signal received, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>130 after SIGINT (or a cancelled outer token), 143 after SIGTERM.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : 130;

    public string Name => Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        Signal ??= context.Signal;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _cancel.Dispose();
    }
}

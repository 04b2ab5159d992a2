using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>How one submitted cell ended.</summary>
public enum CellEnd
{
    /// <summary>The kernel answered CommandSucceeded or CommandFailed.</summary>
    Completed,
    /// <summary>The timeout passed, the kernel's Cancel stopped the cell; the kernel is still usable.</summary>
    Cancelled,
    /// <summary>The timeout passed and Cancel did not stop the cell: the kernel process was ended.</summary>
    Killed,
    /// <summary>The kernel process exited while the cell ran.</summary>
    KernelExited,
    /// <summary>The caller's token was cancelled (lossnb got SIGINT/SIGTERM) while the cell ran.</summary>
    Interrupted,
}

/// <summary>
/// One kernel process for one notebook, driven the way VS Code drives it: Microsoft.DotNet.Interactive's stdio
/// connector, a proxy for the remote C# kernel, SubmitCode per cell and Cancel on timeout.
/// </summary>
public sealed class KernelSession : IDisposable
{
    /// <summary>How long a cell may keep running after Cancel before its kernel process is ended.</summary>
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

    private readonly StdIoKernelConnector _connector;
    private readonly ProxyKernel _csharp;
    private readonly Process? _process;
    private readonly List<KernelEvent> _events = [];
    private readonly IDisposable _subscription;
    private bool _disposed;

    private KernelSession(StdIoKernelConnector connector, ProxyKernel csharp)
    {
        _connector = connector;
        _csharp = csharp;
        try { _process = connector.ProcessId is int pid ? Process.GetProcessById(pid) : null; }
        catch (ArgumentException) { _process = null; } // already gone: the first cell reports it
        // Events arrive on the connector's thread while a cell runs; keep them in arrival order.
        _subscription = csharp.KernelEvents.Subscribe(new EventSink(e => { lock (_events) _events.Add(e); }));
    }

    /// <summary>Starts the kernel in <paramref name="workingDirectory"/>; fails with <see cref="KernelToolException"/> if it is not ready in time.</summary>
    public static async Task<KernelSession> StartAsync(KernelTool tool, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        // On a loaded machine the connector's own start sometimes fails with InvalidOperationException "Sequence contains
        // no matching element" (the kernel-ready handshake races the remote kernel's registration, inside
        // Microsoft.DotNet.Interactive): that kernel process is ended and a new one started, twice at most.
        for (int attempt = 1; ; attempt++)
        {
            try { return await StartOnceAsync(tool, workingDirectory, timeout, ct); }
            catch (KernelToolException e) when (attempt < 3 && e.InnerException is InvalidOperationException && !ct.IsCancellationRequested) { }
        }
    }

    private static async Task<KernelSession> StartOnceAsync(KernelTool tool, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var connector = new StdIoKernelConnector([.. tool.StdioCommand(workingDirectory)], rootProxyKernelLocalName: "root",
            kernelHostUri: KernelHost.CreateHostUri("lossnb"), workingDirectory: new DirectoryInfo(workingDirectory));
        // The pid goes to the reaper as soon as the connector has one, so even a lossnb killed during start leaves no kernel.
        using var watching = new CancellationTokenSource();   // cancelled when the start ends, however it ends
        // A thread of its own, not the thread pool: while the connector starts the kernel it holds the pool's few threads
        // (2 on a 2-core machine) and a pool task here first ran seconds after the fork, too late for a lossnb killed then.
        new Thread(() =>
        {
            // Every step guarded on its own: the connector's ProcessId can throw while its process is being started, and
            // one exception must neither end this loop (the kernel would go unwatched) nor lossnb (an unhandled one would).
            while (!watching.IsCancellationRequested)
            {
                try { KernelReaper.WatchChildren(); } catch (Exception) { }
                int? pid = null;
                try { pid = connector.ProcessId; } catch (Exception) { }
                if (pid is int started)
                {
                    try { KernelReaper.Watch(started); } catch (Exception) { }
                    return;
                }
                Thread.Sleep(20);
            }
        }) { IsBackground = true, Name = "lossnb kernel watcher" }.Start();
        try
        {
            var start = Task.Run(async () =>
            {
                await connector.CreateRootProxyKernelAsync();
                // The root proxy can be ready before the remote kernel has announced its C# kernel (seen on a loaded
                // machine as InvalidOperationException "Sequence contains no matching element"): ask again.
                while (true)
                {
                    try { return await connector.CreateProxyKernelAsync("csharp"); }
                    catch (InvalidOperationException) { await Task.Delay(200, ct); }
                }
            }, ct);
            var csharp = await start.WaitAsync(timeout, ct);
            watching.Cancel();
            if (connector.ProcessId is int started) KernelReaper.Watch(started);
            return new KernelSession(connector, csharp);
        }
        catch (OperationCanceledException)
        {
            watching.Cancel();
            Kill(connector);
            throw;
        }
        catch (Exception e)
        {
            watching.Cancel();
            Kill(connector);
            string why = e is TimeoutException ? $"not ready within {timeout.TotalSeconds:0} s" : e.Message;
            throw new KernelToolException($"the kernel ({string.Join(' ', tool.StdioCommand(workingDirectory))}) did not start: {why}", e);
        }
    }

    /// <summary>
    /// Submits one cell to the C# kernel and waits for it, at most <paramref name="timeout"/> plus <see cref="CancelGrace"/>.
    /// Returns the events of the cell in order (partial ones too when it did not complete).
    /// </summary>
    public async Task<(CellEnd End, IReadOnlyList<KernelEvent> Events)> RunCellAsync(string code, TimeSpan timeout, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_events) _events.Clear();
        // Not given ct: an interrupted cell returns what it printed so far instead of throwing it away.
        var submit = _csharp.SendAsync(new SubmitCode(code), CancellationToken.None);
        var exited = _process is null ? Task.Delay(Timeout.Infinite, CancellationToken.None) : _process.WaitForExitAsync(CancellationToken.None);
        var interrupted = Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);

        CellEnd end;
        var first = await Task.WhenAny(submit, exited, interrupted, Task.Delay(timeout, CancellationToken.None));
        if (first == submit) end = CellEnd.Completed;
        else if (first == interrupted) end = CellEnd.Interrupted;
        else if (first == exited) end = await Settles(submit, TimeSpan.FromSeconds(1)) ? CellEnd.Completed : CellEnd.KernelExited;
        else
        {
            // Cancel stops a cell that awaits the kernel's cancellation token. A busy loop ignores it, yet the kernel
            // still answers "Command cancelled." while the loop holds its scheduler, so an empty probe submission
            // tells the two apart: only a kernel that really stopped runs it.
            var cancel = _csharp.SendAsync(new Cancel(), CancellationToken.None);
            await Task.WhenAny(cancel, Task.Delay(CancelGrace), interrupted);
            bool stopped = await Settles(submit, CancelGrace, interrupted);
            KernelEvent[] partial;
            lock (_events) partial = [.. _events];
            stopped = stopped && await Settles(_csharp.SendAsync(new SubmitCode(""), CancellationToken.None), CancelGrace, interrupted);
            if (ct.IsCancellationRequested) return (CellEnd.Interrupted, partial);
            if (!stopped) Dispose();
            return (stopped ? CellEnd.Cancelled : CellEnd.Killed, partial);
        }
        KernelEvent[] events;
        lock (_events) events = [.. _events];
        return (end, events);
    }

    private static async Task<bool> Settles(Task task, TimeSpan within, Task? giveUp = null)
    {
        await Task.WhenAny(task, Task.Delay(within), giveUp ?? Task.Delay(Timeout.Infinite));
        return task.IsCompleted;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _subscription.Dispose();
        Kill(_connector);
        _process?.Dispose();
    }

    /// <summary>Disposing the connector closes the kernel's stdio; a kernel stuck in a cell is then ended by pid.</summary>
    private static void Kill(StdIoKernelConnector connector)
    {
        int? pid = connector.ProcessId;
        try { connector.Dispose(); } catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException) { }
        if (pid is null) return;
        try
        {
            using var process = Process.GetProcessById(pid.Value);
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(2000);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
        KernelReaper.Forget(pid.Value);
    }

    private sealed class EventSink(Action<KernelEvent> onNext) : IObserver<KernelEvent>
    {
        public void OnCompleted() { }
        public void OnError(Exception error) { }
        public void OnNext(KernelEvent value) => onNext(value);
    }
}

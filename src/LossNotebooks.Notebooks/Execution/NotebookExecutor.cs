using System.Diagnostics;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// Runs a notebook's C# cells in order on one kernel process (the pinned .NET Interactive tool, started in the
/// notebook's folder as VS Code does) and stores each code cell's outputs on the document. The runner adds nothing
/// of its own to the outputs but the enrichers' static images and, for a cell the kernel could not finish, an error
/// naming the reason (timeout, kernel exit).
/// </summary>
public sealed class NotebookExecutor(ExecutorOptions? options = null)
{
    private readonly ExecutorOptions _options = options ?? new ExecutorOptions();

    public async Task<NotebookResult> RunAsync(NotebookDocument document, CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        string fullPath = Path.GetFullPath(document.Path);
        string folder = Path.GetDirectoryName(fullPath)!;
        var results = new List<CellResult>();
        var displays = new Dictionary<string, DisplayOutput>(StringComparer.Ordinal);
        var cellOfDisplay = new Dictionary<DisplayOutput, (NotebookCell Cell, KernelOutputs Outputs, int Count)>();
        KernelSession? kernel = null;
        TimeSpan kernelStart = TimeSpan.Zero;
        string? stopReason = null;
        int executionCount = 0;
        try
        {
            for (int i = 0; i < document.Cells.Count; i++)
            {
                var cell = document.Cells[i];
                void Finish(CellStatus status, string? reason, TimeSpan duration)
                {
                    var result = new CellResult(document.Path, i, document.Cells.Count, status, reason, duration);
                    results.Add(result);
                    _options.CellFinished?.Invoke(result);
                }

                if (cell.Kind != CellKind.Code) { Finish(CellStatus.NotCode, null, TimeSpan.Zero); continue; }
                if (cancellationToken.IsCancellationRequested) stopReason ??= "the run was interrupted";
                if (stopReason is not null)
                {
                    cell.SetOutputs([], null);
                    Finish(CellStatus.Skipped, stopReason, TimeSpan.Zero);
                    continue;
                }

                var outputs = new KernelOutputs(displays);
                var watch = Stopwatch.StartNew();
                executionCount++;
                CellEnd end = CellEnd.Completed;
                if (kernel is null)
                {
                    // The kernel process inherits the environment: the run's output folder reaches the notebook this way.
                    if (_options.OutputDirectory is { } outDir) Environment.SetEnvironmentVariable(ExecutorOptions.OutputDirectoryVariable, Path.GetFullPath(outDir));
                    try
                    {
                        kernel = await KernelSession.StartAsync(_options.Tool ?? KernelTool.Locate(folder), folder, _options.KernelStartTimeout, cancellationToken);
                        // The kernel compiles its first submission slowly (seconds on a busy machine): a statement
                        // without value or variable pays that here, so --timeout measures the cell alone.
                        var (warm, _) = await kernel.RunCellAsync("System.GC.KeepAlive(null);", _options.KernelStartTimeout, cancellationToken);
                        if (warm == CellEnd.Interrupted) throw new OperationCanceledException();
                        if (warm != CellEnd.Completed)
                            throw new KernelToolException($"the kernel did not run a first statement within {_options.KernelStartTimeout.TotalSeconds:0} s ({warm})");
                    }
                    catch (KernelToolException e) { outputs.Fail("KernelError", e.Message); end = CellEnd.KernelExited; kernel?.Dispose(); kernel = null; }
                    catch (OperationCanceledException) { end = CellEnd.Interrupted; kernel?.Dispose(); kernel = null; }
                    kernelStart = watch.Elapsed;
                    watch.Restart();
                }
                if (kernel is not null)
                {
                    (end, var events) = await kernel.RunCellAsync(cell.Source, _options.CellTimeout, cancellationToken);
                    foreach (var e in events) outputs.Add(e);
                    string limit = $"{_options.CellTimeout.TotalSeconds:0.###} s";
                    switch (end)
                    {
                        case CellEnd.Cancelled: outputs.Fail("TimeoutException", $"Cell did not finish within {limit}; the kernel cancelled it"); break;
                        case CellEnd.Killed: outputs.Fail("TimeoutException", $"Cell did not finish within {limit} and ignored the kernel's Cancel; the kernel process was ended"); break;
                        case CellEnd.KernelExited: outputs.Fail("KernelExited", "The kernel process exited while the cell ran"); break;
                    }
                }
                if (end == CellEnd.Interrupted) outputs.Fail("Interrupted", "lossnb was interrupted (SIGINT/SIGTERM) while this cell ran; its kernel was ended");
                watch.Stop();

                string? failure = outputs.Failure;
                if (failure is null && !cancellationToken.IsCancellationRequested) failure = await EnrichAsync(fullPath, i, outputs, cancellationToken);
                outputs.Limit(_options.OutputLimit);
                cell.SetOutputs(outputs.Outputs.Select(o => o.ToJson(executionCount)), executionCount);
                foreach (var display in outputs.Outputs.OfType<DisplayOutput>()) cellOfDisplay[display] = (cell, outputs, executionCount);
                foreach (var (owner, ownerOutputs, count) in outputs.UpdatedElsewhere.Select(d => cellOfDisplay[d]).Distinct())
                    owner.SetOutputs(ownerOutputs.Outputs.Select(o => o.ToJson(count)), count);

                if (end == CellEnd.Interrupted)
                {
                    Finish(CellStatus.Interrupted, "interrupted while running", watch.Elapsed);
                    kernel?.Dispose();
                    kernel = null;
                    stopReason = $"the run was interrupted in cell {i + 1}";
                    continue;
                }
                if (failure is null) { Finish(CellStatus.Ran, null, watch.Elapsed); continue; }
                Finish(CellStatus.Failed, failure, watch.Elapsed);
                if (end is CellEnd.Killed or CellEnd.KernelExited)
                {
                    kernel?.Dispose();
                    kernel = null;
                    stopReason = end == CellEnd.Killed ? $"cell {i + 1} timed out and its kernel was ended" : $"the kernel exited in cell {i + 1}";
                }
                else if (!_options.ContinueAfterFailure) stopReason = $"cell {i + 1} failed";
            }
        }
        finally
        {
            kernel?.Dispose();
        }
        return new NotebookResult(document.Path, results, total.Elapsed, kernelStart);
    }

    private async Task<string?> EnrichAsync(string path, int cellIndex, KernelOutputs outputs, CancellationToken ct)
    {
        var list = outputs.Outputs;
        // Figure export counts against the cell's --timeout too, so a stuck renderer cannot hold the run.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_options.CellTimeout);
        for (int k = 0; k < list.Count; k++)
        {
            if (list[k] is not DisplayOutput display) continue;
            foreach (var enricher in _options.Enrichers)
            {
                try { await enricher.EnrichAsync(display.Data, new OutputContext(path, cellIndex, k, _options.OutputDirectory), limit.Token).WaitAsync(limit.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    string message = $"output enricher {enricher.GetType().Name} did not finish within {_options.CellTimeout.TotalSeconds:0.###} s";
                    outputs.Fail("TimeoutException", message);
                    return message;
                }
                catch (OperationCanceledException) { return null; }
                catch (Exception e)
                {
                    string message = $"output enricher {enricher.GetType().Name} failed: {e.Message}";
                    outputs.Fail(e.GetType().FullName ?? "Exception", message);
                    return message;
                }
            }
        }
        return null;
    }
}

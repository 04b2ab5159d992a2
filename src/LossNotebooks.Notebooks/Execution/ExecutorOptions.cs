namespace LossNotebooks.Notebooks.Execution;

public sealed record ExecutorOptions
{
    /// <summary>Environment variable through which a notebook learns the run's output folder (unset in VS Code).</summary>
    public const string OutputDirectoryVariable = "LOSSNB_OUT";

    /// <summary>
    /// A cell still running after this gets the kernel's Cancel; if it still runs <see cref="KernelSession.CancelGrace"/>
    /// later, its kernel process is ended and the remaining cells are not run.
    /// </summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the kernel process may take to answer before the first cell fails.</summary>
    public TimeSpan KernelStartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The kernel tool; null: the one pinned in the manifest above the notebook's folder.</summary>
    public KernelTool? Tool { get; init; }

    /// <summary>Output folder for enrichers' files (the kernel learns it as <see cref="OutputDirectoryVariable"/>, set by the caller).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>
    /// False (default, what CI wants): after the first failed cell the rest are skipped with that reason, since
    /// they usually fail only as a consequence. True: keep running cells, as the interactive kernel does.
    /// </summary>
    public bool ContinueAfterFailure { get; init; }

    public IReadOnlyList<IOutputEnricher> Enrichers { get; init; } = [];

    /// <summary>
    /// Most outputs a cell keeps, in characters of text (streams merged, bundles counted by their text); past it the
    /// rest is dropped and a note says how much. Null: no limit.
    /// </summary>
    public long? OutputLimit { get; init; } = DefaultOutputLimit;

    /// <summary>10 million characters: far above any notebook here, far below what takes gigabytes to hold.</summary>
    public const long DefaultOutputLimit = 10_000_000;

    /// <summary>Called after each cell (for progress displays).</summary>
    public Action<CellResult>? CellFinished { get; init; }
}

/// <summary>Interrupted: the run was stopped (SIGINT/SIGTERM) while the cell ran; what it printed until then is kept.</summary>
public enum CellStatus { Ran, Failed, Skipped, NotCode, Interrupted }

public sealed record CellResult(string NotebookPath, int Index, int CellCount, CellStatus Status, string? Reason, TimeSpan Duration);

/// <param name="Duration">From the first cell to the last, kernel start included.</param>
/// <param name="KernelStart">Until the kernel process answered (not a cell's time: the same for every notebook).</param>
public sealed record NotebookResult(string NotebookPath, IReadOnlyList<CellResult> Cells, TimeSpan Duration, TimeSpan KernelStart)
{
    /// <summary>What Run All costs once the kernel is up: the cells' own times added.</summary>
    public TimeSpan CellTime => TimeSpan.FromTicks(Cells.Sum(c => c.Duration.Ticks));

    public int Ran => Cells.Count(c => c.Status == CellStatus.Ran);
    public int Failed => Cells.Count(c => c.Status == CellStatus.Failed);
    public int Skipped => Cells.Count(c => c.Status == CellStatus.Skipped);
    /// <summary>The cell that was running when the run was interrupted, if any.</summary>
    public CellResult? InterruptedAt => Cells.FirstOrDefault(c => c.Status == CellStatus.Interrupted);
    /// <summary>No cell ran or failed: the run was interrupted before this notebook started.</summary>
    public bool NotStarted => Cells.All(c => c.Status is CellStatus.Skipped or CellStatus.NotCode);
    public bool Succeeded => Failed == 0 && InterruptedAt is null;
}

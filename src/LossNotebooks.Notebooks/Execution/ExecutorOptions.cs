namespace LossNotebooks.Notebooks.Execution;

public sealed class ExecutorOptions
{
    /// <summary>Environment variable through which a notebook learns the run's output folder (unset in VS Code).</summary>
    public const string OutputDirectoryVariable = "LOSSNB_OUT";

    /// <summary>A cell still running after this is stopped and reported as failed (the run cannot go on after it).</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Absolute output folder exposed as <see cref="OutputDirectoryVariable"/> while the notebook runs.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>
    /// False (default, what CI wants): after the first failed cell the rest are skipped with that reason, since
    /// they usually fail only as a consequence. True: keep running cells, as the interactive kernel does.
    /// </summary>
    public bool ContinueAfterFailure { get; init; }

    /// <summary>Run cells marked online-only instead of skipping them.</summary>
    public bool RunOnlineOnlyCells { get; init; }

    public IReadOnlyList<IOutputEnricher> Enrichers { get; init; } = [];

    /// <summary>Called after each cell (for progress displays).</summary>
    public Action<CellResult>? CellFinished { get; init; }
}

public enum CellStatus { Ran, Failed, Skipped, NotCode }

public sealed record CellResult(string NotebookPath, int Index, int CellCount, CellStatus Status, string? Reason, TimeSpan Duration);

public sealed record NotebookResult(string NotebookPath, IReadOnlyList<CellResult> Cells, TimeSpan Duration)
{
    public int Ran => Cells.Count(c => c.Status == CellStatus.Ran);
    public int Failed => Cells.Count(c => c.Status == CellStatus.Failed);
    public int Skipped => Cells.Count(c => c.Status == CellStatus.Skipped);
    public bool Succeeded => Failed == 0;
}

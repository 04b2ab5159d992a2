namespace LossNotebooks.Losses;

/// <summary>
/// Splits rows into fixed chunks and sums the per-chunk values in chunk order. The chunking depends only on
/// (rows, classes), never on the thread count, so the summed value is bit-identical on every machine and every run;
/// threads are used only when n·c is large enough to pay for them.
/// </summary>
internal static class RowParallel
{
    /// <summary>Entries per chunk: big enough to amortise scheduling, small enough to balance 2–16 cores.</summary>
    private const int EntriesPerChunk = 1 << 14;

    /// <summary>Below this many entries everything runs on the calling thread (same chunks, same order).</summary>
    private const long ParallelThreshold = 1 << 16;

    internal delegate double RowRange(int start, int end);

    /// <summary>True when <see cref="Sum"/> would make one chunk: callers then run the body directly (no closure allocated).</summary>
    internal static bool IsSingleChunk(int rows, int classes) => rows <= Math.Max(1, EntriesPerChunk / Math.Max(classes, 1));

    internal static double Sum(int rows, int classes, RowRange body)
    {
        int rowsPerChunk = Math.Max(1, EntriesPerChunk / Math.Max(classes, 1));
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        if (chunks <= 1) return body(0, rows);
        if ((long)rows * classes < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            double serial = 0;
            for (int k = 0; k < chunks; k++)
                serial += body(k * rowsPerChunk, Math.Min(rows, (k + 1) * rowsPerChunk));
            return serial;
        }
        var partial = new double[chunks];
        Parallel.For(0, chunks, k => partial[k] = body(k * rowsPerChunk, Math.Min(rows, (k + 1) * rowsPerChunk)));
        double total = 0;
        for (int k = 0; k < chunks; k++) total += partial[k];
        return total;
    }
}

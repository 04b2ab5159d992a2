namespace LossNotebooks.Notebooks.Documents;

/// <summary>A notebook file that cannot be read as a supported notebook; the message names the file (and cell).</summary>
public sealed class NotebookFormatException : Exception
{
    public NotebookFormatException(string path, string problem, int? cellIndex = null, Exception? inner = null)
        : base(Describe(path, problem, cellIndex), inner)
    {
        FilePath = path;
        CellIndex = cellIndex;
    }

    public string FilePath { get; }

    /// <summary>Zero-based cell index, when the problem is in one cell.</summary>
    public int? CellIndex { get; }

    private static string Describe(string path, string problem, int? cell) =>
        cell is int c ? $"{path}: cell {c + 1}: {problem}" : $"{path}: {problem}";
}

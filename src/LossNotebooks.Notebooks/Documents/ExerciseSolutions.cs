using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LossNotebooks.Notebooks.Documents;

/// <summary>
/// Exercises in the notebooks: an answer cell (code, metadata <c>lossnb.exercise = "ID"</c>) holds a stub the
/// student replaces; a markdown cell with <c>lossnb.solutionFor = "ID"</c> holds the solution as a ```csharp block
/// inside &lt;details&gt;. <see cref="FillIn"/> puts each solution in place of its stub in a copy being executed, so a
/// headless run checks every exercise solved. The notebook file itself is never changed.
/// </summary>
public static partial class ExerciseSolutions
{
    [GeneratedRegex(@"```csharp[^\n]*\n(?<code>.*?)\n?```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    /// <summary>Replaces every answer cell's source with its solution; returns how many. Bad pairing is a <see cref="NotebookFormatException"/>.</summary>
    public static int FillIn(NotebookDocument document)
    {
        var solutions = new Dictionary<string, (int Index, string Code)>(StringComparer.Ordinal);
        var answers = new List<(int Index, string Id)>();
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            if (Tag(cell, "solutionFor") is { } forId)
            {
                if (cell.Kind != CellKind.Markdown) throw new NotebookFormatException(document.Path, $"'lossnb.solutionFor' must be on a markdown cell", i);
                var match = CSharpBlock().Match(cell.Source);
                if (!match.Success) throw new NotebookFormatException(document.Path, $"the solution of exercise '{forId}' has no ```csharp block", i);
                if (!solutions.TryAdd(forId, (i, match.Groups["code"].Value)))
                    throw new NotebookFormatException(document.Path, $"exercise '{forId}' has a second solution", i);
            }
            if (Tag(cell, "exercise") is { } id)
            {
                if (cell.Kind != CellKind.Code) throw new NotebookFormatException(document.Path, $"'lossnb.exercise' must be on a code cell", i);
                answers.Add((i, id));
            }
        }
        foreach (var (index, id) in answers)
        {
            if (!solutions.Remove(id, out var solution))
                throw new NotebookFormatException(document.Path, $"exercise '{id}' has no markdown cell with lossnb.solutionFor = \"{id}\"", index);
            document.Cells[index].ReplaceSourceForRun(solution.Code);
        }
        if (solutions.Count > 0)
        {
            var (id, (index, _)) = solutions.First();
            throw new NotebookFormatException(document.Path, $"solution for exercise '{id}' has no answer cell with lossnb.exercise = \"{id}\"", index);
        }
        return answers.Count;
    }

    private static string? Tag(NotebookCell cell, string key) =>
        cell.Metadata["lossnb"] is JsonObject lossnb && lossnb[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}

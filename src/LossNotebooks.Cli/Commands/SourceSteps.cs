using System.Text.RegularExpressions;
using LossNotebooks.Derivations;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Cli.Commands;

/// <summary>A step a source notebook states: its id and whether the call says <c>expected: ExpectedVerdict.Wrong</c>.</summary>
public sealed record StatedStep(string Id, ExpectedVerdict Expected, int Cell);

/// <summary>
/// The steps a source notebook's code cells state, read from the text of the calls (<c>.Step("id"</c>, <c>.AtLeast("id"</c>,
/// <c>.AtMost("id"</c>, <c>.Holds("id"</c>), so an executed notebook can be compared with what its source says rather
/// than with itself.
/// </summary>
public static partial class SourceSteps
{
    [GeneratedRegex("""\.(?:Step|AtLeast|AtMost|Holds)\(\s*"((?:[^"\\]|\\.)+)"\s*,""")]
    private static partial Regex Call();

    [GeneratedRegex(@"\bExpectedVerdict\s*\.\s*Wrong\b")]
    private static partial Regex Wrong();

    public static List<StatedStep> Read(NotebookDocument source)
    {
        var steps = new List<StatedStep>();
        for (int i = 0; i < source.Cells.Count; i++)
        {
            if (source.Cells[i].Kind != CellKind.Code) continue;
            // Exercise stubs and their hidden solutions state steps of the student's work, and a bug hunt's derivation is
            // shown as text by Exercise.ShowBugHunt (its planted line must not count as a claim): not claims of the notebook.
            if (source.Cells[i].Metadata["lossnb"] is System.Text.Json.Nodes.JsonObject lossnb
                && (lossnb.ContainsKey("exercise") || lossnb.ContainsKey("solutionFor"))) continue;
            string code = source.Cells[i].Source;
            if (code.Contains("Exercise.ShowBugHunt(", StringComparison.Ordinal)) continue;
            foreach (Match m in Call().Matches(code))
            {
                if (InCommentOrString(code, m.Index)) continue;
                string call = code[m.Index..CallEnd(code, m.Index + m.Value.IndexOf('('))];
                steps.Add(new StatedStep(Regex.Unescape(m.Groups[1].Value), Wrong().IsMatch(StripStrings(call)) ? ExpectedVerdict.Wrong : ExpectedVerdict.Correct, i));
            }
        }
        return steps;
    }

    /// <summary>
    /// Compares the steps an executed notebook shows with those its source states: each stated step once, with the stated
    /// expected verdict, and no step the source does not state. One line per difference, naming the step.
    /// </summary>
    public static List<string> Compare(string name, IReadOnlyList<StatedStep> stated, IReadOnlyList<StepRecord> shown)
    {
        var problems = new List<string>();
        foreach (var s in stated)
        {
            var found = shown.Where(r => r.Id == s.Id).ToList();
            if (found.Count == 0) problems.Add($"{name}: step '{s.Id}' (source cell {s.Cell + 1}) is not in the executed notebook");
            else if (found.Count > 1) problems.Add($"{name}: step '{s.Id}' is shown {found.Count} times in the executed notebook, stated once");
            else if (found[0].Expected != s.Expected)
                problems.Add($"{name}: step '{s.Id}' is recorded as expected {found[0].Expected} but its source states {s.Expected}");
        }
        var statedIds = stated.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var r in shown.Where(r => !statedIds.Contains(r.Id)))
            problems.Add($"{name}: step '{r.Id}' is in the executed notebook but its source states no such step");
        return problems;
    }

    /// <summary>Index just past the parenthesis matching the one at <paramref name="open"/> (strings, chars and comments skipped).</summary>
    private static int CallEnd(string code, int open)
    {
        int depth = 0;
        for (int k = open; k < code.Length; k++)
        {
            k = SkipLiteral(code, k);
            if (k >= code.Length) break;
            if (code[k] == '(') depth++;
            else if (code[k] == ')' && --depth == 0) return k + 1;
        }
        return code.Length;
    }

    /// <summary>If a string, char literal or comment starts at k, the index of its last character; else k.</summary>
    private static int SkipLiteral(string code, int k)
    {
        char c = code[k];
        if (c == '/' && k + 1 < code.Length && code[k + 1] == '/') { int e = code.IndexOf('\n', k); return e < 0 ? code.Length : e; }
        if (c == '/' && k + 1 < code.Length && code[k + 1] == '*') { int e = code.IndexOf("*/", k + 2, StringComparison.Ordinal); return e < 0 ? code.Length : e + 1; }
        if (c == '\'')
        {
            int e = k + 1;
            while (e < code.Length && code[e] != '\'') e += code[e] == '\\' ? 2 : 1;
            return Math.Min(e, code.Length);
        }
        if (c != '"') return k;
        bool verbatim = k > 0 && (code[k - 1] == '@' || k > 1 && code[k - 2] == '@');
        int j = k + 1;
        while (j < code.Length)
        {
            if (verbatim && code[j] == '"' && j + 1 < code.Length && code[j + 1] == '"') { j += 2; continue; }
            if (!verbatim && code[j] == '\\') { j += 2; continue; }
            if (code[j] == '"') return j;
            j++;
        }
        return code.Length;
    }

    private static bool InCommentOrString(string code, int index)
    {
        for (int k = 0; k < index; k++)
        {
            int e = SkipLiteral(code, k);
            if (e >= index && e != k) return true;
            k = e;
        }
        return false;
    }

    private static string StripStrings(string call)
    {
        var sb = new System.Text.StringBuilder();
        for (int k = 0; k < call.Length; k++)
        {
            int e = SkipLiteral(call, k);
            if (e == k) sb.Append(call[k]); else { sb.Append(' '); k = e; }
        }
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LossNotebooks.Notebooks.Documents;

/// <summary>A --param that cannot be applied: the message names the parameter and the problem.</summary>
public sealed class ParameterException(string message) : Exception(message);

/// <summary>One variable of the parameters cell: its name, its declared C# type and whether it is a const.</summary>
public sealed record NotebookParameter(string Name, string Type, bool IsConst);

/// <summary>
/// Papermill's convention for C# notebooks: the code cell tagged <c>parameters</c> (cell metadata tags) declares the
/// knobs with their defaults; <see cref="Inject"/> adds, right after it in the copy being run, a cell tagged
/// <c>injected-parameters</c> that declares the given ones again with typed literals. A later C# script submission
/// may redeclare a variable or a const, and the cells after it see the new declaration. The values are recorded in the
/// notebook's metadata (<c>lossnb.parameters</c>). The notebook file is never changed.
/// </summary>
public static partial class NotebookParameters
{
    public const string Tag = "parameters";
    public const string InjectedTag = "injected-parameters";

    /// <summary>The types a value can be given for (and arrays of them).</summary>
    public static readonly IReadOnlyList<string> Types = ["int", "long", "double", "float", "decimal", "bool", "string"];

    /// <summary>Parses NAME=VALUE arguments; a malformed or repeated one is a <see cref="ParameterException"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseArguments(IEnumerable<string> arguments)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var a in arguments)
        {
            int eq = a.IndexOf('=');
            string name = eq < 0 ? a : a[..eq].Trim();
            if (eq <= 0 || !Identifier().IsMatch(name)) throw new ParameterException($"--param '{a}' must be NAME=VALUE with NAME a variable of the parameters cell");
            if (list.Any(p => p.Key == name)) throw new ParameterException($"--param {name} is given twice");
            list.Add(new(name, a[(eq + 1)..]));
        }
        return list;
    }

    /// <summary>The indexes of the code cells tagged parameters, in order (a notebook may keep each knob beside its section).</summary>
    public static IReadOnlyList<int> CellIndexes(NotebookDocument document) =>
        [.. Enumerable.Range(0, document.Cells.Count).Where(i => document.Cells[i].Kind == CellKind.Code &&
            document.Cells[i].Metadata["tags"] is JsonArray tags && tags.Any(t => t is JsonValue v && v.TryGetValue(out string? s) && s == Tag))];

    /// <summary>The variables the parameters cell declares, in order.</summary>
    public static IReadOnlyList<NotebookParameter> Declared(string source)
    {
        var found = new List<NotebookParameter>();
        foreach (var statement in TopLevelSplit(WithoutComments(source), ';'))
        {
            var m = Declaration().Match(statement.Trim());
            if (!m.Success) continue;
            string type = Regex.Replace(m.Groups["type"].Value, @"\s+", "");
            foreach (var declarator in TopLevelSplit(m.Groups["rest"].Value, ','))
                if (Declarator().Match(declarator.Trim()) is { Success: true } d)
                    found.Add(new NotebookParameter(d.Groups["name"].Value, type, m.Groups["const"].Success));
        }
        return found;
    }

    /// <summary>
    /// After each parameters cell that declares one of <paramref name="values"/>, inserts a cell tagged
    /// injected-parameters that declares them again with the given values, and records the values in the notebook's
    /// metadata (lossnb.parameters). Throws <see cref="ParameterException"/> with nothing changed for a notebook
    /// without a parameters cell, an unknown name, or a value that is not of the declared type.
    /// </summary>
    public static void Inject(NotebookDocument document, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        var cells = CellIndexes(document);
        if (cells.Count == 0) throw new ParameterException($"{document.Path} has no parameters cell (a code cell whose metadata tags include '{Tag}'), so --param has nothing to set");
        var declared = cells.SelectMany(c => Declared(document.Cells[c].Source).Select(p => (Cell: c, Parameter: p))).ToList();
        var lines = new List<(int Cell, int Order, string Line)>();
        var recorded = new JsonObject();
        foreach (var (name, text) in values)
        {
            int at = declared.FindIndex(d => d.Parameter.Name == name);
            if (at < 0)
                throw new ParameterException($"--param {name}: {document.Path} has no parameter '{name}'; its parameters cells declare " +
                    (declared.Count == 0 ? "none" : string.Join(", ", declared.Select(d => $"{d.Parameter.Name} ({d.Parameter.Type})"))));
            var p = declared[at].Parameter;
            var (literal, json) = Literal(p, text);
            lines.Add((declared[at].Cell, at, $"{(p.IsConst ? "const " : "")}{p.Type} {p.Name} = {literal};"));
            recorded[p.Name] = json;
        }
        // From the last cell back, so the indexes of earlier cells stay valid.
        foreach (var group in lines.GroupBy(l => l.Cell).OrderByDescending(g => g.Key))
        {
            string source = "// Injected by lossnb run --param: replaces the default above.\n" +
                            string.Join("\n", group.OrderBy(l => l.Order).Select(l => l.Line));
            string id = group.Key == cells[0] ? InjectedTag : $"{InjectedTag}-{cells.ToList().IndexOf(group.Key) + 1}";
            var cell = NotebookCell.Create(CellKind.Code, "csharp", source, id);
            cell.Json["metadata"]!["tags"] = new JsonArray(InjectedTag);
            document.InsertForRun(group.Key + 1, cell);
        }
        if (document.Metadata["lossnb"] is not JsonObject lossnb) document.Metadata["lossnb"] = lossnb = new JsonObject();
        lossnb["parameters"] = recorded;
    }

    /// <summary>The value as a C# literal of the declared type, and as JSON for the metadata.</summary>
    private static (string Literal, JsonNode? Json) Literal(NotebookParameter p, string text)
    {
        bool array = p.Type.EndsWith("[]", StringComparison.Ordinal);
        string element = array ? p.Type[..^2] : p.Type;
        if (!Types.Contains(element))
            throw new ParameterException($"--param {p.Name}: it is declared as '{p.Type}'; a value can be given for {string.Join(", ", Types)} and arrays of them (int[], double[], …)");
        if (!array) return Scalar(p, element, text, text);
        var items = text.Trim().Length == 0 ? [] : text.Split(',').Select(t => Scalar(p, element, t.Trim(), text)).ToList();
        return ($"new {element}[] {{ {string.Join(", ", items.Select(i => i.Literal))} }}", new JsonArray(items.Select(i => i.Json).ToArray()));
    }

    private static (string Literal, JsonNode? Json) Scalar(NotebookParameter p, string type, string text, string whole)
    {
        var inv = CultureInfo.InvariantCulture;
        ParameterException Bad(string why = "") => new($"--param {p.Name}={whole}: '{text}' is not {(type is "int" or "long" ? "an" : "a")} {type}{why} ({p.Name} is declared '{(p.IsConst ? "const " : "")}{p.Type}' in the parameters cell)");
        switch (type)
        {
            case "int":
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, inv, out int i)) throw Bad();
                return (i.ToString(inv), JsonValue.Create(i));
            case "long":
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, inv, out long l)) throw Bad();
                return (l.ToString(inv) + "L", JsonValue.Create(l));
            case "double":
                if (!double.TryParse(text, NumberStyles.Float, inv, out double d)) throw Bad();
                if (!double.IsFinite(d)) throw Bad(" that is finite");
                return (d.ToString("R", inv), JsonValue.Create(d));
            case "float":
                if (!float.TryParse(text, NumberStyles.Float, inv, out float f)) throw Bad();
                if (!float.IsFinite(f)) throw Bad(" that is finite");
                return (f.ToString("R", inv) + "F", JsonValue.Create(f));
            case "decimal":
                if (!decimal.TryParse(text, NumberStyles.Float, inv, out decimal m)) throw Bad();
                return (m.ToString(inv) + "M", JsonValue.Create(m));
            case "bool":
                if (!bool.TryParse(text, out bool b)) throw Bad(" (true or false)");
                return (b ? "true" : "false", JsonValue.Create(b));
            default:
                return (StringLiteral(text), JsonValue.Create(text));
        }
    }

    /// <summary>A regular C# string literal: quotes, backslashes and control characters escaped.</summary>
    public static string StringLiteral(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in text)
            sb.Append(c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\0' => "\\0",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }

    /// <summary>The source with // and /* */ comments blanked (string and char literals kept as they are).</summary>
    private static string WithoutComments(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '/') { while (i < s.Length && s[i] != '\n') i++; sb.Append('\n'); continue; }
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*') { int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal); i = end < 0 ? s.Length : end + 1; sb.Append(' '); continue; }
            if (s[i] is '"' or '\'')
            {
                char q = s[i];
                bool verbatim = q == '"' && i > 0 && s[i - 1] == '@';
                int j = i + 1;
                while (j < s.Length && s[j] != q) j += !verbatim && s[j] == '\\' ? 2 : 1;
                sb.Append(s, i, Math.Min(j + 1, s.Length) - i);
                i = j;
                continue;
            }
            sb.Append(s[i]);
        }
        return sb.ToString();
    }

    /// <summary>Splits at <paramref name="separator"/> outside (), [], {} and string literals.</summary>
    private static List<string> TopLevelSplit(string s, char separator)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is '"' or '\'')
            {
                int j = i + 1;
                while (j < s.Length && s[j] != c) j += s[j] == '\\' ? 2 : 1;
                i = j;
                continue;
            }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == separator && depth == 0) { parts.Add(s[start..i]); start = i + 1; }
        }
        parts.Add(s[start..]);
        return parts;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    // `const double kappa = 10` or `int[] sizes = [1, 2]`: the type is one token, optionally an array or nullable.
    [GeneratedRegex(@"^(?<const>const\s+)?(?<type>(?!const\b|return\b|using\b|new\b)[A-Za-z_][\w.]*(\s*<[^=;]*?>)?(\s*\[\s*\])?\??)\s+(?<rest>[A-Za-z_]\w*\s*(=.*)?)$", RegexOptions.Singleline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^(?<name>[A-Za-z_]\w*)\s*(=|$)", RegexOptions.Singleline)]
    private static partial Regex Declarator();
}

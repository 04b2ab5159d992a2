using System.Text.Json;
using System.Text.RegularExpressions;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>
/// The conventions of every notebook, read from the files themselves: table of contents first, References last, at
/// least two exercises (stub assigning null, a check cell, a solution), no stored outputs, no wall-clock output, knobs
/// marked; one cell per derivation step in the seed notebooks; a cheat-sheet section for every loss; a caption after
/// every figure.
/// </summary>
public class NotebookStructureTests
{
    private static string NotebooksDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LossNotebooks.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repository root"), "notebooks");
    }

    private static List<(string Type, string Source, JsonElement Cell)> Cells(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebooksDir(), name)));
        return doc.RootElement.GetProperty("cells").EnumerateArray()
            .Select(c => (c.GetProperty("cell_type").GetString()!, string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())), c.Clone()))
            .ToList();
    }

    /// <summary>"05" for 05-…, "05b" for 05b-…: the notebook's number as its contents line and exercise ids write it.</summary>
    private static string Prefix(string name) => name[..name.IndexOf('-')];

    private static string? Lossnb(JsonElement cell, string key) =>
        cell.TryGetProperty("metadata", out var m) && m.TryGetProperty("lossnb", out var l) && l.TryGetProperty(key, out var v)
            ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.ToString()) : null;

    /// <summary>Every notebook in notebooks/ (a new one is covered without being listed).</summary>
    public static TheoryData<string> Owned()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(NotebooksDir(), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal)) data.Add(Path.GetFileName(path));
        return data;
    }

    public static TheoryData<string> SeedNotebooks() => new()
    {
        "01-softmax-cross-entropy.ipynb", "02-brier-score.ipynb", "03-multiclass-svm.ipynb", "06-warp-loss.ipynb",
    };

    [Fact]
    public void Every_notebook_is_covered_and_the_contents_list_names_them_all()
    {
        var names = Directory.GetFiles(NotebooksDir(), "*.ipynb").Select(p => Path.GetFileName(p)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.True(names.Count >= 10, string.Join(", ", names));
        foreach (var name in names)
        {
            string toc = Cells(name)[0].Source;
            foreach (var other in names.Where(n => n != name)) Assert.Contains($"]({other})", toc);
        }
    }

    [Theory]
    [MemberData(nameof(Owned))]
    public void Toc_first_references_last_no_outputs_no_pasted_table_helper(string name)
    {
        var cells = Cells(name);
        Assert.Equal("markdown", cells[0].Type);
        Assert.Equal("True", Lossnb(cells[0].Cell, "toc"));
        Assert.StartsWith("**LossNotebooks** · ", cells[0].Source);
        Assert.Contains($"**{Prefix(name)} ", cells[0].Source);
        Assert.StartsWith("## References", cells[^1].Source);
        Assert.Matches(@"\n1\. ", cells[^1].Source);
        foreach (var c in cells.Where(c => c.Type == "code"))
        {
            Assert.Empty(c.Cell.GetProperty("outputs").EnumerateArray());
            Assert.DoesNotContain("string Table(string[] header", c.Source);
            Assert.DoesNotContain("SeedDerivations", c.Source);
        }
    }

    [Theory]
    [MemberData(nameof(Owned))]
    public void At_least_two_exercises_each_with_a_null_stub_a_check_and_a_solution(string name)
    {
        var cells = Cells(name);
        var exercises = cells.Select((c, i) => (Id: Lossnb(c.Cell, "exercise"), Index: i)).Where(e => e.Id is not null).ToList();
        Assert.True(exercises.Count >= 2, $"{name}: {exercises.Count} exercises");
        foreach (var (id, i) in exercises)
        {
            Assert.StartsWith(Prefix(name) + "-", id);
            Assert.Matches(@"=\s*null;", cells[i].Source);
            Assert.Contains($"\"{id}\"", cells[i + 1].Source);                         // the check cell names the exercise
            var solution = cells.Single(c => Lossnb(c.Cell, "solutionFor") == id);
            Assert.Contains("<details><summary>Solution</summary>", solution.Source);
            var block = Regex.Match(solution.Source, "```csharp\n(.*?)\n```", RegexOptions.Singleline);
            Assert.True(block.Success, id);
            // The solution replaces the stub: it declares the same answer variable.
            var variable = Regex.Match(cells[i].Source, @"(answer\d{4})\s*=").Groups[1].Value;
            Assert.Contains(variable + " =", block.Groups[1].Value);
        }
        int idx = cells.FindIndex(c => c.Source.StartsWith("## Exercises", StringComparison.Ordinal));
        Assert.True(idx > 0 && idx < exercises[0].Index, $"{name}: ## Exercises before the first exercise");
    }

    /// <summary>nbformat 4.5 requires an id on every cell (nbformat warns today and will refuse later); the merge of
    /// notebooks by cell id needs them unique.</summary>
    [Theory]
    [MemberData(nameof(Owned))]
    public void Every_cell_has_a_unique_id(string name)
    {
        var cells = Cells(name);
        var missing = cells.Select((c, i) => (c, i)).Where(x => !x.c.Cell.TryGetProperty("id", out var id) || id.GetString() is not { Length: > 0 }).Select(x => x.i).ToList();
        Assert.True(missing.Count == 0, $"{name}: cells without an id: {string.Join(", ", missing)}");
        var ids = cells.Select(c => c.Cell.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(SeedNotebooks))]
    public void Every_derivation_step_has_its_own_cell(string name)
    {
        var ids = Cells(name).Where(c => c.Type == "code")
            .SelectMany(c => Regex.Matches(c.Source, @"\w+\.Step\(""([^""]+)""").Select(m => m.Groups[1].Value)).ToList();
        Assert.True(ids.Count >= 7, $"{name}: {ids.Count} steps");
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Owned))]
    public void No_wall_clock_output_and_knobs_are_marked(string name)
    {
        var code = Cells(name).Where(c => c.Type == "code").Select(c => c.Source).ToList();
        Assert.DoesNotContain(code, s => s.Contains("Stopwatch", StringComparison.Ordinal) || s.Contains("#!time", StringComparison.Ordinal));
        Assert.Contains(code, s => s.Contains("// try:", StringComparison.Ordinal));
    }

    /// <summary>Every notebook is a lesson with a header (the same set as <see cref="Owned"/>).</summary>
    public static TheoryData<string> Lessons() => Owned();

    /// <summary>
    /// The lesson header (the cell after the title, metadata lossnb.lessonHeader): 3–5 objectives, prerequisites, a
    /// time plan whose minutes add up to 50, and a contents list naming every ## section of the notebook, in order.
    /// </summary>
    [Theory]
    [MemberData(nameof(Lessons))]
    public void Lesson_header_objectives_prerequisites_a_50_minute_plan_and_the_contents(string name)
    {
        var cells = Cells(name);
        Assert.StartsWith("# ", cells[1].Source);
        Assert.Equal("True", Lossnb(cells[2].Cell, "lessonHeader"));
        string header = cells[2].Source;
        var objectives = Regex.Match(header, @"\*\*Objectives\.\*\*[^\n]*\n\n((?:\d+\. [^\n]+\n)+)");
        Assert.True(objectives.Success, $"{name}: objectives list");
        int count = objectives.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.InRange(count, 3, 5);
        Assert.Matches(@"\*\*Prerequisites\.\*\* \S", header);
        var plan = Regex.Match(header, @"\*\*Time plan \(50 min\)\.\*\*\n\n\| min \| part \|\n\|---\|---\|\n((?:\| \d+ \|[^\n]+\n)+)");
        Assert.True(plan.Success, $"{name}: time plan table");
        Assert.Equal(50, Regex.Matches(plan.Groups[1].Value, @"^\| (\d+) \|", RegexOptions.Multiline).Sum(m => int.Parse(m.Groups[1].Value)));
        var contents = Regex.Match(header, @"\*\*Contents\.\*\*\n\n((?:- [^\n]+\n?)+)$");
        Assert.True(contents.Success, $"{name}: contents list at the end of the header");
        var listed = contents.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[2..]).ToList();
        var sections = cells.Skip(3).Where(c => c.Type == "markdown")
            .SelectMany(c => c.Source.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)))
            .Select(l => Regex.Replace(l[3..].Trim(), @"^(\d+)([a-z]?)\. ", "$1$2 · ")).ToList();
        Assert.Equal(sections, listed);
        Assert.Contains("Exercises", sections);
    }

    /// <summary>Markdown words (whitespace-separated tokens, LaTeX and table cells included) a 50-minute core may hold.</summary>
    private const int CoreWordGuide = 1500;

    /// <summary>Code cells (the loader cell included) a 50-minute core may hold.</summary>
    private const int CoreCodeCellGuide = 25;

    /// <summary>
    /// The core of a lesson: every cell from the title on, except the lesson header, up to the first "## Exercises" or
    /// "## Appendix" heading (the part of that cell above the heading included). Returns its markdown word count and its
    /// code cells. Figure captions count like any prose: a class reads them.
    /// </summary>
    internal static (int Words, int CodeCells) CoreSize(IReadOnlyList<(string Type, string Source)> cells)
    {
        int words = 0, code = 0;
        for (int i = 1; i < cells.Count; i++)
        {
            if (i == 2) continue;                                   // the lesson header: the plan, not the lesson
            var (type, source) = cells[i];
            var end = type == "markdown" ? Regex.Match(source, @"^## (Exercises|Appendix)", RegexOptions.Multiline) : Match.Empty;
            string text = end.Success ? source[..end.Index] : source;
            if (type == "markdown") words += text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            else if (type == "code") code++;
            if (end.Success) break;
        }
        return (words, code);
    }

    [Fact]
    public void Core_size_counts_markdown_words_and_code_cells_up_to_the_first_exercise_or_appendix_heading()
    {
        var cells = new List<(string, string)>
        {
            ("markdown", "nav"), ("markdown", "# Title two"), ("markdown", "header words do not count"), ("code", "#load"),
            ("markdown", "## 1. One\n\nthree more  words"), ("code", "x"), ("markdown", "tail words\n## Appendix A · later"),
            ("code", "after"), ("markdown", "## Exercises"),
        };
        Assert.Equal((3 + 6 + 2, 2), CoreSize(cells));
        cells[6] = ("markdown", "tail words\n## Exercises");
        Assert.Equal((11, 2), CoreSize(cells));
    }

    /// <summary>
    /// A 50-minute core stays within the guide (<see cref="CoreWordGuide"/> words, <see cref="CoreCodeCellGuide"/> code
    /// cells); material a class does not need goes to an appendix. A core over the guide says why in its header, in one
    /// sentence on a line of its own ("**Core length.** …"), and a core within the guide carries no such line.
    /// </summary>
    [Theory]
    [MemberData(nameof(Lessons))]
    public void The_core_stays_within_the_guide_or_the_header_says_why_not(string name)
    {
        var cells = Cells(name);
        var (words, code) = CoreSize(cells.Select(c => (c.Type, c.Source)).ToList());
        var why = Regex.Match(cells[2].Source, @"^\*\*Core length\.\*\* (?<why>[^\n]+)$", RegexOptions.Multiline);
        bool over = words > CoreWordGuide || code > CoreCodeCellGuide;
        string size = $"{name}: core of {words} words (guide {CoreWordGuide}) and {code} code cells (guide {CoreCodeCellGuide})";
        if (!over)
        {
            Assert.False(why.Success, $"{size} is within the guide, but the header still says why it is not");
            return;
        }
        Assert.True(why.Success, $"{size}: move material to an appendix, or justify the length in the header (a line \"**Core length.** …\")");
        string sentence = why.Groups["why"].Value;
        Assert.EndsWith(".", sentence);
        Assert.DoesNotMatch(@"[.!?] +\p{Lu}", sentence[..^1]);      // one sentence
        Assert.True(sentence.Split(' ').Length >= 8, $"{name}: the justification is too short to say why: {sentence}");
    }

    /// <summary>Words (whitespace-separated tokens) a figure's caption must hold to say what the figure shows.</summary>
    private const int MinCaptionWords = 15;

    /// <summary>
    /// Calls that make a figure: a library figure (<c>Plots.Xxx(</c>, <c>new Figure</c>, a sweep's <c>ToFigure(</c>) or
    /// a Plotly.NET chart (<c>Chart.Xxx(</c>, <c>ToGenericChart(</c>). A function the notebook declares to return a
    /// <c>Figure</c> or a <c>GenericChart</c> (04's VCurve, 05b's PathPanels) is added per notebook.
    /// </summary>
    private const string FigureFactories = @"\bPlots\.\w+\s*\(|\bnew\s+Figure\b|\.ToFigure\s*\(|\bChart\.\w+\s*[(<]|\.ToGenericChart\s*\(";

    /// <summary>A code cell's C# without string literals, comments and directives (#r, #load, #!…): only calls count.</summary>
    internal static string CodeOnly(string source)
    {
        string s = Regex.Replace(source, @"\$?@\$?""(?:[^""]|"""")*""|\$?""(?:[^""\\\n]|\\.)*""", "\"\"");
        s = Regex.Replace(s, @"/\*.*?\*/", " ", RegexOptions.Singleline);
        s = Regex.Replace(s, @"//[^\n]*", "");
        return Regex.Replace(s, @"^[ \t]*#[^\n]*", "", RegexOptions.Multiline);
    }

    /// <summary>The cell's last statement, the value the kernel displays: the code after the last ; or } outside parentheses.</summary>
    private static string LastStatement(string code)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < code.Length; i++)
        {
            char ch = code[i];
            if (ch is '(' or '[') depth++;
            else if (ch is ')' or ']') depth--;
            else if (depth == 0 && (ch == ';' || ch == '}')) start = i + 1;
        }
        return code[start..].Trim();
    }

    /// <summary>
    /// The code cells that display a figure, found from the notebook file alone, with the number of figures each shows.
    /// A figure is a call of <see cref="FigureFactories"/> or of a function the notebook declares to return a Figure or
    /// a GenericChart, or a variable the notebook assigns one of those to. A cell displays it when it passes one to
    /// <c>display(…)</c> (one figure per such call), or when its last statement — the value the kernel shows — is one
    /// (with any chained calls: <c>figure.ToGenericChart().WithSize(…)</c>). A figure built and not displayed is not one.
    /// On the notebooks this finds exactly the cells whose executed outputs hold a Plotly figure; scripts/test.sh checks
    /// the captions against those outputs too, so a figure this rule misses still needs its caption.
    /// </summary>
    internal static List<(int Cell, int Figures)> FigureCells(IReadOnlyList<(string Type, string Source)> cells)
    {
        var code = cells.Select(c => c.Type == "code" ? CodeOnly(c.Source) : "").ToList();
        string all = string.Join("\n", code);
        var declared = Regex.Matches(all, @"\b(?:Figure|GenericChart)\s+(\w+)\s*\(").Select(m => m.Groups[1].Value).Distinct().ToList();
        string factory = FigureFactories + (declared.Count > 0 ? $@"|\b(?:{string.Join("|", declared)})\s*\(" : "");
        var variables = Regex.Matches(all, $@"\b(\w+)\s*(?<![=!<>])=(?![=>])\s*(?:\w+)?(?:{factory})")
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        string figure = $@"(?:\w+)?(?:{factory}" + (variables.Count > 0 ? $@"|\b(?:{string.Join("|", variables)})\b" : "") + ")";
        var found = new List<(int, int)>();
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i].Type != "code") continue;
            int n = Regex.Matches(code[i], $@"\bdisplay\s*\(\s*{figure}").Count;
            if (Regex.IsMatch(LastStatement(code[i]), $"^{figure}")) n++;
            if (n > 0) found.Add((i, n));
        }
        return found;
    }

    /// <summary>The caption a markdown cell starts with: its first paragraph when it is in italics and begins "*Figure".</summary>
    internal static string? CaptionOf((string Type, string Source) cell)
    {
        if (cell.Type != "markdown" || !cell.Source.StartsWith("*Figure", StringComparison.Ordinal)) return null;
        int end = cell.Source.IndexOf("\n\n", StringComparison.Ordinal);
        string paragraph = (end < 0 ? cell.Source : cell.Source[..end]).TrimEnd();
        return paragraph.Length > 1 && paragraph.EndsWith('*') && !paragraph.EndsWith("**", StringComparison.Ordinal) ? paragraph : null;
    }

    [Fact]
    public void Figure_cells_are_the_cells_that_display_a_figure_and_captions_are_italic_first_paragraphs()
    {
        var cells = new List<(string, string)>
        {
            ("code", "Figure Panels(int k) => new Figure(k, 1);"),                                      // 0: declares, shows nothing
            ("code", "Plots.GradientCheck(a, n, title: \"x\")"),                                       // 1
            ("code", "var fig = Plots.LossSlice1D(t, l);\nfig.Name = \"slice\";"),                      // 2: built, not shown
            ("code", "fig.Add(new LineTrace([0.0], [1.0]) { Name = \"x\" });\nfig"),                    // 3: shown a cell later
            ("code", "display(Panels(2));\nforeach (var p in q) { display(p); }\nsweep"),                 // 4: one, the value is no figure
            ("code", "display(Plots.DecisionRegions(a));\ndisplay(Plots.DecisionRegions(b));"),           // 5: two
            ("code", "// Plots.GradientCheck(a, n)\nConsole.WriteLine(\"Plots.Convergence(x) and new Figure\");"), // 6: comment, string
            ("markdown", "Plots.GradientCheck(a, n)"),                                                  // 7
            ("code", "var figure = sweep.ToFigure();\nfigure.ToGenericChart()\n    .WithSize(Width: 800, Height: 600)"), // 8
            ("code", "var lines = rules.Select(m => { var c = s[m]; return Chart.Line<double, double, string>(x: c.X, y: c.Y); });\nChart.Combine(lines)\n    .WithSize(Width: 720)"), // 9
            ("code", "var spiral = new Figure { Title = \"s\" };\nfor (int k = 0; k < 3; k++) { spiral.Add(t[k]); }\nspiral"), // 10
            ("code", "if (fig == null) return;\nExercise.Reveal(\"x\", myGuess, 1.0)"),                  // 11: compares, shows no figure
            // 12: a directive, and a verbatim string ending in \ (read as an escape, it would swallow the "(" of the next call)
            ("code", "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\nvar path = @\"C:\\figures\\\"; Console.WriteLine(\"saved\");\nfigure"),
        };
        Assert.Equal(new List<(int, int)> { (1, 1), (3, 1), (4, 1), (5, 2), (8, 1), (9, 1), (10, 1), (12, 1) }, FigureCells(cells));

        Assert.Equal("*Figure: a b c.*", CaptionOf(("markdown", "*Figure: a b c.*\n\nThe discussion.")));
        Assert.Equal("*Figures: two\nlines.*", CaptionOf(("markdown", "*Figures: two\nlines.*")));
        Assert.Null(CaptionOf(("markdown", "The discussion.\n\n*Figure: a b c.*")));                 // not first
        Assert.Null(CaptionOf(("markdown", "*Figure: never closed.\n\nThe discussion.")));
        Assert.Null(CaptionOf(("markdown", "**Figure 1.** bold, not a caption")));
        Assert.Null(CaptionOf(("code", "*Figure: a b c.*")));
    }

    /// <summary>
    /// Every figure has a caption: the markdown cell right after the cell that displays it starts with an italic
    /// paragraph "*Figure…*" of at least <see cref="MinCaptionWords"/> words saying what is drawn (axes, traces, panels)
    /// and the one thing to see. A cell showing several figures has one caption for them ("*Figures: …*").
    /// </summary>
    [Theory]
    [MemberData(nameof(Owned))]
    public void Every_figure_has_a_caption_in_the_markdown_cell_after_it(string name)
    {
        var parsed = Cells(name);
        var cells = parsed.Select(c => (c.Type, c.Source)).ToList();
        var ids = parsed.Select(c => c.Cell.GetProperty("id").GetString()).ToList();
        var problems = new List<string>();
        foreach (var (i, figures) in FigureCells(cells))
        {
            string? caption = i + 1 < cells.Count ? CaptionOf(cells[i + 1]) : null;
            int words = caption?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
            if (caption is null) problems.Add($"cell {i} ({ids[i]}, {figures} figure(s)): the next cell does not start with an italic \"*Figure…*\" paragraph");
            else if (words < MinCaptionWords) problems.Add($"cell {i} ({ids[i]}): caption of {words} words (at least {MinCaptionWords})");
        }
        Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// At least one predict-first pair: a cell that declares a guess (double myGuessNN = double.NaN), and a later cell
    /// that reveals the result against it with Exercise.Reveal (never a FAIL, so a blank guess does not stop Run All).
    /// </summary>
    [Theory]
    [MemberData(nameof(Lessons))]
    public void A_predict_first_cell_and_a_later_reveal(string name)
    {
        var cells = Cells(name);
        int guess = cells.FindIndex(c => c.Type == "code" && Regex.IsMatch(c.Source, @"double (myGuess\w*) = double\.NaN;"));
        Assert.True(guess > 0, $"{name}: no predict-first cell");
        string variable = Regex.Match(cells[guess].Source, @"double (myGuess\w*) =").Groups[1].Value;
        Assert.Contains(cells.Skip(guess + 2), c => c.Type == "code" && c.Source.Contains("Exercise.Reveal(", StringComparison.Ordinal) && c.Source.Contains(variable, StringComparison.Ordinal));
    }

    /// <summary>
    /// At least three bug hunts: a derivation written with Terms, shown with Exercise.ShowBugHunt (its lines are not
    /// step outputs, so the planted line is no audited claim), and checked with Exercise.CheckBugHunt, which finds the
    /// failing line itself — the check cell must not name the answer.
    /// </summary>
    [Fact]
    public void At_least_three_bug_hunts_whose_check_cells_do_not_give_the_answer_away()
    {
        int hunts = 0;
        foreach (var name in Directory.GetFiles(NotebooksDir(), "*.ipynb").Select(p => Path.GetFileName(p)))
        {
            var cells = Cells(name);
            foreach (var show in cells.Where(c => c.Source.Contains("Exercise.ShowBugHunt(", StringComparison.Ordinal)))
            {
                Assert.Contains(".Terms(", show.Source);
                string id = Regex.Match(show.Source, @"ShowBugHunt\(""([^""]+)""").Groups[1].Value;
                var check = cells.Single(c => c.Type == "code" && c.Source.Contains($"Exercise.CheckBugHunt(\"{id}\"", StringComparison.Ordinal));
                var stepIds = Regex.Matches(show.Source, @"\.Step\(""([^""]+)""").Select(m => m.Groups[1].Value);
                Assert.DoesNotContain(stepIds, sid => check.Source.Contains($"\"{sid}\"", StringComparison.Ordinal));
                hunts++;
            }
        }
        Assert.True(hunts >= 3, $"{hunts} bug hunts");
    }

    [Fact]
    public void Cheat_sheet_has_a_section_for_every_loss_of_the_library()
    {
        var cells = Cells("09-cheat-sheet.ipynb");
        var losses = typeof(LossNotebooks.Losses.IScoreLoss).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.IsPublic && typeof(LossNotebooks.Losses.IScoreLoss).IsAssignableFrom(t))
            .Select(t => t.Name).ToList();
        Assert.True(losses.Count >= 8, string.Join(", ", losses));
        foreach (var loss in losses)
        {
            Assert.Contains(cells, c => c.Type == "markdown" && c.Source.StartsWith("## ", StringComparison.Ordinal) && c.Source.Contains($"`{loss}(", StringComparison.Ordinal));
            Assert.Contains(cells, c => c.Type == "code" && c.Source.Contains($"new {loss}(", StringComparison.Ordinal) && c.Source.Contains("Sheet(", StringComparison.Ordinal));
        }
    }
}

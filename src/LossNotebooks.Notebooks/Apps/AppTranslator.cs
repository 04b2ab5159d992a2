using System.Text;
using System.Text.RegularExpressions;
using LossNotebooks.Notebooks.Documents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossNotebooks.Notebooks.Apps;

/// <summary>Where an app goes and what it builds against; paths in the app are made relative to its folder.</summary>
/// <param name="AppFile">The app file to be written (its folder anchors the relative <c>#:project</c> paths).</param>
/// <param name="RepositoryRoot">The folder holding src/LossNotebooks (found from the notebook when null).</param>
public sealed record AppTarget(string AppFile, string? RepositoryRoot = null);

/// <summary>
/// A notebook as a .NET 10 file-based app (<c>dotnet run app.cs</c>): markdown cells become comments, code cells run
/// in order as top-level statements, with the exercise solutions filled in (as <c>lossnb run --solutions</c>).
/// The kernel compiles each cell as a C# script submission; a program differs, and this closes the gaps with Roslyn
/// (each cell parsed as a script and bound as the kernel binds it, one submission after another):
/// <list type="bullet">
/// <item>a cell's last expression without semicolon is displayed by the kernel: here it is passed to <c>AppConsole.Show</c>
/// (unless it is void);</item>
/// <item>a variable or method declared again in a later cell is a new field of a new submission in the kernel, and an
/// error in one method body: the later declaration and every use that binds to it get a new name (<c>x_39</c>: cell 39's
/// <c>x</c>), as does a top-level name that a nested local, a query variable or a member in scope also uses;</item>
/// <item>script methods become local functions; classes, records and other types move after the top-level statements;
/// using directives move to the top;</item>
/// <item><c>#load "lossnb.csx"</c> becomes <c>#:project</c> references, <c>#r "nuget: X, v"</c> becomes <c>#:package X@v</c>,
/// <c>#load "plotlynet.csx"</c> the Plotly.NET packages and the file's declarations; other directives are kept as comments.</item>
/// </list>
/// </summary>
public static partial class AppTranslator
{
    /// <summary>The FSharp.Core the Plotly.NET packages are built against (Plotly.NET 6.0.0 asks for at least 10.1.403).</summary>
    public const string FSharpCoreVersion = "10.1.403";

    private const string Console = "LossNotebooks.Export.Apps.AppConsole";
    private static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

    // The C# kernel's default imports (what a cell may use without a using directive), and the app's own.
    private static readonly string[] KernelUsings = ["System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    [GeneratedRegex(@"^[ \t]*#(?<kind>r|load|i|!)(?=[\s""!]|$)(?<rest>.*)$", RegexOptions.Multiline)]
    private static partial Regex DirectiveLine();

    [GeneratedRegex(@"^\s*""nuget:\s*(?<name>[^,""\s]+)\s*(,\s*(?<version>[^""\s]+)\s*)?""\s*$")]
    private static partial Regex NugetReference();

    [GeneratedRegex(@"^\s*""(?<file>[^""]+)""\s*$")]
    private static partial Regex QuotedFile();

    /// <summary>
    /// The app's source for <paramref name="document"/> (whose exercise cells the caller has already filled in, if
    /// wanted). Metadata references for binding default to every assembly of this process's folder and of the runtime.
    /// </summary>
    /// <exception cref="NotebookFormatException">A cell cannot become part of a program (the message names the cell).</exception>
    public static string Translate(NotebookDocument document, AppTarget target, IReadOnlyList<MetadataReference>? references = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(target);
        string notebookFolder = Path.GetDirectoryName(Path.GetFullPath(document.Path))!;
        string appFolder = Path.GetDirectoryName(Path.GetFullPath(target.AppFile))!;
        string root = target.RepositoryRoot ?? Path.GetFullPath(Path.Combine(notebookFolder, ".."));
        references ??= DefaultReferences.Value;

        var cells = new List<CellPlan>();
        var packages = new List<(string Name, string Version, string Why)>();
        var projects = new List<(string Path, string Why)>();
        var loaded = new List<LoadedScript>();
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            if (cell.Kind != CellKind.Code) { cells.Add(new CellPlan(i, cell, null, [])); continue; }
            var notes = new List<string>();
            string code = DirectiveLine().Replace(cell.Source, m =>
            {
                notes.Add(Directive(m.Groups["kind"].Value, m.Groups["rest"].Value.Trim(), m.Value.Trim(), i));
                return "";
            });
            if (code.TrimStart().StartsWith('#') && !code.TrimStart().StartsWith("#nullable", StringComparison.Ordinal)
                && !code.TrimStart().StartsWith("#region", StringComparison.Ordinal) && !code.TrimStart().StartsWith("#if", StringComparison.Ordinal)
                && !code.TrimStart().StartsWith("#pragma", StringComparison.Ordinal))
                throw new NotebookFormatException(document.Path, $"a code cell starts with a directive the app cannot translate: {code.TrimStart().Split('\n')[0]}", i);
            cells.Add(new CellPlan(i, cell, code, notes));
        }

        string Directive(string kind, string rest, string line, int cellIndex)
        {
            switch (kind)
            {
                case "load" when QuotedFile().Match(rest) is { Success: true } m:
                    string file = m.Groups["file"].Value;
                    if (Path.GetFileName(file) == "lossnb.csx")
                    {
                        // lossnb.csx loads the library of the repository it sits in (notebooks/..).
                        if (target.RepositoryRoot is null) root = Path.GetFullPath(Path.Combine(notebookFolder, Path.GetDirectoryName(file) ?? "", ".."));
                        AddProject(Path.Combine(root, "src", "LossNotebooks", "LossNotebooks.csproj"), "the library (what lossnb.csx loads)");
                        AddProject(Path.Combine(root, "src", "LossNotebooks.Export", "LossNotebooks.Export.csproj"), "the app's display: text, step records, figure files");
                        return $"{line}  →  #:project src/LossNotebooks (top of this file)";
                    }
                    string full = Path.GetFullPath(Path.Combine(notebookFolder, file));
                    if (!File.Exists(full)) throw new NotebookFormatException(document.Path, $"#load names {file}, which is not in {notebookFolder}", cellIndex);
                    bool plotly = Path.GetFileName(file) == "plotlynet.csx";
                    if (plotly)
                    {
                        AddPackage("FSharp.Core", FSharpCoreVersion, "what Plotly.NET is built against (the kernel binds it to its own FSharp.Core instead)");
                    }
                    loaded.Add(new LoadedScript(cellIndex, file, File.ReadAllText(full), plotly));
                    return plotly
                        ? $"{line}  →  its declarations (after the top-level statements); its kernel set-up (binding Plotly.NET to the kernel's FSharp.Core, registering a chart formatter) is not needed here: the app references FSharp.Core {FSharpCoreVersion} and shows charts with AppConsole"
                        : $"{line}  →  its code (after this cell's comment)";
                case "r" when NugetReference().Match(rest) is { Success: true } m:
                    string name = m.Groups["name"].Value, version = m.Groups["version"].Success ? m.Groups["version"].Value : "*";
                    if (name == "Plotly.NET.Interactive")
                    {
                        AddPackage("Plotly.NET", version, "the kernel extension Plotly.NET.Interactive is only its notebook display; the app needs Plotly.NET");
                        return $"{line}  →  #:package Plotly.NET@{version} (the kernel extension is not needed in an app)";
                    }
                    AddPackage(name, version, "from the notebook's #r");
                    return $"{line}  →  #:package {name}@{version}";
                case "i":
                    return $"{line}  →  not needed: packages come from the repository's nuget.config";
                case "!":
                    return $"{line}  →  a kernel magic command; it has no meaning in an app";
                default:
                    throw new NotebookFormatException(document.Path, $"the app cannot translate the directive {line}", cellIndex);
            }
        }

        void AddProject(string path, string why)
        {
            string rel = Path.GetRelativePath(appFolder, path).Replace('\\', '/');
            if (!projects.Any(p => p.Path == rel)) projects.Add((rel, why));
        }

        void AddPackage(string name, string version, string why)
        {
            if (!packages.Any(p => p.Name == name)) packages.Add((name, version, why));
        }

        var program = Bind(document, cells, loaded, references);
        return Emit(document, target with { RepositoryRoot = root }, cells, loaded, program, packages, projects);
    }

    private sealed record CellPlan(int Index, NotebookCell Cell, string? Code, List<string> Notes)
    {
        public SyntaxTree? Tree { get; set; }
        public SemanticModel? Model { get; set; }
    }

    private sealed record LoadedScript(int CellIndex, string File, string Code, bool KernelSetupOnly)
    {
        public SyntaxTree? Tree { get; set; }
        public SemanticModel? Model { get; set; }
    }

    /// <summary>The names a program needs: top-level symbols renamed (by the submission that declares them and their name).</summary>
    private sealed class Renames
    {
        public readonly Dictionary<(string Submission, string Name), string> Map = [];

        public string? For(ISymbol? symbol) =>
            symbol is { ContainingAssembly.Name: { } a } && IsTopLevel(symbol) && Map.TryGetValue((a, symbol.Name), out var n) ? n : null;
    }

    private static bool IsTopLevel(ISymbol symbol) =>
        symbol.Kind is SymbolKind.Field or SymbolKind.Method && symbol.ContainingType is { IsScriptClass: true };

    private static readonly Lazy<IReadOnlyList<MetadataReference>> DefaultReferences = new(() =>
    {
        var files = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First());
        var refs = new List<MetadataReference>();
        foreach (var f in files)
        {
            try
            {
                using var stream = File.OpenRead(f);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                if (pe.HasMetadata) refs.Add(MetadataReference.CreateFromFile(f));
            }
            catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException) { }
        }
        return refs;
    });

    /// <summary>Parses and binds every code cell as the kernel does (a chain of script submissions); plans the renames.</summary>
    private static Renames Bind(NotebookDocument document, List<CellPlan> cells, List<LoadedScript> loaded, IReadOnlyList<MetadataReference> references)
    {
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: KernelUsings, nullableContextOptions: NullableContextOptions.Disable);
        // Submission 0 gives the cells what the kernel gives them: display(...).
        var prelude = CSharpSyntaxTree.ParseText($"using static {Console};", ScriptParse);
        CSharpCompilation previous = CSharpCompilation.CreateScriptCompilation("prelude", prelude, references, options, returnType: typeof(object));
        var order = new List<(string Submission, SyntaxTree Tree, SemanticModel Model, int Cell)>();
        foreach (var cell in cells.Where(c => c.Code is not null))
        {
            foreach (var script in loaded.Where(l => l.CellIndex == cell.Index))
            {
                script.Tree = CSharpSyntaxTree.ParseText(script.Code, ScriptParse, path: script.File);
                previous = CSharpCompilation.CreateScriptCompilation($"load{cell.Index}", script.Tree, references, options, previous, typeof(object));
                script.Model = previous.GetSemanticModel(script.Tree);
            }
            cell.Tree = CSharpSyntaxTree.ParseText(cell.Code!, ScriptParse, path: $"cell{cell.Index}");
            var errors = cell.Tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0) throw new NotebookFormatException(document.Path, $"the code does not parse: {errors[0]}", cell.Index);
            previous = CSharpCompilation.CreateScriptCompilation($"cell{cell.Index}", cell.Tree, references, options, previous, typeof(object));
            cell.Model = previous.GetSemanticModel(cell.Tree);
            order.Add(($"cell{cell.Index}", cell.Tree, cell.Model, cell.Index));
        }

        // Top-level declarations in order, and the names something else in the program would also claim.
        var declared = new List<(string Submission, string Name, int Cell)>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (submission, tree, model, cellIndex) in order)
        {
            var rootNode = (CompilationUnitSyntax)tree.GetRoot();
            foreach (var token in rootNode.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken))) identifiers.Add(token.ValueText);
            foreach (var member in rootNode.Members)
            {
                switch (member)
                {
                    case MethodDeclarationSyntax m: declared.Add((submission, m.Identifier.ValueText, cellIndex)); break;
                    // A script parses `var x = 1;` at the top as a field declaration.
                    case FieldDeclarationSyntax f:
                        foreach (var v in f.Declaration.Variables) declared.Add((submission, v.Identifier.ValueText, cellIndex));
                        foreach (var name in f.Declaration.Variables.SelectMany(v => v.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
                            .Where(n => n is VariableDeclaratorSyntax or SingleVariableDesignationSyntax).Select(n => model.GetDeclaredSymbol(n)).OfType<ILocalSymbol>())
                            claimed.Add(name.Name);
                        break;
                    case GlobalStatementSyntax g:
                        foreach (var s in TopLevelDeclarations(g, model)) declared.Add((submission, s.Name, cellIndex));
                        foreach (var name in NestedLocals(g, model)) claimed.Add(name);
                        break;
                }
            }
            foreach (var query in rootNode.DescendantNodes().OfType<QueryExpressionSyntax>())
                foreach (var token in query.DescendantNodes().Select(RangeVariable).Where(t => t is not null)) claimed.Add(token!.Value.ValueText);
            foreach (var id in rootNode.DescendantNodes().OfType<IdentifierNameSyntax>().Where(IsSimpleNameInScope))
            {
                var info = model.GetSymbolInfo(id);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null || IsTopLevel(symbol)) continue;
                if (symbol.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.RangeVariable or SymbolKind.Label) continue;
                if (symbol.Kind is SymbolKind.Namespace) continue;
                claimed.Add(id.Identifier.ValueText);
            }
        }

        var renames = new Renames();
        foreach (var group in declared.GroupBy(d => d.Name))
        {
            bool first = true;
            foreach (var (submission, name, cellIndex) in group)
            {
                if (first && !claimed.Contains(name)) { first = false; continue; }
                first = false;
                string fresh = $"{name}_{cellIndex}";
                while (identifiers.Contains(fresh)) fresh += "_";
                identifiers.Add(fresh);
                renames.Map[(submission, name)] = fresh;
            }
        }
        return renames;
    }

    // Whatever a top-level statement declares outside lambdas and local functions (declarators, out and pattern
    // variables, foreach variables, catch variables, nested local functions): the model says which are fields of the
    // submission (top-level) and which are locals of a nested scope.
    private static IEnumerable<SyntaxNode> Declarations(GlobalStatementSyntax g) =>
        g.Statement.DescendantNodesAndSelf(n => n == g.Statement || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Where(n => n is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax or CatchDeclarationSyntax
                || n is LocalFunctionStatementSyntax && n != g.Statement);

    private static IEnumerable<ISymbol> TopLevelDeclarations(GlobalStatementSyntax g, SemanticModel model) =>
        Declarations(g).Select(n => model.GetDeclaredSymbol(n)).Where(s => s is not null && IsTopLevel(s))!;

    /// <summary>Locals a top-level statement declares in a nested scope outside any lambda or local function: in one method body they may not share a name with a top-level local.</summary>
    private static IEnumerable<string> NestedLocals(GlobalStatementSyntax g, SemanticModel model) =>
        Declarations(g).Select(n => model.GetDeclaredSymbol(n)).Where(s => s is ILocalSymbol or IMethodSymbol { MethodKind: MethodKind.LocalFunction }).Select(s => s!.Name);

    private static SyntaxToken? RangeVariable(SyntaxNode n) => n switch
    {
        FromClauseSyntax f => f.Identifier,
        LetClauseSyntax l => l.Identifier,
        JoinClauseSyntax j => j.Identifier,
        JoinIntoClauseSyntax j => j.Identifier,
        QueryContinuationSyntax q => q.Identifier,
        _ => null,
    };

    // A name looked up in the enclosing scopes (not after a dot, not a named argument or an initializer's member).
    private static bool IsSimpleNameInScope(IdentifierNameSyntax id) => id.Parent switch
    {
        MemberAccessExpressionSyntax m when m.Name == id => false,
        MemberBindingExpressionSyntax => false,
        QualifiedNameSyntax q when q.Right == id => false,
        NameColonSyntax or NameEqualsSyntax => false,
        AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } a when a.Left == id => false,
        _ => true,
    };
}

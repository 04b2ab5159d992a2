using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Formatting;
using LossNotebooks.Notebooks.Kernel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// Runs a notebook's C# cells in order in one Roslyn script state, as the Polyglot C# kernel does, and stores
/// each code cell's outputs on the document. Working directory = the notebook's folder (as VS Code).
/// </summary>
public sealed class NotebookExecutor(ExecutorOptions? options = null)
{
    /// <summary>The usings the C# kernel starts with, plus the namespace holding <c>.Display()</c>.</summary>
    public static readonly ImmutableArray<string> DefaultUsings =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks",
        "System.Linq", typeof(DisplayExtensions).Namespace!,
    ];

    // Working directory, environment and console are process-wide: one notebook at a time per process.
    private static readonly SemaphoreSlim ProcessGate = new(1, 1);
    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(LoadFrameworkReferences);

    private readonly ExecutorOptions _options = options ?? new ExecutorOptions();

    public async Task<NotebookResult> RunAsync(NotebookDocument document, CancellationToken cancellationToken = default)
    {
        ConsoleRouter.Install();
        await ProcessGate.WaitAsync(cancellationToken);
        string previousDirectory = Environment.CurrentDirectory;
        string? previousOut = Environment.GetEnvironmentVariable(ExecutorOptions.OutputDirectoryVariable);
        try
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(document.Path, previousDirectory))!;
            Environment.CurrentDirectory = folder;
            if (_options.OutputDirectory is { } outDir)
                Environment.SetEnvironmentVariable(ExecutorOptions.OutputDirectoryVariable, Path.GetFullPath(outDir, previousDirectory));
            return await RunCellsAsync(document, Path.GetFullPath(document.Path, previousDirectory), folder, cancellationToken);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            Environment.SetEnvironmentVariable(ExecutorOptions.OutputDirectoryVariable, previousOut);
            ProcessGate.Release();
        }
    }

    private async Task<NotebookResult> RunCellsAsync(NotebookDocument document, string fullPath, string folder, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var results = new List<CellResult>();
        var scriptOptions = ScriptOptions.Default
            .WithReferences(FrameworkReferences.Value)
            .AddReferences(typeof(ScriptGlobals).Assembly)
            .WithImports(DefaultUsings)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(folder))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(folder))
            .WithAllowUnsafe(true)
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest);
        var globals = new ScriptGlobals();
        var restorer = new NuGetRestorer(folder, _options.CellTimeout);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        ScriptState<object>? state = null;
        string? stopReason = null;
        int executionCount = 0;

        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            CellResult Result(CellStatus status, string? reason, TimeSpan duration) =>
                Finish(results, new CellResult(document.Path, i, document.Cells.Count, status, reason, duration));

            if (cell.Kind != CellKind.Code) { Result(CellStatus.NotCode, null, TimeSpan.Zero); continue; }
            var directives = CellDirectives.Parse(cell.Source);
            if (directives.IsMarkdown) { cell.SetOutputs([], null); Result(CellStatus.NotCode, null, TimeSpan.Zero); continue; }

            string? skip = stopReason ?? (!_options.RunOnlineOnlyCells && OnlineOnly.IsOnlineOnly(cell, out var why) ? why : null);
            if (skip is not null)
            {
                var note = new StreamOutput("stderr");
                note.Text.Append($"lossnb: cell not run ({skip})\n");
                cell.SetOutputs([note.ToJson(0)], null);
                Result(CellStatus.Skipped, skip, TimeSpan.Zero);
                continue;
            }

            executionCount++;
            var context = new CellContext();
            var watch = Stopwatch.StartNew();
            var (newState, failure, fatal) = await RunCellAsync(directives, context, state, scriptOptions, globals, restorer, referenced, ct);
            watch.Stop();
            if (newState is not null) state = newState;
            if (failure is null && directives.Time)
                context.Write("stdout", $"Wall time: {watch.Elapsed.TotalMilliseconds:0.###}ms\n");

            var outputs = context.Outputs;
            if (failure is null) failure = await EnrichAsync(fullPath, i, outputs, context, ct);
            cell.SetOutputs((failure is null ? outputs : context.Outputs).Select(o => o.ToJson(executionCount)), executionCount);
            if (failure is not null)
            {
                Result(CellStatus.Failed, failure, watch.Elapsed);
                if (fatal || !_options.ContinueAfterFailure) stopReason = $"cell {i + 1} failed";
            }
            else Result(CellStatus.Ran, null, watch.Elapsed);
        }
        return new NotebookResult(document.Path, results, total.Elapsed);
    }

    private CellResult Finish(List<CellResult> results, CellResult result)
    {
        results.Add(result);
        _options.CellFinished?.Invoke(result);
        return result;
    }

    /// <summary>Runs one cell; returns the new state, a failure summary (null if it ran) and whether the state is unusable.</summary>
    private async Task<(ScriptState<object>? State, string? Failure, bool Fatal)> RunCellAsync(
        CellDirectives directives, CellContext context, ScriptState<object>? state, ScriptOptions scriptOptions,
        ScriptGlobals globals, NuGetRestorer restorer, HashSet<string> referenced, CancellationToken ct)
    {
        if (directives.Error is { } directiveError)
            return (null, Fail(context, "UnsupportedDirective", directiveError, [directiveError]), false);

        var options = scriptOptions;
        foreach (var source in directives.Sources) restorer.AddSource(source);
        if (directives.Packages.Count > 0)
        {
            try
            {
                var assemblies = await restorer.RestoreAsync(directives.Packages, ct);
                var added = assemblies.Where(referenced.Add).ToList();
                options = options.AddReferences(added.Select(p => MetadataReference.CreateFromFile(p)));
                foreach (var (name, version) in directives.Packages)
                    context.Write("stdout", $"Installed package {name} version {version ?? "(latest)"}\n");
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                return (null, Fail(context, "NuGetRestoreError", e.Message, [e.Message]), false);
            }
        }

        Script<object> script = state is null
            ? CSharpScript.Create(directives.Code, options, typeof(ScriptGlobals))
            : state.Script.ContinueWith(directives.Code, options);
        var errors = script.Compile(ct).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var lines = errors.Select(d => d.ToString()).ToList();
            return (null, Fail(context, "CompilationError", string.Join("\n", lines), lines), false);
        }
        bool hasResult = HasTrailingExpression(script.GetCompilation(), directives.Code);

        Task<ScriptState<object>> run = Task.Run(() =>
        {
            CellContext.Enter(context);
            return state is null
                ? script.RunAsync(globals, _ => true, ct)
                : script.RunFromAsync(state, _ => true, ct);
        }, ct);
        ScriptState<object> next;
        try { next = await run.WaitAsync(_options.CellTimeout, ct); }
        catch (TimeoutException)
        {
            // Roslyn cannot abort running user code; the cell is abandoned and no later cell may use its state.
            string message = $"Cell did not finish within {_options.CellTimeout.TotalSeconds:0.###} s";
            return (null, Fail(context, "TimeoutException", message, [message]), true);
        }

        if (next.Exception is { } exception)
        {
            var name = exception.GetType().FullName ?? exception.GetType().Name;
            var trace = exception.ToString().Replace("\r\n", "\n").Split('\n');
            return (next, Fail(context, name, exception.Message, trace), false);
        }
        if (hasResult) context.Add(new DisplayOutput(ValueFormatter.Format(next.ReturnValue), isResult: true));
        return (next, null, false);
    }

    /// <summary>True when the cell ends in a non-void expression without ';' (the kernel's "return value").</summary>
    private static bool HasTrailingExpression(Compilation compilation, string code)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault(t => t.GetText().ToString() == code);
        if (tree?.GetRoot() is not CompilationUnitSyntax unit) return false;
        if (unit.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing) return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static string Fail(CellContext context, string name, string value, IReadOnlyList<string> traceback)
    {
        context.Add(new ErrorOutput(name, value, traceback));
        return $"{name}: {value.Split('\n')[0]}";
    }

    private async Task<string?> EnrichAsync(string path, int cellIndex, IReadOnlyList<CellOutput> outputs, CellContext context, CancellationToken ct)
    {
        for (int k = 0; k < outputs.Count; k++)
        {
            if (outputs[k] is not DisplayOutput display) continue;
            foreach (var enricher in _options.Enrichers)
            {
                try { await enricher.EnrichAsync(display.Data, new OutputContext(path, cellIndex, k, _options.OutputDirectory), ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return Fail(context, e.GetType().FullName ?? "Exception", $"output enricher {enricher.GetType().Name} failed: {e.Message}",
                        e.ToString().Split('\n'));
                }
            }
        }
        return null;
    }

    /// <summary>The whole shared framework the runner runs on, as the kernel references it.</summary>
    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        string dir = RuntimeEnvironment.GetRuntimeDirectory();
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var file in Directory.GetFiles(dir, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            try
            {
                AssemblyName.GetAssemblyName(file); // skips native libraries
                references.Add(MetadataReference.CreateFromFile(file));
            }
            catch (BadImageFormatException) { }
        }
        return references.ToImmutable();
    }
}

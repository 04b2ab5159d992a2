using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using LossNotebooks.Derivations;
using LossNotebooks.Display;
using LossNotebooks.Figures;

namespace LossNotebooks.Export.Apps;

/// <summary>
/// What a notebook app (a notebook exported by <c>lossnb export --to app</c>, run with <c>dotnet run app.cs</c>) has in
/// place of the notebook kernel's display: <c>display(x)</c> and the value of a cell's last expression are printed as
/// text (what the notebook shows as text/plain), each derivation step's record is appended to <c>steps.jsonl</c>, and
/// each figure is written as SVG and PNG under <c>figures/&lt;notebook&gt;/</c>, named as <c>lossnb run</c> names them
/// (cell index, output index within the cell, title slug).
/// Arguments of the app: <c>--out DIR</c> (default: <c>out</c> beside the app file), <c>--no-figures</c> (write each
/// figure's Plotly JSON only, without starting a browser).
/// </summary>
public static class AppConsole
{
    /// <summary>The file of step records (one JSON <see cref="StepRecord"/> a line, in display order) in the output folder.</summary>
    public const string StepsFile = "steps.jsonl";

    private static readonly Dictionary<Type, Func<object, string>> FigureJson = [];
    private static TextWriter _stdout = Console.Out;
    private static CountingWriter? _counter;
    private static string _notebook = "notebook";
    private static string _outDir = "out";
    private static string? _repository;
    private static bool _renderFigures = true;
    private static int _cell = -1, _outputs, _figures, _steps;
    private static bool _lastWasStream;
    private static FigureExporter? _exporter;
    private static readonly HashSet<string> _stems = new(StringComparer.Ordinal);   // this run's figure names, in order

    /// <summary>The app's output folder (figures, step records).</summary>
    public static string OutputDirectory => _outDir;

    /// <summary>Called first by the app: reads its arguments, clears the step records of an earlier run.</summary>
    /// <param name="repository">The repository the app was exported from, relative to the app's folder (plotly.js is looked for there too).</param>
    public static void Start(string notebook, string[] args, string? repository = null, [CallerFilePath] string appFile = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(notebook);
        ArgumentNullException.ThrowIfNull(args);
        _notebook = notebook;
        string appFolder = Path.GetDirectoryName(appFile) is { Length: > 0 } d ? d : Environment.CurrentDirectory;
        _repository = repository is null ? null : Path.GetFullPath(Path.Combine(appFolder, repository));
        _outDir = Path.Combine(appFolder, "out");
        (_renderFigures, _cell, _outputs, _figures, _steps, _lastWasStream) = (true, -1, 0, 0, 0, false);
        _stems.Clear();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length: _outDir = Path.GetFullPath(args[++i]); break;
                case "--no-figures": _renderFigures = false; break;
                default:
                    Console.Error.WriteLine($"{notebook}: unknown argument '{args[i]}' (arguments: --out DIR, --no-figures)");
                    Environment.Exit(2);
                    break;
            }
        }
        Directory.CreateDirectory(_outDir);
        File.WriteAllText(Path.Combine(_outDir, StepsFile), "");
        // The kernel counts a cell's console output as one output between displays; figure names count outputs.
        _stdout = Console.Out;
        _counter = new CountingWriter(_stdout);
        Console.SetOut(_counter);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
    }

    /// <summary>Marks the start of notebook cell <paramref name="index"/> (0-based over all cells, as <c>lossnb run</c> counts).</summary>
    public static void Cell(int index)
    {
        _cell = index;
        _outputs = 0;
        _lastWasStream = false;
    }

    /// <summary>Figures of type <typeparamref name="T"/> (e.g. a Plotly.NET chart) are written from the JSON this gives.</summary>
    public static void RegisterFigureJson<T>(Func<T, string> toJson) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(toJson);
        FigureJson[typeof(T)] = o => toJson((T)o);
    }

    /// <summary>The kernel's <c>display(value)</c>: shows the value now.</summary>
    public static DisplayedValue display(object? value, params string[] mimeTypes)
    {
        Show(value);
        return new DisplayedValue();
    }

    /// <summary>Shows the value of a cell's last expression (what the kernel displays for it).</summary>
    public static void Show<T>(T value) => ShowObject(value);

    private static void ShowObject(object? value)
    {
        _counter?.Flush();
        int output = _outputs++;
        _lastWasStream = false;
        if (value is null) { _stdout.WriteLine("<null>"); return; }
        if (value is StepResult step)
        {
            File.AppendAllText(Path.Combine(_outDir, StepsFile), step.ToRecord().ToJson() + "\n", new UTF8Encoding(false));
            _steps++;
        }
        string? json = value is Figure figure ? figure.ToJson()
            : FigureJson.FirstOrDefault(f => f.Key.IsInstanceOfType(value)).Value?.Invoke(value);
        if (json is not null)
        {
            _stdout.WriteLine(WriteFigure(json, output, value));
            return;
        }
        _stdout.WriteLine(Text(value));
    }

    /// <summary>The text form of a value: its own ToString for the library's types and strings, invariant numbers, lists in brackets.</summary>
    public static string Text(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        IRichDisplay => value.ToString() ?? "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => "[ " + string.Join(", ", e.Cast<object?>().Select(Text)) + " ]",
        _ => value.ToString() ?? "",
    };

    private static string WriteFigure(string json, int output, object value)
    {
        string dir = Path.Combine(_outDir, "figures", _notebook);
        Directory.CreateDirectory(dir);
        string name = FigureFileNames.Stem(_notebook, json, _stems);
        _stems.Add(name);
        string stem = Path.Combine(dir, name);
        _figures++;
        string summary = value is Figure f ? f.ToString() : $"figure ({value.GetType().Name})";
        if (!_renderFigures)
        {
            File.WriteAllText(stem + ".json", json, new UTF8Encoding(false));
            return $"{summary}\n  → {Path.GetRelativePath(_outDir, stem)}.json";
        }
        _exporter ??= FigureExporter.StartAsync(new FigureExportOptions { PlotlyJsPath = PlotlyJsNear() }).GetAwaiter().GetResult();
        var (svg, png) = _exporter.RenderStaticAsync(json).GetAwaiter().GetResult();
        File.WriteAllText(stem + ".svg", svg, new UTF8Encoding(false));
        File.WriteAllBytes(stem + ".png", png);
        return $"{summary}\n  → {Path.GetRelativePath(_outDir, stem)}.svg, .png";
    }

    // The app runs from a build folder outside the repository: plotly.js is looked for from the current folder, the
    // output folder and the repository the app came from.
    private static string? PlotlyJsNear()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LOSSNB_PLOTLYJS"))) return null;
        foreach (var start in new[] { Environment.CurrentDirectory, _outDir, _repository }.OfType<string>())
        {
            try { return PlotlyJsSource.Locate(start); }
            catch (FileNotFoundException) { }
        }
        return null;
    }

    /// <summary>Called last by the app: closes the browser, prints one summary line.</summary>
    public static void End()
    {
        _counter?.Flush();
        if (_exporter is not null) _exporter.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _exporter = null;
        _stdout.WriteLine($"[{_notebook}: {_steps} step record{(_steps == 1 ? "" : "s")}, {_figures} figure{(_figures == 1 ? "" : "s")} → {_outDir}]");
        _stdout.Flush();
    }

    /// <summary>What <c>display</c> returns (the kernel's DisplayedValue): <see cref="Update"/> shows the new value.</summary>
    public sealed class DisplayedValue
    {
        public void Update(object? value) => ShowObject(value);
    }

    /// <summary>Console output between two displays is one output of the cell, as the kernel merges it.</summary>
    private sealed class CountingWriter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;
        private void Mark()
        {
            if (_lastWasStream) return;
            _lastWasStream = true;
            _outputs++;
        }
        public override void Write(char value) { Mark(); inner.Write(value); }
        public override void Write(string? value) { if (!string.IsNullOrEmpty(value)) { Mark(); inner.Write(value); } }
        public override void Write(char[] buffer, int index, int count) { if (count > 0) { Mark(); inner.Write(buffer, index, count); } }
        public override void WriteLine(string? value) { Mark(); inner.WriteLine(value); }
        public override void Flush() => inner.Flush();
    }
}

using System.Globalization;
using System.Text;
using LossNotebooks.Data;
using LossNotebooks.Optimization;
using Spectre.Console;

namespace LossNotebooks.Cli.Commands;

/// <summary>The work behind `lossnb train`: data, model, optimizer with progress, summary, trace CSV.</summary>
public static class TrainingRun
{
    /// <summary>Exit code of a cancelled run (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>The CSV header; <c>,seconds</c> is appended only with --timings.</summary>
    public const string TraceHeader = "iteration,loss,train_accuracy,validation_accuracy,evaluations";

    // The library checks its arguments and names the parameter; this maps that name back to the option that set it,
    // so the CLI does not repeat (and drift from) the library's validation.
    private static readonly Dictionary<string, string> OptionOf = new()
    {
        ["name"] = "--data",
        ["validationFraction"] = "--validation-fraction",
        ["regularization"] = "--lambda",
        ["iterations"] = "--iterations",
        ["draws"] = "--iterations",
        ["learningRate"] = "--learning-rate",
        ["batch"] = "--batch",
        ["batchSize"] = "--batch",
        ["momentum"] = "--momentum",
        ["beta1"] = "--beta1",
        ["beta2"] = "--beta2",
        ["epsilon"] = "--epsilon",
        ["scale"] = "--scale",
        ["step"] = "--step",
    };

    public static int Execute(TrainSettings s, CancellationToken ct)
    {
        LinearLoss? loss = s.Loss.Trim().ToLowerInvariant() switch
        {
            "hinge" => LinearLoss.Hinge,
            "softmax" => LinearLoss.SoftmaxCrossEntropy,
            "brier" => LinearLoss.Brier,
            _ => null,
        };
        if (loss is null) return BadInput($"--loss must be one of {string.Join(", ", TrainCommand.Losses)}, got '{s.Loss}'");
        string method = s.Optimizer.Trim().ToLowerInvariant();
        if (!TrainCommand.Methods.Contains(method))
            return BadInput($"--optimizer must be one of {string.Join(", ", TrainCommand.Methods)}, got '{s.Optimizer}'");
        // An option the chosen optimizer would silently ignore is almost always a mistake in the command line.
        if (Inapplicable(s, method) is { } ignored) return BadInput($"{ignored} does not apply to --optimizer {method}");
        // The library reads traceEvery ≤ 0 as "choose for me"; on the command line that is what leaving it out means.
        if (s.TraceEvery is < 1) return BadInput($"--trace-every must be at least 1, got {s.TraceEvery}");
        if (s.TracePath is not null)
        {
            // Before training, so an unwritable place fails in a second rather than after the whole run.
            try
            {
                string full = Path.GetFullPath(s.TracePath);
                string folder = Path.GetDirectoryName(full)!;
                Directory.CreateDirectory(folder);
                if (Directory.Exists(full)) throw new IOException("it is a folder");
                // Opening for write proves the place writable without touching an existing trace; a new file is removed again.
                bool existed = File.Exists(full);
                using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, 1, existed ? FileOptions.None : FileOptions.DeleteOnClose)) { }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return BadInput($"--trace: cannot write '{s.TracePath}': {e.Message}");
            }
        }

        Dataset dataset;
        DataSplit split;
        LinearClassifier model;
        try
        {
            dataset = Datasets.Load(s.Data);
            split = dataset.Split(s.ValidationFraction, s.SplitSeed).Standardized();
            model = new LinearClassifier(split.Train, loss.Value, s.Lambda);
        }
        catch (ArgumentException e) when (OptionFor(e) is { } option) { return BadInput(Message(e, option)); }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{dataset.Name}: {split.Train.Rows} train / {split.Validation.Rows} validation rows, {model.Features} features, {model.Classes} classes; {loss} loss, λ = {s.Lambda}"));

        OptimizationResult Optimize(IProgress<TracePoint> progress)
        {
            int every = s.TraceEvery ?? 0;
            return method switch
            {
                "random" => Optimizers.RandomSearch(model, split.Validation, s.Iterations, s.Scale ?? TrainSettings.DefaultSearchScale,
                    s.Batch ?? TrainSettings.DefaultRandomBatch, s.Seed, every, progress, ct),
                "local" => Optimizers.RandomLocalSearch(model, split.Validation, s.Iterations, s.Step ?? TrainSettings.DefaultLocalStep,
                    s.Scale ?? TrainSettings.DefaultSearchScale, s.Seed, every, progress, ct),
                "gd" => Optimizers.GradientDescent(model, split.Validation, s.Iterations, s.LearningRate ?? TrainSettings.DefaultGdLearningRate,
                    s.Scale ?? TrainSettings.DefaultDescentScale, s.Seed, every, progress, ct),
                "adam" => Optimizers.Adam(model, split.Validation, s.Iterations, s.Batch ?? TrainSettings.DefaultSgdBatch,
                    s.LearningRate ?? TrainSettings.DefaultAdamLearningRate, s.Beta1 ?? TrainSettings.DefaultBeta1, s.Beta2 ?? TrainSettings.DefaultBeta2,
                    s.Epsilon ?? TrainSettings.DefaultEpsilon, s.Scale ?? TrainSettings.DefaultDescentScale, s.Seed, every, progress, ct),
                _ => Optimizers.Sgd(model, split.Validation, s.Iterations, s.Batch ?? TrainSettings.DefaultSgdBatch,
                    s.LearningRate ?? TrainSettings.DefaultSgdLearningRate, s.Momentum ?? 0.0, s.Scale ?? TrainSettings.DefaultDescentScale,
                    s.Seed, every, progress, ct),
            };
        }

        bool plain = ConsoleMode.IsPlain;
        TracePoint? last = null;
        OptimizationResult result;
        try
        {
            if (plain)
                result = Optimize(new ImmediateProgress<TracePoint>(p => { last = p; Console.WriteLine(Line(p, s.Iterations)); }));
            else
                result = AnsiConsole.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                        new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        ProgressTask? task = null;
                        return Optimize(new ImmediateProgress<TracePoint>(p =>
                        {
                            last = p;
                            // Added at the first point, i.e. after the optimizer accepted its arguments: bad input shows no bar.
                            string description = Markup.Escape(Describe(p, s.Iterations));
                            task ??= ctx.AddTask(description, maxValue: s.Iterations);
                            task.Description = description;
                            task.Value = p.Iteration;
                        }));
                    });
        }
        catch (ArgumentException e) when (OptionFor(e) is { } option) { return BadInput(Message(e, option)); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            string where = last is { } p ? $"last trace point: iteration {p.Iteration} of {s.Iterations}" : "before the first trace point";
            Console.Error.WriteLine($"lossnb train: cancelled ({where}); no trace written");
            return Cancelled;
        }
        catch (DivergenceException e)
        {
            return Diverged(e.Message.TrimEnd('.'), s, method);
        }

        WriteSummary(result, plain);
        if (s.TracePath is not null)
        {
            try { File.WriteAllText(s.TracePath, TraceCsv(result.Trace, s.Timings)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return BadInput($"--trace: cannot write '{s.TracePath}': {e.Message}");
            }
            Console.WriteLine($"trace: {s.TracePath} ({result.Trace.Count} points)");
        }
        return 0;
    }

    /// <summary>
    /// The trace as CSV: invariant culture, "R" doubles, '\n' line ends, so the same seeds give the same bytes;
    /// wall time (the one field that varies) only when asked for.
    /// </summary>
    public static string TraceCsv(IReadOnlyList<TracePoint> trace, bool timings)
    {
        var sb = new StringBuilder(TraceHeader);
        if (timings) sb.Append(",seconds");
        sb.Append('\n');
        foreach (var p in trace)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{p.Iteration},{p.Loss:R},{p.TrainAccuracy:R},{p.ValidationAccuracy:R},{p.Evaluations:R}"));
            if (timings) sb.Append(',').Append(p.ElapsedSeconds.ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string? Inapplicable(TrainSettings s, string method)
    {
        if (s.LearningRate is not null && method is not ("gd" or "sgd" or "adam")) return "--learning-rate";
        if (s.Batch is not null && method is not ("random" or "sgd" or "adam")) return "--batch";
        if (s.Momentum is not null && method is not "sgd") return "--momentum";
        if (s.Beta1 is not null && method is not "adam") return "--beta1";
        if (s.Beta2 is not null && method is not "adam") return "--beta2";
        if (s.Epsilon is not null && method is not "adam") return "--epsilon";
        if (s.Step is not null && method is not "local") return "--step";
        return null;
    }

    private static string? OptionFor(ArgumentException e) => e.ParamName is { } name && OptionOf.TryGetValue(name, out var option) ? option : null;

    /// <summary>The library's message on one line, with its parameter name replaced by the option.</summary>
    private static string Message(ArgumentException e, string option)
    {
        // ArgumentException.Message appends " (Parameter 'x')" and, out of range, a second line with the value.
        string text = e.Message.Split('\n')[0].Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal).Trim();
        // Replaced only as the leading word: elsewhere the name could be part of the user's own input, echoed back.
        return text.StartsWith(e.ParamName + " ", StringComparison.Ordinal) ? option + text[e.ParamName!.Length..] : $"{option}: {text}";
    }

    private static int Diverged(string what, TrainSettings s, string method)
    {
        // The library's message already names the likely cause; for the descents also name the option and its value.
        double defaultRate = method switch { "gd" => TrainSettings.DefaultGdLearningRate, "adam" => TrainSettings.DefaultAdamLearningRate, _ => TrainSettings.DefaultSgdLearningRate };
        string hint = method is "gd" or "sgd" or "adam"
            ? string.Create(CultureInfo.InvariantCulture, $"; lower --learning-rate (was {s.LearningRate ?? defaultRate})")
            : "";
        Console.Error.WriteLine($"lossnb train: training diverged: {what}{hint}");
        return 1;
    }

    private static int BadInput(string message)
    {
        Console.Error.WriteLine($"lossnb train: {message}");
        return 2;
    }

    private static string Line(TracePoint p, int iterations)
    {
        string width = iterations.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"iter {p.Iteration.ToString(CultureInfo.InvariantCulture).PadLeft(width.Length)}/{width}  loss {p.Loss:G6}  train {p.TrainAccuracy:P1}  val {p.ValidationAccuracy:P1}  evals {p.Evaluations:G5}  {p.ElapsedSeconds:F2} s");
    }

    private static string Describe(TracePoint p, int iterations) => string.Create(CultureInfo.InvariantCulture,
        $"{p.Iteration}/{iterations}  loss {p.Loss:G5}  val {p.ValidationAccuracy:P1}");

    private static void WriteSummary(OptimizationResult result, bool plain)
    {
        var f = result.Final;
        (string Name, string Value)[] rows =
        [
            ("method", result.Method),
            ("final loss", f.Loss.ToString("G6", CultureInfo.InvariantCulture)),
            ("train accuracy", f.TrainAccuracy.ToString("P1", CultureInfo.InvariantCulture)),
            ("validation accuracy", f.ValidationAccuracy.ToString("P1", CultureInfo.InvariantCulture)),
            ("evaluations", f.Evaluations.ToString("G5", CultureInfo.InvariantCulture)),
            ("seconds", f.ElapsedSeconds.ToString("F2", CultureInfo.InvariantCulture)),
        ];
        if (plain)
        {
            foreach (var (name, value) in rows) Console.WriteLine($"{name,-20} {value}");
            return;
        }
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in rows) grid.AddRow(new Text(name), new Text(value));
        AnsiConsole.Write(grid);
    }
}

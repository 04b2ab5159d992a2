using System.CommandLine;
using System.Runtime.InteropServices;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb train --data digits --loss hinge --optimizer gd --iterations 100`: trains the library's linear classifier on a
/// seeded, standardised train/validation split with one of its optimizers, shows progress (a bar in a terminal, one line
/// per trace point otherwise), prints a summary and optionally writes the trace as CSV.
/// Exit code 0 ok, 1 training diverged, 2 bad input, 130 cancelled by Ctrl+C (143 by SIGTERM).
/// </summary>
public static class TrainCommand
{
    internal static readonly string[] Losses = ["hinge", "softmax", "brier"];
    internal static readonly string[] Methods = ["random", "local", "gd", "sgd", "adam"];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data set: digits or iris", HelpName = "digits|iris", Required = true };
        data.CompletionSources.Add("digits", "iris");
        var loss = new Option<string>("--loss") { Description = "Loss: multiclass hinge, softmax cross-entropy or Brier score", HelpName = string.Join('|', Losses), Required = true };
        loss.CompletionSources.Add(Losses);
        var optimizer = new Option<string>("--optimizer")
        {
            Description = "random (random search), local (random local search), gd (full-batch gradient descent), sgd (mini-batch SGD), adam (mini-batch Adam)",
            HelpName = string.Join('|', Methods),
            Required = true,
        };
        optimizer.CompletionSources.Add(Methods);
        var iterations = new Option<int>("--iterations") { Description = "Draws (random), loss evaluations including the start (local) or steps (gd, sgd, adam)", HelpName = "N", Required = true };
        var learningRate = new Option<double?>("--learning-rate")
        {
            Description = $"η for gd, sgd and adam (default {TrainSettings.DefaultGdLearningRate} for gd, {TrainSettings.DefaultSgdLearningRate} for sgd, {TrainSettings.DefaultAdamLearningRate} for adam)",
            HelpName = "η",
        };
        var batch = new Option<int?>("--batch")
        {
            Description = $"sgd and adam: rows per step (default {TrainSettings.DefaultSgdBatch}); random: draws scored per matrix product (default {TrainSettings.DefaultRandomBatch}, same result)",
            HelpName = "B",
        };
        var momentum = new Option<double?>("--momentum") { Description = "sgd: momentum μ in [0, 1) (default 0)", HelpName = "μ" };
        var beta1 = new Option<double?>("--beta1") { Description = "adam: decay β₁ of the gradient's running mean, in [0, 1) (default 0.9)", HelpName = "β₁" };
        var beta2 = new Option<double?>("--beta2") { Description = "adam: decay β₂ of the squared gradient's running mean, in [0, 1) (default 0.999)", HelpName = "β₂" };
        var epsilon = new Option<double?>("--epsilon") { Description = "adam: ε > 0 added to √v̂ (default 1e-8)", HelpName = "ε" };
        var scale = new Option<double?>("--scale")
        {
            Description = $"random: draw scale σ; the others: initial weights σ·N(0, 1) (default {TrainSettings.DefaultSearchScale} for random and local, {TrainSettings.DefaultDescentScale} for gd, sgd and adam)",
            HelpName = "σ",
        };
        var step = new Option<double?>("--step") { Description = $"local: step size of a candidate (default {TrainSettings.DefaultLocalStep})", HelpName = "s" };
        var lambda = new Option<double>("--lambda") { Description = "L2 regularisation λ (the bias row is not regularised)", HelpName = "λ", DefaultValueFactory = _ => 1e-3 };
        var validationFraction = new Option<double>("--validation-fraction")
        {
            Description = "Share of each class held out for validation (stratified split)",
            DefaultValueFactory = _ => 0.25,
        };
        var splitSeed = new Option<int>("--split-seed") { Description = "Seed of the train/validation split", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Optimizer seed (initial weights, draws, SGD shuffles)", DefaultValueFactory = _ => 1 };
        var traceEvery = new Option<int?>("--trace-every") { Description = "Record a trace point every k iterations (default: iterations/100); the first and last are always recorded", HelpName = "k" };
        var trace = new Option<string?>("--trace") { Description = "Write the whole trace as CSV to this file (same seeds → same bytes unless --timings)", HelpName = "FILE.csv" };
        var timings = new Option<bool>("--timings") { Description = "Add a seconds column (wall time, varies between runs) to the --trace CSV" };

        var command = new Command("train", "Train the linear classifier with one of the library's optimizers and show progress")
        {
            data, loss, optimizer, iterations, learningRate, batch, momentum, beta1, beta2, epsilon, scale, step, lambda, validationFraction,
            splitSeed, seed, traceEvery, trace, timings,
        };
        command.SetAction(parse =>
        {
            var settings = new TrainSettings(
                parse.GetValue(data)!, parse.GetValue(loss)!, parse.GetValue(optimizer)!, parse.GetValue(iterations),
                parse.GetValue(learningRate), parse.GetValue(batch), parse.GetValue(momentum), parse.GetValue(scale), parse.GetValue(step),
                parse.GetValue(lambda), parse.GetValue(validationFraction), parse.GetValue(splitSeed), parse.GetValue(seed),
                parse.GetValue(traceEvery), parse.GetValue(trace), parse.GetValue(timings))
            {
                Beta1 = parse.GetValue(beta1), Beta2 = parse.GetValue(beta2), Epsilon = parse.GetValue(epsilon),
            };
            // Ctrl+C and SIGTERM cancel the token (the optimizers check it every iteration) instead of killing the process,
            // so the bar is closed and the reason printed. Registered here rather than through System.CommandLine's
            // termination handling, which would change how `run` and `figures` end on Ctrl+C.
            using var cancel = new CancellationTokenSource();
            PosixSignal? received = null;
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                received = context.Signal;
                cancel.Cancel();
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            int code = TrainingRun.Execute(settings, cancel.Token);
            // 128 + signal number, as a shell reports a process the signal ended.
            return code == TrainingRun.Cancelled && received == PosixSignal.SIGTERM ? 143 : code;
        });
        return command;
    }
}

/// <summary>What `lossnb train` was asked for; null = not given (the optimizer's default applies, see <see cref="TrainingRun"/>).</summary>
public sealed record TrainSettings(
    string Data, string Loss, string Optimizer, int Iterations, double? LearningRate, int? Batch, double? Momentum, double? Scale,
    double? Step, double Lambda, double ValidationFraction, int SplitSeed, int Seed, int? TraceEvery, string? TracePath, bool Timings)
{
    // notebooks/05 and the README's digits table: GD η = 0.5; SGD η = 0.03 is the middle of the notebook's grid.
    public const double DefaultGdLearningRate = 0.5;
    public const double DefaultSgdLearningRate = 0.03;
    // Adam's step is about η per coordinate whatever the gradient's scale; 0.01 on standardised digits (README).
    public const double DefaultAdamLearningRate = 0.01;
    public const double DefaultBeta1 = 0.9;
    public const double DefaultBeta2 = 0.999;
    public const double DefaultEpsilon = 1e-8;

    /// <summary>Adam's β₁, β₂, ε; null = not given.</summary>
    public double? Beta1 { get; init; }
    public double? Beta2 { get; init; }
    public double? Epsilon { get; init; }
    public const int DefaultSgdBatch = 32;
    public const int DefaultRandomBatch = 50;
    // At the library's 1e-3 every random draw scores ≈ c − 1 on standardised data, so the searches would rank noise.
    public const double DefaultSearchScale = 1e-2;
    public const double DefaultDescentScale = 1e-3;
    public const double DefaultLocalStep = 1e-2;
}

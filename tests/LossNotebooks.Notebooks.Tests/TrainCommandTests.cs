using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LossNotebooks.Cli;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// `lossnb train`: exit codes and the trace CSV in process; messages, progress lines and cancellation through a
/// `dotnet lossnb.dll` child, because Console is process-wide and these tests run in parallel with others.
/// </summary>
public class TrainCommandTests
{
    private const string Header = "iteration,loss,train_accuracy,validation_accuracy,evaluations";

    [Fact]
    public async Task Gradient_descent_on_digits_writes_a_point_per_iteration_and_generalises()
    {
        using var folder = new TempFolder();
        string csv = Path.Combine(folder.Path, "out", "gd.csv");

        int exit = await LossnbApp.InvokeAsync(["train", "--data", "digits", "--loss", "hinge", "--optimizer", "gd", "--iterations", "100", "--trace", csv]);

        Assert.Equal(0, exit);
        var (header, rows) = ReadCsv(csv);
        Assert.Equal(Header, header);
        // 100 iterations with the default trace interval (iterations/100 = 1): every iteration, plus the start.
        Assert.Equal(ExpectedIterations(100, 1), rows.Select(r => (int)r[0]));
        Assert.True(rows[^1][1] < rows[0][1], $"the loss did not decrease: {rows[0][1]} → {rows[^1][1]}");
        Assert.True(rows[^1][3] > 0.9, $"validation accuracy after 100 GD steps is {rows[^1][3]}");
    }

    [Fact]
    public async Task Trace_every_k_records_the_start_every_kth_iteration_and_the_end()
    {
        using var folder = new TempFolder();
        string csv = Path.Combine(folder.Path, "sgd.csv");

        int exit = await LossnbApp.InvokeAsync(["train", "--data", "iris", "--loss", "brier", "--optimizer", "sgd", "--iterations", "100", "--trace-every", "7", "--trace", csv]);

        Assert.Equal(0, exit);
        Assert.Equal(ExpectedIterations(100, 7), ReadCsv(csv).Rows.Select(r => (int)r[0]));
    }

    [Fact]
    public async Task Same_seeds_give_identical_bytes_and_other_seeds_do_not()
    {
        using var folder = new TempFolder();
        string Csv(string name) => Path.Combine(folder.Path, name + ".csv");
        string[] Args(string name, params string[] extra) =>
            ["train", "--data", "digits", "--loss", "softmax", "--optimizer", "sgd", "--iterations", "200", "--momentum", "0.5", "--trace", Csv(name), .. extra];

        Assert.Equal(0, await LossnbApp.InvokeAsync(Args("a")));
        Assert.Equal(0, await LossnbApp.InvokeAsync(Args("b")));
        Assert.Equal(0, await LossnbApp.InvokeAsync(Args("seed", "--seed", "2")));
        Assert.Equal(0, await LossnbApp.InvokeAsync(Args("split", "--split-seed", "3")));

        Assert.Equal(File.ReadAllBytes(Csv("a")), File.ReadAllBytes(Csv("b")));
        Assert.NotEqual(File.ReadAllText(Csv("a")), File.ReadAllText(Csv("seed")));
        Assert.NotEqual(File.ReadAllText(Csv("a")), File.ReadAllText(Csv("split")));
    }

    [Fact]
    public async Task Timings_add_a_seconds_column()
    {
        using var folder = new TempFolder();
        string csv = Path.Combine(folder.Path, "t.csv");

        int exit = await LossnbApp.InvokeAsync(["train", "--data", "iris", "--loss", "hinge", "--optimizer", "local", "--iterations", "50", "--trace", csv, "--timings"]);

        Assert.Equal(0, exit);
        var (header, rows) = ReadCsv(csv);
        Assert.Equal(Header + ",seconds", header);
        Assert.All(rows, r => Assert.Equal(6, r.Length));
        var seconds = rows.Select(r => r[5]).ToList();
        Assert.True(seconds[0] >= 0);
        Assert.Equal(seconds.Order(), seconds); // wall time since the start never runs backwards
    }

    public static TheoryData<string, string> EveryOptimizerAndLoss()
    {
        var data = new TheoryData<string, string>();
        foreach (var optimizer in new[] { "random", "local", "gd", "sgd", "adam" })
            foreach (var loss in new[] { "hinge", "softmax", "brier" })
                data.Add(optimizer, loss);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryOptimizerAndLoss))]
    public async Task Every_optimizer_trains_on_iris_with_every_loss(string optimizer, string loss)
    {
        using var folder = new TempFolder();
        string csv = Path.Combine(folder.Path, "t.csv");

        int exit = await LossnbApp.InvokeAsync(["train", "--data", "iris", "--loss", loss, "--optimizer", optimizer, "--iterations", "20", "--trace", csv]);

        Assert.Equal(0, exit);
        var rows = ReadCsv(csv).Rows;
        // Local search spends its 20 evaluations as the start plus 19 candidates, so its last iteration is 19.
        Assert.Equal(optimizer == "local" ? 19 : 20, (int)rows[^1][0]);
        Assert.All(rows, r =>
        {
            Assert.All(r, v => Assert.True(double.IsFinite(v)));
            Assert.InRange(r[2], 0, 1);
            Assert.InRange(r[3], 0, 1);
        });
    }

    [Theory]
    [InlineData("--learning-rate", "--optimizer", "gd", "--learning-rate", "0")]
    [InlineData("--learning-rate", "--optimizer", "sgd", "--learning-rate", "NaN")]
    [InlineData("--learning-rate", "--optimizer", "random", "--learning-rate", "0.1")]
    [InlineData("--batch", "--optimizer", "sgd", "--batch", "5000")]
    [InlineData("--batch", "--optimizer", "random", "--batch", "0")]
    [InlineData("--batch", "--optimizer", "gd", "--batch", "32")]
    [InlineData("--momentum", "--optimizer", "sgd", "--momentum", "1")]
    [InlineData("--momentum", "--optimizer", "gd", "--momentum", "0.9")]
    [InlineData("--scale", "--optimizer", "random", "--scale", "0")]
    [InlineData("--step", "--optimizer", "local", "--step", "-1")]
    [InlineData("--lambda", "--optimizer", "gd", "--lambda", "-1")]
    [InlineData("--validation-fraction", "--optimizer", "gd", "--validation-fraction", "1")]
    [InlineData("--trace-every", "--optimizer", "gd", "--trace-every", "0")]
    [InlineData("--optimizer", "--optimizer", "rmsprop")]
    [InlineData("--beta1", "--optimizer", "sgd", "--beta1", "0.9")]
    [InlineData("--beta2", "--optimizer", "gd", "--beta2", "0.99")]
    [InlineData("--epsilon", "--optimizer", "sgd", "--momentum", "0.9", "--epsilon", "1e-8")]
    [InlineData("--momentum", "--optimizer", "adam", "--momentum", "0.9")]
    [InlineData("--beta1", "--optimizer", "adam", "--beta1", "1")]
    [InlineData("--beta2", "--optimizer", "adam", "--beta2", "-0.5")]
    [InlineData("--epsilon", "--optimizer", "adam", "--epsilon", "0")]
    [InlineData("--learning-rate", "--optimizer", "adam", "--learning-rate", "-1")]
    [InlineData("--batch", "--optimizer", "adam", "--batch", "0")]
    [InlineData("--loss", "--optimizer", "gd", "--loss", "squared")]
    [InlineData("--data", "--optimizer", "gd", "--data", "mnist")]
    [InlineData("--iterations", "--optimizer", "gd", "--iterations", "0")]
    [InlineData("--iterations", "--optimizer", "random", "--iterations", "0")]
    public void Bad_input_exits_2_with_one_line_naming_the_option_before_training(string option, params string[] args)
    {
        using var folder = new TempFolder();
        var (code, stdout, stderr) = Lossnb(folder.Path, WithDefaults(args));

        Assert.True(code == 2, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("lossnb train: ", line);
        Assert.Contains(option, line);
        Assert.DoesNotContain("iter ", stdout);
    }

    [Theory]
    [InlineData("--iterations", "train", "--data", "iris", "--loss", "hinge", "--optimizer", "gd")]
    [InlineData("--iterations", "train", "--data", "iris", "--loss", "hinge", "--optimizer", "gd", "--iterations", "ten")]
    [InlineData("--learning-rate", "train", "--data", "iris", "--loss", "hinge", "--optimizer", "gd", "--iterations", "5", "--learning-rate", "fast")]
    public void Parse_errors_also_exit_2_and_name_the_option(string option, params string[] args)
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = Lossnb(folder.Path, args);

        Assert.Equal(2, code);
        Assert.Contains(option, stderr);
    }

    [Theory]
    [InlineData("1e6")]   // the loss overflows first (the trace's finite-loss check)
    [InlineData("1e308")] // W or the scores overflow in one step (the optimizer's overflow checks)
    public void Divergence_exits_1_and_points_at_the_learning_rate(string learningRate)
    {
        using var folder = new TempFolder();
        string csv = Path.Combine(folder.Path, "t.csv");
        var (code, _, stderr) = Lossnb(folder.Path,
            "train", "--data", "digits", "--loss", "hinge", "--optimizer", "gd", "--iterations", "300", "--learning-rate", learningRate, "--trace", csv);

        Assert.True(code == 1, $"exit {code}\n{stderr}");
        Assert.Contains("diverged", stderr);
        Assert.Contains("--learning-rate", stderr);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void Redirected_output_prints_a_line_per_trace_point_and_a_summary()
    {
        using var folder = new TempFolder();
        string csv = Path.Combine(folder.Path, "t.csv");
        var (code, stdout, stderr) = Lossnb(folder.Path,
            "train", "--data", "iris", "--loss", "softmax", "--optimizer", "gd", "--iterations", "50", "--trace-every", "5", "--trace", csv);

        Assert.True(code == 0, stderr);
        var rows = ReadCsv(csv).Rows;
        var progress = stdout.Split('\n').Where(l => l.StartsWith("iter ", StringComparison.Ordinal)).ToList();
        Assert.Equal(rows.Select(r => $"{(int)r[0]}/50"), progress.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        Assert.All(progress, l => Assert.True(l.Length <= 100, $"progress line too long: {l}"));
        string summary = Assert.Single(stdout.Split('\n'), l => l.StartsWith("validation accuracy", StringComparison.Ordinal));
        double percent = double.Parse(summary.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
        Assert.Equal(rows[^1][3] * 100, percent, 0.051); // printed to one decimal
    }

    [Fact]
    public async Task Sigterm_cancels_the_run_with_a_message_and_no_trace()
    {
        using var folder = new TempFolder();
        string csv = Path.Combine(folder.Path, "t.csv");
        // A budget of hours; the test stops it at the first progress line.
        using var process = Start(folder.Path,
            "train", "--data", "digits", "--loss", "hinge", "--optimizer", "gd", "--iterations", "10000000", "--trace-every", "1000", "--trace", csv);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            string? line;
            do line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            while (line is not null && !line.StartsWith("iter ", StringComparison.Ordinal));
            Assert.NotNull(line);
            // SIGTERM rather than SIGINT: a child of a non-interactive shell's background job inherits SIGINT ignored.
            // Both reach the command the same way, as the cancelled token.
            Assert.Equal(0, kill(process.Id, 15));
            string rest = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            // 143 is also what an unhandled SIGTERM gives; the message is what shows the run was stopped, not killed.
            Assert.True(process.ExitCode == 143, $"exit {process.ExitCode}\n{rest}\n{await stderr}");
            Assert.Contains("lossnb train: cancelled", await stderr);
            Assert.False(File.Exists(csv));
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>The trace rule of Optimizers: a point at 0, at every multiple of k, and at the end.</summary>
    private static IEnumerable<int> ExpectedIterations(int iterations, int every) =>
        Enumerable.Range(0, iterations + 1).Where(t => t % every == 0 || t == iterations);

    private static string[] WithDefaults(string[] args)
    {
        // A valid command line, overridden by the case's own options (later values win here, not in System.CommandLine).
        var options = new Dictionary<string, string>
        {
            ["--data"] = "digits", ["--loss"] = "hinge", ["--optimizer"] = "gd", ["--iterations"] = "5",
        };
        var order = options.Keys.ToList();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!options.ContainsKey(args[i])) order.Add(args[i]);
            options[args[i]] = args[i + 1];
        }
        return ["train", .. order.SelectMany(o => new[] { o, options[o] })];
    }

    private static (string Header, List<double[]> Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllText(path).Split('\n');
        Assert.Equal("", lines[^1]); // ends with a newline
        var rows = lines[1..^1].Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (lines[0], rows);
    }

    private static Process Start(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
        };
        // The CLI the test project references, built alongside it in the same configuration.
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lossnb.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        return Process.Start(psi)!;
    }

    private static (int Code, string Stdout, string Stderr) Lossnb(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill();
            Assert.Fail($"lossnb {string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, stdout, stderr.Result);
    }
}

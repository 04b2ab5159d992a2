using BenchmarkDotNet.Running;
using LossNotebooks.Benchmarks.Linear;

// `side-by-side [workload ...] [--runs N]`: Stopwatch timings read by scripts/bench-side-by-side.sh (one RESULT line
// per workload). `digits [budget]`: the optimizers compared on digits at an equal number of loss evaluations.
// `draw-cost [runs]`: the cost breakdown of one random-search draw at seed 002's shape (docs/performance.md).
// Anything else goes to BenchmarkDotNet, which discovers every suite in this assembly, e.g.
//   dotnet run -c Release --project tests/LossNotebooks.Benchmarks -- --filter '*Linear*' --inProcess
// (--inProcess: BenchmarkDotNet's out-of-process toolchain generated a project that did not resolve this assembly's
// namespaces; the in-process toolchain measures the same, MemoryDiagnoser included.)
if (args.Length > 0 && args[0] == "side-by-side") return SideBySide.Run(args[1..]);
if (args.Length > 0 && args[0] == "digits") return DigitsComparison.Run(args[1..]);
if (args.Length > 0 && args[0] == "draw-cost") return DrawCost.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(SideBySide).Assembly).Run(args);
return 0;

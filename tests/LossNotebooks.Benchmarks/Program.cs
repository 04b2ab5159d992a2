using BenchmarkDotNet.Running;
using LossNotebooks.Benchmarks.Linear;

// `side-by-side [workload ...] [--runs N]`: Stopwatch timings read by scripts/bench-side-by-side.sh (one RESULT line per
// workload). Anything else goes to BenchmarkDotNet, which discovers every suite in this assembly.
if (args.Length > 0 && args[0] == "side-by-side") return SideBySide.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(SideBySide).Assembly).Run(args);
return 0;

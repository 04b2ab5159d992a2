using BenchmarkDotNet.Attributes;
using LossNotebooks.Losses;

namespace LossNotebooks.Benchmarks.Losses;

/// <summary>
/// Value + gradient + diagonal Hessian of the softmax losses at gradient-boosting scale (n = 100 000, c = 100 by
/// default), the fused single-softmax path, to compare with numpy doing the same (seeded data).
/// </summary>
[MemoryDiagnoser]
public class SoftmaxLossBenchmarks
{
    [Params(100_000)] public int N;
    [Params(100)] public int C;

    private double[] _z = [], _g = [], _d = [];
    private int[] _labels = [];
    private SoftmaxCrossEntropy _ce = null!;
    private WeightedBrier _brier = null!;

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(20261122);
        _z = new double[N * C];
        for (int k = 0; k < _z.Length; k++) _z[k] = 6 * r.NextDouble() - 3;
        _labels = new int[N];
        for (int i = 0; i < N; i++) _labels[i] = r.Next(C);
        _g = new double[N * C];
        _d = new double[N * C];
        _ce = new SoftmaxCrossEntropy(_labels, C);
        _brier = new WeightedBrier(_labels, C);
    }

    [Benchmark(Baseline = true)]
    public double CrossEntropyGradientAndDiagonal() => _ce.GradientAndDiagonalHessian(_z, _g, _d);

    [Benchmark]
    public double CrossEntropyKernel() => SoftmaxCrossEntropy.Kernel(_z, C, _labels, default, _g, _d);

    [Benchmark]
    public double BrierGradientAndDiagonal() => _brier.GradientAndDiagonalHessian(_z, _g, _d);

    [Benchmark]
    public double CrossEntropyValue() => _ce.Value(_z);
}

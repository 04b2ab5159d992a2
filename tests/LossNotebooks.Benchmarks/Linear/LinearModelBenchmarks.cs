using BenchmarkDotNet.Attributes;
using LossNotebooks.Data;
using LossNotebooks.Differentiation;
using LossNotebooks.Optimization;

namespace LossNotebooks.Benchmarks.Linear;

/// <summary>
/// The fused linear-model passes. "digits" shape (n = 1348, d = 64 + bias, c = 10) runs on the calling thread and must
/// allocate 0 B/op; the seeds' shape (n = 10000, d = 3073, c = 10) runs the fixed 8-block parallel split, whose only
/// allocations are Parallel.For's own bookkeeping (a few hundred bytes, independent of n and d).
/// </summary>
[MemoryDiagnoser]
public class LinearModelBenchmarks
{
    [Params("digits", "seeds")] public string Shape = "digits";

    private LinearClassifier _hinge = null!, _softmax = null!, _brier = null!;
    private double[] _w = [], _g = [], _draws = [], _losses = [];
    private int[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        double[] x; int[] y; int d;
        if (Shape == "digits")
        {
            var train = Datasets.Load("digits").Split(0.25, seed: 0).Standardized().Train;
            (x, y, d) = (train.X, train.Y, train.Features);
        }
        else
        {
            (x, y) = SideBySide.SeedData(10000, 3073, 10, 1);
            d = 3073;
        }
        bool bias = Shape == "digits";
        _hinge = new LinearClassifier(x, y, d, 10, LinearLoss.Hinge, 1e-3, bias);
        _softmax = new LinearClassifier(x, y, d, 10, LinearLoss.SoftmaxCrossEntropy, 1e-3, bias);
        _brier = new LinearClassifier(x, y, d, 10, LinearLoss.Brier, 1e-3, bias);
        _w = new double[_hinge.Parameters];
        Gaussian.Fill(new Random(2), _w, 1e-2);
        _g = new double[_w.Length];
        _draws = new double[10 * _w.Length];
        Gaussian.Fill(new Random(3), _draws, 1e-2);
        _losses = new double[10];
        _batch = Enumerable.Range(0, 256).Select(i => i * 5 % y.Length).ToArray();
        // Size the lazily allocated buffers (batch workspace, mini-batch model) outside the measured calls.
        _hinge.Values(_draws, _losses);
        _softmax.ValueAndGradient(_w, _g, _batch);
    }

    [Benchmark(Baseline = true)] public double HingeValueAndGradient() => _hinge.ValueAndGradient(_w, _g);
    [Benchmark] public double SoftmaxValueAndGradient() => _softmax.ValueAndGradient(_w, _g);
    [Benchmark] public double BrierValueAndGradient() => _brier.ValueAndGradient(_w, _g);
    [Benchmark] public double HingeValue() => _hinge.Value(_w);
    [Benchmark] public double SoftmaxMiniBatch256() => _softmax.ValueAndGradient(_w, _g, _batch);

    /// <summary>Ten random-search draws scored with one product.</summary>
    [Benchmark] public double HingeTenDraws() { _hinge.Values(_draws, _losses); return _losses[0]; }
}

/// <summary>Incremental vs plain every-entry numeric gradient of the SVM loss on a small model (n = 200, d = 64, c = 10).</summary>
[MemoryDiagnoser]
public class NumericGradientBenchmarks
{
    private LinearClassifier _model = null!;
    private double[] _w = [], _g = [];

    [GlobalSetup]
    public void Setup()
    {
        var (x, y) = SideBySide.SeedData(200, 64, 10, 7);
        _model = new LinearClassifier(x, y, 64, 10, LinearLoss.Hinge, 1e-3, bias: false);
        _w = new double[_model.Parameters];
        Gaussian.Fill(new Random(8), _w, 1e-4);
        _g = new double[_w.Length];
    }

    [Benchmark(Baseline = true)]
    public void Plain() => LinearNumericGradient.Plain(_model, _w, _g, DifferenceRule.Forward, StepSize.Absolute(1e-5));

    [Benchmark]
    public void Incremental() => LinearNumericGradient.Incremental(_model, _w, _g, DifferenceRule.Forward, StepSize.Absolute(1e-5));
}

using System.Globalization;
using System.Text;

namespace LossNotebooks.Optimization;

/// <summary>
/// One point of an optimizer's convergence trace. <see cref="Loss"/> is the full training objective L(W) at the current
/// (for the searches: best) W. <see cref="Evaluations"/> counts loss evaluations spent so far in full-data units: a
/// random-search draw or a local-search candidate is 1, a full-batch gradient step is 1 (one fused value + gradient
/// pass), a mini-batch step is batch/n. Trace bookkeeping itself is not counted. Validation accuracy is NaN without
/// validation data. <see cref="ElapsedSeconds"/> is wall time since the start (the only field that varies between seeded runs).
/// </summary>
public readonly record struct TracePoint(int Iteration, double Loss, double TrainAccuracy, double ValidationAccuracy, double Evaluations, double ElapsedSeconds)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"iter {Iteration,6}  loss {Loss,10:G6}  train {TrainAccuracy,6:P1}  val {ValidationAccuracy,6:P1}  evals {Evaluations,8:G5}  {ElapsedSeconds,7:F3} s");
}

/// <summary>What an optimizer returns: the final (best) weights and the whole trace.</summary>
public sealed class OptimizationResult
{
    internal OptimizationResult(string method, double[] weights, IReadOnlyList<TracePoint> trace)
    {
        Method = method;
        Weights = weights;
        Trace = trace;
    }

    /// <summary>e.g. "random search (1000 draws, scale 0.001)".</summary>
    public string Method { get; }
    /// <summary>(d+1)×c row-major, bias row last.</summary>
    public double[] Weights { get; }
    public IReadOnlyList<TracePoint> Trace { get; }
    public TracePoint Final => Trace[^1];

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Method);
        foreach (var p in Trace) sb.AppendLine(p.ToString());
        return sb.ToString();
    }
}

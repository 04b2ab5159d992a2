using System.Globalization;
using System.Net;
using System.Text;
using LossNotebooks.Display;

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

/// <summary>What an optimizer returns: the final (best) weights and the whole trace. Shows as a table in a notebook.</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class OptimizationResult : IRichDisplay
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

    /// <summary>The trace as an HTML table, thinned to at most <paramref name="maxRows"/> rows (first and last always kept).</summary>
    public string ToHtml(int maxRows)
    {
        var sb = new StringBuilder();
        sb.Append("<div><b>").Append(WebUtility.HtmlEncode(Method)).Append("</b><table><thead><tr>")
          .Append("<th>iteration</th><th>loss</th><th>train acc.</th><th>validation acc.</th><th>evaluations</th><th>seconds</th></tr></thead><tbody>");
        int step = Math.Max(1, (Trace.Count + Math.Max(1, maxRows) - 1) / Math.Max(1, maxRows));
        for (int t = 0; t < Trace.Count; t++)
        {
            if (t % step != 0 && t != Trace.Count - 1) continue;
            var p = Trace[t];
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{p.Iteration}</td><td>{p.Loss:G6}</td><td>{p.TrainAccuracy:P1}</td><td>{p.ValidationAccuracy:P1}</td><td>{p.Evaluations:G5}</td><td>{p.ElapsedSeconds:F3}</td></tr>"));
        }
        return sb.Append("</tbody></table></div>").ToString();
    }

    public string ToHtml() => ToHtml(20);
}

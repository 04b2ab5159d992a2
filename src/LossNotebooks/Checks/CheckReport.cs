using System.Text;
using LossNotebooks.Differentiation;
using LossNotebooks.Display;

using static LossNotebooks.Differentiation.TextTable;

namespace LossNotebooks.Checks;

/// <summary>
/// The result of a gradient or Hessian check: every checked entry, the worst ones (by error / tolerance), max and
/// median relative error, the method and step, and the verdict. Shows as a fixed-width text table (ToString) and as
/// an HTML table in a notebook. In one line: rel = |a − n| / max(|a|, |n|, tiny); pass ⇔ |a − n| ≤ atol + rtol·|n|.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class CheckReport : IRichDisplay
{
    internal CheckReport(string quantity, string method, CheckTolerance tolerance, int totalEntries, IReadOnlyList<CheckEntry> entries, int worstCount)
    {
        Quantity = quantity;
        Method = method;
        Tolerance = tolerance;
        TotalEntries = totalEntries;
        Entries = entries;
        Worst = entries.OrderByDescending(Badness).ThenBy(e => e.Index).Take(worstCount).ToArray();
        var rel = entries.Select(e => e.RelativeError).OrderBy(r => r).ToArray();
        MaxRelativeError = rel.Length == 0 ? 0 : rel[^1];
        MedianRelativeError = rel.Length == 0 ? 0 : rel.Length % 2 == 1 ? rel[rel.Length / 2] : 0.5 * (rel[rel.Length / 2 - 1] + rel[rel.Length / 2]);
        MaxAbsoluteError = entries.Count == 0 ? 0 : entries.Max(e => e.AbsoluteError);
        MinStep = entries.Count == 0 ? double.NaN : entries.Min(e => e.Step);
        MaxStep = entries.Count == 0 ? double.NaN : entries.Max(e => e.Step);
        Failures = entries.Count(e => e.Status == CheckStatus.Fail);
        Kinks = entries.Count(e => e.Status == CheckStatus.Kink);
    }

    /// <summary>"gradient", "Hessian diagonal", "Hessian", "Hessian row block 3".</summary>
    public string Quantity { get; }
    /// <summary>The rule and step, e.g. "central, h = ε^(1/3)·max(|x|,1)".</summary>
    public string Method { get; }
    public CheckTolerance Tolerance { get; }
    /// <summary>Entries of the quantity (all, even when only a sample was checked).</summary>
    public int TotalEntries { get; }
    /// <summary>The checked entries, in index order.</summary>
    public IReadOnlyList<CheckEntry> Entries { get; }
    /// <summary>The worst entries by |a − n| / (atol + rtol·|n|).</summary>
    public IReadOnlyList<CheckEntry> Worst { get; }
    public double MaxRelativeError { get; }
    public double MedianRelativeError { get; }
    public double MaxAbsoluteError { get; }
    public double MinStep { get; }
    public double MaxStep { get; }
    public int Failures { get; }
    /// <summary>Entries outside tolerance whose perturbation crosses a kink (not counted as failures).</summary>
    public int Kinks { get; }
    /// <summary>No entry failed (kinks excepted).</summary>
    public bool Passed => Failures == 0;

    private double Badness(CheckEntry e) => e.AbsoluteError / Math.Max(Tolerance.Atol + Tolerance.Rtol * Math.Abs(e.Numeric), 1e-300);

    /// <summary>The entry at (row, column), or null when it was not sampled.</summary>
    public CheckEntry? At(int row, int column) => Entries.FirstOrDefault(e => e.Row == row && e.Column == column);

    public string Verdict => Passed
        ? (Kinks > 0 ? $"PASS ({Kinks} at kinks)" : "PASS")
        : $"FAIL: {Failures} of {Entries.Count} outside tolerance" + (Kinks > 0 ? $", {Kinks} at kinks" : "");

    public string Summary =>
        Inv($"{Quantity} check: {Verdict} — checked {Entries.Count} of {TotalEntries}; {Method} (h ∈ [{MinStep:G3}, {MaxStep:G3}]); ") +
        Inv($"{Tolerance}; max rel {MaxRelativeError:E2}, median rel {MedianRelativeError:E2}, max abs {MaxAbsoluteError:E2}");

    public const string Formula = "rel = |a − n| / max(|a|, |n|, tiny);  pass ⇔ |a − n| ≤ atol + rtol·|n|;  kink ⇔ a perturbation crosses a kink";

    /// <summary>How many of the worst rows a passing report prints (a failing one prints all of <see cref="Worst"/>).</summary>
    public const int PassingRowsShown = 3;

    private IEnumerable<CheckEntry> Shown => Passed ? Worst.Take(PassingRowsShown) : Worst;

    private (string[] Headers, List<string[]> Rows) WorstTable()
    {
        string[] headers = ["entry", "analytic", "numeric", "abs error", "rel error", "err/tol", "status"];
        var rows = Shown.Select(e => new[]
        {
            e.Position, TextTable.Full(e.Analytic), TextTable.Full(e.Numeric), TextTable.Num(e.AbsoluteError),
            TextTable.Num(e.RelativeError), (Badness(e)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), e.Status.ToString().ToLowerInvariant(),
        }).ToList();
        return (headers, rows);
    }

    public override string ToString()
    {
        var (h, r) = WorstTable();
        var sb = new StringBuilder();
        sb.Append(Summary).Append('\n').Append(Formula).Append('\n');
        if (r.Count > 0) sb.Append($"worst {r.Count}:\n").Append(TextTable.Text(h, r));
        return sb.ToString();
    }

    public string ToHtml()
    {
        var (h, r) = WorstTable();
        string color = Passed ? "#1a7f37" : "#cf222e";
        var sb = new StringBuilder("<div class=\"lossnb-check\">");
        sb.Append($"<div><b style=\"color:{color}\">{System.Net.WebUtility.HtmlEncode(Verdict)}</b> — ")
          .Append(System.Net.WebUtility.HtmlEncode(Summary[(Summary.IndexOf('—') + 2)..])).Append("</div>");
        sb.Append("<div style=\"font-family:monospace\">").Append(System.Net.WebUtility.HtmlEncode(Formula)).Append("</div>");
        sb.Append(TextTable.Html(h, r, $"{Quantity}: worst {r.Count} entries",
            i => Worst[i].Status switch { CheckStatus.Fail => "background:#ffebe9", CheckStatus.Kink => "background:#fff8c5", _ => null }));
        return sb.Append("</div>").ToString();
    }
}

using System.Net;
using System.Text.RegularExpressions;
using LossNotebooks.Checks;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// A <see cref="CheckReport"/> built from entries written here, so every number it derives (worst order, max and
/// median relative error, step range, counts) and every part of its text can be worked out by hand.
/// Tolerance atol 0.1, rtol 0.1: an entry's allowed error is 0.1 + 0.1·|numeric|, its badness |a − n| / that.
/// </summary>
public class CheckReportTests
{
    private static readonly CheckTolerance Tol = new(0.1, 0.1);

    private static CheckEntry E(int index, int row, int column, double analytic, double numeric, double abs, double rel, double step,
        CheckStatus status) => new(index, row, column, analytic, numeric, abs, rel, step, status == CheckStatus.Kink, status);

    // Badness: e0 0.5/0.2 = 2.5, e1 2/(0.1 + 0.9) = 2.0 (the largest |a − n|, but a large |n|), e2 0.05/0.1 = 0.5,
    // e3 0.5/0.2 = 2.5 (ties e0: index order), e4 0.1/0.3 ≈ 0.33 (below e2). Relative errors sorted: 0.125, 0.25, 0.5, 1, 4.
    private static CheckReport Failing(int worstCount = 3) => new("gradient", "central, h = test", Tol, 10,
    [
        E(0, 0, 0, 1.5, 1.0, 0.5, 0.125, 0.001, CheckStatus.Fail),
        E(1, 0, 1, -7.0, -9.0, 2.0, 4.0, 0.004, CheckStatus.Fail),
        E(2, 1, 0, 0.05, 0.0, 0.05, 1.0, 0.002, CheckStatus.Pass),
        E(3, 1, 1, 0.5, 1.0, 0.5, 0.5, 0.003, CheckStatus.Kink),
        E(4, 2, 0, 2.1, 2.0, 0.1, 0.25, 0.0025, CheckStatus.Pass),
    ], worstCount);

    // Four passing entries (an even count for the median): relative errors sorted 0.125, 0.25, 0.5, 1 → median 0.375.
    private static CheckReport Passing(CheckStatus second = CheckStatus.Pass) => new("Hessian", "central, h = test", Tol, 4,
    [
        E(0, -1, -1, 1.0, 1.0, 0.0, 0.125, 0.01, CheckStatus.Pass),
        E(1, -1, -1, 1.0, 1.0, 0.0, 1.0, 0.01, second),
        E(2, -1, -1, 1.0, 1.0, 0.0, 0.5, 0.01, CheckStatus.Pass),
        E(3, -1, -1, 1.0, 1.0, 0.0, 0.25, 0.01, CheckStatus.Pass),
    ], 10);

    private static CheckReport Empty() => new("gradient", "central", Tol, 3, [], 10);

    [Fact]
    public void Worst_entries_are_ordered_by_error_over_tolerance_then_by_index_and_cut_to_the_count()
    {
        Assert.Equal([0, 3, 1], Failing().Worst.Select(e => e.Index).ToArray());
        Assert.Equal([0, 3, 1, 2, 4], Failing(10).Worst.Select(e => e.Index).ToArray());
        Assert.Empty(Failing(0).Worst);
    }

    [Fact]
    public void Summary_numbers_are_the_max_median_and_ranges_of_the_entries()
    {
        var r = Failing();
        Assert.Equal(4.0, r.MaxRelativeError);
        Assert.Equal(0.5, r.MedianRelativeError);     // odd count: the middle one
        Assert.Equal(2.0, r.MaxAbsoluteError);
        Assert.Equal(0.001, r.MinStep);
        Assert.Equal(0.004, r.MaxStep);
        Assert.Equal(2, r.Failures);
        Assert.Equal(1, r.Kinks);
        Assert.False(r.Passed);
        Assert.Equal(10, r.TotalEntries);
        var p = Passing();
        Assert.Equal(1.0, p.MaxRelativeError);
        Assert.Equal(0.375, p.MedianRelativeError);   // even count: the mean of the middle two
        Assert.True(p.Passed);
        Assert.Equal(0, p.Kinks);
    }

    [Fact]
    public void An_empty_report_passes_with_zero_errors_and_no_step_range()
    {
        var r = Empty();
        Assert.Equal(0.0, r.MaxRelativeError);
        Assert.Equal(0.0, r.MedianRelativeError);
        Assert.Equal(0.0, r.MaxAbsoluteError);
        Assert.True(double.IsNaN(r.MinStep));
        Assert.True(double.IsNaN(r.MaxStep));
        Assert.True(r.Passed);
        Assert.Equal("PASS", r.Verdict);
        Assert.DoesNotContain("worst", r.ToString());   // no table without rows
    }

    [Fact]
    public void Verdict_counts_failures_and_kinks()
    {
        Assert.Equal("FAIL: 2 of 5 outside tolerance, 1 at kinks", Failing().Verdict);
        Assert.Equal("PASS", Passing().Verdict);
        Assert.Equal("PASS (1 at kinks)", Passing(CheckStatus.Kink).Verdict);
        Assert.Equal("FAIL: 1 of 4 outside tolerance", Passing(CheckStatus.Fail).Verdict);
    }

    [Fact]
    public void At_finds_the_entry_by_row_and_column_or_null()
    {
        var r = Failing();
        Assert.Equal(1, r.At(0, 1)!.Index);
        Assert.Equal(2, r.At(1, 0)!.Index);
        Assert.Equal(3, r.At(1, 1)!.Index);
        Assert.Null(r.At(2, 1));
    }

    [Fact]
    public void Position_is_the_flat_index_or_row_and_column()
    {
        Assert.Equal("[7]", E(7, -1, -1, 0, 0, 0, 0, 1, CheckStatus.Pass).Position);
        Assert.Equal("[0,3]", E(3, 0, 3, 0, 0, 0, 0, 1, CheckStatus.Pass).Position);
        Assert.Equal("[2,1]", E(9, 2, 1, 0, 0, 0, 0, 1, CheckStatus.Pass).Position);
    }

    [Fact]
    public void Summary_names_quantity_verdict_counts_method_step_range_tolerance_and_errors()
    {
        string s = Failing().Summary;
        Assert.StartsWith("gradient check: FAIL: 2 of 5 outside tolerance, 1 at kinks — ", s);
        Assert.Contains("checked 5 of 10", s);
        Assert.Contains("central, h = test (h ∈ [0.001, 0.004])", s);
        Assert.Contains("atol 0.1, rtol 0.1", s);
        Assert.Contains("max rel 4.00E+000", s);
        Assert.Contains("median rel 5.00E-001", s);
        Assert.Contains("max abs 2.00E+000", s);
    }

    private static string[][] TableRows(string text) =>
        text.Split('\n').SkipWhile(l => !l.StartsWith("entry", StringComparison.Ordinal)).Skip(2).Where(l => l.Length > 0)
            .Select(l => Regex.Split(l.Trim(), @"\s{2,}")).ToArray();

    [Fact]
    public void Text_of_a_failing_report_lists_every_worst_entry_with_its_numbers()
    {
        string text = Failing().ToString();
        var lines = text.Split('\n');
        Assert.Equal(Failing().Summary, lines[0]);
        Assert.Equal(CheckReport.Formula, lines[1]);
        Assert.Equal("worst 3:", lines[2]);
        foreach (var h in new[] { "entry", "analytic", "numeric", "abs error", "rel error", "err/tol", "status" })
            Assert.Contains(h, lines[3]);
        Assert.Equal(
        [
            ["[0,0]", "1.500000000E+00", "1.000000000E+00", "5E-01", "1.25E-01", "2.50", "fail"],
            ["[1,1]", "5.000000000E-01", "1.000000000E+00", "5E-01", "5E-01", "2.50", "kink"],
            ["[0,1]", "-7.000000000E+00", "-9.000000000E+00", "2E+00", "4E+00", "2.00", "fail"],
        ], TableRows(text));
    }

    [Fact]
    public void A_passing_report_shows_only_its_three_worst_rows()
    {
        string text = Passing().ToString();
        Assert.Contains("\nworst 3:\n", text);
        Assert.Equal(3, TableRows(text).Length);
        Assert.Contains("worst 3 entries", Passing().ToHtml());
        // A failing one shows all of Worst.
        Assert.Equal(5, TableRows(Failing(10).ToString()).Length);
    }

    [Fact]
    public void Html_colours_the_verdict_and_the_failing_and_kink_rows()
    {
        string html = Failing().ToHtml();
        Assert.StartsWith("<div class=\"lossnb-check\">", html);
        Assert.EndsWith("</div>", html);
        Assert.Equal(Regex.Matches(html, "<div").Count, Regex.Matches(html, "</div>").Count);
        Assert.Contains("<b style=\"color:#cf222e\">FAIL: 2 of 5 outside tolerance, 1 at kinks</b> — checked 5 of 10;", html);
        Assert.Contains(WebUtility.HtmlEncode(CheckReport.Formula), html);
        Assert.Contains("<caption>gradient: worst 3 entries</caption>", html);
        // Rows in Worst order: fail, kink, fail.
        Assert.Equal(2, Regex.Matches(html, "<tr style=\"background:#ffebe9\">").Count);
        Assert.Single(Regex.Matches(html, "<tr style=\"background:#fff8c5\">"));
        string pass = Passing().ToHtml();
        Assert.Contains("<b style=\"color:#1a7f37\">PASS</b> — checked 4 of 4;", pass);
        Assert.DoesNotContain("<tr style", pass);
        Assert.Equal(1 + 3, Regex.Matches(pass, "<tr>").Count);   // the header row and three plain rows
    }
}

using LossNotebooks.Differentiation;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>The table renderer of sweeps and check reports: alignment, HTML structure, number formats.</summary>
public class TextTableTests
{
    [Fact]
    public void Text_pads_columns_left_aligning_words_and_right_aligning_numbers()
    {
        // Widths 9 and 6; "name"/"value"/"a"/"long name" are words, "1.5", "-2E-03", "∞" and "NaN" numbers.
        string text = TextTable.Text(["name", "value"], [["a", "1.5"], ["long name", "-2E-03"], ["∞", "NaN"]]);
        Assert.Equal(
            "name       value \n" +
            "---------  ------\n" +
            "a             1.5\n" +
            "long name  -2E-03\n" +
            "        ∞     NaN\n", text);
    }

    [Fact]
    public void Html_encodes_cells_marks_numbers_and_styles_rows()
    {
        string html = TextTable.Html(["a", "b<"], [["x", "1"], ["y&", "∞"]], "c<1", i => i == 1 ? "color:red" : null);
        Assert.Equal(
            "<table class=\"lossnb-table\"><caption>c&lt;1</caption>" +
            "<thead><tr><th>a</th><th>b&lt;</th></tr></thead><tbody>" +
            "<tr><td>x</td><td style=\"text-align:right;font-family:monospace\">1</td></tr>" +
            "<tr style=\"color:red\"><td>y&amp;</td><td style=\"text-align:right;font-family:monospace\">∞</td></tr>" +
            "</tbody></table>", html);
        Assert.DoesNotContain("<caption>", TextTable.Html(["a"], [["x"]]));
    }

    [Fact]
    public void Number_formats()
    {
        Assert.Equal("NaN", TextTable.Num(double.NaN));
        Assert.Equal("∞", TextTable.Num(double.PositiveInfinity));
        Assert.Equal("1.5E-08", TextTable.Num(1.5e-8));
        Assert.Equal("-2.25E+03", TextTable.Num(-2250));
        Assert.Equal("1.500000000E+00", TextTable.Full(1.5));
        Assert.Equal("-3.141592654E+00", TextTable.Full(-Math.PI));
        // −0 prints as 0: an analytic −0 next to a numeric +0 must not look like a sign disagreement.
        Assert.Equal("0.000000000E+00", TextTable.Full(-0.0));
        Assert.Equal("0.000000000E+00", TextTable.Full(0.0));
    }
}

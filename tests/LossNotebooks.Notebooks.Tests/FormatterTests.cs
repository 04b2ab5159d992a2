using LossNotebooks.Notebooks.Formatting;
using LossNotebooks.Notebooks.Kernel;
using LossNotebooks.Notebooks.Tests.Convention;

namespace LossNotebooks.Notebooks.Tests;

public class FormatterTests
{
    [Fact]
    public void Convention_formatters_emit_every_mime_type_they_produce()
    {
        var bundle = ValueFormatter.Format(new TestFigure("loss"));
        Assert.Equal(["application/vnd.plotly.v1+json", "text/html", "text/plain"], bundle.Keys);
        Assert.Equal("<div class=\"fig\">loss</div>", bundle["text/html"]);
        Assert.Equal("{\"data\":[],\"layout\":{\"title\":\"loss\"}}", bundle["application/vnd.plotly.v1+json"]);
        Assert.Equal("Figure 'loss'", bundle["text/plain"]);
    }

    [Fact]
    public void Convention_is_found_on_a_base_class()
    {
        Assert.Equal("<div class=\"fig\">d</div>", ValueFormatter.Format(new DerivedFigure("d"))["text/html"]);
    }

    [Fact]
    public void Requested_mime_types_restrict_the_bundle()
    {
        Assert.Equal(["text/html"], ValueFormatter.Format(new TestFigure("x"), ["text/html"]).Keys);
    }

    [Theory]
    [InlineData(null, "<null>")]
    [InlineData("text", "text")]
    [InlineData(0.1, "0.1")]
    [InlineData(42, "42")]
    public void Plain_values_are_text(object? value, string expected)
    {
        Assert.Equal(new Dictionary<string, string> { ["text/plain"] = expected }, ValueFormatter.Format(value));
    }

    [Fact]
    public void Collections_and_tuples_are_readable_text()
    {
        Assert.Equal("[ 1, 2.5, <null> ]", ValueFormatter.PlainText(new object?[] { 1, 2.5, null }));
        Assert.Equal("{ a: 1 }", ValueFormatter.PlainText(new Dictionary<string, int> { ["a"] = 1 }));
        Assert.Equal("(1, x)", ValueFormatter.PlainText((1, "x")));
        Assert.Equal("[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, ... ]",
            ValueFormatter.PlainText(Enumerable.Range(0, 100)));
    }

    [Fact]
    public void Html_is_text_html()
    {
        var bundle = ValueFormatter.Format(new HtmlString("<b>x</b>"));
        Assert.Equal(new Dictionary<string, string> { ["text/html"] = "<b>x</b>" }, bundle);
    }
}

using LossNotebooks.Figures;

namespace LossNotebooks.Tests.Figures;

public sealed class FigureHtmlTests
{
    private static Figure Small()
    {
        var f = new Figure { Title = "small" };
        f.Add(new LineTrace([1, 2], [3, 4]));
        return f;
    }

    [Fact]
    public void Cdn_fragment_loads_plotly_through_one_shared_promise()
    {
        string html = FigureHtml.Fragment(Small(), PlotlyJsSource.Cdn());
        Assert.Contains($"https://cdn.plot.ly/plotly-{PlotlyJsSource.Version}.min.js", html);
        Assert.Contains("window.__lossnbPlotly = window.__lossnbPlotly ||", html);
        Assert.Contains(Small().ToJson(), html);
        Assert.Equal(1, CountOf(html, $"plotly-{PlotlyJsSource.Version}.min.js\""));  // the script URL once (the AMD path lacks ".js")
    }

    private static int CountOf(string s, string what)
    {
        int n = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    [Fact]
    public void Inline_bundle_is_emitted_once_per_process_until_reset()
    {
        const string bundle = "/* fake plotly bundle 42 */ window.Plotly = {};";
        var source = PlotlyJsSource.Inline(bundle);
        lock (typeof(FigureHtml))
        {
            FigureHtml.ResetInlineBundle();
            string first = FigureHtml.Fragment(Small(), source), second = FigureHtml.Fragment(Small(), source);
            Assert.Contains("fake plotly bundle 42", first);
            Assert.DoesNotContain("fake plotly bundle 42", second);
            FigureHtml.ResetInlineBundle();
            Assert.Contains("fake plotly bundle 42", FigureHtml.Fragment(Small(), source));
            FigureHtml.ResetInlineBundle();
        }
    }

    [Fact]
    public void Standalone_page_escapes_script_terminators_in_the_bundle()
    {
        string page = FigureHtml.Standalone(Small(), "var s = '</script>';");
        Assert.Contains("var s = '<\\/script>';", page);
        Assert.StartsWith("<!DOCTYPE html>", page);
    }

    [Fact]
    public void Missing_plotly_file_says_how_to_install_it()
    {
        var dir = Directory.CreateTempSubdirectory("lossnb-noplotly").FullName;
        string? saved = Environment.GetEnvironmentVariable(PlotlyJsSource.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(PlotlyJsSource.EnvironmentVariable, Path.Combine(dir, "missing.js"));
            var e = Assert.Throws<FileNotFoundException>(() => PlotlyJsSource.Locate(dir));
            Assert.Contains("npm ci", e.Message);
            Assert.Contains("missing.js", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(PlotlyJsSource.EnvironmentVariable, saved);
            Directory.Delete(dir, true);
        }
    }
}

namespace LossNotebooks.Figures;

/// <summary>
/// Notebook formatters for <see cref="Figure"/>, found by the kernel through <c>[TypeFormatterSource]</c>:
/// text/html (interactive plot), text/plain (summary) and <see cref="PlotlyMimeType"/> (the figure JSON, from
/// which the runner / CLI make static SVG/PNG outputs).
/// </summary>
public sealed class FigureFormatterSource
{
    /// <summary>The Plotly figure JSON mime type (Jupyter/nteract convention).</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    public System.Collections.IEnumerable CreateTypeFormatters()
    {
        yield return new HtmlFormatter();
        yield return new PlainTextFormatter();
        yield return new PlotlyJsonFormatter();
    }

    public sealed class HtmlFormatter
    {
        public string MimeType => "text/html";

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not Figure figure) return false;
            writer.Write(figure.ToHtml());
            return true;
        }
    }

    public sealed class PlainTextFormatter
    {
        public string MimeType => "text/plain";

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not Figure figure) return false;
            writer.Write(figure.ToString());
            return true;
        }
    }

    public sealed class PlotlyJsonFormatter
    {
        public string MimeType => PlotlyMimeType;

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not Figure figure) return false;
            writer.Write(figure.ToJson());
            return true;
        }
    }
}

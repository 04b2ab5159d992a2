namespace LossNotebooks.Notebooks.Tests.Convention;

// The convention, declared in the test assembly exactly as a library would (no shared type with the runner).
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;
}

public sealed class FigureFormatterSource
{
    public System.Collections.IEnumerable CreateTypeFormatters()
    {
        yield return new Formatter("text/html", f => $"<div class=\"fig\">{f.Title}</div>");
        yield return new Formatter("application/vnd.plotly.v1+json", f => $"{{\"data\":[],\"layout\":{{\"title\":\"{f.Title}\"}}}}");
        yield return new Formatter("text/plain", f => $"Figure '{f.Title}'");
        yield return new Formatter("text/markdown", _ => null); // declines: must not appear in the bundle
    }

    public sealed class Formatter(string mimeType, Func<TestFigure, string?> render)
    {
        public string MimeType => mimeType;

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not TestFigure figure || render(figure) is not { } text) return false;
            writer.Write(text);
            return true;
        }
    }
}

[TypeFormatterSource(typeof(FigureFormatterSource))]
public class TestFigure(string title)
{
    public string Title { get; } = title;
}

/// <summary>Inherits the formatters of its base class.</summary>
public sealed class DerivedFigure(string title) : TestFigure(title);

namespace LossNotebooks.Display;

/// <summary>Creates the convention-based formatters (text/html, text/plain) for every <see cref="IRichDisplay"/>.</summary>
public sealed class RichDisplayFormatterSource
{
    public System.Collections.IEnumerable CreateTypeFormatters()
    {
        yield return new HtmlFormatter();
        yield return new PlainTextFormatter();
    }

    public sealed class HtmlFormatter
    {
        public string MimeType => "text/html";

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not IRichDisplay display) return false;
            writer.Write(display.ToHtml());
            return true;
        }
    }

    public sealed class PlainTextFormatter
    {
        public string MimeType => "text/plain";

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not IRichDisplay) return false;
            writer.Write(instance.ToString());
            return true;
        }
    }
}

namespace LossNotebooks.Display;

/// <summary>
/// Creates the convention-based formatters (text/html, text/plain) for every <see cref="IRichDisplay"/>, plus the
/// machine-readable step record (<c>application/vnd.lossnb.step+json</c>) that a derivation step carries so that
/// <c>lossnb check</c> can read it back out of an executed notebook.
/// </summary>
public sealed class RichDisplayFormatterSource
{
    public System.Collections.IEnumerable CreateTypeFormatters()
    {
        yield return new HtmlFormatter();
        yield return new MarkdownFormatter();
        yield return new PlainTextFormatter();
        yield return new StepJsonFormatter();
    }

    public sealed class StepJsonFormatter
    {
        public string MimeType => Derivations.StepResult.MimeType;

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not Derivations.StepResult step) return false;
            writer.Write(step.ToRecord().ToJson());
            return true;
        }
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

    public sealed class MarkdownFormatter
    {
        public string MimeType => "text/markdown";

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not IMarkdownDisplay display) return false;
            writer.Write(display.ToMarkdown());
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

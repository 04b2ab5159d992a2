namespace LossNotebooks.Display;

/// <summary>
/// A value that knows how to show itself in a notebook. <see cref="object.ToString"/> is the text/plain form;
/// <see cref="ToHtml"/> the text/html form. Types implementing it carry
/// <c>[TypeFormatterSource(typeof(RichDisplayFormatterSource))]</c> so the kernel finds the formatters.
/// </summary>
public interface IRichDisplay
{
    /// <summary>An HTML fragment (no &lt;html&gt; wrapper) that renders this value.</summary>
    string ToHtml();
}

/// <summary>
/// A value that also shows itself as Markdown (text/markdown), for output that carries LaTeX: VS Code's notebook
/// renderer and Jupyter both typeset $$…$$ in a Markdown output, neither does in text/html.
/// </summary>
public interface IMarkdownDisplay
{
    string ToMarkdown();
}

using LossNotebooks.Notebooks.Execution;
using LossNotebooks.Notebooks.Formatting;

namespace LossNotebooks.Notebooks.Kernel;

/// <summary>
/// Globals every cell sees, named as the Polyglot C# kernel names them, so <c>display(x)</c> and
/// <c>HTML("...")</c> compile identically in VS Code and here. Lower-case names are the kernel's API.
/// </summary>
public class ScriptGlobals
{
#pragma warning disable IDE1006 // kernel naming
    /// <summary>Shows <paramref name="value"/> as a display_data output (restricted to <paramref name="mimeTypes"/> when given).</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes) => CellContext.Require().Display(value, mimeTypes);
#pragma warning restore IDE1006

    /// <summary>Raw HTML that displays as text/html.</summary>
    public HtmlString HTML(string html) => new(html);
}

/// <summary><c>x.Display()</c>, as in the kernel (the namespace is one of the script's default usings).</summary>
public static class DisplayExtensions
{
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) =>
        CellContext.Require().Display(value, mimeTypes);
}

/// <summary>An HTML fragment; formatted as text/html only.</summary>
public sealed class HtmlString(string html)
{
    public string Html { get; } = html ?? throw new ArgumentNullException(nameof(html));

    public override string ToString() => Html;
}

/// <summary>The handle display(...) returns; <see cref="Update"/> replaces the shown value in place, as in the kernel.</summary>
public sealed class DisplayedValue
{
    private readonly DisplayOutput _output;
    private readonly string[] _mimeTypes;

    internal DisplayedValue(DisplayOutput output, string[] mimeTypes)
    {
        _output = output;
        _mimeTypes = mimeTypes;
    }

    public void Update(object? value) => _output.Replace(ValueFormatter.Format(value, _mimeTypes));
}

namespace LossNotebooks.Display;

/// <summary>
/// The convention the Polyglot C# kernel (and our headless runner) looks for by name: a type carrying an
/// attribute called exactly <c>TypeFormatterSourceAttribute</c> is formatted by the formatters its source creates.
/// Declaring it here keeps the library free of any reference to the kernel.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    public Type FormatterSourceType { get; }

    public string[] PreferredMimeTypes { get; set; } = ["text/html", "text/plain"];
}

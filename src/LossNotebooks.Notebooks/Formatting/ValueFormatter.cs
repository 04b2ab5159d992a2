using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using LossNotebooks.Notebooks.Kernel;

namespace LossNotebooks.Notebooks.Formatting;

/// <summary>
/// Turns a value into a MIME bundle the way the kernel does, without referencing any library: a type (or base
/// type, or interface) carrying an attribute named exactly "TypeFormatterSourceAttribute" names a formatter
/// source; its CreateTypeFormatters() objects each have <c>string MimeType</c> and
/// <c>bool Format(object, TextWriter)</c>. Every MIME type they produce is emitted. Everything else is text/plain.
/// </summary>
public static class ValueFormatter
{
    private const int MaxItems = 20;
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Formatter>> Cache = new();

    private sealed record Formatter(string MimeType, Func<object, TextWriter, bool> Format);

    public static IDictionary<string, string> Format(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        var bundle = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (value is HtmlString html)
        {
            bundle["text/html"] = html.Html; // as the kernel's IHtmlContent: HTML only
            return bundle;
        }
        if (value is not null)
        {
            foreach (var formatter in FormattersFor(value.GetType()))
            {
                if (mimeTypes is { Count: > 0 } && !mimeTypes.Contains(formatter.MimeType)) continue;
                if (bundle.ContainsKey(formatter.MimeType)) continue;
                using var writer = new StringWriter(CultureInfo.InvariantCulture);
                if (formatter.Format(value, writer)) bundle[formatter.MimeType] = writer.ToString();
            }
        }
        // Every bundle gets text/plain (viewers without HTML need it) unless the caller restricted the types.
        if (!bundle.ContainsKey("text/plain") && (mimeTypes is not { Count: > 0 } || mimeTypes.Contains("text/plain") || bundle.Count == 0))
            bundle["text/plain"] = PlainText(value);
        return bundle;
    }

    /// <summary>The kernel-like plain text of a value: strings as is, sequences as "[ a, b ]", null as "&lt;null&gt;".</summary>
    public static string PlainText(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        IFormattable f when value.GetType().IsPrimitive || value is decimal => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary d => "{ " + string.Join(", ", Take(Entries(d).Select(e => $"{PlainText(e.Key)}: {PlainText(e.Value)}"))) + " }",
        IEnumerable e when !HasOwnToString(value.GetType()) => "[ " + string.Join(", ", Take(e.Cast<object?>().Select(PlainText))) + " ]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static IEnumerable<DictionaryEntry> Entries(IDictionary dictionary)
    {
        var e = dictionary.GetEnumerator(); // the non-generic enumerator yields DictionaryEntry for every IDictionary
        while (e.MoveNext()) yield return e.Entry;
    }

    private static IEnumerable<string> Take(IEnumerable<string> items)
    {
        int n = 0;
        foreach (var item in items)
        {
            if (n++ == MaxItems) { yield return "..."; yield break; }
            yield return item;
        }
    }

    // Collections that override ToString (rare) know best how to print themselves.
    private static bool HasOwnToString(Type type)
    {
        var method = type.GetMethod(nameof(ToString), Type.EmptyTypes);
        return method is not null && method.DeclaringType != typeof(object) && !method.DeclaringType!.Namespace!.StartsWith("System", StringComparison.Ordinal);
    }

    private static IReadOnlyList<Formatter> FormattersFor(Type type) => Cache.GetOrAdd(type, Discover);

    private static IReadOnlyList<Formatter> Discover(Type type)
    {
        foreach (var candidate in Hierarchy(type))
        {
            foreach (var attribute in candidate.GetCustomAttributes(inherit: false))
            {
                var attributeType = attribute.GetType();
                if (attributeType.Name != "TypeFormatterSourceAttribute") continue;
                var sourceType = attributeType.GetProperty("FormatterSourceType")?.GetValue(attribute) as Type
                    ?? throw new InvalidOperationException($"{attributeType.FullName} on {candidate} has no FormatterSourceType.");
                return Load(sourceType);
            }
        }
        return [];
    }

    private static IEnumerable<Type> Hierarchy(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType) yield return t;
        foreach (var i in type.GetInterfaces()) yield return i;
    }

    private static IReadOnlyList<Formatter> Load(Type sourceType)
    {
        var source = Activator.CreateInstance(sourceType)
            ?? throw new InvalidOperationException($"Cannot create formatter source {sourceType}.");
        var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)
            ?? throw new InvalidOperationException($"{sourceType} has no public CreateTypeFormatters().");
        var formatters = new List<Formatter>();
        foreach (var f in (IEnumerable?)create.Invoke(source, null) ?? Array.Empty<object>())
        {
            if (f is null) continue;
            var ft = f.GetType();
            var mime = ft.GetProperty("MimeType")?.GetValue(f) as string
                ?? throw new InvalidOperationException($"Formatter {ft} has no string MimeType.");
            var format = ft.GetMethod("Format", [typeof(object), typeof(TextWriter)])
                ?? throw new InvalidOperationException($"Formatter {ft} has no bool Format(object, TextWriter).");
            formatters.Add(new Formatter(mime, (value, writer) => Invoke(format, f, value, writer)));
        }
        return formatters;
    }

    private static bool Invoke(MethodInfo format, object formatter, object value, TextWriter writer)
    {
        try { return format.Invoke(formatter, [value, writer]) is true; }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}

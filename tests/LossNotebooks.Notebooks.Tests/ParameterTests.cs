using System.Text.Json.Nodes;
using LossNotebooks.Cli;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>`lossnb run --param NAME=VALUE`: the cell tagged parameters, the injected cell after it, and what is refused.</summary>
public class ParameterTests
{
    private const string Knobs = "const int n = 3;      // try: 5\ndouble rate = 0.5;\nstring label = \"a\";\ndouble[] xs = [1.0, 2.0];\nvar inferred = 1;";

    /// <summary>A notebook whose first cell is tagged parameters (when <paramref name="tagged"/>) and whose later cells print the knobs.</summary>
    private static string Notebook(bool tagged = true)
    {
        var json = JsonNode.Parse(TestNotebooks.Ipynb(
            Knobs,
            "Console.WriteLine($\"n={n} rate={rate.ToString(System.Globalization.CultureInfo.InvariantCulture)} label={label} xs={string.Join(\";\", xs)}\");",
            // A const computed from a const: compiled against the redeclared n.
            "const int twice = n * 2;\nConsole.WriteLine($\"twice={twice}\");"))!;
        if (tagged) json["cells"]![0]!["metadata"]!["tags"] = new JsonArray("parameters");
        return json.ToJsonString();
    }

    private static string Stdout(JsonNode cell) => string.Concat(cell["outputs"]!.AsArray().Select(o => o!["text"] is { } t ? NotebookJson.JoinMultiline(t) : ""));

    [Fact]
    public async Task Injected_values_replace_the_defaults_on_the_kernel_and_are_recorded()
    {
        using var folder = new TempFolder();
        string source = folder.Write("nb/probe.ipynb", Notebook());
        string before = File.ReadAllText(source);
        string outDir = Path.Combine(folder.Path, "out");

        int exit = await LossnbApp.InvokeAsync(["run", source, "--out", outDir, "--param", "n=7", "--param", "rate=1e-3",
            "--param", "label=x \"y\"", "--param", "xs=3,-4.5"]);

        var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "notebooks", "probe.ipynb")))!;
        var cells = executed["cells"]!.AsArray();
        Assert.True(exit == 0, executed.ToJsonString());
        // The injected cell sits right after the parameters cell, tagged, declaring the values with their types.
        Assert.Equal(4, cells.Count);
        Assert.Equal("injected-parameters", cells[1]!["metadata"]!["tags"]![0]!.GetValue<string>());
        Assert.Contains("const int n = 7;\ndouble rate = 0.001;\nstring label = \"x \\\"y\\\"\";\ndouble[] xs = new double[] { 3, -4.5 };",
            NotebookJson.JoinMultiline(cells[1]!["source"]));
        // Later cells see the new values, a const computed from the redeclared const included.
        Assert.Equal("n=7 rate=0.001 label=x \"y\" xs=3;-4.5\n", Stdout(cells[2]!));
        Assert.Equal("twice=14\n", Stdout(cells[3]!));
        var recorded = executed["metadata"]!["lossnb"]!["parameters"]!;
        Assert.Equal(7, recorded["n"]!.GetValue<int>());
        Assert.Equal(0.001, recorded["rate"]!.GetValue<double>());
        Assert.Equal("x \"y\"", recorded["label"]!.GetValue<string>());
        Assert.Equal([3, -4.5], recorded["xs"]!.AsArray().Select(v => v!.GetValue<double>()));
        // The source notebook is untouched.
        Assert.Equal(before, File.ReadAllText(source));

        // Without --param: the defaults, no injected cell, nothing recorded.
        string plain = Path.Combine(folder.Path, "plain");
        Assert.Equal(0, await LossnbApp.InvokeAsync(["run", source, "--out", plain]));
        var defaults = JsonNode.Parse(File.ReadAllText(Path.Combine(plain, "notebooks", "probe.ipynb")))!;
        Assert.Equal(3, defaults["cells"]!.AsArray().Count);
        Assert.Equal("n=3 rate=0.5 label=a xs=1;2\n", Stdout(defaults["cells"]![1]!));
        Assert.Null(defaults["metadata"]!["lossnb"]);
    }

    [Theory]
    [InlineData("n=1.5")]          // not an int
    [InlineData("rate=fast")]      // not a double
    [InlineData("rate=NaN")]       // not finite
    [InlineData("xs=1,x")]         // an element not a double
    [InlineData("nn=1")]           // unknown
    [InlineData("inferred=2")]     // declared with var: no type to parse by
    [InlineData("n")]              // no value
    public async Task A_bad_value_or_unknown_name_is_exit_2_with_nothing_written(string param)
    {
        using var folder = new TempFolder();
        string source = folder.Write("nb/probe.ipynb", Notebook());
        string outDir = Path.Combine(folder.Path, "out");

        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", source, "--out", outDir, "--param", param]));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_notebook_without_a_parameters_cell_is_exit_2()
    {
        using var folder = new TempFolder();
        string source = folder.Write("nb/probe.ipynb", Notebook(tagged: false));
        string outDir = Path.Combine(folder.Path, "out");
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", source, "--out", outDir, "--param", "n=1"]));
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(2, await LossnbApp.InvokeAsync(["run", source, "--out", outDir, "--param", "n=1", "--param", "n=2"]));
    }

    [Fact]
    public void Messages_name_the_parameter_its_type_and_the_known_ones()
    {
        using var folder = new TempFolder();
        string Message(params string[] args)
        {
            var doc = NotebookDocument.Load(folder.Write("probe.ipynb", Notebook()));
            var e = Assert.Throws<ParameterException>(() => NotebookParameters.Inject(doc, NotebookParameters.ParseArguments(args)));
            Assert.Equal(3, doc.Cells.Count); // nothing inserted
            Assert.False(doc.Metadata.ContainsKey("lossnb"));
            return e.Message;
        }
        string notInt = Message("n=1.5");
        Assert.Contains("n=1.5", notInt);
        Assert.Contains("is not an int", notInt);
        Assert.Contains("'const int'", notInt);
        Assert.EndsWith("declare n (int), rate (double), label (string), xs (double[]), inferred (var)", Message("nn=1"));
        Assert.Contains("declared as 'var'", Message("inferred=2"));
        Assert.Contains("not a double that is finite", Message("rate=Infinity"));
        Assert.Contains("true or false", Assert.Throws<ParameterException>(() => NotebookParameters.Inject(
            NotebookDocument.Load(folder.Write("b.ipynb", BoolNotebook())), [new("on", "yes")])).Message);
    }

    private static string BoolNotebook()
    {
        var json = JsonNode.Parse(TestNotebooks.Ipynb("bool on = false; long big = 1; float f = 1; decimal m = 1;"))!;
        json["cells"]![0]!["metadata"]!["tags"] = new JsonArray("parameters");
        return json.ToJsonString();
    }

    [Fact]
    public void Literals_keep_the_declared_type_and_every_declarator_is_found()
    {
        using var folder = new TempFolder();
        var doc = NotebookDocument.Load(folder.Write("b.ipynb", BoolNotebook()));
        NotebookParameters.Inject(doc, [new("on", "True"), new("big", "-9000000000"), new("f", "0.25"), new("m", "1.10")]);
        Assert.Equal("// Injected by lossnb run --param: replaces the default above.\nbool on = true;\nlong big = -9000000000L;\nfloat f = 0.25F;\ndecimal m = 1.10M;",
            doc.Cells[1].Source);
        Assert.Equal(
            [new("a", "int", true), new("b", "int", true), new("w", "double[]", false), new("s", "string", false)],
            NotebookParameters.Declared("const int a = 1, b = a * 2;   // try: 3, 4\n/* double no = 1; */ double[] w = new double[] { 1, 2 };\nstring s = \"x; int y = 2\";\nConsole.WriteLine(a);"));
        Assert.Equal("\"tab\\there \\\\ \\u0001\"", NotebookParameters.StringLiteral("tab\there \\ \u0001"));
    }
}

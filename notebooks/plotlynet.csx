#nullable enable
// Plotly.NET in LossNotebooks notebooks (VS Code Polyglot C# kernel and `lossnb run`).
//
// A .csx cannot restore NuGet packages, so the notebook cell that loads this file starts with the packages:
//
//     #r "nuget: Plotly.NET.Interactive, 6.0.0"
//     #r "nuget: Plotly.NET.CSharp, 0.14.0"
//     #load "plotlynet.csx"
//
// (after `#load "lossnb.csx"`, before any cell that mentions a Plotly.NET type). This file does three things.

// 1. FSharp.Core. Plotly.NET 6.0.0, Plotly.NET.Interactive 6.0.0, Plotly.NET.CSharp 0.14.0 and DynamicObj are compiled
//    against FSharp.Core 10.1.0.0. The .NET Interactive tool ships and has already loaded FSharp.Core 10.0.0.0 into the
//    default load context, and it does not load the package's newer copy next to it: the first Plotly.NET call fails
//    with "FileNotFoundException: Could not load file or assembly 'FSharp.Core, Version=10.1.0.0 ...'". The default
//    context asks its Resolving event as a last resort; answering with the kernel's own FSharp.Core binds Plotly.NET
//    to 10.0.0.0, which has every member Plotly.NET uses. (AppDomain.AssemblyResolve is not enough: with it, the first
//    cell that names an FSharp.Core type fails with MissingMethodException.)
var lossnbKernelFSharpCore = AppDomain.CurrentDomain.GetAssemblies().First(a =>
    a.GetName().Name == "FSharp.Core"
    && System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(a) == System.Runtime.Loader.AssemblyLoadContext.Default);
System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += (_, name) => name.Name == "FSharp.Core" ? lossnbKernelFSharpCore : null;

// 2. Static images. Plotly.NET.Interactive shows a chart as text/html only (plotly.js from a CDN). Every GenericChart
//    now also carries its figure JSON as application/vnd.plotly.v1+json, so `lossnb run` adds SVG and PNG outputs
//    and files for Plotly.NET charts exactly as for the library's own figures.
Microsoft.DotNet.Interactive.Formatting.Formatter.Register<Plotly.NET.GenericChart>(
    (chart, writer) => writer.Write(Plotly.NET.GenericChart.toFigureJson(chart)),
    LossNotebooks.Figures.FigureFormatterSource.PlotlyMimeType);
Microsoft.DotNet.Interactive.Formatting.Formatter.SetPreferredMimeTypesFor(typeof(Plotly.NET.GenericChart),
    "text/html", LossNotebooks.Figures.FigureFormatterSource.PlotlyMimeType);

// 3. figure.ToGenericChart(): any library figure as a Plotly.NET chart, to restyle with Plotly.NET's API. The figure's
//    JSON is read back into Plotly.NET's dynamic objects; axes, titles, fonts, legends, markers and lines become their
//    typed Plotly.NET classes so that WithXAxisStyle, WithTitle, WithLegendStyle, ... merge into them.
//    Not carried over: animation frames and sliders (a GenericChart has no frames; the chart shows the opening frame).
static object? LossnbPlotlyValue(System.Text.Json.Nodes.JsonNode? node, string key) => node switch
{
    System.Text.Json.Nodes.JsonObject o => LossnbPlotlyFill(LossnbPlotlyObjectFor(key), o),
    System.Text.Json.Nodes.JsonArray a => a.Select(item => LossnbPlotlyValue(item, "")).ToArray(),
    System.Text.Json.Nodes.JsonValue v => v.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.Number => v.GetValue<double>(),
        System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.False => false,
        _ => null,
    },
    _ => null,
};

static DynamicObj.DynamicObj LossnbPlotlyObjectFor(string key) => key switch
{
    _ when System.Text.RegularExpressions.Regex.IsMatch(key, "^[xy]axis[0-9]*$") => new Plotly.NET.LayoutObjects.LinearAxis(),
    "title" => new Plotly.NET.Title(),
    "font" or "textfont" => new Plotly.NET.Font(),
    "legend" => new Plotly.NET.LayoutObjects.Legend(),
    "marker" => new Plotly.NET.TraceObjects.Marker(),
    "line" => new Plotly.NET.Line(),
    _ => new DynamicObj.DynamicObj(),
};

static T LossnbPlotlyFill<T>(T target, System.Text.Json.Nodes.JsonObject o) where T : DynamicObj.DynamicObj
{
    foreach (var (k, v) in o)
        if (v is not null && k != "frames" && k != "sliders") target.SetProperty(k, LossnbPlotlyValue(v, k));
    return target;
}

/// <summary>Plotly figure JSON ({"data": [...], "layout": {...}}) as a Plotly.NET chart.</summary>
static Plotly.NET.GenericChart ChartFromPlotlyJson(string figureJson)
{
    var root = System.Text.Json.Nodes.JsonNode.Parse(figureJson)?.AsObject()
        ?? throw new ArgumentException("figureJson is not a JSON object.", nameof(figureJson));
    var traces = (root["data"]?.AsArray() ?? throw new ArgumentException("figureJson has no \"data\" array.", nameof(figureJson)))
        .Select(t => (Plotly.NET.Trace)LossnbPlotlyFill(new Plotly.NET.Trace2D(t?["type"]?.GetValue<string>() ?? "scatter"), t!.AsObject()))
        .ToList();
    var chart = Plotly.NET.GenericChart.ofTraceObjects(false, traces);
    if (root["layout"] is System.Text.Json.Nodes.JsonObject layout)
        chart = Plotly.NET.GenericChart.setLayout(LossnbPlotlyFill(new Plotly.NET.Layout(), layout), chart);
    return chart;
}

/// <summary>The library figure as a Plotly.NET chart (data and layout; animation frames are not carried over).</summary>
static Plotly.NET.GenericChart ToGenericChart(this LossNotebooks.Figures.Figure figure) => ChartFromPlotlyJson(figure.ToJson());

// 4. chart.WithDecadeTicks(): the house rule for log axes on a Plotly.NET chart (its With...Style methods have no
//    dtick). plotly labels 2 and 5 between decades as bare digits ("10, 5, 2, 1, 5, 2, 10⁻¹"); this labels decades
//    only (10⁻⁸, 10⁻⁶, …), every label with its exponent, and leaves the 2…9 minor ticks unlabelled.
static Plotly.NET.GenericChart WithDecadeTicks(this Plotly.NET.GenericChart chart)
{
    var root = System.Text.Json.Nodes.JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(chart))!.AsObject();
    if (root["layout"] is System.Text.Json.Nodes.JsonObject layout)
        foreach (var (key, axis) in layout.ToList())
            if (System.Text.RegularExpressions.Regex.IsMatch(key, "^[xy]axis[0-9]*$") && axis is System.Text.Json.Nodes.JsonObject a
                && a["type"]?.GetValue<string>() == "log" && a["tickvals"] is null)
            {
                a["tickmode"] = "linear"; a["tick0"] = 0; a["dtick"] = 1; a["exponentformat"] = "power";
                a["minor"] = new System.Text.Json.Nodes.JsonObject { ["ticks"] = "outside", ["ticklen"] = 4, ["showgrid"] = false };
            }
    return ChartFromPlotlyJson(root.ToJsonString());
}

// 5. chart.WithFileName("name"): the name `lossnb run` gives the chart's SVG/PNG files (00-name.png), as Figure.Name
//    does for the library's figures; without it the files are named after the chart's title.
static Plotly.NET.GenericChart WithFileName(this Plotly.NET.GenericChart chart, string name)
{
    if (!System.Text.RegularExpressions.Regex.IsMatch(name ?? "", "^[a-z0-9]+(-[a-z0-9]+)*$"))
        throw new ArgumentException($"name \"{name}\" must be lower-case ASCII words joined by '-'.", nameof(name));
    var root = System.Text.Json.Nodes.JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(chart))!.AsObject();
    var layout = root["layout"] as System.Text.Json.Nodes.JsonObject ?? new System.Text.Json.Nodes.JsonObject();
    root["layout"] = layout;
    layout["meta"] = new System.Text.Json.Nodes.JsonObject { ["lossnbName"] = name };
    return ChartFromPlotlyJson(root.ToJsonString());
}

using System.CommandLine;
using LossNotebooks.Export;
using LossNotebooks.Figures;
using LossNotebooks.Optimization;

namespace LossNotebooks.Cli.Commands;

/// <summary>
/// `lossnb figures --out DIR`: exports every ready-made figure (FigureGallery) and one chart built with Plotly.NET
/// (PlotlyNetGallery) as HTML (plotly.js inlined), SVG and PNG.
/// </summary>
public static class FiguresCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "Folder for the figure files",
            DefaultValueFactory = _ => Path.Combine("artifacts", "figures", "gallery"),
        };
        var scale = new Option<double>("--scale")
        {
            Description = "PNG scale factor (2 = double resolution)",
            DefaultValueFactory = _ => 2,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed for the random inputs behind the figures",
            DefaultValueFactory = _ => FigureGallery.DefaultSeed,
        };
        var command = new Command("figures", "Export the ready-made figures to HTML, SVG and PNG files") { output, scale, seed };
        command.SetAction(async (parse, ct) =>
        {
            double s = parse.GetValue(scale);
            if (!(s > 0) || s > 8)
            {
                Stdio.Error.WriteLine($"--scale must be in (0, 8], got {s}");
                return 2;
            }
            var dir = Path.GetFullPath(parse.GetValue(output)!);
            var figures = FigureGallery.Build(parse.GetValue(seed));
            try
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await using var exporter = await FigureExporter.StartAsync(cancellationToken: ct);
                double startSeconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                var files = (await exporter.ExportManyAsync(figures, dir, s, progress: new ImmediateProgress<string>(line => Stdio.Out.WriteLine($"  {line}")), cancellationToken: ct)).ToList();
                Stdio.Out.WriteLine($"  {PlotlyNetGallery.Name} (Plotly.NET)");
                files.AddRange(await exporter.ExportJsonAsync(PlotlyNetGallery.FiniteDifferenceJson(), dir, PlotlyNetGallery.Name, s,
                    title: "Finite-difference error of d/dx exp(x), drawn with Plotly.NET", cancellationToken: ct));
                Stdio.Out.WriteLine($"wrote {files.Count} files for {figures.Count + 1} figures to {dir}");
                double exportSeconds = clock.Elapsed.TotalSeconds;
                Stdio.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"browser start {startSeconds:F1} s; export {exportSeconds:F1} s, {exportSeconds / (figures.Count + 1):F2} s per figure (HTML + SVG + PNG)"));
                return 0;
            }
            catch (FigureExportException e)
            {
                Stdio.Error.WriteLine($"lossnb figures: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}

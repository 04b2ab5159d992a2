using System.CommandLine;
using LossNotebooks.Export;
using LossNotebooks.Figures;
using LossNotebooks.Optimization;

namespace LossNotebooks.Cli.Commands;

/// <summary>`lossnb figures --out DIR`: exports every ready-made figure (FigureGallery) as HTML, SVG and PNG.</summary>
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
                Console.Error.WriteLine($"--scale must be in (0, 8], got {s}");
                return 2;
            }
            var dir = Path.GetFullPath(parse.GetValue(output)!);
            var figures = FigureGallery.Build(parse.GetValue(seed));
            try
            {
                await using var exporter = await FigureExporter.StartAsync(cancellationToken: ct);
                var files = await exporter.ExportManyAsync(figures, dir, s, progress: new ImmediateProgress<string>(line => Console.WriteLine($"  {line}")), cancellationToken: ct);
                Console.WriteLine($"wrote {files.Count} files for {figures.Count} figures to {dir}");
                return 0;
            }
            catch (FigureExportException e)
            {
                Console.Error.WriteLine($"lossnb figures: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}

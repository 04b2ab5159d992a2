using LossNotebooks.Differentiation;
using LossNotebooks.Figures;
using Plotly.NET.CSharp;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace LossNotebooks.Cli;

/// <summary>
/// The Plotly.NET route of `lossnb figures`: a chart built with Plotly.NET's C# API from the same library data as the
/// ready-made figures, handed to the project's exporter as figure JSON. (This is a normal .NET process, so
/// Plotly.NET's FSharp.Core 10.1 loads as is; notebooks need plotlynet.csx for that.)
/// </summary>
public static class PlotlyNetGallery
{
    /// <summary>File name (without extension) of the Plotly.NET chart in the gallery.</summary>
    public const string Name = "plotlynet-fd-error-exp";

    /// <summary>Forward, central and 5-point central difference errors of d/dx exp at 0.5 on log–log axes, as Plotly.NET figure JSON.</summary>
    public static string FiniteDifferenceJson()
    {
        var sweep = StepSweep.Run(Math.Exp, 0.5, derivative: Math.Exp(0.5));
        var lines = new[] { SweepMethod.Forward, SweepMethod.Central, SweepMethod.FivePointCentral }.Select(method =>
        {
            var curve = sweep[method];
            // A log axis cannot show an error of exactly 0.
            var kept = Enumerable.Range(0, sweep.Steps.Length).Where(i => curve.Error[i] > 0).ToArray();
            return PlotlyChart.Line<double, double, string>(
                x: kept.Select(i => sweep.Steps[i]), y: kept.Select(i => curve.Error[i]), Name: curve.Label, ShowMarkers: true);
        });
        var chart = PlotlyChart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: "step size h", AxisType: Plotly.NET.StyleParam.AxisType.Log)
            .WithYAxisStyle<double, double, string>(TitleText: "|estimate − exact|", AxisType: Plotly.NET.StyleParam.AxisType.Log)
            .WithLegendStyle(Orientation: Plotly.NET.StyleParam.Orientation.Horizontal, X: 0.0, Y: -0.25)
            .WithSize(Width: HouseStyle.Width, Height: 520);
        return Plotly.NET.GenericChart.toFigureJson(chart);
    }
}

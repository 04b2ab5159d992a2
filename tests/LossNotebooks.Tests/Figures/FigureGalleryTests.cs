using LossNotebooks.Differentiation;
using LossNotebooks.Figures;

namespace LossNotebooks.Tests.Figures;

public class FigureGalleryTests
{
    [Fact]
    public void Every_gallery_figure_has_a_distinct_name_and_traces()
    {
        var figures = FigureGallery.Build();
        Assert.Equal(figures.Count, figures.Select(f => f.Key).Distinct().Count());
        Assert.All(figures, f => Assert.Contains("\"data\"", f.Value.ToJson()));
    }

    [Fact]
    public void Same_seed_gives_identical_bytes_and_another_seed_changes_the_data()
    {
        var a = FigureGallery.Build(7).Select(f => f.Value.ToJson()).ToList();
        var b = FigureGallery.Build(7).Select(f => f.Value.ToJson()).ToList();
        var c = FigureGallery.Build(8).Select(f => f.Value.ToJson()).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Sweep_figure_leaves_out_an_exact_rule_with_a_note()
    {
        // The complex step of x ↦ x is exact for every h (Im(x + ih)/h = h/h = 1): zero error cannot sit on a log axis.
        var sweep = StepSweep.Run(x => x, 0.5, derivative: 1, complexF: z => z);
        var figure = sweep.ToFigure([SweepMethod.Central, SweepMethod.ComplexStep]);
        Assert.Contains("not drawn: complex step", figure.ToHtml()); // the caption under the plot
        Assert.Throws<ArgumentException>(() => sweep.ToFigure([SweepMethod.ComplexStep]));
    }
}

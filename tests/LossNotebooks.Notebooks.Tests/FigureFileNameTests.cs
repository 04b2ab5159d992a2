using LossNotebooks.Cli;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>Figure files are named by cell, output and the figure's title, so a folder of PNGs says what each shows.</summary>
public class FigureFileNameTests
{
    [Theory]
    [InlineData("""{"layout":{"title":{"text":"Multiclass hinge: analytic vs numeric ∂L/∂s (central, h = 1e-5)"}}}""", "-multiclass-hinge-analytic-vs-numeric-l")]
    [InlineData("""{"layout":{"title":"Error <b>against</b> h"}}""", "-error-against-h")]
    [InlineData("""{"layout":{}}""", "")]
    [InlineData("""{"layout":{"title":{"text":"∂²L"}}}""", "-l")]
    [InlineData("not json", "")]
    public void The_title_becomes_a_short_ascii_slug(string json, string slug) => Assert.Equal(slug, FigureImageEnricher.TitleSlug(json));
}

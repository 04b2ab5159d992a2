using LossNotebooks.Cli;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// Figure files are named by the notebook's number and what the figure shows (its Name, else its title), not by cell
/// position, so a folder of PNGs says what each shows and the names survive moved cells.
/// </summary>
public class FigureFileNameTests
{
    [Theory]
    [InlineData("""{"layout":{"title":{"text":"Multiclass hinge: analytic vs numeric ∂L/∂s (central, h = 1e-5)"}}}""", "-multiclass-hinge-analytic-vs-numeric-l")]
    [InlineData("""{"layout":{"title":"Error <b>against</b> h"}}""", "-error-against-h")]
    [InlineData("""{"layout":{}}""", "")]
    [InlineData("""{"layout":{"title":{"text":"∂²L"}}}""", "-l")]
    [InlineData("not json", "")]
    public void The_title_becomes_a_short_ascii_slug(string json, string slug) => Assert.Equal(slug, FigureImageEnricher.TitleSlug(json));

    [Theory]
    [InlineData("05-random-search-vs-gradient-descent", """{"layout":{"title":{"text":"Digits, hinge loss"},"meta":{"lossnbName":"convergence-digits"}}}""", "05-convergence-digits")]
    [InlineData("05b-optimizers-up-close", """{"layout":{"title":{"text":"Paths on Rosenbrock"}}}""", "05b-paths-on-rosenbrock")]
    [InlineData("00-getting-started", """{"layout":{}}""", "00-figure")]
    // A name that is no safe file name is ignored (the title is used).
    [InlineData("06-warp-loss", """{"layout":{"title":"Slice","meta":{"lossnbName":"../x"}}}""", "06-slice")]
    public void The_file_stem_is_the_notebook_number_and_the_figure_name(string notebook, string json, string stem) =>
        Assert.Equal(stem, FigureImageEnricher.FileStem(notebook, json, new HashSet<string>()));

    [Fact]
    public void A_repeated_name_gets_a_counter_in_cell_order()
    {
        const string json = """{"layout":{"meta":{"lossnbName":"v-curves"}}}""";
        var used = new HashSet<string>();
        foreach (var expected in new[] { "04-v-curves", "04-v-curves-2", "04-v-curves-3" })
        {
            string stem = FigureImageEnricher.FileStem("04-step-size", json, used);
            Assert.Equal(expected, stem);
            used.Add(stem);
        }
    }
}

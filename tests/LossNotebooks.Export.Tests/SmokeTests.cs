namespace LossNotebooks.Export.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SmokeTests(ExporterFixture fixture)
{
    [Fact]
    public async Task Writes_every_sample_to_tmp()
    {
        foreach (var (name, fig) in SampleFigures.All())
            await fixture.Exporter.ExportAsync(fig, "/tmp/lossnb-figures", name);
    }
}

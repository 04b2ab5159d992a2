namespace LossNotebooks.Export.Tests;

/// <summary>
/// One browser for all browser tests. If Chromium or plotly.js is missing, StartAsync throws a
/// FigureExportException saying what to install, and every test using the fixture FAILS with that message.
/// </summary>
public sealed class ExporterFixture : IAsyncLifetime
{
    private FigureExporter? _exporter;

    public FigureExporter Exporter => _exporter ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync() => _exporter = await FigureExporter.StartAsync();

    public async Task DisposeAsync()
    {
        if (_exporter is not null) await _exporter.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ExporterFixture>
{
    public const string Name = "browser";
}

namespace LossNotebooks.Notebooks.Execution;

/// <summary>Where an output came from, for enrichers that write files or name things.</summary>
public sealed record OutputContext(string NotebookPath, int CellIndex, int OutputIndex, string? OutputDirectory);

/// <summary>
/// Post-processing of every display_data / execute_result bundle after its cell ran, before the notebook is
/// written: e.g. add image/svg+xml or image/png next to application/vnd.plotly.v1+json so static viewers
/// (nbconvert, GitHub) show the figure. Values are text; JSON MIME types hold JSON text; images are base64
/// (PNG) or SVG markup. Throwing fails the cell with the exception as its error output.
/// </summary>
public interface IOutputEnricher
{
    Task EnrichAsync(IDictionary<string, string> mimeBundle, OutputContext context, CancellationToken cancellationToken);
}

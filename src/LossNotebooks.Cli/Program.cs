using LossNotebooks.Cli;

// `lossnb`: each command lives in Commands/ and is registered in LossnbApp with one line.
// Every Plotly figure a notebook displays also gets a static SVG/PNG (in the notebook and as files).
await using var figureImages = new FigureImageEnricher();
LossnbApp.Enrichers.Add(figureImages);
return await LossnbApp.InvokeAsync(args);

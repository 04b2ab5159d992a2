using LossNotebooks.Cli;

// `lossnb`: each command lives in Commands/ and is registered in LossnbApp with one line.
return await LossnbApp.InvokeAsync(args);

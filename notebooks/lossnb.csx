// Loads the LossNotebooks library into a notebook, identically in VS Code (Polyglot C# kernel) and `lossnb run`.
// Relative paths resolve against this file's folder. Build first: dotnet build src/LossNotebooks -c Release
#r "../src/LossNotebooks/bin/Release/net10.0/MathNet.Numerics.dll"
#r "../src/LossNotebooks/bin/Release/net10.0/System.Numerics.Tensors.dll"
#r "../src/LossNotebooks/bin/Release/net10.0/LossNotebooks.dll"

#!/usr/bin/env bash
# The test command: set-up, every test project, then every notebook headless, the executed notebooks validated
# by Jupyter's own tools, the seed audit, and the ready-made figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build LossNotebooks.sln -c Release --no-restore --verbosity quiet
dotnet test LossNotebooks.sln -c Release --no-build --verbosity quiet --logger "console;verbosity=minimal"
lossnb() { dotnet src/LossNotebooks.Cli/bin/Release/net10.0/lossnb.dll "$@"; }
out=artifacts/ci
rm -rf "$out"
lossnb run notebooks --out "$out"
scripts/validate-notebooks.sh "$out/notebooks"
lossnb check --markdown "$out/audit.md"
lossnb figures --out "$out/figures/gallery"
echo "test.sh: all tests, notebooks, audit and figures passed"

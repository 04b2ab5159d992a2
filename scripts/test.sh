#!/usr/bin/env bash
# The test command: set-up, every test project, then the notebooks and the audit as CI runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build LossNotebooks.sln -c Release --no-restore --verbosity quiet
dotnet test LossNotebooks.sln -c Release --no-build --verbosity quiet

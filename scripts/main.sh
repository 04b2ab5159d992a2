#!/usr/bin/env bash
# The main job: set-up, then execute every notebook headless on the kernel (the pinned .NET Interactive tool) on the
# bundled data with the exercise solutions filled in, writing executed notebooks to artifacts/notebooks/ and their
# figures (SVG + PNG) to artifacts/figures/<notebook>/, the seed audit to artifacts/audit.md, plus the figure gallery.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build LossNotebooks.sln -c Release --no-restore --verbosity quiet
lossnb() { dotnet src/LossNotebooks.Cli/bin/Release/net10.0/lossnb.dll "$@"; }
lossnb run notebooks --out artifacts --solutions
lossnb check --from artifacts/notebooks --markdown artifacts/audit.md
lossnb figures --out artifacts/figures/gallery

#!/usr/bin/env bash
# The test command: set-up, every test project, then every notebook on the kernel (the pinned .NET Interactive
# tool) through `lossnb run` with the exercise solutions filled in and through Jupyter as shipped, the executed
# notebooks validated by Jupyter's own tools, the seed audit read from the executed notebooks, and the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build LossNotebooks.sln -c Release --no-restore --verbosity quiet
dotnet test LossNotebooks.sln -c Release --no-build --verbosity quiet --logger "console;verbosity=minimal"
# The SIMD kernels pick 512-bit code where AVX-512 exists; run their suites once more with it off so the 256-bit
# fallback (what most machines run) is tested here too.
DOTNET_EnableAVX512=0 dotnet test tests/LossNotebooks.Tests -c Release --no-build --verbosity quiet \
  --filter "FullyQualifiedName~Optimization|FullyQualifiedName~RandomSearch|FullyQualifiedName~Losses"
lossnb() { dotnet src/LossNotebooks.Cli/bin/Release/net10.0/lossnb.dll "$@"; }
out=artifacts/ci
rm -rf "$out"
lossnb run notebooks --out "$out" --solutions --junit "$out/junit.xml"
scripts/validate-notebooks.sh "$out/notebooks"
# Every notebook as a .NET 10 file-based app (generated, never edited), run with `dotnet run`: each app's derivation
# steps equal the executed notebook's (same ids and verdicts, bit-equal max |Δ|). Figures as JSON only here: the figure
# files themselves are checked below for the notebooks and in AppExportTests for an app.
lossnb export notebooks --to app --out "$out/apps" --compare "$out/notebooks" --no-figures
# Every number of 3+ significant digits that a markdown cell quotes is in an output of the same notebook (or marked
# as a constant: a code span or a trailing †).
/usr/bin/python3 scripts/prose-numbers.py --self-test
/usr/bin/python3 scripts/prose-numbers.py "$out/notebooks"
# The executed notebooks exported to HTML (nbconvert, and lossnb export's Markdown through pandoc), opened in Chromium
# with no network: every formula typeset, no raw TeX, every figure of the Markdown loaded.
LOSSNB_HTML_NOTEBOOKS="$PWD/$out/notebooks" dotnet test tests/LossNotebooks.Export.Tests -c Release --no-build --verbosity quiet \
  --filter "FullyQualifiedName~NotebookHtmlMathTests.Every_formula|FullyQualifiedName~MarkdownExportBrowserTests"
# Every displayed figure was exported next to the executed notebooks, and the executed notebooks embed it. The cell
# after each cell that displayed one is its caption ("*Figure…"): NotebookStructureTests finds those cells from the
# source alone; this checks the same against what the kernel displayed.
/usr/bin/python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
for nb in sorted((out / "notebooks").glob("*.ipynb")):
    cells = json.load(open(nb))["cells"]
    data = [o.get("data", {}) for c in cells for o in c.get("outputs", [])]
    figures = [d for d in data if "application/vnd.plotly.v1+json" in d]
    missing = [d for d in figures if "image/svg+xml" not in d or "image/png" not in d]
    files = list((out / "figures" / nb.stem).glob("*.png")) + list((out / "figures" / nb.stem).glob("*.svg"))
    if missing or len(files) != 2 * len(figures):
        sys.exit(f"{nb.name}: {len(figures)} figures, {len(missing)} without static images, {len(files)} files")
    shown = [i for i, c in enumerate(cells) if any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in c.get("outputs", []))]
    uncaptioned = [cells[i]["id"] for i in shown if i + 1 == len(cells) or cells[i + 1]["cell_type"] != "markdown"
                   or not "".join(cells[i + 1]["source"]).startswith("*Figure")]
    if uncaptioned:
        sys.exit(f"{nb.name}: no caption cell after the figure(s) of cell(s) {', '.join(uncaptioned)}")
    print(f"figures ok: {nb.name}: {len(figures)} figures, {len(files)} files, {len(shown)} captions")
PY
scripts/execute-with-jupyter.sh notebooks "$out/jupyter"
lossnb check --from "$out/notebooks" --markdown "$out/audit.md"
lossnb figures --out "$out/figures/gallery"
echo "test.sh: all tests, notebooks (lossnb run and Jupyter), audit and figures passed"

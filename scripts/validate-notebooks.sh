#!/usr/bin/env bash
# Validates every executed notebook in DIR (default artifacts/notebooks) with Jupyter's own tools:
# nbformat.validate (Debian python3-nbformat) and `jupyter nbconvert --to html` (Debian jupyter-nbconvert) through
# scripts/export-html.sh, so the pages in DIR/html render their formulas offline.
# Exits non-zero on the first invalid notebook or failed conversion, or when DIR holds no notebook.
set -euo pipefail
dir="${1:-artifacts/notebooks}"
py=/usr/bin/python3   # Debian's python, which has nbformat (not a pyenv python on PATH)
[ -x "$py" ] || { echo "validate-notebooks: $py not found (install python3-nbformat)" >&2; exit 1; }
"$py" -c "import nbconvert" 2>/dev/null || { echo "validate-notebooks: nbconvert missing for $py (install jupyter-nbconvert)" >&2; exit 1; }
shopt -s nullglob
notebooks=("$dir"/*.ipynb)
[ ${#notebooks[@]} -gt 0 ] || { echo "validate-notebooks: no .ipynb in $dir" >&2; exit 1; }
html_dir="$dir/html"
mkdir -p "$html_dir"
for nb in "${notebooks[@]}"; do
  "$py" -c 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))' "$nb"
  "$(dirname "$0")/export-html.sh" --out "$html_dir" "$nb" >/dev/null
  echo "validate-notebooks: ok $nb"
done

#!/usr/bin/env bash
# Executes every notebook in SRC (default notebooks/) with Jupyter (`jupyter nbconvert --execute`) on the tool's
# .net-csharp kernel — the way a JupyterLab user runs them — writing the executed copies to OUT. Exits non-zero
# on the first notebook with a failing cell. Exercises run as shipped (stubs), as a student would first see them.
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-notebooks}"
out="${2:-artifacts/jupyter}"
mkdir -p "$out"
shopt -s nullglob
notebooks=("$src"/*.ipynb)
[ ${#notebooks[@]} -gt 0 ] || { echo "execute-with-jupyter: no .ipynb in $src" >&2; exit 1; }
for nb in "${notebooks[@]}"; do
  start=$SECONDS
  if ! PATH="/usr/bin:$PATH" jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=.net-csharp \
      --ExecutePreprocessor.timeout=300 --output-dir "$out" --log-level WARN "$nb" >"$out/.log" 2>&1; then
    cat "$out/.log" >&2
    echo "execute-with-jupyter: $nb failed under Jupyter" >&2
    exit 1
  fi
  echo "execute-with-jupyter: ok $nb ($((SECONDS - start)) s)"
done
rm -f "$out/.log"

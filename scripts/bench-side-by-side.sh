#!/usr/bin/env bash
# Side-by-side timing: numpy formulations of the seeds vs LossNotebooks, same shapes, one run, ratio numpy/ours.
# Usage: scripts/bench-side-by-side.sh [workload-key ...]   (env RUNS=3, NUMERIC_ENTRIES=400, SEARCH_DRAWS=40)
# Keys and the numpy side: tests/LossNotebooks.Benchmarks/side_by_side.py; our side: .../Linear/SideBySide.cs.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's numpy with a threaded OpenBLAS (the pyenv python on PATH may lack numpy: use /usr/bin/python3).
missing=()
for pkg in python3-numpy libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

dotnet build tests/LossNotebooks.Benchmarks -c Release -nologo -v quiet
dll=$(ls tests/LossNotebooks.Benchmarks/bin/Release/net*/LossNotebooks.Benchmarks.dll | head -n 1)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 tests/LossNotebooks.Benchmarks/side_by_side.py "$dll" "$@"

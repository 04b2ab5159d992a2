#!/usr/bin/env bash
# Mutation testing of the folders that decide truth, one folder at a time (the whole library is ~9,000 mutants, too
# many for 2 cores in one go). Not part of CI: a run takes minutes to an hour per folder. Each folder's report goes to
# artifacts/mutation/<folder>/ (HTML + JSON); the score per folder is printed at the end.
#   scripts/mutation.sh                      # Derivations Checks Differentiation Losses Optimization
#   scripts/mutation.sh Derivations Checks   # only these
#   CONCURRENCY=1 scripts/mutation.sh …      # default: the number of cores
set -euo pipefail -f   # -f: the mutate globs are for Stryker, not the shell
cd "$(dirname "$0")/.."
root=$PWD
dotnet tool restore >/dev/null   # dotnet-stryker, pinned in .config/dotnet-tools.json
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(Derivations Checks Differentiation Losses Optimization)
concurrency=${CONCURRENCY:-$(nproc)}
# Optimization holds the SIMD classifier kernels too; the update rules are what this run is about.
declare -A globs=(
  [Optimization]="**/Optimization/Optimizers.cs **/Optimization/MomentumStep.cs **/Optimization/AdamStep.cs"
)
# The tests each folder is held to: the unit tests of that concern and its neighbours. The notebook-shape and README
# tests are left out: under Stryker's instrumentation (every mutant of the project compiled in, coverage recorded on
# every hit) their training runs take longer than the rest of the suite together.
declare -A tests=(
  [Derivations]="Derivations Checks Notebooks.MulticlassSvmNotebookTests Notebooks.WarpLossNotebookTests"
  [Checks]="Checks Differentiation Derivations"
  [Differentiation]="Differentiation Checks"
  [Losses]="Losses Notebooks.Notebook07BoostingObjectivesTests Notebooks.Notebook01SoftmaxCrossEntropyTests"
  [Optimization]="Optimization"
)
dotnet build tests/LossNotebooks.Tests -c Release -v q -nologo >/dev/null
for folder in "${folders[@]}"; do
  [ -d "src/LossNotebooks/$folder" ] || { echo "mutation.sh: no folder src/LossNotebooks/$folder" >&2; exit 2; }
  out="$root/artifacts/mutation/$folder"
  rm -rf "$out"; mkdir -p "$(dirname "$out")"
  args=()
  for g in ${globs[$folder]:-"**/$folder/**/*.cs"}; do args+=(--mutate "$g"); done
  filter=""
  for t in ${tests[$folder]:-$folder}; do filter+="${filter:+|}FullyQualifiedName~LossNotebooks.Tests.$t."; done
  args+=(--test-case-filter "$filter")
  echo "== $folder: ${args[*]}"
  start=$(date +%s)
  (cd tests/LossNotebooks.Tests && dotnet stryker --project LossNotebooks.csproj --target-framework net10.0 \
      --configuration Release --concurrency "$concurrency" "${args[@]}" \
      --reporter html --reporter json --reporter progress --output "$out" --skip-version-check) > "$out.log" 2>&1 \
    || { tail -n 25 "$out.log"; exit 1; }   # the whole log stays beside the report; follow it with tail -f
  tail -n 12 "$out.log"
  echo "== $folder: $(( $(date +%s) - start )) s"
done
# The score per folder from each JSON report: killed + timeout over everything that was not ignored or uncompilable.
for folder in "${folders[@]}"; do
  report=$(find "$root/artifacts/mutation/$folder" -name mutation-report.json | head -n 1)
  [ -n "$report" ] || { echo "$folder: no report"; continue; }
  /usr/bin/python3 - "$folder" "$report" <<'PY'
import json, sys, collections
folder, path = sys.argv[1], sys.argv[2]
counts = collections.Counter(m["status"] for f in json.load(open(path))["files"].values() for m in f["mutants"])
detected = counts["Killed"] + counts["Timeout"]
valid = detected + counts["Survived"] + counts["NoCoverage"]
print(f"{folder}: score {100 * detected / max(valid, 1):.1f} % ({detected} detected of {valid}; "
      f"survived {counts['Survived']}, no coverage {counts['NoCoverage']}, ignored {counts['Ignored']}, "
      f"compile errors {counts['CompileError']})")
PY
done

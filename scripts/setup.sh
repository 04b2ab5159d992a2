#!/usr/bin/env bash
# Installs what a fresh machine of this kind lacks. Idempotent: each step runs only when its check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_needed=()
[ -x /usr/bin/chromium ] || apt_needed+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || apt_needed+=(fonts-dejavu-core)
/usr/bin/python3 -c 'import nbformat' 2>/dev/null || apt_needed+=(python3-nbformat)
/usr/bin/python3 -c 'import nbclient' 2>/dev/null || apt_needed+=(python3-nbclient)
[ -x /usr/bin/jupyter-nbconvert ] || apt_needed+=(jupyter-nbconvert)
[ -x /usr/bin/jupyter-kernelspec ] || apt_needed+=(jupyter-client)
command -v npm >/dev/null 2>&1 || apt_needed+=(npm)
[ -x /usr/bin/pandoc ] || apt_needed+=(pandoc)   # lossnb export --to html
if [ ${#apt_needed[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${apt_needed[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_needed[@]}" >/dev/null
fi

# plotly.js (figure export) and KaTeX (formulas in exported HTML) come from npm, pinned by package-lock.json,
# never committed.
if [ -f package-lock.json ] && { [ ! -f node_modules/plotly.js-dist-min/plotly.min.js ] || [ ! -f node_modules/katex/dist/katex.min.js ]; }; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The kernel: the .NET Interactive tool pinned in .config/dotnet-tools.json (what VS Code's Polyglot Notebooks
# starts), and the same tool registered as Jupyter's .net-csharp kernel for nbconvert and JupyterLab.
dotnet tool restore >/dev/null
kernels=$(PATH="/usr/bin:$PATH" jupyter kernelspec list 2>/dev/null || true)
if ! grep -q '\.net-csharp' <<<"$kernels"; then
  echo "setup: dotnet interactive jupyter install"
  PATH="/usr/bin:$PATH" dotnet interactive jupyter install >/dev/null
fi
# The tool's Jupyter kernel always starts an HTTP host (JupyterLab's in-browser JavaScript bridge) on a port from
# --http-port-range, by default on every network interface, without authentication. --http-local-only keeps it on
# 127.0.0.1. Also rewrites kernelspecs installed before this step existed; atomic, because other jobs may read them.
PATH="/usr/bin:$PATH" jupyter kernelspec list --json 2>/dev/null | /usr/bin/python3 -c '
import json, os, sys, tempfile
for name, spec in json.load(sys.stdin)["kernelspecs"].items():
    argv = spec["spec"]["argv"]
    if argv[:3] != ["dotnet", "interactive", "jupyter"] or "--http-local-only" in argv:
        continue
    path = os.path.join(spec["resource_dir"], "kernel.json")
    with open(path) as f:
        kernel = json.load(f)
    kernel["argv"].append("--http-local-only")
    fd, tmp = tempfile.mkstemp(dir=spec["resource_dir"], suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(kernel, f, indent=2)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    print(f"setup: kernelspec {name}: HTTP host on loopback only (--http-local-only)")
'

dotnet restore LossNotebooks.sln --verbosity quiet

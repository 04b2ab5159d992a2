#!/usr/bin/env bash
# Exports notebooks to HTML pages that render every formula without a network: `jupyter nbconvert --to html`'s lab
# page with KaTeX (npm, pinned in package-lock.json) and its fonts inlined instead of MathJax loaded from a URL.
# Each page is one self-contained file: copied elsewhere (an offline LMS) it still renders its mathematics.
#   scripts/export-html.sh [--out DIR] NOTEBOOK.ipynb|FOLDER...   (default DIR: artifacts/html)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out=artifacts/html
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "export-html: --out needs a folder" >&2; exit 2; }; out="$2"; shift 2 ;;
    -*) echo "export-html: unknown option $1" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ ${#args[@]} -gt 0 ] || { echo "usage: scripts/export-html.sh [--out DIR] NOTEBOOK.ipynb|FOLDER..." >&2; exit 2; }
katex="$root/node_modules/katex/dist"
[ -f "$katex/katex.min.js" ] || { echo "export-html: $katex/katex.min.js missing; run \`npm ci\` in $root (or scripts/setup.sh)" >&2; exit 1; }
py=/usr/bin/python3   # Debian's python, which has nbconvert
"$py" -c "import nbconvert" 2>/dev/null || { echo "export-html: nbconvert missing for $py (install jupyter-nbconvert)" >&2; exit 1; }

exec "$py" - "$root" "$katex" "$out" "${args[@]}" <<'PY'
import base64, pathlib, re, sys
import markupsafe
from nbconvert import HTMLExporter

root, katex, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
notebooks = []
for a in map(pathlib.Path, sys.argv[4:]):
    if a.is_dir():
        notebooks += sorted(a.glob("*.ipynb"))
    elif a.suffix == ".ipynb" and a.is_file():
        notebooks.append(a)
    else:
        sys.exit(f"export-html: {a} is neither a .ipynb file nor a folder")
if not notebooks:
    sys.exit("export-html: no .ipynb found in " + " ".join(sys.argv[4:]))

def font(m):
    data = base64.b64encode((katex / "fonts" / (m.group(1) + ".woff2")).read_bytes()).decode("ascii")
    return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

# Every @font-face keeps only its woff2 (every current browser reads it), as a data URL.
css = re.sub(r'src:url\(fonts/([\w-]+)\.woff2\) format\("woff2"\)[^;}]*', font, (katex / "katex.min.css").read_text())
if "url(fonts/" in css:
    sys.exit("export-html: katex.min.css names a font this script does not inline")
js = (katex / "katex.min.js").read_text() + "\n" + (katex / "contrib" / "auto-render.min.js").read_text()
# The lab page loads require.js: hiding define/exports/module makes KaTeX's UMD wrapper set window.katex even then.
# Only markdown is typeset (cells and text/markdown outputs), with the delimiters Jupyter's MathJax uses; a
# formula KaTeX cannot parse stays visible as a red .katex-error, not silently dropped.
math = f"""<style type="text/css">
{css}
</style>
<script>
(function (define, exports, module) {{
{js}
}})();
document.addEventListener("DOMContentLoaded", function () {{
  document.querySelectorAll(".jp-RenderedMarkdown").forEach(function (el) {{
    renderMathInElement(el, {{
      delimiters: [
        {{ left: "$$", right: "$$", display: true }},
        {{ left: "\\\\[", right: "\\\\]", display: true }},
        {{ left: "$", right: "$", display: false }},
        {{ left: "\\\\(", right: "\\\\)", display: false }}
      ],
      throwOnError: false
    }});
  }});
  document.body.setAttribute("data-math-rendered", "true");
}});
</script>"""

exporter = HTMLExporter(extra_template_basedirs=[str(root / "scripts" / "nbconvert")], template_name="lossnb-offline")
out.mkdir(parents=True, exist_ok=True)
for nb in notebooks:
    body, _ = exporter.from_filename(str(nb), resources={"lossnb_math": markupsafe.Markup(math)})
    target = out / (nb.stem + ".html")
    target.write_text(body, encoding="utf-8")
    print(f"export-html: {nb} -> {target}")
PY

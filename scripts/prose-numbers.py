#!/usr/bin/env python3
"""Prose-number check: every number with three or more significant digits that a markdown cell quotes must appear,
at the precision it is quoted with, in an output of the same executed notebook.

A number is exempt when it is marked as a constant or a literature value: written in a code span (`2.22e-16`) or
followed by a dagger (0.577†). Numbers inside LaTeX ($…$) are checked like any other. Significant digits: those of
the mantissa without leading zeros (0.00123 has 3). Integers are checked like others (1024 has 4 significant digits, 200 has 1) except four-digit years 1900–2099 (citations). The
References cell is skipped: it quotes literature only.

Usage: prose-numbers.py EXECUTED_NOTEBOOKS_DIR [--exclude NAME ...]   (exit 1 on any unmatched number)
       prose-numbers.py --self-test
"""
import json, math, pathlib, re, sys

SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# mantissa, optional exponent written e-8 / ×10⁻⁸ / \times 10^{-8} / ·10^-8
NUM = re.compile(
    r"(?<![\w.^_])(?P<m>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\.\d+|\d+)"
    r"(?P<e>[eE][-+−]?\d+|\s*(?:×|\\times|·|\\cdot)\s*10(?:\^\{?[-−+]?\d+\}?|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))?"
    r"(?P<dag>(?:…|\\ldots)?\s?†)?")
# Integers without a decimal point count like any number (1024 has 4 significant digits, 200 has 1); a four-digit
# integer from 1900 to 2099 is read as a year and skipped.
INTEGER_DIGITS = 3


def significant(mantissa):
    digits = mantissa.replace(",", "").replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")
    return len(digits)


def parse(match):
    """(value, half-unit of the last printed digit) of a prose number, or None when it is exempt or too short."""
    m, e = match.group("m"), match.group("e")
    if match.group("dag"):
        return None
    sig = significant(m)
    if "." not in m and not e and (sig < INTEGER_DIGITS or re.fullmatch(r"(19|20)\d\d", m)):
        return None                                          # short integers; years (citations)
    if sig < 3:
        return None
    exp = 0
    if e:
        t = e.translate(SUP).replace("−", "-")
        exp = int(re.search(r"[-+]?\d+$", t.replace("{", "").replace("}", "")).group(0)) if not t.lower().startswith("e") else int(t[1:])
    m = m.replace(",", "")
    decimals = len(m.split(".")[1]) if "." in m else 0
    value = float(m) * 10.0 ** exp
    return value, 0.5 * 10.0 ** (exp - decimals)


def prose_numbers(md):
    md = re.sub(r"```.*?```", " ", md, flags=re.S)          # code blocks (solutions) are code, not prose
    md = re.sub(r"`[^`\n]*`", " ", md)                       # code spans: constants, identifiers
    md = re.sub(r"<details>.*?</details>", " ", md, flags=re.S)
    md = re.sub(r"\]\([^)]*\)", "]", md)                     # link targets
    md = re.sub(r"<[^>]+>", " ", md)                         # HTML tags and attributes
    md = re.sub(r"\d{4}\.\d{4,5}", " ", md)                  # arXiv ids
    md = re.sub(r"(?<![\w.])\d+(?:\.\d+)+\.?(?=\s|$|\))", lambda k: k.group(0) if k.group(0).count(".") == 1 else " ", md)  # section numbers 4.2.1
    for match in NUM.finditer(md):
        p = parse(match)
        if p:
            yield match.group(0).strip(), p


def output_text(nb):
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append("".join(out["text"]) if isinstance(out["text"], list) else out["text"])
            for mime, v in out.get("data", {}).items():
                if mime in ("text/plain", "text/html", "text/markdown"):
                    parts.append("".join(v) if isinstance(v, list) else v)
    return "\n".join(parts)


def output_values(text):
    text = text.translate(SUP).replace("−", "-").replace("&#8722;", "-")
    vals = set()
    for m in re.finditer(r"(\d+(?:,\d{3})*(?:\.\d*)?|\.\d+)(?:\s*(?:[eE]|×\s*10\^?|·\s*10\^?)\s*\{?([-+]?\d+)\}?)?", text):
        try:
            v = float(m.group(1).replace(",", "") or 0)
        except ValueError:
            continue
        if m.group(2):
            try:
                v *= 10.0 ** int(m.group(2))
            except OverflowError:
                continue
        vals.add(v)
    return vals


def matches(value, half, vals):
    tol = half * (1 + 1e-9)
    for v in vals:
        if abs(v - value) <= tol or abs(100 * v - value) <= tol:  # 0.123 printed, 12.3 % quoted
            return True
    return False


def check(nb):
    vals = output_values(output_text(nb))
    bad = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown" or "".join(cell["source"]).startswith("## References"):
            continue                                         # the References cell quotes literature only
        for shown, (value, half) in prose_numbers("".join(cell["source"])):
            if not matches(value, half, vals):
                bad.append((i, shown))
    return bad


def self_test():
    def nb(md, out):
        return {"cells": [{"cell_type": "markdown", "source": [md]},
                          {"cell_type": "code", "source": [], "outputs": [{"output_type": "stream", "name": "stdout", "text": [out]}]}]}
    assert check(nb("best/theory = 3.36", "ratio 3.3612")) == []
    assert check(nb("best/theory = 3.37", "ratio 3.3612")) == [(0, "3.37")]       # a contradiction is caught
    assert check(nb("in 2016 the 709 rows", "708")) == [(0, "709")]
    assert check(nb("h ≈ 1.49×10⁻⁸", "h = 1.4901E-08")) == []
    assert check(nb("ε = `2.22e-16` and γ = 0.577†", "nothing")) == []
    assert check(nb("section 4, 1,000 rows, 42 cells", "")) == []
    assert check(nb("12,345 rows", "12345")) == []
    assert check(nb("12,346 rows", "12345")) == [(0, "12,346")]
    assert check(nb("$10^{-8}$ and 0.25, γ = 0.5772…†", "")) == []
    assert check(nb("error 12.5 %", "0.125")) == []
    print("prose-numbers self-test: ok")


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    folder = pathlib.Path(argv[1])
    exclude = set(argv[argv.index("--exclude") + 1:]) if "--exclude" in argv else set()
    failed = 0
    for path in sorted(folder.glob("*.ipynb")):
        if path.name in exclude:
            print(f"prose numbers: {path.name}: skipped")
            continue
        bad = check(json.load(open(path, encoding="utf-8")))
        for i, shown in bad:
            print(f"{path.name}: cell {i}: {shown} is not in any output (at its printed precision); print it, fix it, or mark a constant `x` / x†")
        failed += len(bad)
        if not bad:
            print(f"prose numbers ok: {path.name}")
    if failed:
        sys.exit(f"prose numbers: {failed} number(s) in markdown that no output shows")


if __name__ == "__main__":
    main(sys.argv)

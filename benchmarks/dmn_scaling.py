"""How long importing and verifying a DMN model takes, and how it grows with rules and columns.

    python benchmarks/dmn_scaling.py              # the goal model and the sweeps
    python benchmarks/dmn_scaling.py --smoke      # toy sizes (tests/test_benchmarks.py)

Two kinds of generated decision table over unbounded numeric input columns, both from
``random.Random(2026)``:

* ``tree``: the shape of a well-made table. The space is split recursively (a column and a
  threshold in 0..99 at each step) until there are as many regions as rules, and each
  region is a rule: intervals on the columns split on its way, ``-`` elsewhere. Then one
  rule in ten is widened on one column (it now overlaps its neighbours) and one in twenty
  is dropped (a gap), so the verifier has something to report. The goal model (8 columns,
  100 rules, UNIQUE) is of this kind; the goal is import + verify under 1 s.
* ``random``: every entry drawn on its own (``-``, a comparison or an interval), so rules
  cut across each other in every column. This is the worst case of the exact partition:
  the number of pieces, and the time, grow steeply; it is shown at small sizes.

Each figure is the minimum of a few repeats of: read the XML, convert it, load the rule
file (parse, check, compile, tables) and verify it exactly (``loads`` verifies once; the
report is cached). Last, the way out: exporting the bundled GIST rules and the walk
example whole (``gistpath.dmn.export``) and importing the export again (read, convert,
load, verify). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from pathlib import Path

import gistpath
from gistpath import dmn

OUTPUTS = ["A", "B", "C", "D", "E"]


def _tree_rules(rng: random.Random, columns: int, rules: int) -> list[list[str]]:
    """Rules whose boxes partition the space, with a few widened and a few dropped."""
    regions: list[list[tuple[float, float]]] = [[(-1e9, 1e9)] * columns]
    while len(regions) < rules:
        regions.sort(key=lambda r: sum(b - a for a, b in r if abs(a) < 1e9 and abs(b) < 1e9))
        region = regions.pop(rng.randrange(len(regions)))
        for _ in range(20):
            c = rng.randrange(columns)
            low, high = region[c]
            cut = rng.randrange(100)
            if low < cut < high:
                break
        else:
            regions.append(region)
            continue
        left, right = list(region), list(region)
        left[c], right[c] = (low, cut), (cut, high)
        regions += [left, right]
    out = []
    for number, region in enumerate(regions):
        if number % 20 == 19:
            continue  # a gap
        entries = []
        for c, (low, high) in enumerate(region):
            if number % 10 == 9 and c == number % columns:
                low, high = max(low - 5, -1e9), high  # widened: overlaps a neighbour
            if low <= -1e9 and high >= 1e9:
                entries.append("-")
            elif low <= -1e9:
                entries.append(f"&lt; {high:g}")
            elif high >= 1e9:
                entries.append(f"&gt;= {low:g}")
            else:
                entries.append(f"[{low:g}..{high:g}[")
        out.append(entries)
    return out


def _random_rules(rng: random.Random, columns: int, rules: int) -> list[list[str]]:
    out = []
    for _ in range(rules):
        entries = []
        for _ in range(columns):
            shape = rng.randrange(3)
            if shape == 0:
                entries.append("-")
            elif shape == 1:
                op = rng.choice(["&lt;", "&lt;=", "&gt;", "&gt;="])
                entries.append(f"{op} {rng.randrange(100)}")
            else:
                a, b = sorted(rng.sample(range(100), 2))
                entries.append(f"[{a}..{b}]")
        out.append(entries)
    return out


def model(columns: int, rules: int, hit: str, kind: str = "tree", seed: int = 2026) -> bytes:
    rng = random.Random(seed)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<definitions '
        'xmlns="https://www.omg.org/spec/DMN/20211108/MODEL/" id="m" name="Bench" '
        'namespace="https://example.org/bench">'
    ]
    parts.append(f'<decision id="d" name="Result"><decisionTable id="t" hitPolicy="{hit}">')
    for c in range(columns):
        parts.append(
            f'<input id="i{c}"><inputExpression typeRef="number"><text>x{c}</text>'
            "</inputExpression></input>"
        )
    parts.append('<output id="o" name="Result" typeRef="string"/>')
    make = _tree_rules if kind == "tree" else _random_rules
    for r, entries in enumerate(make(rng, columns, rules)):
        parts.append(f'<rule id="r{r}">')
        parts += [f"<inputEntry><text>{e}</text></inputEntry>" for e in entries]
        parts.append(f'<outputEntry><text>"{rng.choice(OUTPUTS)}"</text></outputEntry></rule>')
    parts.append("</decisionTable></decision>")
    for c in range(columns):
        parts.append(
            f'<inputData id="x{c}" name="x{c}"><variable name="x{c}" typeRef="number"/></inputData>'
        )
    parts.append("</definitions>\n")
    return "".join(parts).encode()


def measure(
    columns: int, rules: int, hit: str, repeats: int, kind: str = "tree"
) -> tuple[float, int, int]:
    """(seconds, findings, pieces) of the fastest of ``repeats`` import + verify runs."""
    data = model(columns, rules, hit, kind)
    best = float("inf")
    findings = pieces = 0
    for _ in range(repeats):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rs = dmn.loads(data, "bench.dmn", draft=True)
        report = rs.verify()
        best = min(best, time.perf_counter() - start)
        findings, pieces = len(report.findings), report.pieces
    return best, findings, pieces


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="toy sizes")
    args = parser.parse_args(argv)
    repeats = 1 if args.smoke else 3
    goal = (3, 10) if args.smoke else (8, 100)
    print(f"python {sys.version.split()[0]}; import + verify, min of {repeats}")
    for hit in ("UNIQUE", "FIRST"):
        seconds, findings, pieces = measure(*goal, hit, repeats)
        mark = "met" if seconds < 1 else "NOT met"
        print(
            f"goal: tree table, {goal[0]} columns x {goal[1]} rules, {hit}: {seconds:.3f} s "
            f"({findings} findings, {pieces} pieces); goal < 1 s: {mark}"
        )
    sweeps = [
        ("tree, 8 columns, UNIQUE", "tree", [(goal[0], n) for n in (5, 10)]
         if args.smoke else [(8, n) for n in (50, 100, 200, 400, 800)]),
        ("tree, 100 rules, UNIQUE", "tree", [(n, goal[1]) for n in (2, 3)]
         if args.smoke else [(n, 100) for n in (2, 4, 8, 16, 32)]),
        ("random, 8 columns, UNIQUE", "random", [(goal[0], n) for n in (3, 4)]
         if args.smoke else [(8, n) for n in (4, 6, 8, 10, 12)]),
        ("random, 10 rules, UNIQUE", "random", [(n, 4) for n in (2, 3)]
         if args.smoke else [(n, 10) for n in (2, 4, 6, 8)]),
    ]  # fmt: skip
    for title, kind, sizes in sweeps:
        print(f"\n{title}:")
        for columns, rules in sizes:
            seconds, findings, pieces = measure(columns, rules, "UNIQUE", repeats, kind)
            print(
                f"  {columns:3d} columns {rules:4d} rules: {seconds:8.3f} s "
                f"{pieces:9d} pieces {findings:4d} findings"
            )
    print("\nexport whole, then import + verify the export:")
    for name, ruleset in _rule_sets():
        out, back = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            xml = dmn.export(ruleset)
            out.append(time.perf_counter() - start)
            start = time.perf_counter()
            dmn.loads(xml, "exported.dmn")
            back.append(time.perf_counter() - start)
        print(
            f"  {name}: export {min(out):.3f} s, import + verify {min(back):.3f} s "
            f"({xml.count('<decision ')} decisions, {xml.count('<rule ')} DMN rules)"
        )
    return 0


def _rule_sets() -> list[tuple[str, gistpath.RuleSet]]:
    walk = Path(__file__).resolve().parents[1] / "docs" / "examples" / "walk.gprules"
    return [("GIST", gistpath.load_builtin("gist")), ("walk", gistpath.load(walk))]


if __name__ == "__main__":
    raise SystemExit(main())

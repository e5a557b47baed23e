"""Where a cold ``load_builtin`` spends its time, and how two source trees compare on it.

Each figure comes from a fresh interpreter, as a user's first ``load`` in a new process:

* ``--stages``: the imports, then each stage of the loader on the bundled rule set (parse,
  check, compile, tables, the rule set, verify), timed one after the other;
* ``--compare SRC SRC``: the cold load (``import gistpath`` then ``load_builtin``) of two
  trees' ``src`` folders, alternating between them so that a machine that drifts affects
  both alike, minimum and median of ``--rounds`` each.

Bytecode is written and used (``PYTHONDONTWRITEBYTECODE`` is removed from the children's
environment), as it is after ``pip install``; ``--source`` keeps the variable as the parent
has it, to time a load that compiles every module from source. A first, untimed run per
tree writes the bytecode.

    python benchmarks/startup.py --stages
    python benchmarks/startup.py --compare ../before/src src --rounds 20
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COLD = (
    "import time; t = time.perf_counter(); import gistpath; gistpath.load_builtin({name!r}); "
    "print(time.perf_counter() - t)"
)

STAGES = """
import json, time
T = time.perf_counter
t0 = T()
import gistpath
from gistpath.check import check
from gistpath.loader import builtin_path
from gistpath.parser import parse
from gistpath.ruleset import RuleSet
from gistpath.tables import build_tables
try:
    from gistpath.cells import compile_model
except ImportError:  # trees from before the compiler was named cells
    from gistpath.compile import compile_model
text = builtin_path({name!r}).read_text(encoding="utf-8")
t1 = T(); tree = parse(text, {name!r})
t2 = T(); model = check(tree, text, {name!r})
t3 = T(); compiled = compile_model(model)
t4 = T(); tables = build_tables(compiled)
t5 = T(); rs = RuleSet(model, compiled, tables)
t6 = T(); rs.verify()
t7 = T()
names = ["imports", "parse", "check", "compile", "tables", "ruleset", "verify"]
marks = [t0, t1, t2, t3, t4, t5, t6, t7]
print(json.dumps({{n: (b - a) * 1000 for n, a, b in zip(names, marks, marks[1:])}}))
"""


def _env(src: Path, source: bool) -> dict[str, str]:
    env = dict(os.environ)
    if not source:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(src)
    return env


def _run(code: str, src: Path, source: bool) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(src, source),
        capture_output=True,
        text=True,
        check=True,
        cwd=src,
    )
    return done.stdout.strip().splitlines()[-1]


def stages(src: Path, name: str, rounds: int, source: bool) -> dict[str, float]:
    """The minimum over ``rounds`` fresh interpreters of each stage's milliseconds."""
    code = STAGES.format(name=name)
    _run(code, src, source)  # writes the bytecode
    runs = [json.loads(_run(code, src, source)) for _ in range(rounds)]
    return {key: min(run[key] for run in runs) for key in runs[0]}


def compare(trees: list[Path], name: str, rounds: int, source: bool) -> list[list[float]]:
    """Cold load milliseconds of each tree (in the order given; one tree may be given twice,
    to see the noise), ``rounds`` of them, the trees taking turns."""
    code = COLD.format(name=name)
    for src in trees:
        _run(code, src, source)  # writes the bytecode
    found: list[list[float]] = [[] for _ in trees]
    for _ in range(rounds):
        for values, src in zip(found, trees, strict=True):
            values.append(float(_run(code, src, source)) * 1000)
    return found


def main(argv: list[str] | None = None) -> None:
    """Parse the options, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--stages", action="store_true", help="time each stage of the load")
    parser.add_argument("--compare", nargs="+", type=Path, metavar="SRC", help="src folders")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--name", default="gist", help="the bundled rule set to load")
    parser.add_argument("--source", action="store_true", help="compile every module anew")
    args = parser.parse_args(argv)
    if not args.stages and not args.compare:
        args.stages = True
    if args.stages:
        found = stages(ROOT / "src", args.name, args.rounds, args.source)
        total = sum(found.values())
        print(f"cold load of {args.name!r}, minimum of {args.rounds} fresh interpreters:")
        for key, ms in found.items():
            print(f"  {key:10} {ms:8.1f} ms")
        print(f"  {'total':10} {total:8.1f} ms")
    if args.compare:
        trees = [p.resolve() for p in args.compare]
        timed = compare(trees, args.name, args.rounds, args.source)
        for src, values in zip(trees, timed, strict=True):
            print(
                f"{src}: min {min(values):.1f} ms, median {statistics.median(values):.1f} ms"
                f" ({len(values)} rounds)"
            )


if __name__ == "__main__":
    main()

"""Reasoning beyond one decision: proven properties, alternatives, partial decisions.

Run: ``python benchmarks/reasoning.py`` (``--quick``: fewer states and repeats, 500 rules;
``--smoke``: toy sizes, for ``tests/test_reasoning_bench.py``; its numbers mean nothing).

What is measured (goals from issue 14; printed as met or NOT met, never asserted):

* ``properties``: the proof of the bundled GIST rule set with its declared properties
  against the same file with every ``property`` declaration removed (the same rules, so
  the ratio is what proving the properties costs); goal under 2x. Each is the best of
  ``repeats`` runs of :func:`gistpath.verify.verify_compiled` on a compiled model.
* ``alternatives`` and ``partial``: ``Decision.alternatives()`` and
  ``RuleSet.evaluate_partial()`` per state over a fixed sample of valid GIST states
  (:mod:`workload`, seed 2026); for ``partial``, each state with two to five inputs left
  out (seeded). Goal under 10 ms per state (the median and the worst are printed).
* ``large``: the proof of the 2,000-rule, 20-input generated decision tree of
  :mod:`verify_scaling` with a table ordered ``low < mid < high`` and three properties
  (one true, one that fails, one monotone) against the same file without them; goal: the
  file with properties verified in under 30 s.

Timing is CPU time of this process (``time.process_time``): on a shared machine the wall
clock mostly measures the other processes. Its resolution is coarse (about a
microsecond on Linux), fine for the milliseconds measured here.

Limits: figures still vary between runs; compare ratios from one run.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from verify_scaling import decision_tree_rules
from workload import sample_states

import gistpath
from gistpath.verify import verify_compiled

_PROPERTY = re.compile(r"^property .*?(?=^\S|\Z)", re.S | re.M)


def without_properties(text: str) -> str:
    """The rule text with every ``property`` declaration (and its block) removed."""
    return _PROPERTY.sub("", text)


def _draft(text: str, name: str) -> gistpath.RuleSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gistpath.VerificationWarning)
        return gistpath.loads(text, name, draft=True)


def best(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def properties(repeats: int) -> tuple[float, float, int]:
    """(seconds with, seconds without, properties) for the GIST proof."""
    text = gistpath.builtin_path("gist").read_text(encoding="utf-8")
    with_props = _draft(text, "gist.gprules")
    plain = _draft(without_properties(text), "gist-no-properties.gprules")
    assert with_props.properties
    assert not plain.properties
    assert with_props.verify().ok, with_props.verify().format()
    decide = with_props.evaluate
    with_s = best(lambda: verify_compiled(with_props.compiled, decide), repeats)
    without_s = best(lambda: verify_compiled(plain.compiled, plain.evaluate), repeats)
    return with_s, without_s, len(with_props.properties)


def per_state(states: int) -> tuple[list[float], list[float]]:
    """Milliseconds per state for alternatives() and for evaluate_partial()."""
    rs = gistpath.load_builtin("gist")
    rows = sample_states(states)
    rng = random.Random(2026)
    alternative_ms, partial_ms = [], []
    names = list(rs.inputs)
    for state in rows:
        decision = rs.evaluate(state)
        start = time.process_time()
        decision.alternatives()
        alternative_ms.append((time.process_time() - start) * 1000)
        dropped = set(rng.sample(names, rng.randint(2, 5)))
        partial = {k: v for k, v in state.items() if k not in dropped}
        start = time.process_time()
        rs.evaluate_partial(partial)
        partial_ms.append((time.process_time() - start) * 1000)
    return alternative_ms, partial_ms


LARGE_EXTRA = """
table band "Band of x0"
    values low < mid < high
    hit first
    | x0    | x1    | band |
    | < 300 | -     | low  |
    | < 600 | < 500 | mid  |
    | -     | -     | high |

property p0_bounded "A p0 state has x0 within its range"
    cites s
    holds: pathway is p0 implies x0 <= 1000

property p1_small_x3 "p1 only with x3 below 500 (fails)"
    cites s
    holds: pathway is p1 implies x3 < 500

property band_grows "The band never falls as x0 grows"
    cites s
    monotone: band in x0
"""


def large(n_rules: int) -> tuple[float, float, list[str]]:
    """(seconds with the properties, seconds without, finding kinds) on the generated file."""
    text = decision_tree_rules(n_rules)
    plain = _draft(text, "tree.gprules")
    with_props = _draft(text + LARGE_EXTRA, "tree-properties.gprules")
    start = time.process_time()
    report = verify_compiled(with_props.compiled, with_props.evaluate)
    with_s = time.process_time() - start
    start = time.process_time()
    verify_compiled(plain.compiled, plain.evaluate)
    without_s = time.process_time() - start
    return with_s, without_s, sorted({f.kind for f in report.findings})


def main(argv: list[str]) -> None:
    smoke = "--smoke" in argv
    quick = "--quick" in argv or smoke
    repeats = 1 if smoke else 3 if quick else 7
    with_s, without_s, count = properties(repeats)
    ratio = with_s / without_s
    print(
        f"properties: GIST verify with its {count} properties {with_s * 1000:.1f} ms, "
        f"without {without_s * 1000:.1f} ms: {ratio:.2f}x "
        f"(goal < 2x: {'met' if ratio < 2 else 'NOT met'})"
    )
    alternative_ms, partial_ms = per_state(20 if smoke else 200 if quick else 2000)
    for label, ms in (("alternatives()", alternative_ms), ("evaluate_partial()", partial_ms)):
        median, worst = statistics.median(ms), max(ms)
        verdict = "met" if worst < 10 else "median met" if median < 10 else "NOT met"
        print(
            f"{label}: {len(ms)} GIST states, median {median:.2f} ms, worst {worst:.2f} ms "
            f"per state (goal < 10 ms: {verdict})"
        )
    n_rules = 60 if smoke else 500 if quick else 2000
    with_s, without_s, kinds = large(n_rules)
    print(
        f"large: {n_rules} rules x 20 inputs, verify with 3 properties {with_s:.2f} s, "
        f"without {without_s:.2f} s; findings: {', '.join(kinds)} "
        f"(goal < 30 s: {'met' if with_s < 30 else 'NOT met'})"
    )


if __name__ == "__main__":
    main(sys.argv[1:])

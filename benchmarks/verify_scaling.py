"""How verification time grows with the size of a rule set.

Run: ``python benchmarks/verify_scaling.py [N ...]`` (default 250 500 1000 2000); ``run.py``
reports the same figures beside the others.

Each rule set is a random decision tree over 20 number inputs (every split cuts the current
interval of one input, so the leaves cover every state exactly once): N rules, each the
conjunction of the conditions on its path. The product of cells is astronomically large;
the verifier must still prove coverage region by region.

Design: :func:`measure` loads each generated file through the public ``gistpath.loads``
(parse, check, compile, tables, verify: the ``load`` column) and then times the proof
alone again on the loaded rule set's compiled model (``verify``), keeping the best of
``repeats`` runs. :func:`growth` gives the time ratio per doubling of the rule count and
the exponent ``k`` of the least-squares fit ``seconds ~ rules**k`` on a log-log scale
(``k <= 2`` is "no worse than quadratic").

Limits: the proof is timed through ``gistpath.verify.verify_compiled``, an internal
function; if it moves, the ``verify`` column falls back to the whole load.
"""

from __future__ import annotations

import itertools
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import gistpath


def decision_tree_rules(n_rules: int, n_inputs: int = 20, seed: int = 0) -> str:
    """Rule text: a random decision tree with ``n_rules`` leaves over ``n_inputs`` numbers."""
    rnd = random.Random(seed)
    lines = ['ruleset tree "Generated decision tree"', 'source s "Generated"']
    lines += [f"input x{i}: number >= 0 and <= 1000" for i in range(n_inputs)]
    for p in ("p0", "p1"):
        lines += [f'pathway {p} "{p}"', '    summary "generated"', '    cites s "none"']
    leaves: list[tuple[list[str], dict[int, tuple[int, int]]]] = [([], {})]
    while len(leaves) < n_rules:
        k = rnd.randrange(len(leaves))
        path, bounds = leaves[k]
        var = rnd.randrange(n_inputs)
        low, high = bounds.get(var, (0, 1000))
        if high - low < 2:
            continue
        leaves.pop(k)
        cut = rnd.randrange(low + 1, high)
        leaves.append(([*path, f"x{var} < {cut}"], {**bounds, var: (low, cut)}))
        leaves.append(([*path, f"x{var} >= {cut}"], {**bounds, var: (cut, high)}))
    for j, (path, _) in enumerate(leaves):
        lines.append(f"rule r{j} -> p{j % 2}: " + (" and ".join(path) or "x0 >= 0"))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Row:
    rules: int
    inputs: int
    load_s: float  # gistpath.loads: parse → ... → verify, best of the repeats
    verify_s: float  # the proof alone, best of the repeats
    regions: int | None  # pieces the verifier visited, when the report says


def _verifier() -> Callable[[Any], Any] | None:
    try:
        from gistpath.verify import verify_compiled
    except ImportError:  # pragma: no cover - only if the internals move
        return None
    return verify_compiled


def measure(sizes: Sequence[int], n_inputs: int = 20, repeats: int = 1) -> list[Row]:
    """Load and verify a generated rule set of each size; best time of ``repeats`` runs."""
    verify = _verifier()
    rows = []
    for n in sizes:
        text = decision_tree_rules(n, n_inputs)
        load_times, verify_times = [], []
        ruleset = None
        for _ in range(max(1, repeats)):
            start = time.perf_counter()
            ruleset = gistpath.loads(text, name=f"tree{n}.gprules")
            load_times.append(time.perf_counter() - start)
            if verify is not None:
                start = time.perf_counter()
                report = verify(ruleset.compiled)
                verify_times.append(time.perf_counter() - start)
                assert report.ok, report.format()
        assert ruleset is not None
        regions = getattr(ruleset.verify(), "pieces", None)
        rows.append(
            Row(
                rules=n,
                inputs=n_inputs,
                load_s=min(load_times),
                verify_s=min(verify_times) if verify_times else min(load_times),
                regions=regions if isinstance(regions, int) else None,
            )
        )
    return rows


def growth(rows: Sequence[Row]) -> tuple[list[float], float | None]:
    """Time ratio from each size to the next, and the fitted exponent of seconds ~ rules**k."""
    ratios = [b.verify_s / a.verify_s for a, b in itertools.pairwise(rows) if a.verify_s > 0]
    points = [(math.log(r.rules), math.log(r.verify_s)) for r in rows if r.verify_s > 0]
    if len(points) < 2:
        return ratios, None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return ratios, (sxy / sxx if sxx else None)


def main(sizes: list[int]) -> None:
    rows = measure(sizes)
    print(f"{'rules':>6} {'regions':>8} {'load s':>8} {'verify s':>9} {'x prev':>7}")
    previous = None
    for row in rows:
        ratio = f"{row.verify_s / previous:.1f}" if previous else "-"
        regions = "-" if row.regions is None else str(row.regions)
        print(f"{row.rules:>6} {regions:>8} {row.load_s:>8.3f} {row.verify_s:>9.3f} {ratio:>7}")
        previous = row.verify_s
    _, exponent = growth(rows)
    if exponent is not None:
        print(f"fitted exponent: verify seconds ~ rules^{exponent:.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [250, 500, 1000, 2000])

"""How verification time grows with the size of a rule set.

Run: ``python benchmarks/verify_scaling.py [N ...]`` (default 250 500 1000 2000).

Each rule set is a random decision tree over 20 number inputs (every split cuts the current
interval of one input, so the leaves cover every state exactly once): N rules, each the
conjunction of the conditions on its path. The product of cells is astronomically large;
the verifier must still prove coverage region by region. Prints one row per size: rules,
regions visited, seconds for compile and verify, and the ratio to the previous size.
"""

from __future__ import annotations

import random
import sys
import time

from gistpath.check import check
from gistpath.compile import compile_model
from gistpath.parser import parse
from gistpath.verify import verify_compiled


def decision_tree_rules(n_rules: int, n_inputs: int = 20, seed: int = 0) -> str:
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


def main(sizes: list[int]) -> None:
    print(f"{'rules':>6} {'regions':>8} {'compile s':>10} {'verify s':>9} {'x prev':>7}")
    previous = None
    for n in sizes:
        text = decision_tree_rules(n)
        model = check(parse(text), text)
        start = time.perf_counter()
        compiled = compile_model(model)
        compiled_at = time.perf_counter()
        report = verify_compiled(compiled)
        done = time.perf_counter()
        assert report.ok, report.format()
        seconds = done - compiled_at
        ratio = f"{seconds / previous:.1f}" if previous else "-"
        print(f"{n:>6} {report.pieces:>8} {compiled_at - start:>10.3f} {seconds:>9.3f} {ratio:>7}")
        previous = seconds


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [250, 500, 1000, 2000])

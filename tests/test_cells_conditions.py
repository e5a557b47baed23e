"""Comparisons as cells (:mod:`gistpath.cells.conditions`) against brute force.

On random rule files, the mask :func:`~gistpath.cells.numeric_mask` gives each comparison of
a numeric input with one of its thresholds holds exactly the valid cells whose values pass
the comparison, checked at and beside every threshold and at each cell's representative;
invalid and ``unknown`` cells are never in it. Whole conditions become regions through the
same compiler; ``test_cells.py`` checks those against the reference interpreter.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given

from gistpath.ast import COMPARISONS
from gistpath.cells import numeric_mask

from strategies import (
    SLOW_CELLS,
    build_ruleset,
    numeric_candidates,
    numeric_dimensions,
    rule_files,
)


@pytest.mark.slow
@SLOW_CELLS
@given(rule_files())
def test_a_comparison_mask_holds_exactly_the_cells_whose_values_pass_it(text: str) -> None:
    rs = build_ruleset(text)
    for dim, domain in numeric_dimensions(rs):
        values = numeric_candidates(domain, set(dim.thresholds))
        values += [dim.representative(c) for c in range(2 * len(dim.thresholds) + 1)]  # type: ignore[misc]
        for threshold, (op, compare) in itertools.product(dim.thresholds, COMPARISONS.items()):
            if op == "==":
                continue
            mask = numeric_mask(dim, op, threshold)
            for value in values:
                cell = dim.cell_of(value)
                if dim.valid >> cell & 1:  # masks speak of valid cells only
                    assert bool(mask >> cell & 1) == compare(value, threshold)
                else:
                    assert not mask >> cell & 1
            if dim.allows_unknown:
                assert not mask >> dim.unknown_cell & 1

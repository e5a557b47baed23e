"""Cutting inputs into cells (:mod:`gistpath.cells.cutting`) against brute force.

Two views of the same claim, that a numeric input's ``valid`` cells are exactly those
holding a value its domain allows: on random rule files, the thresholds are sorted and
distinct and every allowed value at and beside each of them falls in a valid cell; and
:func:`~gistpath.cells.numeric_dimension` (with :func:`~gistpath.cells.allowed_cells`, the
one helper that the space, ``to-dmn``'s rows and ``diff`` use) marks valid, on random
domains and cuts, exactly the cells some allowed value lands in, no more and no fewer.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from gistpath.cells import allowed_cells, cell_meets_domain, numeric_dimension
from gistpath.model import Limit, NumericDomain

from strategies import (
    SLOW_CELLS,
    build_ruleset,
    numeric_candidates,
    numeric_dimensions,
    numeric_domains_and_cuts,
    rule_files,
)


@pytest.mark.slow
@SLOW_CELLS
@given(rule_files())
def test_thresholds_cut_the_line_and_every_allowed_value_falls_in_a_valid_cell(
    text: str,
) -> None:
    rs = build_ruleset(text)
    for dim, domain in numeric_dimensions(rs):
        ts = dim.thresholds
        assert list(ts) == sorted(set(ts))
        assert dim.size == 2 * len(ts) + 1 + (1 if dim.allows_unknown else 0)
        for value in numeric_candidates(domain, set(dim.thresholds)):
            cell = dim.cell_of(value)
            assert dim.valid >> cell & 1, (dim.name, value, cell)
            low, high, point = dim.cell_bounds(cell)
            assert value == low if point else low < value < high


@given(numeric_domains_and_cuts())
def test_a_numeric_dimension_marks_valid_exactly_the_cells_an_allowed_value_lands_in(
    case: tuple[NumericDomain, set[int | float]],
) -> None:
    domain, cuts = case
    limits = {limit.value for limit in (domain.low, domain.high) if limit is not None}
    dim = numeric_dimension("x", cuts | limits, domain)
    landed = 0  # 0 joins the cuts: with no cuts, the one cell needs a value to witness it
    for value in numeric_candidates(domain, {*dim.thresholds, 0}):
        landed |= 1 << dim.cell_of(value)
    if domain.allows_unknown:
        landed |= 1 << dim.unknown_cell
    assert dim.valid == landed == allowed_cells(dim, domain)
    for cell in range(2 * len(dim.thresholds) + 1):
        assert cell_meets_domain(dim, cell, domain) == bool(landed >> cell & 1)


def test_an_integer_input_has_no_cell_between_neighbouring_integers() -> None:
    domain = NumericDomain(True, Limit(0, True), Limit(10, False))
    dim = numeric_dimension("x", {0, 2, 3, 10}, domain)
    # cells: <0, 0, (0,2), 2, (2,3), 3, (3,10), 10, >10
    assert [dim.valid >> cell & 1 for cell in range(dim.size)] == [0, 1, 1, 1, 0, 1, 1, 0, 0]


def test_no_cell_lies_between_a_number_and_the_next_float() -> None:
    after = math.nextafter(1.5, 2)
    dim = numeric_dimension("x", {1.5, after}, NumericDomain(False))
    # cells: <1.5, 1.5, (1.5, after), after, >after
    assert [dim.valid >> cell & 1 for cell in range(dim.size)] == [1, 1, 0, 1, 1]

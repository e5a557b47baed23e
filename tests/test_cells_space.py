"""The cells of the space (:mod:`gistpath.cells.space`) against brute force on random files.

Every input of a random, checked file is cut into cells; for each cell marked valid, the
representative :meth:`~gistpath.cells.Dimension.representative` picks lies in that cell
(by :meth:`~gistpath.cells.Dimension.cell_of` and, for numbers, by the cell's bounds) and
is a value the input's own validator accepts unchanged.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from strategies import SLOW_CELLS, build_ruleset, rule_files


@pytest.mark.slow
@SLOW_CELLS
@given(rule_files())
def test_each_valid_cell_has_a_valid_representative_inside_it(text: str) -> None:
    rs = build_ruleset(text)
    for dim in rs.compiled.space.dimensions[:-1]:
        validate = rs.field_validator(dim.name)
        for cell in range(dim.size):
            if not dim.valid >> cell & 1:
                continue
            value = dim.representative(cell)
            assert validate(value) == value
            assert dim.cell_of(value) == cell
            if dim.kind == "numeric" and not (dim.allows_unknown and cell == dim.unknown_cell):
                low, high, point = dim.cell_bounds(cell)
                assert value == low if point else low < value < high  # type: ignore[operator]

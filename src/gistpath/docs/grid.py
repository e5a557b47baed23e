"""A decision table as the grid its source publishes: two banded numbers by one choice.

Design: :func:`find_grid` recognises a table over three columns, two mostly numeric bands
and one choice (the AFIP risk table: size by mitotic rate, per site), and gives the cells
of the grid (band, band) → value → row, and the rows that do not fit, which the page lists
below the grid. The page (:mod:`gistpath.docs.page`) draws it.

Limits: exactly three condition columns; two rows on one cell, or fewer than two cells,
mean no grid.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.docs.markup import escape
from gistpath.model import Table
from gistpath.printer import print_cell, print_value


def find_grid(
    table: Table,
) -> tuple[int, tuple[int, int], dict[tuple[str, str], dict[str, int]], list[int]] | None:
    """How to show ``table`` as a grid, if it is one over two bands and a choice.

    Returns the choice column, the two band columns, the cells ((band, band) -> value ->
    row index) and the rows that do not fit the grid; ``None`` when no grid fits.
    """
    if len(table.condition_columns) != 3:
        return None
    kinds = []
    for index in range(3):
        cells = [row.conditions[index] for row in table.rows]
        tests = sum(isinstance(c, ast.TestsCell) for c in cells)
        if all(isinstance(c, (ast.ValuesCell, ast.AnyCell)) for c in cells):
            kinds.append("choice")
        elif tests * 2 > len(cells):  # mostly bands; the other rows go below the grid
            kinds.append("band")
        else:
            return None
    if sorted(kinds) != ["band", "band", "choice"]:
        return None
    choice = kinds.index("choice")
    bands = tuple(i for i in range(3) if i != choice)
    grid: dict[tuple[str, str], dict[str, int]] = {}
    rest: list[int] = []
    for index, row in enumerate(table.rows):
        cell = row.conditions[choice]
        band_cells = [row.conditions[b] for b in bands]
        if (
            not isinstance(cell, ast.ValuesCell)
            or cell.negated
            or len(cell.values) != 1
            or not all(isinstance(b, ast.TestsCell) for b in band_cells)
        ):
            rest.append(index)
            continue
        key = (_band_text(band_cells[0]), _band_text(band_cells[1]))
        value = print_value(cell.values[0])
        if value in grid.setdefault(key, {}):
            return None
        grid[key][value] = index
    if len(grid) < 2:
        return None
    return choice, (bands[0], bands[1]), grid, rest


def _band_text(cell: ast.Cell) -> str:
    """A band as a reader writes it: ``> 2 and ≤ 5``."""
    text = print_cell(cell)
    return escape(text.replace(">=", "\u2265").replace("<=", "\u2264"))

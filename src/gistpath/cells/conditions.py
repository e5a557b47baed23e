"""Conditions to regions: every condition of a model as a union of boxes over its cells.

Design: an atom (a comparison, an ``is``/``in`` test, a boolean) is the mask of the cells
where it holds in its input's dimension; ``and``, ``or`` and ``not`` are intersection,
union and complement (:mod:`gistpath.regions`); derived values are substituted, so regions
only ever speak of inputs and the pathway.

Limits: regions are simplified, not minimal.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from gistpath import ast
from gistpath.cells.space import Dimension, Space
from gistpath.language import UNKNOWN
from gistpath.model import Model
from gistpath.regions import Box, Region, complement, intersect_regions, merge, partition, simplify


def numeric_mask(dim: Dimension, op: str, value: int | float) -> int:
    """Cells of a numeric dimension where ``x <op> value`` holds (``unknown`` never does).

    With ``value`` the m-th threshold, its point cell is ``2m + 1``; every cell below it
    holds smaller numbers and every cell above larger ones, so each comparison is a run of
    cells, built with a few integer operations whatever the number of thresholds.
    """
    ts = dim.thresholds
    m = bisect.bisect_left(ts, value)  # every compared number is a threshold
    if m == len(ts) or ts[m] != value:
        raise ValueError(f"{value!r} is not a threshold of {dim.name}")
    point = 2 * m + 1
    full = (1 << (2 * len(ts) + 1)) - 1
    below = (1 << point) - 1  # cells 0 .. 2m
    masks = {
        "<": below,
        "<=": below | 1 << point,
        ">": full & ~(below | 1 << point),
        ">=": full & ~below,
        "=": 1 << point,
        "!=": full & ~(1 << point),
    }
    return masks[op] & dim.valid


class RegionCompiler:
    """Compiles conditions of one model to regions over its space.

    Built once per model: the derived values (``let`` conditions, table values and rows)
    are compiled in dependency order on construction, so :meth:`expr` substitutes their
    regions where a condition reads them. Its methods, in order: atoms (an input's cells,
    one value, a comparison), :meth:`expr` for whole expressions, and table cells
    (:meth:`cell`) and tables.
    """

    def __init__(self, model: Model, space: Space) -> None:
        self.model = model
        self.space = space
        self.universe = space.universe
        self.ordered = space.ordered
        self.lets: dict[str, Region] = {}
        self.table_values: dict[str, dict[str, Region]] = {}
        self.row_regions: dict[str, list[Region]] = {}
        self.considerations: dict[str, Region] = {}
        for name in model.derived_order:
            if name in model.lets:
                self.lets[name] = self.expr(model.lets[name].condition)
            else:
                self._table(name)

    def _dim(self, name: str) -> tuple[int, Dimension]:
        index = self.space.index(name)
        return index, self.space.dimensions[index]

    def _mask_region(self, name: str, mask: int) -> Region:
        index, dim = self._dim(name)
        mask &= dim.valid
        return [self.space.restrict(index, mask)] if mask else []

    def _value_region(self, name: str, value: ast.Value) -> Region:
        if name in self.lets:
            region = self.lets[name]
            if isinstance(value, ast.BoolLiteral) and not value.value:
                return complement(self.universe, region, self.ordered)
            return region
        if name in self.table_values:
            output = UNKNOWN if isinstance(value, ast.Unknown) else getattr(value, "name", "")
            return self.table_values[name].get(output, [])
        _, dim = self._dim(name)
        if isinstance(value, ast.Unknown):
            return self._mask_region(name, 1 << dim.unknown_cell)
        python: object = value.name if isinstance(value, ast.Symbol) else value.value
        return self._mask_region(name, 1 << dim.values.index(python))

    def _values_region(self, name: str, values: Iterable[ast.Value], negated: bool) -> Region:
        region: Region = []
        for value in values:
            region += self._value_region(name, value)
        region = simplify(region)
        return complement(self.universe, region, self.ordered) if negated else region

    def _compare(self, name: str, op: str, value: int | float) -> Region:
        _, dim = self._dim(name)
        return self._mask_region(name, numeric_mask(dim, op, value))

    def expr(self, node: ast.Expr) -> Region:
        """The region where ``node`` holds. Recursion is bounded by the parser's depth limit."""
        if isinstance(node, (ast.And, ast.AllOf)):
            region = [self.universe]
            for operand in node.operands:
                region = intersect_regions(region, self.expr(operand))
                if not region:
                    break
            return region
        if isinstance(node, ast.Or):
            out: Region = []
            for operand in node.operands:
                out += self.expr(operand)
            return simplify(out)
        if isinstance(node, ast.Not):
            return complement(self.universe, self.expr(node.operand), self.ordered)
        if isinstance(node, ast.Implies):
            return simplify(
                complement(self.universe, self.expr(node.left), self.ordered)
                + self.expr(node.right)
            )
        if isinstance(node, ast.Iff):
            left, right = self.expr(node.left), self.expr(node.right)
            both = intersect_regions(left, right)
            neither = intersect_regions(
                complement(self.universe, left, self.ordered),
                complement(self.universe, right, self.ordered),
            )
            return simplify(both + neither)
        if isinstance(node, ast.Reference):
            if node.name in self.lets:
                return self.lets[node.name]
            _, dim = self._dim(node.name)
            return self._mask_region(node.name, 1 << dim.values.index(True))
        if isinstance(node, ast.Comparison):
            return self._compare(node.name, node.op, node.quantity.value)
        if isinstance(node, ast.Includes):
            # over the inputs and the pathway: where the consideration applies beside it
            if node.value not in self.considerations:
                condition = self.model.considerations[node.value].condition
                self.considerations[node.value] = self.expr(condition)
            return self.considerations[node.value]
        if isinstance(node, ast.Between):
            return intersect_regions(
                self._compare(node.name, ast.flip_op(node.low_op), node.low.value),
                self._compare(node.name, node.high_op, node.high.value),
            )
        if isinstance(node, ast.IsTest):
            return self._values_region(node.name, (node.value,), node.negated)
        if isinstance(node, ast.InTest):
            return self._values_region(node.name, node.values, node.negated)
        raise TypeError(f"not a condition: {node!r}")  # pragma: no cover - checked before

    def cell(self, column: str, cell: ast.Cell) -> Region:
        """The region where one decision-table condition cell holds for the value of ``column``."""
        if isinstance(cell, ast.AnyCell):
            return [self.universe]
        if isinstance(cell, ast.TestsCell):
            region = [self.universe]
            for test in cell.tests:
                region = intersect_regions(
                    region, self._compare(column, test.op, test.quantity.value)
                )
            return region
        assert isinstance(cell, ast.ValuesCell)
        return self._values_region(column, cell.values, cell.negated)

    def _table(self, name: str) -> None:
        table = self.model.tables[name]
        values: dict[str, Region] = {v: [] for v in table.values}
        rows: list[Region] = []
        for row in table.rows:
            region = [self.universe]
            for column, cell in zip(table.condition_columns, row.conditions, strict=True):
                region = intersect_regions(region, self.cell(column, cell))
            rows.append(region)
        # One exact partition of the space by the rows' boxes: each piece takes the output
        # of the first row (in the table's order: written, or by priority) that holds it,
        # the same rule the reference interpreter follows; a piece no row holds takes the
        # default. Its cost follows the number of pieces, which for a table whose rows
        # partition the space is about the number of rows (the verifier reports overlaps
        # and gaps separately).
        boxes: list[Box] = []
        owner: list[int] = []
        for index, region in enumerate(rows):
            boxes.extend(region)
            owner.extend([index] * len(region))
        rank = {index: position for position, index in enumerate(table.row_order())}
        for piece, inside in partition(self.universe, boxes, self.ordered):
            if not inside:
                if table.default is not None:
                    values[table.default].append(piece)
                continue
            row = table.rows[min((owner[i] for i in inside), key=rank.__getitem__)]
            if row.output_is_reference:
                for value, other in self.table_values[row.output].items():
                    values[value] += intersect_regions([piece], other)
            else:
                values[row.output].append(piece)
        self.row_regions[name] = rows
        self.table_values[name] = {v: merge(r) for v, r in values.items()}

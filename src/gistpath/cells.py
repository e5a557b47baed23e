"""Compiler: checked model → cells per input and a region (union of boxes) per condition.

Design: each input becomes a :class:`Dimension` of cells. A numeric input is cut at every
number any condition compares it with (and at its own limits): with thresholds
``t0 < t1 < ... < tk`` the cells are ``(-inf, t0)``, ``{t0}``, ``(t0, t1)``, ``{t1}``, ...,
``(tk, +inf)``, so every comparison in the file is constant on each cell. A choice input
has one cell per value, a boolean two; ``unknown`` is a cell of its own. Cells outside an
input's domain (below its lower limit, integers strictly between 5 and 6) are simply not in
the dimension's ``valid`` mask. One more dimension, ``pathway``, has a cell per pathway so
that a consideration's ``when pathway is ...`` is a region like any other.

Every condition (rules, lets, table rows, constraints, considerations) then compiles to a
:data:`gistpath.regions.Region`. Derived values are compiled in dependency order and
substituted where they are read, so regions only ever speak of inputs (and the pathway).

Limits: the compiler does not decide anything about coverage; :mod:`gistpath.verify` does,
and :mod:`gistpath.tables` turns the regions into lookup tables for evaluation.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from gistpath import ast
from gistpath.errors import RuleSemanticError, make_diagnostics
from gistpath.language import PATHWAY_NAME, UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, Model, NumericDomain
from gistpath.regions import (
    Box,
    Region,
    complement,
    intersect_regions,
    merge,
    partition,
    simplify,
)

DimensionKind = Literal["choice", "boolean", "numeric", "pathway"]


@attrs.frozen
class Dimension:
    """The cells of one input (or of the pathway)."""

    name: str
    kind: DimensionKind
    values: tuple[object, ...]  # choice/boolean/pathway: the value of each cell
    thresholds: tuple[int | float, ...]  # numeric: t0 < t1 < ... < tk
    integer: bool
    allows_unknown: bool
    valid: int  # mask of the cells that hold at least one allowed value

    @property
    def size(self) -> int:
        """The number of cells: two per threshold and one, plus ``unknown``; or one per value."""
        if self.kind == "numeric":
            return 2 * len(self.thresholds) + 1 + (1 if self.allows_unknown else 0)
        return len(self.values)

    @property
    def unknown_cell(self) -> int:
        """Index of the ``unknown`` cell (only meaningful when ``allows_unknown``)."""
        if self.kind == "numeric":
            return 2 * len(self.thresholds) + 1
        return self.values.index(UNKNOWN)

    def cell_of(self, value: object) -> int:
        """The cell holding a valid value."""
        if self.kind != "numeric":
            return self.values.index(value)
        if value == UNKNOWN and type(value) is str:
            return self.unknown_cell
        ts = self.thresholds
        number: float = value  # type: ignore[assignment]
        i = bisect.bisect_left(ts, number)
        if i < len(ts) and ts[i] == number:
            return 2 * i + 1
        return 2 * i

    def cell_bounds(self, cell: int) -> tuple[float | int, float | int, bool]:
        """Numeric cell ``cell`` as (low, high, is_point); open interval when not a point."""
        ts = self.thresholds
        if cell % 2 == 1:
            t = ts[cell // 2]
            return t, t, True
        i = cell // 2
        low = ts[i - 1] if i > 0 else -math.inf
        high = ts[i] if i < len(ts) else math.inf
        return low, high, False

    def representative(self, cell: int) -> object:
        """A plain value inside the cell, chosen to read well in an example state."""
        if self.kind != "numeric":
            return self.values[cell]
        if self.allows_unknown and cell == self.unknown_cell:
            return UNKNOWN
        low, high, point = self.cell_bounds(cell)
        if point:
            return int(low) if self.integer else _plain(low)
        if self.integer:
            if math.isfinite(low):
                return int(math.floor(low) + 1)
            return int(math.ceil(high) - 1) if math.isfinite(high) else 0
        return _real_inside(float(low), float(high))


def _plain(value: float | int) -> float | int:
    return float(value)


def _real_inside(low: float, high: float) -> float:
    """A float strictly between ``low`` and ``high``, as round a number as there is."""
    if not math.isfinite(low) and not math.isfinite(high):
        return 0.0
    if not math.isfinite(low):
        whole = float(math.floor(high) - 1)
        return whole if whole < high else math.nextafter(high, -math.inf)
    if not math.isfinite(high):
        whole = float(math.floor(low) + 1)
        return whole if whole > low else math.nextafter(low, math.inf)
    whole = float(math.floor(low) + 1)
    if low < whole < high:
        return whole
    for digits in range(1, 17):  # the shortest decimal strictly inside
        step = 10.0**-digits
        candidate = round(math.floor(low / step) * step + step, digits)
        if low < candidate < high:
            return candidate
    mid = low / 2 + high / 2
    return mid if low < mid < high else math.nextafter(low, high)


@attrs.frozen
class Space:
    """All dimensions: the inputs in declaration order, then the pathway."""

    dimensions: tuple[Dimension, ...]

    @property
    def universe(self) -> Box:
        """The box of every valid state (each dimension's valid cells)."""
        return tuple(d.valid for d in self.dimensions)

    @property
    def ordered(self) -> tuple[bool, ...]:
        """Which dimensions have cells on a line (numbers): they may be cut at a threshold."""
        return tuple(d.kind == "numeric" for d in self.dimensions)

    @property
    def pathway_index(self) -> int:
        """The index of the pathway dimension (the last one)."""
        return len(self.dimensions) - 1

    def index(self, name: str) -> int:
        """The index of the dimension of input ``name`` (``KeyError`` if there is none)."""
        for i, dim in enumerate(self.dimensions):
            if dim.name == name:
                return i
        raise KeyError(name)

    def restrict(self, dim: int, mask: int) -> Box:
        """The universe with dimension ``dim`` narrowed to the cells of ``mask``."""
        box = list(self.universe)
        box[dim] &= mask
        return tuple(box)

    def example(self, box: Box) -> dict[str, object]:
        """A concrete state inside ``box`` (inputs only)."""
        out: dict[str, object] = {}
        for dim, mask in zip(self.dimensions[:-1], box[:-1], strict=True):
            out[dim.name] = dim.representative(_preferred_cell(dim, mask))
        return out


def _preferred_cell(dim: Dimension, mask: int) -> int:
    """An interval cell rather than a point where both are allowed: examples read better."""
    cells = [c for c in range(dim.size) if mask >> c & 1]
    if dim.kind == "numeric":
        for cell in cells:
            if cell % 2 == 0 and not (dim.allows_unknown and cell == dim.unknown_cell):
                return cell
    return cells[0]


# --------------------------------------------------------------------------- building the space


def model_thresholds(model: Model) -> dict[str, set[int | float]]:
    """Every number each numeric input is compared with, its limits included.

    Args:
        model: the checked model; conditions of lets, table cells, constraints, rules,
            considerations and properties are all read.

    Returns:
        Per numeric input (every one, even if never compared), the set of its thresholds:
        the cells of the input are cut at exactly these numbers.
    """
    found: dict[str, set[int | float]] = {}
    for name, item in model.inputs.items():
        if isinstance(item.domain, NumericDomain):
            found[name] = set()
            for limit in (item.domain.low, item.domain.high):
                if limit is not None:
                    found[name].add(limit.value)

    def note(name: str, quantity: ast.Quantity) -> None:
        if name in found:
            found[name].add(quantity.value)

    expressions: list[ast.Expr] = [let.condition for let in model.lets.values()]
    expressions += [c.condition for c in model.constraints]
    expressions += [r.condition for r in model.rules]
    expressions += [c.condition for c in model.considerations.values()]
    expressions += [line for p in model.properties.values() for line in p.conditions]
    for expr in expressions:
        for node in ast.walk_expr(expr):
            if isinstance(node, ast.Comparison):
                note(node.name, node.quantity)
            elif isinstance(node, ast.Between):
                note(node.name, node.low)
                note(node.name, node.high)
    for table in model.tables.values():
        for row in table.rows:
            for column, cell in zip(table.condition_columns, row.conditions, strict=True):
                if isinstance(cell, ast.TestsCell):
                    for test in cell.tests:
                        note(column, test.quantity)
    return found


#: Most distinct numbers one input may be compared with (each adds two cells).
MAX_THRESHOLDS = 10_000
#: Most bits the regions and tables may take, estimated before compiling: every condition
#: holds at least one box of one mask per cell. Past this a file is refused, not compiled
#: until memory runs out.
MAX_TABLE_BITS = 1 << 31


def _check_size(model: Model, thresholds: Mapping[str, set[int | float]]) -> None:
    """Refuse, with a located error, a file whose tables would not fit in memory."""
    problems = []
    for name, found in thresholds.items():
        if len(found) > MAX_THRESHOLDS:
            problems.append(
                (
                    f"input '{name}' is compared with {len(found):,} distinct numbers; at most "
                    f"{MAX_THRESHOLDS:,} are supported (bands or a table read better)",
                    model.inputs[name].line or 1,
                    1,
                )
            )
    if not problems:
        cells = sum(2 * len(found) + 2 for found in thresholds.values())
        cells += sum(len(getattr(i.domain, "values", ())) + 3 for i in model.inputs.values())
        conditions = (
            len(model.rules)
            + len(model.constraints)
            + len(model.considerations)
            + len(model.lets)
            + sum(len(table.rows) for table in model.tables.values())
        )
        if cells * conditions > MAX_TABLE_BITS:
            problems.append(
                (
                    f"the file is too large to compile: {conditions:,} conditions over "
                    f"{cells:,} cells would need more than {MAX_TABLE_BITS // 8 // 2**20:,} MB "
                    "of tables; split it into smaller rule sets",
                    1,
                    1,
                )
            )
    if problems:
        raise RuleSemanticError(make_diagnostics(problems, model.text, model.filename))


def build_space(model: Model) -> Space:
    """The cells of every input, then one dimension of pathways.

    Args:
        model: the checked model.

    Returns:
        The :class:`Space`: per input a :class:`Dimension` in declaration order (a choice
        or boolean one cell per value, a number cut at :func:`model_thresholds`,
        ``unknown`` a cell of its own), with the cells outside the input's domain left
        out of ``valid``; then the pathway dimension.

    Raises:
        gistpath.RuleSemanticError: when the file has too many thresholds or conditions
            to compile (see :data:`MAX_THRESHOLDS`, :data:`MAX_TABLE_BITS`).
    """
    thresholds = model_thresholds(model)
    _check_size(model, thresholds)
    dims: list[Dimension] = []
    for name, item in model.inputs.items():
        domain = item.domain
        if isinstance(domain, ChoiceDomain):
            values: tuple[object, ...] = domain.values + (
                (UNKNOWN,) if domain.allows_unknown else ()
            )
            dims.append(
                Dimension(
                    name, "choice", values, (), False, domain.allows_unknown, (1 << len(values)) - 1
                )
            )
        elif isinstance(domain, BooleanDomain):
            values = (False, True) + ((UNKNOWN,) if domain.allows_unknown else ())
            dims.append(
                Dimension(
                    name,
                    "boolean",
                    values,
                    (),
                    False,
                    domain.allows_unknown,
                    (1 << len(values)) - 1,
                )
            )
        else:
            ts = tuple(sorted(thresholds[name]))
            probe = Dimension(name, "numeric", (), ts, domain.integer, domain.allows_unknown, 0)
            valid = 0
            for cell in range(2 * len(ts) + 1):
                if cell_meets_domain(probe, cell, domain):
                    valid |= 1 << cell
            if domain.allows_unknown:
                valid |= 1 << probe.unknown_cell
            dims.append(attrs.evolve(probe, valid=valid))
    pathways = tuple(model.pathways)
    dims.append(
        Dimension(PATHWAY_NAME, "pathway", pathways, (), False, False, (1 << len(pathways)) - 1)
    )
    return Space(tuple(dims))


def cell_meets_domain(dim: Dimension, cell: int, domain: NumericDomain) -> bool:
    """Whether a numeric cell holds at least one value the input's domain allows.

    Args:
        dim: the numeric dimension.
        cell: a cell of it (not ``unknown``).
        domain: the input's domain (limits, integer or not).

    Returns:
        ``True`` when some allowed value (an integer, for an integer input) lies in the
        cell.
    """
    low, high, point = dim.cell_bounds(cell)
    if point:
        return domain.contains(low) and (not dim.integer or float(low).is_integer())
    # open interval (low, high) against the domain's limits
    if domain.low is not None:
        limit = domain.low.value
        if high <= limit:
            return False
        low = max(low, limit)
    if domain.high is not None:
        limit = domain.high.value
        if low >= limit:
            return False
        high = min(high, limit)
    if dim.integer:
        return not math.isfinite(low) or math.floor(low) + 1 < high
    # the open interval must hold a finite float
    if math.isinf(high):
        return math.isfinite(math.nextafter(low, math.inf))
    if math.isinf(low):
        return math.isfinite(math.nextafter(high, -math.inf))
    return math.nextafter(low, high) < high


# --------------------------------------------------------------------------- conditions → regions


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
    """Compiles conditions of one model to regions over its space."""

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

    # --- atoms

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

    # --- expressions

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

    # --- tables

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


#: A region once compiled: the same boxes, in a tuple nobody can change.
FrozenRegion = tuple[Box, ...]


@attrs.frozen
class CompiledModel:
    """Every condition of a model as a region over its space. Immutable throughout.

    A rule set shares it between threads, so its regions are tuples and its mappings
    read-only views.
    """

    model: Model
    space: Space
    rules: tuple[FrozenRegion, ...]
    constraints: tuple[FrozenRegion, ...]
    considerations: tuple[FrozenRegion, ...]
    lets: Mapping[str, FrozenRegion]
    table_values: Mapping[str, Mapping[str, FrozenRegion]]
    table_rows: Mapping[str, tuple[FrozenRegion, ...]]
    # Per `when` block (keyed by the line of its condition): the line and the region of all
    # the conditions down to it. The verifier uses them to say which block a gap is in.
    blocks: tuple[tuple[int, int, FrozenRegion], ...]  # (depth, line, region)
    # Per `holds` property, per line of its condition: the region where the line holds and,
    # for a line `a implies b`, the region of `a` (else None). Regions of a property speak
    # of the inputs and the pathway (`considerations include c` is c's own region).
    properties: Mapping[str, tuple[tuple[FrozenRegion, FrozenRegion | None], ...]] = (
        MappingProxyType({})
    )


def _block_regions(model: Model, compiler: RegionCompiler) -> tuple[tuple[int, int, Region], ...]:
    seen: dict[tuple[tuple[int, int], ...], tuple[int, int, Region]] = {}
    for rule in model.rules:
        region = [compiler.universe]
        for depth, guard in enumerate(rule.guards, start=1):
            key = tuple((g.line, g.column) for g in rule.guards[:depth])
            if key in seen:
                region = seen[key][2]
                continue
            region = intersect_regions(region, compiler.expr(guard))
            seen[key] = (depth, guard.line, region)
    return tuple(seen.values())


def compile_model(model: Model) -> CompiledModel:
    """Every condition of a checked model as a region over its cells.

    Args:
        model: the checked model (:func:`gistpath.check.check`).

    Returns:
        The :class:`CompiledModel`: the space, and the region of each rule, constraint,
        consideration, let, table value and row, ``when`` block and property line.

    Raises:
        gistpath.RuleSemanticError: when the file is too large to compile.
    """
    space = build_space(model)
    compiler = RegionCompiler(model, space)
    return CompiledModel(
        model=model,
        space=space,
        rules=tuple(tuple(compiler.expr(rule.condition)) for rule in model.rules),
        constraints=tuple(tuple(compiler.expr(c.condition)) for c in model.constraints),
        considerations=tuple(
            tuple(compiler.expr(c.condition)) for c in model.considerations.values()
        ),
        lets=MappingProxyType({k: tuple(v) for k, v in compiler.lets.items()}),
        table_values=MappingProxyType(
            {
                table: MappingProxyType({value: tuple(r) for value, r in values.items()})
                for table, values in compiler.table_values.items()
            }
        ),
        table_rows=MappingProxyType(
            {k: tuple(tuple(r) for r in v) for k, v in compiler.row_regions.items()}
        ),
        blocks=tuple(
            (depth, line, tuple(region)) for depth, line, region in _block_regions(model, compiler)
        ),
        properties=MappingProxyType(
            {
                pid: tuple(
                    (
                        tuple(compiler.expr(line)),
                        tuple(compiler.expr(line.left)) if isinstance(line, ast.Implies) else None,
                    )
                    for line in prop.conditions
                )
                for pid, prop in model.properties.items()
                if prop.kind == "holds"
            }
        ),
    )

"""Cutting each input into cells: the thresholds a model compares each numeric input
with, the size limits a file must stay within, and the :class:`~gistpath.cells.Space`
built from them.

Design: a numeric input is cut at every number any condition compares it with and at its
own limits, so every comparison in the file is constant on each cell; the cells outside
the domain (below a limit, integers strictly between 5 and 6) are left out of ``valid``.
A file whose regions would not fit in memory is refused before compiling.

Limits: see :data:`MAX_THRESHOLDS` and :data:`MAX_TABLE_BITS`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from gistpath import ast
from gistpath.cells.space import Dimension, Space
from gistpath.errors import RuleSemanticError, make_diagnostics
from gistpath.language import PATHWAY_NAME, UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, Model, NumericDomain


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
            dims.append(numeric_dimension(name, thresholds[name], domain))
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


def allowed_cells(dim: Dimension, domain: NumericDomain) -> int:
    """The cells of the numeric ``dim`` that hold a value ``domain`` allows (each cell
    :func:`cell_meets_domain` accepts), with ``unknown`` where the domain allows it."""
    valid = 0
    for cell in range(2 * len(dim.thresholds) + 1):
        if cell_meets_domain(dim, cell, domain):
            valid |= 1 << cell
    if domain.allows_unknown:
        valid |= 1 << dim.unknown_cell
    return valid


def numeric_dimension(
    name: str, thresholds: Iterable[int | float], domain: NumericDomain
) -> Dimension:
    """The dimension of the numeric input ``name`` cut at ``thresholds`` (which must hold
    the domain's limits: :func:`cell_meets_domain` counts on it), its ``valid`` cells
    those the domain allows."""
    probe = Dimension(
        name, "numeric", (), tuple(sorted(thresholds)), domain.integer, domain.allows_unknown, 0
    )
    return attrs.evolve(probe, valid=allowed_cells(probe, domain))

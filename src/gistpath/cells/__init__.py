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

The package: :mod:`~gistpath.cells.space` (cells, dimensions, the space),
:mod:`~gistpath.cells.cutting` (the thresholds and the space of a model),
:mod:`~gistpath.cells.conditions` (conditions to regions); :func:`compile_model` here puts
them together.

Limits: the compiler does not decide anything about coverage; :mod:`gistpath.verify` does,
and :mod:`gistpath.tables` turns the regions into lookup tables for evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from gistpath import ast
from gistpath.cells.conditions import RegionCompiler, numeric_mask
from gistpath.cells.cutting import (
    MAX_TABLE_BITS,
    MAX_THRESHOLDS,
    allowed_cells,
    build_space,
    cell_meets_domain,
    model_thresholds,
    numeric_dimension,
)
from gistpath.cells.space import Dimension, DimensionKind, Space
from gistpath.model import Model
from gistpath.regions import Box, Region, intersect_regions

__all__ = [
    "MAX_TABLE_BITS",
    "MAX_THRESHOLDS",
    "CompiledModel",
    "Dimension",
    "DimensionKind",
    "FrozenRegion",
    "RegionCompiler",
    "Space",
    "allowed_cells",
    "build_space",
    "cell_meets_domain",
    "compile_model",
    "model_thresholds",
    "numeric_dimension",
    "numeric_mask",
]


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
    """Per ``when`` block (each distinct chain of guards): its depth, its line and the region
    of all its guards."""
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

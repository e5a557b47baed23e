"""Conditions → the rows of a DMN decision table over the names they read (for to-dmn).

Design: a let, a constraint, a rule or a consideration is one condition over inputs and
derived values; DMN writes it as a decision table whose columns are the names it reads and
whose rules are the boxes where it holds. :class:`RowSpace` gives each name read a
:class:`gistpath.cells.Dimension` of its own (a number cut at the numbers these conditions
compare it with, a choice's values, ``yes``/``no``, a table's values and, for a table with
no ``default`` or with a row giving the value of such a table, one cell for "no value";
``unknown`` a cell of its own), compiles each condition there with
:class:`gistpath.cells.RegionCompiler` (the language's meaning, written once), and splits
the region into disjoint boxes (:func:`gistpath.regions.complement` twice).
A box becomes rules whose entries are S-FEEL (:mod:`gistpath.dmn.feel_text`, with FEEL's
``null`` for ``unknown``): one interval per numeric entry (a box allowing two separate
stretches of a number, or a stretch and ``null``, becomes two rules), a list or
``not(...)`` of values otherwise.

The entries mean in FEEL what the cells mean in gistpath: a comparison is null (no match)
on null, as a comparison never holds for ``unknown``; ``null`` is written wherever a box
holds ``unknown``; a table's "no value" is only ever inside a ``not(...)``, which FEEL
holds on null as gistpath holds a negated test on a missing value.

Limits: the rows are exact but not minimal (a condition with many ``or``/``not`` gives
more rows than a person would write); rows that only states the constraints exclude can
reach are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

import attrs

from gistpath import ast
from gistpath.cells import Dimension, RegionCompiler, Space, numeric_dimension
from gistpath.dmn.feel_text import MISSING, entries
from gistpath.language import PATHWAY_NAME, UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, Model, NumericDomain
from gistpath.regions import Box, complement


@attrs.frozen
class Column:
    """One column of an exported table: the name read and what it is."""

    name: str
    kind: str  # "number", "choice", "boolean", "let", "table", "pathway"

    @property
    def type_ref(self) -> str:
        return {"number": "number", "boolean": "boolean", "let": "boolean"}.get(self.kind, "string")


def names_read(conditions: Sequence[ast.Expr]) -> list[str]:
    """The names the conditions read, in order of first reading."""
    out: list[str] = []
    for expr in conditions:
        for node in ast.walk_expr(expr):
            name = getattr(node, "name", None)
            if isinstance(node, (ast.Not, ast.And, ast.Or, ast.AllOf, ast.Implies, ast.Iff)):
                continue
            if isinstance(name, str) and name not in out:
                out.append(name)
    return out


class RowSpace:
    """The cells of the names some conditions read, and their rows as DMN entries."""

    def __init__(self, model: Model, conditions: Sequence[ast.Expr]) -> None:
        self.model = model
        cuts: dict[str, set[int | float]] = {}
        for expr in conditions:
            for node in ast.walk_expr(expr):
                if isinstance(node, ast.Comparison):
                    cuts.setdefault(node.name, set()).add(node.quantity.value)
                elif isinstance(node, ast.Between):
                    cuts.setdefault(node.name, set()).update((node.low.value, node.high.value))
        self.columns: list[Column] = []
        dims: list[Dimension] = []
        for name in names_read(conditions):
            column, dim = self._dimension(name, cuts.get(name, set()))
            self.columns.append(column)
            dims.append(dim)
        self.space = Space(tuple(dims))
        bare = attrs.evolve(
            model,
            derived_order=(),
            lets=MappingProxyType({}),
            tables=MappingProxyType({}),
        )
        self.compiler = RegionCompiler(bare, self.space)

    def _dimension(self, name: str, cuts: set[int | float]) -> tuple[Column, Dimension]:
        model = self.model
        if name == PATHWAY_NAME:
            values: tuple[object, ...] = tuple(model.pathways)
            return Column(name, "pathway"), _choice(name, values)
        if name in model.lets:
            return Column(name, "let"), _choice(name, (True, False))
        if name in model.tables:
            table = model.tables[name]
            missing = (MISSING,) if _may_lack_value(model, name) else ()
            values = tuple(table.values) + missing
            return Column(name, "table"), _choice(name, values)
        item = model.inputs[name]
        domain = item.domain
        unknown = (UNKNOWN,) if domain.allows_unknown else ()
        if isinstance(domain, ChoiceDomain):
            return Column(name, "choice"), _choice(name, (*domain.values, *unknown))
        if isinstance(domain, BooleanDomain):
            return Column(name, "boolean"), _choice(name, (True, False, *unknown))
        assert isinstance(domain, NumericDomain)
        # the domain's limits are cuts too: numeric_dimension counts on it
        limits = {limit.value for limit in (domain.low, domain.high) if limit is not None}
        return Column(name, "number"), numeric_dimension(name, cuts | limits, domain)

    def boxes(self, condition: ast.Expr) -> list[Box]:
        """Disjoint boxes whose union is where ``condition`` holds."""
        universe, ordered = self.space.universe, self.space.ordered
        region = self.compiler.expr(condition)
        return complement(universe, complement(universe, region, ordered), ordered)

    def rows(self, condition: ast.Expr) -> list[tuple[str, ...]]:
        """The entries (one per column) of rules that hold exactly where ``condition`` does."""
        out: list[tuple[str, ...]] = []
        for box in self.boxes(condition):
            choices: list[list[str]] = []
            for dim, mask in zip(self.space.dimensions, box, strict=True):
                choices.append(self._entries(dim, mask))
            combos: list[tuple[str, ...]] = [()]
            for options in choices:
                combos = [(*combo, option) for combo in combos for option in options]
            out.extend(combos)
        return out

    def _entries(self, dim: Dimension, mask: int) -> list[str]:
        """The entries whose union is the cells ``mask`` (several only for numbers)."""
        return entries(dim, mask, unknown_is_null=dim.name in self.model.inputs)


def _may_lack_value(model: Model, name: str) -> bool:
    """Whether the table ``name`` can be left without a value: it has no ``default``, or a
    row gives the value of another table that can (a draft file with a gap in that table;
    the table's ``default`` does not fill in for it)."""
    table = model.tables[name]
    if table.default is None:
        return True
    return any(
        row.output_is_reference and _may_lack_value(model, row.output)
        for row in table.rows
        if row.output in model.tables
    )


def _choice(name: str, values: tuple[object, ...]) -> Dimension:
    return Dimension(name, "choice", values, (), False, False, (1 << len(values)) - 1)


__all__ = ["Column", "RowSpace", "names_read"]

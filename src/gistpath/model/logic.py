"""The parts of a rule file that decide: inputs, derived values (``let``), decision
tables, constraints, rules, properties and examples.

Design: ``when`` blocks and ``otherwise`` are already flattened, so each :class:`Rule`
stands on its own with its whole condition; conditions stay AST expressions, which
:mod:`gistpath.cells` turns into regions.

Limits: nothing here evaluates a condition (see :mod:`gistpath.interpreter`).
"""

from __future__ import annotations

from types import MappingProxyType

import attrs

from gistpath import ast
from gistpath.model.documentation import Citation
from gistpath.model.domains import BooleanDomain, ChoiceDomain, Domain


@attrs.frozen(repr=False)
class Input(ast.Frozen):
    """A declared field of the state."""

    name: str
    title: str | None
    domain: Domain
    summary: str | None = None
    line: int = attrs.field(default=0, eq=False)

    @property
    def kind(self) -> str:
        if isinstance(self.domain, ChoiceDomain):
            return "choice"
        if isinstance(self.domain, BooleanDomain):
            return "boolean"
        return "integer" if self.domain.integer else "number"


@attrs.frozen(repr=False)
class Let(ast.Frozen):
    """A named boolean computed from inputs and other derived values."""

    name: str
    title: str | None
    condition: ast.Expr
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class TableRow(ast.Frozen):
    """One row: per condition column a cell, the output, and annotation texts."""

    conditions: tuple[ast.Cell, ...]
    output: str
    output_is_reference: bool
    annotations: tuple[str | None, ...]
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class Table(ast.Frozen):
    """A decision table giving a derived choice value."""

    name: str
    title: str | None
    values: tuple[str, ...]
    hit: str
    condition_columns: tuple[str, ...]
    annotation_columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    citations: tuple[Citation, ...] = ()
    summary: str | None = None
    default: str | None = None  # the value where no row matches
    # The values in their declared order, lowest first (`values a < b < c, x`): empty when
    # the table orders none. Values outside it are exempt from `monotone` properties.
    order: tuple[str, ...] = ()
    line: int = attrs.field(default=0, eq=False)

    def row_order(self) -> tuple[int, ...]:
        """Row indices in the order they are tried: the written order, except that a
        ``priority`` table tries rows by their output's place in ``values`` (the first
        value is the highest priority), keeping the written order among equals."""
        indices = tuple(range(len(self.rows)))
        if self.hit != "priority":
            return indices
        rank = {value: i for i, value in enumerate(self.values)}
        return tuple(sorted(indices, key=lambda i: rank.get(self.rows[i].output, len(rank))))


@attrs.frozen(repr=False)
class Constraint(ast.Frozen):
    """A condition every valid state must satisfy."""

    name: str
    title: str | None
    condition: ast.Expr
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class Rule(ast.Frozen):
    """A rule with its ``when`` blocks flattened into ``guards``.

    ``own`` is the rule's condition, or ``None`` for ``otherwise``, which then holds when
    none of ``excluded`` (the other branches of its block) holds. ``condition`` is the whole
    thing as one expression, which is what fires the rule.
    """

    id: str
    pathway: str
    guards: tuple[ast.Expr, ...]
    own: ast.Expr | None
    excluded: tuple[ast.Expr, ...]
    condition: ast.Expr
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class Property(ast.Frozen):
    """A property the rules must have: ``kind`` is ``"holds"`` or ``"monotone"``.

    ``holds``: every condition of ``conditions`` (one per line written) holds for every valid
    state and the decision it gets. ``monotone``: the table value ``value`` never falls in
    its declared order as the numeric input ``input`` grows, all other inputs equal.
    """

    id: str
    title: str
    citations: tuple[Citation, ...]
    kind: str
    conditions: tuple[ast.Expr, ...] = ()
    value: str | None = None
    input: str | None = None
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class Example(ast.Frozen):
    """A state written in the rule file and the decision it must get."""

    name: str
    state: MappingProxyType[str, object]
    pathway: str
    considerations: tuple[str, ...]
    expected_values: MappingProxyType[str, object]
    line: int = attrs.field(default=0, eq=False)

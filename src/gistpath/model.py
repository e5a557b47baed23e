"""The checked meaning of a rule file: inputs with domains, derived values, rules, pathways.

Design: :mod:`gistpath.check` turns an :mod:`gistpath.ast` tree into one :class:`Model`
whose parts are small frozen values. Names are resolved (a citation holds its
:class:`Source`), ``when`` blocks and ``otherwise`` are flattened so that each
:class:`Rule` stands on its own, and domains say exactly which values a state may hold.
The public types here (:class:`Input`, :class:`Pathway`, :class:`Consideration`,
:class:`Source`, :class:`Citation`) are what :attr:`gistpath.RuleSet.inputs` and
:attr:`gistpath.RuleSet.pathways` hand out.

Limits: conditions stay as AST expressions; :mod:`gistpath.cells` gives them their
cell-level meaning and :mod:`gistpath.interpreter` evaluates them directly.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TypeAlias

import attrs

from gistpath import ast

# --------------------------------------------------------------------------- domains


@attrs.frozen(repr=False)
class ChoiceDomain(ast.Frozen):
    """One of a fixed set of names."""

    values: tuple[str, ...]
    allows_unknown: bool = False

    def describe(self) -> str:
        names = list(self.values) + (["unknown"] if self.allows_unknown else [])
        names = list(dict.fromkeys(names))
        return "one of " + ", ".join(repr(v) for v in names)


@attrs.frozen(repr=False)
class BooleanDomain(ast.Frozen):
    """``True`` or ``False`` (Python booleans only: ``1`` and ``"yes"`` are refused)."""

    allows_unknown: bool = False

    def describe(self) -> str:
        return "True or False" + (", or 'unknown'" if self.allows_unknown else "")


@attrs.frozen(repr=False)
class Limit(ast.Frozen):
    """One end of a numeric range: the value and whether the value itself is allowed."""

    value: int | float
    inclusive: bool


@attrs.frozen(repr=False)
class NumericDomain(ast.Frozen):
    """An integer or a real number, within optional limits, in an optional unit."""

    integer: bool
    low: Limit | None = None
    high: Limit | None = None
    unit: str | None = None
    allows_unknown: bool = False

    def contains(self, value: int | float) -> bool:
        if self.low is not None and (
            value < self.low.value or (value == self.low.value and not self.low.inclusive)
        ):
            return False
        return not (
            self.high is not None
            and (value > self.high.value or (value == self.high.value and not self.high.inclusive))
        )

    def describe_range(self) -> str:
        parts = []
        if self.low is not None:
            parts.append(f"{'>=' if self.low.inclusive else '>'} {_num(self.low.value)}")
        if self.high is not None:
            parts.append(f"{'<=' if self.high.inclusive else '<'} {_num(self.high.value)}")
        return " and ".join(parts)

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a finite number"
        text = kind
        if self.low is not None or self.high is not None:
            text += " " + self.describe_range()
        if self.unit:
            text += f" ({self.unit})"
        if self.allows_unknown:
            text += ", or 'unknown'"
        return text


Domain: TypeAlias = ChoiceDomain | BooleanDomain | NumericDomain


def _num(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if value == int(value) else repr(value)
    return repr(value) if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------- documentation


@attrs.frozen(repr=False)
class Source(ast.Frozen):
    """A published source that pathways cite."""

    name: str
    title: str
    publisher: str | None = None
    authors: str | None = None
    date: str | None = None
    url: str | None = None
    note: str | None = None
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class Citation(ast.Frozen):
    """A source and, where given, the section (heading, table) that supports the claim."""

    source: Source
    section: str | None = None

    def format(self) -> str:
        text = self.source.title
        if self.source.authors:
            authors = self.source.authors
            text = f"{authors}{' ' if authors.endswith('.') else '. '}{text}"
        if self.source.publisher:
            text = f"{self.source.publisher}: {text}"
        if self.section:
            text += f", section \u201c{self.section}\u201d"
        return text


@attrs.frozen(repr=False)
class Pathway(ast.Frozen):
    """A documented answer: each valid state maps to exactly one."""

    id: str
    title: str
    summary: str
    citations: tuple[Citation, ...]
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class Consideration(ast.Frozen):
    """An option added beside the pathway when its condition holds; never changes it."""

    id: str
    title: str
    summary: str
    citations: tuple[Citation, ...]
    condition: ast.Expr
    line: int = attrs.field(default=0, eq=False)


# --------------------------------------------------------------------------- logic


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


@attrs.frozen(repr=False)
class Model(ast.Frozen):
    """Everything a rule file says, checked and resolved."""

    name: str
    title: str | None
    summary: str | None
    version: str | None
    filename: str
    text: str
    sources: MappingProxyType[str, Source]
    inputs: MappingProxyType[str, Input]
    lets: MappingProxyType[str, Let]
    tables: MappingProxyType[str, Table]
    derived_order: tuple[str, ...]
    constraints: tuple[Constraint, ...]
    pathways: MappingProxyType[str, Pathway]
    considerations: MappingProxyType[str, Consideration]
    rules: tuple[Rule, ...]
    examples: tuple[Example, ...]
    tree: ast.RuleFile
    properties: MappingProxyType[str, Property] = attrs.field(factory=lambda: MappingProxyType({}))
    note: str | None = None  # the ruleset's note, shown under its summary in the docs

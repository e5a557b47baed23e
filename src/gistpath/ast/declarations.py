"""The declarations of a rule file: header, sources, pathways, considerations, inputs
with their types, ``let``, constraints, decision tables, rules (and ``when`` blocks),
examples and properties, and the :class:`RuleFile` that holds them in order.

Design: one frozen class per grammar construct, each with the position of its first
token; properties, citations and ``applies when`` lines are kept in the order written.

Limits: not checked here (see :mod:`gistpath.check`).
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from gistpath.ast.base import Frozen, position
from gistpath.ast.expressions import Condition, Expr
from gistpath.ast.literals import Literal, Quantity, Symbol, Value


@attrs.frozen(repr=False)
class Property(Frozen):
    """``summary "..."``, ``publisher "..."``: a key and a text."""

    key: str
    text: str
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Citation(Frozen):
    """``cites acs_options "Localized, smaller (resectable) tumors"``."""

    source: str
    section: str | None
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class AppliesWhen(Frozen):
    """The ``when`` line of a consideration."""

    condition: Expr
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class RulesetDecl(Frozen):
    name: str
    title: str | None
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class SourceDecl(Frozen):
    name: str
    title: str
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class PathwayDecl(Frozen):
    name: str
    title: str
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class ConsiderationDecl(Frozen):
    name: str
    title: str
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Bound(Frozen):
    """One end of a numeric input's range: ``> 0``, ``<= 100``."""

    op: str
    quantity: Quantity
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class ChoiceType(Frozen):
    values: tuple[Symbol, ...]
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class BooleanType(Frozen):
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class IntegerType(Frozen):
    bounds: tuple[Bound, ...] = ()
    unit: str | None = None
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class NumberType(Frozen):
    bounds: tuple[Bound, ...] = ()
    unit: str | None = None
    line: int = position()
    column: int = position()


TypeSpec: TypeAlias = ChoiceType | BooleanType | IntegerType | NumberType


@attrs.frozen(repr=False)
class InputDecl(Frozen):
    name: str
    title: str | None
    type: TypeSpec
    allows_unknown: bool = False
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class LetDecl(Frozen):
    name: str
    title: str | None
    condition: Expr
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class ConstraintDecl(Frozen):
    name: str
    title: str | None
    condition: Expr
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class AnyCell(Frozen):
    """``-``: the row does not care about this column."""

    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class TextCell(Frozen):
    """A quoted text in an annotation column, e.g. a published percentage."""

    text: str
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class TestsCell(Frozen):
    """``> 2 and <= 5``: comparisons of the column's value, all of which must hold."""

    tests: tuple[Bound, ...]
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class ValuesCell(Frozen):
    """``stomach, duodenum`` (any of these) or ``not unknown`` (none of these)."""

    values: tuple[Value, ...]
    negated: bool = False
    line: int = position()
    column: int = position()


Cell: TypeAlias = AnyCell | TextCell | TestsCell | ValuesCell


@attrs.frozen(repr=False)
class TableRow(Frozen):
    cells: tuple[Cell, ...]
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class TableDecl(Frozen):
    """A decision table: header names, rows of cells, and its own output value set.

    Columns before the one named like the table are conditions; the one named like the
    table holds each row's output; columns after it are annotations (quoted text).
    ``default`` is the value where no row matches (``None``: no value there).
    """

    name: str
    title: str | None
    values: tuple[str, ...]
    hit: str | None
    properties: tuple[Property | Citation | AppliesWhen, ...]
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    default: str | None = None
    # The values the `<` chain of the `values` line orders, lowest first (a prefix of
    # ``values``); empty when the line has no `<`.
    order: tuple[str, ...] = ()
    line: int = position()
    column: int = position()
    values_line: int = position()
    values_column: int = position()
    hit_line: int = position()
    header_line: int = position()


@attrs.frozen(repr=False)
class RuleDecl(Frozen):
    """``rule small_upper_gi -> surveillance: <condition>``."""

    name: str
    pathway: str
    condition: Condition
    line: int = position()
    column: int = position()
    pathway_column: int = position()


@attrs.frozen(repr=False)
class WhenBlock(Frozen):
    """``when <condition>:`` followed by rules and nested blocks that share it."""

    condition: Expr
    body: tuple[RuleDecl | WhenBlock, ...]
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Assignment(Frozen):
    name: str
    value: Literal
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class ExampleDecl(Frozen):
    """An example state inside the rule file and the decision it must get."""

    name: str
    like: str | None
    pathway: str
    considerations: tuple[str, ...]
    assignments: tuple[Assignment, ...]
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Holds(Frozen):
    """``holds: <condition>``: the condition must hold for every valid state."""

    condition: Expr
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Monotone(Frozen):
    """``monotone: <table value> in <numeric input>``."""

    value: str
    input: str
    line: int = position()
    column: int = position()
    input_column: int = position()


@attrs.frozen(repr=False)
class PropertyDecl(Frozen):
    """A property the rules must have, proven by the verifier, with its citations."""

    name: str
    title: str
    citations: tuple[Citation, ...]
    body: Holds | Monotone
    line: int = position()
    column: int = position()


Declaration: TypeAlias = (
    RulesetDecl
    | SourceDecl
    | InputDecl
    | LetDecl
    | TableDecl
    | ConstraintDecl
    | PathwayDecl
    | ConsiderationDecl
    | RuleDecl
    | WhenBlock
    | ExampleDecl
    | PropertyDecl
)


@attrs.frozen(repr=False)
class RuleFile(Frozen):
    """A whole parsed file: its declarations in the order written."""

    declarations: tuple[Declaration, ...]

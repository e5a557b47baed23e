"""The syntax tree of a rule file: small frozen attrs classes, one per grammar construct.

Design: every node is immutable and compares by content only; its place in the source
(``line``, ``column``, both 1-based) is carried along but left out of ``==`` and ``hash``, so a
file printed by :mod:`gistpath.printer` and parsed again gives an equal tree. Nodes hold
exactly what was written (a block condition stays an :class:`AllOf`, a ``between`` stays a
:class:`Between`); meaning is given later by :mod:`gistpath.check`.

Limits: the tree is not checked here. A node may name an input that does not exist or compare
a choice with a number; :mod:`gistpath.check` reports those with the node's position.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import Any, TypeAlias

import attrs


def _pos() -> int:
    return attrs.field(default=0, eq=False, kw_only=True, repr=False)


class Frozen:
    """What every node shares: a ``repr`` of its shown fields, written once.

    (attrs would write one per class; sixty of them cost several milliseconds at import,
    which every cold load of a rule file pays.)
    """

    __slots__ = ()

    def __repr__(self) -> str:
        fields = attrs.fields(type(self))  # type: ignore[arg-type]
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields if f.repr)
        return f"{type(self).__name__}({shown})"


# --------------------------------------------------------------------------- literals


@attrs.frozen(repr=False)
class Quantity(Frozen):
    """A number as written (``text``), its value, and an optional unit: ``2``, ``5.5 cm``."""

    value: int | float
    text: str
    unit: str | None = None
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Symbol(Frozen):
    """A bare name used as a value: a choice value, a table output, a pathway id."""

    name: str
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Unknown(Frozen):
    """The word ``unknown``, allowed for inputs declared ``or unknown``."""

    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class BoolLiteral(Frozen):
    """``yes`` or ``no``."""

    value: bool
    line: int = _pos()
    column: int = _pos()


Value: TypeAlias = Symbol | Unknown | BoolLiteral
Literal: TypeAlias = Value | Quantity


# --------------------------------------------------------------------------- expressions


@attrs.frozen(repr=False)
class Reference(Frozen):
    """A boolean input or a boolean ``let`` used on its own: ``fit_for_surgery``."""

    name: str
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Comparison(Frozen):
    """``size_cm <= 5``: a name, an operator (``< <= > >= = !=``) and a quantity."""

    name: str
    op: str
    quantity: Quantity
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Between(Frozen):
    """``2 < size_cm <= 5``: two comparisons on one name, written as a range."""

    low: Quantity
    low_op: str
    name: str
    high_op: str
    high: Quantity
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class IsTest(Frozen):
    """``site is stomach``, ``mitotic_rate is not unknown``."""

    name: str
    value: Value
    negated: bool = False
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class InTest(Frozen):
    """``site in {stomach, duodenum}``, ``mutation not in {wild_type}``."""

    name: str
    values: tuple[Value, ...]
    negated: bool = False
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Includes(Frozen):
    """``considerations include <id>``: only inside a property."""

    name: str  # always "considerations" once checked
    value: str
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Not(Frozen):
    operand: Expr
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class And(Frozen):
    operands: tuple[Expr, ...]
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Or(Frozen):
    operands: tuple[Expr, ...]
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class AllOf(Frozen):
    """A condition written as an indented list of lines, all of which must hold."""

    operands: tuple[Expr, ...]
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Implies(Frozen):
    left: Expr
    right: Expr
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Iff(Frozen):
    """``a exactly when b``."""

    left: Expr
    right: Expr
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Otherwise(Frozen):
    """The condition of a rule that fires when no other rule of its ``when`` block does."""

    line: int = _pos()
    column: int = _pos()


Expr: TypeAlias = (
    Reference
    | Comparison
    | Between
    | IsTest
    | InTest
    | Includes
    | Not
    | And
    | Or
    | AllOf
    | Implies
    | Iff
)
Condition: TypeAlias = Expr | Otherwise


# --------------------------------------------------------------------------- declarations


@attrs.frozen(repr=False)
class Property(Frozen):
    """``summary "..."``, ``publisher "..."``: a key and a text."""

    key: str
    text: str
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Citation(Frozen):
    """``cites acs_options "Localized, smaller (resectable) tumors"``."""

    source: str
    section: str | None
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class AppliesWhen(Frozen):
    """The ``when`` line of a consideration."""

    condition: Expr
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class RulesetDecl(Frozen):
    name: str
    title: str | None
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class SourceDecl(Frozen):
    name: str
    title: str
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class PathwayDecl(Frozen):
    name: str
    title: str
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class ConsiderationDecl(Frozen):
    name: str
    title: str
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Bound(Frozen):
    """One end of a numeric input's range: ``> 0``, ``<= 100``."""

    op: str
    quantity: Quantity
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class ChoiceType(Frozen):
    values: tuple[Symbol, ...]
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class BooleanType(Frozen):
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class IntegerType(Frozen):
    bounds: tuple[Bound, ...] = ()
    unit: str | None = None
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class NumberType(Frozen):
    bounds: tuple[Bound, ...] = ()
    unit: str | None = None
    line: int = _pos()
    column: int = _pos()


TypeSpec: TypeAlias = ChoiceType | BooleanType | IntegerType | NumberType


@attrs.frozen(repr=False)
class InputDecl(Frozen):
    name: str
    title: str | None
    type: TypeSpec
    allows_unknown: bool = False
    properties: tuple[Property | Citation | AppliesWhen, ...] = ()
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class LetDecl(Frozen):
    name: str
    title: str | None
    condition: Expr
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class ConstraintDecl(Frozen):
    name: str
    title: str | None
    condition: Expr
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class AnyCell(Frozen):
    """``-``: the row does not care about this column."""

    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class TextCell(Frozen):
    """A quoted text in an annotation column, e.g. a published percentage."""

    text: str
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class TestsCell(Frozen):
    """``> 2 and <= 5``: comparisons of the column's value, all of which must hold."""

    tests: tuple[Bound, ...]
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class ValuesCell(Frozen):
    """``stomach, duodenum`` (any of these) or ``not unknown`` (none of these)."""

    values: tuple[Value, ...]
    negated: bool = False
    line: int = _pos()
    column: int = _pos()


Cell: TypeAlias = AnyCell | TextCell | TestsCell | ValuesCell


@attrs.frozen(repr=False)
class TableRow(Frozen):
    cells: tuple[Cell, ...]
    line: int = _pos()
    column: int = _pos()


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
    line: int = _pos()
    column: int = _pos()
    values_line: int = _pos()
    values_column: int = _pos()
    hit_line: int = _pos()
    header_line: int = _pos()


@attrs.frozen(repr=False)
class RuleDecl(Frozen):
    """``rule small_upper_gi -> surveillance: <condition>``."""

    name: str
    pathway: str
    condition: Condition
    line: int = _pos()
    column: int = _pos()
    pathway_column: int = _pos()


@attrs.frozen(repr=False)
class WhenBlock(Frozen):
    """``when <condition>:`` followed by rules and nested blocks that share it."""

    condition: Expr
    body: tuple[RuleDecl | WhenBlock, ...]
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Assignment(Frozen):
    name: str
    value: Literal
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class ExampleDecl(Frozen):
    """An example state inside the rule file and the decision it must get."""

    name: str
    like: str | None
    pathway: str
    considerations: tuple[str, ...]
    assignments: tuple[Assignment, ...]
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Holds(Frozen):
    """``holds: <condition>``: the condition must hold for every valid state."""

    condition: Expr
    line: int = _pos()
    column: int = _pos()


@attrs.frozen(repr=False)
class Monotone(Frozen):
    """``monotone: <table value> in <numeric input>``."""

    value: str
    input: str
    line: int = _pos()
    column: int = _pos()
    input_column: int = _pos()


@attrs.frozen(repr=False)
class PropertyDecl(Frozen):
    """A property the rules must have, proven by the verifier, with its citations."""

    name: str
    title: str
    citations: tuple[Citation, ...]
    body: Holds | Monotone
    line: int = _pos()
    column: int = _pos()


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


def walk_expr(expr: Expr) -> Iterator[Expr]:
    """Every sub-expression of ``expr``, itself first (iterative: no recursion limit)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (And, Or, AllOf)):
            stack.extend(reversed(node.operands))
        elif isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, (Implies, Iff)):
            stack.extend((node.right, node.left))


def flip_op(op: str) -> str:
    """The operator seen from the other side: ``2 < x`` is ``x > 2``."""
    return {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}[op]


# What each comparison operator of the language means, as Python's own operators.
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "!=": operator.ne,
}


def literal_value(literal: Literal) -> object:
    """The plain Python value a literal stands for (``unknown`` is the text ``"unknown"``)."""
    if isinstance(literal, Quantity):
        return literal.value
    if isinstance(literal, Symbol):
        return literal.name
    if isinstance(literal, BoolLiteral):
        return literal.value
    return "unknown"

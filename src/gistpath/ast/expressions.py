"""The expressions of the language: comparisons, ``between``, ``is``/``in`` tests,
``considerations include``, ``not``/``and``/``or``, block conditions (:class:`AllOf`),
``implies``/``iff`` and ``otherwise``; how to walk them, and what each operator means.

Design: an expression holds exactly what was written (a block condition stays an
:class:`AllOf`, a ``between`` stays a :class:`Between`); :func:`walk_expr` visits every
sub-expression without recursion, so a deeply nested file cannot exhaust the stack.

Limits: not checked here: a name may be undeclared, a comparison may mix kinds.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import Any, TypeAlias

import attrs

from gistpath.ast.base import Frozen, position
from gistpath.ast.literals import Quantity, Value


@attrs.frozen(repr=False)
class Reference(Frozen):
    """A boolean input or a boolean ``let`` used on its own: ``fit_for_surgery``."""

    name: str
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Comparison(Frozen):
    """``size_cm <= 5``: a name, an operator (``< <= > >= = !=``) and a quantity."""

    name: str
    op: str
    quantity: Quantity
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Between(Frozen):
    """``2 < size_cm <= 5``: two comparisons on one name, written as a range."""

    low: Quantity
    low_op: str
    name: str
    high_op: str
    high: Quantity
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class IsTest(Frozen):
    """``site is stomach``, ``mitotic_rate is not unknown``."""

    name: str
    value: Value
    negated: bool = False
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class InTest(Frozen):
    """``site in {stomach, duodenum}``, ``mutation not in {wild_type}``."""

    name: str
    values: tuple[Value, ...]
    negated: bool = False
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Includes(Frozen):
    """``considerations include <id>``: only inside a property."""

    name: str  # always "considerations" once checked
    value: str
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Not(Frozen):
    operand: Expr
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class And(Frozen):
    operands: tuple[Expr, ...]
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Or(Frozen):
    operands: tuple[Expr, ...]
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class AllOf(Frozen):
    """A condition written as an indented list of lines, all of which must hold."""

    operands: tuple[Expr, ...]
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Implies(Frozen):
    left: Expr
    right: Expr
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Iff(Frozen):
    """``a exactly when b``."""

    left: Expr
    right: Expr
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Otherwise(Frozen):
    """The condition of a rule that fires when no other rule of its ``when`` block does."""

    line: int = position()
    column: int = position()


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

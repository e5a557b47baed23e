"""Conditions, comparisons, values and number literals: the type checks every pass shares.

Design: the passes that read conditions (derived values, tables, constraints, rules,
considerations, examples) call :func:`check_condition` on each; it walks the expression
without recursion (a deep file cannot exhaust the stack) and, for each name, asks
:func:`kind_of` what it is: a choice, a yes/no value, a number or the chosen pathway. A
name used as the wrong kind, a value outside a choice, ``unknown`` where it was not
declared, a unit that does not match and a number literal that cannot be held exactly are
reported where they are written. Which derived values a condition reads is collected in
``used``, for the dependency pass. Not a pass itself.

Limits: only names declared in the scope so far are known: inputs (the inputs pass) and
every derived value (the derived-names pass) are, which is why those passes run first.
"""

from __future__ import annotations

import math
import re
from typing import Any

from gistpath import ast
from gistpath.check.scope import Scope, short
from gistpath.language import CONSIDERATIONS_NAME, PATHWAY_NAME, UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, NumericDomain
from gistpath.printer import print_value

_NONZERO_DIGIT = re.compile("[1-9]")


def kind_of(scope: Scope, name: str, allow_pathway: bool) -> tuple[str, Any]:
    """What a name is: ``(kind, domain)``.

    Args:
        scope: the scope holding the declarations.
        name: an input, derived value or (where ``allow_pathway``) ``pathway``.
        allow_pathway: whether ``pathway`` names the chosen pathway here (in a
            consideration's ``when``).

    Returns:
        ``kind`` is ``"choice"``, ``"boolean"``, ``"numeric"``, ``"pathway"`` or
        ``"missing"``; ``domain`` is the :mod:`gistpath.model` domain of its values
        (``None`` when missing). A table is a choice among its values.
    """
    if name in scope.inputs:
        domain = scope.inputs[name].domain
        if isinstance(domain, ChoiceDomain):
            return "choice", domain
        if isinstance(domain, BooleanDomain):
            return "boolean", domain
        return "numeric", domain
    node = scope.derived_nodes.get(name)
    if isinstance(node, ast.LetDecl):
        return "boolean", BooleanDomain(False)
    if isinstance(node, ast.TableDecl):
        # A table may name one of its outputs `unknown`; the word then means that value.
        values = tuple(v for v in node.values if v != UNKNOWN)
        return "choice", ChoiceDomain(values, UNKNOWN in node.values)
    if name == PATHWAY_NAME and allow_pathway:
        return "pathway", ChoiceDomain(tuple(scope.pathways), False)
    return "missing", None


def report_missing(scope: Scope, node: Any, name: str, allow_pathway: bool) -> None:
    """Report ``name`` as undeclared at ``node``, with the closest declared name as a hint."""
    names = [n for n in (*scope.inputs, *scope.derived_nodes) if n != scope.defining]
    hint = ""
    if name == PATHWAY_NAME:
        hint = "; 'pathway' can only be tested in a consideration's 'when' or a property"
    elif name == CONSIDERATIONS_NAME:
        hint = "; in a property, write 'considerations include <id>'"
    scope.error(
        node,
        f"'{name}' is not a declared input or derived value" + (hint or scope.suggest(name, names)),
    )


def check_condition(
    scope: Scope,
    expr: ast.Expr,
    used: set[str],
    *,
    allow_pathway: bool = False,
    in_property: bool = False,
) -> None:
    """Check an expression that must be a condition (a yes/no value).

    Args:
        scope: the scope problems are reported to.
        expr: the condition.
        used: filled with the derived values the condition reads.
        allow_pathway: whether ``pathway is ...`` may be tested (a consideration's
            ``when``, a property).
        in_property: whether ``considerations include <id>`` may be written (only in a
            property's ``holds``).
    """
    stack: list[ast.Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Includes):
            check_includes(scope, node, in_property)
        elif isinstance(node, (ast.And, ast.Or, ast.AllOf)):
            stack.extend(node.operands)
        elif isinstance(node, ast.Not):
            stack.append(node.operand)
        elif isinstance(node, (ast.Implies, ast.Iff)):
            stack.extend((node.left, node.right))
        elif isinstance(node, ast.Reference):
            kind, _ = kind_of(scope, node.name, allow_pathway)
            note_use(scope, node.name, used)
            if kind == "missing":
                report_missing(scope, node, node.name, allow_pathway)
            elif kind != "boolean":
                scope.error(
                    node,
                    f"'{node.name}' is a {kind_word(kind)}, not a yes/no value; write "
                    + (
                        f"'{node.name} is <value>'"
                        if kind in ("choice", "pathway")
                        else f"a comparison such as '{node.name} > 0'"
                    ),
                )
        elif isinstance(node, ast.Comparison):
            note_use(scope, node.name, used)
            check_comparison(scope, node.name, node.op, node.quantity, node, allow_pathway)
        elif isinstance(node, ast.Between):
            note_use(scope, node.name, used)
            ascending = node.low_op in ("<", "<=") and node.high_op in ("<", "<=")
            descending = node.low_op in (">", ">=") and node.high_op in (">", ">=")
            if not (ascending or descending):
                scope.error(
                    node,
                    "a range is written low < name <= high (both signs pointing the same way)",
                )
            check_comparison(scope, node.name, node.low_op, node.low, node, allow_pathway)
            check_comparison(scope, node.name, node.high_op, node.high, node, allow_pathway)
        elif isinstance(node, (ast.IsTest, ast.InTest)) and (
            kind_of(scope, node.name, allow_pathway)[0] == "missing"
        ):
            report_missing(scope, node, node.name, allow_pathway)  # once, at the name
        elif isinstance(node, ast.IsTest):
            note_use(scope, node.name, used)
            check_value(scope, node.name, node.value, allow_pathway)
        elif isinstance(node, ast.InTest):
            note_use(scope, node.name, used)
            seen: set[object] = set()
            for value in node.values:
                key = ast.literal_value(value)
                if key in seen:
                    scope.error(value, "this value is listed twice")
                seen.add(key)
                check_value(scope, node.name, value, allow_pathway)


def check_includes(scope: Scope, node: ast.Includes, in_property: bool) -> None:
    """Check ``considerations include <id>``: only in a property, of a declared consideration.

    Args:
        scope: the scope problems are reported to.
        node: the term.
        in_property: whether the term stands in a property's ``holds``.
    """
    if node.name != CONSIDERATIONS_NAME:
        scope.error(
            node,
            f"only 'considerations include <id>' can be written with 'include', "
            f"not '{node.name} include'",
        )
    elif not in_property:
        scope.error(node, "'considerations include' can only be used inside a property's 'holds'")
    elif node.value not in scope.considerations:
        scope.error(
            node,
            f"'{node.value}' is not a declared consideration"
            + scope.suggest(node.value, scope.considerations),
        )


def note_use(scope: Scope, name: str, used: set[str]) -> None:
    """Add ``name`` to ``used`` when it is a derived value."""
    if name in scope.derived_nodes:
        used.add(name)


def check_comparison(
    scope: Scope, name: str, op: str, quantity: ast.Quantity, node: Any, allow_pathway: bool = False
) -> None:
    """Check ``name op quantity``: a declared number, a known operator, a matching unit.

    Args:
        scope: the scope problems are reported to.
        name: the compared name.
        op: the operator as written (``==`` is reported: equality is ``=``).
        quantity: the number and its unit.
        node: where a problem with the comparison as a whole is reported.
        allow_pathway: as for :func:`check_condition`.
    """
    kind, domain = kind_of(scope, name, allow_pathway)
    if op == "==":
        scope.error(node, "write '=' for equality, not '=='")
        return
    if kind == "missing":
        report_missing(scope, node, name, allow_pathway)
        return
    if kind != "numeric":
        scope.error(
            node,
            f"'{name}' is a {kind_word(kind)} and cannot be compared with a number",
        )
        return
    assert isinstance(domain, NumericDomain)
    check_number(scope, quantity, integer=domain.integer)
    if quantity.unit is not None and quantity.unit != domain.unit:
        expected = f"'{domain.unit}'" if domain.unit else "no unit"
        scope.error(
            quantity,
            f"unit mismatch: '{name}' is measured in {expected}, not '{quantity.unit}'",
        )


def check_value(scope: Scope, name: str, value: ast.Value, allow_pathway: bool = False) -> None:
    """Check that ``value`` is a possible value of ``name``.

    A choice value must be one of the choice's values, a yes/no value must be ``yes`` or
    ``no``, ``unknown`` must be allowed by the declaration; a number is compared, never tested
    with ``is``. Problems are reported at ``value``.
    """
    kind, domain = kind_of(scope, name, allow_pathway)
    if kind == "missing":
        report_missing(scope, value, name, allow_pathway)
        return
    if isinstance(value, ast.Unknown):
        if not domain.allows_unknown:
            hint = (
                "add 'unknown' to its values"
                if name in scope.derived_nodes
                else "declare it with 'or unknown' to allow that"
            )
            scope.error(value, f"'{name}' cannot be unknown; {hint}")
        return
    if kind == "numeric":
        scope.error(
            value,
            f"'{name}' is a number; compare it (e.g. '{name} <= 5') or test '{name} is unknown'",
        )
    elif kind == "boolean":
        if not isinstance(value, ast.BoolLiteral):
            scope.error(value, f"'{name}' is yes or no, not '{print_value(value)}'")
    elif isinstance(value, ast.BoolLiteral):
        scope.error(value, f"'{name}' is a choice, not yes or no; it is {domain.describe()}")
    elif isinstance(value, ast.Symbol) and value.name not in domain.values:
        what = "a pathway" if kind == "pathway" else f"a value of '{name}'"
        scope.error(
            value,
            f"'{value.name}' is not {what}; expected {domain.describe()}"
            + scope.suggest(value.name, domain.values),
        )


def check_number(scope: Scope, quantity: ast.Quantity, *, integer: bool) -> int | float | None:
    """A number literal as the exact value it will be compared with, or ``None``.

    Args:
        scope: the scope problems are reported to.
        quantity: the literal.
        integer: whether it is compared with an integer input.

    Returns:
        The value, or ``None`` (and a problem reported) when it overflows, underflows to
        0, is an integer too large for 64 bits or a float, or is not an integer where one is
        needed.
    """
    value = quantity.value
    if isinstance(value, float) and not math.isfinite(value):
        scope.error(quantity, f"the number {short(quantity.text)} is too large")
        return None
    if underflows(quantity):
        scope.error(
            quantity,
            f"the number {short(quantity.text)} is too small to be told apart from 0",
        )
        return None
    if isinstance(value, int) and integer and abs(value) >= 2**63:
        scope.error(quantity, f"the integer {short(quantity.text)} is too large")
        return None
    if isinstance(value, int) and not integer:
        try:
            exact = float(value) == value
        except OverflowError:
            exact = False
        if not exact:
            scope.error(
                quantity,
                f"the number {short(quantity.text)} is too large to be compared exactly",
            )
            return None
    if integer and not isinstance(value, int):
        if float(value).is_integer():
            scope.error(quantity, f"write the integer {quantity.text} without a decimal point")
        else:
            scope.error(quantity, f"{quantity.text} is not an integer")
        return None
    return value


def underflows(quantity: ast.Quantity) -> bool:
    """A number written with a non-zero digit that a float reads as 0 (``1e-400``)."""
    return quantity.value == 0 and bool(_NONZERO_DIGIT.search(re.split("[eE]", quantity.text)[0]))


def kind_word(kind: str) -> str:
    """The kind of a name in words ("yes/no value", "number", ...)."""
    return {"choice": "choice", "boolean": "yes/no value", "numeric": "number"}.get(kind, kind)

"""Pass: ``example`` declarations: whole, valid states with the decision they expect.

Design: an example may be ``like`` another and change some values; its state is the chain
of examples it is like, applied oldest first. Each value is validated exactly as
:meth:`gistpath.RuleSet.evaluate` would validate it (:func:`gistpath.state.field_validator`),
every input must be given, and the expected pathway, considerations and derived values
must be declared. Only an example's own lines are reported, so a mistake in one example is
reported once, not again in every example like it.

Limits: whether each example gets the decision it expects is checked by
:mod:`gistpath.verify` once the rules are compiled.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from gistpath import ast
from gistpath.check.expressions import check_value, underflows
from gistpath.check.scope import Scope, short
from gistpath.errors import StateError
from gistpath.model import BooleanDomain, Example, NumericDomain
from gistpath.state import field_validator


def check_examples(scope: Scope) -> None:
    """Fill :attr:`Scope.examples`, in file order."""
    scope.examples = _examples(scope, scope.declarations(ast.ExampleDecl))


def _examples(scope: Scope, decls: list[ast.ExampleDecl]) -> tuple[Example, ...]:
    """Every example declared once, its state and expectations checked."""
    by_name: dict[str, ast.ExampleDecl] = {}
    for decl in decls:
        if decl.name in by_name:
            scope.error(decl, f"example '{decl.name}' is declared twice")
        else:
            by_name[decl.name] = decl
    out = []
    for decl in decls:
        if by_name.get(decl.name) is not decl:
            continue
        chain = _like_chain(scope, decl, by_name)
        if chain is None:
            continue
        state: dict[str, object] = {}
        expected: dict[str, object] = {}
        given: set[str] = set()
        for link in reversed(chain):
            for assignment in link.assignments:
                given.add(assignment.name)
                _assign(scope, assignment, state, expected, own=link is decl)
        if decl.pathway not in scope.pathways:
            scope.error(
                decl,
                f"'{decl.pathway}' is not a declared pathway"
                + scope.suggest(decl.pathway, scope.pathways),
            )
        for name in decl.considerations:
            if name not in scope.considerations:
                scope.error(
                    decl,
                    f"'{name}' is not a declared consideration"
                    + scope.suggest(name, scope.considerations),
                )
        missing = [name for name in scope.inputs if name not in given]
        if missing:
            scope.error(decl, f"example '{decl.name}' gives no value for: " + ", ".join(missing))
        out.append(
            Example(
                decl.name,
                MappingProxyType({k: state[k] for k in scope.inputs if k in state}),
                decl.pathway,
                decl.considerations,
                MappingProxyType(expected),
                line=decl.line,
            )
        )
    return tuple(out)


def _like_chain(
    scope: Scope, decl: ast.ExampleDecl, by_name: dict[str, ast.ExampleDecl]
) -> list[ast.ExampleDecl] | None:
    """The example, the one it is ``like``, that one's, and so on; ``None`` when broken.

    A ``like`` naming no example, or a circle of ``like``, is reported (a circle once, at the
    example that closes it).
    """
    chain = [decl]
    current = decl
    while current.like is not None:
        parent = by_name.get(current.like)
        if parent is None:
            scope.error(
                current,
                f"'{current.like}' is not an example" + scope.suggest(current.like, by_name),
            )
            return None
        if parent in chain:
            if current is decl or parent is decl:
                scope.error(decl, f"example '{decl.name}' is 'like' itself in a circle")
            return None
        chain.append(parent)
        current = parent
    return chain


def _assign(
    scope: Scope,
    assignment: ast.Assignment,
    state: dict[str, object],
    expected: dict[str, object],
    *,
    own: bool,
) -> None:
    """One ``name = value`` line of an example, into ``state`` or ``expected``.

    Args:
        scope: the scope problems are reported to.
        assignment: the line.
        state: the example's inputs so far (validated values).
        expected: the derived values the example expects.
        own: whether the line is the example's own (only those are reported) rather than
            taken over through ``like``.
    """
    name = assignment.name
    literal = assignment.value
    if name in scope.inputs:
        item = scope.inputs[name]
        python = ast.literal_value(literal)
        if isinstance(literal, ast.Quantity):
            domain = item.domain
            if literal.unit is not None and (
                not isinstance(domain, NumericDomain) or literal.unit != domain.unit
            ):
                if own:
                    scope.error(literal, f"unit mismatch: '{name}' is not in '{literal.unit}'")
                return
            beyond = (
                "too small to be told apart from 0"
                if underflows(literal)
                else "too large"
                if isinstance(literal.value, float) and not math.isfinite(literal.value)
                else None
            )
            if beyond is not None:
                if own:
                    scope.error(
                        literal,
                        f"not a valid value for '{name}': the number "
                        f"{short(literal.text)} is {beyond}",
                    )
                return
        try:
            state[name] = field_validator(item)(python)
        except StateError as error:
            if own:
                if isinstance(item.domain, BooleanDomain) and isinstance(literal, ast.Symbol):
                    # rule text writes booleans as yes/no, in examples as in conditions
                    allowed = "yes or no" + (" (or unknown)" if item.domain.allows_unknown else "")
                    scope.error(
                        assignment.value,
                        f"not a valid value for '{name}': a boolean is written {allowed} "
                        f"in rule text, in examples as in conditions; got '{literal.name}'",
                    )
                else:
                    scope.error(assignment.value, f"not a valid value for '{name}': {error}")
        return
    if name in scope.derived_nodes:
        # Expected derived values belong to the example that states them; an example
        # 'like' another takes over its state, not its expectations.
        if own:
            if isinstance(literal, ast.Quantity):
                scope.error(literal, f"'{name}' is not a number")
            else:
                check_value(scope, name, literal)
            expected[name] = ast.literal_value(literal)
        return
    if own:
        scope.error(
            assignment,
            f"'{name}' is not a declared input or derived value"
            + scope.suggest(name, [*scope.inputs, *scope.derived_nodes]),
        )

"""Pass: rules and ``when`` blocks, flattened into rules that each stand on their own.

Design: a rule inside ``when`` blocks keeps the blocks' conditions as its ``guards``; an
``otherwise`` rule (at most one per block) holds where no other rule or block of its block
does, and keeps the conditions it excludes for explanations. Each rule's full condition
(``guards and own``) is built here, once. Rule names are declared once, each names a
declared pathway, the file has at least one rule, and every pathway is reached by some rule.

Limits: whether the rules cover every state exactly once is not a question for this pass;
:mod:`gistpath.verify` answers it over the compiled tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from gistpath import ast
from gistpath.check.expressions import check_condition
from gistpath.check.scope import At, Scope
from gistpath.model import Rule


def check_rules(scope: Scope) -> None:
    """Fill :attr:`Scope.rules`; report a file without rules and pathways no rule reaches."""
    rules = _rules(scope, scope.declarations(ast.RuleDecl, ast.WhenBlock))
    scope.rules = rules
    if not rules and not scope.problems:
        scope.error(
            At(1, 1),
            "the file has no rules: declare at least one pathway and a rule that leads "
            "to it (rule <name> -> <pathway>: <condition>)",
        )
    named = {rule.pathway for rule in rules}
    for pathway in scope.pathways.values():
        if pathway.id not in named:
            scope.error(
                pathway,
                f"no rule leads to pathway '{pathway.id}'; add a rule or remove it",
            )


def _rules(scope: Scope, items: list[ast.RuleDecl | ast.WhenBlock]) -> tuple[Rule, ...]:
    """The rules of the file, flattened, in file order."""
    out: list[Rule] = []
    seen: dict[str, ast.RuleDecl] = {}
    _block(scope, items, (), out, seen)
    return tuple(out)


def _block(
    scope: Scope,
    items: Sequence[ast.RuleDecl | ast.WhenBlock],
    guards: tuple[ast.Expr, ...],
    out: list[Rule],
    seen: dict[str, ast.RuleDecl],
) -> None:
    """Check one block of rules and ``when`` blocks, appending its rules to ``out``.

    Args:
        scope: the scope problems are reported to.
        items: the rules and nested ``when`` blocks of the block, in file order.
        guards: the conditions of the enclosing ``when`` blocks, outermost first.
        out: the flattened rules so far; this block's are appended.
        seen: every rule name so far, to report a name declared twice.
    """
    branches: list[ast.Expr] = []
    otherwise: list[ast.RuleDecl] = []
    for item in items:
        if isinstance(item, ast.WhenBlock):
            check_condition(scope, item.condition, set())
            branches.append(item.condition)
            _block(scope, item.body, (*guards, item.condition), out, seen)
            continue
        if item.name in seen:
            scope.error(item, f"rule '{item.name}' is declared twice")
        seen[item.name] = item
        if item.pathway not in scope.pathways:
            scope.error(
                At(item.line, item.pathway_column),
                f"'{item.pathway}' is not a declared pathway"
                + scope.suggest(item.pathway, scope.pathways),
            )
        if isinstance(item.condition, ast.Otherwise):
            otherwise.append(item)
            continue
        check_condition(scope, item.condition, set())
        branches.append(item.condition)
        out.append(
            Rule(
                item.name,
                item.pathway,
                guards,
                item.condition,
                (),
                _conjoin((*guards, item.condition)),
                line=item.line,
            )
        )
    for extra in otherwise[1:]:
        scope.error(extra, "a block has at most one 'otherwise' rule")
    if otherwise:
        item = otherwise[0]
        negation: list[ast.Expr] = (
            [ast.Not(_disjoin(branches), line=item.line, column=item.column)] if branches else []
        )
        out.append(
            Rule(
                item.name,
                item.pathway,
                guards,
                None,
                tuple(branches),
                _conjoin((*guards, *negation)),
                line=item.line,
            )
        )


def _conjoin(parts: tuple[ast.Expr, ...]) -> ast.Expr:
    """``a and b and ...`` of the parts (one part: itself; none: always)."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return ast.AllOf(())
    return ast.And(parts, line=parts[0].line, column=parts[0].column)


def _disjoin(parts: list[ast.Expr]) -> ast.Expr:
    """``a or b or ...`` of the parts (one part: itself)."""
    if len(parts) == 1:
        return parts[0]
    return ast.Or(tuple(parts), line=parts[0].line, column=parts[0].column)

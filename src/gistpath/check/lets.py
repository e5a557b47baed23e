"""Pass: ``let`` declarations: each condition is checked and the derived values it reads noted."""

from __future__ import annotations

from gistpath import ast
from gistpath.check.expressions import check_condition
from gistpath.check.scope import Scope
from gistpath.model import Let


def check_lets(scope: Scope) -> None:
    """Record every ``let`` whose name was free in :attr:`Scope.lets`."""
    for decl in scope.declarations(ast.LetDecl):
        check_let(scope, decl)


def check_let(scope: Scope, decl: ast.LetDecl) -> None:
    """One ``let``: its condition must be a yes/no value.

    The derived values it reads go to :attr:`Scope.depends` for the dependency pass.
    """
    if scope.derived_nodes.get(decl.name) is not decl:
        return
    used: set[str] = set()
    scope.defining = decl.name
    check_condition(scope, decl.condition, used)
    scope.defining = None
    scope.depends[decl.name] = used
    scope.lets[decl.name] = Let(decl.name, decl.title, decl.condition, line=decl.line)

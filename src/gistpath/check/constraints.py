"""Pass: ``constraint`` declarations: each condition must be a yes/no value."""

from __future__ import annotations

from gistpath import ast
from gistpath.check.expressions import check_condition
from gistpath.check.scope import Scope
from gistpath.model import Constraint


def check_constraints(scope: Scope) -> None:
    """Fill :attr:`Scope.constraints`, in file order."""
    scope.constraints = tuple(_constraint(scope, d) for d in scope.declarations(ast.ConstraintDecl))


def _constraint(scope: Scope, decl: ast.ConstraintDecl) -> Constraint:
    """One constraint, its condition checked."""
    check_condition(scope, decl.condition, set())
    return Constraint(decl.name, decl.title, decl.condition, line=decl.line)

"""Pass: the names of derived values (``let`` and ``table``), reserved before any condition is read.

Design: conditions may read a derived value declared further down the file, so every
``let`` and ``table`` name is recorded in :attr:`Scope.derived_nodes` first; a name already
taken by an input or another derived value, or the reserved word ``pathway``, is reported
and the declaration skipped by the later passes.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.check.scope import Scope
from gistpath.language import PATHWAY_NAME


def check_derived_names(scope: Scope) -> None:
    """Record the name of every ``let`` and ``table`` in :attr:`Scope.derived_nodes`."""
    for decl in scope.tree.declarations:
        if not isinstance(decl, (ast.LetDecl, ast.TableDecl)):
            continue
        if decl.name in scope.inputs or decl.name in scope.derived_nodes:
            scope.error(decl, f"the name '{decl.name}' is already declared")
        elif decl.name == PATHWAY_NAME:
            scope.error(decl, "'pathway' is reserved for the chosen pathway")
        elif scope.reserved(decl, decl.name, "a derived value"):
            pass
        else:
            scope.derived_nodes[decl.name] = decl

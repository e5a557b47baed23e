"""Pass: ``consideration`` declarations: documented, cited, with exactly one ``when`` line.

A consideration's ``when`` may test the chosen pathway (``pathway is x``), so it runs after
the pathways pass.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.check.documentation import read_documentation
from gistpath.check.expressions import check_condition
from gistpath.check.scope import Scope
from gistpath.model import Consideration


def check_considerations(scope: Scope) -> None:
    """Record every ``consideration`` of the file in :attr:`Scope.considerations`."""
    for decl in scope.declarations(ast.ConsiderationDecl):
        check_consideration(scope, decl)


def check_consideration(scope: Scope, decl: ast.ConsiderationDecl) -> None:
    """One consideration: a free id, a summary, citations and one ``when`` condition."""
    summary, citations = read_documentation(scope, decl, "consideration")
    whens = [p for p in decl.properties if isinstance(p, ast.AppliesWhen)]
    scope.reserved(decl, decl.name, "a consideration")
    if decl.name in scope.considerations:
        scope.error(decl, f"consideration '{decl.name}' is declared twice")
        return
    if decl.name in scope.pathways:
        scope.error(decl, f"'{decl.name}' is already the id of a pathway")
    if len(whens) != 1:
        scope.error(
            decl,
            f"consideration '{decl.name}' needs exactly one 'when <condition>' line",
        )
        return
    check_condition(scope, whens[0].condition, set(), allow_pathway=True)
    scope.considerations[decl.name] = Consideration(
        decl.name, decl.title, summary, citations, whens[0].condition, line=decl.line
    )

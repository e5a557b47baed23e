"""Pass: ``pathway`` declarations, each with a summary and at least one citation.

Whether a rule leads to each pathway is checked by the rules pass, once the rules are read.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.check.documentation import read_documentation
from gistpath.check.scope import Scope
from gistpath.model import Pathway


def check_pathways(scope: Scope) -> None:
    """Record every ``pathway`` of the file in :attr:`Scope.pathways`."""
    for decl in scope.declarations(ast.PathwayDecl):
        check_pathway(scope, decl)


def check_pathway(scope: Scope, decl: ast.PathwayDecl) -> None:
    """One pathway: declared once, documented and cited."""
    summary, citations = read_documentation(scope, decl, "pathway")
    scope.reserved(decl, decl.name, "a pathway")
    if decl.name in scope.pathways:
        scope.error(decl, f"pathway '{decl.name}' is declared twice")
        return
    scope.pathways[decl.name] = Pathway(decl.name, decl.title, summary, citations, line=decl.line)

"""Pass: ``source`` declarations, each declared once, with the properties a source may have.

Runs before every declaration that cites a source, so a citation may name a source declared
anywhere in the file.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.check.documentation import read_properties
from gistpath.check.scope import Scope
from gistpath.model import Source


def check_sources(scope: Scope) -> None:
    """Record every ``source`` of the file in :attr:`Scope.sources`."""
    for decl in scope.declarations(ast.SourceDecl):
        check_source(scope, decl)


def check_source(scope: Scope, decl: ast.SourceDecl) -> None:
    """One source: declared once, allowed properties only."""
    if decl.name in scope.sources:
        scope.error(decl, f"source '{decl.name}' is declared twice")
        return
    props = read_properties(scope, decl.properties, "source")
    scope.sources[decl.name] = Source(
        name=decl.name,
        title=decl.title,
        publisher=props.get("publisher"),
        authors=props.get("authors"),
        date=props.get("date"),
        url=props.get("url"),
        note=props.get("note"),
        line=decl.line,
    )

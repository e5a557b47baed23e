"""Pass: the ``ruleset`` line (name, title, summary, version, note).

Design: at most one ``ruleset`` line; without one, the rule set takes the file's name.
Fills :attr:`Scope.header <gistpath.check.scope.Scope.header>` and
:attr:`Scope.note <gistpath.check.scope.Scope.note>`.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.check.documentation import read_properties
from gistpath.check.scope import Scope


def check_header(scope: Scope) -> None:
    """Fill :attr:`Scope.header`: name, title, summary and version from the ``ruleset`` line.

    A second ``ruleset`` line is reported; without any, the rule set is named after the
    file (its name up to the first dot).
    """
    headers = scope.declarations(ast.RulesetDecl)
    for extra in headers[1:]:
        scope.error(extra, "a file has one 'ruleset' line; this is a second one")
    if not headers:
        stem = scope.filename.rsplit("/", 1)[-1].split(".", 1)[0]
        scope.header = (stem or "rules", None, None, None)
        return
    head = headers[0]
    props = read_properties(scope, head.properties, "ruleset")
    scope.header = (head.name, head.title, props.get("summary"), props.get("version"))
    scope.note = props.get("note")

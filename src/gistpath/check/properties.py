"""Pass: ``property`` declarations: what the rules must guarantee, checked before it is proven.

Design: a property is ``holds: <condition>`` (one line, or several that must all hold),
which may test the chosen pathway (``pathway is x``, ``pathway in {x, y}``) and the
considerations (``considerations include x``), or ``monotone: <table value> in <numeric
input>`` over a table whose values are ordered (``values low < high``). This pass checks
the names and kinds; :mod:`gistpath.properties` proves them over the regions once the rule
set is compiled. Runs last: a property may name every pathway, consideration and derived
value.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.check.documentation import read_citations
from gistpath.check.expressions import check_condition, kind_of, kind_word
from gistpath.check.scope import At, Scope
from gistpath.model import Property


def check_properties(scope: Scope) -> None:
    """Record every ``property`` of the file in :attr:`Scope.properties`."""
    for decl in scope.declarations(ast.PropertyDecl):
        check_property(scope, decl)


def check_property(scope: Scope, decl: ast.PropertyDecl) -> None:
    """One property: declared once, cited, and its ``holds`` or ``monotone`` line checked.

    A ``holds`` condition may test the chosen pathway and ``considerations include <id>``;
    ``monotone: <value> in <input>`` needs a table value with ordered values and a numeric
    input. A property with a problem is reported and left out.
    """
    if decl.name in scope.properties:
        scope.error(decl, f"property '{decl.name}' is declared twice")
        return
    citations = read_citations(scope, decl.citations)
    body = decl.body
    if isinstance(body, ast.Holds):
        check_condition(scope, body.condition, set(), allow_pathway=True, in_property=True)
        condition = body.condition
        lines = condition.operands if isinstance(condition, ast.AllOf) else (condition,)
        scope.properties[decl.name] = Property(
            decl.name, decl.title, citations, "holds", tuple(lines), line=decl.line
        )
        return
    ok = True
    node = scope.derived_nodes.get(body.value)
    if not isinstance(node, ast.TableDecl):
        what = (
            "an input"
            if body.value in scope.inputs
            else "a 'let' (yes or no, not ordered)"
            if body.value in scope.lets or isinstance(node, ast.LetDecl)
            else "not declared"
        )
        scope.error(
            body,
            f"'monotone' needs a table value with ordered values; '{body.value}' is {what}"
            + (scope.suggest(body.value, scope.tables) if what == "not declared" else ""),
        )
        ok = False
    elif len(node.order) < 2:
        scope.error(
            body,
            f"the values of table '{body.value}' have no order; declare it with '<', "
            "e.g. 'values low < moderate < high, unknown'",
        )
        ok = False
    kind, _ = kind_of(scope, body.input, False)
    if kind != "numeric":
        scope.error(
            At(body.line, body.input_column),
            f"'monotone' needs a numeric input after 'in'; '{body.input}' is "
            + (
                f"a {kind_word(kind)}"
                if body.input in scope.inputs
                else "a derived value"
                if body.input in scope.derived_nodes
                else "not a declared input" + scope.suggest(body.input, scope.inputs)
            ),
        )
        ok = False
    if ok:
        scope.properties[decl.name] = Property(
            decl.name,
            decl.title,
            citations,
            "monotone",
            value=body.value,
            input=body.input,
            line=decl.line,
        )

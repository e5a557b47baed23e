"""The documentation lines of declarations: ``summary``, ``note``... and ``cites``.

Design: helpers the passes of documented declarations share (the header, sources, inputs,
tables, pathways, considerations): :func:`read_properties` checks which keys a kind of
declaration may have, :func:`read_citations` resolves ``cites`` lines to declared sources,
and :func:`read_documentation` asks a pathway or consideration for a summary and at least
one citation. Not a pass itself.

Limits: a source may be declared anywhere in the file and cited before its declaration:
the sources pass runs before every pass that reads citations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gistpath import ast
from gistpath.check.scope import Scope
from gistpath.model import Citation

#: The property keys each kind of declaration may have.
ALLOWED_PROPERTIES: dict[str, frozenset[str]] = {
    "ruleset": frozenset({"summary", "version", "note", "audience"}),
    "source": frozenset({"publisher", "date", "url", "note", "authors"}),
    "pathway": frozenset({"summary", "note"}),
    "consideration": frozenset({"summary", "note"}),
    "input": frozenset({"summary", "note"}),
    "table": frozenset({"summary", "note"}),
}


def read_properties(
    scope: Scope, items: Sequence[ast.Property | ast.Citation | ast.AppliesWhen], kind: str
) -> dict[str, str]:
    """The property lines of one declaration, checked for its kind.

    Args:
        scope: the scope problems are reported to.
        items: the declaration's property, ``cites`` and ``when`` lines.
        kind: ``"ruleset"``, ``"source"``, ``"pathway"``, ``"consideration"``, ``"input"`` or
            ``"table"``: decides which keys are allowed and whether ``cites``/``when`` may
            appear.

    Returns:
        Each allowed key given once, to its text. Unknown keys, keys given twice, and
        ``cites``/``when`` lines where the kind has none are reported, not returned.
    """
    allowed = ALLOWED_PROPERTIES[kind]
    found: dict[str, str] = {}
    for item in items:
        if isinstance(item, ast.Citation):
            if kind not in ("pathway", "consideration", "table"):
                scope.error(item, f"{_a(kind)} cannot cite a source")
            continue
        if isinstance(item, ast.AppliesWhen):
            if kind != "consideration":
                scope.error(item, f"only a consideration has a 'when' line, not {_a(kind)}")
            continue
        if item.key not in allowed:
            scope.error(
                item,
                f"{_a(kind)} has no '{item.key}'; it may have "
                + ", ".join(f"'{k}'" for k in sorted(allowed)),
            )
        elif item.key in found:
            scope.error(item, f"'{item.key}' is given twice")
        else:
            found[item.key] = item.text
    return found


def read_citations(scope: Scope, items: Sequence[Any]) -> tuple[Citation, ...]:
    """The ``cites`` lines among ``items``, resolved to the declared sources.

    Returns:
        One :class:`gistpath.model.Citation` per line that names a declared source; a line
        naming an undeclared source is reported (with the closest name) and left out.
    """
    out = []
    for item in items:
        if not isinstance(item, ast.Citation):
            continue
        source = scope.sources.get(item.source)
        if source is None:
            scope.error(
                item,
                f"'{item.source}' is not a declared source"
                + scope.suggest(item.source, scope.sources),
                column=item.column + len("cites "),
            )
            continue
        out.append(Citation(source, item.section))
    return tuple(out)


def read_documentation(
    scope: Scope, decl: ast.PathwayDecl | ast.ConsiderationDecl, kind: str
) -> tuple[str, tuple[Citation, ...]]:
    """The summary and citations of a pathway or consideration, both required.

    Returns:
        ``(summary, citations)``; the summary is ``""`` (and a problem is reported) when
        missing, and a declaration with no ``cites`` line is reported.
    """
    props = read_properties(scope, decl.properties, kind)
    citations = read_citations(scope, decl.properties)
    summary = props.get("summary")
    if not summary:
        scope.error(decl, f"{kind} '{decl.name}' needs a 'summary' in plain language")
    if not any(isinstance(p, ast.Citation) for p in decl.properties):
        scope.error(decl, f"{kind} '{decl.name}' needs at least one 'cites <source> \"section\"'")
    return summary or "", citations


def _a(word: str) -> str:
    """``word`` with its indefinite article: "an input", "a table"."""
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"

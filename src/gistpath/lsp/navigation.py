"""Go to definition, find references, rename and the outline, from the index of names.

Design: every occurrence of a name is in the index of :mod:`gistpath.lsp.symbols` under its
key (namespace and name), so a rename replaces exactly the occurrences of that symbol and
not another of the same spelling (a choice value named like an input).

Limits: one file; a new name must be a name the language allows and not a keyword.
"""

from __future__ import annotations

from gistpath.lsp.analysis import Analysis
from gistpath.lsp.symbols import KEYWORDS, NAME_RE, Declaration, Span


def rename(analysis: Analysis, line: int, column: int, new_name: str) -> list[Span] | None:
    """The spans to replace to rename the symbol at a place; ``None`` if it cannot be."""
    occurrence = analysis.symbols.at(line, column)
    if occurrence is None or not NAME_RE.fullmatch(new_name) or new_name in KEYWORDS:
        return None
    return [o.span for o in analysis.symbols.by_key.get(occurrence.key, ())]


def references(analysis: Analysis, line: int, column: int) -> list[Span]:
    """Every occurrence of the symbol at a place, its declaration included."""
    occurrence = analysis.symbols.at(line, column)
    if occurrence is None:
        return []
    return [o.span for o in analysis.symbols.by_key.get(occurrence.key, ())]


def definition(analysis: Analysis, line: int, column: int) -> Span | None:
    """Where the symbol at a place is declared; ``None`` if it is not (or no symbol)."""
    occurrence = analysis.symbols.at(line, column)
    if occurrence is None:
        return None
    found = analysis.symbols.definition(occurrence.key)
    return found.span if found is not None else None


def outline(analysis: Analysis) -> list[Declaration]:
    """The declarations of the file, in order (the document symbols)."""
    return list(analysis.symbols.declarations)

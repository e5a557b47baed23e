"""Rule text -> :mod:`gistpath.ast` tree: the parser package (see its modules)."""

from __future__ import annotations

from gistpath.parser.transformer import (
    MAX_DEPTH,
    MAX_INDENT_LEVELS,
    MAX_REPORTED,
    declaration_starts,
    grammar_text,
    lark_parser,
    parse,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_INDENT_LEVELS",
    "MAX_REPORTED",
    "declaration_starts",
    "grammar_text",
    "lark_parser",
    "parse",
]

"""Syntax highlighting of rule files for Pygments (and so for Sphinx and other tools).

Design: one :class:`GistpathLexer`, a :class:`pygments.lexer.RegexLexer` whose keyword lists
are the literal words of ``grammar/gistpath.lark`` grouped by role: the words that start a
declaration, the type names, the other structural words, the operator words of conditions
and the value words ``yes``/``no``/``unknown``. The name after a declaration word is marked
as the name it defines (a pathway, a rule, an input...), and the name after ``->`` as a
pathway. The word lists live in :mod:`gistpath.language`; the test suite reads the grammar
and checks that :data:`~gistpath.language.KEYWORDS` is exactly its set of keyword literals,
so the two cannot drift apart.

Pygments imports every plugin lexer when it looks one up, so this module imports nothing
but Pygments itself and the word lists of :mod:`gistpath.language` (which imports nothing):
no lark, numpy or gistpath stage.

Limits: it is a lexer, not a parser. It does not track indentation, so a property key
(``summary``, ``note``...) is recognised by standing first on an indented line followed by
a quoted text; text that does not follow the grammar still lexes, only invalid characters
are marked as errors.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

from gistpath.language import (
    CONSTANT_WORDS,
    DECLARATION_WORDS,
    KEYWORDS,
    OPERATOR_WORDS,
    OTHER_WORDS,
    TYPE_WORDS,
)

__all__ = ["KEYWORDS", "GistpathLexer"]

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"

# What the name right after each declaration word defines.
_DEFINES: dict[str, Any] = {
    "ruleset": Name.Namespace,
    "source": Name.Label,
    "input": Name.Variable,
    "let": Name.Variable,
    "table": Name.Variable,
    "constraint": Name.Function,
    "pathway": Name.Class,
    "consideration": Name.Class,
    "rule": Name.Function,
    "example": Name.Function,
    "property": Name.Function,
}


def _definitions() -> list[tuple[str, object]]:
    return [
        (rf"\b({word})(\s+)({_NAME})", bygroups(Keyword.Declaration, Whitespace, kind))
        for word, kind in _DEFINES.items()
    ]


class GistpathLexer(RegexLexer):
    """Lexer for gistpath rule files (``*.gprules``)."""

    name = "gistpath"
    aliases: ClassVar[list[str]] = ["gistpath"]
    filenames: ClassVar[list[str]] = ["*.gprules"]
    mimetypes: ClassVar[list[str]] = ["text/x-gistpath"]
    url = "https://github.com/gistpath/gistpath"

    tokens: ClassVar[dict[str, list[object]]] = {
        "root": [
            (r"[ \t]*\r?\n", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"(?:[^"\\]|\\.)*"', String.Double),
            # A property line: an indented key followed by a quoted text.
            (rf'^([ \t]+)({_NAME})([ \t]+)(?=")', bygroups(Whitespace, Name.Attribute, Whitespace)),
            *_definitions(),
            (rf"(->)(\s*)({_NAME})", bygroups(Operator, Whitespace, Name.Class)),
            (words(DECLARATION_WORDS, prefix=r"\b", suffix=r"\b"), Keyword.Declaration),
            (words(TYPE_WORDS, prefix=r"\b", suffix=r"\b"), Keyword.Type),
            (words(OTHER_WORDS, prefix=r"\b", suffix=r"\b"), Keyword),
            (words(OPERATOR_WORDS, prefix=r"\b", suffix=r"\b"), Operator.Word),
            (words(CONSTANT_WORDS, prefix=r"\b", suffix=r"\b"), Keyword.Constant),
            # A table's separator line under the header: |----|:---:|
            (r":?-{3,}:?", Punctuation),
            (_NUMBER, Number),
            (_NAME, Name),
            (r"==|<=|>=|!=|<|>|=", Operator),
            (r"[|:,{}()]", Punctuation),
            # `-` alone is a table cell that matches anything.
            (r"-", Punctuation),
            (r"[ \t]+", Whitespace),
        ],
    }

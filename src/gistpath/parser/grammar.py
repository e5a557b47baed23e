"""The Lark parser of the rules language, built once from ``grammar/gistpath.lark``.

Design: :func:`grammar_text` reads the grammar shipped inside the wheel
(``gistpath/grammar/gistpath.lark``) or, in a source checkout, ``grammar/``;
:func:`lark_parser` builds it once per process as an LALR(1) parser with Lark's contextual
lexer (cached on disk by Lark) and ``_Indenter`` as post-lexer: Python-style
``_INDENT``/``_DEDENT`` tokens from leading spaces, tabs in indentation refused, blocks and
parentheses nested past the limits of :mod:`~gistpath.parser.problems` refused.
:data:`PARSER_LOCK` serialises calls of the one shared parser.

Limits: indentation is spaces only; a newline inside parentheses or braces continues the
line.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from lark import Lark, Token
from lark.lark import PostLex

from gistpath.parser.problems import MAX_DEPTH, MAX_INDENT_LEVELS, SyntaxProblem

GRAMMAR_FILE = "gistpath.lark"


def grammar_text() -> str:
    """The grammar, from the installed package or, in a source checkout, from ``grammar/``."""
    # a plain path beside the package (importlib.resources costs milliseconds per cold load)
    packaged = Path(__file__).resolve().parents[1] / "grammar" / GRAMMAR_FILE
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "grammar" / GRAMMAR_FILE
    return checkout.read_text(encoding="utf-8")


class _Indenter(PostLex):
    """Python-style INDENT/DEDENT tokens; indentation must be spaces."""

    always_accept = ("_NL",)
    _open = frozenset({"LPAR", "LBRACE"})
    _close = frozenset({"RPAR", "RBRACE"})

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        """Lark's token stream with ``_INDENT``/``_DEDENT`` tokens added from the leading spaces
        of each line (none inside parentheses or braces); raises :class:`SyntaxProblem` for a
        tab in indentation or nesting past the limits.
        """
        levels = [0]
        parens = 0
        token: Token | None = None
        for token in stream:
            if token.type == "_NL":
                if parens:
                    continue
                yield token
                indent_text = token.rsplit("\n", 1)[1]
                line = (token.end_line or token.line or 1) if "\n" in token else token.line or 1
                if "\t" in indent_text:
                    raise SyntaxProblem(
                        "a tab in the indentation; indent with spaces only",
                        line,
                        indent_text.index("\t") + 1,
                    )
                indent = len(indent_text)
                if indent > levels[-1]:
                    if len(levels) > MAX_INDENT_LEVELS:
                        raise SyntaxProblem(
                            f"blocks nested more than {MAX_INDENT_LEVELS} deep", line, indent + 1
                        )
                    levels.append(indent)
                    # placed on the indented line itself, so that an unexpected indentation
                    # is blamed on the line that has it, not on the line before
                    yield Token(
                        "_INDENT",
                        indent_text,
                        (token.end_pos or 0) - len(indent_text),
                        line,
                        indent + 1,
                        line,
                        indent + 1,
                        token.end_pos,
                    )
                else:
                    while indent < levels[-1]:
                        levels.pop()
                        yield Token.new_borrow_pos("_DEDENT", indent_text, token)
                    if indent != levels[-1]:
                        raise SyntaxProblem(
                            f"this line is indented {indent} spaces, which matches no "
                            f"enclosing block (expected {levels[-1]})",
                            line,
                            indent + 1,
                        )
                continue
            if token.type in self._open:
                parens += 1
                if parens > MAX_DEPTH:
                    raise SyntaxProblem(
                        f"parentheses nested more than {MAX_DEPTH} deep",
                        token.line or 1,
                        token.column or 1,
                    )
            elif token.type in self._close:
                if parens == 0:
                    raise SyntaxProblem(
                        f"a closing {token!s} without its opening one",
                        token.line or 1,
                        token.column or 1,
                    )
                parens -= 1
            yield token
        while len(levels) > 1:
            levels.pop()
            if token is None:
                yield Token("_DEDENT", "", 0, 1, 1, 1, 1, 0)
            else:
                yield Token.new_borrow_pos("_DEDENT", "", token)


_PARSER: Lark | None = None
PARSER_LOCK = threading.Lock()  # the indenter and Lark's parser state are per call, not shared


def lark_parser(*, strict: bool = False) -> Lark:
    """The LALR parser for the grammar (built once; ``strict=True`` builds a checked copy)."""
    global _PARSER
    if strict:
        return _build(strict=True)
    if _PARSER is None:
        _PARSER = _build(strict=False)
    return _PARSER


def _build(*, strict: bool) -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        postlex=_Indenter(),
        propagate_positions=True,
        maybe_placeholders=True,
        strict=strict,
        cache=not strict,
    )

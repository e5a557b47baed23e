"""Lark's syntax errors in words: what was expected, what was found, and a hint.

Design: :func:`problem_from_lark` turns one of Lark's ``UnexpectedInput`` errors into a
:class:`~gistpath.parser.problems.SyntaxProblem` a rule author can act on: terminals named
as a reader says them (``a quoted text ("...")``, ``the end of the line``), the token found,
and a hint for the mistakes made most (a missing ``:``, ``=`` where ``is`` is meant, a
misspelt keyword, a quoted text never closed, an indented line that opens no block).

Limits: the words are English; a list of more than eight expected terminals is cut short.
"""

from __future__ import annotations

import difflib
import re

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from gistpath.parser.problems import SyntaxProblem

# What a user calls each terminal the parser may expect.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": 'a quoted text ("...")',
    "NUMBER": "a number",
    "COMP_OP": "a comparison (<, <=, >, >=, =, !=)",
    "_NL": "the end of the line",
    "_INDENT": "an indented block",
    "_DEDENT": "the end of the indented block",
    "$END": "the end of the file",
    "BOOLEAN_KW": "'boolean'",
    "INTEGER_KW": "'integer'",
    "NUMBER_KW": "'number'",
    "OTHERWISE_KW": "'otherwise'",
    "NOT_KW": "'not'",
    "_RULE_LINE": "'---'",
}


def _describe_terminal(name: str, parser: Lark) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    for term in parser.terminals:
        if term.name == name and term.pattern.type == "str":
            return f"'{term.pattern.value}'"
    return name.lower()


def _describe_token(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    if token.type == "_NL":
        return "the end of the line"
    if token.type == "_INDENT":
        return "an indented line"
    if token.type == "_DEDENT":
        return "the end of the indented block"
    text = str(token)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"


def _keywords(parser: Lark) -> list[str]:
    """The words of the language (``rule``, ``otherwise``, ...), from the grammar."""
    return sorted(
        {
            str(term.pattern.value)
            for term in parser.terminals
            if term.pattern.type == "str" and str(term.pattern.value).isalpha()
        }
    )


# A comparison of a name with '=', '==' or '!=' just before the token that failed.
_EQUALS_BEFORE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|=)\s*$")


def _hint(expected: set[str], token: Token, parser: Lark, text: str) -> str:
    """A sentence for the mistakes rule authors make most."""
    words = {_describe_terminal(t, parser) for t in expected}
    if "'->'" in words and token.type == "NAME":
        return " (a rule names its pathway after '->': rule <name> -> <pathway>: ...)"
    if words == {"':'"}:
        if token.type == "_NL":
            return " (a ':' is missing at the end of this line)"
        return f" (a ':' is missing before {_describe_token(token)})"
    if token.type == "NAME" and token.start_pos is not None:
        line_start = text.rfind("\n", 0, token.start_pos) + 1
        before = _EQUALS_BEFORE.search(text[line_start : token.start_pos])
        if before is not None:
            name, op = before.groups()
            if op == "!=":
                return f" (to test a choice or a boolean, write '{name} is not {token}')"
            return f" (to test a choice or a boolean, write '{name} is {token}')"
        close = difflib.get_close_matches(str(token), _keywords(parser), n=1, cutoff=0.75)
        if close and close[0] != str(token):
            return f" (did you mean '{close[0]}'?)"
    return ""


# A quoted text: closed (it may run over lines) or never closed.
_TEXT = re.compile(r'"(?:[^"\\]|\\.)*"|#[^\n]*')


def _unclosed_text(text: str, pos: int) -> tuple[int, int, int] | None:
    """(line, column, end line) of a quoted text that runs over lines and ends on the line
    of ``pos``: most often a text whose closing quote is missing, so that the next quote
    closed it."""
    line_start = text.rfind("\n", 0, pos) + 1
    for match in _TEXT.finditer(text, 0, pos):
        if not match.group().startswith('"'):
            continue
        if match.end() > line_start and "\n" in match.group():
            start = match.start()
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            return line, column, text.count("\n", 0, pos) + 1
    return None


def problem_from_lark(error: UnexpectedInput, text: str, parser: Lark) -> SyntaxProblem:
    """The :class:`SyntaxProblem` to show for Lark's ``error`` on ``text``: its line and column,
    and words for what was expected there (an unclosed text, a tab, a misplaced keyword, ...)
    in place of Lark's token names.
    """
    line = error.line if isinstance(error.line, int) and error.line > 0 else 1
    column = error.column if isinstance(error.column, int) and error.column > 0 else 1
    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        if char == '"':
            message = "a quoted text is not closed: its closing '\"' is missing"
        elif char == "\t":
            message = "a tab is not allowed here"
        elif char in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
            message = f"the line-break character {char!r} is not allowed; end lines with \\n"
        elif char == "\x00":
            message = "a NUL character is not allowed in rule text"
        else:
            message = f"unexpected character {char!r}"
        allowed = sorted(_describe_terminal(t, parser) for t in (error.allowed or ()))
        if allowed and char != '"':
            message += "; expected " + _one_of(allowed)
        return SyntaxProblem(message, line, column)
    if isinstance(error, UnexpectedToken):
        token = error.token
        expected = set(error.expected)
        words = sorted({_describe_terminal(t, parser) for t in expected})
        if token.type == "$END":
            line, column = _end_position(text)
        if token.start_pos is not None and token.type != "$END":
            unclosed = _unclosed_text(text, token.start_pos)
            if unclosed is not None:
                at_line, at_column, end_line = unclosed
                more = end_line - at_line
                return SyntaxProblem(
                    "this quoted text is not closed on its line: its closing '\"' is "
                    f"missing (the text ran on {more} more {'line' if more == 1 else 'lines'}"
                    ", to where reading failed)",
                    at_line,
                    at_column,
                )
        if token.type == "_INDENT":
            return SyntaxProblem(
                "unexpected indentation: this line is indented more than the line before "
                "it, which opens no block",
                line,
                column,
            )
        message = f"expected {_one_of(words)}, found {_describe_token(token)}"
        message += _hint(expected, token, parser, text)
        return SyntaxProblem(message, line, column)
    if isinstance(error, UnexpectedEOF):
        line, column = _end_position(text)
        words = sorted({_describe_terminal(t, parser) for t in error.expected})
        return SyntaxProblem(f"the file ends too early; expected {_one_of(words)}", line, column)
    return SyntaxProblem(str(error), line, column)  # pragma: no cover - Lark has no others


def _one_of(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    if len(words) > 8:
        return "one of " + ", ".join(words[:8]) + ", ..."
    return "one of " + ", ".join(words)


def _end_position(text: str) -> tuple[int, int]:
    body = text.rstrip("\n")
    line = body.count("\n") + 1
    last = body.rsplit("\n", 1)[-1]
    return line, len(last) + 1

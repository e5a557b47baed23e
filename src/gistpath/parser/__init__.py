"""Rule text → :mod:`gistpath.ast` tree, with every syntax error located and in words.

Design: :func:`parse` refuses control and bidirectional characters first, then parses the
text with the one LALR(1) parser of :mod:`~gistpath.parser.grammar` (its indenter makes
``_INDENT``/``_DEDENT`` tokens) and turns the tree into attrs nodes with the transformer of
:mod:`~gistpath.parser.transformer`. When a file has a syntax error, each top-level
declaration (:func:`declaration_starts`) is parsed again on its own so that every broken
declaration is reported in one run, not only the first, each in the words of
:mod:`~gistpath.parser.messages`; :mod:`~gistpath.parser.problems` holds the located
problem they share and the limits.

Limits: expressions nest at most :data:`MAX_DEPTH` levels and blocks at most
:data:`MAX_INDENT_LEVELS`; deeper text is refused with a located error rather than risking
the interpreter's stack in later stages. At most :data:`MAX_REPORTED` problems are
reported. Lark's exceptions never leave this package.
"""

from __future__ import annotations

import re

from lark import Lark
from lark.exceptions import LarkError, UnexpectedInput, VisitError

from gistpath import ast
from gistpath.errors import Diagnostic, RuleSyntaxError, make_diagnostics
from gistpath.parser.grammar import PARSER_LOCK, grammar_text, lark_parser
from gistpath.parser.problems import MAX_DEPTH, MAX_INDENT_LEVELS, MAX_REPORTED, SyntaxProblem
from gistpath.parser.transformer import ToAst


def parse(text: str, filename: str = "<string>") -> ast.RuleFile:
    """Parse rule text into a :class:`gistpath.ast.RuleFile`.

    Raises :class:`gistpath.RuleSyntaxError` listing every broken declaration.
    """
    if not text.endswith("\n"):
        text += "\n"
    parser = lark_parser()
    problems = _forbidden_characters(text)
    if not problems:
        try:
            return _parse_once(parser, text)
        except SyntaxProblem as first:
            problems = _problems_by_declaration(parser, text) or [first]
    diagnostics = make_diagnostics(
        ((p.message, p.line, p.column) for p in problems[:MAX_REPORTED]),
        text,
        filename,
        code="syntax",
    )
    if len(problems) > MAX_REPORTED:
        last = diagnostics[-1]
        diagnostics.append(
            Diagnostic(
                f"more syntax errors not shown (reading stopped after {MAX_REPORTED}); "
                "fix these and check again",
                last.line,
                last.column,
                filename,
            )
        )
    raise RuleSyntaxError(diagnostics)


# Characters refused anywhere, inside texts and comments too: controls that are not white
# space (they would reach generated documents and terminals) and the bidirectional
# overrides and isolates, which can make a line display differently from how it reads.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1b\x7f\x80-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def _forbidden_characters(text: str) -> list[SyntaxProblem]:
    """One problem per refused character, up to one more than are reported."""
    problems: list[SyntaxProblem] = []
    line, line_start = 1, 0
    for match in _FORBIDDEN.finditer(text):
        if len(problems) > MAX_REPORTED:
            break
        pos = match.start()
        line += text.count("\n", line_start, pos)
        line_start = text.rfind("\n", 0, pos) + 1
        char = match.group()
        if char == "\x00":
            message = "a NUL character is not allowed in rule text"
        elif "\u202a" <= char <= "\u2069":
            message = (
                f"the bidirectional control character U+{ord(char):04X} is not allowed: it "
                "can make a line display differently from how it reads"
            )
        else:
            message = f"the control character U+{ord(char):04X} is not allowed in rule text"
        problems.append(SyntaxProblem(message, line, pos - line_start + 1))
    return problems


def _parse_once(parser: Lark, text: str) -> ast.RuleFile:
    try:
        with PARSER_LOCK:
            tree = parser.parse(text)
    except SyntaxProblem:
        raise
    except UnexpectedInput as error:
        # Deferred: the messages for syntax errors load only when a text has one.
        from gistpath.parser.messages import problem_from_lark

        raise problem_from_lark(error, text, parser) from None
    except LarkError as error:  # pragma: no cover - defensive: Lark's own never leak
        raise SyntaxProblem(str(error), 1, 1) from None
    try:
        result = ToAst().transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, SyntaxProblem):
            raise error.orig_exc from None
        raise
    assert isinstance(result, ast.RuleFile)
    return result


# A closed text (it may run over lines), a text never closed (taken to end at its line's
# end, so that it cannot hide the rest of the file), a comment, or a line break followed by
# a character in column 1.
_SCAN = re.compile(r'"(?:[^"\\]|\\.)*"|"[^\n]*|#[^\n]*|\n(?=[^\s#])', re.S)


def declaration_starts(text: str) -> list[int]:
    """Offsets of the lines that start a top-level declaration (column 1, outside texts)."""
    starts = [0]
    for match in _SCAN.finditer(text):
        if match.group().startswith("\n"):
            starts.append(match.end())
    return starts


def _problems_by_declaration(parser: Lark, text: str) -> list[SyntaxProblem]:
    """Parse each top-level declaration alone so that each broken one is reported.

    Stops after one more than :data:`MAX_REPORTED` problems: a file of a million broken
    lines is refused in the time it takes to read a hundred of them.
    """
    starts = declaration_starts(text)
    problems: list[SyntaxProblem] = []
    line_offset = 0
    for index, start in enumerate(starts):
        if len(problems) > MAX_REPORTED:
            break
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        try:
            _parse_once(parser, chunk)
        except SyntaxProblem as problem:
            message = problem.message
            if index + 1 < len(starts):
                # the end of this declaration, not of the file: the next line starts a new one
                next_line = line_offset + chunk.count("\n") + 1
                word = text[end : text.find("\n", end)].split(" ", 1)[0][:40]
                message = message.replace(
                    "found the end of the file",
                    f"found '{word}' at line {next_line}, which is not indented",
                ).replace(
                    "the file ends too early",
                    f"the declaration ends too early ('{word}' at line {next_line} is not "
                    "indented)",
                )
            problems.append(SyntaxProblem(message, problem.line + line_offset, problem.column))
        line_offset += chunk.count("\n")
    return problems


__all__ = [
    "MAX_DEPTH",
    "MAX_INDENT_LEVELS",
    "MAX_REPORTED",
    "declaration_starts",
    "grammar_text",
    "lark_parser",
    "parse",
]

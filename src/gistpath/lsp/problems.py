"""Problems: what the language server says about a text, placed on the words it is about.

Design: two frozen types (:class:`Problem`, with the :class:`Related` places it involves)
and the two translations into them, free of any editor protocol:
:func:`diagnostic_problems` for the checker's and the parser's diagnostics (each moved
from the column the checker gives onto the word it names, with the checker's "did you
mean" word as the fix) and :func:`finding_problem` for the verifier's findings (the
example states in the message, the other rules involved as related places, each named
by the declaration on its line).

Positions are 0-based lines (split on ``\\n``, as the parser counts) and code-point
columns. Limits: a named word is looked for in the 4,000 characters after the
diagnostic's column (past that the problem stays on the column's own word); at most three
example states are written into a finding's message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import attrs

from gistpath.errors import RuleError
from gistpath.lsp.symbols import Span, Symbols


@attrs.frozen
class Related:
    """Another place a problem involves (a rule of an overlap), with words for it."""

    span: Span
    message: str


@attrs.frozen
class Problem:
    """One diagnostic: where, what, how bad, and any fix the checker suggests."""

    span: Span
    message: str
    severity: str  # "error", "warning", "information"
    code: str
    related: tuple[Related, ...] = ()
    replacement: str | None = None  # a "did you mean" fix: the word to put at ``span``


def _span_at(text_lines: Sequence[str], line: int, column: int) -> Span:
    """The span of the word (or character) at a 1-based line and column."""
    row = max(0, line - 1)
    source = text_lines[row] if row < len(text_lines) else ""
    start = max(0, min(column - 1, len(source)))
    match = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|->|[<>=!]=?|\S").match(source, start)
    end = match.end() if match else start
    return Span(row, start, max(end, start))


_SUGGESTION = re.compile(r"did you mean '([^']+)'\?")
_NAMED = re.compile(r"^(?:column )?'([A-Za-z_][A-Za-z0-9_]*)'")


def diagnostic_problems(error: RuleError, text: str) -> list[Problem]:
    """The checker's diagnostics, each at the exact word it is about where it names one."""
    text_lines = text.split("\n")
    starts = [0]
    for line in text_lines:
        starts.append(starts[-1] + len(line) + 1)
    problems = []
    for diagnostic in error.diagnostics:
        span = _span_at(text_lines, diagnostic.line, diagnostic.column)
        named = _NAMED.match(diagnostic.message)
        if named is not None and 0 <= span.line < len(text_lines):
            offset = starts[span.line] + span.start
            word = re.compile(r"(?<![\w])" + re.escape(named.group(1)) + r"(?![\w])")
            found = word.search(text, offset, offset + 4000)
            if found is not None:
                row = span.line + text.count("\n", offset, found.start())
                column = found.start() - starts[row]
                span = Span(row, column, column + len(named.group(1)))
        match = _SUGGESTION.search(diagnostic.message)
        problems.append(
            Problem(
                span,
                diagnostic.message,
                "error",
                diagnostic.code,
                replacement=match.group(1) if match and named else None,
            )
        )
    return problems


_KIND_WORDS = {"value": "declaration", "choice": "value"}


def _place(index: Symbols, text_lines: Sequence[str], line: int) -> tuple[Span, str]:
    """The span to show for a 1-based source line of a finding, and words for it: the name
    declared on that line (a rule, a table, a property...), else the line's text."""
    row = max(0, line - 1)
    for occurrence in index.by_line.get(row, ()):
        if occurrence.declares:
            kind = _KIND_WORDS.get(occurrence.key[0], occurrence.key[0])
            return occurrence.span, f"{kind} '{occurrence.key[-1]}' (line {line})"
    source = text_lines[row] if row < len(text_lines) else ""
    start = len(source) - len(source.lstrip())
    return Span(row, start, len(source)), f"line {line}: {_short(source.strip())}"


def _short(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, with ``...`` where it was cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def finding_problem(finding: Any, index: Symbols, text: str = "") -> Problem:
    """A verifier finding as a problem: the example state in the message, the others related."""
    text_lines = text.split("\n")
    lines: tuple[int, ...] = tuple(finding.lines)
    span = _place(index, text_lines, lines[0])[0] if lines else Span(0, 0, 0)
    message = f"{finding.kind.replace('_', ' ')}: {finding.message}"
    if finding.region is not None:
        message += f"\nwhere: {finding.region}"
    for number, example in enumerate(tuple(finding.examples)[:3], start=1):
        shown = ", ".join(f"{k}={_word(v)}" for k, v in example.items())
        label = "example state" if len(finding.examples) == 1 else f"example state {number}"
        message += f"\n{label}: {shown}"
    related = []
    for line in dict.fromkeys(lines[1:]):
        other, words = _place(index, text_lines, line)
        related.append(Related(other, words))
    severity = "error" if getattr(finding, "severity", "error") == "error" else "warning"
    return Problem(span, message, severity, finding.kind, tuple(related))


def _word(value: object) -> str:
    """A value as the rule file writes it (``yes``/``no`` for booleans)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)

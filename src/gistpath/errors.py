"""Every error gistpath raises on purpose, and the located diagnostics they carry.

Design: one base class, :class:`GistpathError`; one subclass per kind of trouble. Rule-file
errors hold a tuple of :class:`Diagnostic` (all problems found in one run, not only the
first) and expose the first one's ``line`` and ``column``. Messages are plain text in the
shape ``file:line:col: message`` followed by the source line and a caret, so editors and
terminals can jump to the place.

Limits: a diagnostic points at one character; it does not carry a span.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs


@attrs.frozen
class Diagnostic:
    """One problem in a rule file, with its place and the text of its line."""

    message: str
    line: int
    column: int
    filename: str = "<string>"
    source_line: str = ""
    code: str = "error"

    def format(self) -> str:
        head = f"{self.filename}:{self.line}:{self.column}: {self.message}"
        if not self.source_line:
            return head
        shown = self.source_line.expandtabs(1)
        if len(shown) > 200:  # a huge line is cut around the column, never printed whole
            start = max(0, self.column - 100)
            shown = shown[start : start + 200]
            caret_at = self.column - start
        else:
            caret_at = self.column
        return f"{head}\n    {shown}\n    {' ' * (caret_at - 1)}^"


def make_diagnostic(
    message: str, text: str, line: int, column: int, filename: str, code: str = "error"
) -> Diagnostic:
    """A diagnostic whose source line is taken from ``text`` (lines split on ``\\n`` only)."""
    return Diagnostic(
        message=message,
        line=line,
        column=column,
        filename=filename,
        source_line=source_line(text, line),
        code=code,
    )


def source_line(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``, as the parser counts lines."""
    if line < 1:
        return ""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return (text[start:] if end < 0 else text[start:end]).rstrip("\r")


class GistpathError(Exception):
    """Base class of every error gistpath raises on purpose."""


class RuleError(GistpathError):
    """A rule file is wrong. ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        if not diagnostics:
            raise ValueError("a RuleError needs at least one diagnostic")
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        first = self.diagnostics[0]
        self.line: int = first.line
        self.column: int = first.column
        self.filename: str = first.filename
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [d.format() for d in self.diagnostics]
        if len(parts) > 1:
            parts.append(f"{len(parts)} problems found.")
        return "\n".join(parts)


class RuleSyntaxError(RuleError):
    """The text does not follow the grammar of the rules language."""


class RuleSemanticError(RuleError):
    """The text parses but says something wrong: an undefined name, a type or unit error."""


class StateError(GistpathError, ValueError):
    """A patient state is not valid for the rule set.

    ``field`` names the field (or constraint) at fault, ``value`` is what was given and
    ``expected`` says what would have been allowed.
    """

    def __init__(self, field: str, value: object, expected: str, *, reason: str = "") -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.reason = reason or "invalid value"
        super().__init__(f"{field!s}: {self.reason}: got {_show(value)}; expected {expected}")


class EvaluationError(GistpathError):
    """A valid state got no pathway or several: only possible in a draft loaded unverified."""


class VerificationError(GistpathError):
    """The rule file failed verification; ``findings`` lists every gap, overlap, dead rule."""

    def __init__(self, findings: Sequence[Any], filename: str = "<string>") -> None:
        self.findings = tuple(findings)
        self.filename = filename
        count = len(self.findings)
        noun = "finding" if count == 1 else "findings"
        lines = [f"{filename}: the rules failed verification ({count} {noun})"]
        lines.extend(f.format() for f in self.findings)
        super().__init__("\n".join(lines))


class ExampleError(GistpathError):
    """Examples in the rule file did not get the decision they expect."""

    def __init__(self, failures: Sequence[Diagnostic]) -> None:
        self.failures = tuple(failures)
        super().__init__("\n".join(f.format() for f in self.failures))


class BatchError(StateError):
    """Some rows of a batch were invalid; ``errors`` maps row index to its :class:`StateError`.

    The good rows were all decided: ``result`` holds the whole batch result.
    """

    def __init__(self, errors: Mapping[int, StateError], result: Any) -> None:
        self.errors = dict(errors)
        self.result = result
        first_index = min(self.errors)
        first = self.errors[first_index]
        GistpathError.__init__(
            self,
            f"{len(self.errors)} of {len(result)} rows are invalid; "
            f"first, row {first_index}: {first}",
        )
        self.field = first.field
        self.value = first.value
        self.expected = first.expected
        self.reason = first.reason


def _show(value: object) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"

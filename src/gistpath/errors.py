"""Every error gistpath raises on purpose, and the located diagnostics they carry.

Design: one base class, :class:`GistpathError`; one subclass per kind of trouble. Rule-file
errors hold a tuple of :class:`Diagnostic` (all problems found in one run, not only the
first) and expose the first one's ``line`` and ``column``. Messages are plain text in the
shape ``file:line:col: message`` followed by the source line and a caret, so editors and
terminals can jump to the place.

The source line under a message is shown as the terminal will draw it: control, format
and line-separator characters (a NUL, a vertical tab, a right-to-left override) are shown
as visible stand-ins (U+2400 pictures or U+FFFD) so they can neither garble the terminal
nor hide what the line says, a huge line is cut around the column, and the caret counts
wide (East Asian) characters as two columns and combining marks as none.

Limits: a diagnostic points at one character; it does not carry a span.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
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
        head = f"{self.filename}:{self.line}:{self.column}: {visible(self.message)}"
        if not self.source_line:
            return head
        shown = self.source_line
        if len(shown) > 200:  # a huge line is cut around the column, never printed whole
            start = max(0, self.column - 100)
            shown = shown[start : start + 200]
            caret_at = self.column - start
        else:
            caret_at = self.column
        shown = visible(shown)
        return f"{head}\n    {shown}\n    {' ' * display_width(shown[: caret_at - 1])}^"


def _stand_in(char: str) -> str:
    code = ord(char)
    if char == "\t":
        return " "  # a tab is one column of the line, as the parser counts
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: NUL is shown as U+2400
    if code == 0x7F:
        return "\u2421"
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
        return "\ufffd"
    return char


def visible(text: str) -> str:
    """``text`` with every character that a terminal would not draw as itself replaced by a
    visible stand-in of one column (see the module docstring)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _stand_in(c) for c in text)


def display_width(text: str) -> int:
    """How many terminal columns ``text`` (already :func:`visible`) takes."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def make_diagnostic(
    message: str, text: str, line: int, column: int, filename: str, code: str = "error"
) -> Diagnostic:
    """A diagnostic whose source line is taken from ``text`` (lines split on ``\\n`` only)."""
    return make_diagnostics([(message, line, column)], text, filename, code)[0]


def make_diagnostics(
    problems: Iterable[tuple[str, int, int]], text: str, filename: str, code: str = "error"
) -> list[Diagnostic]:
    """One diagnostic per ``(message, line, column)``, reading ``text`` once.

    Diagnostics on the same line share one copy of it, so a hundred problems on a
    million-character line cost one line of memory, and a problem near the end of a large
    file does not cost a scan from its start.
    """
    items = list(problems)
    lines = source_lines(text, {line for _, line, _ in items})
    return [
        Diagnostic(message, line, column, filename, lines.get(line, ""), code)
        for message, line, column in items
    ]


def source_lines(text: str, wanted: Iterable[int]) -> dict[int, str]:
    """The lines ``wanted`` (1-based) of ``text``, as :func:`source_line` gives them."""
    todo = sorted(n for n in set(wanted) if n >= 1)
    found: dict[int, str] = {}
    start = 0
    current = 1
    for line in todo:
        while current < line:
            start = text.find("\n", start) + 1
            if start == 0:
                return found
            current += 1
        end = text.find("\n", start)
        found[line] = (text[start:] if end < 0 else text[start:end]).rstrip("\r")
    return found


def source_line(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``, as the parser counts lines."""
    return source_lines(text, (line,)).get(line, "")


class GistpathError(Exception):
    """Base class of every error gistpath raises on purpose.

    Every one pickles whole (so an error raised in a worker process reaches its caller as
    it was): an exception pickles as ``cls(*args)`` by default, and ``args`` holds only the
    message, which the constructors of most subclasses do not take. So it is rebuilt from
    its class and message, then given back every attribute (a :class:`StateError` that is
    its own only problem included: pickle keeps the reference).
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_new_error, (type(self), self.args), self.__dict__)


def _new_error(cls: type[GistpathError], args: tuple[Any, ...]) -> GistpathError:
    """An error of class ``cls`` with ``args``, its constructor not run (see ``__reduce__``)."""
    return cls.__new__(cls, *args)


class ReadError(GistpathError):
    """A rule file could not be read at all (no such file, a folder, no permission), or a
    bundled rule set of that name does not exist. The command line exits with status 2 for
    it, as for other input/output trouble, and 1 for a file that was read and is wrong."""


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


MISSING_FIELD = "missing field"
"""The ``reason`` of a :class:`StateError` for a declared field the state does not have."""


class StateError(GistpathError, ValueError):
    """A patient state is not valid for the rule set.

    ``field`` names the field (or constraint) at fault, ``value`` is what was given and
    ``expected`` says what would have been allowed. ``problems`` lists every problem of the
    state found in one look, each a :class:`StateError` of one field (three missing fields
    are three problems); the first of them is the one ``field``, ``value``, ``expected``
    and ``reason`` describe, and the message has one line per problem. A missing field has
    ``value`` ``None`` and its message says it is missing, not that ``None`` was given.
    """

    def __init__(
        self,
        field: str,
        value: object,
        expected: str,
        *,
        reason: str = "",
        problems: Sequence[StateError] = (),
    ) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.reason = reason or "invalid value"
        self.problems: tuple[StateError, ...] = tuple(problems) or (self,)
        super().__init__("\n".join(p.line() for p in self.problems))

    def line(self) -> str:
        """This problem alone, in one line: ``field: reason: got value; expected ...``."""
        if self.reason == MISSING_FIELD:
            return f"{self.field!s}: {self.reason}; expected {self.expected}"
        return f"{self.field!s}: {self.reason}: got {_show(self.value)}; expected {self.expected}"

    @classmethod
    def of(cls, problems: Sequence[StateError]) -> StateError:
        """One error for all ``problems`` of a state (the first one is its field)."""
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        return cls(first.field, first.value, first.expected, reason=first.reason, problems=problems)


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

    The good rows were all decided: ``result`` holds the whole batch result. Row indexes
    are positions, 0 for the first row (the CLI's record number is the index + 1); the
    message names the first bad row by its ids too, when ids were named.
    """

    def __init__(self, errors: Mapping[int, StateError], result: Any) -> None:
        self.errors = dict(errors)
        self.result = result
        first_index = min(self.errors)
        first = self.errors[first_index]
        ids = getattr(result, "ids", None) or {}
        named = ", ".join(f"{name} {values[first_index]!r}" for name, values in ids.items())
        GistpathError.__init__(
            self,
            f"{len(self.errors)} of {len(result)} rows are invalid; "
            f"first, row {first_index}{f' ({named})' if named else ''}: {first}",
        )
        self.field = first.field
        self.value = first.value
        self.expected = first.expected
        self.reason = first.reason
        self.problems = first.problems


def _show(value: object) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"

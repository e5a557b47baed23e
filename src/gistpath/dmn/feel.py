"""S-FEEL: the simple unary tests and literals of DMN decision table entries.

Design: a small hand-written scanner and recursive-descent reader (the whole grammar is a
dozen productions; a Lark grammar would be larger than the code). It reads

* unary tests (input entries, ``inputValues``, ``allowedValues``): ``-``; a comma-separated
  list of positive tests; ``not(...)`` around such a list. A positive test is a literal
  (equality), a comparison ``< <= > >=`` with a literal, or an interval ``[a..b]``,
  ``]a..b[``, ``(a..b)`` and every mix of open and closed ends;
* literals (output entries, default outputs): a number (``-`` allowed in front), a string in
  double quotes with FEEL's escapes, ``true`` or ``false``; an output entry may also be the
  name of another decision or input (:func:`parse_output`);
* FEEL's ``null`` as a unary test (the tested value is null, gistpath's ``unknown``) and in
  lists of allowed values: every FEEL engine reads it, though it is not in the S-FEEL
  subset's grammar.

Numbers become ``int`` when whole and ``float`` otherwise; a number a float cannot hold
exactly as written (more digits than a double keeps, or past its range) is refused rather
than rounded. Anything else (names of other variables in entries, arithmetic, function calls
such as ``date("...")``, ranges over strings) is beyond S-FEEL as gistpath reads it and
raises :class:`FeelError` with the column of the trouble; :mod:`gistpath.dmn.entries`
turns that into a :class:`gistpath.dmn.DmnError` naming the entry's element and line.

Limits: dates, times and durations are not read.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

import attrs


class FeelError(ValueError):
    """An entry is not S-FEEL gistpath reads; ``column`` is 1-based within the entry."""

    def __init__(self, message: str, column: int) -> None:
        self.column = column
        super().__init__(message)


@attrs.frozen
class Number:
    value: int | float
    text: str


@attrs.frozen
class String:
    value: str


@attrs.frozen
class Boolean:
    value: bool


@attrs.frozen
class Null:
    """FEEL's ``null``: no value (gistpath's ``unknown``)."""

    value: None = None


@attrs.frozen
class Name:
    """An output entry that names another decision or input: its value is the result."""

    text: str


Literal: TypeAlias = Number | String | Boolean | Null


@attrs.frozen
class Compare:
    """``< 5``, ``>= 18``: the tested value compared with a literal."""

    op: str
    value: Literal


@attrs.frozen
class Equal:
    """A bare literal: the tested value equals it."""

    value: Literal


@attrs.frozen
class Interval:
    """``[a..b]`` and its open-ended kin: ``low_closed`` / ``high_closed`` say which ends count."""

    low: Number
    low_closed: bool
    high: Number
    high_closed: bool


Test: TypeAlias = Compare | Equal | Interval


@attrs.frozen
class UnaryTests:
    """A whole entry: ``tests`` (any of which may hold), negated by ``not(...)``.

    ``-`` (any value) is ``UnaryTests((), negated=True)``: not one of nothing.
    """

    tests: tuple[Test, ...]
    negated: bool = False

    @property
    def is_any(self) -> bool:
        return self.negated and not self.tests


ANY = UnaryTests((), negated=True)

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<op><=|>=|!=|<|>|=|\.\.|[-(),\[\]])
  | (?P<name>[A-Za-z_?][A-Za-z0-9_?.]*)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "'": "'"}


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise FeelError(f"'{text[pos]}' is not S-FEEL", pos + 1)
        kind = match.lastgroup or ""
        if kind != "space":
            out.append((kind, match.group(), pos + 1))
        pos = match.end()
    out.append(("end", "", len(text) + 1))
    return out


def _number(text: str, negative: bool, column: int) -> Number:
    written = ("-" if negative else "") + text
    exact = Decimal(written)
    if exact == exact.to_integral_value() and "." not in text:
        return Number(int(exact), written)
    value = float(exact)
    try:
        same = math.isfinite(value) and Decimal(repr(value)) == exact
    except InvalidOperation:  # pragma: no cover - repr of a finite float is a number
        same = False
    if not same:
        raise FeelError(
            f"the number {written} cannot be held exactly as a floating-point number; "
            "gistpath does not round it",
            column,
        )
    if value.is_integer():
        return Number(int(value), written)
    return Number(value, written)


def _unescape(token: str, column: int) -> str:
    body = token[1:-1]
    out = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2 : i + 6]):
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            raise FeelError(f"'\\{nxt}' is not an escape FEEL knows", column + i + 1)
        out.append(char)
        i += 1
    return "".join(out)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.pos]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        kind, text, column = self.take()
        if text != value or kind == "string":
            found = f"'{text}'" if text else "the end"
            raise FeelError(f"expected '{value}' but found {found}", column)

    def trouble(self, what: str) -> FeelError:
        kind, text, column = self.peek()
        if kind == "name" and self.tokens[self.pos + 1][1] == "(":
            return FeelError(
                f"the function call '{text}(...)' is FEEL beyond S-FEEL; gistpath reads "
                "literals, comparisons, intervals, lists, not(...) and -",
                column,
            )
        if kind == "name":
            return FeelError(
                f"'{text}' is a name or FEEL expression; gistpath reads only literal "
                "numbers, strings and booleans here",
                column,
            )
        found = f"'{text}'" if text else "the end of the entry"
        return FeelError(f"expected {what} but found {found}", column)

    def literal(self) -> Literal:
        kind, text, column = self.peek()
        if kind == "op" and text == "-":
            self.take()
            kind, text, _ = self.peek()
            if kind != "number":
                raise FeelError("'-' here must stand before a number", column)
            self.take()
            return _number(text, True, column)
        if kind == "number":
            self.take()
            return _number(text, False, column)
        if kind == "string":
            self.take()
            return String(_unescape(text, column))
        if kind == "name" and text in ("true", "false"):
            self.take()
            return Boolean(text == "true")
        if kind == "name" and text == "null":
            self.take()
            return Null()
        raise self.trouble("a number, a string in double quotes, true, false or null")

    def end_number(self) -> Number:
        column = self.peek()[2]
        value = self.literal()
        if not isinstance(value, Number):
            raise FeelError("an interval's ends must be numbers", column)
        return value

    def positive(self) -> Test:
        kind, text, column = self.peek()
        if kind == "op" and text in ("<", "<=", ">", ">="):
            self.take()
            return Compare(text, self.literal())
        if kind == "op" and text in ("=", "!="):
            raise FeelError(
                f"'{text}' is not an S-FEEL unary test; write the value alone for equality, "
                "or not(...) for inequality",
                column,
            )
        if kind == "op" and text in ("[", "]", "("):
            self.take()
            low = self.end_number()
            self.expect("..")
            high = self.end_number()
            _, closing, column2 = self.take()
            if closing not in ("]", "[", ")"):
                raise FeelError("an interval ends with ']', '[' or ')'", column2)
            return Interval(low, text == "[", high, closing == "]")
        return Equal(self.literal())

    def positives(self) -> tuple[Test, ...]:
        tests = [self.positive()]
        while self.peek()[1] == "," and self.peek()[0] == "op":
            self.take()
            tests.append(self.positive())
        return tuple(tests)

    def unary_tests(self) -> UnaryTests:
        kind, text, _ = self.peek()
        if kind == "end":
            raise FeelError("the entry is empty; write '-' for any value", 1)
        if kind == "op" and text == "-" and self.tokens[self.pos + 1][0] == "end":
            self.take()
            return ANY
        if kind == "name" and text == "not" and self.tokens[self.pos + 1][1] == "(":
            self.take()
            self.take()
            tests = self.positives()
            self.expect(")")
            result = UnaryTests(tests, negated=True)
        else:
            result = UnaryTests(self.positives())
        self.finish()
        return result

    def finish(self) -> None:
        kind, text, column = self.peek()
        if kind != "end":
            raise FeelError(
                f"'{text}' cannot follow here; the entry is FEEL beyond S-FEEL unary tests",
                column,
            )


def parse_unary_tests(text: str) -> UnaryTests:
    """The unary tests of an input entry (``-``, lists, ``not(...)``, comparisons, intervals)."""
    return _Reader(text).unary_tests()


def parse_literal(text: str) -> Literal:
    """The literal of an output entry: a number, a string or a boolean (not ``null``)."""
    reader = _Reader(text)
    if reader.peek()[0] == "end":
        raise FeelError("the entry is empty", 1)
    value = reader.literal()
    if isinstance(value, Null):
        raise FeelError("an output of null (no value) is not imported", 1)
    reader.finish()
    return value


def parse_output(text: str) -> Literal | Name:
    """An output entry: a literal (:func:`parse_literal`) or one name (``afip_risk``)."""
    reader = _Reader(text)
    kind, word, _ = reader.peek()
    if (
        kind == "name"
        and word not in ("true", "false", "null", "not")
        and reader.tokens[1][0] == "end"
    ):
        return Name(word)
    return parse_literal(text)

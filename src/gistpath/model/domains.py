"""Domains: exactly which values an input may hold (a choice, a boolean, a number with
its limits, integer or not, its unit, and whether ``unknown`` is allowed).

Design: small frozen values that :mod:`gistpath.check` builds from an input's type and
:mod:`gistpath.state` validates against; ``str()`` writes a domain as the file would.

Limits: a number's limits are the declared ones; units are names, not converted.
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from gistpath import ast


@attrs.frozen(repr=False)
class ChoiceDomain(ast.Frozen):
    """One of a fixed set of names."""

    values: tuple[str, ...]
    allows_unknown: bool = False

    def describe(self) -> str:
        names = list(self.values) + (["unknown"] if self.allows_unknown else [])
        names = list(dict.fromkeys(names))
        return "one of " + ", ".join(repr(v) for v in names)


@attrs.frozen(repr=False)
class BooleanDomain(ast.Frozen):
    """``True`` or ``False`` (Python booleans only: ``1`` and ``"yes"`` are refused)."""

    allows_unknown: bool = False

    def describe(self) -> str:
        return "True or False" + (", or 'unknown'" if self.allows_unknown else "")


@attrs.frozen(repr=False)
class Limit(ast.Frozen):
    """One end of a numeric range: the value and whether the value itself is allowed."""

    value: int | float
    inclusive: bool


@attrs.frozen(repr=False)
class NumericDomain(ast.Frozen):
    """An integer or a real number, within optional limits, in an optional unit."""

    integer: bool
    low: Limit | None = None
    high: Limit | None = None
    unit: str | None = None
    allows_unknown: bool = False

    def contains(self, value: int | float) -> bool:
        if self.low is not None and (
            value < self.low.value or (value == self.low.value and not self.low.inclusive)
        ):
            return False
        return not (
            self.high is not None
            and (value > self.high.value or (value == self.high.value and not self.high.inclusive))
        )

    def describe_range(self) -> str:
        parts = []
        if self.low is not None:
            parts.append(f"{'>=' if self.low.inclusive else '>'} {_num(self.low.value)}")
        if self.high is not None:
            parts.append(f"{'<=' if self.high.inclusive else '<'} {_num(self.high.value)}")
        return " and ".join(parts)

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a finite number"
        text = kind
        if self.low is not None or self.high is not None:
            text += " " + self.describe_range()
        if self.unit:
            text += f" ({self.unit})"
        if self.allows_unknown:
            text += ", or 'unknown'"
        return text


Domain: TypeAlias = ChoiceDomain | BooleanDomain | NumericDomain


def _num(value: int | float) -> str:
    """A limit as the file would write it (``5``, not ``5.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if value == int(value) else repr(value)
    return repr(value) if isinstance(value, float) else str(value)

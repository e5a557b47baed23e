"""The literals of the language: quantities (a number with its unit and text), symbols,
``unknown`` and booleans, and the plain value each stands for.

Design: a :class:`Quantity` keeps the number as written (``text``) beside its value, so
nothing the author wrote is rounded on the way to the printer or the documentation.

Limits: units are names here; :mod:`gistpath.check` decides which unit an input takes.
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from gistpath.ast.base import Frozen, position


@attrs.frozen(repr=False)
class Quantity(Frozen):
    """A number as written (``text``), its value, and an optional unit: ``2``, ``5.5 cm``."""

    value: int | float
    text: str
    unit: str | None = None
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Symbol(Frozen):
    """A bare name used as a value: a choice value, a table output, a pathway id."""

    name: str
    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class Unknown(Frozen):
    """The word ``unknown``, allowed for inputs declared ``or unknown``."""

    line: int = position()
    column: int = position()


@attrs.frozen(repr=False)
class BoolLiteral(Frozen):
    """``yes`` or ``no``."""

    value: bool
    line: int = position()
    column: int = position()


Value: TypeAlias = Symbol | Unknown | BoolLiteral
Literal: TypeAlias = Value | Quantity


def literal_value(literal: Literal) -> object:
    """The plain Python value a literal stands for (``unknown`` is the text ``"unknown"``)."""
    if isinstance(literal, Quantity):
        return literal.value
    if isinstance(literal, Symbol):
        return literal.name
    if isinstance(literal, BoolLiteral):
        return literal.value
    return "unknown"

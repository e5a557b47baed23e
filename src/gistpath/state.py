"""Validation of patient states against the declared inputs: nothing coerced, nothing lost.

Design: :func:`field_validators` builds one small function per input, once per rule set; a
state is valid when it is a mapping with exactly the declared fields and each validator
accepts its value. A validator returns the value in its plain Python form or raises
:class:`gistpath.StateError` naming the field, the value and what was allowed.

What counts as a value is strict on purpose: ``True`` is not the integer ``1``, ``"5"`` is not
the number ``5``, ``5.0`` is not the integer ``5``, ``"Stomach"`` is not ``"stomach"``; NaN and
infinities are refused. Numpy scalars are accepted where they hold the same kind of value
(a ``numpy.float64`` size is a size) and are turned into the equal Python value, which loses
nothing. Constraints between fields are checked by :mod:`gistpath.ruleset` after these field checks.

Limits: only ``str`` keys are field names; other mapping types are read through ``keys()``
and ``[]``.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

from gistpath.errors import MISSING_FIELD, StateError
from gistpath.language import UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, Input, NumericDomain

Validator = Callable[[object], object]


def _numpy_kind(value: object) -> str | None:
    """'b', 'i', 'u', 'f', ... for a numpy *scalar*, without importing numpy.

    Arrays (even 0-dimensional ones) are not values: they give ``None``.
    """
    cls = type(value)
    if cls.__module__ != "numpy" or cls.__name__ == "ndarray":
        return None
    if getattr(value, "shape", None) != ():
        return None
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    return kind if isinstance(kind, str) else None


def _plain_str(value: object) -> str | None:
    """A text as a plain ``str`` (numpy's ``str_`` is a text too), else ``None``."""
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    return None


def _suggest(word: str, choices: list[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    if word.strip().lower() in lowered:
        return f" (did you mean {lowered[word.strip().lower()]!r}?)"
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _choice_validator(name: str, domain: ChoiceDomain) -> Validator:
    allowed = frozenset(domain.values) | ({UNKNOWN} if domain.allows_unknown else frozenset())
    expected = domain.describe()
    names = sorted(allowed)

    def validate(value: object) -> object:
        if type(value) is str and value in allowed:
            return value
        text = _plain_str(value)
        if text is not None and text in allowed:
            return text
        if isinstance(value, str):
            raise StateError(
                name, value, expected, reason="not an allowed value" + _suggest(value, names)
            )
        raise StateError(name, value, expected, reason="not a choice name")

    return validate


def _boolean_validator(name: str, domain: BooleanDomain) -> Validator:
    expected = domain.describe()
    unknown_ok = domain.allows_unknown

    def validate(value: object) -> object:
        if value is True or value is False:
            return value
        if unknown_ok and _plain_str(value) == UNKNOWN:
            return UNKNOWN
        if _numpy_kind(value) == "b":
            return bool(value)
        text = _plain_str(value)
        if text is not None:
            hint = (
                " (in JSON write true or false without quotes)"
                if text.strip().lower() in ("true", "false", "yes", "no")
                else ""
            )
            raise StateError(name, value, expected, reason="a text, not a boolean" + hint)
        raise StateError(name, value, expected, reason="not a boolean")

    return validate


def _numeric_validator(name: str, domain: NumericDomain) -> Validator:
    """The validator of a numeric input: it returns the number (a numpy scalar as the equal
    Python ``int`` or ``float``, never rounded; ``unknown`` where allowed) or raises
    :class:`StateError` naming the field, the value, the declared range and what is wrong
    (a text, a boolean, NaN, not an integer, out of range, ...).
    """
    expected = domain.describe()
    unknown_ok = domain.allows_unknown
    integer = domain.integer
    contains = domain.contains

    def out_of_range(value: object) -> StateError:
        return StateError(name, value, expected, reason="out of range")

    def validate(value: object) -> object:
        """The value to decide with, or :class:`StateError` naming the field, the value and what
        was allowed.
        """
        cls = type(value)
        number: int | float
        if cls is int:
            number = value  # type: ignore[assignment]
        elif cls is float and not integer:
            number = value  # type: ignore[assignment]
            if not math.isfinite(number):
                raise StateError(
                    name, value, expected, reason="not a finite number (NaN or infinite)"
                )
        elif isinstance(value, str):
            if unknown_ok and _plain_str(value) == UNKNOWN:
                return UNKNOWN
            raise StateError(name, value, expected, reason="a text, not a number")
        else:
            kind = _numpy_kind(value)
            if kind in ("i", "u"):
                number = int(value)  # type: ignore[call-overload]
            elif kind == "f" and not integer:
                number = float(value)  # type: ignore[arg-type]
                if not math.isfinite(number):
                    raise StateError(
                        name, value, expected, reason="not a finite number (NaN or infinite)"
                    )
                if number != value:  # a longdouble that a float cannot hold exactly
                    raise StateError(
                        name,
                        value,
                        expected,
                        reason="more precise than a 64-bit float; it would be rounded",
                    )
            elif value is True or value is False or kind == "b":
                raise StateError(name, value, expected, reason="a boolean, not a number")
            elif cls is float or kind == "f":
                raise StateError(name, value, expected, reason="not an integer")
            elif kind is None and _real_but_not_plain(value):
                raise StateError(
                    name, value, expected, reason=f"a {cls.__name__}, not a plain int or float"
                )
            else:
                raise StateError(name, value, expected, reason="not a number")
        if not contains(number):
            raise out_of_range(value)
        return number

    return validate


def _real_but_not_plain(value: object) -> bool:
    """A Decimal, a Fraction, an int or float subclass: a number, but not one gistpath takes.

    Complex numbers are not real and are simply "not a number", as numpy's are.
    """
    if isinstance(value, numbers.Real):
        return True
    return isinstance(value, numbers.Number) and not isinstance(value, numbers.Complex)


def field_validator(item: Input) -> Validator:
    """The validator of one input."""
    domain = item.domain
    if isinstance(domain, ChoiceDomain):
        return _choice_validator(item.name, domain)
    if isinstance(domain, BooleanDomain):
        return _boolean_validator(item.name, domain)
    return _numeric_validator(item.name, domain)


def field_validators(inputs: Mapping[str, Input]) -> dict[str, Validator]:
    """One validator per declared input, by name (see :func:`field_validator`)."""
    return {name: field_validator(item) for name, item in inputs.items()}


def shape_problems(state: Mapping[Any, object], inputs: Mapping[str, Input]) -> list[StateError]:
    """One :class:`StateError` per undeclared key and per missing field of a mapping."""
    declared = list(inputs)
    problems: list[StateError] = []
    for key in state:
        if key not in inputs:
            hint = _suggest(key, declared) if isinstance(key, str) else ""
            problems.append(
                StateError(
                    str(key),
                    state[key],
                    "only the declared fields: " + ", ".join(declared)
                    if declared
                    else "no fields at all (this rule set declares no inputs)",
                    reason="unknown field" + hint,
                )
            )
    for name in declared:
        if name not in state:
            problems.append(
                StateError(
                    name,
                    None,
                    f"a value for every declared field; {inputs[name].domain.describe()}",
                    reason=MISSING_FIELD,
                )
            )
    return problems


def check_shape(state: object, inputs: Mapping[str, Input]) -> None:
    """Raise a :class:`StateError` for a state that is not a mapping of the declared fields.

    Every undeclared key and every missing field is a problem of the one error raised.
    """
    if not isinstance(state, Mapping):
        raise StateError(
            "<state>",
            state,
            "a mapping of field names to values",
            reason="not a mapping",
        )
    problems = shape_problems(state, inputs)
    if problems:
        raise StateError.of(problems)


def state_problems(
    state: Mapping[Any, object], inputs: Mapping[str, Input], validators: Mapping[str, Validator]
) -> list[StateError]:
    """Every problem of a mapping's fields: undeclared keys, missing fields, bad values.

    The problems are in the order undeclared keys (as the state has them), then the
    declared fields in declaration order, each field missing or with a bad value.
    """
    shape = shape_problems(state, inputs)
    unknown = [p for p in shape if p.reason != MISSING_FIELD]
    per_field: list[StateError] = []
    for name, validate in validators.items():
        if name not in state:
            per_field.extend(p for p in shape if p.reason == MISSING_FIELD and p.field == name)
            continue
        try:
            validate(state[name])
        except StateError as error:
            per_field.append(error)
    return unknown + per_field


def validate_fields(
    state: Any, inputs: Mapping[str, Input], validators: Mapping[str, Validator]
) -> dict[str, object]:
    """The state with each value in its plain Python form; raises :class:`StateError`.

    The error raised lists every problem of the state (:attr:`StateError.problems`).
    """
    if type(state) is not dict or len(state) != len(validators):
        if not isinstance(state, Mapping):
            check_shape(state, inputs)
        if shape_problems(state, inputs):
            raise StateError.of(state_problems(state, inputs, validators))
    out: dict[str, object] = {}
    try:
        for name, validate in validators.items():
            out[name] = validate(state[name])
    except (KeyError, StateError):
        if not isinstance(state, Mapping):
            check_shape(state, inputs)
        problems = state_problems(state, inputs, validators)
        if not problems:  # a mapping whose keys and values changed while it was read
            raise
        raise StateError.of(problems) from None
    if len(state) != len(out):
        raise StateError.of(state_problems(state, inputs, validators))
    return out

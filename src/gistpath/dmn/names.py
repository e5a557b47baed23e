"""DMN names and values → gistpath names: one rule for every name the importer writes.

Design: a DMN name is lowercased, each run of characters other than ASCII letters, digits
and ``_`` replaced by one ``_``, and stripped of ``_`` at both ends (:func:`gistpath_name`).
:func:`safe_name` adds a prefix to a name that would be empty or start with a digit, and a
suffix to a word of the rules language (:data:`RESERVED`). :class:`Names` hands out the
names of one model and refuses two DMN names that meet on one gistpath name; a value
(a text, number or boolean output or allowed value) is named by :func:`value_name` and
made distinct within its list by :func:`values_for`. Values are compared by
:func:`key`, typed, so the number ``1`` and the boolean ``true`` stay two values.

Limits: names are ASCII; a DMN name made only of other characters becomes the prefix alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gistpath.dmn.values import Place

#: Words of the rules language that cannot be names.
RESERVED = frozenset(
    [
        "ruleset", "source", "pathway", "consideration", "cites", "when", "input", "or",
        "unknown", "choice", "boolean", "integer", "number", "let", "constraint", "rule",
        "otherwise", "example", "like", "with", "table", "values", "hit", "default", "not",
        "and", "implies", "exactly", "in", "is", "yes", "no", "property", "holds", "monotone",
        "include",
    ]
)  # fmt: skip
#: The one pathway of an imported model, chosen by every state.
PATHWAY = "decided"
#: The one source of an imported model: the model itself.
SOURCE = "dmn_model"
#: The choice value of a text input that stands for every text the tables do not test.
OTHER = "other"
_RUN = re.compile(r"[^a-z0-9_]+")


def gistpath_name(name: str) -> str:
    """``"Approval Status"`` → ``approval_status`` (the bare rule; see :func:`safe_name`)."""
    return _RUN.sub("_", name.lower()).strip("_")


def safe_name(name: str, prefix: str) -> str:
    """:func:`gistpath_name`, with ``prefix`` in front where that would be empty or start
    with a digit, and after it where it would be a word of the rules language."""
    base = gistpath_name(name)
    if not base or base[0].isdigit():
        base = f"{prefix}_{base}".rstrip("_")
    if base in RESERVED:
        base = f"{base}_{prefix}"
    return base


def number_text(value: int | float) -> str:
    """How a number is written in the rule file: ``repr`` for a float, ``str`` otherwise."""
    return repr(value) if isinstance(value, float) else str(value)


def value_name(value: object) -> str:
    """The name of one DMN value: ``true``/``false``, ``n2_5`` for ``2.5``, a text's name."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = repr(value) if isinstance(value, float) else str(value)
        return "n" + text.replace("-", "minus_").replace(".", "_").replace("+", "")
    return safe_name(str(value), "v")


class Names:
    """Hands out gistpath names, refusing two DMN names that meet on one."""

    def __init__(self) -> None:
        self.taken: dict[str, str] = {PATHWAY: "(the pathway)", SOURCE: "(the source)"}

    def claim(self, dmn_name: str, prefix: str, place: Place) -> str:
        """The gistpath name of ``dmn_name``, or a :class:`DmnError` at ``place`` if taken."""
        name = safe_name(dmn_name, prefix)
        holder = self.taken.get(name)
        if holder is not None:
            raise place.error(
                f"the name '{dmn_name}' becomes '{name}', which {holder} already has; "
                "rename one of them"
            )
        self.taken[name] = f"'{dmn_name}'"
        return name


def values_for(names: Sequence[object]) -> dict[object, str]:
    """A distinct value name for each DMN value (``_2``, ``_3`` where two would meet)."""
    out: dict[object, str] = {}
    used: set[str] = set()
    for value in names:
        typed = (type(value).__name__, value)
        if typed in out:
            continue
        base = value_name(value)
        name = base
        n = 2
        while name in used or name in RESERVED or name == "unknown":
            name = f"{base}_{n}"
            n += 1
        used.add(name)
        out[typed] = name
    return out


def key(value: object) -> tuple[str, object]:
    """A value with its type, so ``1`` and ``true`` (equal in Python) stay apart."""
    return (type(value).__name__, value)


def tuple_key(values: tuple[object, ...]) -> tuple[tuple[str, object], ...]:
    """:func:`key` of each value of an output tuple."""
    return tuple(key(v) for v in values)


__all__ = [
    "OTHER",
    "PATHWAY",
    "RESERVED",
    "SOURCE",
    "Names",
    "gistpath_name",
    "key",
    "number_text",
    "safe_name",
    "tuple_key",
    "value_name",
    "values_for",
]

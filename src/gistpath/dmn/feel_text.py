"""Cells of a dimension as S-FEEL entry text, the way to-dmn writes its table rows.

Design: a numeric entry is one interval (``< 5``, ``[2..10]``, ``]5..10[``) per stretch of
the cells asked for, stretches bridged over cells no allowed value lies in, and ``null``
for ``unknown``; a choice, boolean or table value is a list of values, or ``not(...)`` of
the other values where that is shorter. A table's "no value" (:data:`MISSING`) is only
ever written inside ``not(...)``, which FEEL holds on null as gistpath holds a negated test
on a missing value.

Limits: only S-FEEL unary tests are written; whole numbers are written without ``.0``.
"""

from __future__ import annotations

from gistpath.cells import Dimension
from gistpath.language import UNKNOWN
from gistpath.regions import bits

#: The value of a table's cell "no row matched and there is no default".
MISSING = None


def feel_string(text: str) -> str:
    """A FEEL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def feel_number(value: int | float) -> str:
    """A FEEL number as gistpath writes it (whole floats without ``.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def entries(dim: Dimension, mask: int, *, unknown_is_null: bool) -> list[str]:
    """The S-FEEL entries whose union is the cells ``mask`` of ``dim`` (several only for
    numbers; ``-`` for every valid cell). ``unknown_is_null``: the dimension is an input,
    whose ``unknown`` FEEL writes as ``null``."""
    mask &= dim.valid
    if mask == dim.valid:
        return ["-"]
    if dim.kind == "numeric":
        return _numeric_entries(dim, mask)
    return [_values_entry(dim, mask, unknown_is_null)]


def _values_entry(dim: Dimension, mask: int, unknown_is_null: bool) -> str:
    """A list of the values in ``mask``, or ``not(...)`` of the others where shorter."""

    def word(value: object) -> str:
        if value is True or value is False:
            return "true" if value else "false"
        if value == UNKNOWN and unknown_is_null:
            return "null"
        return feel_string(str(value))

    inside = [dim.values[c] for c in bits(mask)]
    outside = [dim.values[c] for c in bits(dim.valid & ~mask)]
    if MISSING in inside:  # "no value" only ever inside not(...): FEEL holds it on null
        return "not(" + ", ".join(word(v) for v in outside) + ")"
    positive = ", ".join(word(v) for v in inside)
    if MISSING in outside or len(outside) >= len(inside):
        return positive
    return "not(" + ", ".join(word(v) for v in outside) + ")"


def _numeric_entries(dim: Dimension, mask: int) -> list[str]:
    """One entry per stretch of numbers in ``mask`` (cells outside the domain bridge two
    stretches), and ``null`` for the unknown cell."""
    out: list[str] = []
    last = 2 * len(dim.thresholds)
    invalid = ~dim.valid
    cell = 0
    while cell <= last:
        if not mask >> cell & 1:
            cell += 1
            continue
        start = cell
        while cell + 1 <= last and (mask | invalid) >> (cell + 1) & 1:
            cell += 1
        end = cell
        while end > start and not mask >> end & 1:  # a stretch ends on a cell it holds
            end -= 1
        # reach down (and up) over cells outside the domain: '< 5' rather than ']0..5['
        while start > 0 and invalid >> (start - 1) & 1:
            start -= 1
        top = end
        while top < last and invalid >> (top + 1) & 1:
            top += 1
        out.append(_stretch(dim.thresholds, start, top, last))
        cell += 1
    if dim.allows_unknown and mask >> dim.unknown_cell & 1:
        out.append("null")
    if out == ["-"] and dim.allows_unknown:
        return ["not(null)"]
    return out


def _stretch(ts: tuple[int | float, ...], start: int, end: int, last: int) -> str:
    """The S-FEEL test of the cells ``start`` to ``end`` (cell 2i+1 is the number ts[i])."""
    if start == end and start % 2 == 1:
        return feel_number(ts[start // 2])
    low = None if start == 0 else (ts[start // 2] if start % 2 else ts[start // 2 - 1])
    low_closed = start % 2 == 1
    high = None if end == last else ts[end // 2]
    high_closed = end % 2 == 1
    if low is None and high is None:
        return "-"
    if low is None:
        assert high is not None
        return ("<= " if high_closed else "< ") + feel_number(high)
    if high is None:
        return (">= " if low_closed else "> ") + feel_number(low)
    return (
        ("[" if low_closed else "]")
        + f"{feel_number(low)}..{feel_number(high)}"
        + ("]" if high_closed else "[")
    )

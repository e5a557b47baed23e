"""Cells as S-FEEL entry text, the way to-dmn writes its table rows.

Design: a table cell of the rule file (:func:`cell_entry`) is written as the entry it is: a
value list, ``not(...)``, one interval or one value; comparisons S-FEEL cannot join in one
entry are refused with :class:`ExportError`. The cells of a region (:func:`entries`) are
written per dimension: a numeric entry is one interval (``< 5``, ``[2..10]``, ``]5..10[``)
per stretch of the cells asked for, stretches bridged over cells no allowed value lies in,
and ``null`` for ``unknown``; a choice, boolean or table value is a list of values, or
``not(...)`` of the other values where that is shorter. A table's "no value"
(:data:`MISSING`) is only ever written inside ``not(...)``, which FEEL holds on null as
gistpath holds a negated test on a missing value.

Limits: only S-FEEL unary tests are written; whole numbers are written without ``.0``.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.cells import Dimension
from gistpath.errors import GistpathError
from gistpath.language import UNKNOWN
from gistpath.model import Model, Table
from gistpath.regions import bits

#: The value of a table's cell "no row matched and there is no default".
MISSING = None


class ExportError(GistpathError):
    """A rule set has something DMN decision tables with S-FEEL cannot say."""


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


def cell_entry(model: Model, table: Table, column: str, cell: ast.Cell) -> str:
    """A cell of the table ``table`` in column ``column`` as an S-FEEL input entry (``unknown``
    written as ``null`` where the column is an input); raises :class:`ExportError` for a
    cell S-FEEL cannot write as one entry."""
    if isinstance(cell, ast.AnyCell):
        return "-"
    if isinstance(cell, ast.TestsCell):
        return _tests_entry(model, table, column, cell.tests)
    assert isinstance(cell, ast.ValuesCell)
    is_input = column in model.inputs
    words = []
    for value in cell.values:
        if isinstance(value, ast.BoolLiteral):
            words.append("true" if value.value else "false")
        elif isinstance(value, ast.Unknown):
            words.append("null" if is_input else feel_string(UNKNOWN))
        else:
            words.append(feel_string(value.name))
    text = ", ".join(words)
    return f"not({text})" if cell.negated else text


def _tests_entry(model: Model, table: Table, column: str, tests: tuple[ast.Bound, ...]) -> str:
    """Comparisons of one cell as one S-FEEL entry: an interval, a value or ``not(...)``."""
    low: tuple[int | float, bool] | None = None  # value, closed
    high: tuple[int | float, bool] | None = None
    equal: list[int | float] = []
    item = model.inputs.get(column)
    null = item is not None and item.domain.allows_unknown
    for test in tests:
        value = test.quantity.value
        if test.op == "!=" and len(tests) == 1:
            # FEEL's not(5) holds on null; gistpath's '!= 5' never holds for unknown
            return f"not({feel_number(value)}, null)" if null else f"not({feel_number(value)})"
        if test.op == "!=":
            raise ExportError(
                f"a cell of table '{table.name}' in column '{column}' joins '!=' with "
                "other comparisons, which S-FEEL cannot write as one entry"
            )
        if test.op == "=":
            equal.append(value)
        elif test.op in (">", ">="):
            if low is None or value > low[0] or (value == low[0] and test.op == ">"):
                low = (value, test.op == ">=")
        elif high is None or value < high[0] or (value == high[0] and test.op == "<"):
            high = (value, test.op == "<=")
    if equal:
        if len(set(equal)) > 1 or low is not None or high is not None:
            raise ExportError(
                f"a cell of table '{table.name}' in column '{column}' joins '=' with "
                "other comparisons; write the one value it allows"
            )
        return feel_number(equal[0])
    if low is not None and high is not None:
        return (
            ("[" if low[1] else "]")
            + f"{feel_number(low[0])}..{feel_number(high[0])}"
            + ("]" if high[1] else "[")
        )
    if low is not None:
        return (">= " if low[1] else "> ") + feel_number(low[0])
    assert high is not None
    return ("<= " if high[1] else "< ") + feel_number(high[0])

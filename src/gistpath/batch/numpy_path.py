"""The numpy path: a column's rows turned into the cells of their input, without C.

Design: a column's values are turned into cells (the index of the cell of the input's
compiled dimension holding each value) with array operations where its dtype makes that
exact, and otherwise with the very validator :meth:`gistpath.RuleSet.evaluate` uses:

- numbers: ``searchsorted`` over the thresholds, for integers within 2**53 and floats of at
  most 64 bits (the thresholds are exact floats too); bounds checked as arrays, and only
  the rows they flag validated, for their errors;
- numpy fixed-width text: a look-up by one or two character positions proposes a value,
  and one comparison of the whole text confirms it;
- categoricals (:class:`gistpath.batch.columns.Coded`): each category validated once;
- anything else (objects, mixed numbers and ``unknown``, missing values): the validator,
  once per distinct value where values that compare equal are also the same value, else
  value by value.

A refused row gets its input's ``fallback`` cell (so that the row can still be folded) and
its :class:`gistpath.StateError` in ``bad``, by row position; an earlier error of the same
row is kept.

Limits: values left to the validator cost about a microsecond each; this module never
calls the C loops (:mod:`gistpath.batch.compiled` tries them first).
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from gistpath.batch.columns import Cells, Coded, Column, Utf8, elements, list_to_array
from gistpath.batch.plan import InputPlan
from gistpath.batch.specs import allowed_texts, exact_float
from gistpath.errors import GistpathError, StateError
from gistpath.model import NumericDomain

#: Errors of refused rows, by row position: the first error of a row is the one kept.
Refused: TypeAlias = dict[int, GistpathError]

# Integers up to this size are exact as float64, so integer columns can be compared with the
# thresholds as floats; larger ones are compared as Python ints.
_EXACT_INT = 2**53


def numpy_cells(inp: InputPlan, column: Column, bad: Refused) -> Cells:
    """The cells of a whole column of one input, through numpy and the validator.

    ``inp``: the input's plan; ``column``: its rows (any :data:`Column` shape);
    ``bad``: refused rows are added to it (their cell is ``inp.fallback``). Returns one
    cell per row.
    """
    if isinstance(column, Coded):
        return _coded(inp, column, bad)
    array = column[:] if isinstance(column, Utf8) else column  # Arrow text as a list
    if inp.numeric:
        return _numeric(inp, array, bad)
    return _lookup(inp, array, bad)


def _numeric(
    inp: InputPlan, array: npt.NDArray[Any] | list[Any] | tuple[Any, ...], bad: Refused
) -> Cells:
    """Cells of a numeric input: array comparisons where they are exact, else the
    validator (once per distinct value where that is safe).

    ``array``: the column (a list or tuple is made an array first; an error shows its item
    as given); refused rows go to ``bad``. Returns one cell per row.
    """
    dim = inp.dimension
    given = array  # what an error shows: the item as given, not numpy's copy of it
    if isinstance(array, (list, tuple)):
        array = list_to_array(array)
    domain = inp.domain
    assert isinstance(domain, NumericDomain)
    if array.dtype == object and not domain.integer and len(array):
        # ints and floats mixed (4 and 4.5) for a number input: one float array, when every
        # value is exactly a float (ints below 2**53 in size).
        items = elements(array)
        if set(map(type, items)) <= {int, float}:
            try:
                floats = np.asarray(items, dtype=np.float64)
            except OverflowError:  # an int beyond any float: value by value below
                floats = None
            if floats is not None and not (np.abs(floats) >= _EXACT_INT).any():
                array = floats
    kind = array.dtype.kind
    n = len(array)
    # Array operations where they are exact: integers (within 2**53, as floats) for any
    # numeric input, floats of at most 64 bits for a number input. The thresholds are
    # exact floats too (the checker refuses literals that are not).
    fast = (
        kind in "iu" or (kind == "f" and not domain.integer and array.dtype.itemsize <= 8)
    ) and all(exact_float(t) for t in dim.thresholds)
    if fast and kind in "iu" and n:
        fast = int(array.min()) >= -_EXACT_INT and int(array.max()) <= _EXACT_INT
    if not fast:
        return _one_by_one(inp, array, bad)
    values = array.astype(np.float64, copy=False)
    invalid = ~np.isfinite(values) if kind == "f" else np.zeros(n, dtype=bool)
    low, high = domain.low, domain.high
    with np.errstate(invalid="ignore"):
        if low is not None:
            invalid |= values < low.value if low.inclusive else values <= low.value
        if high is not None:
            invalid |= values > high.value if high.inclusive else values >= high.value
    if invalid.any():
        for i in np.flatnonzero(invalid).tolist():
            try:
                inp.validate(given[i])
            except StateError as error:
                bad.setdefault(i, error)
            else:  # pragma: no cover - the array checks mirror the validator
                raise AssertionError(f"{inp.name}: {given[i]!r} flagged but valid")
    ts = np.asarray(dim.thresholds, dtype=np.float64)
    if len(ts) == 0:
        return np.zeros(n, dtype=np.intp)
    index = np.searchsorted(ts, values, side="left")
    clipped = np.minimum(index, len(ts) - 1)
    point = (index < len(ts)) & (ts[clipped] == values)
    cells: npt.NDArray[np.intp] = (2 * index + point).astype(np.intp, copy=False)
    return cells


def _coded(inp: InputPlan, column: Coded, bad: Refused) -> npt.NDArray[np.intp]:
    """Cells of a categorical column: each category validated once, rows through codes."""
    dim, validate = inp.dimension, inp.validate
    table = np.full(len(column.categories), -1, dtype=np.intp)
    errors: dict[int, StateError] = {}
    for code, value in enumerate(column.categories):
        try:
            table[code] = dim.cell_of(validate(value))
        except StateError as error:
            errors[code] = error
    cells: npt.NDArray[np.intp] = table[column.codes]
    if errors:
        for i in np.flatnonzero(cells < 0).tolist():
            bad.setdefault(i, errors[int(column.codes[i])])
        cells[cells < 0] = inp.fallback
    return cells


# A text column is keyed on one character position when the allowed texts' code points
# there are distinct and below this bound (a look-up table of that size), else on two.
_LUT_SIZE = 1 << 16


def _text_key_positions(words: npt.NDArray[np.uint32]) -> tuple[int, int] | None:
    """Character positions whose code points tell every allowed text apart.

    ``(p, p)`` means one position suffices.
    """
    width = words.shape[1]
    for p in range(width):
        if len(set(words[:, p].tolist())) == len(words) and int(words[:, p].max()) < _LUT_SIZE:
            return p, p
    for p in range(width):
        for q in range(p + 1, width):
            pairs = {(int(a), int(b)) for a, b in zip(words[:, p], words[:, q], strict=True)}
            if len(pairs) == len(words):
                return p, q
    return None


def _text(inp: InputPlan, array: npt.NDArray[np.str_], bad: Refused) -> npt.NDArray[np.intp]:
    """Cells of a fixed-width text column (numpy ``<U``), without a Python object per row.

    The allowed texts are told apart by the code points at two positions, found once per
    column width; each row's pair gives a candidate value, and one vectorised comparison of
    the whole text confirms it. Rows that match no allowed text are validated one by one
    for their cell or their error (in ``bad``). Returns one cell per row.
    """
    dim = inp.dimension
    width = array.dtype.itemsize // 4
    allowed = allowed_texts(dim, width)  # longer ones cannot be in the column
    cells_of = np.asarray([dim.values.index(v) for v in allowed] or [0], dtype=np.intp)
    padded = np.asarray(allowed or [""], dtype=array.dtype)
    table = padded.view(np.uint32).reshape(len(padded), width)
    positions = _text_key_positions(table) if allowed else None
    n = len(array)
    if positions is None:
        matched = np.zeros(n, dtype=bool)
        cells = np.zeros(n, dtype=np.intp)
    else:
        p, q = positions
        rows = np.ascontiguousarray(array).view(np.uint32).reshape(n, width)
        if p == q:  # one position: a look-up table from code point to candidate
            lut = np.zeros(int(table[:, p].max()) + 1, dtype=np.intp)
            lut[table[:, p]] = np.arange(len(allowed))
            points = rows[:, p]
            candidate = lut[np.minimum(points, len(lut) - 1)]
        else:
            keys = (rows[:, p].astype(np.uint64) << np.uint64(32)) | rows[:, q]
            own = (table[:, p].astype(np.uint64) << np.uint64(32)) | table[:, q]
            order = np.argsort(own)
            candidate = order[np.minimum(np.searchsorted(own[order], keys), len(own) - 1)]
        # The key only proposes a value; the whole text must equal it.
        matched = array == padded[candidate]
        cells = cells_of[candidate]
    if not matched.all():
        for i in np.flatnonzero(~matched).tolist():
            value = str(array[i])
            try:
                cells[i] = inp.cell(value)
            except StateError as error:
                bad.setdefault(i, error)
                cells[i] = inp.fallback
    return cells


def _by_distinct(inp: InputPlan, items: list[Any], bad: Refused) -> npt.NDArray[np.intp] | None:
    """Cells found by validating each distinct value once; ``None`` where that is unsafe.

    Values that compare equal share a dictionary key, so this is only done when they are
    also the same value: text, plus at most one other type (``1`` and ``True``, or ``1``
    and ``1.0``, never meet here). Unhashable items go value by value.
    """
    others = {t for t in map(type, items) if t is not str}
    if len(others) > 1:
        return None
    try:
        distinct = set(items)
    except TypeError:
        return None
    validate = inp.validate
    table: dict[object, int] = {}
    errors: dict[object, StateError] = {}
    for value in distinct:
        try:
            table[value] = inp.dimension.cell_of(validate(value))
        except StateError as error:
            table[value] = -1
            errors[value] = error
    cells = np.fromiter(map(table.__getitem__, items), dtype=np.intp, count=len(items))
    if errors:
        for i in np.flatnonzero(cells < 0).tolist():
            # A bad row's error names its own value: equal values may still differ in what
            # the message shows (0.0 and -0.0), so it is validated again on its own.
            try:
                validate(items[i])
            except StateError as error:
                bad.setdefault(i, error)
            else:  # pragma: no cover - equal values validate alike
                bad.setdefault(i, errors[items[i]])
        cells[cells < 0] = inp.fallback
    return cells


def _one_by_one(inp: InputPlan, array: npt.NDArray[Any], bad: Refused) -> npt.NDArray[np.intp]:
    """Cells through the field's validator: once per distinct value where that is safe,
    else value by value (unhashable items, or numbers of several types)."""
    items = elements(array)
    quick = _by_distinct(inp, items, bad)
    if quick is not None:
        return quick
    validate, fallback = inp.validate, inp.fallback
    cells = np.empty(len(items), dtype=np.intp)
    for i, value in enumerate(items):
        try:
            ok = validate(value)
        except StateError as error:
            bad.setdefault(i, error)
            cells[i] = fallback
            continue
        cells[i] = inp.dimension.cell_of(ok)
    return cells


def _lookup(
    inp: InputPlan, array: npt.NDArray[Any] | list[Any] | tuple[Any, ...], bad: Refused
) -> Cells:
    """Cells of a choice or boolean input: booleans as they are, fixed-width text by
    :func:`_text`, anything else through the validator."""
    if isinstance(array, (list, tuple)):
        array = list_to_array(array)
    if array.dtype.kind == "b" and inp.dimension.kind == "boolean":
        return array.astype(np.intp)  # False is cell 0, True cell 1
    if array.dtype.kind == "U" and array.dtype.itemsize and len(array):
        return _text(inp, array, bad)
    return _one_by_one(inp, array, bad)

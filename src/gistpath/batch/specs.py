"""The tables the C loops read for one input, built from its dimension.

Design: each column function of ``_kernel.c`` takes, after the column and the rows asked
for, one *spec*: a named tuple whose fields are, in order, what the C function reads
(``_kernel.c`` parses it with ``PyArg_ParseTuple``, so the field order is the contract,
guarded by the ABI version in :mod:`gistpath.batch.kernel`). They are built once per rule
set by :class:`gistpath.batch.plan.BatchPlan`, from the compiled dimension alone:

- :class:`NumberSpec` (``numbers``): thresholds, valid cells, bounds made inclusive;
- :class:`LookupSpec` (``lookup``): the allowed texts (interned) and the cells of
  ``False`` and ``True``;
- :class:`TextSpec` (``text``, one per column width): the allowed texts as code points and
  a slot table keyed on two of their characters;
- :class:`Utf8Spec` (``utf8``): the allowed texts in UTF-8 by length, and a salted slot
  table of their words.

Limits: a number input whose thresholds or bounds are not exact floats gets no spec (its
columns go through numpy and the validators); so does fixed-width text no two positions
tell apart. The slots come from :mod:`gistpath.batch.hashes`.
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from gistpath.batch import hashes
from gistpath.cells import Dimension
from gistpath.errors import StateError
from gistpath.model import NumericDomain
from gistpath.state import Validator


class NumberSpec(NamedTuple):
    """What ``_kernel.numbers`` reads for a numeric input (and ``objects``' number jobs)."""

    thresholds: bytes  # float64, ascending
    valid: bytes  # one byte per cell: 1 when the cell holds allowed values
    low: float  # the lowest allowed value, inclusive (-inf: no check of its own)
    high: float  # the highest, inclusive (+inf: none)
    integer: bool  # floats are left to the validator
    unknown: str | None  # "unknown" where the input allows it
    unknown_cell: int  # its cell (-1 where it does not)


class LookupSpec(NamedTuple):
    """What ``_kernel.lookup`` reads for a choice or boolean input."""

    table: dict[str, int]  # allowed text (interned) -> cell
    cell_false: int  # the cell of False (-1: not allowed)
    cell_true: int  # the cell of True


class TextSpec(NamedTuple):
    """What ``_kernel.text`` reads for numpy ``<U{width}`` columns of a choice input."""

    width: int  # code points per row
    allowed: bytes  # the allowed texts, NUL-padded to ``width``, as uint32
    cells_of: bytes  # their cells, int32
    p: int  # the two positions whose code points give a row's slot
    q: int
    slots: bytes  # int32 per slot (a power of two of them): allowed text or -1


class Utf8Spec(NamedTuple):
    """What ``_kernel.utf8`` reads for Arrow text columns of a choice input."""

    allowed: bytes  # the allowed texts' UTF-8, sorted by length, end to end
    bounds: bytes  # int64, k + 1: text j is allowed[bounds[j]:bounds[j + 1]]
    by_length: bytes  # int32, longest + 2: texts of length L are by_length[L] .. [L + 1] - 1
    cells_of: bytes  # int32, k: their cells
    heads: bytes  # uint64, 2 k: each text's hashes.utf8_words
    slots: bytes  # int32, UTF8_SLOTS (or empty: no salt works): text index or -1
    salt: int


def exact_float(value: int | float) -> bool:
    """Is ``value`` a float exactly (every threshold of a C comparison must be)?"""
    try:
        return float(value) == value
    except OverflowError:
        return False


def number_spec(dim: Dimension, domain: NumericDomain) -> NumberSpec | None:
    """The spec of a numeric input, or ``None`` where its thresholds or bounds are not all
    exact floats (the C loops compare in doubles)."""
    low, high = domain.low, domain.high
    bounds = [b.value for b in (low, high) if b is not None]
    if not all(exact_float(t) for t in (*dim.thresholds, *bounds)):
        return None
    # A bound that is a threshold needs no check of its own: the cells beyond it are not
    # valid ones. An exclusive bound is the next double inside it.
    low_bound = -math.inf
    if low is not None and low.value not in dim.thresholds:
        value = float(low.value)
        low_bound = value if low.inclusive else math.nextafter(value, math.inf)
    high_bound = math.inf
    if high is not None and high.value not in dim.thresholds:
        value = float(high.value)
        high_bound = value if high.inclusive else math.nextafter(value, -math.inf)
    return NumberSpec(
        thresholds=np.asarray(dim.thresholds, dtype=np.float64).tobytes(),
        valid=bytes(dim.valid >> c & 1 for c in range(dim.size)),
        low=low_bound,
        high=high_bound,
        integer=domain.integer,
        unknown="unknown" if dim.allows_unknown else None,
        unknown_cell=dim.unknown_cell if dim.allows_unknown else -1,
    )


def lookup_spec(dim: Dimension) -> LookupSpec:
    """The spec of a choice or boolean input: its allowed texts, False and True."""
    table: dict[str, int] = {}
    cell_false = cell_true = -1
    for c, value in enumerate(dim.values):
        if not dim.valid >> c & 1:
            continue
        if value is False:
            cell_false = c
        elif value is True:
            cell_true = c
        elif type(value) is str:
            # Interned, so that a column of interned texts (literals in Python code,
            # sys.intern'ed values) is matched by identity, without comparing text.
            table[sys.intern(value)] = c
    return LookupSpec(table, cell_false, cell_true)


def allowed_texts(dim: Dimension, width: int | None = None) -> list[str]:
    """The texts a choice input allows (of at most ``width`` characters), in cell order."""
    allowed = [v for c, v in enumerate(dim.values) if type(v) is str and dim.valid >> c & 1]
    return allowed if width is None else [v for v in allowed if len(v) <= width]


def text_spec(dim: Dimension, width: int) -> TextSpec | None:
    """The spec for ``<U{width}`` columns, or ``None`` where no allowed text fits or no two
    positions tell them apart in a table of at most 4,096 slots."""
    allowed = allowed_texts(dim, width)  # longer ones cannot be in the column
    if not allowed:
        return None
    padded = np.asarray(allowed, dtype=f"<U{width}")
    table = padded.view(np.uint32).reshape(len(allowed), width)
    found = _text_positions(table)
    if found is None:
        return None
    p, q, size = found
    slots = np.full(size, -1, dtype=np.int32)
    slots[hashes.text_slots(table, p, q, size)] = np.arange(len(allowed), dtype=np.int32)
    cells_of = np.asarray([dim.values.index(v) for v in allowed], dtype=np.int32)
    return TextSpec(width, table.tobytes(), cells_of.tobytes(), p, q, slots.tobytes())


def _text_positions(table: npt.NDArray[np.uint32]) -> tuple[int, int, int] | None:
    """Positions ``p <= q`` and a table size under which the texts' slots all differ."""
    k, width = table.shape
    for size in (64, 256, 1024, 4096):
        if size < 2 * k:
            continue
        for p in range(width):
            for q in range(p, width):
                if len(np.unique(hashes.text_slots(table, p, q, size))) == k:
                    return p, q, size
    return None


def utf8_spec(lookup: LookupSpec) -> Utf8Spec:
    """The spec for Arrow text columns of a choice input whose look-up spec is ``lookup``."""
    table = lookup.table
    texts = sorted(table, key=lambda t: len(t.encode("utf-8")))
    encoded = [t.encode("utf-8") for t in texts]
    bounds = np.cumsum([0, *map(len, encoded)], dtype=np.int64)
    longest = max(map(len, encoded), default=0)
    lengths = np.asarray([len(e) for e in encoded], dtype=np.int64)
    by_length = np.searchsorted(lengths, np.arange(longest + 2), side="left")
    heads = [hashes.utf8_words(e) for e in encoded]
    slots, salt = _utf8_slots(heads, [len(e) for e in encoded])
    return Utf8Spec(
        allowed=b"".join(encoded),
        bounds=bounds.tobytes(),
        by_length=by_length.astype(np.int32).tobytes(),
        cells_of=np.asarray([table[t] for t in texts], dtype=np.int32).tobytes(),
        heads=np.asarray(heads or [(0, 0)], dtype=np.uint64).tobytes(),
        slots=slots,
        salt=salt,
    )


def _utf8_slots(heads: list[tuple[int, int]], lengths: list[int]) -> tuple[bytes, int]:
    """A salt under which the allowed texts of up to 16 bytes all hash to different slots,
    and the slot table (int32 bytes: text index or -1). An empty table (no salt works)
    sends every text to the comparison by length."""
    for salt in range(256):
        slots = np.full(hashes.UTF8_SLOTS, -1, dtype=np.int32)
        for j, (words, length) in enumerate(zip(heads, lengths, strict=True)):
            if length > hashes.UTF8_WORDS_MAX:
                continue
            at = hashes.utf8_slot(words, length, salt)
            if slots[at] >= 0:
                break
            slots[at] = j
        else:
            return slots.tobytes(), salt
    return b"", 0


def category_cells(dim: Dimension, validate: Validator, categories: Sequence[object]) -> bytes:
    """The cell of each category (int32 bytes), ``-1`` for one the validator refuses."""
    cells = np.full(len(categories), -1, dtype=np.int32)
    for code, value in enumerate(categories):
        # A refused category stays -1: its rows get their error from the validator.
        with contextlib.suppress(StateError):
            cells[code] = dim.cell_of(validate(value))
    return cells.tobytes()

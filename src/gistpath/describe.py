"""Boxes of cells in the rule file's own terms: conditions, and an example state.

Design: a box of a :class:`gistpath.cells.Space` holds a set of cells per input. In words,
a choice or boolean input reads ``site is rectum`` or ``site in {rectum, colon}``, and a
numeric input as its maximal intervals (``5 < size_cm <= 10``, ``ciwa = 9``, ``any
size_cm``), cells that hold no allowed value not breaking a run. The example state is a
plausible case inside the box: the middle interval of each numeric input and a round
value near its middle. Findings (:mod:`gistpath.verify`), changes (:mod:`gistpath.diff`)
and alternatives (:mod:`gistpath.alternatives`) describe their regions with these.

Limits: the words are the file's names and operators, not the titles a clinician reads
(that is :mod:`gistpath.words`); ``unknown`` is named where a box holds it.
"""

from __future__ import annotations

import math

from gistpath.cells import Dimension, Space
from gistpath.printer import value_word
from gistpath.regions import Box


def describe_box(space: Space, box: Box, *, skip_full: bool = True) -> str:
    """A box in words: ``site in {rectum}, 5 < size_cm <= 10, mitotic_rate <= 5``."""
    parts = []
    for dim, mask in zip(space.dimensions, box, strict=True):
        if skip_full and mask == dim.valid:
            continue
        cells = [c for c in range(dim.size) if mask >> c & 1]
        if dim.kind != "numeric":
            names = [value_word(dim.values[c]) for c in cells]
            if len(names) == 1:
                parts.append(f"{dim.name} is {names[0]}")
            else:
                parts.append(f"{dim.name} in {{{', '.join(names)}}}")
            continue
        parts.append(describe_numeric(space, dim.name, mask))
    return ", ".join(parts) if parts else "every valid state"


def describe_numeric(space: Space, name: str, mask: int) -> str:
    """The cells of ``mask`` on the numeric input ``name`` in words, as maximal intervals (``5 <
    size_cm <= 10``, ``ciwa = 9``, ``any size_cm``), with ``unknown`` where the mask holds it.
    """
    dim = space.dimensions[space.index(name)]
    pieces: list[str] = []
    unknown = dim.allows_unknown and bool(mask >> dim.unknown_cell & 1)
    # Join runs of cells into intervals; cells that hold no allowed value (the integers
    # strictly between 5 and 6) do not break a run.
    valid_cells = [c for c in range(2 * len(dim.thresholds) + 1) if dim.valid >> c & 1]
    runs: list[tuple[int, int]] = []
    previous = -1
    for position, c in enumerate(valid_cells):
        if not mask >> c & 1:
            continue
        if runs and previous == position - 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
        previous = position
    for first, last in runs:
        low, _, low_point = dim.cell_bounds(first)
        _, high, high_point = dim.cell_bounds(last)
        low_text = _num(low)
        high_text = _num(high)
        if low_point and high_point and first == last:
            pieces.append(f"{name} = {low_text}")
            continue
        if dim.integer and math.isfinite(low) and math.isfinite(high):
            # the integers of the run: one alone reads 'ciwa = 9', not '8 < ciwa < 10'
            smallest = int(low) if low_point else math.floor(low) + 1
            largest = int(high) if high_point else math.ceil(high) - 1
            if smallest == largest:
                pieces.append(f"{name} = {smallest}")
                continue
        lower = _lower_is_limit(dim, first)
        upper = _upper_is_limit(dim, last)
        if lower and upper:
            pieces.append(f"any {name}")
        elif lower:
            pieces.append(f"{name} {'<=' if high_point else '<'} {high_text}")
        elif upper:
            pieces.append(f"{name} {'>=' if low_point else '>'} {low_text}")
        else:
            pieces.append(
                f"{low_text} {'<=' if low_point else '<'} {name} "
                f"{'<=' if high_point else '<'} {high_text}"
            )
    if unknown:
        pieces.append(f"{name} is unknown")
    return pieces[0] if len(pieces) == 1 else "(" + " or ".join(pieces) + ")"


def _lower_is_limit(dim: Dimension, cell: int) -> bool:
    """No allowed value lies below this cell."""
    return not any(dim.valid >> c & 1 for c in range(cell))


def _upper_is_limit(dim: Dimension, cell: int) -> bool:
    """No allowed value lies above this cell (``unknown`` is not above anything)."""
    return not any(dim.valid >> c & 1 for c in range(cell + 1, 2 * len(dim.thresholds) + 1))


def middle_example(space: Space, box: Box) -> dict[str, object]:
    """A concrete state inside ``box`` (inputs only) that reads as a plausible case: per
    numeric input, the middle one of the box's intervals and a round value near its middle
    (not the lowest value allowed); choices and booleans as :meth:`Space.example` picks."""
    out: dict[str, object] = {}
    for dim, mask in zip(space.dimensions[:-1], box[:-1], strict=True):
        cells = [c for c in range(dim.size) if (mask & dim.valid) >> c & 1] or [
            c for c in range(dim.size) if mask >> c & 1
        ]
        if dim.kind != "numeric":
            out[dim.name] = dim.representative(cells[0])
            continue
        intervals = [
            c for c in cells if c % 2 == 0 and not (dim.allows_unknown and c == dim.unknown_cell)
        ]
        if not intervals:
            out[dim.name] = dim.representative(cells[0])
            continue
        cell = intervals[(len(intervals) - 1) // 2]
        out[dim.name] = _middle_value(dim, cell)
    return out


def _middle_value(dim: Dimension, cell: int) -> object:
    """A round value near the middle of an interval cell (its representative where the
    interval is unbounded on a side)."""
    low, high, _ = dim.cell_bounds(cell)
    if not (math.isfinite(low) and math.isfinite(high)):
        return dim.representative(cell)
    middle = (low + high) / 2
    if dim.integer:
        candidates: list[float | int] = [math.floor(middle), math.ceil(middle)]
        inside = [int(c) for c in candidates if low < c < high]
        return inside[0] if inside else dim.representative(cell)
    for candidate in (float(round(middle)), round(middle, 1), round(middle, 2), middle):
        if low < candidate < high:
            return float(candidate)
    return dim.representative(cell)


def _num(value: float | int) -> str:
    """A number as the file would write it (``5``, not ``5.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)

"""Cells and the space they make: a :class:`Dimension` per input (and the pathway), the
:class:`Space` of all of them, and a representative value for each cell.

Design: a numeric input's cells are ``(-inf, t0)``, ``{t0}``, ``(t0, t1)``, ...,
``(tk, +inf)`` for its thresholds ``t0 < ... < tk``, then ``unknown``; a choice or boolean
has a cell per value. ``valid`` masks the cells holding at least one allowed value. A
representative is a value inside its cell, as round as there is.

Limits: a dimension knows its cells, not why they were cut (see
:mod:`gistpath.cells.cutting`).
"""

from __future__ import annotations

import bisect
import math
from typing import Literal

import attrs

from gistpath.language import UNKNOWN
from gistpath.regions import Box

DimensionKind = Literal["choice", "boolean", "numeric", "pathway"]


@attrs.frozen
class Dimension:
    """The cells of one input (or of the pathway)."""

    name: str
    kind: DimensionKind
    values: tuple[object, ...]  # choice/boolean/pathway: the value of each cell
    thresholds: tuple[int | float, ...]  # numeric: t0 < t1 < ... < tk
    integer: bool
    allows_unknown: bool
    valid: int  # mask of the cells that hold at least one allowed value

    @property
    def size(self) -> int:
        """The number of cells: two per threshold and one, plus ``unknown``; or one per value."""
        if self.kind == "numeric":
            return 2 * len(self.thresholds) + 1 + (1 if self.allows_unknown else 0)
        return len(self.values)

    @property
    def unknown_cell(self) -> int:
        """Index of the ``unknown`` cell (only meaningful when ``allows_unknown``)."""
        if self.kind == "numeric":
            return 2 * len(self.thresholds) + 1
        return self.values.index(UNKNOWN)

    def cell_of(self, value: object) -> int:
        """The cell holding a valid value."""
        if self.kind != "numeric":
            return self.values.index(value)
        if value == UNKNOWN and type(value) is str:
            return self.unknown_cell
        ts = self.thresholds
        number: float = value  # type: ignore[assignment]
        i = bisect.bisect_left(ts, number)
        if i < len(ts) and ts[i] == number:
            return 2 * i + 1
        return 2 * i

    def cell_bounds(self, cell: int) -> tuple[float | int, float | int, bool]:
        """Numeric cell ``cell`` as (low, high, is_point); open interval when not a point."""
        ts = self.thresholds
        if cell % 2 == 1:
            t = ts[cell // 2]
            return t, t, True
        i = cell // 2
        low = ts[i - 1] if i > 0 else -math.inf
        high = ts[i] if i < len(ts) else math.inf
        return low, high, False

    def representative(self, cell: int) -> object:
        """A plain value inside the cell, chosen to read well in an example state."""
        if self.kind != "numeric":
            return self.values[cell]
        if self.allows_unknown and cell == self.unknown_cell:
            return UNKNOWN
        low, high, point = self.cell_bounds(cell)
        if point:
            return int(low) if self.integer else _plain(low)
        if self.integer:
            if math.isfinite(low):
                return int(math.floor(low) + 1)
            return int(math.ceil(high) - 1) if math.isfinite(high) else 0
        return _real_inside(float(low), float(high))


def _plain(value: float | int) -> float | int:
    """A threshold as the float a non-integer input holds."""
    return float(value)


def _real_inside(low: float, high: float) -> float:
    """A float strictly between ``low`` and ``high``, as round a number as there is."""
    if not math.isfinite(low) and not math.isfinite(high):
        return 0.0
    if not math.isfinite(low):
        whole = float(math.floor(high) - 1)
        return whole if whole < high else math.nextafter(high, -math.inf)
    if not math.isfinite(high):
        whole = float(math.floor(low) + 1)
        return whole if whole > low else math.nextafter(low, math.inf)
    whole = float(math.floor(low) + 1)
    if low < whole < high:
        return whole
    for digits in range(1, 17):  # the shortest decimal strictly inside
        step = 10.0**-digits
        candidate = round(math.floor(low / step) * step + step, digits)
        if low < candidate < high:
            return candidate
    mid = low / 2 + high / 2
    return mid if low < mid < high else math.nextafter(low, high)


@attrs.frozen
class Space:
    """All dimensions: the inputs in declaration order, then the pathway."""

    dimensions: tuple[Dimension, ...]

    @property
    def universe(self) -> Box:
        """The box of every valid state (each dimension's valid cells)."""
        return tuple(d.valid for d in self.dimensions)

    @property
    def ordered(self) -> tuple[bool, ...]:
        """Which dimensions have cells on a line (numbers): they may be cut at a threshold."""
        return tuple(d.kind == "numeric" for d in self.dimensions)

    @property
    def pathway_index(self) -> int:
        """The index of the pathway dimension (the last one)."""
        return len(self.dimensions) - 1

    def index(self, name: str) -> int:
        """The index of the dimension of input ``name`` (``KeyError`` if there is none)."""
        for i, dim in enumerate(self.dimensions):
            if dim.name == name:
                return i
        raise KeyError(name)

    def restrict(self, dim: int, mask: int) -> Box:
        """The universe with dimension ``dim`` narrowed to the cells of ``mask``."""
        box = list(self.universe)
        box[dim] &= mask
        return tuple(box)

    def example(self, box: Box) -> dict[str, object]:
        """A concrete state inside ``box`` (inputs only)."""
        out: dict[str, object] = {}
        for dim, mask in zip(self.dimensions[:-1], box[:-1], strict=True):
            out[dim.name] = dim.representative(_preferred_cell(dim, mask))
        return out


def _preferred_cell(dim: Dimension, mask: int) -> int:
    """An interval cell rather than a point where both are allowed: examples read better."""
    cells = [c for c in range(dim.size) if mask >> c & 1]
    if dim.kind == "numeric":
        for cell in cells:
            if cell % 2 == 0 and not (dim.allows_unknown and cell == dim.unknown_cell):
                return cell
    return cells[0]

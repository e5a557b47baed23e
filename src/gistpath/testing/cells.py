"""Drawing states from boxes of cells: the engine of :func:`gistpath.testing.valid_states`.

Design: the states that satisfy every constraint are an exact union of boxes of cells
(:func:`valid_boxes`); a state is drawn as a box, then per input a cell inside it, then a
value inside that cell (:func:`states_in`), favouring the values beside a numeric cell's
ends. What is derived from a rule set is kept, while the rule set lives, in a weak
mapping (:func:`derived_of`), so the rule set itself holds no cache.

Limits: values are plain Python values; numbers are drawn as ``int`` and as ``float``
where the input accepts both.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from gistpath.language import UNKNOWN
from gistpath.regions import Box, complement

if TYPE_CHECKING:
    from gistpath.cells import Dimension
    from gistpath.ruleset import RuleSet

State = dict[str, object]
_BIG = 2**53  # beyond this, floats no longer hold every integer


class _Derived:
    """What the strategies derive from one rule set, each part built on first use (the rule
    set is immutable, so nothing here goes stale)."""

    __slots__ = ("broken_boxes", "pathway_boxes", "valid_states")

    def __init__(self) -> None:
        self.valid_states: dict[str | None, st.SearchStrategy[State]] = {}
        self.pathway_boxes: dict[str | None, list[Box]] | None = None
        self.broken_boxes: list[Box] | None = None


# Kept while the rule set lives: a weak mapping, so the rule set itself holds no cache.
_DERIVED: weakref.WeakKeyDictionary[RuleSet, _Derived] = weakref.WeakKeyDictionary()


def derived_of(ruleset: RuleSet) -> _Derived:
    """The derived parts of a rule set (two threads may make two: both build the same)."""
    found = _DERIVED.get(ruleset)
    if found is None:
        found = _DERIVED.setdefault(ruleset, _Derived())
    return found


def valid_boxes(ruleset: RuleSet) -> list[Box]:
    """Disjoint boxes (inputs only) holding exactly the states that satisfy every constraint."""
    space = ruleset.compiled.space
    broken = broken_boxes(ruleset)
    valid = complement(space.universe, broken, space.ordered) if broken else [space.universe]
    return [box[:-1] for box in valid if all(box)]


def broken_boxes(ruleset: RuleSet) -> list[Box]:
    """Boxes of field-valid states where some constraint is broken (with the pathway cell)."""
    derived = derived_of(ruleset)
    if derived.broken_boxes is not None:
        return derived.broken_boxes
    space = ruleset.compiled.space
    broken = [
        box
        for region in ruleset.compiled.constraints
        for box in complement(space.universe, region, space.ordered)
        if all(box)
    ]
    derived.broken_boxes = broken
    return broken


def _cells(mask: int) -> list[int]:
    """The cells of ``mask``, lowest first."""
    return [c for c in range(mask.bit_length()) if mask >> c & 1]


def states_in(ruleset: RuleSet, boxes: Sequence[Box]) -> st.SearchStrategy[State]:
    """States inside one of ``boxes`` (a box per input, extra trailing masks ignored)."""
    if not boxes:
        return st.nothing()
    dims = ruleset.compiled.space.dimensions[:-1]
    per_cell: dict[tuple[int, int], st.SearchStrategy[object]] = {}

    def cell_values(d: int, cell: int) -> st.SearchStrategy[object]:
        key = (d, cell)
        if key not in per_cell:
            per_cell[key] = _values_in_cell(dims[d], cell)
        return per_cell[key]

    per_box: dict[Box, st.SearchStrategy[State]] = {}

    def in_box(box: Box) -> st.SearchStrategy[State]:
        if box not in per_box:
            fields: dict[str, st.SearchStrategy[object]] = {}
            for d, dim in enumerate(dims):
                options = [cell_values(d, c) for c in _cells(box[d] & dim.valid)]
                fields[dim.name] = st.one_of(options)
            per_box[box] = st.fixed_dictionaries(fields).map(
                lambda drawn: {name: drawn[name] for name in fields}
            )
        return per_box[box]

    unique = list(dict.fromkeys(boxes))
    if len(unique) == 1:
        return in_box(unique[0])
    # Every box is drawn equally often, however few states it holds.
    return st.sampled_from(unique).flatmap(in_box)


def _values_in_cell(dim: Dimension, cell: int) -> st.SearchStrategy[object]:
    """Valid values of one input inside one cell, its edges favoured."""
    if dim.kind != "numeric":
        return st.just(dim.values[cell])
    if dim.allows_unknown and cell == dim.unknown_cell:
        return st.just(UNKNOWN)
    low, high, point = dim.cell_bounds(cell)
    if point:
        return st.sampled_from(number_forms(low, dim.integer))
    if dim.integer:
        lo = math.floor(low) + 1 if math.isfinite(low) else None
        hi = math.ceil(high) - 1 if math.isfinite(high) else None
        near = [
            v
            for v in (lo, hi, None if lo is None else lo + 1, None if hi is None else hi - 1)
            if v is not None and (lo is None or v >= lo) and (hi is None or v <= hi)
        ]
        if lo is None and hi is None:
            near = [0, 1, -1]
        anywhere = st.integers(min_value=lo, max_value=hi)
        return st.one_of(st.sampled_from(sorted(set(near))), anywhere)
    finite_low, finite_high = math.isfinite(low), math.isfinite(high)
    candidates: list[float | int] = []
    if finite_low:
        candidates += [math.nextafter(float(low), math.inf), low + 0.5, low + 1]
    if finite_high:
        candidates += [math.nextafter(float(high), -math.inf), high - 0.5, high - 1]
    if not finite_low and not finite_high:
        candidates += [0.0, 1.0, -1.0]
    candidates.append(dim.representative(cell))  # type: ignore[arg-type]
    edges: list[object] = []
    for value in candidates:
        if low < value < high:
            edges.append(float(value))
            if float(value).is_integer() and abs(value) <= _BIG:
                edges.append(int(value))
    anywhere_f = st.floats(
        min_value=float(low) if finite_low else None,
        max_value=float(high) if finite_high else None,
        exclude_min=finite_low,
        exclude_max=finite_high,
        allow_nan=False,
        allow_infinity=False,
    )
    return st.one_of(st.sampled_from(unique(edges)), anywhere_f)


def number_forms(value: float | int, integer: bool) -> list[object]:
    """A threshold as each type the input accepts: ``int`` (and ``float`` for numbers)."""
    if integer:
        return [int(value)]
    forms: list[object] = [float(value)]
    if float(value).is_integer() and abs(value) <= _BIG:
        forms.append(int(value))
    if value == 0:
        forms.append(-0.0)
    return unique(forms)


def unique(values: Iterable[object]) -> list[object]:
    """Drop repeats, keeping ``1`` apart from ``1.0`` and ``-0.0`` apart from ``0.0``."""
    return list({(type(v), repr(v)): v for v in values}.values())

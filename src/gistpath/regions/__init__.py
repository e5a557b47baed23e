"""Regions of the state space as unions of boxes, and the exact partition they rest on.

Design: the compiler cuts each input's domain into finitely many *cells* (the intervals
between thresholds, each threshold itself, each choice value, ``unknown``), so a set of
states that a condition can describe is a union of *boxes*: a box holds, per dimension, a
bit mask of the cells it allows (a Python ``int``). Intersection is bitwise AND per
dimension; a box is empty when one of its masks is zero.

:func:`partition` is the one exact algorithm everything else uses (complement,
verification, diff). It splits a box, one dimension at a time, into pieces on which every
candidate box is either all in or all out, grouping cells that the candidates treat the
same way. This is the region-by-region splitting of DMN gap and overlap analysis: its cost
follows the structure of the rules, not the product of all cells, which may be astronomic.

Limits: the number of pieces can still grow with many rules that cut across each other in
many dimensions; :mod:`gistpath.verify` reports how many it visited.

Reuse: while a :class:`PartitionMemo` is active (:func:`memoized`), the functions here
answer a problem asked before from it, unchanged; see :mod:`gistpath.regions.memo`.

The package: :mod:`~gistpath.regions.boxes` (boxes and the algebra that needs no
partition), :mod:`~gistpath.regions.splitting` (the partition, computed),
:mod:`~gistpath.regions.memo` (the reuse); this module is what the rest of gistpath calls.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gistpath.regions.boxes import (
    Box,
    Region,
    bits,
    contains,
    intersect,
    is_empty,
    merge,
    simplified,
)
from gistpath.regions.memo import MEMO_MIN_BOXES, PartitionMemo, active, memoized
from gistpath.regions.splitting import first_outside, split

__all__ = [
    "Box",
    "PartitionMemo",
    "Region",
    "bits",
    "complement",
    "contains",
    "find_point",
    "intersect",
    "intersect_regions",
    "is_empty",
    "memoized",
    "merge",
    "partition",
    "simplify",
]


def partition(
    root: Box,
    boxes: Sequence[Box],
    ordered: Sequence[bool] | None = None,
    *,
    absorbing: int | None = None,
) -> Iterator[tuple[Box, list[int]]]:
    """Split ``root`` into disjoint pieces, each inside or outside every box in ``boxes``.

    Yields ``(piece, indices)`` where ``indices`` lists the boxes that contain the piece;
    the pieces cover ``root`` exactly. ``ordered[d]`` says that the cells of dimension ``d``
    lie on a line (numbers): such a dimension may be cut at one threshold, which keeps a
    tree-shaped rule set from being shattered by thresholds that matter only deep down.
    Any other dimension is split into groups of cells that the boxes treat alike.

    Boxes numbered ``absorbing`` and up absorb: a region that lies wholly inside one of
    them is yielded as it is, not split further, with its candidates (which then only
    overlap it: the caller drops such a region anyway; the verifier uses this for the
    states the constraints rule out).

    While a :class:`PartitionMemo` is active (:func:`memoized`), the pieces of a problem
    asked before are handed back from it, unchanged.
    """
    memo = active()
    if memo is not None and len(boxes) >= MEMO_MIN_BOXES:
        return memo.partition(root, boxes, ordered, absorbing)
    return split(root, boxes, ordered, absorbing)


def complement(
    universe: Box, region: Sequence[Box], ordered: Sequence[bool] | None = None
) -> Region:
    """The part of ``universe`` outside every box of ``region``, as disjoint boxes."""
    if not region:
        return [universe]
    memo = active()
    if memo is not None:
        line = tuple(ordered) if ordered is not None else None
        key = ("complement", universe, tuple(region), line)
        return memo.region(key, lambda: _complement(universe, region, ordered))
    return _complement(universe, region, ordered)


def _complement(universe: Box, region: Sequence[Box], ordered: Sequence[bool] | None) -> Region:
    """:func:`complement`, computed (its partition may still come from a memo)."""
    return merge([piece for piece, inside in partition(universe, region, ordered) if not inside])


def intersect_regions(a: Sequence[Box], b: Sequence[Box]) -> Region:
    """The points in both regions, as a simplified region.

    Args:
        a: a union of boxes.
        b: another union of boxes over the same dimensions.

    Returns:
        The pairwise intersections, with boxes inside others dropped and neighbours
        merged (:func:`simplify`).
    """
    out = []
    for x in a:
        for y in b:
            box = intersect(x, y)
            if box is not None:
                out.append(box)
    return simplify(out)


def simplify(region: Sequence[Box]) -> Region:
    """Drop boxes contained in another and merge boxes that differ in one dimension."""
    memo = active()
    if memo is not None and len(region) > 1:
        return memo.region(("simplify", tuple(region)), lambda: simplified(region))
    return simplified(region)


def find_point(
    box: Box, excluded: Sequence[Box], ordered: Sequence[bool] | None = None
) -> Box | None:
    """A piece of ``box`` outside every ``excluded`` box, or ``None`` if there is none."""
    memo = active()
    if memo is not None and len(excluded) >= MEMO_MIN_BOXES:
        return memo.find_point(box, excluded, ordered)
    return first_outside(box, excluded, ordered)

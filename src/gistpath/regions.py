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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeAlias

Box: TypeAlias = tuple[int, ...]
Region: TypeAlias = list[Box]


def is_empty(box: Box) -> bool:
    return not all(box)


def intersect(a: Box, b: Box) -> Box | None:
    out = tuple(x & y for x, y in zip(a, b, strict=True))
    return None if 0 in out else out


def contains(outer: Box, inner: Box) -> bool:
    return all((o & i) == i for o, i in zip(outer, inner, strict=True))


def partition(root: Box, boxes: Sequence[Box]) -> Iterator[tuple[Box, list[int]]]:
    """Split ``root`` into disjoint pieces, each inside or outside every box in ``boxes``.

    Yields ``(piece, indices)`` where ``indices`` lists the boxes that contain the piece;
    the pieces cover ``root`` exactly.
    """
    ndim = len(root)
    first = [i for i, box in enumerate(boxes) if intersect(root, box) is not None]
    stack: list[tuple[Box, list[int]]] = [(root, first)]
    while stack:
        region, cands = stack.pop()
        best_dim = -1
        best_count = 0
        for d in range(ndim):
            r = region[d]
            count = 0
            for c in cands:
                if (boxes[c][d] & r) != r:
                    count += 1
            if count > best_count:
                best_dim, best_count = d, count
        if best_dim < 0:
            yield region, cands
            continue
        d = best_dim
        # Refine the cells of dimension d by each candidate's mask: cells in one group are
        # accepted by exactly the same candidates.
        groups: list[tuple[int, list[int]]] = [(region[d], [])]
        for c in cands:
            mask = boxes[c][d]
            refined: list[tuple[int, list[int]]] = []
            for cells, members in groups:
                inside = cells & mask
                if inside == 0:
                    refined.append((cells, members))
                elif inside == cells:
                    refined.append((cells, [*members, c]))
                else:
                    refined.append((inside, [*members, c]))
                    refined.append((cells & ~mask, members))
            groups = refined
        for cells, members in groups:
            stack.append(((*region[:d], cells, *region[d + 1 :]), members))


def complement(universe: Box, region: Sequence[Box]) -> Region:
    """The part of ``universe`` outside every box of ``region``, as disjoint boxes."""
    if not region:
        return [universe]
    return merge([piece for piece, inside in partition(universe, region) if not inside])


def intersect_regions(a: Sequence[Box], b: Sequence[Box]) -> Region:
    out = []
    for x in a:
        for y in b:
            box = intersect(x, y)
            if box is not None:
                out.append(box)
    return simplify(out)


def simplify(region: Sequence[Box]) -> Region:
    """Drop boxes contained in another and merge boxes that differ in one dimension."""
    boxes = list(dict.fromkeys(region))
    if len(boxes) > 1:
        kept: list[Box] = []
        # Larger boxes first, so contained ones meet their container.
        for box in sorted(boxes, key=_size_key, reverse=True):
            if not any(contains(other, box) for other in kept):
                kept.append(box)
        boxes = kept
    return merge(boxes)


def merge(region: Sequence[Box]) -> Region:
    """Union boxes that are equal in all dimensions but one, until none are."""
    boxes = list(region)
    changed = True
    while changed and len(boxes) > 1:
        changed = False
        ndim = len(boxes[0])
        for d in range(ndim):
            buckets: dict[tuple[int, ...], int] = {}
            for box in boxes:
                key = (*box[:d], *box[d + 1 :])
                buckets[key] = buckets.get(key, 0) | box[d]
            if len(buckets) < len(boxes):
                changed = True
                boxes = [(*key[:d], mask, *key[d:]) for key, mask in buckets.items()]
    return boxes


def _size_key(box: Box) -> tuple[int, ...]:
    return tuple(m.bit_count() for m in box)


def find_point(box: Box, excluded: Sequence[Box]) -> Box | None:
    """A piece of ``box`` outside every ``excluded`` box, or ``None`` if there is none."""
    for piece, inside in partition(box, excluded):
        if not inside:
            return piece
    return None


def bits(mask: int) -> Iterator[int]:
    """Indices of the set bits of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low

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

import bisect
from collections.abc import Iterator, Sequence
from typing import TypeAlias

Box: TypeAlias = tuple[int, ...]

# An ordered dimension is split into groups of alike cells only when there are at most
# this many groups; past it a single threshold cut copies fewer candidates.
GROUP_LIMIT = 8
Region: TypeAlias = list[Box]


def is_empty(box: Box) -> bool:
    """Whether a box holds no point (some dimension allows no cell)."""
    return not all(box)


def intersect(a: Box, b: Box) -> Box | None:
    """The box of the points in both ``a`` and ``b``, or ``None`` when they do not meet."""
    out = tuple(x & y for x, y in zip(a, b, strict=True))
    return None if 0 in out else out


def contains(outer: Box, inner: Box) -> bool:
    """Whether every cell ``inner`` allows in each dimension ``outer`` allows too."""
    return all((o & i) == i for o, i in zip(outer, inner, strict=True))


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
    """
    ndim = len(root)
    line = tuple(ordered) if ordered is not None else (False,) * ndim
    first = [i for i, box in enumerate(boxes) if intersect(root, box) is not None]
    # A box can only cut a region of root in the dimensions where it does not hold all of
    # root (most rules name a few inputs of many): only those are looked at below.
    active = {
        c: [d for d, (b, r) in enumerate(zip(boxes[c], root, strict=True)) if b & r != r]
        for c in first
    }
    stack: list[tuple[Box, list[int]]] = [(root, first)]
    while stack:
        region, cands = stack.pop()
        cuts: dict[int, list[int]] = {}  # dimension -> the candidates it cuts, in order
        for c in cands:
            box = boxes[c]
            for d in active[c]:
                r = region[d]
                if box[d] & r != r:
                    cuts.setdefault(d, []).append(c)
        partial = sorted(cuts.items())  # dimensions that cut some candidate, in order
        if not partial:
            yield region, cands
            continue
        cut_by = {c for _, cut in partial for c in cut}
        if absorbing is not None and any(c >= absorbing and c not in cut_by for c in cands):
            yield region, cands
            continue
        if len(cut_by) == 1:
            # One box cuts the region: its inside, and the rest in at most ndim slabs.
            (only,) = cut_by
            full = [c for c in cands if c != only]
            box = boxes[only]
            inside = list(region)
            for d, _ in partial:
                outside = inside[d] & ~box[d]
                yield (*inside[:d], outside, *inside[d + 1 :]), full
                inside[d] &= box[d]
            yield tuple(inside), cands
            continue
        best: tuple[float, int] | None = None
        best_groups: list[tuple[int, list[int]]] = []
        best_dim = -1
        for d, cut in partial:
            r = region[d]
            options = []
            if line[d]:
                options.append(_threshold_split(r, [boxes[c][d] & r for c in cands], cands))
            grouped = _group_split(
                r, [boxes[c][d] for c in cands], cands, GROUP_LIMIT if line[d] else None
            )
            if grouped is not None:
                options.append(grouped)
            for groups in options:
                # Prefer a split that copies few candidates into more than one piece, on a
                # dimension that cuts many of them. Measured against other scores on the
                # GIST rules, 2,000-rule trees and long decision lists (benchmarks/).
                copies = sum(len(m) for _, m in groups) / len(cands)
                score = (copies / len(cut), max(len(m) for _, m in groups))
                if best is None or score < best:
                    best, best_groups, best_dim = score, groups, d
        for cells, members in best_groups:
            stack.append(((*region[:best_dim], cells, *region[best_dim + 1 :]), members))


def _group_split(
    cells: int, masks: Sequence[int], cands: Sequence[int], limit: int | None = None
) -> list[tuple[int, list[int]]] | None:
    """Cells grouped by which candidates accept them (``None`` past ``limit`` groups)."""
    groups: list[tuple[int, list[int]]] = [(cells, [])]
    for mask, c in zip(masks, cands, strict=True):
        if limit is not None and len(groups) > limit:
            return None
        refined: list[tuple[int, list[int]]] = []
        for group, members in groups:
            inside = group & mask
            if inside == 0:
                refined.append((group, members))
            elif inside == group:
                refined.append((group, [*members, c]))
            else:
                refined.append((inside, [*members, c]))
                refined.append((group & ~mask, members))
        groups = refined
    return groups


def _threshold_split(
    cells: int, masks: Sequence[int], cands: Sequence[int]
) -> list[tuple[int, list[int]]]:
    """The one cut of an ordered dimension that leaves the fewest candidates per side."""
    positions = [b for b in bits(cells)][1:]  # cut below each set cell but the first
    lows = sorted((m & -m).bit_length() - 1 for m in masks if m)
    highs = sorted(m.bit_length() - 1 for m in masks if m)
    best_pos = positions[0]
    best_score: tuple[int, int] | None = None
    for p in positions:
        left = bisect.bisect_left(lows, p)  # candidates reaching below p
        right = len(highs) - bisect.bisect_left(highs, p)  # candidates reaching p or above
        score = (max(left, right), left + right)
        if best_score is None or score < best_score:
            best_pos, best_score = p, score
    below = cells & ((1 << best_pos) - 1)
    above = cells & ~((1 << best_pos) - 1)
    return [
        (below, [c for c, m in zip(cands, masks, strict=True) if m & below]),
        (above, [c for c, m in zip(cands, masks, strict=True) if m & above]),
    ]


def complement(
    universe: Box, region: Sequence[Box], ordered: Sequence[bool] | None = None
) -> Region:
    """The part of ``universe`` outside every box of ``region``, as disjoint boxes."""
    if not region:
        return [universe]
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


def find_point(
    box: Box, excluded: Sequence[Box], ordered: Sequence[bool] | None = None
) -> Box | None:
    """A piece of ``box`` outside every ``excluded`` box, or ``None`` if there is none."""
    for piece, inside in partition(box, excluded, ordered):
        if not inside:
            return piece
    return None


def bits(mask: int) -> Iterator[int]:
    """Indices of the set bits of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low

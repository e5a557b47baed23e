"""The exact partition of a box by other boxes: the one algorithm everything else uses.

Design: :func:`split` cuts a box, one dimension at a time, into pieces on which every
candidate box is either all in or all out, grouping cells that the candidates treat the
same way; an ordered (numeric) dimension may instead be cut at one threshold, where some
candidate starts or stops. This is the region-by-region splitting of DMN gap and overlap
analysis: its cost follows the structure of the rules, not the product of all cells.

Limits: the number of pieces can still grow with many rules that cut across each other in
many dimensions. Callers use :func:`gistpath.regions.partition`, which answers from a
:class:`~gistpath.regions.memo.PartitionMemo` when one is active; this module computes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

from gistpath.regions.boxes import Box, bits, intersect

# An ordered dimension is split into groups of alike cells only when there are at most
# this many groups; past it a single threshold cut copies fewer candidates.
GROUP_LIMIT = 8


def split(
    root: Box, boxes: Sequence[Box], ordered: Sequence[bool] | None, absorbing: int | None
) -> Iterator[tuple[Box, list[int]]]:
    """The pieces of ``root`` (see :func:`gistpath.regions.partition`), computed.

    Yields ``(piece, indices of the boxes holding it)``; the pieces are disjoint and cover
    ``root``. ``ordered[d]`` marks a numeric dimension; boxes from ``absorbing`` on stop the
    splitting of a piece they hold whole.
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
    """The one cut of an ordered dimension that leaves the fewest candidates per side.

    A cut goes only where some candidate starts or stops accepting cells (an edge): one
    between two cells that every candidate treats alike would add pieces and tell nothing
    apart. So the pieces do not depend on how finely the dimension is cut into cells where
    no candidate looks (which
    :class:`~gistpath.regions.memo.PartitionMemo` relies on).
    """
    positions = bits(edges(cells, masks))
    lows = sorted((m & -m).bit_length() - 1 for m in masks if m)
    highs = sorted(m.bit_length() - 1 for m in masks if m)
    best_pos = -1
    best_score: tuple[int, int] | None = None
    for p in positions:
        left = bisect.bisect_left(lows, p)  # candidates reaching below p
        right = len(highs) - bisect.bisect_left(highs, p)  # candidates reaching p or above
        score = (max(left, right), left + right)
        if best_score is None or score < best_score:
            best_pos, best_score = p, score
    if best_pos < 0:  # no edge: no candidate cuts these cells (the caller never asks)
        best_pos = list(bits(cells))[1]
    below = cells & ((1 << best_pos) - 1)
    above = cells & ~((1 << best_pos) - 1)
    return [
        (below, [c for c, m in zip(cands, masks, strict=True) if m & below]),
        (above, [c for c, m in zip(cands, masks, strict=True) if m & above]),
    ]


def edges(cells: int, masks: Sequence[int]) -> int:
    """The cells (of ``cells``, the first excepted) where some mask's membership differs
    from the cell of ``cells`` just below; every mask is a subset of ``cells``."""
    changed = 0
    for m in masks:
        changed |= m ^ (m << 1)
    first = cells & -cells
    edges = changed & cells & ~first
    # where the cell just below is not one of ``cells``, compare with the one that is
    gaps = cells & ~(cells << 1) & ~first
    if gaps:
        edges &= ~gaps
        for p in bits(gaps):
            q = (cells & ((1 << p) - 1)).bit_length() - 1
            if any((m >> p ^ m >> q) & 1 for m in masks):
                edges |= 1 << p
    return edges


def first_outside(box: Box, excluded: Sequence[Box], ordered: Sequence[bool] | None) -> Box | None:
    """The first piece of ``box`` outside every ``excluded`` box, or ``None``; computed."""
    for piece, inside in split(box, excluded, ordered, None):
        if not inside:
            return piece
    return None

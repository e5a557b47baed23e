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

Reuse (:class:`PartitionMemo`, :func:`memoized`): a caller that proves one text after
another (the language server, after every edit) may let :func:`partition` and
:func:`find_point` remember their answers while a memo is active in the thread (and
:func:`complement` and :func:`simplify` theirs, for the same boxes only). A
partition depends only on the dimensions some box cuts: the others keep the root's cells
in every piece. So an answer is stored for the problem *projected* on those dimensions and
handed back with the root's cells filled in elsewhere: the same pieces, in the same order,
that computing would give (``tests/test_regions.py`` checks it against computing), also
after an edit changed the cells of a dimension the problem does not cut. Nothing is
approximated: a memo only ever answers the exact problem it was asked before.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
from collections.abc import Callable, Iterator, Sequence
from operator import and_
from typing import TypeAlias, cast

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
    if len(a) != len(b):
        raise ValueError(f"boxes of {len(a)} and {len(b)} dimensions do not meet")
    out = tuple(map(and_, a, b))
    return None if 0 in out else out


def contains(outer: Box, inner: Box) -> bool:
    """Whether every cell ``inner`` allows in each dimension ``outer`` allows too."""
    if len(outer) != len(inner):
        raise ValueError(f"boxes of {len(outer)} and {len(inner)} dimensions do not compare")
    return tuple(map(and_, outer, inner)) == inner


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
    memo = _ACTIVE.get()
    if memo is not None and len(boxes) >= MEMO_MIN_BOXES:
        return memo.partition(root, boxes, ordered, absorbing)
    return _partition(root, boxes, ordered, absorbing)


def _partition(
    root: Box, boxes: Sequence[Box], ordered: Sequence[bool] | None, absorbing: int | None
) -> Iterator[tuple[Box, list[int]]]:
    """:func:`partition`, computed."""
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
    no candidate looks (which :class:`PartitionMemo` relies on).
    """
    positions = bits(_edges(cells, masks))
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


def _edges(cells: int, masks: Sequence[int]) -> int:
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


def complement(
    universe: Box, region: Sequence[Box], ordered: Sequence[bool] | None = None
) -> Region:
    """The part of ``universe`` outside every box of ``region``, as disjoint boxes."""
    if not region:
        return [universe]
    memo = _ACTIVE.get()
    if memo is not None:
        line = tuple(ordered) if ordered is not None else None
        key = ("complement", universe, tuple(region), line)
        return memo.region(key, lambda: _complement(universe, region, ordered))
    return _complement(universe, region, ordered)


def _complement(universe: Box, region: Sequence[Box], ordered: Sequence[bool] | None) -> Region:
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
    memo = _ACTIVE.get()
    if memo is not None and len(region) > 1:
        return memo.region(("simplify", tuple(region)), lambda: _simplify(region))
    return _simplify(region)


def _simplify(region: Sequence[Box]) -> Region:
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
    """Union boxes that are equal in all dimensions but one, until none are.

    Dimension by dimension, in order, boxes equal elsewhere become one (the first one's
    place, the union of their cells), over and over until a whole round changes nothing.
    """
    boxes = list(region)
    changed = True
    while changed and len(boxes) > 1:
        changed = False
        first = boxes[0]
        # In a dimension where every box has the same cells, merging only drops repeated
        # boxes: left to the next dimension merged (or to the end of the round), which
        # drops them the same, keeping each box's first place. Most dimensions of a
        # region's boxes are such (a condition names a few inputs of many).
        varying = [d for d in range(len(first)) if any(box[d] != first[d] for box in boxes)]
        for d in varying:
            buckets: dict[tuple[int, ...], int] = {}
            for box in boxes:
                key = (*box[:d], *box[d + 1 :])
                buckets[key] = buckets.get(key, 0) | box[d]
            if len(buckets) < len(boxes):
                changed = True
                boxes = [(*key[:d], mask, *key[d:]) for key, mask in buckets.items()]
        if len(varying) < len(first):
            unique = list(dict.fromkeys(boxes))
            if len(unique) < len(boxes):
                changed = True
                boxes = unique
    return boxes


def _size_key(box: Box) -> tuple[int, ...]:
    return tuple(map(int.bit_count, box))


def find_point(
    box: Box, excluded: Sequence[Box], ordered: Sequence[bool] | None = None
) -> Box | None:
    """A piece of ``box`` outside every ``excluded`` box, or ``None`` if there is none."""
    memo = _ACTIVE.get()
    if memo is not None and len(excluded) >= MEMO_MIN_BOXES:
        return memo.find_point(box, excluded, ordered)
    return _find_point(box, excluded, ordered)


def _find_point(box: Box, excluded: Sequence[Box], ordered: Sequence[bool] | None) -> Box | None:
    for piece, inside in _partition(box, excluded, ordered, None):
        if not inside:
            return piece
    return None


def bits(mask: int) -> Iterator[int]:
    """Indices of the set bits of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


# --------------------------------------------------------------------------- reuse

#: Problems with fewer boxes than this are computed every time: looking them up would
#: cost about as much.
MEMO_MIN_BOXES = 4

_Key: TypeAlias = tuple[object, ...]
_Pieces: TypeAlias = tuple[tuple[Box, tuple[int, ...]], ...]


class PartitionMemo:
    """Answers of :func:`partition` and :func:`find_point` kept from one proof to the next.

    An answer is kept twice: for the problem as asked, and for its *shape*, the problem
    with every dimension no box cuts left out and, in the others, each run of neighbouring
    cells that every box treats alike taken as one cell. The pieces of a partition are
    made of whole runs, and the choices :func:`partition` makes depend only on which
    boxes hold which runs, so two problems of one shape have the same pieces, run for run
    (an edit that adds a threshold somewhere else, or changes the cells of an input the
    problem does not cut, leaves a problem's shape as it was).

    Kept in two generations: :meth:`next_round` (called before each proof) drops every
    answer the previous round did not use, so the memo holds what two consecutive proofs
    need and no more. Not thread-safe: one thread uses a memo at a time.
    """

    def __init__(self) -> None:
        self._current: dict[_Key, object] = {}
        self._previous: dict[_Key, object] = {}
        self.hits = 0
        self.misses = 0

    def next_round(self) -> None:
        """Start a new proof: forget what the last-but-one proof used and this one did not."""
        self._previous = self._current
        self._current = {}

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)

    def region(self, key: _Key, compute: Callable[[], Region]) -> Region:
        """A region the memo was asked for before under ``key`` (a new list), or computed."""
        found = cast("tuple[Box, ...] | None", self._get(key))
        if found is None:
            found = tuple(compute())
            self._current[key] = found
        return list(found)

    def _get(self, key: _Key) -> object | None:
        found = self._current.get(key)
        if found is None:
            found = self._previous.pop(key, None)
            if found is not None:
                self._current[key] = found
        return found

    def partition(
        self,
        root: Box,
        boxes: Sequence[Box],
        ordered: Sequence[bool] | None,
        absorbing: int | None,
    ) -> Iterator[tuple[Box, list[int]]]:
        """:func:`partition`'s pieces, from the memo where the problem was asked before."""
        line = tuple(ordered) if ordered is not None else (False,) * len(root)
        if 0 in root:  # an empty root: nothing worth keeping
            return _partition(root, boxes, line, absorbing)
        exact = ("partition", root, tuple(boxes), line, absorbing)
        found = cast("_Pieces | None", self._get(exact))
        if found is None:
            shape = _Shape(root, boxes, line)
            key = ("partition~", shape.key, absorbing)
            pieces = cast("_Pieces | None", self._get(key))
            if pieces is None:
                self.misses += 1
                pieces = tuple(
                    (piece, tuple(inside))
                    for piece, inside in _partition(
                        shape.root, shape.boxes, shape.ordered, absorbing
                    )
                )
                self._current[key] = pieces
            else:
                self.hits += 1
            found = tuple((shape.expand(piece), inside) for piece, inside in pieces)
            self._current[exact] = found
        else:
            self.hits += 1
        return ((piece, list(inside)) for piece, inside in found)

    def find_point(
        self, box: Box, excluded: Sequence[Box], ordered: Sequence[bool] | None
    ) -> Box | None:
        """:func:`find_point`'s answer, from the memo where the problem was asked before."""
        line = tuple(ordered) if ordered is not None else (False,) * len(box)
        if 0 in box:  # an empty box: nothing worth keeping
            return _find_point(box, excluded, line)
        exact = ("point", box, tuple(excluded), line)
        found = cast("tuple[Box | None] | None", self._get(exact))
        if found is None:
            shape = _Shape(box, excluded, line)
            key = ("point~", shape.key)
            small = cast("tuple[Box | None] | None", self._get(key))
            if small is None:
                self.misses += 1
                small = (_find_point(shape.root, shape.boxes, shape.ordered),)
                self._current[key] = small
            else:
                self.hits += 1
            found = (None if small[0] is None else shape.expand(small[0]),)
            self._current[exact] = found
        else:
            self.hits += 1
        return found[0]


class _Shape:
    """A partition problem (``root`` has a cell in every dimension) in the cells that
    matter: the dimensions some box cuts, each run of alike cells one cell."""

    def __init__(self, root: Box, boxes: Sequence[Box], line: tuple[bool, ...]) -> None:
        """Shrink the problem of ``boxes`` within ``root`` (``line`` says which dimensions are
        ordered): keep the dimensions some box cuts, and make each run of cells every box
        treats alike one cell. Sets ``root``, ``boxes``, ``ordered`` and the memo ``key``.
        """
        self.template = list(root)
        keep: list[int] = []
        runs: list[list[int] | None] = []  # per kept dimension: each run's cells (None: as is)
        columns: list[list[int]] = []  # per kept dimension: each box's mask, shrunk
        by_dimension = list(zip(*boxes, strict=True)) if boxes else [()] * len(root)
        for d, (r, column) in enumerate(zip(root, by_dimension, strict=True)):
            seen = {m: m & r for m in set(column)}  # the few distinct masks, within root
            if all(m == r for m in seen.values()):
                continue  # no box cuts this dimension: every piece has all of root's cells
            starts = (r & -r) | _edges(r, list(seen.values()))
            where = list(bits(starts))
            if starts == r and r & (r + 1) == 0:
                # every cell a run of its own, from cell 0 on: the masks as they are
                cells: list[int] | None = None
                small_of = seen
            else:
                cells = []
                for number, first in enumerate(where):
                    end = where[number + 1] if number + 1 < len(where) else r.bit_length()
                    cells.append(r & ((1 << end) - 1) & ~((1 << first) - 1))
                small_of = {}
                for m, inside in seen.items():
                    small = 0
                    for number, first in enumerate(where):
                        if inside >> first & 1:
                            small |= 1 << number
                    small_of[m] = small
            keep.append(d)
            runs.append(cells)
            columns.append([small_of[m] for m in column])
        self.keep = tuple(keep)
        self.runs = runs
        self.root: Box = tuple(
            (1 << len(cells)) - 1 if cells is not None else root[d]
            for d, cells in zip(keep, runs, strict=True)
        )
        self.boxes: list[Box] = list(zip(*columns, strict=True)) if columns else [() for _ in boxes]
        self.ordered = tuple(line[d] for d in keep)
        self.key = (self.root, tuple(self.boxes), self.ordered)
        # nothing left out and nothing joined: a piece is a box of the problem asked
        self.plain = len(keep) == len(root) and all(cells is None for cells in runs)
        self._expanded: list[dict[int, int]] = [{} for _ in keep]

    def expand(self, piece: Box) -> Box:
        """A piece of the shrunk problem as a box of the problem asked."""
        if self.plain:
            return piece
        out = self.template[:]
        for j, (d, small) in enumerate(zip(self.keep, piece, strict=True)):
            cells = self.runs[j]
            if cells is None:
                out[d] = small
                continue
            known = self._expanded[j]
            mask = known.get(small)
            if mask is None:
                mask = 0
                for number in bits(small):
                    mask |= cells[number]
                known[small] = mask
            out[d] = mask
        return tuple(out)


_ACTIVE: contextvars.ContextVar[PartitionMemo | None] = contextvars.ContextVar(
    "gistpath_partition_memo", default=None
)


@contextlib.contextmanager
def memoized(memo: PartitionMemo) -> Iterator[PartitionMemo]:
    """Let :func:`partition` and :func:`find_point` use ``memo`` in this thread (context)."""
    token = _ACTIVE.set(memo)
    try:
        yield memo
    finally:
        _ACTIVE.reset(token)

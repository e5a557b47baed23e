"""Partitions remembered from one proof to the next (the language server's reuse).

Design: a caller that proves one text after another (the language server, after every
edit) may let :func:`gistpath.regions.partition` and :func:`gistpath.regions.find_point`
remember their answers while a memo is active in the thread or context (:func:`memoized`),
and :func:`gistpath.regions.complement` and :func:`gistpath.regions.simplify` theirs, for
the same boxes only. A partition depends only on the dimensions some box cuts: the others
keep the root's cells in every piece. So an answer is stored for the problem *projected*
on those dimensions (its shape, :class:`_Shape`) and handed back with the root's cells
filled in elsewhere: the same pieces, in the same order, that computing would give
(``tests/test_regions_memo.py`` checks it against computing), also after an edit changed
the cells of a dimension the problem does not cut.

Limits: nothing is approximated: a memo only ever answers the exact problem it was asked
before. A memo is not thread-safe; each thread (or context) activates its own.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Sequence
from typing import TypeAlias, cast

from gistpath.regions.boxes import Box, Region, bits
from gistpath.regions.splitting import edges, first_outside, split

#: Problems with fewer boxes than this are computed every time: looking them up would
#: cost about as much.
MEMO_MIN_BOXES = 4

_Key: TypeAlias = tuple[object, ...]
_Pieces: TypeAlias = tuple[tuple[Box, tuple[int, ...]], ...]


class PartitionMemo:
    """Answers of ``regions.partition`` and ``regions.find_point`` kept from one proof to the
    next.

    An answer is kept twice: for the problem as asked, and for its *shape*, the problem with
    every dimension no box cuts left out and, in the others, each run of neighbouring cells
    that every box treats alike taken as one cell. The pieces of a partition are made of
    whole runs, and the choices a partition makes depend only on which boxes hold which
    runs, so two problems of one shape have the same pieces, run for run (an edit that adds
    a threshold somewhere else, or changes the cells of an input the problem does not cut,
    leaves a problem's shape as it was).

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
        """``regions.partition``'s pieces, from the memo where the problem was asked before."""
        line = tuple(ordered) if ordered is not None else (False,) * len(root)
        if 0 in root:  # an empty root: nothing worth keeping
            return split(root, boxes, line, absorbing)
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
                    for piece, inside in split(shape.root, shape.boxes, shape.ordered, absorbing)
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
        """``regions.find_point``'s answer, from the memo where the problem was asked before."""
        line = tuple(ordered) if ordered is not None else (False,) * len(box)
        if 0 in box:  # an empty box: nothing worth keeping
            return first_outside(box, excluded, line)
        exact = ("point", box, tuple(excluded), line)
        found = cast("tuple[Box | None] | None", self._get(exact))
        if found is None:
            shape = _Shape(box, excluded, line)
            key = ("point~", shape.key)
            small = cast("tuple[Box | None] | None", self._get(key))
            if small is None:
                self.misses += 1
                small = (first_outside(shape.root, shape.boxes, shape.ordered),)
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
            starts = (r & -r) | edges(r, list(seen.values()))
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
    """Let the functions of :mod:`gistpath.regions` use ``memo`` in this thread (context)."""
    token = _ACTIVE.set(memo)
    try:
        yield memo
    finally:
        _ACTIVE.reset(token)


def active() -> PartitionMemo | None:
    """The memo active in this thread (context), if any."""
    return _ACTIVE.get()

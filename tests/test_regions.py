"""Regions (unions of boxes over cells) and the exact partition, against brute force.

:mod:`gistpath.regions` knows nothing of rule files: a box is a tuple of bit masks, one
per dimension, each bit a cell. Small random spaces (up to three dimensions of up to five
cells) have few points, so every claim is checked point by point: the set of points a
box or region holds is enumerated, and :func:`partition`, :func:`complement`,
:func:`intersect_regions`, :func:`simplify`, :func:`merge` and :func:`find_point` must
give exactly the sets that set arithmetic gives.

The memo that answers these functions during the language server's proofs is tested in
``test_regions_memo.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gistpath.regions import (
    Box,
    bits,
    complement,
    contains,
    find_point,
    intersect,
    intersect_regions,
    is_empty,
    merge,
    partition,
    simplify,
)

from strategies import box_problems

Point = tuple[int, ...]


def points(box: Box) -> set[Point]:
    """Every point (one cell per dimension) of a box."""
    return set(itertools.product(*(list(bits(mask)) for mask in box)))


def region_points(region: Iterable[Box]) -> set[Point]:
    """Every point of a union of boxes."""
    found: set[Point] = set()
    for box in region:
        found |= points(box)
    return found


def pairwise_disjoint(boxes: Sequence[Box]) -> bool:
    return all(intersect(a, b) is None for a, b in itertools.combinations(boxes, 2))


@given(box_problems())
def test_partition_covers_the_root_exactly_with_pieces_each_all_in_or_all_out(
    space: tuple[Box, list[Box], list[bool]],
) -> None:
    root, boxes, ordered = space
    pieces = list(partition(root, boxes, ordered))
    assert all(not is_empty(piece) for piece, _ in pieces)
    assert pairwise_disjoint([piece for piece, _ in pieces])
    covered = [points(piece) for piece, _ in pieces]
    assert set().union(*covered) == points(root)
    for (_, inside), cells in zip(pieces, covered, strict=True):
        for index, box in enumerate(boxes):
            in_box = cells & points(box)
            if index in inside:
                assert in_box == cells
            else:
                assert not in_box


@given(box_problems(), st.integers(0, 6))
def test_an_absorbing_box_holds_a_piece_it_stops_splitting(
    space: tuple[Box, list[Box], list[bool]], absorbing: int
) -> None:
    root, boxes, ordered = space
    pieces = list(partition(root, boxes, ordered, absorbing=absorbing))
    assert pairwise_disjoint([piece for piece, _ in pieces])
    assert region_points(piece for piece, _ in pieces) == points(root)
    for piece, inside in pieces:
        cells = points(piece)
        alike = all(
            (cells <= points(box)) if i in inside else not (cells & points(box))
            for i, box in enumerate(boxes)
        )
        # either split as far as every box needs, or wholly inside an absorbing box
        assert alike or any(i >= absorbing and cells <= points(boxes[i]) for i in inside)


@given(box_problems())
def test_complement_is_the_root_minus_the_region_in_disjoint_boxes(
    space: tuple[Box, list[Box], list[bool]],
) -> None:
    root, boxes, ordered = space
    outside = complement(root, boxes, ordered)
    assert pairwise_disjoint(outside)
    assert region_points(outside) == points(root) - region_points(boxes)


@given(box_problems(), st.data())
def test_intersect_regions_holds_the_points_of_both(
    space: tuple[Box, list[Box], list[bool]], data: st.DataObject
) -> None:
    _, boxes, _ = space
    cut = data.draw(st.integers(0, len(boxes)))
    a, b = boxes[:cut], boxes[cut:]
    assert region_points(intersect_regions(a, b)) == region_points(a) & region_points(b)


@pytest.mark.slow
@given(box_problems())
def test_simplify_and_merge_keep_the_points_and_merge_until_no_two_boxes_can(
    space: tuple[Box, list[Box], list[bool]],
) -> None:
    _, boxes, _ = space
    for tidy in (simplify, merge):
        result = tidy(boxes)
        assert region_points(result) == region_points(boxes)
    merged = merge(boxes)
    for a, b in itertools.combinations(merged, 2):
        differing = [d for d, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        assert len(differing) != 1
    # simplify drops the boxes another holds, then merges: every box given lies whole
    # inside one box of the result (merging may grow a box around another one, so the
    # result itself can still hold a box inside another; simplify does not promise more).
    simple = simplify(boxes)
    assert all(any(contains(whole, box) for whole in simple) for box in boxes)


@given(box_problems())
def test_find_point_finds_a_piece_outside_the_excluded_boxes_exactly_when_there_is_one(
    space: tuple[Box, list[Box], list[bool]],
) -> None:
    root, boxes, ordered = space
    piece = find_point(root, boxes, ordered)
    rest = points(root) - region_points(boxes)
    if piece is None:
        assert rest == set()
    else:
        assert points(piece) <= rest


@given(
    st.tuples(st.integers(0, 31), st.integers(0, 7)),
    st.tuples(st.integers(0, 31), st.integers(0, 7)),
)
def test_intersect_contains_and_is_empty_agree_with_the_points(
    a: tuple[int, int], c: tuple[int, int]
) -> None:
    meet = intersect(a, c)
    common = points(a) & points(c)
    assert (meet is None) == (not common)
    if meet is not None:
        assert points(meet) == common
    assert is_empty(a) == (not points(a))
    if not is_empty(c):
        assert contains(a, c) == (points(c) <= points(a))


@given(st.integers(0, 2**70))
def test_bits_lists_the_set_bits_lowest_first(mask: int) -> None:
    assert list(bits(mask)) == [i for i in range(mask.bit_length()) if mask >> i & 1]


def _merge_reference(region: Sequence[Box]) -> list[Box]:
    """:func:`merge` as first written: every dimension of every round bucketed."""
    boxes = list(region)
    changed = True
    while changed and len(boxes) > 1:
        changed = False
        for d in range(len(boxes[0])):
            buckets: dict[tuple[int, ...], int] = {}
            for box in boxes:
                key = (*box[:d], *box[d + 1 :])
                buckets[key] = buckets.get(key, 0) | box[d]
            if len(buckets) < len(boxes):
                changed = True
                boxes = [(*key[:d], mask, *key[d:]) for key, mask in buckets.items()]
    return boxes


@given(box_problems(max_cells=7, max_dims=4, min_boxes=4, max_boxes=9), st.data())
def test_merge_gives_the_boxes_bucketing_every_dimension_gives(
    space: tuple[Box, list[Box], list[bool]], data: st.DataObject
) -> None:
    _, boxes, _ = space
    # repeated boxes and dimensions where every box has the same cells, as regions have
    repeated = boxes + data.draw(st.lists(st.sampled_from(boxes), max_size=4))
    shared = [(*box, 0b101) for box in data.draw(st.permutations(repeated))]
    for region in (boxes, repeated, shared, shared[:1] * 3):
        assert merge(region) == _merge_reference(region)

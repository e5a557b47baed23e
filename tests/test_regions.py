"""Regions (unions of boxes over cells) and the exact partition, against brute force.

:mod:`gistpath.regions` knows nothing of rule files: a box is a tuple of bit masks, one
per dimension, each bit a cell. Small random spaces (up to three dimensions of up to five
cells) have few points, so every claim is checked point by point: the set of points a
box or region holds is enumerated, and :func:`partition`, :func:`complement`,
:func:`intersect_regions`, :func:`simplify`, :func:`merge` and :func:`find_point` must
give exactly the sets that set arithmetic gives.

A :class:`PartitionMemo` must answer exactly what computing answers (partitions, points,
complements, simplified regions), piece for piece and in the same order: for the problem
asked again, for the same problem with more dimensions that no box cuts, and for the
problem with a cell split into several that no box tells apart (what an edit that adds a
threshold elsewhere does to a problem).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gistpath.regions import (
    Box,
    PartitionMemo,
    bits,
    complement,
    contains,
    find_point,
    intersect,
    intersect_regions,
    is_empty,
    memoized,
    merge,
    partition,
    simplify,
)

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


@st.composite
def spaces(draw: st.DrawFn) -> tuple[Box, list[Box], list[bool]]:
    """A root box (cells per dimension), some boxes inside the space, and ordered flags."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    full = [(1 << n) - 1 for n in sizes]
    masks = [st.integers(1, m) for m in full]
    root = tuple(draw(m) for m in masks)
    boxes = draw(st.lists(st.tuples(*masks), max_size=6))
    ordered = draw(st.lists(st.booleans(), min_size=len(sizes), max_size=len(sizes)))
    return root, boxes, ordered


@given(spaces())
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


@given(spaces(), st.integers(0, 6))
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


@given(spaces())
def test_complement_is_the_root_minus_the_region_in_disjoint_boxes(
    space: tuple[Box, list[Box], list[bool]],
) -> None:
    root, boxes, ordered = space
    outside = complement(root, boxes, ordered)
    assert pairwise_disjoint(outside)
    assert region_points(outside) == points(root) - region_points(boxes)


@given(spaces(), st.data())
def test_intersect_regions_holds_the_points_of_both(
    space: tuple[Box, list[Box], list[bool]], data: st.DataObject
) -> None:
    _, boxes, _ = space
    cut = data.draw(st.integers(0, len(boxes)))
    a, b = boxes[:cut], boxes[cut:]
    assert region_points(intersect_regions(a, b)) == region_points(a) & region_points(b)


@pytest.mark.slow
@given(spaces())
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


@given(spaces())
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


@st.composite
def larger_spaces(draw: st.DrawFn) -> tuple[Box, list[Box], list[bool]]:
    """As :func:`spaces`, with room for what the memo takes apart (at least four boxes)."""
    sizes = draw(st.lists(st.integers(1, 7), min_size=1, max_size=4))
    full = [(1 << n) - 1 for n in sizes]
    masks = [st.integers(1, m) for m in full]
    root = tuple(draw(m) for m in masks)
    boxes = draw(st.lists(st.tuples(*masks), min_size=4, max_size=9))
    ordered = draw(st.lists(st.booleans(), min_size=len(sizes), max_size=len(sizes)))
    return root, boxes, ordered


def _split_cell(mask: int, cell: int, into: int) -> int:
    """``mask`` after cell ``cell`` became ``into`` neighbouring cells (the others move up)."""
    low = mask & ((1 << cell) - 1)
    middle = ((1 << into) - 1) << cell if mask >> cell & 1 else 0
    return low | middle | (mask >> (cell + 1)) << (cell + into)


def _computed(
    root: Box, boxes: list[Box], ordered: list[bool], absorbing: int | None
) -> list[tuple[Box, list[int]]]:
    return list(partition(root, boxes, ordered, absorbing=absorbing))


@given(larger_spaces(), st.none() | st.integers(0, 9), st.data())
def test_a_memo_answers_what_computing_answers_also_for_refined_and_wider_problems(
    space: tuple[Box, list[Box], list[bool]], absorbing: int | None, data: st.DataObject
) -> None:
    root, boxes, ordered = space
    # the same problem with a cell split in two or three (in root and every box alike) and
    # with a dimension added that no box cuts
    d = data.draw(st.integers(0, len(root) - 1))
    cell = data.draw(st.integers(0, root[d].bit_length()))
    into = data.draw(st.integers(2, 3))

    def refine(box: Box) -> Box:
        return (*box[:d], _split_cell(box[d], cell, into), *box[d + 1 :], 0b11)

    wide_root, wide_boxes = refine(root), [refine(b) for b in boxes]
    wide_ordered = [*ordered, data.draw(st.booleans())]
    wide_root = (*wide_root[:-1], data.draw(st.integers(1, 3)))
    # asked with the absorbing boxes drawn and with none (the same boxes, other answers)
    cases = [(root, boxes, ordered), (wide_root, wide_boxes, wide_ordered)]
    expected = {
        (number, how): _computed(*case, how)
        for number, case in enumerate(cases)
        for how in (absorbing, None)
    }
    # the pieces are made of whole cells no box tells apart: the refined problem's pieces
    # are the first problem's, refined
    for how in (absorbing, None):
        assert expected[1, how] == [
            ((*refine(piece)[:-1], wide_root[-1]), inside) for piece, inside in expected[0, how]
        ]
    points_found = [find_point(*case) for case in cases]
    outside = [complement(*case) for case in cases]
    simpler = [simplify(case[1]) for case in cases]
    memo = PartitionMemo()
    with memoized(memo):
        for _ in range(2):
            memo.next_round()
            for number, case in enumerate(cases):
                for how in (absorbing, None):
                    assert _computed(*case, how) == expected[number, how]
                assert find_point(*case) == points_found[number]
                assert complement(*case) == outside[number]
                answer = simplify(case[1])
                assert answer == simpler[number]
                answer.append(case[0])  # the caller's list: the memo keeps its own
    assert memo.hits >= 4  # the second round is answered from the memo


def test_a_memo_keeps_what_the_last_round_used_and_no_more() -> None:
    root = (0b1111, 0b111)
    first = [(0b0011, 0b111), (0b1100, 0b001), (0b0110, 0b010), (0b1000, 0b100)]
    second = [(0b0001, 0b111), *first[1:]]
    memo = PartitionMemo()
    with memoized(memo):
        memo.next_round()
        list(partition(root, first, [True, False]))
        memo.next_round()
        list(partition(root, second, [True, False]))
        kept = len(memo)
        memo.next_round()
        list(partition(root, second, [True, False]))
        memo.next_round()  # the first problem was not asked in the last two rounds
        assert len(memo) < kept
    assert list(partition(root, first, [True, False])) == _computed(
        root, first, [True, False], None
    )


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


@given(larger_spaces(), st.data())
def test_merge_gives_the_boxes_bucketing_every_dimension_gives(
    space: tuple[Box, list[Box], list[bool]], data: st.DataObject
) -> None:
    _, boxes, _ = space
    # repeated boxes and dimensions where every box has the same cells, as regions have
    repeated = boxes + data.draw(st.lists(st.sampled_from(boxes), max_size=4))
    shared = [(*box, 0b101) for box in data.draw(st.permutations(repeated))]
    for region in (boxes, repeated, shared, shared[:1] * 3):
        assert merge(region) == _merge_reference(region)

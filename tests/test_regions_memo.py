"""The partition memo (:mod:`gistpath.regions.memo`) answers exactly what computing answers.

A :class:`PartitionMemo` must give the same partitions, points, complements and simplified
regions as computing them, piece for piece and in the same order: for the problem asked
again, for the same problem with more dimensions that no box cuts, and for the problem
with a cell split into several that no box tells apart (what an edit that adds a
threshold elsewhere does to a problem). It keeps what two consecutive proofs use, no more.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gistpath.regions import (
    Box,
    PartitionMemo,
    complement,
    find_point,
    memoized,
    partition,
    simplify,
)

from strategies import box_problems

# with room for what the memo takes apart (at least four boxes)
PROBLEMS = box_problems(max_cells=7, max_dims=4, min_boxes=4, max_boxes=9)


def _split_cell(mask: int, cell: int, into: int) -> int:
    """``mask`` after cell ``cell`` became ``into`` neighbouring cells (the others move up)."""
    low = mask & ((1 << cell) - 1)
    middle = ((1 << into) - 1) << cell if mask >> cell & 1 else 0
    return low | middle | (mask >> (cell + 1)) << (cell + into)


def _computed(
    root: Box, boxes: list[Box], ordered: list[bool], absorbing: int | None
) -> list[tuple[Box, list[int]]]:
    """The pieces :func:`partition` gives (from the memo, while one is active)."""
    return list(partition(root, boxes, ordered, absorbing=absorbing))


@given(PROBLEMS, st.none() | st.integers(0, 9), st.data())
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

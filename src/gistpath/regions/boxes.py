"""Boxes of cells and the set algebra on them that needs no partition.

Design: a box holds, per dimension, a bit mask of the cells it allows (a Python ``int``);
a region is a list of boxes, their union. Intersection is bitwise AND per dimension; a
box is empty when one of its masks is zero. :func:`merge` joins boxes that differ in one
dimension only; :func:`simplified` also drops boxes another box holds.

Limits: nothing here makes boxes disjoint (that is :mod:`gistpath.regions.splitting`'s
job), and nothing here consults a :class:`~gistpath.regions.memo.PartitionMemo`: use the
functions of :mod:`gistpath.regions`, which do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import and_
from typing import TypeAlias

Box: TypeAlias = tuple[int, ...]
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


def simplified(region: Sequence[Box]) -> Region:
    """``region`` without repeated boxes or boxes another box holds, then merged
    (:func:`merge`); the same points."""
    boxes = list(dict.fromkeys(region))
    if len(boxes) > 1:
        kept: list[Box] = []
        # Larger boxes first, so contained ones meet their container.
        for box in sorted(boxes, key=size_key, reverse=True):
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


def size_key(box: Box) -> tuple[int, ...]:
    """How many cells ``box`` allows in each dimension (a sort key: larger boxes last)."""
    return tuple(map(int.bit_count, box))


def bits(mask: int) -> Iterator[int]:
    """Indices of the set bits of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low

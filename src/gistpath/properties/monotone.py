"""``monotone: v in x`` properties: the table value ``v`` never falls as ``x`` grows.

Design: the universe is split into valid pieces on which ``v`` is constant; pieces of two
ranks whose other dimensions meet, the higher one reaching a smaller ``x`` than the lower
one reaches, give the two states of a violation, and every violation is such a pair.
Values outside the declared order, states where no row matches, and ``unknown`` are
exempt.

Limits: pieces are compared pairwise per pair of ranks, and the proof stops at the first
violation of each property.
"""

from __future__ import annotations

from collections.abc import Mapping

from gistpath.cells import FrozenRegion
from gistpath.model import Property
from gistpath.printer import value_word
from gistpath.properties.context import ProofContext
from gistpath.regions import Box, intersect, partition


def prove_monotone(v: ProofContext, prop: Property) -> None:
    """Prove that the ordered table value ``prop.value`` never falls as the numeric input
    ``prop.input`` grows, every other input held: the valid pieces of each ranked value are
    compared pairwise (values outside the order are exempt), and the first fall found adds a
    ``monotonicity`` finding with its two states, as close together as the pieces allow.
    """
    assert prop.value is not None
    assert prop.input is not None
    model = v.compiled.model
    table = model.tables[prop.value]
    rank = {value: i for i, value in enumerate(table.order)}
    value_regions: Mapping[str, FrozenRegion] = v.compiled.table_values[prop.value]
    k = v.space.index(prop.input)
    dim = v.space.dimensions[k]
    numeric = (1 << (2 * len(dim.thresholds) + 1)) - 1  # every cell but `unknown`
    boxes: list[Box] = []
    owner: list[int] = []
    for value, region in value_regions.items():
        if value in rank:
            for box in region:
                boxes.append(box)
                owner.append(rank[value])
    n_value_boxes = len(boxes)
    boxes += v.invalid
    # per rank: (other dimensions, lowest cell of x, highest cell of x, the piece)
    pieces: dict[int, list[tuple[Box, int, int, Box]]] = {}
    for piece, inside in partition(v.universe, boxes, v.ordered, absorbing=n_value_boxes):
        if not inside or any(i >= n_value_boxes for i in inside):
            continue  # exempt, no row, or not valid
        cells = piece[k] & numeric
        if not cells:
            continue
        r = owner[inside[0]]
        others = (*piece[:k], 0, *piece[k + 1 :])
        pieces.setdefault(r, []).append((others, _low(cells), cells.bit_length() - 1, piece))
    ranks = sorted(pieces)
    for hi_pos, high in enumerate(ranks):
        for low in ranks[:hi_pos]:
            found = _falling(pieces[high], pieces[low], k)
            if found is None:
                continue
            (first, a), (second, b) = found
            state_a = v.example((*first[:k], 1 << a, *first[k + 1 :]))
            state_b = v.example((*second[:k], 1 << b, *second[k + 1 :]))
            v.finding(
                "monotonicity",
                f"property '{prop.id}' ({prop.title}) fails: {prop.value} falls from "
                f"{table.order[high]} to {table.order[low]} as {prop.input} grows from "
                f"{value_word(state_a[prop.input])} to {value_word(state_b[prop.input])}, "
                "every other input equal",
                examples=(state_a, state_b),
                lines=(prop.line, table.line),
                property_id=prop.id,
            )
            return


def _low(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def _falling(
    highs: list[tuple[Box, int, int, Box]], lows: list[tuple[Box, int, int, Box]], k: int
) -> tuple[tuple[Box, int], tuple[Box, int]] | None:
    """A higher-ranked piece at a smaller x than a lower-ranked one, all else shared.

    Gives the shared other dimensions with the two cells of x, chosen as close together
    as the two pieces allow (the example then shows where the value falls).
    """
    for others_h, low_h, _, piece_h in highs:
        for others_l, _, high_l, piece_l in lows:
            if high_l <= low_h:
                continue
            both = intersect(others_h[:k] + others_h[k + 1 :], others_l[:k] + others_l[k + 1 :])
            if both is None:
                continue
            shared = (*both[:k], 0, *both[k:])
            below = piece_h[k] & ((1 << high_l) - 1)  # cells of the high piece under high_l
            a = below.bit_length() - 1
            above = piece_l[k] & ~((1 << (a + 1)) - 1)
            return (shared, a), (shared, _low(above))
    return None

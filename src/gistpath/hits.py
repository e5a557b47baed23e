"""Hit policies of decision tables: what each means for coverage, proven over regions.

Design: a table's rows are regions (from :mod:`gistpath.cells`); one exact partition of
the valid states (:func:`gistpath.regions.partition`, the constraint-breaking boxes
absorbing) gives, for each piece, the rows that match all of it. What counts as a problem
then depends on the hit policy, as DMN defines the four single-hit policies:

* ``unique``: two rows that match one valid state overlap;
* ``any``: rows may overlap only where they give the same value: an overlap of rows with
  different values is reported;
* ``first``: the first matching row in written order is chosen;
* ``priority``: the matching row whose value comes first in the ``values`` line is chosen
  (written order among rows of one value).

For ``first`` and ``priority`` overlaps are meant, so instead a row that matches valid
states but is never the one chosen is *masked*. A row that matches no valid state at all
is dead whatever the policy, and a valid state no row matches is a gap unless the table
has a ``default``. (Multiple-hit policies give lists, which a table does not hold;
:mod:`gistpath.dmn` imports them as one boolean per rule, which have no coverage to prove.)

Limits: at most one witness piece is kept per overlapping pair and per masked row.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from gistpath.model import Table
from gistpath.regions import Box, partition


@attrs.frozen
class Coverage:
    """What one table's rows do over the valid states (row indices are 0-based)."""

    gaps: tuple[Box, ...]  # pieces no row matches (empty when the table has a default)
    overlaps: dict[tuple[int, int], Box]  # pairs that break the policy, with a witness
    masked: dict[int, Box]  # rows that match somewhere but are never chosen, with a witness
    dead: tuple[int, ...]  # rows that match no valid state
    pieces: int


def chosen(table: Table, members: Sequence[int]) -> int:
    """The row a state matched by ``members`` (sorted row indices) takes."""
    if table.hit == "priority":
        rank = {value: i for i, value in enumerate(table.values)}
        return min(members, key=lambda i: (rank.get(table.rows[i].output, len(rank)), i))
    return members[0]


def cover_table(
    table: Table,
    rows: Sequence[Sequence[Box]],
    universe: Box,
    invalid: Sequence[Box],
    ordered: Sequence[bool],
) -> Coverage:
    """Gaps, policy-breaking overlaps, masked and dead rows of ``table``."""
    boxes: list[Box] = []
    owner: list[int] = []
    for index, region in enumerate(rows):
        for box in region:
            boxes.append(box)
            owner.append(index)
    n_rows = len(boxes)
    boxes.extend(invalid)
    gaps: list[Box] = []
    overlaps: dict[tuple[int, int], Box] = {}
    masked_at: dict[int, Box] = {}
    matched: set[int] = set()
    live: set[int] = set()
    pieces = 0
    for piece, inside in partition(universe, boxes, ordered, absorbing=n_rows):
        pieces += 1
        if any(i >= n_rows for i in inside):
            continue  # no valid state here
        members = sorted({owner[i] for i in inside})
        if not members:
            if table.default is None:
                gaps.append(piece)
            continue
        matched.update(members)
        if table.hit in ("unique", "any"):
            live.update(members)
            for a_pos, a in enumerate(members):
                for b in members[a_pos + 1 :]:
                    if table.hit == "unique" or _differ(table, a, b):
                        overlaps.setdefault((a, b), piece)
            continue
        winner = chosen(table, members)
        live.add(winner)
        for other in members:
            if other != winner:
                masked_at.setdefault(other, piece)
    masked = {i: box for i, box in masked_at.items() if i not in live}
    dead = tuple(i for i in range(len(table.rows)) if i not in matched)
    return Coverage(tuple(gaps), overlaps, masked, dead, pieces)


def _differ(table: Table, a: int, b: int) -> bool:
    row_a, row_b = table.rows[a], table.rows[b]
    return (row_a.output, row_a.output_is_reference) != (row_b.output, row_b.output_is_reference)

"""Predicate tables: evaluation as one lookup per input and a few bitwise ANDs.

Design: every region of a :class:`gistpath.cells.CompiledModel` (rules, constraint
violations, considerations, the values of derived values) is a list of boxes. The boxes
are numbered once, and for each dimension and each cell the table holds the set of boxes
that allow that cell, as one Python ``int`` used as a bit set. A state's cells are looked up
(a bisection for a number, a dictionary for a choice) and the sets ANDed: the bits left are
exactly the boxes containing the state. Which rule fired, which constraint broke and what
each derived value is are then read off fixed masks. Nothing here walks the AST.

The same tables, stored as arrays of 64-bit words, drive the numpy batch path in
:mod:`gistpath.batch`.

Limits: a table holds one bit per box per cell; rule files with hundreds of thousands of
boxes would make these sets long, though each AND stays a single C loop.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import attrs

from gistpath.cells import CompiledModel, Dimension
from gistpath.language import UNKNOWN
from gistpath.regions import Box, bits, complement


@attrs.frozen
class PredicateTables:
    """Bit sets per (dimension, cell) and the masks that give them meaning."""

    cell_sets: tuple[tuple[int, ...], ...]  # [dimension][cell] -> set of box indices
    box_owner: tuple[int, ...]  # box index -> index into `owners`
    owners: tuple[tuple[str, str], ...]  # (kind, name): kind in rule/constraint/consideration/value
    rule_mask: int
    constraint_mask: int
    consideration_mask: int
    let_masks: Mapping[str, int]
    value_masks: Mapping[str, Mapping[str, int]]  # table -> value -> mask
    rule_of_box: Mapping[int, int]  # box index -> rule index
    constraint_of_box: Mapping[int, int]
    consideration_of_box: Mapping[int, int]
    box_count: int
    # per input: how to find a value's cell
    choice_cells: tuple[Mapping[object, int] | None, ...]
    thresholds: tuple[tuple[int | float, ...] | None, ...]
    unknown_cells: tuple[int | None, ...]

    def cells(self, values: Sequence[object]) -> list[int]:
        """The cell of each input value (values already validated, in input order)."""
        out = []
        for i, value in enumerate(values):
            lookup = self.choice_cells[i]
            if lookup is not None:
                out.append(lookup[value])
                continue
            if type(value) is str:  # the only text a numeric input accepts is 'unknown'
                unknown = self.unknown_cells[i]
                assert unknown is not None
                out.append(unknown)
                continue
            ts = self.thresholds[i]
            assert ts is not None
            number: float = value  # type: ignore[assignment]
            j = bisect.bisect_left(ts, number)
            out.append(2 * j + 1 if j < len(ts) and ts[j] == number else 2 * j)
        return out

    def matches(self, cells: Sequence[int]) -> int:
        """The boxes (as a bit set) that contain a state, before the pathway is known."""
        sets = self.cell_sets
        acc = (1 << self.box_count) - 1
        for d in range(len(cells)):
            acc &= sets[d][cells[d]]
        return acc


def _choice_lookup(dim: Dimension) -> dict[object, int]:
    # Keys are typed: True and 1 are different keys here only because the validator has
    # already refused 1 for a boolean input.
    return {value: index for index, value in enumerate(dim.values)}


def build_tables(compiled: CompiledModel) -> PredicateTables:
    """The predicate tables of a compiled model: one bit set per cell of every dimension.

    Every box of every region (rules, constraints, considerations, lets, table values)
    gets one bit; the bit set of a cell holds the boxes that allow that cell, so the
    boxes holding a state are the AND of its cells' bit sets.

    Args:
        compiled: the regions of a checked model (:func:`gistpath.cells.compile_model`).

    Returns:
        The :class:`PredicateTables`: the cell sets, and which box belongs to which rule,
        constraint, consideration, let or table value (with the masks to read them).
    """
    space = compiled.space
    model = compiled.model
    boxes: list[Box] = []
    owner_of_box: list[int] = []
    owners: list[tuple[str, str]] = []

    def add(kind: str, name: str, region: Sequence[Box]) -> int:
        """Give each box of ``region`` a bit owned by (``kind``, ``name``); the mask of them."""
        owners.append((kind, name))
        owner = len(owners) - 1
        mask = 0
        for box in region:
            mask |= 1 << len(boxes)
            boxes.append(box)
            owner_of_box.append(owner)
        return mask

    def family(
        kind: str, names: Sequence[str], regions: Sequence[Sequence[Box]]
    ) -> tuple[int, dict[int, int]]:
        """Add one region per member; the family's mask and each box's member index."""
        mask = 0
        member_of_box: dict[int, int] = {}
        for index, (name, region) in enumerate(zip(names, regions, strict=True)):
            start = len(boxes)
            mask |= add(kind, name, region)
            member_of_box.update(dict.fromkeys(range(start, len(boxes)), index))
        return mask, member_of_box

    rule_mask, rule_of_box = family("rule", [r.id for r in model.rules], compiled.rules)
    # A constraint's boxes are where it is *broken*: a state in one of them is refused.
    constraint_mask, constraint_of_box = family(
        "constraint",
        [c.name for c in model.constraints],
        [complement(space.universe, r, space.ordered) for r in compiled.constraints],
    )
    consideration_mask, consideration_of_box = family(
        "consideration", list(model.considerations), compiled.considerations
    )
    let_masks = {name: add("let", name, region) for name, region in compiled.lets.items()}
    value_masks = {
        table: {value: add("value", f"{table}={value}", region) for value, region in values.items()}
        for table, values in compiled.table_values.items()
    }
    cell_sets: list[tuple[int, ...]] = []
    for d, dim in enumerate(space.dimensions):
        per_cell = [0] * dim.size
        for b, box in enumerate(boxes):
            for cell in bits(box[d]):
                per_cell[cell] |= 1 << b
        cell_sets.append(tuple(per_cell))
    inputs = space.dimensions[:-1]
    # Read-only views throughout: a rule set shares its tables between threads.
    return PredicateTables(
        cell_sets=tuple(cell_sets),
        box_owner=tuple(owner_of_box),
        owners=tuple(owners),
        rule_mask=rule_mask,
        constraint_mask=constraint_mask,
        consideration_mask=consideration_mask,
        let_masks=MappingProxyType(let_masks),
        value_masks=MappingProxyType({k: MappingProxyType(v) for k, v in value_masks.items()}),
        rule_of_box=MappingProxyType(rule_of_box),
        constraint_of_box=MappingProxyType(constraint_of_box),
        consideration_of_box=MappingProxyType(consideration_of_box),
        box_count=len(boxes),
        choice_cells=tuple(
            MappingProxyType(_choice_lookup(dim)) if dim.kind != "numeric" else None
            for dim in inputs
        ),
        thresholds=tuple(dim.thresholds if dim.kind == "numeric" else None for dim in inputs),
        unknown_cells=tuple(
            dim.unknown_cell if dim.kind == "numeric" and dim.allows_unknown else None
            for dim in inputs
        ),
    )


__all__ = ["UNKNOWN", "PredicateTables", "build_tables"]

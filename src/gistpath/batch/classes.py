"""Class tables: the pathway of a row in a few small-integer look-ups, no bit operations.

Design: only the boxes of rules and of broken constraints matter for the pathway (and,
with considerations, the consideration boxes). The inputs are grouped, at most
:data:`JOINT_CELLS` combinations of cells per group; for every combination the AND of its
cells' bit sets is computed once and the distinct results are numbered: a group's table
maps a row's combination to a *class*. The groups' classes are folded pairwise through
tables of the distinct ANDs, and the last class names the outcome: a rule index, or
:data:`NO_RULE`, :data:`SEVERAL_RULES` (a draft) or :data:`BROKEN`. All of it is
precomputed from the predicate tables of :mod:`gistpath.tables`; numpy
(:meth:`ClassTables.rules`) and the C fold (``_kernel.fold``, through
:meth:`ClassTables.packed`) read the same tables.

Limits: a rule set whose folding tables would pass :data:`FOLD_ENTRIES` entries gets no
class tables; building them costs a few milliseconds for GIST (about 8 with
considerations), once per rule set.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from gistpath.regions import bits
from gistpath.tables import PredicateTables

#: Most cells in one joint table of several inputs (see :class:`ClassTables`).
JOINT_CELLS = 4096
#: Most entries in one folding table; past that the bit-set path is used.
FOLD_ENTRIES = 1 << 21

#: What a row whose cells are all valid gets besides a rule index (>= 0): no rule covers it,
#: several do (a draft), or it breaks a constraint. A bad row's code is also ``NO_RULE``
#: (-1) in a :class:`gistpath.batch.result.BatchResult`, whose errors say why.
NO_RULE = -1
SEVERAL_RULES = -2
BROKEN = -3


@attrs.frozen
class ClassTables:
    """The pathway-only tables: a few small-integer look-ups per row, no bit operations.

    Only the boxes of rules and of broken constraints matter for the pathway. Inputs are
    grouped (at most :data:`JOINT_CELLS` combinations of cells per group); for every
    combination the AND of its cells' bit sets is computed once, and the distinct results
    are numbered: a group's table maps a row's combination to a *class*. Classes of the
    groups are then folded pairwise through tables of the distinct ANDs, and the last
    class names the outcome: a rule, no rule, several rules (drafts) or a broken
    constraint. All of it is precomputed from the predicate tables, so a row costs one
    look-up per group and per fold.
    """

    groups: tuple[tuple[int, ...], ...]  # input dimensions of each group
    strides: tuple[tuple[int, ...], ...]  # their mixed-radix weights
    classes: tuple[npt.NDArray[np.intp], ...]  # per group: combination -> class
    folds: tuple[tuple[npt.NDArray[np.intp], int], ...]  # (flat table, width) per fold
    outcome: npt.NDArray[np.int64]  # last class -> rule index or NO_RULE/SEVERAL/BROKEN
    # With considerations: last class -> the ids of the considerations that apply (in file
    # order; () where no rule fired). The classes then tell the consideration boxes apart
    # too, so there are more of them.
    considered: tuple[tuple[str, ...], ...] | None = None
    sizes: tuple[int, ...] = ()  # cells of each input

    @classmethod
    def build(
        cls,
        tables: PredicateTables,
        rule_pathway: Sequence[int],
        consideration_ids: Sequence[str] | None = None,
    ) -> ClassTables | None:
        """The class tables of a rule set's predicate tables, or ``None`` where it has no
        inputs or a folding table would pass :data:`FOLD_ENTRIES` entries (the bit sets of
        :mod:`gistpath.batch.bitsets` decide it then).

        ``rule_pathway``: each rule's pathway cell. With ``consideration_ids`` (the
        considerations in file order) the classes tell the consideration boxes apart too,
        and :attr:`considered` names those that apply to each last class.
        """
        considerations = consideration_ids is not None
        sizes = [len(sets) for sets in tables.cell_sets[:-1]]
        if not sizes:
            return None
        relevant = tables.rule_mask | tables.constraint_mask
        if considerations:
            relevant |= tables.consideration_mask
        groups: list[list[int]] = []
        for d, size in enumerate(sizes):
            if groups and math.prod(sizes[g] for g in groups[-1]) * size <= JOINT_CELLS:
                groups[-1].append(d)
            else:
                groups.append([d])
        group_classes: list[npt.NDArray[np.intp]] = []
        group_values: list[list[int]] = []
        strides = []
        for group in groups:
            combos = [relevant]
            for d in group:  # the last input of the group varies fastest
                combos = [a & s for a in combos for s in tables.cell_sets[d]]
            ids: dict[int, int] = {}
            group_classes.append(
                np.fromiter((ids.setdefault(c, len(ids)) for c in combos), np.intp, len(combos))
            )
            group_values.append(list(ids))
            strides.append(
                tuple(math.prod(sizes[e] for e in group[i + 1 :]) for i in range(len(group)))
            )
        folds = []
        values = group_values[0]
        for right in group_values[1:]:
            if len(values) * len(right) > FOLD_ENTRIES:
                return None
            ids = {}
            flat = np.fromiter(
                (ids.setdefault(a & b, len(ids)) for a in values for b in right),
                np.intp,
                len(values) * len(right),
            )
            folds.append((flat, len(right)))
            values = list(ids)
        outcome = np.fromiter((_outcome(tables, v) for v in values), np.int64, len(values))
        considered = None
        if consideration_ids is not None:
            considered = tuple(
                _considered(tables, v, int(rule), rule_pathway, consideration_ids)
                for v, rule in zip(values, outcome, strict=True)
            )
        return cls(
            groups=tuple(tuple(g) for g in groups),
            strides=tuple(strides),
            classes=tuple(group_classes),
            folds=tuple(folds),
            outcome=outcome,
            considered=considered,
            sizes=tuple(sizes),
        )

    def rules(self, cells: Sequence[npt.NDArray[np.intp]]) -> npt.NDArray[np.int64]:
        """Per row: the rule index, or NO_RULE, SEVERAL_RULES (a draft), BROKEN."""
        found: list[npt.NDArray[np.intp]] = []
        for group, weights, classes in zip(self.groups, self.strides, self.classes, strict=True):
            index = cells[group[-1]]
            for d, weight in zip(group[:-1], weights[:-1], strict=True):
                index = index + cells[d] * weight
            found.append(classes[index])
        current = found[0]
        for (flat, width), right in zip(self.folds, found[1:], strict=True):
            current = flat[current * width + right]
        out: npt.NDArray[np.int64] = self.outcome[current]
        return out

    @functools.cached_property
    def packed(self) -> FoldTables:
        """These tables as ``_kernel.fold`` reads them (contiguous int32). With
        considerations, the outcome is the last class itself: the caller looks up its rule
        (:attr:`outcome`) and its considerations (:attr:`considered`)."""
        outcome = self.outcome if self.considered is None else np.arange(len(self.outcome))
        return FoldTables(
            groups=[
                [(d, w, self.sizes[d]) for d, w in zip(g, ws, strict=True)]
                for g, ws in zip(self.groups, self.strides, strict=True)
            ],
            classes=[np.ascontiguousarray(c, dtype=np.int32) for c in self.classes],
            folds=[(np.ascontiguousarray(f, dtype=np.int32), w) for f, w in self.folds],
            outcome=np.ascontiguousarray(outcome, dtype=np.int32),
        )


class FoldTables(NamedTuple):
    """What ``_kernel.fold`` reads after the cells: :class:`ClassTables` packed."""

    groups: list[list[tuple[int, int, int]]]  # per group: (input, stride, cells of input)
    classes: list[npt.NDArray[np.int32]]  # per group: combination -> class
    folds: list[tuple[npt.NDArray[np.int32], int]]  # per fold: (flat table, width)
    outcome: npt.NDArray[np.int32]  # last class -> rule index (or the class itself)


def _outcome(tables: PredicateTables, boxes: int) -> int:
    """What a state in exactly these (rule and constraint) boxes gets."""
    if boxes & tables.constraint_mask:
        return BROKEN
    found = {tables.rule_of_box[b] for b in bits(boxes & tables.rule_mask)}
    if not found:
        return NO_RULE
    return found.pop() if len(found) == 1 else SEVERAL_RULES


def _considered(
    tables: PredicateTables,
    boxes: int,
    rule: int,
    rule_pathway: Sequence[int],
    consideration_ids: Sequence[str],
) -> tuple[str, ...]:
    """The considerations that apply to a state in exactly these boxes, given its rule."""
    if rule < 0:
        return ()
    pathway_boxes = tables.cell_sets[-1][rule_pathway[rule]]
    hits = {
        tables.consideration_of_box[b]
        for b in bits(boxes & pathway_boxes & tables.consideration_mask)
    }
    return tuple(consideration_ids[c] for c in sorted(hits))

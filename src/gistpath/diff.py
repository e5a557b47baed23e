"""Which valid states change pathway between two versions of a rule file, computed exactly.

Design: both rule sets are compiled again over one shared space. Each input becomes one
dimension whose cells are fine enough for both files: a number is cut at the thresholds of
either file, a choice has the values of either. Each file keeps its own idea of which cells
are allowed (its domains), so a state is *valid in a file* when its cells are allowed there
and the file's constraints hold. The space is then split (:func:`gistpath.regions.partition`)
into pieces on which both files' rules and validity are constant; every piece valid in both
files where the pathways differ is a change, and a piece valid in one file only is reported
too (a state one version refuses). Pieces with the same change are merged into boxes and
each box is described in words with a concrete example state, a representative of its
cells; ``tests/test_diff.py`` runs such examples, and every cell combination, through both
rule sets' ``evaluate``. An example names every input of either version; a version ignores
the inputs it does not declare.

An input declared in one file only is compared as if the other file ignored it: its value
cannot change that file's answer. Inputs with the same name must keep their kind (choice,
boolean, integer, number); otherwise the two files describe different states and
:class:`DiffError` says so.

Limits: only pathways are compared, not considerations or derived values. Both files must
load (verification included, or both as drafts).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import attrs

from gistpath.cells import (
    Dimension,
    RegionCompiler,
    Space,
    allowed_cells,
    model_thresholds,
)
from gistpath.describe import describe_box
from gistpath.errors import GistpathError
from gistpath.language import PATHWAY_NAME, UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, Input, Model, NumericDomain
from gistpath.regions import (
    Box,
    Region,
    complement,
    find_point,
    intersect_regions,
    merge,
    partition,
)
from gistpath.ruleset import RuleSet

#: Most boxes described per change; the rest are counted.
MAX_BOXES_PER_CHANGE = 20

REFUSED = "(not a valid state)"


class DiffError(GistpathError):
    """Two rule files cannot be compared state by state (an input changed its kind)."""


@attrs.frozen
class Change:
    """States that get ``old`` in one version and ``new`` in the other.

    ``old`` or ``new`` is :data:`REFUSED` where that version refuses the states.
    """

    old: str
    new: str
    where: str
    example: Mapping[str, object]
    box: Box = attrs.field(eq=False, repr=False)  # the cells, over DiffReport.space


@attrs.frozen
class DiffReport:
    """The changes between two rule sets, grouped by (old pathway, new pathway)."""

    old_name: str
    new_name: str
    changes: tuple[Change, ...]
    notes: tuple[str, ...]
    unlisted: int  # boxes not described because of MAX_BOXES_PER_CHANGE
    space: Space = attrs.field(eq=False, repr=False)  # the shared space the boxes live in

    @property
    def same(self) -> bool:
        return not self.changes

    def format(self) -> str:
        lines: list[str] = []
        lines.extend(f"note: {note}" for note in self.notes)
        if self.same:
            lines.append(f"{self.old_name} -> {self.new_name}: every valid state keeps its pathway")
            return "\n".join(lines)
        pairs = len({(c.old, c.new) for c in self.changes})
        lines.append(
            f"{self.old_name} -> {self.new_name}: {len(self.changes)} region"
            f"{'s' if len(self.changes) != 1 else ''} of states change pathway "
            f"({pairs} distinct change{'s' if pairs != 1 else ''})"
        )
        for change in self.changes:
            lines.append(f"{change.where}: {change.old} -> {change.new}")
            example = json.dumps(dict(change.example), ensure_ascii=False)
            lines.append(f"    example state: {example}")
        if self.unlisted:
            lines.append(f"... and {self.unlisted} more regions not listed")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "old": self.old_name,
            "new": self.new_name,
            "same": self.same,
            "notes": list(self.notes),
            "changes": [
                {
                    "old_pathway": c.old,
                    "new_pathway": c.new,
                    "where": c.where,
                    "example": dict(c.example),
                }
                for c in self.changes
            ],
            "unlisted": self.unlisted,
        }


def _kind(item: Input) -> str:
    domain = item.domain
    if isinstance(domain, ChoiceDomain):
        return "a choice"
    if isinstance(domain, BooleanDomain):
        return "a boolean"
    return "an integer" if domain.integer else "a number"


def _merged_dimension(name: str, items: list[Input], cuts: set[int | float]) -> Dimension:
    """One dimension fine enough for every version of an input (validity left to _valid)."""
    domain = items[0].domain
    unknown = any(item.domain.allows_unknown for item in items)
    if isinstance(domain, NumericDomain):
        ts = tuple(sorted(cuts))
        return Dimension(name, "numeric", (), ts, domain.integer, unknown, 0)
    values: list[object] = [False, True] if isinstance(domain, BooleanDomain) else []
    for item in items:
        if isinstance(item.domain, ChoiceDomain):
            values += [v for v in item.domain.values if v not in values]
    if unknown:
        values.append(UNKNOWN)
    return Dimension(name, "boolean" if not isinstance(domain, ChoiceDomain) else "choice",
                     tuple(values), (), False, unknown, 0)  # fmt: skip


def _valid(dim: Dimension, item: Input | None) -> int:
    """The cells of ``dim`` that a version declaring ``item`` allows (all if it has none)."""
    everything = (1 << dim.size) - 1
    if item is None:
        return everything
    domain = item.domain
    if isinstance(domain, NumericDomain):
        return allowed_cells(dim, domain)
    mask = 0
    allowed = set(domain.values) if isinstance(domain, ChoiceDomain) else {False, True}
    for cell, value in enumerate(dim.values):
        if value in allowed and value != UNKNOWN:
            mask |= 1 << cell
    if domain.allows_unknown:
        mask |= 1 << dim.unknown_cell
    return mask


def _space(dims: list[Dimension], valid: list[int], pathways: tuple[str, ...]) -> Space:
    out = [attrs.evolve(d, valid=v) for d, v in zip(dims, valid, strict=True)]
    out.append(
        Dimension(PATHWAY_NAME, "pathway", pathways, (), False, False, (1 << len(pathways)) - 1)
    )
    return Space(tuple(out))


def _valid_region(compiler: RegionCompiler, model: Model) -> Region:
    region: Region = [compiler.universe]
    for constraint in model.constraints:
        region = intersect_regions(region, compiler.expr(constraint.condition))
    return region


def diff_rulesets(
    old: RuleSet, new: RuleSet, *, old_label: str | None = None, new_label: str | None = None
) -> DiffReport:
    """The regions of valid states whose pathway differs between ``old`` and ``new``.

    ``old_label`` and ``new_label`` name the versions in the report (default: their
    file names).
    """
    old_model, new_model = old.model, new.model
    notes: list[str] = []
    names = list(old_model.inputs) + [n for n in new_model.inputs if n not in old_model.inputs]
    for name in names:
        a, b = old_model.inputs.get(name), new_model.inputs.get(name)
        if a is None:
            notes.append(f"input '{name}' is new; the old version is compared as ignoring it")
        elif b is None:
            notes.append(f"input '{name}' was removed; the new version ignores it")
        elif _kind(a) != _kind(b):
            raise DiffError(
                f"input '{name}' is {_kind(a)} in {old.name} but {_kind(b)} in {new.name}; "
                "the two files describe different states and cannot be compared"
            )
    cuts_old, cuts_new = model_thresholds(old_model), model_thresholds(new_model)
    dims = []
    for name in names:
        items = [m.inputs[name] for m in (old_model, new_model) if name in m.inputs]
        cuts = cuts_old.get(name, set()) | cuts_new.get(name, set())
        dims.append(_merged_dimension(name, items, cuts))
    pathways = tuple(dict.fromkeys([*old_model.pathways, *new_model.pathways]))
    spaces = [
        _space(dims, [_valid(d, m.inputs.get(d.name)) for d in dims], pathways)
        for m in (old_model, new_model)
    ]
    either = _space(
        dims,
        [
            a.valid | b.valid
            for a, b in zip(spaces[0].dimensions, spaces[1].dimensions, strict=True)
        ][:-1],
        pathways,
    )
    compilers = [RegionCompiler(m, s) for m, s in zip((old_model, new_model), spaces, strict=True)]
    valid = [_valid_region(c, m) for c, m in zip(compilers, (old_model, new_model), strict=True)]

    # Boxes: old rules, new rules, old-valid, new-valid, then states valid in neither.
    boxes: list[Box] = []
    tags: list[tuple[str, int, int]] = []  # (what, side, rule index)
    for side, (compiler, model) in enumerate(zip(compilers, (old_model, new_model), strict=True)):
        for index, rule in enumerate(model.rules):
            for box in compiler.expr(rule.condition):
                boxes.append(box)
                tags.append(("rule", side, index))
    for side in (0, 1):
        for box in valid[side]:
            boxes.append(box)
            tags.append(("valid", side, -1))
    absorbing = len(boxes)
    boxes += complement(either.universe, valid[0] + valid[1], either.ordered)

    found: dict[tuple[str, str], list[Box]] = {}
    for piece, inside in partition(either.universe, boxes, either.ordered, absorbing=absorbing):
        if any(i >= absorbing for i in inside):
            continue
        in_valid = {tags[i][1] for i in inside if tags[i][0] == "valid"}
        answers = []
        for side, model in enumerate((old_model, new_model)):
            if side not in in_valid:
                answers.append(REFUSED)
                continue
            fired = sorted({tags[i][2] for i in inside if tags[i][:2] == ("rule", side)})
            answers.append(model.rules[fired[0]].pathway if len(fired) == 1 else "(no single rule)")
        if answers[0] != answers[1]:
            found.setdefault((answers[0], answers[1]), []).append(piece)

    invalid = boxes[absorbing:]
    changes: list[Change] = []
    unlisted = 0
    for (was, becomes), pieces in sorted(found.items()):
        merged = merge(pieces)
        for box in merged[:MAX_BOXES_PER_CHANGE]:
            where = describe_box(either, _widen(either, box, pieces + invalid))
            changes.append(Change(was, becomes, where, either.example(box), box))
        unlisted += max(0, len(merged) - MAX_BOXES_PER_CHANGE)
    return DiffReport(
        old_label or old.model.filename,
        new_label or new.model.filename,
        tuple(changes),
        tuple(notes),
        unlisted,
        either,
    )


def _widen(space: Space, box: Box, allowed: Region) -> Box:
    """``box`` with every dimension left open that the description does not need.

    A dimension is dropped when the box stays inside ``allowed`` (the states with the same
    change, or valid in neither version) with that dimension open: the condition it
    states follows from the others and the constraints.
    """
    out = list(box)
    for d, full in enumerate(space.universe):
        if out[d] == full:
            continue
        trial = (*out[:d], full, *out[d + 1 :])
        if find_point(trial, allowed, space.ordered) is None:
            out[d] = full
    return tuple(out)


__all__ = ["REFUSED", "Change", "DiffError", "DiffReport", "diff_rulesets"]

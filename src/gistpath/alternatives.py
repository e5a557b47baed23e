"""What would change a decision: one input changed, every other input held.

Design: a decision's state lies in one cell per input, and every condition is constant on
each cell (:mod:`gistpath.cells`). For one input, the predicate tables
(:mod:`gistpath.tables`) give the boxes holding the state's other cells as one bit set;
ANDed with the set of each cell of that input it gives, exactly, the outcome of every value
of that input: a broken constraint, or the rule, pathway and considerations. Cells with the
same outcome are merged, a numeric input's into maximal intervals (cells holding no allowed
value do not break a run), a choice's into one set of values. An :class:`Alternative` is
such an interval or set whose outcome differs from the decision's (another pathway, or the
same pathway with other considerations), with an example state (the decision's state with
that one value changed); :class:`LeftOut` records the values of each input that would make
the state invalid, with the constraints they break. No state is sampled.

Limits: only one input at a time is changed; values of two inputs that change a decision
only together are not shown. A draft's undecided cells (a gap or an overlap) are left out
and said so like broken constraints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from gistpath.cells import Dimension, Space
from gistpath.describe import describe_numeric
from gistpath.printer import value_word
from gistpath.regions import bits

if TYPE_CHECKING:
    from gistpath.ruleset import Decision, RuleSet

# The outcome of one cell: (pathway, considerations) or ("", reason) when left out.
_Outcome = tuple[str, tuple[str, ...]]


@attrs.frozen
class Alternative:
    """Values of one input that, with every other input held, give another outcome."""

    field: str
    pathway: str
    considerations: tuple[str, ...]
    example: Mapping[str, object] = attrs.field(repr=False)
    text: str
    rule: str = attrs.field(repr=False)
    _dimension: Any = attrs.field(repr=False, eq=False)  # a cells.Dimension (internal)
    _cells: int = attrs.field(repr=False)
    _ruleset: RuleSet = attrs.field(repr=False, eq=False)

    def contains(self, value: object) -> bool:
        """Whether ``value`` (validated as ``evaluate`` does) is one of these values."""
        return _in_cells(self._ruleset, self.field, self._dimension, self._cells, value)

    def __str__(self) -> str:
        return self.text


def _in_cells(ruleset: RuleSet, field: str, dimension: Any, cells: int, value: object) -> bool:
    """Whether ``value`` of ``field``, validated as ``evaluate`` does, lies in ``cells``."""
    valid = ruleset.field_validator(field)(value)
    return bool(cells >> dimension.cell_of(valid) & 1)


@attrs.frozen
class LeftOut:
    """Values of one input left out: they would break a constraint (or, in a draft, no
    single rule would decide)."""

    field: str
    text: str
    reasons: tuple[str, ...]  # the constraints broken (their titles), or what is undecided
    _dimension: Any = attrs.field(repr=False, eq=False)  # a cells.Dimension (internal)
    _cells: int = attrs.field(repr=False)
    _ruleset: RuleSet = attrs.field(repr=False, eq=False)

    def contains(self, value: object) -> bool:
        """Whether ``value`` (validated as ``evaluate`` does) is one of these values."""
        return _in_cells(self._ruleset, self.field, self._dimension, self._cells, value)

    def __str__(self) -> str:
        return f"{self.text} ({'; '.join(self.reasons)})"


class Alternatives(tuple[Alternative, ...]):
    """The alternatives of a decision, with ``left_out``: the values that make it invalid."""

    left_out: tuple[LeftOut, ...]

    def __new__(cls, items: tuple[Alternative, ...], left_out: tuple[LeftOut, ...]) -> Alternatives:
        self = super().__new__(cls, items)
        self.left_out = left_out
        return self


def alternatives(decision: Decision) -> Alternatives:
    """Every :class:`Alternative` of ``decision``, input by input in declaration order."""
    ruleset = decision.ruleset
    tables = ruleset.tables
    space = ruleset.compiled.space
    model = ruleset.model
    names = list(model.inputs)
    inputs = [decision.values[n] for n in names]
    cells = tables.cells(inputs)
    full = (1 << tables.box_count) - 1
    sets = tables.cell_sets
    current = (decision.pathway, decision.considerations)
    found: list[Alternative] = []
    left: list[LeftOut] = []
    for i, name in enumerate(names):
        dim = space.dimensions[i]
        others = full
        for d, cell in enumerate(cells):
            if d != i:
                others &= sets[d][cell]
        outcomes: dict[int, tuple[_Outcome, str]] = {}
        for cell in bits(dim.valid):
            outcomes[cell] = _outcome(ruleset, others & sets[i][cell])
        for cells_mask, (outcome, rule) in _runs(dim, outcomes):
            if outcome == current:
                continue
            text = describe_cells(space, i, cells_mask)
            if outcome[0] == "":
                left.append(LeftOut(name, text, outcome[1], dim, cells_mask, ruleset))
                continue
            example = dict(zip(names, inputs, strict=True))
            example[name] = dim.representative(_first_plain(dim, cells_mask))
            found.append(
                Alternative(
                    name, outcome[0], outcome[1], example, text, rule, dim, cells_mask, ruleset
                )
            )
    return Alternatives(tuple(found), tuple(left))


def _outcome(ruleset: RuleSet, acc: int) -> tuple[_Outcome, str]:
    """What the boxes ``acc`` of one cell combination decide, and the rule that fired."""
    tables = ruleset.tables
    model = ruleset.model
    broken = acc & tables.constraint_mask
    if broken:
        seen = sorted({tables.constraint_of_box[b] for b in bits(broken)})
        reasons = tuple(
            model.constraints[i].title or f"constraint '{model.constraints[i].name}'" for i in seen
        )
        return ("", tuple(f"breaks: {r}" for r in reasons)), ""
    fired = acc & tables.rule_mask
    rules = sorted({tables.rule_of_box[b] for b in bits(fired)})
    if len(rules) != 1:
        why = "no rule decides (a gap)" if not rules else "several rules decide (an overlap)"
        return ("", (why,)), ""
    rule = model.rules[rules[0]]
    considerations: tuple[str, ...] = ()
    pathway_cell = list(model.pathways).index(rule.pathway)
    with_pathway = acc & tables.consideration_mask & tables.cell_sets[-1][pathway_cell]
    if with_pathway:
        seen = sorted({tables.consideration_of_box[b] for b in bits(with_pathway)})
        ids = list(model.considerations)
        considerations = tuple(ids[i] for i in seen)
    return (rule.pathway, considerations), rule.id


def _runs(
    dim: Dimension, outcomes: dict[int, tuple[_Outcome, str]]
) -> list[tuple[int, tuple[_Outcome, str]]]:
    """Cells merged by outcome: runs of neighbouring cells for numbers, sets for choices."""
    if dim.kind != "numeric":
        groups: dict[_Outcome, tuple[int, str]] = {}
        for cell, (outcome, rule) in outcomes.items():
            mask, first_rule = groups.get(outcome, (0, rule))
            groups[outcome] = (mask | 1 << cell, first_rule)
        return [(mask, (outcome, rule)) for outcome, (mask, rule) in groups.items()]
    runs: list[tuple[int, tuple[_Outcome, str]]] = []
    unknown = dim.unknown_cell if dim.allows_unknown else None
    for cell, result in sorted(outcomes.items()):
        if cell == unknown:
            continue
        if runs and runs[-1][1][0] == result[0]:
            runs[-1] = (runs[-1][0] | 1 << cell, runs[-1][1])
        else:
            runs.append((1 << cell, result))
    if unknown is not None and unknown in outcomes:
        runs.append((1 << unknown, outcomes[unknown]))
    return runs


def _first_plain(dim: Dimension, mask: int) -> int:
    """A cell of ``mask`` whose representative reads well: an interval before a point."""
    cells = list(bits(mask))
    if dim.kind == "numeric":
        for cell in cells:
            if cell % 2 == 0 and not (dim.allows_unknown and cell == dim.unknown_cell):
                return cell
    return cells[0]


def describe_cells(space: Space, index: int, mask: int) -> str:
    """Cells of one input in words: ``mitotic_rate > 5``, ``site in {stomach, colon}``."""
    dim = space.dimensions[index]
    if dim.kind == "numeric":
        return describe_numeric(space, dim.name, mask)
    names = [value_word(dim.values[c]) for c in bits(mask)]
    if len(names) == 1:
        return f"{dim.name} is {names[0]}"
    return f"{dim.name} in {{{', '.join(names)}}}"


def would_change_if(decision: Decision, limit: int = 12) -> tuple[str, tuple[str, ...]]:
    """The "would change if" section of an explanation: its heading and one line per
    alternative (then the values left out), for :func:`gistpath.explain.explain`'s
    ``extra``. Kept apart so the wording can be restyled without touching the search."""
    model = decision.ruleset.model
    found = alternatives(decision)
    lines: list[str] = []
    if not found:
        lines.append("no single input changed alone gives another pathway or considerations")
    for alternative in found[:limit]:
        pathway = model.pathways[alternative.pathway]
        extra = ""
        if alternative.considerations != decision.considerations:
            shown = ", ".join(model.considerations[c].title for c in alternative.considerations)
            extra = f", also consider: {shown}" if shown else ", with no considerations"
        lines.append(f"{alternative}: {pathway.title}{extra}")
    if len(found) > limit:
        lines.append(f"and {len(found) - limit} more")
    for item in found.left_out:
        lines.append(f"left out, {item}")
    heading = "Would change if (one input changed, every other input as it is):"
    return heading, tuple(lines)

"""Decisions from incomplete states: which pathways remain, and what would decide.

Design: a state with some inputs missing is a box of cells: the present inputs' own cells,
every valid cell of each missing one. :func:`gistpath.regions.partition` splits that box
against the *decision graph* (each rule's boxes with the ``pathway`` dimension narrowed to
its pathway, as :mod:`gistpath.properties` uses) and the boxes where a constraint is broken
(which absorb). Every valid piece lies wholly in one rule's region, so the pathways some
valid completion reaches are exactly those of the pieces, and a piece's cells give an
example completion. Knowing one missing input fixes its cell; the pathways left are those
of the pieces holding that cell, which is how each missing input's values are grouped
(numbers into maximal intervals, choices into value sets) and the inputs ranked: first the
fewest pathways left in the worst case, then on average over the groups of values.

Present values are validated as :meth:`gistpath.RuleSet.evaluate` does; a missing input is
a key that is absent (``None`` is not "missing": it is refused like any wrong value). No
value is guessed or defaulted.

Limits: ranking counts pathways, not how likely each value is (no value is more likely
than another here). In a draft, states no single rule decides count for no pathway.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from gistpath.alternatives import describe_cells
from gistpath.cells import Dimension
from gistpath.errors import MISSING_FIELD, StateError
from gistpath.printer import value_word
from gistpath.properties import decision_graph
from gistpath.regions import Box, bits, complement, partition
from gistpath.state import field_validators, state_problems

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet


@attrs.frozen
class Answer:
    """Values of a missing input, and the pathways still reachable once it has one."""

    text: str  # ``mitotic_rate <= 5``, ``mutation in {kit_exon11, kit_exon9}``
    pathways: frozenset[str]
    _dimension: Any = attrs.field(repr=False, eq=False)  # a cells.Dimension (internal)
    _cells: int = attrs.field(repr=False)
    _validate: Any = attrs.field(repr=False, eq=False)  # the input's validator

    def contains(self, value: object) -> bool:
        """Whether ``value`` (validated as ``evaluate`` does) is one of these values."""
        return bool(self._cells >> self._dimension.cell_of(self._validate(value)) & 1)

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Question:
    """A missing input: what each of its values leaves, and how much it narrows."""

    field: str
    answers: tuple[Answer, ...]
    worst: int  # pathways left at most, whatever the value
    mean: float  # pathways left on average over the answers

    def __str__(self) -> str:
        parts = "; ".join(f"{a} -> {', '.join(sorted(a.pathways))}" for a in self.answers)
        return f"{self.field}: {parts}"


@attrs.frozen
class PartialDecision:
    """What an incomplete state can still get (see :meth:`gistpath.RuleSet.evaluate_partial`)."""

    pathways: frozenset[str]
    examples: Mapping[str, Mapping[str, object]]  # pathway -> a completed valid state
    missing: tuple[str, ...]
    questions: tuple[Question, ...]  # the missing inputs, most deciding first

    @property
    def decided(self) -> bool:
        """Only one pathway remains, whatever the missing values are."""
        return len(self.pathways) == 1

    @property
    def pathway(self) -> str | None:
        """The pathway when :attr:`decided`, else ``None``."""
        return next(iter(self.pathways)) if self.decided else None


def evaluate_partial(ruleset: RuleSet, state: Mapping[str, object]) -> PartialDecision:
    """The pathways valid completions of ``state`` reach, examples and ranked questions."""
    model = ruleset.model
    if not isinstance(state, Mapping):
        raise StateError(
            "<state>", state, "a mapping of field names to values", reason="not a mapping"
        )
    validators = field_validators(model.inputs)
    problems = [
        p for p in state_problems(state, model.inputs, validators) if p.reason != MISSING_FIELD
    ]
    if problems:
        raise StateError.of(problems)
    space = ruleset.compiled.space
    root = list(space.universe)
    missing: list[int] = []
    for i, name in enumerate(model.inputs):
        if name in state:
            dim = space.dimensions[i]
            root[i] = 1 << dim.cell_of(validators[name](state[name]))
        else:
            missing.append(i)
    box: Box = tuple(root)
    # the decision graph gives a piece its pathway; the rules' own boxes (every pathway)
    # say how many rules hold on it, so that a draft's overlap decides nothing
    graph = decision_graph(ruleset.compiled)
    plain = [(r, b) for r, region in enumerate(ruleset.compiled.rules) for b in region]
    candidates = [b for _, b in graph] + [b for _, b in plain]
    n_graph, n_decided = len(graph), len(graph) + len(plain)
    invalid = _invalid(ruleset)
    pieces: list[tuple[Box, str]] = []
    for piece, inside in partition(box, candidates + invalid, space.ordered, absorbing=n_decided):
        if any(i >= n_decided for i in inside):
            continue  # not a valid state
        chosen = [i for i in inside if i < n_graph]
        holding = {plain[i - n_graph][0] for i in inside if i >= n_graph}
        if chosen and len(holding) == 1:
            pieces.append((piece, model.rules[graph[chosen[0]][0]].pathway))
    if not pieces:
        raise _no_valid_completion(ruleset, state, box)
    names = list(model.inputs)
    examples: dict[str, Mapping[str, object]] = {}
    for piece, pathway in pieces:
        if pathway not in examples:
            example = space.example(piece)
            example.update({n: validators[n](state[n]) for n in names if n in state})
            examples[pathway] = MappingProxyType(example)
    pathways = frozenset(examples)
    questions = [
        _question(space.dimensions[i], i, pieces, space, validators[names[i]]) for i in missing
    ]
    questions.sort(key=lambda q: (q.worst, q.mean, names.index(q.field)))
    ordered = {p: examples[p] for p in model.pathways if p in examples}
    return PartialDecision(
        pathways,
        MappingProxyType(ordered),
        tuple(names[i] for i in missing),
        tuple(questions),
    )


def _invalid(ruleset: RuleSet) -> list[Box]:
    compiled = ruleset.compiled
    space = compiled.space
    out: list[Box] = []
    for region in compiled.constraints:
        out += complement(space.universe, region, space.ordered)
    return out


def _question(
    dim: Dimension, index: int, pieces: list[tuple[Box, str]], space: Any, validate: Any
) -> Question:
    per_cell: dict[int, set[str]] = {}
    for piece, pathway in pieces:
        for cell in bits(piece[index]):
            per_cell.setdefault(cell, set()).add(pathway)
    groups: list[tuple[int, frozenset[str]]] = []
    if dim.kind == "numeric":
        unknown = dim.unknown_cell if dim.allows_unknown else None
        for cell in sorted(per_cell):
            if cell == unknown:
                continue
            found = frozenset(per_cell[cell])
            if groups and groups[-1][1] == found and _adjacent(dim, per_cell, groups[-1][0], cell):
                groups[-1] = (groups[-1][0] | 1 << cell, found)
            else:
                groups.append((1 << cell, found))
        if unknown is not None and unknown in per_cell:
            groups.append((1 << unknown, frozenset(per_cell[unknown])))
    else:
        by_set: dict[frozenset[str], int] = {}
        for cell in sorted(per_cell):
            key = frozenset(per_cell[cell])
            by_set[key] = by_set.get(key, 0) | 1 << cell
        groups = [(mask, key) for key, mask in by_set.items()]
    answers = tuple(
        Answer(describe_cells(space, index, mask), found, dim, mask, validate)
        for mask, found in groups
    )
    sizes = [len(a.pathways) for a in answers]
    return Question(dim.name, answers, max(sizes), sum(sizes) / len(sizes))


def _adjacent(dim: Dimension, per_cell: Mapping[int, object], mask: int, cell: int) -> bool:
    """No valid completion's cell lies between the run ``mask`` and ``cell``."""
    last = mask.bit_length() - 1
    return not any(c in per_cell for c in range(last + 1, cell))


def _no_valid_completion(ruleset: RuleSet, state: Mapping[str, object], box: Box) -> StateError:
    model = ruleset.model
    for constraint, region in zip(model.constraints, ruleset.compiled.constraints, strict=True):
        if not any(all(a & b for a, b in zip(box, other, strict=True)) for other in region):
            return StateError(
                constraint.name,
                dict(state),
                constraint.title or f"the constraint '{constraint.name}' to hold",
                reason="no completion of the state satisfies this constraint",
            )
    return StateError(
        "<state>",
        dict(state),
        "a state some valid completion of which a rule decides",
        reason="no completion of the state is a valid, decided state",
    )


def partial_in_words(decision: PartialDecision) -> str:
    """A partial decision as plain text (what ``gistpath explain --partial`` prints)."""
    lines = []
    if decision.decided:
        lines.append(f"Decided: {decision.pathway}, whatever the missing inputs are.")
    else:
        lines.append(
            f"Not decided yet: {len(decision.pathways)} pathways remain: "
            + ", ".join(decision.examples)
        )
    if decision.missing:
        lines.append("Missing: " + ", ".join(decision.missing))
    if decision.questions and not decision.decided:
        lines.append("")
        lines.append("What would decide, most deciding first:")
        for question in decision.questions:
            lines.append(f"  - {question.field} (at most {question.worst} pathways left):")
            for answer in question.answers:
                lines.append(f"      {answer} -> {', '.join(sorted(answer.pathways))}")
    lines.append("")
    lines.append("An example completion for each pathway:")
    for pathway, example in decision.examples.items():
        shown = ", ".join(f"{k}={value_word(v)}" for k, v in example.items())
        lines.append(f"  - {pathway}: {shown}")
    lines.append("This is decision support for clinicians, not medical advice.")
    return "\n".join(lines)

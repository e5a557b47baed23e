"""Proofs of the properties a rule file declares: ``holds`` conditions and monotonicity.

Design: like the rest of :mod:`gistpath.verify`, every proof works on regions of cells,
never on sampled states.

* ``holds``: the rules define the *decision graph*: for each rule, its region with the
  ``pathway`` dimension narrowed to the rule's pathway. A line of a property (compiled by
  :mod:`gistpath.cells` over the inputs and the pathway; ``considerations include c`` is
  the region where ``c`` applies beside the pathway) fails exactly where a valid piece of
  that graph lies outside the line's region: :func:`gistpath.regions.partition` splits each
  rule's box against the line's boxes and the broken-constraint boxes, and any piece in
  neither is a counterexample. A property true only because a constraint rules the other
  states out is therefore true. A line ``a implies b`` whose ``a`` no valid decided state
  reaches, or a line that holds on every state whatever the decision, says nothing: a
  warning (``vacuous_property``), not an error.
* ``monotone: v in x``: the universe is split into valid pieces on which the table value
  ``v`` is constant; a piece has a rank in the declared order (values outside it, and
  states where no row matches, are exempt) and a set of cells of ``x``. Two pieces whose
  other dimensions meet, the higher-ranked one reaching a smaller ``x`` than the
  lower-ranked one reaches, give two valid states that differ only in ``x`` and where
  ``v`` falls as ``x`` grows: that is exactly a violation, and every violation is such a
  pair. ``unknown`` is not a number and is exempt too.

A finding's ``lines`` are the property's line, then (for ``holds``) the line of the condition
concerned, then the lines of the rules that fired; ``property_id`` names the property.

Limits: the monotonicity check compares pieces pairwise per pair of ranks (it stops at the
first violation of each property); the number of pieces follows the table's structure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from gistpath.cells import CompiledModel, FrozenRegion, Space
from gistpath.findings import StateRegion
from gistpath.model import Property
from gistpath.printer import print_expr, value_word
from gistpath.regions import Box, Region, contains, find_point, intersect, merge, partition


class _Verifier(Protocol):
    compiled: CompiledModel
    space: Space
    universe: Box
    ordered: tuple[bool, ...]
    invalid: Region

    def finding(self, kind: str, message: str, **kw: object) -> None: ...

    def region(self, boxes: Sequence[Box]) -> StateRegion: ...

    def example(self, box: Box) -> dict[str, object]: ...


def decision_graph(compiled: CompiledModel) -> list[tuple[int, Box]]:
    """(rule index, box) for every box of every rule, the pathway narrowed to the rule's."""
    space = compiled.space
    p = space.pathway_index
    cell_of = {pid: i for i, pid in enumerate(space.dimensions[p].values)}
    out = []
    for index, (rule, region) in enumerate(zip(compiled.model.rules, compiled.rules, strict=True)):
        bit = 1 << cell_of[rule.pathway]
        for box in region:
            out.append((index, (*box[:p], box[p] & bit, *box[p + 1 :])))
    return out


def prove_properties(verifier: _Verifier) -> None:
    """Add a finding to ``verifier`` for every property that fails or says nothing."""
    model = verifier.compiled.model
    if not model.properties:
        return
    graph = decision_graph(verifier.compiled)
    for prop in model.properties.values():
        if prop.kind == "holds":
            _holds(verifier, prop, graph)
        else:
            _monotone(verifier, prop)


# --------------------------------------------------------------------------- holds


def _holds(v: _Verifier, prop: Property, graph: list[tuple[int, Box]]) -> None:
    """Prove each condition of a ``holds`` property, ``graph`` being each rule's index with its
    box in the space of inputs and pathway. Every valid state of every rule's box must lie in
    the condition's region: a failure adds a ``property`` finding (an example, the rules that
    fired there, the lines, the merged failing region); a condition whose ``implies``
    never applies, or that holds whatever the rules decide, adds a ``vacuous_property``
    warning.
    """
    model = v.compiled.model
    lines = v.compiled.properties[prop.id]
    for condition, (region, antecedent) in zip(prop.conditions, lines, strict=True):
        failing: list[Box] = []
        fired: list[int] = []
        candidates = list(region) + list(v.invalid)
        for rule_index, box in graph:
            if any(contains(holding, box) for holding in region):
                continue  # the line holds all over this rule's box (the usual case)
            for piece, inside in partition(box, candidates, v.ordered, absorbing=len(region)):
                if not inside:
                    failing.append(piece)
                    if rule_index not in fired:
                        fired.append(rule_index)
        text = print_expr(condition)
        if failing:
            rules = [model.rules[i] for i in fired]
            first = failing[0]
            example = v.example(first)
            pathway = rules[0].pathway
            v.finding(
                "property",
                f"property '{prop.id}' ({prop.title}) fails: '{text}' does not hold for "
                f"this state, which rule '{rules[0].id}' sends to pathway '{pathway}'",
                examples=(example,),
                rules=tuple(r.id for r in rules),
                lines=(prop.line, condition.line, *(r.line for r in rules)),
                region=v.region(merge(failing)),
                property_id=prop.id,
            )
            continue
        if antecedent is not None:
            if not _reached(v, antecedent, graph):
                v.finding(
                    "vacuous_property",
                    f"property '{prop.id}' ({prop.title}) says nothing: no valid state "
                    f"gets a decision where '{print_expr(condition.left)}' "  # type: ignore[union-attr]
                    "holds, so 'implies' never applies",
                    lines=(prop.line, condition.line),
                    severity="warning",
                    property_id=prop.id,
                )
        elif _everywhere(v, region):
            v.finding(
                "vacuous_property",
                f"property '{prop.id}' ({prop.title}) says nothing: '{text}' holds for "
                "every state whatever the rules decide",
                lines=(prop.line, condition.line),
                severity="warning",
                property_id=prop.id,
            )


def _reached(v: _Verifier, region: FrozenRegion, graph: list[tuple[int, Box]]) -> bool:
    """Some valid state's decision lies in ``region``."""
    for _, box in graph:
        for other in region:
            both = intersect(box, other)
            if both is not None and find_point(both, v.invalid, v.ordered) is not None:
                return True
    return False


def _everywhere(v: _Verifier, region: FrozenRegion) -> bool:
    """``region`` holds the whole space (inputs and pathway), constraints aside."""
    return find_point(v.universe, list(region), v.ordered) is None


# --------------------------------------------------------------------------- monotone


def _monotone(v: _Verifier, prop: Property) -> None:
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

"""``holds`` properties: every valid decided state lies in each condition's region.

Design: each rule's box of the decision graph (:func:`gistpath.properties.decision_graph`)
is split by :func:`gistpath.regions.partition` against the condition's boxes and the
broken-constraint boxes; a piece in neither is a counterexample. A line
``a implies b`` whose ``a`` no valid decided state reaches, or a line that holds
whatever the decision, is reported as a ``vacuous_property`` warning.

Limits: a failure reports the merged failing region of each condition, with one example.
"""

from __future__ import annotations

from gistpath.cells import FrozenRegion
from gistpath.model import Property
from gistpath.printer import print_expr
from gistpath.properties.context import ProofContext
from gistpath.regions import Box, contains, find_point, intersect, merge, partition


def prove_holds(v: ProofContext, prop: Property, graph: list[tuple[int, Box]]) -> None:
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


def _reached(v: ProofContext, region: FrozenRegion, graph: list[tuple[int, Box]]) -> bool:
    """Some valid state's decision lies in ``region``."""
    for _, box in graph:
        for other in region:
            both = intersect(box, other)
            if both is not None and find_point(both, v.invalid, v.ordered) is not None:
                return True
    return False


def _everywhere(v: ProofContext, region: FrozenRegion) -> bool:
    """``region`` holds the whole space (inputs and pathway), constraints aside."""
    return find_point(v.universe, list(region), v.ordered) is None

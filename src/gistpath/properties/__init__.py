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

The package: :mod:`~gistpath.properties.context` (the verifier's view, the decision
graph), :mod:`~gistpath.properties.holds` and :mod:`~gistpath.properties.monotone` (one
module per kind of property).

Limits: the monotonicity check compares pieces pairwise per pair of ranks (it stops at the
first violation of each property); the number of pieces follows the table's structure.
"""

from __future__ import annotations

from gistpath.properties.context import ProofContext, decision_graph
from gistpath.properties.holds import prove_holds
from gistpath.properties.monotone import prove_monotone

__all__ = ["ProofContext", "decision_graph", "prove_properties"]


def prove_properties(verifier: ProofContext) -> None:
    """Add a finding to ``verifier`` for every property that fails or says nothing."""
    model = verifier.compiled.model
    if not model.properties:
        return
    graph = decision_graph(verifier.compiled)
    for prop in model.properties.values():
        if prop.kind == "holds":
            prove_holds(verifier, prop, graph)
        else:
            prove_monotone(verifier, prop)

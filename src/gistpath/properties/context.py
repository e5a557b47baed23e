"""What a property proof needs: the verifier's view (:class:`ProofContext`) and the
decision graph the rules define.

Design: the proofs of :mod:`gistpath.properties` run inside a verification; they read
the compiled model, the space, the universe and the broken-constraint boxes from the
verifier and add findings through it, so they are written against this protocol rather
than the verifier class (which imports them).

Limits: the graph holds one box per box of each rule's region; nothing is merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from gistpath.cells import CompiledModel, Space
from gistpath.findings import StateRegion
from gistpath.regions import Box, Region


class ProofContext(Protocol):
    """What a property proof reads from the verifier running it, and how it reports."""

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

"""What a DMN import gives: the rule file and the maps back to DMN's names and values.

Design: a :class:`Conversion` holds the model's :class:`~gistpath.dmn.values.Definitions`,
the rule file (as an :mod:`gistpath.ast` tree and as text), an :class:`InputMap` per input
data and a :class:`DecisionMap` per decision. With them, :meth:`Conversion.state` turns
input values keyed by DMN names into a gistpath state, and :meth:`Conversion.results`
turns a gistpath decision's values back into each DMN decision's result: one value, a dict
for several output columns, a list (or its aggregate) for a multiple-hit table. Built by
:func:`gistpath.dmn.importer.convert`; all frozen.

Limits: results are DMN values as Python reads them (``str``, ``int``, ``float``,
``bool``, ``None``); no FEEL context or date type is made.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from gistpath import ast
from gistpath.dmn.values import Definitions
from gistpath.errors import StateError

#: The hit policies that give one result (a gistpath table of the same policy).
SINGLE_HIT = ("UNIQUE", "ANY", "PRIORITY", "FIRST")

#: The roles a decision written by ``gistpath to-dmn`` has (its ``gistpath:role``): a
#: ``let``, a ``constraint`` (true where it holds), the ``pathway`` (the rules), the
#: ``considerations`` (a COLLECT table) and the list of broken ``constraints``.
ROLES = ("let", "constraint", "pathway", "considerations", "constraints")


@attrs.frozen
class MultipleHit:
    """A RULE ORDER, OUTPUT ORDER or COLLECT table as DMN wrote it, for the way back.

    Its rules are the ``lets`` of the rule file; what the lets cannot say is kept here, and
    :func:`gistpath.dmn.exporter.export` writes the table back from it.
    """

    outputs: tuple[tuple[str | None, str | None, str | None, str | None], ...]
    #: per output column: name, typeRef, outputValues text, default text
    rule_outputs: tuple[tuple[str, ...], ...]  # each rule's output entries as written
    annotations: tuple[str, ...]  # the annotation columns' names
    rule_annotations: tuple[tuple[str, ...], ...]


@attrs.frozen
class InputMap:
    """One DMN input data and the gistpath input it became."""

    dmn_name: str
    name: str
    kind: str  # "number", "integer", "string", "boolean"
    values: Mapping[str, str]  # string inputs: DMN text -> choice value
    other: str | None  # the choice value that stands for every text not listed
    unknown: bool = False  # null is allowed: gistpath's unknown


@attrs.frozen
class DecisionMap:
    """One DMN decision and what it became: a table, or one ``let`` per rule."""

    dmn_name: str
    name: str
    hit_policy: str
    aggregation: str | None
    components: tuple[str, ...]  # the output columns' names when there are several
    values: Mapping[str, tuple[object, ...]]  # single-hit: table value -> DMN outputs
    rule_lets: tuple[str, ...]  # multiple-hit: the let of each rule
    rule_outputs: tuple[tuple[object, ...], ...]  # multiple-hit: each rule's outputs
    rule_priority: tuple[tuple[int, ...], ...]  # OUTPUT ORDER: each rule's sort key
    default: tuple[object, ...] | None
    #: What the decision became where gistpath's extension says (see ROLES), else None.
    role: str | None = None
    #: Multiple-hit decisions: what the export writes back (see MultipleHit).
    multiple: MultipleHit | None = None

    @property
    def single_hit(self) -> bool:
        return self.hit_policy in SINGLE_HIT and self.role is None


@attrs.frozen
class Conversion:
    """A DMN model as a gistpath rule file, with the maps between the two."""

    definitions: Definitions
    tree: ast.RuleFile
    text: str
    inputs: Mapping[str, InputMap]  # by DMN name
    decisions: Mapping[str, DecisionMap]  # by DMN name

    def state(self, dmn_inputs: Mapping[str, object]) -> dict[str, object]:
        """A gistpath state from input values keyed by DMN input names.

        A text a string input does not list becomes ``other`` where the input has it, and is
        passed on unchanged otherwise (the rule set then refuses it with a StateError).
        """
        state: dict[str, object] = {}
        for dmn_name, value in dmn_inputs.items():
            found = self.inputs.get(dmn_name)
            if found is None:
                raise StateError(
                    str(dmn_name),
                    value,
                    "the name of an input data: " + ", ".join(repr(n) for n in self.inputs),
                    reason="the model has no input data of this name",
                )
            if found.kind == "string" and isinstance(value, str):
                mapped = found.values.get(value)
                if mapped is None and found.other is not None:
                    mapped = found.other
                state[found.name] = value if mapped is None else mapped
            else:
                state[found.name] = value
        return state

    def results(
        self,
        values: Mapping[str, object],
        pathway: str | None = None,
        considerations: tuple[str, ...] = (),
    ) -> dict[str, object]:
        """Every decision's DMN result from a gistpath decision's ``values``.

        A decision written by ``gistpath to-dmn`` gives its let's or constraint's truth,
        the ``pathway``, the list of ``considerations`` or (for the broken constraints of a
        valid state) the empty list.

        A single output is its value, several are a dict by output name; a multiple-hit
        table gives a list (COLLECT and RULE ORDER in rule order, OUTPUT ORDER by the
        output values' priority) or its SUM, MIN, MAX or COUNT; no match gives ``None``
        (the default output where the table has one).
        """
        out: dict[str, object] = {}
        for decision in self.decisions.values():
            if decision.role in ("let", "constraint"):
                out[decision.dmn_name] = values.get(decision.name)
                continue
            if decision.role == "pathway":
                out[decision.dmn_name] = pathway
                continue
            if decision.role == "considerations":
                out[decision.dmn_name] = list(considerations)
                continue
            if decision.role == "constraints":
                out[decision.dmn_name] = []
                continue
            if decision.single_hit:
                got = values.get(decision.name)
                outputs = decision.values[got] if isinstance(got, str) else decision.default
                out[decision.dmn_name] = _shape(decision, outputs)
                continue
            hits = [
                number for number, let in enumerate(decision.rule_lets) if values.get(let) is True
            ]
            if decision.hit_policy == "OUTPUT ORDER":
                hits.sort(key=lambda n: decision.rule_priority[n])
            items = [decision.rule_outputs[n] for n in hits]
            if not items and decision.default is not None:
                items = [decision.default]
            if decision.aggregation is None:
                out[decision.dmn_name] = [_shape(decision, item) for item in items]
                continue
            numbers = [item[0] for item in items]
            if decision.aggregation == "COUNT":
                out[decision.dmn_name] = len(numbers)
            elif not numbers:
                out[decision.dmn_name] = None
            elif decision.aggregation == "SUM":
                out[decision.dmn_name] = sum(numbers)  # type: ignore[arg-type]
            elif decision.aggregation == "MIN":
                out[decision.dmn_name] = min(numbers)  # type: ignore[type-var]
            else:
                out[decision.dmn_name] = max(numbers)  # type: ignore[type-var]
        return out


def _shape(decision: DecisionMap, outputs: tuple[object, ...] | None) -> object:
    """One result: ``None``, a dict by output name for several outputs, else the value."""
    if outputs is None:
        return None
    if len(decision.components) > 1:
        return dict(zip(decision.components, outputs, strict=True))
    return outputs[0]


__all__ = ["ROLES", "SINGLE_HIT", "Conversion", "DecisionMap", "InputMap", "MultipleHit"]

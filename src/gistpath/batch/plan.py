"""The batch plan: everything a rule set's batches read, built once per rule set.

Design: a :class:`BatchPlan` gathers, for one rule set, what every batch needs and no batch
changes: per input (:class:`InputPlan`) its compiled dimension, domain, validator and the
specs of the C loops (:mod:`gistpath.batch.specs`); the ids of the rules and pathways; the
class tables (:mod:`gistpath.batch.classes`) and the word tables
(:mod:`gistpath.batch.bitsets`). :func:`plan_for` builds it on a rule set's first batch and
keeps it beside the rule set (a weak mapping: the plan goes when the rule set goes), so
the rule set itself holds no cache of the batch path's.

The plan is immutable. The parts only some batches need are built on first use and then
kept (``functools.cached_property``: the class tables with considerations, the word
tables, the Arrow text specs), and so are the specs of numpy text columns, one per column
width (:meth:`BatchPlan.text_spec`). Two threads building the same part at once both build
the same value; one is kept.

Limits: one plan per rule set object (a pickled rule set builds its own in the process it
is unpickled in); the per-width text specs are kept for every width met.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from gistpath.batch import specs
from gistpath.batch.bitsets import WordTables
from gistpath.batch.classes import ClassTables
from gistpath.cells import Dimension
from gistpath.model import Domain, Input, NumericDomain
from gistpath.state import Validator
from gistpath.tables import PredicateTables

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet


@attrs.frozen(eq=False)
class InputPlan:
    """What the batch path needs of one input."""

    index: int  # the input's place among the inputs (and the dimensions)
    name: str
    dimension: Dimension
    domain: Domain
    validate: Validator  # the field's validator, as evaluate uses it
    fallback: int  # a valid cell, given to a refused row so that its row can still fold
    number: specs.NumberSpec | None  # numeric inputs whose numbers the C loops compare
    lookup: specs.LookupSpec | None  # choice and boolean inputs
    _text_specs: dict[int, specs.TextSpec | None] = attrs.field(factory=dict, init=False)

    @property
    def numeric(self) -> bool:
        """A number input (else a choice or a boolean)."""
        return self.dimension.kind == "numeric"

    @functools.cached_property
    def utf8(self) -> specs.Utf8Spec | None:
        """The spec of Arrow text columns (choice and boolean inputs)."""
        return None if self.lookup is None else specs.utf8_spec(self.lookup)

    def text_spec(self, width: int) -> specs.TextSpec | None:
        """The spec of numpy ``<U{width}`` columns (``None``: read by numpy instead)."""
        if width not in self._text_specs:
            self._text_specs[width] = specs.text_spec(self.dimension, width)
        return self._text_specs[width]

    def cell(self, value: object) -> int:
        """The cell of a value, through the validator (raises :class:`StateError`)."""
        return self.dimension.cell_of(self.validate(value))


@attrs.frozen(eq=False)
class BatchPlan:
    """Everything a rule set's batches read (see the module docstring)."""

    tables: PredicateTables = attrs.field(repr=False)
    declared: Mapping[str, Input]  # the rule set's inputs
    inputs: tuple[InputPlan, ...]
    by_name: Mapping[str, InputPlan]
    rule_ids: tuple[str, ...]
    pathway_ids: tuple[str, ...]
    rule_pathway: npt.NDArray[np.int64]  # per rule, its pathway's index in pathway_ids
    consideration_ids: tuple[str, ...]
    verified: bool  # proved: no valid state meets no rule, or two

    @classmethod
    def build(cls, rs: RuleSet) -> BatchPlan:
        """The plan of a rule set (the cheap parts now, the rest on first use)."""
        space = rs.compiled.space
        inputs = []
        for index, dim in enumerate(space.dimensions[:-1]):
            domain = rs.inputs[dim.name].domain
            inputs.append(
                InputPlan(
                    index=index,
                    name=dim.name,
                    dimension=dim,
                    domain=domain,
                    validate=rs.field_validator(dim.name),
                    fallback=next(c for c in range(dim.size) if dim.valid >> c & 1),
                    number=specs.number_spec(dim, domain)
                    if isinstance(domain, NumericDomain)
                    else None,
                    lookup=None if isinstance(domain, NumericDomain) else specs.lookup_spec(dim),
                )
            )
        pathway_ids = tuple(str(p) for p in space.dimensions[-1].values)
        rule_pathway = np.asarray(
            [pathway_ids.index(r.pathway) for r in rs.rules] or [0], dtype=np.int64
        )
        rule_pathway.flags.writeable = False
        return cls(
            tables=rs.tables,
            declared=rs.inputs,
            inputs=tuple(inputs),
            by_name=MappingProxyType({p.name: p for p in inputs}),
            rule_ids=tuple(r.id for r in rs.rules),
            pathway_ids=pathway_ids,
            rule_pathway=rule_pathway,
            consideration_ids=tuple(rs.considerations),
            verified=rs.verify().ok,
        )

    @functools.cached_property
    def classes(self) -> ClassTables | None:
        """The class tables for the pathway alone (``None``: too big; use the bit sets)."""
        return ClassTables.build(self.tables, self.rule_pathway.tolist())

    @functools.cached_property
    def classes_with_considerations(self) -> ClassTables | None:
        """The class tables that also tell the consideration boxes apart."""
        return ClassTables.build(self.tables, self.rule_pathway.tolist(), self.consideration_ids)

    @functools.cached_property
    def words(self) -> WordTables:
        """The predicate tables as words, for the bit-set fold."""
        return WordTables.build(self.tables, len(self.rule_ids), len(self.consideration_ids))

    def placeholder(self) -> dict[str, object]:
        """A valid value per input, used in place of rows whose shape is already an error."""
        return {p.name: p.dimension.representative(p.fallback) for p in self.inputs}


# The plans of the rule sets alive: a rule set is immutable, so its plan never goes stale.
_PLANS: weakref.WeakKeyDictionary[RuleSet, BatchPlan] = weakref.WeakKeyDictionary()


def plan_for(rs: RuleSet) -> BatchPlan:
    """The batch plan of a rule set: built on its first batch, then the same object."""
    plan = _PLANS.get(rs)
    if plan is None:
        plan = _PLANS.setdefault(rs, BatchPlan.build(rs))
    return plan

"""The checked meaning of a rule file: inputs with domains, derived values, rules, pathways.

Design: :mod:`gistpath.check` turns an :mod:`gistpath.ast` tree into one :class:`Model`
whose parts are small frozen values. Names are resolved (a citation holds its
:class:`Source`), ``when`` blocks and ``otherwise`` are flattened so that each
:class:`Rule` stands on its own, and domains say exactly which values a state may hold.
The public types here (:class:`Input`, :class:`Pathway`, :class:`Consideration`,
:class:`Source`, :class:`Citation`) are what :attr:`gistpath.RuleSet.inputs` and
:attr:`gistpath.RuleSet.pathways` hand out.

The package: :mod:`~gistpath.model.domains`, :mod:`~gistpath.model.documentation`
(sources, citations, pathways, considerations), :mod:`~gistpath.model.logic` (inputs,
derived values, tables, constraints, rules, properties, examples); :class:`Model` here
holds them all, and every type is imported from here.

Limits: conditions stay as AST expressions; :mod:`gistpath.cells` gives them their
cell-level meaning and :mod:`gistpath.interpreter` evaluates them directly.
"""

from __future__ import annotations

from types import MappingProxyType

import attrs

from gistpath import ast
from gistpath.model.documentation import (
    Citation,
    Consideration,
    Pathway,
    Source,
)
from gistpath.model.domains import (
    BooleanDomain,
    ChoiceDomain,
    Domain,
    Limit,
    NumericDomain,
)
from gistpath.model.logic import (
    Constraint,
    Example,
    Input,
    Let,
    Property,
    Rule,
    Table,
    TableRow,
)

__all__ = [
    "BooleanDomain",
    "ChoiceDomain",
    "Citation",
    "Consideration",
    "Constraint",
    "Domain",
    "Example",
    "Input",
    "Let",
    "Limit",
    "Model",
    "NumericDomain",
    "Pathway",
    "Property",
    "Rule",
    "Source",
    "Table",
    "TableRow",
]


@attrs.frozen(repr=False)
class Model(ast.Frozen):
    """Everything a rule file says, checked and resolved."""

    name: str
    title: str | None
    summary: str | None
    version: str | None
    filename: str
    text: str
    sources: MappingProxyType[str, Source]
    inputs: MappingProxyType[str, Input]
    lets: MappingProxyType[str, Let]
    tables: MappingProxyType[str, Table]
    derived_order: tuple[str, ...]
    constraints: tuple[Constraint, ...]
    pathways: MappingProxyType[str, Pathway]
    considerations: MappingProxyType[str, Consideration]
    rules: tuple[Rule, ...]
    examples: tuple[Example, ...]
    tree: ast.RuleFile
    properties: MappingProxyType[str, Property] = attrs.field(factory=lambda: MappingProxyType({}))
    note: str | None = None  # the ruleset's note, shown under its summary in the docs

"""The checked model's types (:mod:`gistpath.model` and its modules).

The package re-exports every type its modules define, so ``from gistpath.model import X``
is the one import path, and each is the very class its module holds. The parts of the
bundled GIST model that a rule set hands out (inputs, derived values, tables, pathways,
considerations, sources, properties, rules and constraints) pickle and load back equal,
their classes found again through the module each now lives in.

Not covered, because it does not hold: :class:`~gistpath.model.Model` and
:class:`~gistpath.model.Example` keep read-only mappings (``MappingProxyType``), which do not
pickle; a :class:`gistpath.RuleSet` pickles as its text instead (``test_ruleset.py``).
"""

from __future__ import annotations

import importlib
import pickle

import pytest

import gistpath
import gistpath.model
import gistpath.model.domains

MODULES = ("domains", "documentation", "logic")


@pytest.mark.parametrize("name", gistpath.model.__all__)
def test_every_model_type_is_imported_from_the_package_as_its_module_defines_it(
    name: str,
) -> None:
    exported = getattr(gistpath.model, name)
    if name == "Model":  # the package's own class
        assert exported.__module__ == "gistpath.model"
        return
    if name == "Domain":  # a union of the domains, which has no module of its own
        assert exported is gistpath.model.domains.Domain
        return
    module = importlib.import_module(exported.__module__)
    assert exported.__module__.rsplit(".", 1)[-1] in MODULES
    assert getattr(module, name) is exported


def test_what_a_rule_set_hands_out_pickles_and_loads_back_equal() -> None:
    model = gistpath.load_builtin("gist").model
    parts: list[object] = [*model.rules, *model.constraints]
    for mapping in (
        model.inputs,
        model.lets,
        model.tables,
        model.pathways,
        model.considerations,
        model.sources,
        model.properties,
    ):
        parts.extend(mapping.values())
    parts.extend(citation for pathway in model.pathways.values() for citation in pathway.citations)
    parts.extend(item.domain for item in model.inputs.values())
    kinds = {type(part).__name__ for part in parts}
    assert {"Input", "Pathway", "Source", "Citation", "Rule", "NumericDomain"} <= kinds
    for part in parts:
        again = pickle.loads(pickle.dumps(part))
        assert again == part
        assert type(again) is type(part)

"""DMN decision models in and out: import (1.1-1.5), hit-policy-aware proof, export (1.4).

    >>> from gistpath import dmn
    >>> rs = dmn.load("model.dmn", draft=True)          # doctest: +SKIP
    >>> rs.verify().format()                            # doctest: +SKIP
    >>> model = dmn.read_model("model.dmn", draft=True) # doctest: +SKIP
    >>> model.evaluate({"Age": 18, "RiskCategory": "Medium"})  # doctest: +SKIP
    {'Approval Status': 'Approved'}

One module per job: :mod:`~gistpath.dmn.reader` reads the XML (line numbers kept, nothing
outside the file read), :mod:`~gistpath.dmn.feel` reads S-FEEL entries,
:mod:`~gistpath.dmn.importer` turns the model into a gistpath rule file, with
:mod:`~gistpath.dmn.names` for the names, :mod:`~gistpath.dmn.entries` for each entry's
cell or condition, :mod:`~gistpath.dmn.sources` for knowledge sources and citations,
:mod:`~gistpath.dmn.roles` for the decisions ``gistpath to-dmn`` marks as lets,
constraints, rules and considerations, and :mod:`~gistpath.dmn.conversion` for the maps
back to DMN results. :mod:`~gistpath.dmn.exporter` writes a whole rule set as DMN 1.4,
with :mod:`~gistpath.dmn.rows` for a condition as table rows. The proof is the rule set's
own :meth:`~gistpath.RuleSet.verify`, whose tables follow their hit policies
(:mod:`gistpath.hits`).

Limits: see :mod:`gistpath.dmn.importer`; everything not imported raises :class:`DmnError`
with the element's id and line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from gistpath.dmn.conversion import Conversion
from gistpath.dmn.importer import convert, gistpath_name
from gistpath.dmn.reader import Definitions, DmnError, read, read_bytes

if TYPE_CHECKING:
    from gistpath import RuleSet


@attrs.frozen
class DmnModel:
    """A DMN model loaded as a rule set, answering in DMN's own names and values."""

    conversion: Conversion
    ruleset: RuleSet

    def evaluate(self, inputs: Mapping[str, object]) -> dict[str, object]:
        """Every decision's result for input values keyed by DMN input names.

        Results are keyed by DMN decision names: a text, number or boolean; a dict for a
        table with several outputs; a list for RULE ORDER, OUTPUT ORDER and COLLECT; a
        number for an aggregation; ``None`` where no rule matches and there is no default.
        A model written by ``gistpath to-dmn`` also gives each let and constraint (a
        boolean), the ``pathway``, the list of ``considerations`` and the (empty) list of
        ``broken constraints``.
        """
        decision = self.ruleset.evaluate(self.conversion.state(inputs))
        return self.conversion.results(
            decision.values, decision.pathway, tuple(decision.considerations)
        )


def _ruleset(conversion: Conversion, draft: bool) -> RuleSet:
    # Deferred: the loader's pipeline loads only when a rule set is built.
    from gistpath.loader import loads

    return loads(conversion.text, conversion.definitions.filename, draft=draft)


def to_rules(path: str | os.PathLike[str]) -> str:
    """The rule file ``gistpath from-dmn`` prints for the DMN model at ``path``."""
    return convert(read(path)).text


def read_model(path: str | os.PathLike[str], *, draft: bool = False) -> DmnModel:
    """The DMN model at ``path`` as a :class:`DmnModel` (see :func:`load` for ``draft``)."""
    conversion = convert(read(path))
    return DmnModel(conversion, _ruleset(conversion, draft))


def load(path: str | os.PathLike[str], *, draft: bool = False) -> RuleSet:
    """A :class:`gistpath.RuleSet` from a DMN 1.1-1.5 model.

    Each single-hit decision table becomes a table of the same hit policy; the rule set is
    verified as :func:`gistpath.load` verifies a rule file, and with ``draft=False`` a model
    with gaps, overlaps that break its hit policy, masked or dead rules is refused with a
    :class:`gistpath.VerificationError`; ``draft=True`` loads it with a warning.
    """
    return _ruleset(convert(read(path)), draft)


def loads(data: bytes | str, name: str = "<dmn>", *, draft: bool = False) -> RuleSet:
    """:func:`load` for the XML text (or bytes) of a model; ``name`` is used in messages."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _ruleset(convert(read_bytes(raw, name)), draft)


def export(ruleset: RuleSet | DmnModel) -> str:
    """The whole decision of ``ruleset`` as DMN 1.4 XML (what ``gistpath to-dmn`` prints).

    A :class:`DmnModel` (:func:`read_model`) is exported with its RULE ORDER, OUTPUT ORDER
    and COLLECT tables written back as such; a rule set alone has only their rules' lets.
    """
    # Deferred: the exporter loads only when a rule set is exported.
    from gistpath.dmn.exporter import export as _export

    if isinstance(ruleset, DmnModel):
        return _export(ruleset.ruleset, ruleset.conversion)
    return _export(ruleset)


__all__ = [
    "Conversion",
    "Definitions",
    "DmnError",
    "DmnModel",
    "convert",
    "export",
    "gistpath_name",
    "load",
    "loads",
    "read",
    "read_bytes",
    "read_model",
    "to_rules",
]

"""Names and values in words: what :class:`~gistpath.words.Phrasing` builds phrases from.

Design: :class:`Naming` reads one checked model: an input, derived value or table by its
declared title (the bare name, humanized, only where none is declared), a choice value by
the meaning the input's summary gives it, a unit by its usual spelling, a quantity with
its unit unless the title already names it. ``link`` and ``escape`` let the documentation
turn names into reST links; both are the identity by default.

Limits: English only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from gistpath import ast
from gistpath.model import ChoiceDomain, Model, NumericDomain
from gistpath.words.vocabulary import humanize, unit_words, value_summaries


def _number(quantity: ast.Quantity) -> str:
    """A quantity's number as the file wrote it."""
    return quantity.text


@attrs.frozen
class Naming:
    """Names and values of one model in words: titles, value meanings, units, quantities.

    ``link(kind, name, text)`` may wrap a title in markup (``kind`` is ``input``, ``value``
    or ``pathway``); ``escape`` is applied to every piece of plain text first. Both are the
    identity by default, which gives plain text.
    """

    model: Model
    link: Callable[[str, str, str], str] = lambda kind, name, text: text
    escape: Callable[[str], str] = lambda text: text

    def title(self, name: str) -> str:
        """The title of an input, derived value or table (its name where it has none)."""
        model = self.model
        title: str | None = None
        if name in model.inputs:
            title = model.inputs[name].title
        elif name in model.lets:
            title = model.lets[name].title
        elif name in model.tables:
            title = model.tables[name].title
        return title or humanize(name)

    def name(self, name: str) -> str:
        """A name as its (linked) title."""
        if name in self.model.inputs:
            kind = "input"
        elif name in self.model.lets or name in self.model.tables:
            kind = "value"
        else:
            return self.escape(humanize(name))
        return self.link(kind, name, self.escape(self.title(name)))

    def value_word(self, subject: str, value: str) -> str:
        """One value of ``subject`` in words (its meaning where the input declares one)."""
        item = self.model.inputs.get(subject)
        if item is not None:
            meaning = value_summaries(item).get(value)
            if meaning:
                meaning = re.sub(r"\s*\(([^()]*)\)", r": \1", meaning)
                return f"{humanize(value)} ({meaning})"
        return humanize(value)

    def value(self, subject: str, value: ast.Value) -> str:
        if subject == "pathway" and isinstance(value, ast.Symbol):
            pathway = self.model.pathways.get(value.name)
            if pathway is not None:
                return self.link("pathway", value.name, self.escape(pathway.title))
        if isinstance(value, ast.BoolLiteral):
            return "yes" if value.value else "no"
        if isinstance(value, ast.Unknown):
            return "unknown"
        return self.escape(self.value_word(subject, value.name))

    def all_values(self, subject: str) -> tuple[str, ...] | None:
        """Every value ``subject`` can take, where they are a finite list of names."""
        model = self.model
        if subject in model.inputs:
            domain = model.inputs[subject].domain
            if isinstance(domain, ChoiceDomain):
                return tuple(domain.values) + (("unknown",) if domain.allows_unknown else ())
            return None
        if subject in model.tables:
            return tuple(model.tables[subject].values)
        if subject == "pathway":
            return tuple(model.pathways)
        return None

    def unit(self, name: str) -> str:
        item = self.model.inputs.get(name)
        if item is not None and isinstance(item.domain, NumericDomain):
            return unit_words(item.domain.unit)
        return ""

    def quantity(self, name: str, quantity: ast.Quantity) -> str:
        unit = unit_words(quantity.unit) if quantity.unit else self.unit(name)
        text = _number(quantity)
        if not unit or unit in self.title(name):  # "Mitoses per 5 mm²: at most 5"
            return text
        return f"{text}{unit}" if unit == "%" else f"{text} {unit}"

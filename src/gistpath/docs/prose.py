"""Conditions of a rule set written in words, as reStructuredText for its page.

Design: :class:`Words` reads the checked expressions of :mod:`gistpath.model` (a rule's
``when`` guards included) and writes each as a phrase in reST inline markup, names linked to
where they are declared on the page, so nothing is written by hand and a new pathway or rule
reads well as soon as the file has it.

Limits: the phrases are English.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from gistpath import ast
from gistpath.decision import anchor
from gistpath.docs.markup import escape, link, literal
from gistpath.model import Model, Rule
from gistpath.words import Phrasing

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet


@attrs.frozen
class Words:
    """Writes the expressions of one model in words (reST inline markup).

    The phrasing is :class:`gistpath.words.Phrasing` (titles, value meanings, no double
    negatives), the same as :meth:`gistpath.Decision.explain` uses; here every title is a
    link to where the name is declared on the page (through the Sphinx domain's roles when
    ``roles``), and plain text is escaped for reST.
    """

    model: Model
    roles: bool = False  # link names through the Sphinx domain's roles

    @property
    def phrasing(self) -> Phrasing:
        return Phrasing(self.model, link=self._link, escape=escape)

    def _link(self, kind: str, name: str, text: str) -> str:
        # ``text`` comes escaped for running text; inside a link or role it is taken as is.
        plain = text.replace("\\", "")
        if self.roles and kind in ("input", "value") and not re.search(r"[<>`]", plain):
            return f":gistpath:{kind}:`{plain} <{self.model.name}.{name}>`"
        return link(plain, anchor(kind, name))

    def name(self, name: str) -> str:
        """A name as its title, linked to where it is declared on the page."""
        if name == "pathway":
            return "the pathway"
        if name in self.model.inputs or name in self.model.lets or name in self.model.tables:
            return self.phrasing.name(name)
        return literal(name)

    def describe(self, node: ast.Expr, negated: bool = False) -> str:
        """One condition as a phrase; ``negated`` says it does *not* hold."""
        return self.phrasing.describe(node, negated)

    def clauses(self, node: ast.Expr) -> list[str]:
        """A condition as a list of phrases that must all hold."""
        return self.phrasing.clauses(node)

    def rule_clauses(self, rule: Rule) -> list[str]:
        """A rule's conditions with its blocks', each test of a choice said once."""
        return self.phrasing.rule_clauses(rule.guards, rule.own, rule.excluded)


def describe(expr: ast.Expr, ruleset: RuleSet) -> str:
    """A condition of ``ruleset`` in words, as reStructuredText inline text."""
    return Words(ruleset.model).describe(expr)

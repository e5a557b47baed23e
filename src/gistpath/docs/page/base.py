"""What every section of a rule set's page shares: the page's options, its model, the
numbers of its sources, its words, and how an anchor, a code block and a "uses" line are
written.

Design: :class:`PageBase` holds the options of :func:`gistpath.docs.render_rst`; the parts of
the page (:mod:`~gistpath.docs.page.tables`, :mod:`~gistpath.docs.page.pathways`,
:mod:`~gistpath.docs.page.examples`) extend it, and :class:`gistpath.docs.page._Page` joins
them. Anchors are Sphinx domain directives with ``for_sphinx``, plain reST targets without.

Limits: see :mod:`gistpath.docs.page`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from gistpath.decision import anchor
from gistpath.docs.markup import escape, indent
from gistpath.docs.prose import Words
from gistpath.docs.references import Uses
from gistpath.model import Model

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet


@attrs.frozen
class PageBase:
    """The options and shared pieces of one rule set's page."""

    ruleset: RuleSet
    for_sphinx: bool
    diagram: bool
    clinical: bool
    index: bool

    @property
    def model(self) -> Model:
        return self.ruleset.model

    @property
    def numbers(self) -> dict[str, int]:
        """The number of each source in the list at the end of the page."""
        return {name: n for n, name in enumerate(self.model.sources, start=1)}

    @property
    def words(self) -> Words:
        return Words(self.model, roles=self.for_sphinx and self.index)

    def target(self, kind: str, ident: str, title: str) -> list[str]:
        if not self.for_sphinx:
            return [f".. _{anchor(kind, ident)}:", ""]
        lines = [
            f".. gistpath:{kind}:: {ident}",
            f"   :ruleset: {self.model.name}",
            f"   :title: {escape(title)}",
        ]
        if not self.index:
            lines.append("   :no-index:")
        return [*lines, ""]

    def code(self, text: str) -> list[str]:
        head = ".. code-block:: gistpath" if self.for_sphinx else "::"
        return [head, "", *indent(text.splitlines()), ""]

    def uses(self, name: str) -> list[str]:
        uses = Uses(self.model)
        lines = []
        used, by = uses.uses(name), uses.used_by(name)
        if used:
            lines.append(":Uses: " + ", ".join(used))
        if by:
            lines.append(":Used by: " + ", ".join(by))
        return [*lines, ""] if lines else []

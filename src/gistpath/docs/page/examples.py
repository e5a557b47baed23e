"""The examples of a rule set's page: each example as an anchored vignette, the values
given in words and the pathway and considerations it must get.

Design: a mixin of :class:`~gistpath.docs.page.base.PageBase`.

Limits: see :mod:`gistpath.docs.page`.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.decision import anchor
from gistpath.docs.markup import escape, heading, link
from gistpath.docs.page.base import PageBase
from gistpath.words import humanize


class ExamplesPart(PageBase):
    """The examples section of a page."""

    __slots__ = ()

    def anchor_here(self, ident: str) -> list[str]:
        """An anchor with exactly this id before the next paragraph."""
        if not self.for_sphinx:
            return [f".. _{ident}:", ""]
        return [".. raw:: html", "", f'   <span id="{ident}"></span>', ""]

    def given_words(self, name: str, literal_value: ast.Literal) -> str:
        """One value of a vignette in words: the input's title and the value."""
        words = self.words.phrasing
        if isinstance(literal_value, ast.Quantity):
            shown = words.quantity(name, literal_value)
        elif isinstance(literal_value, ast.BoolLiteral):
            shown = "yes" if literal_value.value else "no"
        elif isinstance(literal_value, ast.Unknown):
            shown = "unknown"
        else:
            shown = humanize(literal_value.name)
        return f"{escape(words.title(name))}: {escape(shown)}"

    def examples(self) -> list[str]:
        model = self.model
        lines = heading("Examples", 1)
        lines += [
            "The examples written in the rule file, each a short case: what is known about "
            "the patient and the decision the rules give. Verification checks that each "
            "gets the decision shown.",
            "",
        ]
        declared = {d.name: d for d in model.tree.declarations if isinstance(d, ast.ExampleDecl)}
        for example in model.examples:
            decl = declared.get(example.name)
            given = [
                self.given_words(a.name, a.value)
                for a in (decl.assignments if decl is not None else ())
                if a.name in model.inputs
            ]
            pathway = model.pathways[example.pathway]
            outcome = link(pathway.title, anchor("pathway", example.pathway))
            if example.considerations:
                outcome += ", with " + ", ".join(
                    link(model.considerations[c].title, anchor("consideration", c))
                    for c in example.considerations
                    if c in model.considerations
                )
            lines += self.anchor_here(anchor("example", example.name))
            head = f"**{escape(example.name)}** (line {example.line})"
            if decl is not None and decl.like:
                like = link(decl.like, anchor("example", decl.like))
                case = f"As {like}, but: " + "; ".join(given) if given else f"As {like}."
            else:
                case = "; ".join(given)
            lines += [f"{head}. {case}. **Decision:** {outcome}.".replace("..", "."), ""]
        return lines

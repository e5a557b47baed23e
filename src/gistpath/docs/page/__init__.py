"""A loaded rule set rendered as one reStructuredText page: the documentation people read.

Design: :func:`render_rst` is a pure function from a :class:`gistpath.RuleSet` to reST text;
it imports nothing from Sphinx, so the same text can be fed to plain docutils or, through
:mod:`gistpath.sphinxext`, to Sphinx. The page has, in order: an overview (title, summary,
counts, what verification proved, and a "decision support, not medical advice" notice when
the file reads as clinical), a diagram of the decision logic, the inputs, the constraints
on valid states, the derived values (decision tables as real tables, annotation columns
such as the AFIP ``progressed`` percentages included), one section per pathway and per
consideration, the examples and the sources.

Every condition is written in words by :mod:`gistpath.docs.prose`, the diagram is drawn by
:mod:`gistpath.docs.diagram`, a table its source publishes as a grid is recognised by
:mod:`gistpath.docs.grid`, and the citations, source list and "uses"/"used by" links come
from :mod:`gistpath.docs.references`, so nothing is written by hand and a new pathway or rule
appears as soon as the file has it. Citations are resolved to the full source (publisher,
authors, title, section, date, link).

Each pathway and consideration section has the anchor :func:`gistpath.decision.anchor` gives,
so :attr:`gistpath.Decision.anchor` links straight to it; inputs and derived values have
anchors too (``input-<name>``, ``value-<name>``), and names in conditions link to them. With
``for_sphinx=True`` the anchors are directives of the ``gistpath`` Sphinx domain
(``gistpath:pathway``, ``gistpath:consideration``, ``gistpath:input``, ``gistpath:value``),
which set the id exactly and register the object for cross-references; otherwise they are
plain reST targets (``.. _pathway-x:``), whose ids docutils normalises (lower case, runs of
``-`` joined), so in plain docutils an id with capitals or ``__`` differs from the anchor.

The package: :mod:`~gistpath.docs.page.base` (what every section shares),
:mod:`~gistpath.docs.page.tables`, :mod:`~gistpath.docs.page.pathways`,
:mod:`~gistpath.docs.page.examples`; the page's frame (overview, diagram, inputs,
constraints, sources) is here.

Limits: the output is English. Raw HTML (the diagram) is dropped by non-HTML writers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gistpath.decision import anchor
from gistpath.docs.diagram import render_svg
from gistpath.docs.markup import escape, heading, indent, link, list_table, literal, para, plural
from gistpath.docs.page.examples import ExamplesPart
from gistpath.docs.page.pathways import PathwaysPart
from gistpath.docs.page.tables import TablesPart
from gistpath.docs.references import Uses, source_text
from gistpath.explain import is_clinical
from gistpath.model import BooleanDomain, ChoiceDomain, NumericDomain
from gistpath.words import unit_words

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet

__all__ = ["DISCLAIMER", "render_rst"]

#: The notice shown on the documentation of a clinical rule set.
DISCLAIMER = (
    "These rules are decision support for clinicians, not medical advice. They restate "
    "the sources they cite and do not replace the judgement of the clinicians who know the "
    "patient."
)


def _domain_text(domain: object) -> str:
    if isinstance(domain, ChoiceDomain):
        text = "one of " + ", ".join(f"*{escape(v)}*" for v in domain.values)
    elif isinstance(domain, BooleanDomain):
        text = "yes or no"
    elif isinstance(domain, NumericDomain):
        text = "an integer" if domain.integer else "a number"
        bounds = domain.describe_range()
        if bounds:
            text += " " + escape(bounds.replace(">=", "\u2265").replace("<=", "\u2264"))
    else:  # pragma: no cover - the three domains are all there are
        raise TypeError(domain)
    if getattr(domain, "allows_unknown", False):
        text += ", or *unknown*"
    return text


class _Page(TablesPart, PathwaysPart, ExamplesPart):
    """One rule set's page: its frame, and the parts it joins."""

    __slots__ = ()

    def render(self) -> str:
        model = self.model
        title = model.title or f"Rule set {model.name}"
        # Under Sphinx the ruleset directive places its own anchor before this text.
        lines = [] if self.for_sphinx else [f".. _{anchor('ruleset', model.name)}:", ""]
        lines += heading(title, 0)
        lines += self.overview()
        if self.diagram:
            lines += self.diagram_section()
        lines += self.inputs()
        if model.constraints:
            lines += self.constraints()
        if model.derived_order:
            lines += self.derived()
        lines += self.pathways()
        if model.considerations:
            lines += self.considerations()
        if model.properties:
            lines += self.guarantees()
        if model.examples:
            lines += self.examples()
        if model.sources:
            lines += self.sources()
        return "\n".join(lines).rstrip() + "\n"

    def overview(self) -> list[str]:
        """The page's opening: the disclaimer (clinical rule sets), summary and note, the rule
        set's name, version and contents, what it decides, the verification's verdict (or its
        errors), and the pathways at a glance with the rules that choose each.
        """
        model = self.model
        lines: list[str] = []
        if self.clinical:
            lines += [
                ".. admonition:: Decision support, not medical advice",
                "",
                f"   {para(DISCLAIMER)}",
                "",
            ]
        if model.summary:
            lines += [para(model.summary), ""]
        if model.note:
            lines += [".. note::", "", f"   {para(model.note)}", ""]
        tables = len(model.tables)
        derived = len(model.derived_order)
        counts = [
            plural(len(model.inputs), "input"),
            plural(derived, "derived value")
            + (f" ({plural(tables, 'decision table')})" if tables else ""),
            plural(len(model.constraints), "constraint") + " on valid states",
            plural(len(model.rules), "rule"),
            plural(len(model.pathways), "pathway"),
            plural(len(model.considerations), "consideration"),
            plural(len(model.examples), "example"),
        ]
        filename = model.filename.replace("\\", "/").rsplit("/", 1)[-1]
        lines += [f":Rule set: {literal(model.name)}, from {escape(filename)}"]
        if model.version:
            lines += [f":Version: {para(model.version)}"]
        lines += [f":Contents: {', '.join(counts)}", ""]
        lines += [
            f"It decides, for each valid state of the {len(model.inputs)} inputs below, "
            f"exactly one of {len(model.pathways)} pathways"
            + (", and which considerations to add beside it." if model.considerations else "."),
            "",
        ]
        report = self.ruleset.verify()
        if report.ok:
            lines += [
                "Verified exactly (not by sampling): every valid state gets exactly one "
                "pathway, every rule and table row can apply, "
                + ("every guarantee listed below holds, " if model.properties else "")
                + "and every example gets the "
                f"decision it expects (checked over {report.pieces} regions of the "
                "state space).",
                "",
            ]
        else:
            lines += [
                ".. warning::",
                "",
                "   This rule set did not pass verification "
                f"({plural(len(report.errors), 'finding')}):",
                "",
            ]
            lines += [f"   - {para(f.message)}" for f in report.errors]
            lines += [""]
        lines += [".. rubric:: Pathways at a glance", ""]
        rows = []
        for pid, pathway in model.pathways.items():
            count = sum(1 for r in model.rules if r.pathway == pid)
            rows.append(
                [
                    link(pathway.title, anchor("pathway", pid)),
                    literal(pid),
                    plural(count, "rule"),
                ]
            )
        lines += list_table(["Pathway", "Id", "Chosen by"], rows)
        return lines

    def diagram_section(self) -> list[str]:
        lines = heading("Decision diagram", 1)
        lines += [
            "The rules as a tree, read from left to right: each ``when`` block holds the "
            "rules under it, and each rule leads to the pathway in the last column (a link "
            "to its section). Hover over a box for its full text.",
            "",
            ".. raw:: html",
            "",
        ]
        svg = render_svg(self.ruleset)
        lines += indent(
            [
                '<div class="gistpath-diagram" style="overflow-x: auto; margin: 1em 0;">',
                *svg.splitlines(),
                "</div>",
            ]
        )
        return [*lines, ""]

    def inputs(self) -> list[str]:
        lines = heading("Inputs", 1)
        lines += [
            "A state gives a value to each of these fields; anything else is refused.",
            "",
        ]
        rows = []
        uses = Uses(self.model)
        for item in self.model.inputs.values():
            meaning = para(item.title or "")
            if item.summary:
                meaning = (meaning + "\n\n" if meaning else "") + para(item.summary)
            unit = unit_words(getattr(item.domain, "unit", None))
            rows.append(
                [
                    "\n".join(
                        [
                            *self.target("input", item.name, item.title or item.name),
                            literal(item.name),
                        ]
                    ),
                    meaning,
                    _domain_text(item.domain) + (f" ({escape(unit)})" if unit else ""),
                    ", ".join(uses.used_by(item.name)),
                ]
            )
        lines += list_table(["Input", "Meaning", "Allowed values", "Used by"], rows)
        return lines

    def constraints(self) -> list[str]:
        lines = heading("Valid states", 1)
        lines += ["A state must also satisfy each of these constraints:", ""]
        for constraint in self.model.constraints:
            head = escape(constraint.title) if constraint.title else literal(constraint.name)
            lines += [
                f"- **{head}** ({literal(constraint.name)}, line {constraint.line}): "
                + self.words.describe(constraint.condition),
            ]
        return [*lines, ""]

    def sources(self) -> list[str]:
        lines = heading("Sources", 1)
        lines += ["Numbered as the citations above refer to them.", ""]
        uses = Uses(self.model)
        for number, source in enumerate(self.model.sources.values(), start=1):
            lines += self.target("source", source.name, source.title)
            lines += [f"**[{number}]** {source_text(source)}", ""]
            if source.note:
                lines += [f"   {para(source.note)}", ""]
            cited = uses.cited_by(source.name)
            if cited:
                lines += ["   Cited by: " + ", ".join(cited), ""]
        return [*lines, ""]


def render_rst(
    ruleset: RuleSet,
    *,
    for_sphinx: bool = False,
    diagram: bool = True,
    clinical: bool | None = None,
    index: bool = True,
) -> str:
    """The documentation of ``ruleset`` as reStructuredText.

    ``for_sphinx`` writes the anchors as directives of the ``gistpath`` Sphinx domain (see
    :mod:`gistpath.sphinxext`) and the rule text as ``code-block`` directives; otherwise
    the text is plain reST. ``clinical`` adds the notice that the rules are decision
    support, not medical advice; by default it is added when the rule set is marked for
    clinicians (``audience "clinicians"``, :func:`gistpath.explain.is_clinical`).
    ``index=False`` keeps the pathways out of the Sphinx domain's index (for a second
    version of the same rule set in one project).
    """
    page = _Page(
        ruleset,
        for_sphinx=for_sphinx,
        diagram=diagram,
        clinical=is_clinical(ruleset.model) if clinical is None else clinical,
        index=index,
    )
    return page.render()

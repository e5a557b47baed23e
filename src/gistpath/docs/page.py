"""A loaded rule set rendered as one reStructuredText page: the documentation people read.

Design: :func:`render_rst` is a pure function from a :class:`gistpath.RuleSet` to reST text;
it imports nothing from Sphinx, so the same text can be fed to plain docutils or, through
:mod:`gistpath.sphinxext`, to Sphinx. The page has, in order: an overview (title, summary,
counts, what verification proved, and a "decision support, not medical advice" notice when
the file reads as clinical), a diagram of the decision logic, the inputs, the constraints
on valid states, the derived values (decision tables as real tables, annotation columns
such as the AFIP ``progressed`` percentages included), one section per pathway and per
consideration, the examples and the sources.

Every condition is written in words by :mod:`gistpath.docs.prose`, and the diagram is drawn
by :mod:`gistpath.docs.diagram`, so nothing is written by hand and a new pathway or rule
appears as soon as the file has it. Citations are resolved to the full source (publisher,
authors, title, section, date, link).

Each pathway and consideration section has the anchor :func:`gistpath.ruleset.anchor` gives,
so :attr:`gistpath.Decision.anchor` links straight to it; inputs and derived values have
anchors too (``input-<name>``, ``value-<name>``), and names in conditions link to them. With
``for_sphinx=True`` the anchors are directives of the ``gistpath`` Sphinx domain
(``gistpath:pathway``, ``gistpath:consideration``, ``gistpath:input``, ``gistpath:value``),
which set the id exactly and register the object for cross-references; otherwise they are
plain reST targets (``.. _pathway-x:``), whose ids docutils normalises (lower case, runs of
``-`` joined), so in plain docutils an id with capitals or ``__`` differs from the anchor.

Limits: the output is English. Raw HTML (the diagram) is dropped by non-HTML writers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from gistpath import ast
from gistpath.docs.diagram import render_svg
from gistpath.docs.markup import (
    escape,
    heading,
    indent,
    link,
    list_table,
    literal,
    para,
    plural,
)
from gistpath.docs.prose import Words
from gistpath.explain import is_clinical
from gistpath.model import (
    BooleanDomain,
    ChoiceDomain,
    Citation,
    Model,
    NumericDomain,
    Rule,
    Source,
    Table,
)
from gistpath.printer import print_cell, print_expr, print_literal, print_value
from gistpath.ruleset import anchor

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet

__all__ = ["DISCLAIMER", "render_rst"]

#: The notice shown on the documentation of a clinical rule set.
DISCLAIMER = (
    "These rules are decision support for clinicians, not medical advice. They restate "
    "the sources they cite and do not replace the judgement of the clinicians who know the "
    "patient."
)

_HIT_WORDS = {
    "unique": "exactly one row applies to each valid state",
    "first": "the first row that matches applies",
    "any": "rows may overlap only where they give the same value",
    "priority": "of the rows that match, the one whose value comes first in the values applies",
}
_URL = re.compile(r"https?://[^\s<>`]+")


def _source_text(source: Source, section: str | None = None) -> str:
    """Publisher: Authors. Title, section "x" (date). Link."""
    text = source.title
    if source.authors:
        text = f"{source.authors.rstrip('.')}. {text}"
    if source.publisher:
        text = f"{source.publisher}: {text}"
    if section:
        text += f", section \u201c{section}\u201d"
    text = escape(text)
    if source.date:
        text += f" ({escape(source.date)})"
    if source.url and _URL.fullmatch(source.url):
        text += f". `{source.url} <{source.url}>`__"
    return text


def _citations(citations: Sequence[Citation]) -> list[str]:
    lines = [".. rubric:: Sources", ""]
    lines += [f"- {_source_text(c.source, c.section)}" for c in citations]
    return [*lines, ""]


def _values_text(table: Table) -> str:
    """``*low* < *high*, *unknown*``: a table's values, its order shown with '<'."""
    order = " < ".join(f"*{escape(v)}*" for v in table.order)
    rest = [f"*{escape(v)}*" for v in table.values if v not in table.order]
    return ", ".join(([order] if order else []) + rest)


def _cell_text(cell: ast.Cell) -> str:
    """A condition cell of a decision table, as a reader would say it."""
    if isinstance(cell, ast.AnyCell):
        return "any"
    if isinstance(cell, ast.ValuesCell):
        names = [f"*{escape(print_value(v))}*" for v in cell.values]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        return f"not {listed}" if cell.negated else listed
    return para(print_cell(cell))


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


@attrs.frozen
class _Page:
    ruleset: RuleSet
    for_sphinx: bool
    diagram: bool
    clinical: bool
    index: bool

    @property
    def model(self) -> Model:
        return self.ruleset.model

    @property
    def words(self) -> Words:
        return Words(self.model, roles=self.for_sphinx and self.index)

    # ------------------------------------------------------------ anchors and code

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

    # ------------------------------------------------------------ the page

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
        for item in self.model.inputs.values():
            meaning = para(item.title or "")
            if item.summary:
                meaning = (meaning + "\n\n" if meaning else "") + para(item.summary)
            unit = getattr(item.domain, "unit", None)
            rows.append(
                [
                    "\n".join(
                        [
                            *self.target("input", item.name, item.title or item.name),
                            literal(item.name),
                        ]
                    ),
                    meaning,
                    item.kind,
                    _domain_text(item.domain),
                    para(unit) if unit else "",
                ]
            )
        lines += list_table(["Input", "Meaning", "Type", "Allowed values", "Unit"], rows)
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

    def derived(self) -> list[str]:
        model = self.model
        lines = heading("Derived values", 1)
        lines += [
            "Values computed from the inputs (and from one another) that the rules use.",
            "",
        ]
        for name in model.derived_order:
            if name in model.lets:
                let = model.lets[name]
                lines += self.target("value", name, let.title or name)
                lines += heading(let.title or name, 2)
                lines += [
                    f":Name: {literal(name)} (yes or no), line {let.line}",
                    "",
                    "Yes when all of these hold:",
                    "",
                ]
                lines += [f"- {c}" for c in self.words.clauses(let.condition)]
                lines += [""]
            else:
                lines += self.table(model.tables[name])
        return lines

    def table(self, table: Table) -> list[str]:
        model = self.model
        lines = self.target("value", table.name, table.title or table.name)
        lines += heading(table.title or table.name, 2)
        lines += [
            f":Name: {literal(table.name)}, a decision table, line {table.line}",
            ":Values: " + _values_text(table),
            f":Rows: {escape(_HIT_WORDS.get(table.hit, table.hit))}",
            "",
        ]
        if table.summary:
            lines += [para(table.summary), ""]
        header = []
        for column in table.condition_columns:
            unit = None
            if column in model.inputs:
                unit = getattr(model.inputs[column].domain, "unit", None)
            header.append(literal(column) + (f" ({escape(unit)})" if unit else ""))
        header.append(f"**{escape(table.name)}**")
        header += [literal(column) for column in table.annotation_columns]
        rows = []
        for row in table.rows:
            cells = [_cell_text(c) for c in row.conditions]
            if row.output_is_reference:
                cells.append(f"the value of {literal(row.output)}")
            else:
                cells.append(f"*{escape(row.output)}*")
            cells += [para(text) if text else "" for text in row.annotations]
            rows.append(cells)
        lines += list_table(header, rows)
        if table.citations:
            lines += _citations(table.citations)
        return lines

    # ------------------------------------------------------------ pathways

    def rule_conditions(self, rule: Rule) -> list[str]:
        words = self.words
        lines = [
            f"Rule {literal(rule.id)} (line {rule.line}), when all of these hold:",
            "",
        ]
        for guard in rule.guards:
            lines += [f"- {c}" for c in words.clauses(guard)]
        if rule.own is not None:
            lines += [f"- {c}" for c in words.clauses(rule.own)]
        elif rule.excluded:
            lines += ["- none of the other branches of its block holds:", ""]
            lines += [f"  - {words.describe(other)}" for other in rule.excluded]
        elif not rule.guards:
            lines += ["- always (no other rule shares its block)"]
        return [*lines, ""]

    def rule_text(self, pathway: str) -> str:
        """The rules choosing ``pathway`` as written, each under its ``when`` lines."""
        chunks: list[str] = []

        def visit(items: Sequence[ast.RuleDecl | ast.WhenBlock], heads: list[str]) -> None:
            for item in items:
                if isinstance(item, ast.WhenBlock):
                    visit(item.body, [*heads, f"when {print_expr(item.condition)}:"])
                elif item.pathway == pathway:
                    indent = "    " * len(heads)
                    lines = [("    " * depth) + head for depth, head in enumerate(heads)]
                    cond = item.condition
                    head = f"{indent}rule {item.name} -> {item.pathway}:"
                    if isinstance(cond, ast.Otherwise):
                        lines.append(head + " otherwise")
                    elif isinstance(cond, ast.AllOf):
                        lines.append(head)
                        lines += [f"{indent}    {print_expr(op)}" for op in cond.operands]
                    else:
                        lines.append(f"{head} {print_expr(cond)}")
                    chunks.append("\n".join(lines))

        top = [
            d for d in self.model.tree.declarations if isinstance(d, ast.RuleDecl | ast.WhenBlock)
        ]
        visit(top, [])
        return "\n\n".join(chunks)

    def pathways(self) -> list[str]:
        model = self.model
        lines = heading("Pathways", 1)
        lines += [
            "Each valid state gets exactly one of these. Under each pathway: what it means, "
            "the conditions that lead to it (the rule and every ``when`` block around it), "
            "and the sources behind it.",
            "",
        ]
        for pid, pathway in model.pathways.items():
            lines += self.target("pathway", pid, pathway.title)
            lines += heading(pathway.title, 2)
            lines += [f":Pathway: {literal(pid)}, line {pathway.line}", ""]
            lines += [para(pathway.summary), ""]
            rules = [r for r in model.rules if r.pathway == pid]
            lines += [".. rubric:: When this pathway is chosen", ""]
            if len(rules) > 1:
                lines += [f"By any one of {len(rules)} rules.", ""]
            for rule in rules:
                lines += self.rule_conditions(rule)
            if rules:
                lines += [".. rubric:: In the rule file", ""]
                lines += self.code(self.rule_text(pid))
            lines += _citations(pathway.citations)
            examples = [e.name for e in model.examples if e.pathway == pid]
            if examples:
                lines += [
                    ".. rubric:: Examples",
                    "",
                    ", ".join(literal(e) for e in examples),
                    "",
                ]
        return lines

    def considerations(self) -> list[str]:
        model = self.model
        lines = heading("Considerations", 1)
        lines += [
            "Options added beside the pathway when their condition holds. They never "
            "change the pathway.",
            "",
        ]
        for cid, item in model.considerations.items():
            lines += self.target("consideration", cid, item.title)
            lines += heading(item.title, 2)
            lines += [f":Consideration: {literal(cid)}, line {item.line}", ""]
            lines += [para(item.summary), ""]
            lines += [".. rubric:: When it is added", "", "When all of these hold:", ""]
            lines += [f"- {c}" for c in self.words.clauses(item.condition)]
            lines += [""]
            lines += _citations(item.citations)
        return lines

    def guarantees(self) -> list[str]:
        """Each declared property, in words, as a guarantee the verifier proved."""
        model = self.model
        proven = self.ruleset.verify().ok
        lines = heading("Guarantees", 1)
        lines += [
            (
                "Properties the rule file declares and the verifier proved for every valid "
                "state (exactly, not by sampling). A rule file where one fails is refused."
            )
            if proven
            else "Properties the rule file declares. This rule set did not pass "
            "verification, so they are not proven here.",
            "",
        ]
        for pid, prop in model.properties.items():
            lines += heading(prop.title, 2)
            lines += [f":Property: {literal(pid)}, line {prop.line}", ""]
            if prop.kind == "monotone" and prop.value is not None and prop.input is not None:
                table = model.tables[prop.value]
                order = " < ".join(f"*{escape(v)}*" for v in table.order)
                exempt = [v for v in table.values if v not in table.order]
                text = (
                    f"{self.words.name(prop.value)} never falls in the order {order} as "
                    f"{self.words.name(prop.input)} grows, all other inputs equal"
                )
                if exempt:
                    text += " (" + ", ".join(f"*{escape(v)}*" for v in exempt)
                    text += " is" if len(exempt) == 1 else " are"
                    text += " outside the order)"
                lines += [text + ".", ""]
            else:
                lines += ["For every valid state and the decision it gets:", ""]
                lines += [f"- {self.words.describe(c)}" for c in prop.conditions]
                lines += [""]
            if prop.citations:
                lines += _citations(prop.citations)
        return lines

    def examples(self) -> list[str]:
        model = self.model
        lines = heading("Examples", 1)
        lines += [
            "The examples written in the rule file; verification checks that each gets "
            "the decision shown.",
            "",
        ]
        declared = {d.name: d for d in model.tree.declarations if isinstance(d, ast.ExampleDecl)}
        rows = []
        for example in model.examples:
            decl = declared.get(example.name)
            given: list[str] = []
            expected: list[str] = []
            for assignment in decl.assignments if decl is not None else ():
                text = f"{literal(assignment.name)} = {escape(print_literal(assignment.value))}"
                (given if assignment.name in model.inputs else expected).append(text)
            state = ", ".join(given)
            if decl is not None and decl.like:
                like = f"as {literal(decl.like)}"
                state = f"{like}, but {state}" if state else like
            pathway = model.pathways[example.pathway]
            outcome = link(pathway.title, anchor("pathway", example.pathway))
            if example.considerations:
                outcome += ", with " + ", ".join(
                    link(model.considerations[c].title, anchor("consideration", c))
                    for c in example.considerations
                    if c in model.considerations
                )
            if expected:
                outcome += "; derived values: " + ", ".join(expected)
            rows.append([f"{literal(example.name)} (line {example.line})", state, outcome])
        lines += list_table(["Example", "State", "Decision"], rows)
        return lines

    def sources(self) -> list[str]:
        lines = heading("Sources", 1)
        for source in self.model.sources.values():
            lines += [f"- {literal(source.name)}: {_source_text(source)}"]
            if source.note:
                lines += ["", f"  {para(source.note)}", ""]
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

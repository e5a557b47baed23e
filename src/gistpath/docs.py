"""A loaded rule set rendered as reStructuredText: the documentation people read.

Design: :func:`render_rst` is a pure function from a :class:`gistpath.RuleSet` to reST text;
it imports nothing from Sphinx, so the same text can be fed to plain docutils or, through
:mod:`gistpath.sphinxext`, to Sphinx. The page has, in order: an overview (title, summary,
counts, what verification proved, and a "decision support, not medical advice" notice when
the file reads as clinical), a diagram of the decision logic, the inputs, the constraints
on valid states, the derived values (decision tables as real tables, annotation columns
such as the AFIP ``progressed`` percentages included), one section per pathway and per
consideration, the examples and the sources.

Every condition is written in words by :func:`describe`, which reads the checked
expressions of :mod:`gistpath.model` (a rule's ``when`` guards included), so nothing is
written by hand and a new pathway or rule appears as soon as the file has it. Citations are
resolved to the full source (publisher, authors, title, section, date, link).

Each pathway and consideration section has the anchor :func:`gistpath.runtime.anchor` gives,
so :attr:`gistpath.Decision.anchor` links straight to it; inputs and derived values have
anchors too (``input-<name>``, ``value-<name>``), and names in conditions link to them. With
``for_sphinx=True`` the anchors are directives of the ``gistpath`` Sphinx domain
(``gistpath:pathway``, ``gistpath:consideration``, ``gistpath:input``, ``gistpath:value``),
which set the id exactly and register the object for cross-references; otherwise they are
plain reST targets (``.. _pathway-x:``), whose ids docutils normalises (lower case, runs of
``-`` joined), so in plain docutils an id with capitals or ``__`` differs from the anchor.

The diagram (:func:`render_svg`) is an SVG written here in pure Python, without Graphviz or
any script: a layered left-to-right tree of the ``when`` blocks, the rules and, in the last
column, one box per rule for the pathway it chooses, linked to the pathway's section. It is
laid out from the checked syntax tree and the checked rules, never drawn by hand.

Limits: the output is English. The diagram's text is measured with an average character
width, so a label in an unusual font may run a little past its box (the full text is in
the box's tooltip). Raw HTML (the diagram) is dropped by non-HTML writers.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import attrs

from gistpath import ast
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
from gistpath.printer import print_cell, print_expr, print_literal, print_quantity, print_value
from gistpath.runtime import RuleSet, anchor

__all__ = ["DISCLAIMER", "build_html", "describe", "looks_clinical", "render_rst", "render_svg"]

#: The notice shown on the documentation of a clinical rule set.
DISCLAIMER = (
    "These rules are decision support for clinicians, not medical advice. They restate "
    "the sources they cite and do not replace the judgement of the clinicians who know the "
    "patient."
)

# Words that mark a rule set as clinical when its title, summary or pathways use them.
CLINICAL_WORDS = frozenset(
    [
        "clinical", "clinician", "clinicians", "patient", "patients", "treatment",
        "treatments", "therapy", "diagnosis", "medical", "medicine", "tumour", "tumours",
        "tumor", "tumors", "cancer", "surgery", "drug", "drugs", "dose", "disease",
        "oncology", "pathology", "symptoms",
    ]
)  # fmt: skip

# Section underlines, outermost first.
_UNDERLINES = "=-~^"

_OP_WORDS = {
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
    "=": "is",
    "!=": "is not",
}
_NEGATED_OP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "="}
_HIT_WORDS = {
    "unique": "exactly one row applies to each valid state",
    "first": "the first row that matches applies",
    "any": "rows may overlap only where they give the same value",
    "priority": "of the rows that match, the one whose value comes first in the values applies",
}
_URL = re.compile(r"https?://[^\s<>`]+")

# --------------------------------------------------------------------------- reST helpers


def _escape(text: str) -> str:
    """Text shown as is inside a line: inline markup characters escaped."""
    return re.sub(r"([\\`*_|<>\[\]])", r"\\\1", " ".join(text.split()))


def _para(text: str) -> str:
    """Text shown as is at the start of a paragraph: a leading list marker escaped too."""
    text = _escape(text)
    return "\\" + text if text and text[0] in "-+#.:=~^'\"()0123456789" else text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _heading(title: str, level: int) -> list[str]:
    text = _para(title)
    return [text, _UNDERLINES[level] * max(_width(text), 4), ""]


def _link(text: str, target: str) -> str:
    """A link to an anchor on the same page (anonymous, so the text may repeat)."""
    shown = re.sub(r"([\\`<>])", r"\\\1", " ".join(text.split()))
    return f"`{shown} <#{target}>`__"


def _indent(lines: Iterable[str], by: str = "   ") -> list[str]:
    return [by + line if line else "" for line in lines]


def _list_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in (header, *rows):
        for index, cell in enumerate(row):
            marker = "* - " if index == 0 else "  - "
            parts = cell.split("\n") if cell else ["\u2014"]
            out.append("   " + marker + parts[0])
            out.extend("       " + part if part else "" for part in parts[1:])
    out.append("")
    return out


def _literal(name: str) -> str:
    return f"``{name}``"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


# --------------------------------------------------------------------------- words


@attrs.frozen
class _Words:
    """Writes the expressions of one model in words (reST inline markup)."""

    model: Model
    roles: bool = False  # link names through the Sphinx domain's roles

    def name(self, name: str) -> str:
        """A name linked to where it is declared on the page."""
        if name == "pathway":
            return "the pathway"
        if name in self.model.inputs:
            kind = "input"
        elif name in self.model.lets or name in self.model.tables:
            kind = "value"
        else:
            return _literal(name)
        if self.roles:
            return f":gistpath:{kind}:`{name} <{self.model.name}.{name}>`"
        return _link(name, anchor(kind, name))

    def value(self, subject: str, value: ast.Value) -> str:
        if subject == "pathway" and isinstance(value, ast.Symbol):
            pathway = self.model.pathways.get(value.name)
            if pathway is not None:
                return _link(pathway.title, anchor("pathway", value.name))
        if isinstance(value, ast.BoolLiteral):
            return "yes" if value.value else "no"
        if isinstance(value, ast.Unknown):
            return "*unknown*"
        return f"*{_escape(value.name)}*"

    def values(self, subject: str, values: Sequence[ast.Value], negated: bool) -> str:
        shown = [self.value(subject, v) for v in values]
        if len(shown) == 1:
            return ("is not " if negated else "is ") + shown[0]
        listed = ", ".join(shown[:-1]) + " or " + shown[-1]
        return ("is none of " if negated else "is one of ") + listed

    def compare(self, name: str, op: str, quantity: ast.Quantity) -> str:
        return f"{self.name(name)} {_OP_WORDS[op]} {_escape(print_quantity(quantity))}"

    def between(self, node: ast.Between, negated: bool) -> str:
        low_op = ast.flip_op(node.low_op)
        high_op = node.high_op
        if negated:
            low_op, high_op = _NEGATED_OP[low_op], _NEGATED_OP[high_op]
        low = f"{_OP_WORDS[low_op]} {_escape(print_quantity(node.low))}"
        high = f"{_OP_WORDS[high_op].removeprefix('is ')} {_escape(print_quantity(node.high))}"
        return f"{self.name(node.name)} {low} {'or' if negated else 'and'} {high}"

    def describe(self, node: ast.Expr, negated: bool = False) -> str:
        """One expression as a phrase; ``negated`` says it does *not* hold."""
        if isinstance(node, ast.Not):
            return self.describe(node.operand, not negated)
        if isinstance(node, (ast.And, ast.AllOf)) and len(node.operands) == 1:
            return self.describe(node.operands[0], negated)
        if isinstance(node, ast.Reference):
            return f"{self.name(node.name)} is {'no' if negated else 'yes'}"
        if isinstance(node, ast.Comparison):
            op = _NEGATED_OP[node.op] if negated else node.op
            return self.compare(node.name, op, node.quantity)
        if isinstance(node, ast.Between):
            return self.between(node, negated)
        if isinstance(node, ast.IsTest):
            return f"{self.name(node.name)} " + self.values(
                node.name, (node.value,), node.negated != negated
            )
        if isinstance(node, ast.InTest):
            return f"{self.name(node.name)} " + self.values(
                node.name, node.values, node.negated != negated
            )
        text = self.compound(node)
        return f"it is not the case that {text}" if negated else text

    def compound(self, node: ast.Expr) -> str:
        if isinstance(node, (ast.And, ast.AllOf)):
            if not node.operands:
                return "always"
            if len(node.operands) == 1:
                return self.describe(node.operands[0])
            return " and ".join(self.operand(op, (ast.Or, ast.Implies, ast.Iff))
                                for op in node.operands)  # fmt: skip
        if isinstance(node, ast.Or):
            return " or ".join(
                self.operand(op, (ast.And, ast.AllOf, ast.Implies, ast.Iff)) for op in node.operands
            )
        if isinstance(node, ast.Implies):
            return f"if {self.describe(node.left)}, then {self.describe(node.right)}"
        if isinstance(node, ast.Iff):
            compound = (ast.And, ast.AllOf, ast.Or, ast.Implies, ast.Iff)
            return (
                f"{self.operand(node.left, compound)} exactly when "
                f"{self.operand(node.right, compound)}"
            )
        raise TypeError(f"not an expression: {node!r}")  # pragma: no cover

    def operand(self, node: ast.Expr, bracket: tuple[type, ...]) -> str:
        text = self.describe(node)
        return f"({text})" if isinstance(node, bracket) else text

    def clauses(self, node: ast.Expr) -> list[str]:
        """A condition as a list of phrases that must all hold."""
        if isinstance(node, (ast.And, ast.AllOf)):
            return [c for op in node.operands for c in self.clauses(op)]
        return [self.describe(node)]


def describe(expr: ast.Expr, ruleset: RuleSet) -> str:
    """A condition of ``ruleset`` in words, as reStructuredText inline text."""
    return _Words(ruleset.model).describe(expr)


# --------------------------------------------------------------------------- clinical?


def looks_clinical(ruleset: RuleSet) -> bool:
    """Whether the rule set's title, summary or pathways speak of patients and treatment."""
    model = ruleset.model
    texts = [model.title or "", model.summary or ""]
    for pathway in model.pathways.values():
        texts += [pathway.title, pathway.summary]
    found = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text)}
    return bool(found & CLINICAL_WORDS)


# --------------------------------------------------------------------------- sections


def _source_text(source: Source, section: str | None = None) -> str:
    """Publisher: Authors. Title, section "x" (date). Link."""
    text = source.title
    if source.authors:
        text = f"{source.authors.rstrip('.')}. {text}"
    if source.publisher:
        text = f"{source.publisher}: {text}"
    if section:
        text += f", section \u201c{section}\u201d"
    text = _escape(text)
    if source.date:
        text += f" ({_escape(source.date)})"
    if source.url and _URL.fullmatch(source.url):
        text += f". `{source.url} <{source.url}>`__"
    return text


def _citations(citations: Sequence[Citation]) -> list[str]:
    lines = [".. rubric:: Sources", ""]
    lines += [f"- {_source_text(c.source, c.section)}" for c in citations]
    return [*lines, ""]


def _cell_text(cell: ast.Cell) -> str:
    """A condition cell of a decision table, as a reader would say it."""
    if isinstance(cell, ast.AnyCell):
        return "any"
    if isinstance(cell, ast.ValuesCell):
        names = [f"*{_escape(print_value(v))}*" for v in cell.values]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        return f"not {listed}" if cell.negated else listed
    return _para(print_cell(cell))


def _domain_text(domain: object) -> str:
    if isinstance(domain, ChoiceDomain):
        text = "one of " + ", ".join(f"*{_escape(v)}*" for v in domain.values)
    elif isinstance(domain, BooleanDomain):
        text = "yes or no"
    elif isinstance(domain, NumericDomain):
        text = "an integer" if domain.integer else "a number"
        bounds = domain.describe_range()
        if bounds:
            text += " " + _escape(bounds.replace(">=", "\u2265").replace("<=", "\u2264"))
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
    def words(self) -> _Words:
        return _Words(self.model, roles=self.for_sphinx and self.index)

    # ------------------------------------------------------------ anchors and code

    def target(self, kind: str, ident: str, title: str) -> list[str]:
        if not self.for_sphinx:
            return [f".. _{anchor(kind, ident)}:", ""]
        lines = [
            f".. gistpath:{kind}:: {ident}",
            f"   :ruleset: {self.model.name}",
            f"   :title: {_escape(title)}",
        ]
        if not self.index:
            lines.append("   :no-index:")
        return [*lines, ""]

    def code(self, text: str) -> list[str]:
        head = ".. code-block:: gistpath" if self.for_sphinx else "::"
        return [head, "", *_indent(text.splitlines()), ""]

    # ------------------------------------------------------------ the page

    def render(self) -> str:
        model = self.model
        title = model.title or f"Rule set {model.name}"
        # Under Sphinx the ruleset directive places its own anchor before this text.
        lines = [] if self.for_sphinx else [f".. _{anchor('ruleset', model.name)}:", ""]
        lines += _heading(title, 0)
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
                f"   {_para(DISCLAIMER)}",
                "",
            ]
        if model.summary:
            lines += [_para(model.summary), ""]
        tables = len(model.tables)
        derived = len(model.derived_order)
        counts = [
            _plural(len(model.inputs), "input"),
            _plural(derived, "derived value")
            + (f" ({_plural(tables, 'decision table')})" if tables else ""),
            _plural(len(model.constraints), "constraint") + " on valid states",
            _plural(len(model.rules), "rule"),
            _plural(len(model.pathways), "pathway"),
            _plural(len(model.considerations), "consideration"),
            _plural(len(model.examples), "example"),
        ]
        filename = model.filename.replace("\\", "/").rsplit("/", 1)[-1]
        lines += [f":Rule set: {_literal(model.name)}, from {_escape(filename)}"]
        if model.version:
            lines += [f":Version: {_para(model.version)}"]
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
                "pathway, every rule and table row can apply, and every example gets the "
                f"decision it expects (checked over {report.pieces} regions of the "
                "state space).",
                "",
            ]
        else:
            lines += [
                ".. warning::",
                "",
                "   This rule set did not pass verification "
                f"({_plural(len(report.errors), 'finding')}):",
                "",
            ]
            lines += [f"   - {_para(f.message)}" for f in report.errors]
            lines += [""]
        lines += [".. rubric:: Pathways at a glance", ""]
        rows = []
        for pid, pathway in model.pathways.items():
            count = sum(1 for r in model.rules if r.pathway == pid)
            rows.append(
                [
                    _link(pathway.title, anchor("pathway", pid)),
                    _literal(pid),
                    _plural(count, "rule"),
                ]
            )
        lines += _list_table(["Pathway", "Id", "Chosen by"], rows)
        return lines

    def diagram_section(self) -> list[str]:
        lines = _heading("Decision diagram", 1)
        lines += [
            "The rules as a tree, read from left to right: each ``when`` block holds the "
            "rules under it, and each rule leads to the pathway in the last column (a link "
            "to its section). Hover over a box for its full text.",
            "",
            ".. raw:: html",
            "",
        ]
        svg = render_svg(self.ruleset)
        lines += _indent(
            [
                '<div class="gistpath-diagram" style="overflow-x: auto; margin: 1em 0;">',
                *svg.splitlines(),
                "</div>",
            ]
        )
        return [*lines, ""]

    def inputs(self) -> list[str]:
        lines = _heading("Inputs", 1)
        lines += [
            "A state gives a value to each of these fields; anything else is refused.",
            "",
        ]
        rows = []
        for item in self.model.inputs.values():
            meaning = _para(item.title or "")
            if item.summary:
                meaning = (meaning + "\n\n" if meaning else "") + _para(item.summary)
            unit = getattr(item.domain, "unit", None)
            rows.append(
                [
                    "\n".join(
                        [
                            *self.target("input", item.name, item.title or item.name),
                            _literal(item.name),
                        ]
                    ),
                    meaning,
                    item.kind,
                    _domain_text(item.domain),
                    _para(unit) if unit else "",
                ]
            )
        lines += _list_table(["Input", "Meaning", "Type", "Allowed values", "Unit"], rows)
        return lines

    def constraints(self) -> list[str]:
        lines = _heading("Valid states", 1)
        lines += ["A state must also satisfy each of these constraints:", ""]
        for constraint in self.model.constraints:
            head = _escape(constraint.title) if constraint.title else _literal(constraint.name)
            lines += [
                f"- **{head}** ({_literal(constraint.name)}, line {constraint.line}): "
                + self.words.describe(constraint.condition),
            ]
        return [*lines, ""]

    def derived(self) -> list[str]:
        model = self.model
        lines = _heading("Derived values", 1)
        lines += [
            "Values computed from the inputs (and from one another) that the rules use.",
            "",
        ]
        for name in model.derived_order:
            if name in model.lets:
                let = model.lets[name]
                lines += self.target("value", name, let.title or name)
                lines += _heading(let.title or name, 2)
                lines += [
                    f":Name: {_literal(name)} (yes or no), line {let.line}",
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
        lines += _heading(table.title or table.name, 2)
        lines += [
            f":Name: {_literal(table.name)}, a decision table, line {table.line}",
            ":Values: " + ", ".join(f"*{_escape(v)}*" for v in table.values),
            f":Rows: {_escape(_HIT_WORDS.get(table.hit, table.hit))}",
            "",
        ]
        if table.summary:
            lines += [_para(table.summary), ""]
        header = []
        for column in table.condition_columns:
            unit = None
            if column in model.inputs:
                unit = getattr(model.inputs[column].domain, "unit", None)
            header.append(_literal(column) + (f" ({_escape(unit)})" if unit else ""))
        header.append(f"**{_escape(table.name)}**")
        header += [_literal(column) for column in table.annotation_columns]
        rows = []
        for row in table.rows:
            cells = [_cell_text(c) for c in row.conditions]
            if row.output_is_reference:
                cells.append(f"the value of {_literal(row.output)}")
            else:
                cells.append(f"*{_escape(row.output)}*")
            cells += [_para(text) if text else "" for text in row.annotations]
            rows.append(cells)
        lines += _list_table(header, rows)
        if table.citations:
            lines += _citations(table.citations)
        return lines

    # ------------------------------------------------------------ pathways

    def rule_conditions(self, rule: Rule) -> list[str]:
        words = self.words
        lines = [
            f"Rule {_literal(rule.id)} (line {rule.line}), when all of these hold:",
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
        lines = _heading("Pathways", 1)
        lines += [
            "Each valid state gets exactly one of these. Under each pathway: what it means, "
            "the conditions that lead to it (the rule and every ``when`` block around it), "
            "and the sources behind it.",
            "",
        ]
        for pid, pathway in model.pathways.items():
            lines += self.target("pathway", pid, pathway.title)
            lines += _heading(pathway.title, 2)
            lines += [f":Pathway: {_literal(pid)}, line {pathway.line}", ""]
            lines += [_para(pathway.summary), ""]
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
                    ", ".join(_literal(e) for e in examples),
                    "",
                ]
        return lines

    def considerations(self) -> list[str]:
        model = self.model
        lines = _heading("Considerations", 1)
        lines += [
            "Options added beside the pathway when their condition holds. They never "
            "change the pathway.",
            "",
        ]
        for cid, item in model.considerations.items():
            lines += self.target("consideration", cid, item.title)
            lines += _heading(item.title, 2)
            lines += [f":Consideration: {_literal(cid)}, line {item.line}", ""]
            lines += [_para(item.summary), ""]
            lines += [".. rubric:: When it is added", "", "When all of these hold:", ""]
            lines += [f"- {c}" for c in self.words.clauses(item.condition)]
            lines += [""]
            lines += _citations(item.citations)
        return lines

    def examples(self) -> list[str]:
        model = self.model
        lines = _heading("Examples", 1)
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
                text = f"{_literal(assignment.name)} = {_escape(print_literal(assignment.value))}"
                (given if assignment.name in model.inputs else expected).append(text)
            state = ", ".join(given)
            if decl is not None and decl.like:
                like = f"as {_literal(decl.like)}"
                state = f"{like}, but {state}" if state else like
            pathway = model.pathways[example.pathway]
            outcome = _link(pathway.title, anchor("pathway", example.pathway))
            if example.considerations:
                outcome += ", with " + ", ".join(
                    _link(model.considerations[c].title, anchor("consideration", c))
                    for c in example.considerations
                    if c in model.considerations
                )
            if expected:
                outcome += "; derived values: " + ", ".join(expected)
            rows.append([f"{_literal(example.name)} (line {example.line})", state, outcome])
        lines += _list_table(["Example", "State", "Decision"], rows)
        return lines

    def sources(self) -> list[str]:
        lines = _heading("Sources", 1)
        for source in self.model.sources.values():
            lines += [f"- {_literal(source.name)}: {_source_text(source)}"]
            if source.note:
                lines += ["", f"  {_para(source.note)}", ""]
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
    support, not medical advice; by default it is added when :func:`looks_clinical` says
    so. ``index=False`` keeps the pathways out of the Sphinx domain's index (for a second
    version of the same rule set in one project).
    """
    page = _Page(
        ruleset,
        for_sphinx=for_sphinx,
        diagram=diagram,
        clinical=looks_clinical(ruleset) if clinical is None else clinical,
        index=index,
    )
    return page.render()


# --------------------------------------------------------------------------- the diagram

_FONT_PX = 11
_CHAR_PX = 6.3  # average advance of an 11 px sans-serif character
_LINE_PX = 14
_PAD = 6
_COLUMN_PX = 230
_LEAF_PX = 230
_GAP_PX = 36
_ROW_GAP = 8
_MAX_LINES = 5

_STYLE = {
    "root": ("#f5f5f5", "#616161"),
    "when": ("#e8f0fe", "#3c64a8"),
    "rule": ("#ffffff", "#8a8a8a"),
    "pathway": ("#e6f4ea", "#2e7d32"),
}


@attrs.define
class _Box:
    kind: Literal["root", "when", "rule", "pathway"]
    text: str
    tooltip: str
    depth: int
    children: list[_Box] = attrs.field(factory=list)
    href: str | None = None
    head: str | None = None  # a first line in bold (a rule's id)
    lines: list[str] = attrs.field(factory=list)
    bold: int = 0  # how many of the lines are the head
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


def _wrap(text: str, width_px: float) -> list[str]:
    chars = max(8, int((width_px - 2 * _PAD) / _CHAR_PX))
    lines = textwrap.wrap(text, chars, break_on_hyphens=False) or [""]
    if len(lines) > _MAX_LINES:
        lines = lines[:_MAX_LINES]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "\u2026"
    return lines


def _tree(model: Model) -> _Box:
    rules = {r.id: r for r in model.rules}
    root = _Box("root", "Every valid state", "Every state allowed by the inputs and constraints", 0)

    def visit(items: Sequence[ast.RuleDecl | ast.WhenBlock], parent: _Box) -> None:
        for item in items:
            if isinstance(item, ast.WhenBlock):
                text = "when " + print_expr(item.condition)
                box = _Box("when", text, f"{text} (line {item.line})", parent.depth + 1)
                parent.children.append(box)
                visit(item.body, box)
                continue
            rule = rules[item.name]
            own = "otherwise" if rule.own is None else print_expr(rule.own)
            tooltip = f"rule {rule.id}: {own} (line {rule.line})"
            box = _Box("rule", own, tooltip, parent.depth + 1, head=rule.id)
            pathway = model.pathways[rule.pathway]
            box.children.append(
                _Box(
                    "pathway",
                    pathway.title,
                    f"{pathway.title} ({rule.pathway}): {pathway.summary}",
                    -1,  # placed in the last column
                    href="#" + anchor("pathway", rule.pathway),
                )
            )
            parent.children.append(box)

    visit(
        [d for d in model.tree.declarations if isinstance(d, ast.RuleDecl | ast.WhenBlock)],
        root,
    )
    return root


def _walk(box: _Box) -> Iterable[_Box]:
    yield box
    for child in box.children:
        yield from _walk(child)


def _layout(root: _Box) -> tuple[float, float]:
    """Place every box; returns the drawing's width and height."""
    boxes = list(_walk(root))
    leaf_depth = 1 + max(b.depth for b in boxes)
    for box in boxes:
        if box.kind == "pathway":
            box.depth = leaf_depth
        box.width = _LEAF_PX if box.kind == "pathway" else _COLUMN_PX
        head = _wrap(box.head, box.width) if box.head else []
        box.lines = head + _wrap(box.text, box.width)
        box.bold = len(head)
        box.height = len(box.lines) * _LINE_PX + 2 * _PAD
        box.x = _GAP_PX / 2 + box.depth * (_COLUMN_PX + _GAP_PX)

    extents: dict[int, float] = {}

    def extent(box: _Box) -> float:
        """The height of the box's subtree (the box, or its children stacked)."""
        if id(box) not in extents:
            inner = sum(extent(c) for c in box.children) + _ROW_GAP * (len(box.children) - 1)
            extents[id(box)] = max(box.height, inner) if box.children else box.height
        return extents[id(box)]

    def place(box: _Box, top: float) -> None:
        total = extent(box)
        if not box.children:
            box.y = top + (total - box.height) / 2
            return
        inner = sum(extent(c) for c in box.children) + _ROW_GAP * (len(box.children) - 1)
        y = top + (total - inner) / 2
        for child in box.children:
            place(child, y)
            y += extent(child) + _ROW_GAP
        first, last = box.children[0], box.children[-1]
        middle = (first.y + first.height / 2 + last.y + last.height / 2) / 2
        box.y = middle - box.height / 2

    place(root, _GAP_PX / 2)
    width = max(b.x + b.width for b in boxes) + _GAP_PX / 2
    height = extent(root) + _GAP_PX
    return width, height


def render_svg(ruleset: RuleSet) -> str:
    """The decision logic of ``ruleset`` as a standalone SVG document (a string)."""
    model = ruleset.model
    root = _tree(model)
    width, height = _layout(root)
    title = f"Decision diagram of {model.title or model.name}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" '
        f'font-size="{_FONT_PX}" aria-labelledby="gistpath-diagram-title">',
        f'<title id="gistpath-diagram-title">{html.escape(title)}</title>',
    ]
    boxes = list(_walk(root))
    for box in boxes:  # edges first, so that boxes are drawn over them
        for child in box.children:
            x1, y1 = box.x + box.width, box.y + box.height / 2
            x2, y2 = child.x, child.y + child.height / 2
            xm = x1 + _GAP_PX / 2
            out.append(
                f'<path d="M{x1:.1f},{y1:.1f} H{xm:.1f} V{y2:.1f} H{x2:.1f}" '
                'fill="none" stroke="#9e9e9e" stroke-width="1"/>'
            )
    for box in boxes:
        fill, stroke = _STYLE[box.kind]
        shape = [
            f"<title>{html.escape(box.tooltip)}</title>",
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.0f}" '
            f'height="{box.height:.0f}" rx="4" fill="{fill}" stroke="{stroke}"/>',
        ]
        for number, line in enumerate(box.lines):
            baseline = box.y + _PAD + _FONT_PX + number * _LINE_PX - 1
            colour = ' fill="#1b5e20" text-decoration="underline"' if box.href else ""
            if number < box.bold:
                colour += ' font-weight="bold"'
            shape.append(
                f'<text x="{box.x + _PAD:.1f}" y="{baseline:.1f}"{colour}>'
                f"{html.escape(line)}</text>"
            )
        if box.href:
            out.append(f'<a href="{html.escape(box.href)}">' + "".join(shape) + "</a>")
        else:
            out.append('<g class="gistpath-' + box.kind + '">' + "".join(shape) + "</g>")
    out.append("</svg>")
    return "\n".join(out)


# --------------------------------------------------------------------------- a whole site

_CONF_PY = """\
# Written by `gistpath docs`: a one-page Sphinx project for one rule file.
extensions = ["gistpath.sphinxext"]
root_doc = "index"
html_show_sourcelink = False
html_copy_source = False
# Furo (the ``docs`` extra) shows every section of the page in its sidebar; without it,
# Alabaster with the page's table of contents in the sidebar.
try:
    import furo  # noqa: F401

    html_theme = "furo"
except ImportError:
    html_theme = "alabaster"
    html_theme_options = {"page_width": "1200px"}
    html_sidebars = {"**": ["localtoc.html", "searchbox.html"]}
"""


def build_html(ruleset: RuleSet, outdir: str | os.PathLike[str], *, quiet: bool = True) -> int:
    """Build the HTML documentation of ``ruleset`` into ``outdir`` with Sphinx.

    A small Sphinx project (``conf.py``, ``index.rst`` holding the ``gistpath:ruleset``
    directive, and a copy of the rule text) is written into a temporary folder and built;
    nothing from the rule file is written into ``conf.py`` (the title goes in as a config
    override). Sphinx is imported here, so it is only needed when this is called. Returns
    Sphinx's exit status: 0, or 1 when it warned (warnings are shown on stderr).
    """
    from sphinx.cmd.build import build_main

    name = Path(ruleset.model.filename).name
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name):
        name = "rules.gprules"
    title = ruleset.title or ruleset.name
    with tempfile.TemporaryDirectory(prefix="gistpath-docs-") as folder:
        source = Path(folder, "source")
        source.mkdir()
        (source / "conf.py").write_text(_CONF_PY, encoding="utf-8")
        (source / name).write_text(ruleset.text, encoding="utf-8")
        (source / "index.rst").write_text(f".. gistpath:ruleset:: {name}\n", encoding="utf-8")
        args = [
            "--builder",
            "html",
            "--fail-on-warning",
            "--doctree-dir",
            str(Path(folder, "doctrees")),
            "--define",
            f"project={title}",
            "--define",
            f"html_title={title}",
            str(source),
            os.fspath(outdir),
        ]
        if quiet:
            args.insert(0, "--quiet")
        return build_main(args)

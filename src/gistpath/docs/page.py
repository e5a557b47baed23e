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

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from gistpath import ast
from gistpath.docs.diagram import render_svg
from gistpath.docs.grid import find_grid
from gistpath.docs.markup import escape, heading, indent, link, list_table, literal, para, plural
from gistpath.docs.prose import Words
from gistpath.docs.references import Uses, citation_lines, source_text
from gistpath.explain import is_clinical
from gistpath.model import BooleanDomain, ChoiceDomain, Model, NumericDomain, Rule, Table
from gistpath.printer import print_expr, print_value
from gistpath.ruleset import anchor
from gistpath.words import Phrasing, column_meanings, humanize, unit_words

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


def _values_text(table: Table) -> str:
    """``*low* < *high*, *unknown*``: a table's values, its order shown with '<'."""
    order = " < ".join(f"*{escape(v)}*" for v in table.order)
    rest = [f"*{escape(v)}*" for v in table.values if v not in table.order]
    return ", ".join(([order] if order else []) + rest)


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
    def numbers(self) -> dict[str, int]:
        """The number of each source in the list at the end of the page."""
        return {name: n for n, name in enumerate(self.model.sources, start=1)}

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
                lines += self.uses(name)
            else:
                lines += self.table(model.tables[name])
        return lines

    def uses(self, name: str) -> list[str]:
        uses = Uses(self.model)
        lines = []
        used, by = uses.uses(name), uses.used_by(name)
        if used:
            lines.append(":Uses: " + ", ".join(used))
        if by:
            lines.append(":Used by: " + ", ".join(by))
        return [*lines, ""] if lines else []

    def row_anchor(self, table: Table, number: int) -> str:
        return anchor("value", f"{table.name}_row_{number}")

    def row_cell(self, table: Table, number: int, text: str) -> str:
        """A cell that carries the anchor of row ``number`` (HTML only)."""
        if not self.for_sphinx:
            return text
        ident = self.row_anchor(table, number)
        return "\n".join([".. raw:: html", "", f'   <span id="{ident}"></span>', "", text])

    def column_head(self, column: str) -> str:
        words = self.words
        unit = words.phrasing.unit(column)
        title = words.name(column)
        return title + (
            f" ({escape(unit)})" if unit and unit not in words.phrasing.title(column) else ""
        )

    def cell_words(self, column: str, cell: ast.Cell) -> str:
        """A condition cell in words, about ``column`` (its title is the column's head)."""
        if isinstance(cell, ast.AnyCell):
            return "any"
        phrasing = Phrasing(self.model, escape=escape)
        if isinstance(cell, ast.ValuesCell):
            # Compact: the values' names in words (their meanings are in the inputs table).
            names = [escape(humanize(print_value(v))) for v in cell.values]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
            return f"not {listed}" if cell.negated else listed
        else:
            assert isinstance(cell, ast.TestsCell)
            parts = [
                phrasing.describe(ast.Comparison(column, t.op, t.quantity)) for t in cell.tests
            ]
            head = f"{phrasing.name(column)}: "
            text = head + " and ".join(p.removeprefix(head) for p in parts)
        return text.split(": ", 1)[1] if ": " in text else text

    def output_words(self, table: Table, output: str, reference: bool) -> str:
        if reference:
            return "as " + self.words.name(output)
        return f"*{escape(humanize(output))}*"

    def table(self, table: Table) -> list[str]:
        """The section of one decision table: its name, values and hit policy, its summary, what
        it uses and is used by, its rows (as the published grid where the table has that shape,
        :func:`find_grid`; else, or for the rows outside it, one anchored row per line with its
        conditions in words, value and notes), and its citations.
        """
        lines = self.target("value", table.name, table.title or table.name)
        lines += heading(table.title or table.name, 2)
        lines += [
            f":Name: {literal(table.name)}, a decision table, line {table.line}",
            ":Values: " + _values_text(table),
            f":Hit policy: {escape(table.hit)}: {escape(_HIT_WORDS.get(table.hit, table.hit))}",
            "",
        ]
        if table.summary:
            lines += [para(table.summary), ""]
        lines += self.uses(table.name)
        meanings = column_meanings(table)
        notes_head = [
            escape(humanize(c)) + (f" ({escape(meanings[c])})" if c in meanings else "")
            for c in table.annotation_columns
        ]
        grid = find_grid(table)
        shown_rows = list(range(len(table.rows)))
        if grid is not None:
            lines += self.grid(table, *grid)
            shown_rows = grid[3]
            if shown_rows:
                lines += ["Rows outside the grid:", ""]
        if shown_rows:
            header = ["#", *(self.column_head(c) for c in table.condition_columns), "Value"]
            header += notes_head
            rows = []
            for index in shown_rows:
                row = table.rows[index]
                cells = [self.row_cell(table, index + 1, str(index + 1))]
                cells += [
                    self.cell_words(c, cell)
                    for c, cell in zip(table.condition_columns, row.conditions, strict=True)
                ]
                cells.append(self.output_words(table, row.output, row.output_is_reference))
                cells += [para(text) if text else "" for text in row.annotations]
                rows.append(cells)
            lines += list_table(header, rows)
        if table.citations:
            lines += citation_lines(table.citations, self.numbers)
        return lines

    def grid(
        self,
        table: Table,
        choice: int,
        bands: tuple[int, int],
        cells: dict[tuple[str, str], dict[str, int]],
        rest: list[int],
    ) -> list[str]:
        """A table over two banded numbers and a choice as the published grid."""
        column = table.condition_columns[choice]
        first, second = (table.condition_columns[b] for b in bands)
        values: list[str] = []
        for by_value in cells.values():
            values += [v for v in by_value if v not in values]
        header = [self.column_head(first), self.column_head(second)]
        header += [escape(humanize(v)) for v in values]
        rows = []
        for (band1, band2), by_value in cells.items():
            row = [band1, band2]
            for value in values:
                index = by_value.get(value)
                if index is None:
                    row.append("")
                    continue
                source = table.rows[index]
                text = self.output_words(table, source.output, source.output_is_reference)
                notes = [escape(a) for a in source.annotations if a]
                if notes:
                    text += " (" + "; ".join(notes) + ")"
                text += " " + link(f"row {index + 1}", self.row_anchor(table, index + 1))
                row.append(self.row_cell(table, index + 1, text))
            rows.append(row)
        meanings = column_meanings(table)
        lines = [
            f"Read across by {self.column_head(column)}; each cell gives the value"
            + (
                " and, in brackets, "
                + "; ".join(
                    escape(humanize(c)) + (f" ({escape(meanings[c])})" if c in meanings else "")
                    for c in table.annotation_columns
                )
                if table.annotation_columns
                else ""
            )
            + ".",
            "",
        ]
        return lines + list_table(header, rows)

    # ------------------------------------------------------------ pathways

    def rule_conditions(self, rule: Rule, number: int | None = None) -> list[str]:
        """The conditions of a rule in words: its blocks' and its own, each said once.

        A condition that is a derived yes-or-no value (a ``when`` block's, mostly) is shown
        by its title and, under Sphinx, can be unfolded to its definition.
        """
        words = self.words
        head = "When all of these hold" if number is None else f"{number}. When all of these hold"
        lines = [f"{head} (rule {literal(rule.id)}):", ""]
        clauses = words.rule_clauses(rule)
        if not clauses:
            clauses = ["always (no other rule shares its block)"]
        lets: dict[str, str] = {}
        for let in self.model.lets:
            title = words.name(let)
            lets[title] = let
            lets[f"{title}: no"] = let
        for clause in clauses:
            found = lets.get(clause)
            if found is None:
                lines.append(f"- {clause}")
                continue
            definition = words.clauses(self.model.lets[found].condition)
            if self.for_sphinx:
                lines += [f"- .. gistpath:details:: {clause}", ""]
                lines += [f"     - {d}" for d in definition]
                lines.append("")
            else:
                lines.append(f"- {clause}")
                lines += ["", *[f"  - {d}" for d in definition], ""]
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
                lines += [f"In any one of these {len(rules)} situations.", ""]
            for number, rule in enumerate(rules, start=1):
                lines += self.rule_conditions(rule, number if len(rules) > 1 else None)
            if rules:
                lines += [".. rubric:: In the rule file", ""]
                lines += self.code(self.rule_text(pid))
            lines += citation_lines(pathway.citations, self.numbers)
            examples = [e.name for e in model.examples if e.pathway == pid]
            if examples:
                lines += [
                    ".. rubric:: Examples",
                    "",
                    ", ".join(link(e, anchor("example", e)) for e in examples),
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
            lines += citation_lines(item.citations, self.numbers)
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
                lines += citation_lines(prop.citations, self.numbers)
        return lines

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

"""The pathways, considerations and guarantees of a rule set's page: a section per pathway
(its summary, citations, and each rule that chooses it, in words and as written), per
consideration, and the properties the verifier proved.

Design: a mixin of :class:`~gistpath.docs.page.base.PageBase`; a rule's conditions are
written with its ``when`` blocks', each test of a choice said once.

Limits: see :mod:`gistpath.docs.page`.
"""

from __future__ import annotations

from collections.abc import Sequence

from gistpath import ast
from gistpath.decision import anchor
from gistpath.docs.markup import escape, heading, link, literal, para
from gistpath.docs.page.base import PageBase
from gistpath.docs.references import citation_lines
from gistpath.model import Rule
from gistpath.printer import print_expr


class PathwaysPart(PageBase):
    """The pathway, consideration and guarantee sections of a page."""

    __slots__ = ()

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

    def section_head(self, kind: str, ident: str, title: str, line: int, summary: str) -> list[str]:
        """The anchor, heading, id and line, and summary of a pathway's or consideration's
        section."""
        return [
            *self.target(kind, ident, title),
            *heading(title, 2),
            f":{kind.capitalize()}: {literal(ident)}, line {line}",
            "",
            para(summary),
            "",
        ]

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
            lines += self.section_head("pathway", pid, pathway.title, pathway.line, pathway.summary)
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
            lines += self.section_head("consideration", cid, item.title, item.line, item.summary)
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

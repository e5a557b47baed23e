"""A decision explained for the clinician who reads it, and as data for programs.

Design: :func:`explain` builds an :class:`Explanation` from a :class:`gistpath.Decision`:
the pathway (title and summary), *why* (the conditions of the rule that fired and of every
``when`` block around it, in words, each block by its title, from
``gistpath.words.Phrasing``), the derived values that mattered to those conditions,
each with its reason (a ``let`` by its definition; a decision-table value by the row that
gave it: the row's number, its conditions with the state's values, and its annotations, such
as the AFIP column, size band, mitotic band and share of patients whose disease progressed;
a value taken from another table names that table's row too), the considerations with their
sources, the pathway's sources, a link to the pathway's section and, only for a rule set
marked for clinicians (``audience "clinicians"`` on its ``ruleset`` line), the notice that
this is decision support and not medical advice.

:meth:`Explanation.text` is the English text :meth:`gistpath.Decision.explain` returns;
:meth:`Explanation.as_dict` is what ``gistpath explain --format json`` prints. Neither shows
internal names (rule ids, helper flags) or source line numbers in the text; the JSON keeps
the ids, for programs.

The link is the documentation's base URL (an argument, else the ``GISTPATH_DOCS_URL``
environment variable) followed by the pathway's anchor; without a base URL the text names
the section to look for.

Limits: English only. Which values "mattered" is read from the syntax of the rule that
fired (the names its conditions read, and the names those read in turn): a value that only
shaped which *other* rules did not fire is not listed.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from gistpath import ast
from gistpath.model import Model, Table
from gistpath.words import Phrasing, column_meanings, humanize

if TYPE_CHECKING:
    from gistpath.ruleset import Decision

__all__ = [
    "DISCLAIMER",
    "DOCS_URL_ENV",
    "Explanation",
    "ValueReason",
    "audience",
    "explain",
    "is_clinical",
]

#: The notice on explanations (and documentation) of rule sets marked for clinicians.
DISCLAIMER = (
    "Decision support for clinicians, not medical advice: it restates the sources it cites "
    "and does not replace the judgement of the clinicians who know the patient."
)
#: The environment variable read for the documentation's base URL.
DOCS_URL_ENV = "GISTPATH_DOCS_URL"
#: The ``audience`` a rule set declares to be marked clinical.
CLINICAL_AUDIENCE = "clinicians"

_WIDTH = 88


def audience(model: Model) -> str | None:
    """The ``audience "..."`` the rule set's ``ruleset`` line declares, if any."""
    for declaration in model.tree.declarations:
        if isinstance(declaration, ast.RulesetDecl):
            for item in declaration.properties:
                if isinstance(item, ast.Property) and item.key == "audience":
                    return item.text
    return None


def is_clinical(model: Model) -> bool:
    """Whether the rule set is marked for clinicians (``audience "clinicians"``)."""
    return audience(model) == CLINICAL_AUDIENCE


@attrs.frozen
class ValueReason:
    """A derived value that mattered, and why it has its value."""

    name: str
    title: str
    value: object
    shown: str  # the value in words
    reasons: tuple[str, ...]  # a let: its definition; a table: the row's conditions
    row: int | None = None  # a table: the 1-based row that gave the value
    notes: tuple[str, ...] = ()  # a table: the row's annotations, "column: text"
    table: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "title": self.title,
            "value": self.value,
            "in_words": self.shown,
            "because": list(self.reasons),
        }
        if self.table:
            out["row"] = self.row
            out["notes"] = list(self.notes)
        return out


@attrs.frozen
class Explanation:
    """One decision in words: pathway, why, the values that mattered, sources, link."""

    pathway: str
    title: str
    summary: str
    rule: str
    why: tuple[str, ...]
    values: tuple[ValueReason, ...]
    considerations: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # id, title, summary, cites
    sources: tuple[str, ...]
    section: str  # the anchor of the pathway's section
    link: str | None
    disclaimer: str | None
    extra: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (heading, lines) added by others

    def text(self) -> str:
        lines = [f"Pathway: {self.title}"]
        lines += textwrap.wrap(self.summary, _WIDTH, initial_indent="  ", subsequent_indent="  ")
        lines += ["", "Why: all of these hold"]
        lines += _bullets(self.why)
        if self.values:
            lines += ["", "The derived values behind it:"]
            for value in self.values:
                head = f"{value.title}: {value.shown}"
                if value.table and value.row is not None:
                    head += f" (row {value.row} of the table)"
                lines += _bullets([head])
                reasons = list(value.reasons) + list(value.notes)
                if reasons:
                    lines += _bullets(reasons, indent="      ", bullet="- ")
        for heading, extra in self.extra:
            lines += ["", heading]
            lines += _bullets(extra)
        if self.considerations:
            lines += ["", "Also consider:"]
            for _cid, title, summary, cites in self.considerations:
                lines += _bullets([f"{title}: {summary}"])
                lines += _bullets([f"Source: {c}" for c in cites], indent="      ", bullet="")
        lines += ["", "Sources:"]
        lines += _bullets(self.sources)
        lines.append("")
        if self.link:
            lines.append(f"More: {self.link}")
        else:
            lines.append(
                f"More: the section \u201c{self.title}\u201d of this rule set's documentation "
                "(gistpath docs FILE -o DIR)."
            )
        if self.disclaimer:
            lines += textwrap.wrap(self.disclaimer, _WIDTH)
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pathway": self.pathway,
            "title": self.title,
            "summary": self.summary,
            "rule": self.rule,
            "why": list(self.why),
            "values": [v.as_dict() for v in self.values],
            "considerations": [
                {"id": cid, "title": title, "summary": summary, "sources": list(cites)}
                for cid, title, summary, cites in self.considerations
            ],
            "sources": list(self.sources),
            "section": self.section,
            "link": self.link,
            "disclaimer": self.disclaimer,
            **{humanize(heading).rstrip(":"): list(lines) for heading, lines in self.extra},
        }


def _bullets(items: Sequence[str], indent: str = "  ", bullet: str = "- ") -> list[str]:
    out: list[str] = []
    for item in items:
        out += textwrap.wrap(
            item,
            _WIDTH,
            initial_indent=indent + bullet,
            subsequent_indent=indent + " " * len(bullet),
            break_on_hyphens=False,
        ) or [indent + bullet]
    return out


def _names(node: ast.Expr) -> list[str]:
    out: list[str] = []
    for part in ast.walk_expr(node):
        name = getattr(part, "name", None)
        if isinstance(name, str) and name not in out:
            out.append(name)
    return out


class _Reasons:
    """Works out which derived values mattered to a decision, and why each has its value."""

    def __init__(self, decision: Decision) -> None:
        ruleset = decision.ruleset
        self.model = ruleset.model
        self.words = Phrasing(self.model)
        self.values = decision.values
        self.compiled = ruleset.compiled
        names = list(ruleset.inputs)
        inputs = [decision.values[n] for n in names]
        self.cells = ruleset.tables.cells(inputs)
        self.seen: list[str] = []

    def row_of(self, table: Table) -> int | None:
        """The index of the row of ``table`` that gives the state its value."""
        for index, region in enumerate(self.compiled.table_rows[table.name]):
            for box in region:
                if all(box[d] >> cell & 1 for d, cell in enumerate(self.cells)):
                    return index
        return None

    def visit(self, name: str) -> None:
        model = self.model
        if name in self.seen or (name not in model.lets and name not in model.tables):
            return
        self.seen.append(name)
        if name in model.lets:
            for other in _names(model.lets[name].condition):
                self.visit(other)
            return
        table = model.tables[name]
        index = self.row_of(table)
        if index is None:
            return
        row = table.rows[index]
        for column, cell in zip(table.condition_columns, row.conditions, strict=True):
            if not isinstance(cell, ast.AnyCell):
                self.visit(column)
        if row.output_is_reference:
            self.visit(row.output)

    def reason(self, name: str) -> ValueReason | None:
        """Why the derived value ``name`` has its value in this decision, as a
        :class:`ValueReason`: for a let, its title and value with its condition's clauses in
        words (when it holds); for a table, the row that gave the value, its conditions in
        words, a value read from another table, and the row's notes.
        """
        model = self.model
        words = self.words
        value = self.values[name]
        if name in model.lets:
            let = model.lets[name]
            return ValueReason(
                name,
                let.title or humanize(name),
                value,
                "yes" if value else "no",
                tuple(words.clauses(let.condition)) if value else (),
            )
        table = model.tables[name]
        index = self.row_of(table)
        shown = "no value" if value is None else humanize(str(value))
        if index is None:  # pragma: no cover - every verified table covers every state
            return ValueReason(name, table.title or humanize(name), value, shown, (), table=True)
        row = table.rows[index]
        reasons = []
        for column, cell in zip(table.condition_columns, row.conditions, strict=True):
            text = self.cell(column, cell)
            if text:
                reasons.append(text)
        if row.output_is_reference:
            reasons.append(f"the value is that of \u201c{words.title(row.output)}\u201d")
        meanings = column_meanings(table)
        notes = tuple(
            f"{humanize(column)}"
            + (f" ({meanings[column]})" if column in meanings else "")
            + f": {text}"
            for column, text in zip(table.annotation_columns, row.annotations, strict=True)
            if text
        )
        return ValueReason(
            name,
            table.title or humanize(name),
            value,
            shown,
            tuple(reasons),
            row=index + 1,
            notes=notes,
            table=True,
        )

    def cell(self, column: str, cell: ast.Cell) -> str:
        """A table cell as a phrase about ``column``, "" for a cell that matches anything."""
        words = self.words
        if isinstance(cell, ast.AnyCell):
            return ""
        if isinstance(cell, ast.ValuesCell):
            test = ast.InTest(column, cell.values, cell.negated)
            return words.describe(test)
        assert isinstance(cell, ast.TestsCell)
        parts = [
            words.describe(ast.Comparison(column, test.op, test.quantity)) for test in cell.tests
        ]
        head = f"{words.name(column)}: "
        return head + " and ".join(p.removeprefix(head) for p in parts)


def explain(
    decision: Decision,
    *,
    base_url: str | None = None,
    extra: Sequence[tuple[str, Sequence[str]]] = (),
) -> Explanation:
    """The :class:`Explanation` of ``decision``.

    ``base_url`` is the URL of the rule set's documentation page (default: the environment
    variable ``GISTPATH_DOCS_URL``); the link is it followed by ``#`` and the pathway's
    anchor. ``extra`` adds sections (a heading and its lines) before the considerations.
    """
    ruleset = decision.ruleset
    model = ruleset.model
    words = Phrasing(model)
    rule = next(r for r in model.rules if r.id == decision.rule)
    pathway = model.pathways[decision.pathway]
    why = words.rule_clauses(rule.guards, rule.own, rule.excluded)

    reasons = _Reasons(decision)
    read: list[str] = []
    for node in (*rule.guards, *((rule.own,) if rule.own is not None else rule.excluded)):
        read += [n for n in _names(node) if n not in read]
    for name in read:
        reasons.visit(name)
    values: list[ValueReason] = []
    for name in model.derived_order:
        if name not in reasons.seen:
            continue
        # A yes-or-no value that is "no" is said where it is read ("...: no"); listing it
        # again, or the helpers it was worked out from, would say nothing more.
        if name in model.lets and not decision.values[name]:
            continue
        found = reasons.reason(name)
        if found is not None:
            values.append(found)

    considerations = tuple(
        (
            cid,
            model.considerations[cid].title,
            model.considerations[cid].summary,
            tuple(c.format() for c in model.considerations[cid].citations),
        )
        for cid in decision.considerations
    )
    section = decision.anchor
    base = base_url if base_url is not None else os.environ.get(DOCS_URL_ENV) or None
    link = f"{base.split('#', 1)[0]}#{section}" if base else None
    return Explanation(
        pathway=decision.pathway,
        title=pathway.title,
        summary=pathway.summary,
        rule=rule.id,
        why=tuple(why),
        values=tuple(values),
        considerations=considerations,
        sources=tuple(c.format() for c in pathway.citations),
        section=section,
        link=link,
        disclaimer=DISCLAIMER if is_clinical(model) else None,
        extra=tuple((heading, tuple(lines)) for heading, lines in extra),
    )

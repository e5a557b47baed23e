"""The derived values of a rule set's page: each ``let`` in words and each decision table
as a real table (its hit policy and values in words, every row anchored, annotation columns
such as the AFIP ``progressed`` percentages included), or as the published grid where
:mod:`gistpath.docs.grid` recognises one.

Design: a mixin of :class:`~gistpath.docs.page.base.PageBase`; every cell is written in
words (:mod:`gistpath.docs.prose`), never as the rule file's syntax.

Limits: a table's rows are listed in file order, and a grid only for the shapes
:mod:`gistpath.docs.grid` knows.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.decision import anchor
from gistpath.docs.grid import find_grid
from gistpath.docs.markup import escape, heading, link, list_table, literal, para
from gistpath.docs.page.base import PageBase
from gistpath.docs.references import citation_lines
from gistpath.model import Table
from gistpath.printer import print_value
from gistpath.words import Phrasing, column_meanings, humanize

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


class TablesPart(PageBase):
    """The derived values section of a page."""

    __slots__ = ()

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

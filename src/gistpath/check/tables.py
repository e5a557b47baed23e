"""Pass: decision tables: the values line, the hit policy, the header, and every row's cells.

Design: a table's header names its condition columns, then a column named after the table
(the output), then any annotation columns. Each condition cell is checked against its
column (a value, a list of values, comparisons, or ``-``), each output cell must be one of
the table's values (or another table's name, whose values must all be the table's), and
annotation cells hold quoted text or ``-``. A row of the wrong width is reported and left
out; the table is recorded with the rows that could be read.

Limits: whether the rows cover each state as the hit policy demands is a question of
coverage, answered by :mod:`gistpath.hits` and :mod:`gistpath.verify`, not here.
"""

from __future__ import annotations

from gistpath import ast
from gistpath.check.documentation import read_citations, read_properties
from gistpath.check.expressions import check_comparison, check_value
from gistpath.check.scope import At, Scope
from gistpath.language import BOOLEAN_WORDS, HIT_POLICIES, UNKNOWN
from gistpath.model import Table, TableRow


def check_tables(scope: Scope) -> None:
    """Record every ``table`` whose name was free in :attr:`Scope.tables`."""
    for decl in scope.declarations(ast.TableDecl):
        check_table(scope, decl)


def check_table(scope: Scope, decl: ast.TableDecl) -> None:
    """One decision table, recorded with the rows that could be read.

    Args:
        scope: the scope problems are reported to and the table recorded in.
        decl: the table's declaration; skipped when its name was not free (see
            :mod:`gistpath.check.derived`).

    The derived values its condition columns and output cells read go to
    :attr:`Scope.depends` for the dependency pass.
    """
    if scope.derived_nodes.get(decl.name) is not decl:
        return
    props = read_properties(
        scope, [p for p in decl.properties if not isinstance(p, ast.Citation)], "table"
    )
    citations = read_citations(scope, decl.properties)
    used: set[str] = set()
    if not decl.values:
        scope.error(decl, f"table '{decl.name}' needs a 'values' line listing its outputs")
    for word in dict.fromkeys(w for w in decl.values if w in BOOLEAN_WORDS):  # file order
        scope.error(
            At(decl.values_line, decl.values_column),
            f"'{word}' is the word for a yes/no value and could never be tested as an "
            "output; pick another name",
        )
    # 'unknown' may be a table's output (a risk that cannot be told), tested as 'is unknown'
    for word in dict.fromkeys(w for w in decl.values if w not in BOOLEAN_WORDS | {UNKNOWN}):
        scope.reserved(At(decl.values_line, decl.values_column), word, "a table value")
    if len(set(decl.values)) != len(decl.values):
        scope.error(At(decl.values_line, decl.values_column), "a value is listed twice in 'values'")
    hit = decl.hit or "unique"
    if hit not in HIT_POLICIES:
        scope.error(
            At(decl.hit_line, 1),
            f"hit policy '{hit}' is not known; use " + ", ".join(f"'{h}'" for h in HIT_POLICIES),
        )
    columns = decl.columns
    if decl.name not in columns:
        scope.error(
            At(decl.header_line, 1),
            f"the header needs a column named '{decl.name}' for the table's output",
        )
        return
    out_index = columns.index(decl.name)
    if columns.count(decl.name) > 1:
        scope.error(At(decl.header_line, 1), f"two columns are named '{decl.name}'")
    condition_columns = columns[:out_index]
    for column in condition_columns:
        if column not in scope.inputs and column not in scope.derived_nodes:
            scope.error(
                At(decl.header_line, 1),
                f"column '{column}' is not a declared input or derived value"
                + scope.suggest(column, [*scope.inputs, *scope.derived_nodes]),
            )
        elif column in scope.derived_nodes:  # never decl.name: it is the output column
            used.add(column)
    if len(set(condition_columns)) != len(condition_columns):
        scope.error(At(decl.header_line, 1), "a condition column appears twice")
    annotations = columns[out_index + 1 :]
    rows = []
    for row in decl.rows:
        if len(row.cells) != len(columns):
            scope.error(
                row,
                f"this row has {len(row.cells)} cells but the header has {len(columns)}",
            )
            continue
        for column, cell in zip(condition_columns, row.cells, strict=False):
            _condition_cell(scope, column, cell)
        output = _output_cell(scope, decl, row.cells[out_index], used)
        texts: list[str | None] = []
        for cell in row.cells[out_index + 1 :]:
            if isinstance(cell, ast.TextCell):
                texts.append(cell.text)
            elif isinstance(cell, ast.AnyCell):
                texts.append(None)
            else:
                scope.error(cell, 'an annotation cell holds a quoted text ("...") or -')
                texts.append(None)
        if output is not None:
            rows.append(
                TableRow(
                    tuple(row.cells[:out_index]),
                    output[0],
                    output[1],
                    tuple(texts),
                    line=row.line,
                )
            )
    if decl.default is not None and decl.values and decl.default not in decl.values:
        scope.error(
            decl,
            f"the default '{decl.default}' is not one of the values of '{decl.name}'",
        )
    if hit == "priority" and any(row.output_is_reference for row in rows):
        scope.error(
            decl,
            "a 'priority' table ranks rows by their output's place in 'values'; an "
            "output read from another table has no place there",
        )
    scope.depends[decl.name] = used
    scope.tables[decl.name] = Table(
        name=decl.name,
        title=decl.title,
        values=tuple(dict.fromkeys(decl.values)),
        hit=hit,
        condition_columns=condition_columns,
        annotation_columns=annotations,
        rows=tuple(rows),
        citations=citations,
        summary=props.get("summary"),
        default=decl.default if decl.default in decl.values else None,
        order=tuple(decl.order),
        line=decl.line,
    )


def _output_cell(
    scope: Scope, decl: ast.TableDecl, cell: ast.Cell, used: set[str]
) -> tuple[str, bool] | None:
    """An output cell as ``(value, from_table)``, or ``None`` (reported) when it is not one.

    ``from_table`` is true when the cell names another table, whose value is then taken over;
    that table's values must all be values of this one.
    """
    if (
        isinstance(cell, ast.ValuesCell)
        and not cell.negated
        and len(cell.values) == 1
        and isinstance(cell.values[0], ast.Unknown)
        and UNKNOWN in decl.values
    ):
        return UNKNOWN, False
    if (
        not isinstance(cell, ast.ValuesCell)
        or cell.negated
        or len(cell.values) != 1
        or not isinstance(cell.values[0], ast.Symbol)
    ):
        scope.error(cell, "an output cell holds one of the table's values")
        return None
    name = cell.values[0].name
    if name in decl.values:
        return name, False
    other = scope.derived_nodes.get(name)
    if isinstance(other, ast.TableDecl) and other is not decl:
        missing = [v for v in other.values if v not in decl.values]
        if missing:
            scope.error(
                cell,
                f"table '{name}' can give {', '.join(missing)}, which are not values of "
                f"'{decl.name}'",
            )
        used.add(name)
        return name, True
    if decl.values:  # without a values line, that is the one problem reported
        scope.error(
            cell,
            f"'{name}' is not one of the values of '{decl.name}' ("
            + ", ".join(decl.values)
            + ")"
            + scope.suggest(name, decl.values),
        )
    return None


def _condition_cell(scope: Scope, column: str, cell: ast.Cell) -> None:
    """A condition cell checked against its column: values, comparisons or ``-``."""
    if isinstance(cell, ast.AnyCell):
        return
    if isinstance(cell, ast.TextCell):
        scope.error(cell, "a quoted text cannot be a condition; write a value or a comparison")
        return
    if isinstance(cell, ast.TestsCell):
        for test in cell.tests:
            check_comparison(scope, column, test.op, test.quantity, test)
        return
    for value in cell.values:
        check_value(scope, column, value)

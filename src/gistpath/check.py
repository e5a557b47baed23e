"""Semantic checks: AST → :class:`gistpath.model.Model`, or every problem in one report.

Design: one pass per kind of declaration, in dependency order (sources, inputs, derived
values, constraints, pathways, rules, considerations, examples). Each problem becomes a
located :class:`gistpath.errors.Diagnostic`; checking goes on after a problem so that one
run reports them all, and :class:`gistpath.RuleSemanticError` is raised at the end if any
were found. The checks cover names (undefined, duplicate, reserved), types (a choice
compared with a number, a boolean tested against a choice value, ``unknown`` where it was
not declared), units and integer literals, citations of undeclared sources, pathways no rule
names, cycles between derived values, table shapes, and example states.

Limits: whether the rules cover every state exactly once is not a question for this module;
:mod:`gistpath.verify` answers it over the compiled tables.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Any

from gistpath import ast
from gistpath.errors import Diagnostic, RuleSemanticError, StateError, make_diagnostics
from gistpath.language import (
    BOOLEAN_WORDS,
    CONSIDERATIONS_NAME,
    HIT_POLICIES,
    PATHWAY_NAME,
    UNKNOWN,
)
from gistpath.model import (
    BooleanDomain,
    ChoiceDomain,
    Citation,
    Consideration,
    Constraint,
    Domain,
    Example,
    Input,
    Let,
    Limit,
    Model,
    NumericDomain,
    Pathway,
    Property,
    Rule,
    Source,
    Table,
    TableRow,
)
from gistpath.printer import print_value
from gistpath.state import field_validator

MAX_REPORTED = 100
# A name longer than this is cut in messages (the source line under the message shows it).
MAX_NAME_SHOWN = 40
_NONZERO_DIGIT = re.compile("[1-9]")
_LONG_WORD = re.compile(rf"\w{{{MAX_NAME_SHOWN + 1},}}")

_ALLOWED_PROPERTIES: dict[str, frozenset[str]] = {
    "ruleset": frozenset({"summary", "version", "note", "audience"}),
    "source": frozenset({"publisher", "date", "url", "note", "authors"}),
    "pathway": frozenset({"summary", "note"}),
    "consideration": frozenset({"summary", "note"}),
    "input": frozenset({"summary", "note"}),
    "table": frozenset({"summary", "note"}),
}


class _Checker:
    def __init__(self, tree: ast.RuleFile, text: str, filename: str) -> None:
        self.tree = tree
        self.text = text
        self.filename = filename
        # (line, column, message) of every problem; turned into Diagnostics (which carry
        # the source line) only for the ones shown, so a file with a million problems
        # costs a million small tuples, not a million copies of its lines.
        self.problems: list[tuple[int, int, str]] = []
        self.sources: dict[str, Source] = {}
        self.inputs: dict[str, Input] = {}
        self.lets: dict[str, Let] = {}
        self.tables: dict[str, Table] = {}
        self.pathways: dict[str, Pathway] = {}
        self.considerations: dict[str, Consideration] = {}
        self.depends: dict[str, set[str]] = {}
        self.derived_nodes: dict[str, Any] = {}
        self.defining: str | None = None  # the derived value being checked: never a suggestion

    # ---------------------------------------------------------------- reporting

    def error(self, node: Any, message: str, column: int | None = None) -> None:
        line = getattr(node, "line", 0) or 1
        col = column if column is not None else (getattr(node, "column", 0) or 1)
        self.problems.append((line, col, _LONG_WORD.sub(_cut_word, message)))

    def _suggest(self, name: str, names: Iterable[str]) -> str:
        close = difflib.get_close_matches(name, list(names), n=1)
        return f"; did you mean '{close[0]}'?" if close else ""

    # ---------------------------------------------------------------- driver

    def run(self) -> Model:
        decls = self.tree.declarations
        header = self._ruleset([d for d in decls if isinstance(d, ast.RulesetDecl)])
        for decl in decls:
            if isinstance(decl, ast.SourceDecl):
                self._source(decl)
        for decl in decls:
            if isinstance(decl, ast.InputDecl):
                self._input(decl)
        self._declare_derived(decls)
        for decl in decls:
            if isinstance(decl, ast.PathwayDecl):
                self._pathway(decl)
        for decl in decls:
            if isinstance(decl, ast.LetDecl):
                self._let(decl)
            elif isinstance(decl, ast.TableDecl):
                self._table(decl)
        order = self._derived_order()
        constraints = tuple(self._constraint(d) for d in decls if isinstance(d, ast.ConstraintDecl))
        rules = self._rules([d for d in decls if isinstance(d, (ast.RuleDecl, ast.WhenBlock))])
        if not rules and not self.problems:
            self.error(
                _At(1, 1),
                "the file has no rules: declare at least one pathway and a rule that leads "
                "to it (rule <name> -> <pathway>: <condition>)",
            )
        named = {rule.pathway for rule in rules}
        for pathway in self.pathways.values():
            if pathway.id not in named:
                self.error(
                    pathway,
                    f"no rule leads to pathway '{pathway.id}'; add a rule or remove it",
                )
        for decl in decls:
            if isinstance(decl, ast.ConsiderationDecl):
                self._consideration(decl)
        examples = self._examples([d for d in decls if isinstance(d, ast.ExampleDecl)])
        properties: dict[str, Property] = {}
        for decl in decls:
            if isinstance(decl, ast.PropertyDecl):
                self._property(decl, properties)
        if self.problems:
            self.problems.sort(key=lambda p: (p[0], p[1]))
            shown = make_diagnostics(
                ((m, line, col) for line, col, m in self.problems[:MAX_REPORTED]),
                self.text,
                self.filename,
                code="semantic",
            )
            if len(self.problems) > MAX_REPORTED:
                last = shown[-1]
                shown.append(
                    Diagnostic(
                        f"{len(self.problems) - MAX_REPORTED} more problems not shown",
                        last.line,
                        last.column,
                        self.filename,
                    )
                )
            raise RuleSemanticError(shown)
        name, title, summary, version = header
        return Model(
            name=name,
            title=title,
            summary=summary,
            version=version,
            filename=self.filename,
            text=self.text,
            sources=MappingProxyType(self.sources),
            inputs=MappingProxyType(self.inputs),
            lets=MappingProxyType(self.lets),
            tables=MappingProxyType(self.tables),
            derived_order=order,
            constraints=constraints,
            pathways=MappingProxyType(self.pathways),
            considerations=MappingProxyType(self.considerations),
            rules=rules,
            examples=examples,
            tree=self.tree,
            properties=MappingProxyType(properties),
        )

    # ---------------------------------------------------------------- header & documentation

    def _ruleset(
        self, headers: list[ast.RulesetDecl]
    ) -> tuple[str, str | None, str | None, str | None]:
        for extra in headers[1:]:
            self.error(extra, "a file has one 'ruleset' line; this is a second one")
        if not headers:
            stem = self.filename.rsplit("/", 1)[-1].split(".", 1)[0]
            return (stem or "rules", None, None, None)
        head = headers[0]
        props = self._properties(head.properties, "ruleset")
        return (head.name, head.title, props.get("summary"), props.get("version"))

    def _properties(
        self, items: Sequence[ast.Property | ast.Citation | ast.AppliesWhen], kind: str
    ) -> dict[str, str]:
        allowed = _ALLOWED_PROPERTIES[kind]
        found: dict[str, str] = {}
        for item in items:
            if isinstance(item, ast.Citation):
                if kind not in ("pathway", "consideration", "table"):
                    self.error(item, f"{_a(kind)} cannot cite a source")
                continue
            if isinstance(item, ast.AppliesWhen):
                if kind != "consideration":
                    self.error(item, f"only a consideration has a 'when' line, not {_a(kind)}")
                continue
            if item.key not in allowed:
                self.error(
                    item,
                    f"{_a(kind)} has no '{item.key}'; it may have "
                    + ", ".join(f"'{k}'" for k in sorted(allowed)),
                )
            elif item.key in found:
                self.error(item, f"'{item.key}' is given twice")
            else:
                found[item.key] = item.text
        return found

    def _citations(self, items: Sequence[Any]) -> tuple[Citation, ...]:
        out = []
        for item in items:
            if not isinstance(item, ast.Citation):
                continue
            source = self.sources.get(item.source)
            if source is None:
                self.error(
                    item,
                    f"'{item.source}' is not a declared source"
                    + self._suggest(item.source, self.sources),
                    column=item.column + len("cites "),
                )
                continue
            out.append(Citation(source, item.section))
        return tuple(out)

    def _source(self, decl: ast.SourceDecl) -> None:
        if decl.name in self.sources:
            self.error(decl, f"source '{decl.name}' is declared twice")
            return
        props = self._properties(decl.properties, "source")
        self.sources[decl.name] = Source(
            name=decl.name,
            title=decl.title,
            publisher=props.get("publisher"),
            authors=props.get("authors"),
            date=props.get("date"),
            url=props.get("url"),
            note=props.get("note"),
            line=decl.line,
        )

    def _documented(
        self, decl: ast.PathwayDecl | ast.ConsiderationDecl, kind: str
    ) -> tuple[str, tuple[Citation, ...]]:
        props = self._properties(decl.properties, kind)
        citations = self._citations(decl.properties)
        summary = props.get("summary")
        if not summary:
            self.error(decl, f"{kind} '{decl.name}' needs a 'summary' in plain language")
        if not any(isinstance(p, ast.Citation) for p in decl.properties):
            self.error(
                decl, f"{kind} '{decl.name}' needs at least one 'cites <source> \"section\"'"
            )
        return summary or "", citations

    def _pathway(self, decl: ast.PathwayDecl) -> None:
        summary, citations = self._documented(decl, "pathway")
        if decl.name in self.pathways:
            self.error(decl, f"pathway '{decl.name}' is declared twice")
            return
        self.pathways[decl.name] = Pathway(
            decl.name, decl.title, summary, citations, line=decl.line
        )

    def _consideration(self, decl: ast.ConsiderationDecl) -> None:
        summary, citations = self._documented(decl, "consideration")
        whens = [p for p in decl.properties if isinstance(p, ast.AppliesWhen)]
        if decl.name in self.considerations:
            self.error(decl, f"consideration '{decl.name}' is declared twice")
            return
        if decl.name in self.pathways:
            self.error(decl, f"'{decl.name}' is already the id of a pathway")
        if len(whens) != 1:
            self.error(
                decl,
                f"consideration '{decl.name}' needs exactly one 'when <condition>' line",
            )
            return
        self._boolean(whens[0].condition, set(), allow_pathway=True)
        self.considerations[decl.name] = Consideration(
            decl.name, decl.title, summary, citations, whens[0].condition, line=decl.line
        )

    # ---------------------------------------------------------------- inputs

    def _input(self, decl: ast.InputDecl) -> None:
        if decl.name in self.inputs:
            self.error(decl, f"input '{decl.name}' is declared twice")
            return
        if decl.name == PATHWAY_NAME:
            self.error(decl, "'pathway' is reserved for the chosen pathway; pick another name")
            return
        props = self._properties(decl.properties, "input")
        spec = decl.type
        domain: Domain
        if isinstance(spec, ast.ChoiceType):
            names = [v.name for v in spec.values]
            seen: set[str] = set()
            for value in spec.values:
                if value.name in seen:
                    self.error(value, f"'{value.name}' is listed twice")
                if value.name == UNKNOWN:
                    self.error(value, "write 'or unknown' to allow unknown")
                elif value.name in BOOLEAN_WORDS:
                    self.error(
                        value,
                        f"'{value.name}' is the word for a yes/no value and could never be "
                        "tested as a choice; pick another name",
                    )
                seen.add(value.name)
            domain = ChoiceDomain(tuple(dict.fromkeys(names)), decl.allows_unknown)
        elif isinstance(spec, ast.BooleanType):
            domain = BooleanDomain(decl.allows_unknown)
        else:
            integer = isinstance(spec, ast.IntegerType)
            low = high = None
            for bound in spec.bounds:
                limit = self._number(bound.quantity, integer=integer)
                if limit is None:
                    continue
                if bound.op in (">", ">="):
                    if low is not None:
                        self.error(bound, "the lower limit is given twice")
                    low = Limit(limit, bound.op == ">=")
                elif bound.op in ("<", "<="):
                    if high is not None:
                        self.error(bound, "the upper limit is given twice")
                    high = Limit(limit, bound.op == "<=")
                else:
                    self.error(bound, f"a range is written with <, <=, > or >=, not '{bound.op}'")
            domain = NumericDomain(integer, low, high, spec.unit, decl.allows_unknown)
            if low is not None and high is not None and not _nonempty(domain):
                self.error(spec, f"the range of '{decl.name}' holds no value")
        self.inputs[decl.name] = Input(
            decl.name, decl.title, domain, props.get("summary"), line=decl.line
        )

    def _number(self, quantity: ast.Quantity, *, integer: bool) -> int | float | None:
        value = quantity.value
        if isinstance(value, float) and not math.isfinite(value):
            self.error(quantity, f"the number {_short(quantity.text)} is too large")
            return None
        if _underflows(quantity):
            self.error(
                quantity,
                f"the number {_short(quantity.text)} is too small to be told apart from 0",
            )
            return None
        if isinstance(value, int) and integer and abs(value) >= 2**63:
            self.error(quantity, f"the integer {_short(quantity.text)} is too large")
            return None
        if isinstance(value, int) and not integer:
            try:
                exact = float(value) == value
            except OverflowError:
                exact = False
            if not exact:
                self.error(
                    quantity,
                    f"the number {_short(quantity.text)} is too large to be compared exactly",
                )
                return None
        if integer and not isinstance(value, int):
            if float(value).is_integer():
                self.error(quantity, f"write the integer {quantity.text} without a decimal point")
            else:
                self.error(quantity, f"{quantity.text} is not an integer")
            return None
        return value

    # ---------------------------------------------------------------- derived values

    def _declare_derived(self, decls: Sequence[ast.Declaration]) -> None:
        for decl in decls:
            if not isinstance(decl, (ast.LetDecl, ast.TableDecl)):
                continue
            if decl.name in self.inputs or decl.name in self.derived_nodes:
                self.error(decl, f"the name '{decl.name}' is already declared")
            elif decl.name == PATHWAY_NAME:
                self.error(decl, "'pathway' is reserved for the chosen pathway")
            else:
                self.derived_nodes[decl.name] = decl

    def _let(self, decl: ast.LetDecl) -> None:
        if self.derived_nodes.get(decl.name) is not decl:
            return
        used: set[str] = set()
        self.defining = decl.name
        self._boolean(decl.condition, used)
        self.defining = None
        self.depends[decl.name] = used
        self.lets[decl.name] = Let(decl.name, decl.title, decl.condition, line=decl.line)

    def _table(self, decl: ast.TableDecl) -> None:
        if self.derived_nodes.get(decl.name) is not decl:
            return
        props = self._properties(
            [p for p in decl.properties if not isinstance(p, ast.Citation)], "table"
        )
        citations = self._citations(decl.properties)
        used: set[str] = set()
        if not decl.values:
            self.error(decl, f"table '{decl.name}' needs a 'values' line listing its outputs")
        for word in dict.fromkeys(w for w in decl.values if w in BOOLEAN_WORDS):  # file order
            self.error(
                _At(decl.values_line, decl.values_column),
                f"'{word}' is the word for a yes/no value and could never be tested as an "
                "output; pick another name",
            )
        if len(set(decl.values)) != len(decl.values):
            self.error(
                _At(decl.values_line, decl.values_column), "a value is listed twice in 'values'"
            )
        hit = decl.hit or "unique"
        if hit not in HIT_POLICIES:
            self.error(
                _At(decl.hit_line, 1),
                f"hit policy '{hit}' is not known; use "
                + ", ".join(f"'{h}'" for h in HIT_POLICIES),
            )
        columns = decl.columns
        if decl.name not in columns:
            self.error(
                _At(decl.header_line, 1),
                f"the header needs a column named '{decl.name}' for the table's output",
            )
            return
        out_index = columns.index(decl.name)
        if columns.count(decl.name) > 1:
            self.error(_At(decl.header_line, 1), f"two columns are named '{decl.name}'")
        condition_columns = columns[:out_index]
        for column in condition_columns:
            if column not in self.inputs and column not in self.derived_nodes:
                self.error(
                    _At(decl.header_line, 1),
                    f"column '{column}' is not a declared input or derived value"
                    + self._suggest(column, [*self.inputs, *self.derived_nodes]),
                )
            elif column in self.derived_nodes:  # never decl.name: it is the output column
                used.add(column)
        if len(set(condition_columns)) != len(condition_columns):
            self.error(_At(decl.header_line, 1), "a condition column appears twice")
        annotations = columns[out_index + 1 :]
        rows = []
        for row in decl.rows:
            if len(row.cells) != len(columns):
                self.error(
                    row,
                    f"this row has {len(row.cells)} cells but the header has {len(columns)}",
                )
                continue
            for column, cell in zip(condition_columns, row.cells, strict=False):
                self._cell(column, cell)
            output = self._output_cell(decl, row.cells[out_index], used)
            texts: list[str | None] = []
            for cell in row.cells[out_index + 1 :]:
                if isinstance(cell, ast.TextCell):
                    texts.append(cell.text)
                elif isinstance(cell, ast.AnyCell):
                    texts.append(None)
                else:
                    self.error(cell, 'an annotation cell holds a quoted text ("...") or -')
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
            self.error(
                decl,
                f"the default '{decl.default}' is not one of the values of '{decl.name}'",
            )
        if hit == "priority" and any(row.output_is_reference for row in rows):
            self.error(
                decl,
                "a 'priority' table ranks rows by their output's place in 'values'; an "
                "output read from another table has no place there",
            )
        self.depends[decl.name] = used
        self.tables[decl.name] = Table(
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
        self, decl: ast.TableDecl, cell: ast.Cell, used: set[str]
    ) -> tuple[str, bool] | None:
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
            self.error(cell, "an output cell holds one of the table's values")
            return None
        name = cell.values[0].name
        if name in decl.values:
            return name, False
        other = self.derived_nodes.get(name)
        if isinstance(other, ast.TableDecl) and other is not decl:
            missing = [v for v in other.values if v not in decl.values]
            if missing:
                self.error(
                    cell,
                    f"table '{name}' can give {', '.join(missing)}, which are not values of "
                    f"'{decl.name}'",
                )
            used.add(name)
            return name, True
        if decl.values:  # without a values line, that is the one problem reported
            self.error(
                cell,
                f"'{name}' is not one of the values of '{decl.name}' ("
                + ", ".join(decl.values)
                + ")"
                + self._suggest(name, decl.values),
            )
        return None

    def _cell(self, column: str, cell: ast.Cell) -> None:
        if isinstance(cell, ast.AnyCell):
            return
        if isinstance(cell, ast.TextCell):
            self.error(cell, "a quoted text cannot be a condition; write a value or a comparison")
            return
        if isinstance(cell, ast.TestsCell):
            for test in cell.tests:
                self._compare(column, test.op, test.quantity, test)
            return
        for value in cell.values:
            self._value(column, value)

    def _derived_order(self) -> tuple[str, ...]:
        order: list[str] = []
        state: dict[str, int] = {}
        for start in self.depends:
            if state.get(start):
                continue
            stack: list[tuple[str, list[str]]] = [(start, sorted(self.depends.get(start, ())))]
            state[start] = 1
            path = [start]
            while stack:
                name, pending = stack[-1]
                if pending:
                    nxt = pending.pop()
                    mark = state.get(nxt, 0)
                    if mark == 1:
                        cycle = [*path[path.index(nxt) :], nxt]
                        self.error(
                            self.derived_nodes[nxt],
                            "these derived values depend on each other in a circle: "
                            + " -> ".join(cycle),
                        )
                    elif mark == 0 and nxt in self.depends:
                        state[nxt] = 1
                        stack.append((nxt, sorted(self.depends[nxt])))
                        path.append(nxt)
                else:
                    stack.pop()
                    path.pop()
                    state[name] = 2
                    order.append(name)
        return tuple(order)

    # ---------------------------------------------------------------- expressions

    def _kind(self, name: str, allow_pathway: bool) -> tuple[str, Any]:
        """(kind, detail) of a name: 'choice', 'boolean', 'numeric', 'pathway' or 'missing'."""
        if name in self.inputs:
            domain = self.inputs[name].domain
            if isinstance(domain, ChoiceDomain):
                return "choice", domain
            if isinstance(domain, BooleanDomain):
                return "boolean", domain
            return "numeric", domain
        node = self.derived_nodes.get(name)
        if isinstance(node, ast.LetDecl):
            return "boolean", BooleanDomain(False)
        if isinstance(node, ast.TableDecl):
            # A table may name one of its outputs `unknown`; the word then means that value.
            values = tuple(v for v in node.values if v != UNKNOWN)
            return "choice", ChoiceDomain(values, UNKNOWN in node.values)
        if name == PATHWAY_NAME and allow_pathway:
            return "pathway", ChoiceDomain(tuple(self.pathways), False)
        return "missing", None

    def _missing(self, node: Any, name: str, allow_pathway: bool) -> None:
        names = [n for n in (*self.inputs, *self.derived_nodes) if n != self.defining]
        hint = ""
        if name == PATHWAY_NAME:
            hint = "; 'pathway' can only be tested in a consideration's 'when' or a property"
        elif name == CONSIDERATIONS_NAME:
            hint = "; in a property, write 'considerations include <id>'"
        self.error(
            node,
            f"'{name}' is not a declared input or derived value"
            + (hint or self._suggest(name, names)),
        )

    def _boolean(
        self,
        expr: ast.Expr,
        used: set[str],
        *,
        allow_pathway: bool = False,
        in_property: bool = False,
    ) -> None:
        """Check an expression that must be a condition; record derived names it reads.

        ``pathway`` may be tested in a consideration's ``when`` and in a property
        (``allow_pathway``); ``considerations include <id>`` only in a property.
        """
        stack: list[ast.Expr] = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Includes):
                self._includes(node, in_property)
            elif isinstance(node, (ast.And, ast.Or, ast.AllOf)):
                stack.extend(node.operands)
            elif isinstance(node, ast.Not):
                stack.append(node.operand)
            elif isinstance(node, (ast.Implies, ast.Iff)):
                stack.extend((node.left, node.right))
            elif isinstance(node, ast.Reference):
                kind, _ = self._kind(node.name, allow_pathway)
                self._note_use(node.name, used)
                if kind == "missing":
                    self._missing(node, node.name, allow_pathway)
                elif kind != "boolean":
                    self.error(
                        node,
                        f"'{node.name}' is a {_kind_word(kind)}, not a yes/no value; write "
                        + (
                            f"'{node.name} is <value>'"
                            if kind in ("choice", "pathway")
                            else f"a comparison such as '{node.name} > 0'"
                        ),
                    )
            elif isinstance(node, ast.Comparison):
                self._note_use(node.name, used)
                self._compare(node.name, node.op, node.quantity, node, allow_pathway)
            elif isinstance(node, ast.Between):
                self._note_use(node.name, used)
                ascending = node.low_op in ("<", "<=") and node.high_op in ("<", "<=")
                descending = node.low_op in (">", ">=") and node.high_op in (">", ">=")
                if not (ascending or descending):
                    self.error(
                        node,
                        "a range is written low < name <= high (both signs pointing the same way)",
                    )
                self._compare(node.name, node.low_op, node.low, node, allow_pathway)
                self._compare(node.name, node.high_op, node.high, node, allow_pathway)
            elif isinstance(node, (ast.IsTest, ast.InTest)) and (
                self._kind(node.name, allow_pathway)[0] == "missing"
            ):
                self._missing(node, node.name, allow_pathway)  # once, at the name
            elif isinstance(node, ast.IsTest):
                self._note_use(node.name, used)
                self._value(node.name, node.value, allow_pathway)
            elif isinstance(node, ast.InTest):
                self._note_use(node.name, used)
                seen: set[object] = set()
                for value in node.values:
                    key = ast.literal_value(value)
                    if key in seen:
                        self.error(value, "this value is listed twice")
                    seen.add(key)
                    self._value(node.name, value, allow_pathway)

    def _includes(self, node: ast.Includes, in_property: bool) -> None:
        if node.name != CONSIDERATIONS_NAME:
            self.error(
                node,
                f"only 'considerations include <id>' can be written with 'include', "
                f"not '{node.name} include'",
            )
        elif not in_property:
            self.error(
                node, "'considerations include' can only be used inside a property's 'holds'"
            )
        elif node.value not in self.considerations:
            self.error(
                node,
                f"'{node.value}' is not a declared consideration"
                + self._suggest(node.value, self.considerations),
            )

    def _note_use(self, name: str, used: set[str]) -> None:
        if name in self.derived_nodes:
            used.add(name)

    def _compare(
        self, name: str, op: str, quantity: ast.Quantity, node: Any, allow_pathway: bool = False
    ) -> None:
        kind, domain = self._kind(name, allow_pathway)
        if op == "==":
            self.error(node, "write '=' for equality, not '=='")
            return
        if kind == "missing":
            self._missing(node, name, allow_pathway)
            return
        if kind != "numeric":
            self.error(
                node,
                f"'{name}' is a {_kind_word(kind)} and cannot be compared with a number",
            )
            return
        assert isinstance(domain, NumericDomain)
        self._number(quantity, integer=domain.integer)
        if quantity.unit is not None and quantity.unit != domain.unit:
            expected = f"'{domain.unit}'" if domain.unit else "no unit"
            self.error(
                quantity,
                f"unit mismatch: '{name}' is measured in {expected}, not '{quantity.unit}'",
            )

    def _value(self, name: str, value: ast.Value, allow_pathway: bool = False) -> None:
        kind, domain = self._kind(name, allow_pathway)
        if kind == "missing":
            self._missing(value, name, allow_pathway)
            return
        if isinstance(value, ast.Unknown):
            if not domain.allows_unknown:
                hint = (
                    "add 'unknown' to its values"
                    if name in self.derived_nodes
                    else "declare it with 'or unknown' to allow that"
                )
                self.error(value, f"'{name}' cannot be unknown; {hint}")
            return
        if kind == "numeric":
            self.error(
                value,
                f"'{name}' is a number; compare it (e.g. '{name} <= 5') or test "
                f"'{name} is unknown'",
            )
        elif kind == "boolean":
            if not isinstance(value, ast.BoolLiteral):
                self.error(value, f"'{name}' is yes or no, not '{print_value(value)}'")
        elif isinstance(value, ast.BoolLiteral):
            self.error(value, f"'{name}' is a choice, not yes or no; it is {domain.describe()}")
        elif isinstance(value, ast.Symbol) and value.name not in domain.values:
            what = "a pathway" if kind == "pathway" else f"a value of '{name}'"
            self.error(
                value,
                f"'{value.name}' is not {what}; expected {domain.describe()}"
                + self._suggest(value.name, domain.values),
            )

    # ---------------------------------------------------------------- constraints & rules

    def _constraint(self, decl: ast.ConstraintDecl) -> Constraint:
        self._boolean(decl.condition, set())
        return Constraint(decl.name, decl.title, decl.condition, line=decl.line)

    def _rules(self, items: list[ast.RuleDecl | ast.WhenBlock]) -> tuple[Rule, ...]:
        out: list[Rule] = []
        seen: dict[str, ast.RuleDecl] = {}
        self._block(items, (), out, seen)
        return tuple(out)

    def _block(
        self,
        items: Sequence[ast.RuleDecl | ast.WhenBlock],
        guards: tuple[ast.Expr, ...],
        out: list[Rule],
        seen: dict[str, ast.RuleDecl],
    ) -> None:
        branches: list[ast.Expr] = []
        otherwise: list[ast.RuleDecl] = []
        for item in items:
            if isinstance(item, ast.WhenBlock):
                self._boolean(item.condition, set())
                branches.append(item.condition)
                self._block(item.body, (*guards, item.condition), out, seen)
                continue
            if item.name in seen:
                self.error(item, f"rule '{item.name}' is declared twice")
            seen[item.name] = item
            if item.pathway not in self.pathways:
                self.error(
                    _At(item.line, item.pathway_column),
                    f"'{item.pathway}' is not a declared pathway"
                    + self._suggest(item.pathway, self.pathways),
                )
            if isinstance(item.condition, ast.Otherwise):
                otherwise.append(item)
                continue
            self._boolean(item.condition, set())
            branches.append(item.condition)
            out.append(
                Rule(
                    item.name,
                    item.pathway,
                    guards,
                    item.condition,
                    (),
                    _conjoin((*guards, item.condition)),
                    line=item.line,
                )
            )
        for extra in otherwise[1:]:
            self.error(extra, "a block has at most one 'otherwise' rule")
        if otherwise:
            item = otherwise[0]
            negation: list[ast.Expr] = (
                [ast.Not(_disjoin(branches), line=item.line, column=item.column)]
                if branches
                else []
            )
            out.append(
                Rule(
                    item.name,
                    item.pathway,
                    guards,
                    None,
                    tuple(branches),
                    _conjoin((*guards, *negation)),
                    line=item.line,
                )
            )

    # ---------------------------------------------------------------- properties

    def _property(self, decl: ast.PropertyDecl, found: dict[str, Property]) -> None:
        if decl.name in found:
            self.error(decl, f"property '{decl.name}' is declared twice")
            return
        citations = self._citations(decl.citations)
        body = decl.body
        if isinstance(body, ast.Holds):
            self._boolean(body.condition, set(), allow_pathway=True, in_property=True)
            condition = body.condition
            lines = condition.operands if isinstance(condition, ast.AllOf) else (condition,)
            found[decl.name] = Property(
                decl.name, decl.title, citations, "holds", tuple(lines), line=decl.line
            )
            return
        ok = True
        node = self.derived_nodes.get(body.value)
        if not isinstance(node, ast.TableDecl):
            what = (
                "an input"
                if body.value in self.inputs
                else "a 'let' (yes or no, not ordered)"
                if body.value in self.lets or isinstance(node, ast.LetDecl)
                else "not declared"
            )
            self.error(
                body,
                f"'monotone' needs a table value with ordered values; '{body.value}' is {what}"
                + (self._suggest(body.value, self.tables) if what == "not declared" else ""),
            )
            ok = False
        elif len(node.order) < 2:
            self.error(
                body,
                f"the values of table '{body.value}' have no order; declare it with '<', "
                "e.g. 'values low < moderate < high, unknown'",
            )
            ok = False
        kind, _ = self._kind(body.input, False)
        if kind != "numeric":
            self.error(
                _At(body.line, body.input_column),
                f"'monotone' needs a numeric input after 'in'; '{body.input}' is "
                + (
                    f"a {_kind_word(kind)}"
                    if body.input in self.inputs
                    else "a derived value"
                    if body.input in self.derived_nodes
                    else "not a declared input" + self._suggest(body.input, self.inputs)
                ),
            )
            ok = False
        if ok:
            found[decl.name] = Property(
                decl.name,
                decl.title,
                citations,
                "monotone",
                value=body.value,
                input=body.input,
                line=decl.line,
            )

    # ---------------------------------------------------------------- examples

    def _examples(self, decls: list[ast.ExampleDecl]) -> tuple[Example, ...]:
        by_name: dict[str, ast.ExampleDecl] = {}
        for decl in decls:
            if decl.name in by_name:
                self.error(decl, f"example '{decl.name}' is declared twice")
            else:
                by_name[decl.name] = decl
        out = []
        for decl in decls:
            if by_name.get(decl.name) is not decl:
                continue
            chain = self._like_chain(decl, by_name)
            if chain is None:
                continue
            state: dict[str, object] = {}
            expected: dict[str, object] = {}
            given: set[str] = set()
            for link in reversed(chain):
                for assignment in link.assignments:
                    given.add(assignment.name)
                    self._assign(assignment, state, expected, own=link is decl)
            if decl.pathway not in self.pathways:
                self.error(
                    decl,
                    f"'{decl.pathway}' is not a declared pathway"
                    + self._suggest(decl.pathway, self.pathways),
                )
            for name in decl.considerations:
                if name not in self.considerations:
                    self.error(
                        decl,
                        f"'{name}' is not a declared consideration"
                        + self._suggest(name, self.considerations),
                    )
            missing = [name for name in self.inputs if name not in given]
            if missing:
                self.error(decl, f"example '{decl.name}' gives no value for: " + ", ".join(missing))
            out.append(
                Example(
                    decl.name,
                    MappingProxyType({k: state[k] for k in self.inputs if k in state}),
                    decl.pathway,
                    decl.considerations,
                    MappingProxyType(expected),
                    line=decl.line,
                )
            )
        return tuple(out)

    def _like_chain(
        self, decl: ast.ExampleDecl, by_name: dict[str, ast.ExampleDecl]
    ) -> list[ast.ExampleDecl] | None:
        chain = [decl]
        current = decl
        while current.like is not None:
            parent = by_name.get(current.like)
            if parent is None:
                self.error(
                    current,
                    f"'{current.like}' is not an example" + self._suggest(current.like, by_name),
                )
                return None
            if parent in chain:
                if current is decl or parent is decl:
                    self.error(decl, f"example '{decl.name}' is 'like' itself in a circle")
                return None
            chain.append(parent)
            current = parent
        return chain

    def _assign(
        self,
        assignment: ast.Assignment,
        state: dict[str, object],
        expected: dict[str, object],
        *,
        own: bool,
    ) -> None:
        name = assignment.name
        literal = assignment.value
        if name in self.inputs:
            item = self.inputs[name]
            python = ast.literal_value(literal)
            if isinstance(literal, ast.Quantity):
                domain = item.domain
                if literal.unit is not None and (
                    not isinstance(domain, NumericDomain) or literal.unit != domain.unit
                ):
                    if own:
                        self.error(literal, f"unit mismatch: '{name}' is not in '{literal.unit}'")
                    return
                beyond = (
                    "too small to be told apart from 0"
                    if _underflows(literal)
                    else "too large"
                    if isinstance(literal.value, float) and not math.isfinite(literal.value)
                    else None
                )
                if beyond is not None:
                    if own:
                        self.error(
                            literal,
                            f"not a valid value for '{name}': the number "
                            f"{_short(literal.text)} is {beyond}",
                        )
                    return
            try:
                state[name] = field_validator(item)(python)
            except StateError as error:
                if own:
                    self.error(assignment.value, f"not a valid value for '{name}': {error}")
            return
        if name in self.derived_nodes:
            # Expected derived values belong to the example that states them; an example
            # 'like' another takes over its state, not its expectations.
            if own:
                if isinstance(literal, ast.Quantity):
                    self.error(literal, f"'{name}' is not a number")
                else:
                    self._value(name, literal)
                expected[name] = ast.literal_value(literal)
            return
        if own:
            self.error(
                assignment,
                f"'{name}' is not a declared input or derived value"
                + self._suggest(name, [*self.inputs, *self.derived_nodes]),
            )


class _At:
    """A bare position for diagnostics that point at a line, not a node."""

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _nonempty(domain: NumericDomain) -> bool:
    low, high = domain.low, domain.high
    assert low is not None
    assert high is not None
    if low.value > high.value:
        return False
    if low.value == high.value:
        return low.inclusive and high.inclusive
    if domain.integer:
        first = math.floor(low.value) + 1 if not low.inclusive else math.ceil(low.value)
        last = math.ceil(high.value) - 1 if not high.inclusive else math.floor(high.value)
        return first <= last
    return True


def _a(word: str) -> str:
    """``word`` with its indefinite article: "an input", "a table"."""
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _underflows(quantity: ast.Quantity) -> bool:
    """A number written with a non-zero digit that a float reads as 0 (``1e-400``)."""
    return quantity.value == 0 and bool(_NONZERO_DIGIT.search(re.split("[eE]", quantity.text)[0]))


def _cut_word(match: re.Match[str]) -> str:
    return _short(match.group(), MAX_NAME_SHOWN)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind_word(kind: str) -> str:
    return {"choice": "choice", "boolean": "yes/no value", "numeric": "number"}.get(kind, kind)


def _conjoin(parts: tuple[ast.Expr, ...]) -> ast.Expr:
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return ast.AllOf(())
    return ast.And(parts, line=parts[0].line, column=parts[0].column)


def _disjoin(parts: list[ast.Expr]) -> ast.Expr:
    if len(parts) == 1:
        return parts[0]
    return ast.Or(tuple(parts), line=parts[0].line, column=parts[0].column)


def check(tree: ast.RuleFile, text: str, filename: str = "<string>") -> Model:
    """Check a parsed file; raise :class:`gistpath.RuleSemanticError` listing every problem."""
    return _Checker(tree, text, filename).run()

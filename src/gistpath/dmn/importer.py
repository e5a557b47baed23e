"""DMN model → gistpath rule file: the meaning kept, or a located refusal.

Design: :func:`convert` turns the :class:`gistpath.dmn.values.Definitions` of a model into
a :class:`~gistpath.dmn.conversion.Conversion`: a rule file (built as an :mod:`gistpath.ast`
tree and printed by :mod:`gistpath.printer`, so it is exactly what ``gistpath from-dmn``
shows and what :func:`gistpath.loads` reads) and the maps between DMN names and values and
gistpath ones. This module walks the model (decisions in the order they read each other, the
file around them); the parts it hands work to are :mod:`~gistpath.dmn.inputs` (types and
input data), :mod:`~gistpath.dmn.names` (every name and value name),
:mod:`~gistpath.dmn.entries` (each S-FEEL entry as a cell or condition),
:mod:`~gistpath.dmn.roles` (decisions gistpath exported in a role of its own),
:mod:`~gistpath.dmn.sources` and :mod:`~gistpath.dmn.conversion` (what a conversion holds,
and the way back from a gistpath decision to DMN results).

* Names: lowercased, each run of characters other than ASCII letters, digits and ``_``
  replaced by one ``_``, stripped of ``_`` at both ends (:func:`gistpath_name`). A name that
  would start with a digit, be empty, or be a word of the rules language gets a prefix or a
  suffix; two DMN names that meet on one gistpath name are refused.
* Input data become inputs: ``number`` (with no allowed values: unbounded; with a range
  ``[a..b]`` or a comparison: bounded), ``string`` with allowed values (from the input data's
  item definition or the tables' ``inputValues``) a choice of those values, ``string``
  without them a choice of the texts the tables test plus ``other`` (any other text),
  ``boolean`` a boolean.
* A single-hit table (UNIQUE, ANY, PRIORITY, FIRST) becomes a table of the same hit policy:
  one row per DMN rule, in order (so row *n* is DMN rule *n*), one value per distinct output
  (a tuple of outputs when the table has several output columns), the PRIORITY order being
  the order of the ``values`` line, a ``defaultOutputEntry`` the table's ``default``, rule
  annotations its annotation columns.
* A multiple-hit table (RULE ORDER, OUTPUT ORDER, COLLECT with or without SUM, MIN, MAX or
  COUNT) gives a list, which a gistpath table cannot hold: each of its rules becomes a
  boolean ``let`` (``<decision>_rule_<n>``) and
  :meth:`~gistpath.dmn.conversion.Conversion.results` builds the list (or its aggregate)
  from the lets that hold, as DMN orders it.
* The one pathway, ``decided``, is chosen by every state: a DMN model has decisions, not
  pathways, and its results are the derived values named after its decisions.

Numeric entries that need ``or`` (a list of numeric tests, ``not`` of an interval) become a
``let`` read by a column of its own (see ``_helper_columns``); the rule numbers stay.

* ``null`` in allowed values: the input allows ``unknown``; knowledge sources become sources
  and each authority requirement a citation of the decision's table (its description the
  section); decisions marked with a ``gistpath:role`` (what ``gistpath to-dmn`` writes)
  become lets, constraints, rules with pathways and considerations (:mod:`~gistpath.dmn.roles`).

Limits: string comparisons are refused, as are tables read by other decisions unless they are
single-hit with one string or boolean output, and every FEEL construct beyond S-FEEL (FEEL's
``null`` aside). A multiple-hit table is remembered by the conversion (its
:class:`~gistpath.dmn.conversion.MultipleHit`), not by the rule file: exporting the
:class:`~gistpath.dmn.DmnModel` (``gistpath to-dmn model.dmn``) writes the table back, while
the rule file ``from-dmn`` prints has only its lets, which export as let decisions.
``Conversion``, ``DecisionMap``, ``InputMap`` and ``gistpath_name`` are importable from
here as before the split.
"""

from __future__ import annotations

from types import MappingProxyType

import attrs

from gistpath import ast
from gistpath.dmn import feel
from gistpath.dmn.conversion import SINGLE_HIT, Conversion, DecisionMap, InputMap, MultipleHit
from gistpath.dmn.entries import (
    Either,
    cell,
    condition,
    output_entry,
    output_value,
    unary_tests,
)
from gistpath.dmn.inputs import build_inputs, column_input
from gistpath.dmn.names import (
    PATHWAY,
    RESERVED,
    SOURCE,
    Names,
    gistpath_name,
    safe_name,
    tuple_key,
    value_name,
)
from gistpath.dmn.roles import convert_role
from gistpath.dmn.sources import citations, read_sources
from gistpath.dmn.values import (
    Decision,
    DecisionTable,
    Definitions,
    DmnError,
    Place,
    Text,
)
from gistpath.language import UNKNOWN
from gistpath.printer import print_rule_file


@attrs.frozen
class Reference:
    """An output entry naming another decision: its result is this rule's output."""

    decision: DecisionMap


class _Converter:
    """One model's conversion: the names handed out and the declarations written so far.

    :meth:`run` builds the sources, the inputs (:func:`~gistpath.dmn.inputs.build_inputs`)
    and the decisions, then the file. The methods below, in order: the decisions (in the
    order they read each other; a table's columns, cells, outputs, priorities and values),
    the helper columns of entries that need ``or``, then :meth:`run`.
    """

    def __init__(self, definitions: Definitions) -> None:
        self.defs = definitions
        self.names = Names()
        self.items = {item.name: item for item in definitions.item_definitions}
        self.input_by_id = {i.id: i for i in definitions.inputs}
        self.input_by_name = {i.name: i for i in definitions.inputs}
        self.decision_by_id = {d.id: d for d in definitions.decisions}
        self.decision_by_name = {d.name: d for d in definitions.decisions}
        self.inputs: dict[str, InputMap] = {}
        self.decisions: dict[str, DecisionMap] = {}
        self.declarations: list[ast.Declaration] = []
        self.sources: dict[str, str] = {}  # knowledge source id -> gistpath source name
        self.source_names: dict[str, str] = {}  # knowledge source name -> gistpath name
        self.source_decls: list[ast.Declaration] = []
        #: pathways, considerations and rules, where the model has a gistpath pathway
        self.tail: list[ast.Declaration] = []

    def build_sources(self) -> None:
        """Each knowledge source as a source of the rule file (:mod:`~gistpath.dmn.sources`)."""
        self.sources, self.source_names, self.source_decls = read_sources(self.defs.sources)

    def order(self) -> list[Decision]:
        """Decisions with every decision they read before them."""
        done: list[Decision] = []
        state: dict[str, int] = {}

        def visit(decision: Decision, path: list[str]) -> None:
            if state.get(decision.id) == 2:
                return
            if state.get(decision.id) == 1:
                raise decision.place.error(
                    "decisions read each other in a cycle: " + " -> ".join([*path, decision.name])
                )
            state[decision.id] = 1
            for clause in decision.table.inputs:
                kind, target = column_input(self, clause)
                if kind == "decision":
                    visit(target, [*path, decision.name])  # type: ignore[arg-type]
            for ident in decision.required_decisions:
                if ident not in self.decision_by_id:
                    raise decision.place.error(
                        f"it requires decision '#{ident}', which is not in the file"
                    )
                visit(self.decision_by_id[ident], [*path, decision.name])
            state[decision.id] = 2
            done.append(decision)

        for decision in self.defs.decisions:
            for ident in decision.required_inputs:
                if ident not in self.input_by_id:
                    raise decision.place.error(
                        f"it requires input '#{ident}', which is not in the file"
                    )
            visit(decision, [])
        return done

    def build_decisions(self) -> None:
        for decision in self.order():
            self.decision(decision)

    def columns(self, decision: Decision) -> tuple[list[str], list[tuple[str, object]]]:
        """The gistpath names a table's input columns read, and what each reads."""
        table = decision.table
        columns: list[str] = []
        kinds: list[tuple[str, object]] = []
        for clause in table.inputs:
            kind, target = column_input(self, clause)
            if kind == "input":
                mapped = self.inputs[target.name]  # type: ignore[attr-defined]
                columns.append(mapped.name)
            else:
                read = self.decisions[target.name]  # type: ignore[attr-defined]
                if read.role not in ("let", "pathway", "constraint") and (
                    not read.single_hit
                    or len(read.components) > 1
                    or any(not isinstance(v[0], (str, bool)) for v in read.values.values())
                ):
                    raise clause.place.error(
                        f"this column reads decision '{read.dmn_name}', whose result is "
                        "not one text or boolean; gistpath tables read single-hit decisions "
                        "with one text or boolean output"
                    )
                mapped = read  # type: ignore[assignment]
                columns.append(read.name)
            kinds.append((kind, mapped))
        if len(set(columns)) != len(columns):
            raise table.place.error(
                "two input columns read the same input; gistpath cannot import that"
            )
        return columns, kinds

    def cells(
        self, decision: Decision, columns: list[str], kinds: list[tuple[str, object]]
    ) -> list[tuple[ast.Cell | Either, ...]]:
        """Each rule's input entries as cells (or conditions needing 'or')."""
        return [
            tuple(cell(rule.inputs[i], kinds[i], columns[i]) for i in range(len(columns)))
            for rule in decision.table.rules
        ]

    def citations(self, decision: Decision) -> list[ast.Citation]:
        """What a decision's table cites (:func:`~gistpath.dmn.sources.citations`)."""
        return citations(decision, self.sources)

    def decision(self, decision: Decision) -> None:
        """Convert one decision: one gistpath exported in a role of its own (a let, a
        constraint, the pathway) goes to :func:`convert_role`; a single-hit table becomes a
        gistpath table, a multiple-hit table a let per rule saying whether the rule holds.
        Outputs, defaults and aggregations are checked first; the result is recorded in
        ``self.decisions`` for :meth:`gistpath.dmn.DmnModel.evaluate`."""
        role = decision.extension.get("role")
        if role is not None:
            convert_role(self, decision, role)
            return
        table = decision.table
        name = self.names.claim(decision.name, "decision", decision.place)
        columns, kinds = self.columns(decision)
        rows_cells = self.cells(decision, columns, kinds)
        outputs = [self._outputs(decision, rule.outputs) for rule in table.rules]
        for rule, row in zip(table.rules, outputs, strict=True):
            for output, value, entry in zip(table.outputs, row, rule.outputs, strict=True):
                if not isinstance(value, Reference):
                    self._check_output(output, value, entry)
        default: tuple[object, ...] | None = None
        defaults = [clause.default for clause in table.outputs]
        if any(d is not None for d in defaults):
            if any(d is None for d in defaults):
                raise table.place.error(
                    "some output columns have a default output entry and some do not; "
                    "gistpath imports a default for every output or none"
                )
            default = tuple(output_value(d) for d in defaults)  # type: ignore[arg-type]
        components = tuple(
            clause.name or clause.label or f"output {i + 1}"
            for i, clause in enumerate(table.outputs)
        )
        if table.aggregation is not None:
            if len(table.outputs) > 1:
                raise table.place.error(
                    "an aggregation over several output columns is not defined in DMN"
                )
            if table.aggregation != "COUNT" and any(
                not isinstance(o[0], (int, float)) or isinstance(o[0], bool) for o in outputs
            ):
                raise table.place.error(f"{table.aggregation} needs numeric outputs")
        priority = self._priorities(table, outputs)
        title = decision.label or decision.name
        if table.hit_policy in SINGLE_HIT:
            table_cells = self._helper_columns(decision, columns, rows_cells)
            self._table(decision, name, columns, table_cells, outputs, default, priority)
            values_map = self._single_values(table, outputs, default, priority)
            self.decisions[decision.name] = DecisionMap(
                decision.name,
                name,
                table.hit_policy,
                None,
                components,
                MappingProxyType(dict(values_map.values())),
                (),
                (),
                (),
                default,
            )
            return
        lets = []
        for rule, cells in zip(table.rules, rows_cells, strict=True):
            let_name = self.names.claim(
                f"{decision.name} rule {rule.number}", "decision", rule.place
            )
            note = "; ".join(a for a in rule.annotations if a)
            let_title = f"{title}, rule {rule.number}" + (f": {note}" if note else "")
            expr = condition(columns, kinds, cells)
            if expr is None:
                expr = self._always(columns, kinds)
            self.declarations.append(ast.LetDecl(let_name, let_title, expr))
            lets.append(let_name)
        written = MultipleHit(
            tuple(
                (
                    clause.name,
                    clause.type_ref,
                    clause.allowed.text if clause.allowed else None,
                    clause.default.text if clause.default else None,
                )
                for clause in table.outputs
            ),
            tuple(tuple(t.text for t in rule.outputs) for rule in table.rules),
            table.annotations,
            tuple(rule.annotations for rule in table.rules),
        )
        self.decisions[decision.name] = DecisionMap(
            decision.name,
            name,
            table.hit_policy,
            table.aggregation,
            components,
            MappingProxyType({}),
            tuple(lets),
            tuple(outputs),
            tuple(priority),
            default,
            multiple=written,
        )

    def _outputs(self, decision: Decision, entries: tuple[Text, ...]) -> tuple[object, ...]:
        """A rule's outputs: literals, or (one output) the name of a decision it reads."""
        if len(entries) != 1 or decision.table.hit_policy not in SINGLE_HIT:
            return tuple(output_value(t) for t in entries)
        (entry,) = entries
        found = output_entry(entry)
        if not isinstance(found, feel.Name):
            return (found.value,)
        other = self.decision_by_name.get(found.text)
        read = self.decisions.get(found.text)
        if (
            other is None
            or other.id not in decision.required_decisions
            or read is None
            or not read.single_hit
            or len(read.components) > 1
        ):
            raise entry.place.error(
                f"the output '{entry.text}' is a name; gistpath reads a name here only when "
                "it is a single-hit decision with one output that this decision requires"
            )
        return (Reference(read),)

    def _check_output(self, clause: object, value: object, entry: Text) -> None:
        type_ref = getattr(clause, "type_ref", None)
        if type_ref is None:
            return
        base = {"number": (int, float), "string": (str,), "boolean": (bool,)}.get(type_ref)
        if base is not None and (
            not isinstance(value, base) or (type_ref == "number" and isinstance(value, bool))
        ):
            raise entry.place.error(f"the output '{entry.text}' is not a {type_ref}")

    def _priorities(
        self, table: DecisionTable, outputs: list[tuple[object, ...]]
    ) -> list[tuple[int, ...]]:
        """Per rule, the rank of each output in its column's outputValues (0 = first)."""
        orders: list[list[object] | None] = []
        for clause in table.outputs:
            if clause.allowed is None:
                orders.append(None)
                continue
            tests = unary_tests(clause.allowed)
            if tests.negated or not all(isinstance(t, feel.Equal) for t in tests.tests):
                raise clause.allowed.place.error(
                    f"the output values '{clause.allowed.text}' are not a list of values"
                )
            orders.append([t.value.value for t in tests.tests])  # type: ignore[union-attr]
        ranks = []
        for rule, row in zip(table.rules, outputs, strict=True):
            rank = []
            for clause, order, value, entry in zip(
                table.outputs, orders, row, rule.outputs, strict=True
            ):
                if order is None:
                    rank.append(0)
                    continue
                if isinstance(value, Reference):  # gistpath tries these rows last
                    rank.append(len(order))
                    continue
                if value not in order:
                    raise entry.place.error(
                        f"the output {entry.text} is not one of the output values "
                        f"{clause.allowed.text}"  # type: ignore[union-attr]
                    )
                rank.append(order.index(value))
            ranks.append(tuple(rank))
        if table.hit_policy in ("PRIORITY", "OUTPUT ORDER") and all(o is None for o in orders):
            raise table.place.error(
                f"hit policy {table.hit_policy} needs output values (outputValues) to give "
                "the priority order"
            )
        return ranks

    def _single_values(
        self,
        table: DecisionTable,
        outputs: list[tuple[object, ...]],
        default: tuple[object, ...] | None,
        priority: list[tuple[int, ...]],
    ) -> dict[tuple[tuple[str, object], ...], tuple[str, tuple[object, ...]]]:
        """Each distinct output tuple (typed: ``1`` is not ``true``) → its value name and
        the tuple, in the ``values`` line's order: a single output's output values first
        (every value the decision may give, in priority order), then the rules' outputs
        (for PRIORITY ranked by their outputs' priority, rule order among equals), then
        the default."""
        tuples: list[tuple[object, ...]] = []
        order = table.outputs[0].allowed if len(table.outputs) == 1 else None
        if order is not None:
            tuples += [(t.value.value,) for t in unary_tests(order).tests]  # type: ignore[union-attr]
        ranked = range(len(outputs))
        if table.hit_policy == "PRIORITY":
            ranked = sorted(ranked, key=lambda i: priority[i])  # type: ignore[assignment]
        for i in ranked:
            first = outputs[i][0]
            if isinstance(first, Reference):  # the values the other decision gives
                tuples += list(first.decision.values.values())
            else:
                tuples.append(outputs[i])
        if default is not None:
            tuples.append(default)
        out: dict[tuple[tuple[str, object], ...], tuple[str, tuple[object, ...]]] = {}
        used: set[str] = set()
        for values in tuples:
            typed = tuple_key(values)
            if typed in out:
                continue
            base = "__".join(value_name(v) for v in values)
            if values == (UNKNOWN,):
                base = UNKNOWN  # a table may give 'unknown' (a value no row can place)
            name = base
            n = 2
            while name in used or (name in RESERVED and name != UNKNOWN):
                name = f"{base}_{n}"
                n += 1
            used.add(name)
            out[typed] = (name, values)
        return out

    def _table(
        self,
        decision: Decision,
        name: str,
        columns: list[str],
        rows_cells: list[tuple[ast.Cell, ...]],
        outputs: list[tuple[object, ...]],
        default: tuple[object, ...] | None,
        priority: list[tuple[int, ...]],
    ) -> None:
        """Declare ``decision`` as a gistpath table ``name`` over ``columns``: one row per
        rule with its cells (``rows_cells``) and its output (a value of ``outputs`` or the
        decision it names), the annotations as note columns. ``default`` and ``priority``
        decide which value names the table declares and in which order."""
        table = decision.table
        values_map = self._single_values(table, outputs, default, priority)
        n_notes = max([len(table.annotations)] + [len(r.annotations) for r in table.rules])
        note_columns = []
        for i in range(n_notes):
            label = table.annotations[i] if i < len(table.annotations) else "annotation"
            base = safe_name(label, "note") or "annotation"
            column = base
            n = 2
            while column in columns or column == name or column in note_columns:
                column = f"{base}_{n}"
                n += 1
            note_columns.append(column)
        rows = []
        for rule, cells, row in zip(table.rules, rows_cells, outputs, strict=True):
            notes: list[ast.Cell] = [
                ast.TextCell(" ".join(rule.annotations[i].split()))
                if i < len(rule.annotations) and rule.annotations[i].strip()
                else ast.AnyCell()
                for i in range(n_notes)
            ]
            if isinstance(row[0], Reference):
                output = ast.ValuesCell((ast.Symbol(row[0].decision.name),))
            else:
                output = ast.ValuesCell((ast.Symbol(values_map[tuple_key(row)][0]),))
            rows.append(ast.TableRow((*cells, output, *notes)))
        if not rows:
            raise table.place.error("this decision table has no rules")
        properties: list[ast.Property | ast.Citation | ast.AppliesWhen] = [
            ast.Property("summary", _summary(decision)),
            *self.citations(decision),
        ]
        names = tuple(name for name, _ in values_map.values())
        self.declarations.append(
            ast.TableDecl(
                name=name,
                title=decision.label or decision.name,
                values=names,
                hit=table.hit_policy.lower(),
                properties=tuple(properties),
                columns=(*columns, name, *note_columns),
                rows=tuple(rows),
                default=values_map[tuple_key(default)][0] if default is not None else None,
                order=self._order(decision, names),
            )
        )

    def _order(self, decision: Decision, names: tuple[str, ...]) -> tuple[str, ...]:
        """The values' order as gistpath wrote it (``gistpath:order``): a prefix of values."""
        written = decision.extension.get("order")
        if not written:
            return ()
        order = tuple(written.split())
        if names[: len(order)] != order:
            raise decision.place.error(
                f"its gistpath:order '{written}' is not the first of its output values "
                f"({', '.join(names)})"
            )
        return order

    def _helper_columns(
        self,
        decision: Decision,
        columns: list[str],
        rows_cells: list[tuple[ast.Cell | Either, ...]],
    ) -> list[tuple[ast.Cell, ...]]:
        """Cells that need 'or' become a yes/no ``let`` read by a column of its own.

        A table cell holds one range; ``< 5, > 10`` or ``not([1..5])`` hold two. The
        entry's condition becomes ``let <decision>_rule_<n>_<input>``, the table gains a
        column of that name (``yes`` in rule *n*, ``-`` in every other) and the entry's
        own cell becomes ``-``: the same states match, the rule numbers stay.
        """
        helpers: list[tuple[int, str]] = []  # (rule index, let name)
        out: list[list[ast.Cell]] = []
        for index, (rule, cells) in enumerate(zip(decision.table.rules, rows_cells, strict=True)):
            row: list[ast.Cell] = []
            for entry, clause in zip(cells, decision.table.inputs, strict=True):
                if isinstance(entry, Either):
                    dmn_input = clause.expression.text.strip()
                    let_name = self.names.claim(
                        f"{decision.name} rule {rule.number} {dmn_input}", "decision", rule.place
                    )
                    title = f"{decision.label or decision.name}, rule {rule.number}: {dmn_input}"
                    self.declarations.append(ast.LetDecl(let_name, title, entry.expr))
                    helpers.append((index, let_name))
                    row.append(ast.AnyCell())
                else:
                    row.append(entry)
            out.append(row)
        for index, let_name in helpers:
            columns.append(let_name)
            for number, row in enumerate(out):
                row.append(
                    ast.ValuesCell((ast.BoolLiteral(True),)) if number == index else ast.AnyCell()
                )
        return [tuple(row) for row in out]

    def _always(self, columns: list[str], kinds: list[tuple[str, object]]) -> ast.Expr:
        """A condition every state meets, for a rule whose entries are all '-'."""
        for decl in self.declarations:
            if isinstance(decl, ast.InputDecl):
                if isinstance(decl.type, ast.BooleanType):
                    ref = ast.Reference(decl.name)
                    return ast.Or((ref, ast.Not(ref)))  # 'not b' holds on unknown
                if isinstance(decl.type, ast.ChoiceType):
                    values = ast.InTest(decl.name, decl.type.values)
                    if decl.allows_unknown:
                        return ast.Or((values, ast.IsTest(decl.name, ast.Unknown())))
                    return values
                zero = ast.Quantity(0, "0")
                unknown = (ast.IsTest(decl.name, ast.Unknown()),) if decl.allows_unknown else ()
                return ast.Or(
                    (
                        ast.Comparison(decl.name, "<=", zero),
                        ast.Comparison(decl.name, ">", zero),
                        *unknown,
                    )
                )
        del columns, kinds
        raise self.defs_place().error("a model without input data cannot be imported")

    def defs_place(self) -> Place:
        return Place(self.defs.filename, 1, "definitions", None)

    def run(self) -> Conversion:
        """The whole model as a :class:`Conversion`: the rule file's syntax tree and text
        (header and sources, fields, tables and lets, and the rules a gistpath export
        carried or else one pathway every state reaches) and how each DMN input and
        decision maps to it. Raises :class:`DmnError` at the place of the first thing it
        cannot convert."""
        self.build_sources()
        build_inputs(self)
        self.build_decisions()
        if not self.defs.decisions:
            raise self.defs_place().error("the model has no decision")
        model = self.defs.name or "DMN model"
        extension = self.defs.extension
        header: list[ast.Declaration] = [
            ast.RulesetDecl(
                safe_name(model, "model"),
                self.defs.label or model,
                (
                    ast.Property(
                        "summary",
                        self.defs.description
                        or f"The decisions of the DMN model '{model}', imported by gistpath.",
                    ),
                    *(
                        ast.Property(key, extension[key])
                        for key in ("version", "audience", "note")
                        if extension.get(key)
                    ),
                ),
            ),
            *self.source_decls,
        ]
        if SOURCE not in self.sources.values():
            header.append(ast.SourceDecl(
                SOURCE,
                model,
                (
                    ast.Property(
                        "note",
                        f"DMN {self.defs.version} model '{model}' (namespace "
                        f"{self.defs.namespace or 'not given'}), read from "
                        f"{self.defs.filename}.",
                    ),
                ),
            ))  # fmt: skip
        inputs = [d for d in self.declarations if isinstance(d, ast.InputDecl)]
        derived = [d for d in self.declarations if not isinstance(d, ast.InputDecl)]
        tail: list[ast.Declaration] = self.tail or [
            ast.PathwayDecl(
                PATHWAY,
                "Every decision of the model evaluated",
                (
                    ast.Property(
                        "summary",
                        "A DMN model has decisions rather than pathways: every state reaches "
                        "this one, and the results are the derived values named after the "
                        "model's decisions.",
                    ),
                    ast.Citation(SOURCE, None),
                ),
            ),
            ast.RuleDecl(PATHWAY, PATHWAY, ast.Otherwise()),
        ]
        tree = ast.RuleFile(tuple(header + inputs + derived + tail))
        text = (
            f"# Imported from the DMN {self.defs.version} model '{model}' by gistpath "
            "from-dmn.\n# Row n of each table is rule n of the DMN decision table.\n\n"
            + print_rule_file(tree)
        )
        return Conversion(
            self.defs,
            tree,
            text,
            MappingProxyType(dict(self.inputs)),
            MappingProxyType(dict(self.decisions)),
        )


def _summary(decision: Decision) -> str:
    """The summary line of a decision's table: its name, hit policy and description."""
    table = decision.table
    text = f"DMN decision '{decision.name}', hit policy {table.hit_policy}"
    if table.aggregation:
        text += f" with {table.aggregation}"
    text += "."
    if decision.description:
        text += " " + " ".join(decision.description.split())
    return text


def convert(definitions: Definitions) -> Conversion:
    """The rule file and name maps for a DMN model (raises :class:`DmnError`)."""
    return _Converter(definitions).run()


__all__ = ["Conversion", "DecisionMap", "DmnError", "InputMap", "convert", "gistpath_name"]

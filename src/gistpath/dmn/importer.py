"""DMN model → gistpath rule file: the meaning kept, or a located refusal.

Design: :func:`convert` turns the :class:`gistpath.dmn.reader.Definitions` of a model into
a :class:`Conversion`: a rule file (built as an :mod:`gistpath.ast` tree and printed by
:mod:`gistpath.printer`, so it is exactly what ``gistpath from-dmn`` shows and what
:func:`gistpath.loads` reads) and the maps between DMN names and values and gistpath ones.

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
  boolean ``let`` (``<decision>_rule_<n>``) and :meth:`Conversion.results` builds the list
  (or its aggregate) from the lets that hold, as DMN orders it.
* The one pathway, ``decided``, is chosen by every state: a DMN model has decisions, not
  pathways, and its results are the derived values named after its decisions.

Numeric entries that need ``or`` (a list of numeric tests, ``not`` of an interval) become a
``let`` read by a column of its own (see ``_helper_columns``); the rule numbers stay.

Limits: string comparisons are refused, as are tables read by other decisions unless they are
single-hit with one string or boolean output, and every FEEL construct beyond S-FEEL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import attrs

from gistpath import ast
from gistpath.dmn import feel
from gistpath.dmn.reader import (
    Decision,
    DecisionTable,
    Definitions,
    DmnError,
    InputClause,
    Place,
    Text,
)
from gistpath.errors import StateError
from gistpath.printer import print_rule_file

#: Words of the rules language that cannot be names.
RESERVED = frozenset(
    [
        "ruleset", "source", "pathway", "consideration", "cites", "when", "input", "or",
        "unknown", "choice", "boolean", "integer", "number", "let", "constraint", "rule",
        "otherwise", "example", "like", "with", "table", "values", "hit", "default", "not",
        "and", "implies", "exactly", "in", "is", "yes", "no", "property", "holds", "monotone",
        "include",
    ]
)  # fmt: skip
SINGLE_HIT = ("UNIQUE", "ANY", "PRIORITY", "FIRST")
PATHWAY = "decided"
SOURCE = "dmn_model"
OTHER = "other"
_RUN = re.compile(r"[^a-z0-9_]+")


def gistpath_name(name: str) -> str:
    """``"Approval Status"`` → ``approval_status`` (the bare rule; see :func:`_safe_name`)."""
    return _RUN.sub("_", name.lower()).strip("_")


def _safe_name(name: str, prefix: str) -> str:
    base = gistpath_name(name)
    if not base or base[0].isdigit():
        base = f"{prefix}_{base}".rstrip("_")
    if base in RESERVED:
        base = f"{base}_{prefix}"
    return base


@attrs.frozen
class _Either:
    """A numeric entry that needs 'or' (a list of ranges, not(...) of an interval)."""

    expr: ast.Expr


@attrs.frozen
class InputMap:
    """One DMN input data and the gistpath input it became."""

    dmn_name: str
    name: str
    kind: str  # "number", "integer", "string", "boolean"
    values: Mapping[str, str]  # string inputs: DMN text -> choice value
    other: str | None  # the choice value that stands for every text not listed


@attrs.frozen
class DecisionMap:
    """One DMN decision and what it became: a table, or one ``let`` per rule."""

    dmn_name: str
    name: str
    hit_policy: str
    aggregation: str | None
    components: tuple[str, ...]  # the output columns' names when there are several
    values: Mapping[str, tuple[object, ...]]  # single-hit: table value -> DMN outputs
    rule_lets: tuple[str, ...]  # multiple-hit: the let of each rule
    rule_outputs: tuple[tuple[object, ...], ...]  # multiple-hit: each rule's outputs
    rule_priority: tuple[tuple[int, ...], ...]  # OUTPUT ORDER: each rule's sort key
    default: tuple[object, ...] | None

    @property
    def single_hit(self) -> bool:
        return self.hit_policy in SINGLE_HIT


@attrs.frozen
class Conversion:
    """A DMN model as a gistpath rule file, with the maps between the two."""

    definitions: Definitions
    tree: ast.RuleFile
    text: str
    inputs: Mapping[str, InputMap]  # by DMN name
    decisions: Mapping[str, DecisionMap]  # by DMN name

    def state(self, dmn_inputs: Mapping[str, object]) -> dict[str, object]:
        """A gistpath state from input values keyed by DMN input names.

        A text a string input does not list becomes ``other`` where the input has it, and is
        passed on unchanged otherwise (the rule set then refuses it with a StateError).
        """
        state: dict[str, object] = {}
        for dmn_name, value in dmn_inputs.items():
            found = self.inputs.get(dmn_name)
            if found is None:
                raise StateError(
                    str(dmn_name),
                    value,
                    "the name of an input data: " + ", ".join(repr(n) for n in self.inputs),
                    reason="the model has no input data of this name",
                )
            if found.kind == "string" and isinstance(value, str):
                mapped = found.values.get(value)
                if mapped is None and found.other is not None:
                    mapped = found.other
                state[found.name] = value if mapped is None else mapped
            else:
                state[found.name] = value
        return state

    def results(self, values: Mapping[str, object]) -> dict[str, object]:
        """Every decision's DMN result from a gistpath decision's ``values``.

        A single output is its value, several are a dict by output name; a multiple-hit
        table gives a list (COLLECT and RULE ORDER in rule order, OUTPUT ORDER by the
        output values' priority) or its SUM, MIN, MAX or COUNT; no match gives ``None``
        (the default output where the table has one).
        """
        out: dict[str, object] = {}
        for decision in self.decisions.values():
            if decision.single_hit:
                got = values.get(decision.name)
                outputs = decision.values[got] if isinstance(got, str) else decision.default
                out[decision.dmn_name] = _shape(decision, outputs)
                continue
            hits = [
                number for number, let in enumerate(decision.rule_lets) if values.get(let) is True
            ]
            if decision.hit_policy == "OUTPUT ORDER":
                hits.sort(key=lambda n: decision.rule_priority[n])
            items = [decision.rule_outputs[n] for n in hits]
            if not items and decision.default is not None:
                items = [decision.default]
            if decision.aggregation is None:
                out[decision.dmn_name] = [_shape(decision, item) for item in items]
                continue
            numbers = [item[0] for item in items]
            if decision.aggregation == "COUNT":
                out[decision.dmn_name] = len(numbers)
            elif not numbers:
                out[decision.dmn_name] = None
            elif decision.aggregation == "SUM":
                out[decision.dmn_name] = sum(numbers)  # type: ignore[arg-type]
            elif decision.aggregation == "MIN":
                out[decision.dmn_name] = min(numbers)  # type: ignore[type-var]
            else:
                out[decision.dmn_name] = max(numbers)  # type: ignore[type-var]
        return out


def _shape(decision: DecisionMap, outputs: tuple[object, ...] | None) -> object:
    if outputs is None:
        return None
    if len(decision.components) > 1:
        return dict(zip(decision.components, outputs, strict=True))
    return outputs[0]


# --------------------------------------------------------------------------- the conversion


def _literal_python(value: feel.Literal) -> object:
    return value.value


def _value_name(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = repr(value) if isinstance(value, float) else str(value)
        return "n" + text.replace("-", "minus_").replace(".", "_").replace("+", "")
    return _safe_name(str(value), "v")


class _Names:
    """Hands out gistpath names, refusing two DMN names that meet on one."""

    def __init__(self) -> None:
        self.taken: dict[str, str] = {PATHWAY: "(the pathway)", SOURCE: "(the source)"}

    def claim(self, dmn_name: str, prefix: str, place: Place) -> str:
        name = _safe_name(dmn_name, prefix)
        holder = self.taken.get(name)
        if holder is not None:
            raise place.error(
                f"the name '{dmn_name}' becomes '{name}', which {holder} already has; "
                "rename one of them"
            )
        self.taken[name] = f"'{dmn_name}'"
        return name


def _values_for(names: Sequence[object]) -> dict[object, str]:
    """A distinct value name for each DMN value (``_2``, ``_3`` where two would meet)."""
    out: dict[object, str] = {}
    used: set[str] = set()
    for value in names:
        key = (type(value).__name__, value)
        if key in out:
            continue
        base = _value_name(value)
        name = base
        n = 2
        while name in used or name in RESERVED or name == "unknown":
            name = f"{base}_{n}"
            n += 1
        used.add(name)
        out[key] = name
    return out


def _key(value: object) -> tuple[str, object]:
    return (type(value).__name__, value)


def _tuple_key(values: tuple[object, ...]) -> tuple[tuple[str, object], ...]:
    return tuple(_key(v) for v in values)


class _Converter:
    def __init__(self, definitions: Definitions) -> None:
        self.defs = definitions
        self.names = _Names()
        self.items = {item.name: item for item in definitions.item_definitions}
        self.input_by_id = {i.id: i for i in definitions.inputs}
        self.input_by_name = {i.name: i for i in definitions.inputs}
        self.decision_by_id = {d.id: d for d in definitions.decisions}
        self.decision_by_name = {d.name: d for d in definitions.decisions}
        self.inputs: dict[str, InputMap] = {}
        self.decisions: dict[str, DecisionMap] = {}
        self.declarations: list[ast.Declaration] = []

    # ---------------------------------------------------------------- FEEL

    def tests(self, text: Text) -> feel.UnaryTests:
        try:
            return feel.parse_unary_tests(text.text)
        except feel.FeelError as error:
            raise text.place.error(f"{error} (in '{text.text}', column {error.column})") from None

    def literal(self, text: Text) -> feel.Literal:
        try:
            return feel.parse_literal(text.text)
        except feel.FeelError as error:
            raise text.place.error(
                f"{error} (in '{text.text}', column {error.column}); an output entry must "
                "be one literal"
            ) from None

    # ---------------------------------------------------------------- types

    def base_type(self, type_ref: str | None, place: Place) -> tuple[str, Text | None]:
        """The built-in type under ``type_ref`` and the allowed values met on the way."""
        allowed: Text | None = None
        seen: set[str] = set()
        while type_ref is not None and type_ref in self.items and type_ref not in seen:
            seen.add(type_ref)
            item = self.items[type_ref]
            if item.components or item.is_collection:
                raise item.place.error(
                    f"item definition '{item.name}' is a structure or a collection; "
                    "gistpath inputs are numbers, texts or booleans"
                )
            if allowed is None:
                allowed = item.allowed
            type_ref = item.type_ref
        if type_ref is None:
            raise place.error("no type is given (typeRef); gistpath needs one to read the input")
        base = {
            "number": "number",
            "double": "number",
            "decimal": "number",
            "integer": "integer",
            "long": "integer",
            "int": "integer",
            "string": "string",
            "boolean": "boolean",
        }.get(type_ref)
        if base is None:
            raise place.error(
                f"the type '{type_ref}' is not imported by gistpath (numbers, strings and "
                "booleans are; dates, times, durations and structures are not)"
            )
        return base, allowed

    # ---------------------------------------------------------------- inputs

    def column_input(self, clause: InputClause) -> tuple[str, object]:
        """What an input clause reads: ("input", InputData) or ("decision", Decision)."""
        expression = clause.expression.text.strip()
        if expression in self.input_by_name:
            return "input", self.input_by_name[expression]
        if expression in self.decision_by_name:
            return "decision", self.decision_by_name[expression]
        raise clause.expression.place.error(
            f"the input expression '{expression}' is not the name of an input data or a "
            "decision of this model; gistpath reads names only, not FEEL expressions"
        )

    def build_inputs(self) -> None:
        # Which string texts each string input's table entries mention, and inputValues.
        mentioned: dict[str, list[str]] = {}
        listed: dict[str, list[str]] = {}
        types: dict[str, tuple[str, str, Text | None]] = {}
        for data in self.defs.inputs:
            type_ref = data.type_ref or self._type_from_tables(data.name)
            base, allowed = self.base_type(type_ref, data.place)
            types[data.name] = (type_ref or "", base, allowed)
        for decision in self.defs.decisions:
            for index, clause in enumerate(decision.table.inputs):
                kind, target = self.column_input(clause)
                if kind != "input" or types[target.name][1] != "string":  # type: ignore[attr-defined]
                    continue
                name: str = target.name  # type: ignore[attr-defined]
                if clause.allowed is not None:
                    listed.setdefault(name, []).extend(self._string_list(clause.allowed))
                for rule in decision.table.rules:
                    tests = self.tests(rule.inputs[index])
                    for test in tests.tests:
                        literal = getattr(test, "value", None)
                        if isinstance(literal, feel.String):
                            mentioned.setdefault(name, []).append(literal.value)
        for data in self.defs.inputs:
            type_ref, base, allowed = types[data.name]
            name = self.names.claim(data.name, "input", data.place)
            spec: ast.TypeSpec
            values: dict[str, str] = {}
            other: str | None = None
            if base in ("number", "integer"):
                bounds = self._bounds(allowed, base == "integer") if allowed else ()
                spec = (ast.IntegerType if base == "integer" else ast.NumberType)(bounds)
            elif base == "boolean":
                spec = ast.BooleanType()
            else:
                if allowed is not None:
                    texts = self._string_list(allowed)
                elif data.name in listed:
                    texts = listed[data.name]
                else:
                    texts = mentioned.get(data.name, [])
                    other = OTHER
                texts = list(dict.fromkeys(texts))
                names = _values_for(texts)
                values = {t: names[_key(t)] for t in texts}
                choice = list(values.values())
                if other is not None:
                    while other in choice:
                        other += "_text"
                    choice.append(other)
                if not choice:
                    raise data.place.error(f"input '{data.name}' has no value to choose")
                spec = ast.ChoiceType(tuple(ast.Symbol(v) for v in choice))
            summary = f"DMN input data '{data.name}' ({type_ref})." + (
                f" '{other}' stands for every text not listed." if other else ""
            )
            self.declarations.append(
                ast.InputDecl(
                    name, data.label or data.name, spec, False, (ast.Property("summary", summary),)
                )
            )
            self.inputs[data.name] = InputMap(
                data.name, name, base, MappingProxyType(values), other
            )

    def _type_from_tables(self, name: str) -> str | None:
        for decision in self.defs.decisions:
            for clause in decision.table.inputs:
                if clause.expression.text.strip() == name and clause.type_ref:
                    return clause.type_ref
        return None

    def _string_list(self, text: Text) -> list[str]:
        tests = self.tests(text)
        out = []
        if tests.negated:
            raise text.place.error("allowed values given with not(...) are not imported")
        for test in tests.tests:
            if not isinstance(test, feel.Equal) or not isinstance(test.value, feel.String):
                raise text.place.error(
                    f"the allowed values '{text.text}' are not a list of texts in quotes"
                )
            out.append(test.value.value)
        return out

    def _bounds(self, text: Text, integer: bool) -> tuple[ast.Bound, ...]:
        tests = self.tests(text)
        if tests.negated or len(tests.tests) != 1:
            raise text.place.error(
                f"the allowed values '{text.text}' are not one range; gistpath reads a "
                "numeric input's allowed values as one interval or one comparison"
            )
        (test,) = tests.tests
        if isinstance(test, feel.Interval):
            return (
                self._bound(">=" if test.low_closed else ">", test.low, integer, text),
                self._bound("<=" if test.high_closed else "<", test.high, integer, text),
            )
        if isinstance(test, feel.Compare):
            return (self._bound(test.op, test.value, integer, text),)
        raise text.place.error(
            f"the allowed values '{text.text}' are not one range; a list of numbers is not imported"
        )

    def _bound(self, op: str, value: feel.Literal, integer: bool, text: Text) -> ast.Bound:
        if not isinstance(value, feel.Number):
            raise text.place.error(f"'{text.text}' compares a number with a non-number")
        if integer and not isinstance(value.value, int):
            raise text.place.error(f"'{value.text}' is not a whole number")
        return ast.Bound(op, ast.Quantity(value.value, _number_text(value.value)))

    # ---------------------------------------------------------------- decisions

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
                kind, target = self.column_input(clause)
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

    def decision(self, decision: Decision) -> None:
        table = decision.table
        name = self.names.claim(decision.name, "decision", decision.place)
        columns: list[str] = []
        kinds: list[tuple[str, object]] = []
        for clause in table.inputs:
            kind, target = self.column_input(clause)
            if kind == "input":
                mapped = self.inputs[target.name]  # type: ignore[attr-defined]
                columns.append(mapped.name)
            else:
                read = self.decisions[target.name]  # type: ignore[attr-defined]
                if (
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
        rows_cells: list[tuple[ast.Cell | _Either, ...]] = [
            tuple(self.cell(rule.inputs[i], kinds[i], columns[i]) for i in range(len(columns)))
            for rule in table.rules
        ]
        outputs = [
            tuple(_literal_python(self.literal(t)) for t in rule.outputs) for rule in table.rules
        ]
        for rule, row in zip(table.rules, outputs, strict=True):
            for output, value, entry in zip(table.outputs, row, rule.outputs, strict=True):
                self._check_output(output, value, entry)
        default: tuple[object, ...] | None = None
        defaults = [clause.default for clause in table.outputs]
        if any(d is not None for d in defaults):
            if any(d is None for d in defaults):
                raise table.place.error(
                    "some output columns have a default output entry and some do not; "
                    "gistpath imports a default for every output or none"
                )
            default = tuple(_literal_python(self.literal(d)) for d in defaults)  # type: ignore[arg-type]
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
            self.declarations.append(
                ast.LetDecl(let_name, let_title, self._condition(columns, kinds, cells))
            )
            lets.append(let_name)
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
        )

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
            tests = self.tests(clause.allowed)
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
            tuples += [(t.value.value,) for t in self.tests(order).tests]  # type: ignore[union-attr]
        ranked = range(len(outputs))
        if table.hit_policy == "PRIORITY":
            ranked = sorted(ranked, key=lambda i: priority[i])  # type: ignore[assignment]
        tuples += [outputs[i] for i in ranked]
        if default is not None:
            tuples.append(default)
        out: dict[tuple[tuple[str, object], ...], tuple[str, tuple[object, ...]]] = {}
        used: set[str] = set()
        for values in tuples:
            key = _tuple_key(values)
            if key in out:
                continue
            base = "__".join(_value_name(v) for v in values)
            name = base
            n = 2
            while name in used or name in RESERVED:
                name = f"{base}_{n}"
                n += 1
            used.add(name)
            out[key] = (name, values)
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
        table = decision.table
        values_map = self._single_values(table, outputs, default, priority)
        n_notes = max([len(table.annotations)] + [len(r.annotations) for r in table.rules])
        note_columns = []
        for i in range(n_notes):
            label = table.annotations[i] if i < len(table.annotations) else "annotation"
            base = _safe_name(label, "note") or "annotation"
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
            output = ast.ValuesCell((ast.Symbol(values_map[_tuple_key(row)][0]),))
            rows.append(ast.TableRow((*cells, output, *notes)))
        if not rows:
            raise table.place.error("this decision table has no rules")
        properties: list[ast.Property | ast.Citation | ast.AppliesWhen] = [
            ast.Property("summary", _summary(decision)),
            ast.Citation(SOURCE, decision.name),
        ]
        self.declarations.append(
            ast.TableDecl(
                name=name,
                title=decision.label or decision.name,
                values=tuple(name for name, _ in values_map.values()),
                hit=table.hit_policy.lower(),
                properties=tuple(properties),
                columns=(*columns, name, *note_columns),
                rows=tuple(rows),
                default=values_map[_tuple_key(default)][0] if default is not None else None,
            )
        )

    # ---------------------------------------------------------------- cells

    def _helper_columns(
        self,
        decision: Decision,
        columns: list[str],
        rows_cells: list[tuple[ast.Cell | _Either, ...]],
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
            for cell, clause in zip(cells, decision.table.inputs, strict=True):
                if isinstance(cell, _Either):
                    dmn_input = clause.expression.text.strip()
                    let_name = self.names.claim(
                        f"{decision.name} rule {rule.number} {dmn_input}", "decision", rule.place
                    )
                    title = f"{decision.label or decision.name}, rule {rule.number}: {dmn_input}"
                    self.declarations.append(ast.LetDecl(let_name, title, cell.expr))
                    helpers.append((index, let_name))
                    row.append(ast.AnyCell())
                else:
                    row.append(cell)
            out.append(row)
        for index, let_name in helpers:
            columns.append(let_name)
            for number, row in enumerate(out):
                row.append(
                    ast.ValuesCell((ast.BoolLiteral(True),)) if number == index else ast.AnyCell()
                )
        return [tuple(row) for row in out]

    def cell(self, text: Text, kind: tuple[str, object], column: str) -> ast.Cell | _Either:
        tests = self.tests(text)
        if tests.is_any:
            return ast.AnyCell()
        what, mapped = kind
        if what == "decision":
            decision: DecisionMap = mapped  # type: ignore[assignment]
            by_value = {_key(v[0]): name for name, v in decision.values.items()}
            values = []
            for test in tests.tests:
                if not isinstance(test, feel.Equal) or _key(test.value.value) not in by_value:
                    raise text.place.error(
                        f"'{text.text}' is not a list of results decision "
                        f"'{decision.dmn_name}' can give"
                    )
                values.append(ast.Symbol(by_value[_key(test.value.value)]))
            return ast.ValuesCell(tuple(values), tests.negated)
        data: InputMap = mapped  # type: ignore[assignment]
        if data.kind in ("number", "integer"):
            return self._numeric_cell(text, tests, data.kind == "integer", column)
        if data.kind == "boolean":
            flags = []
            for test in tests.tests:
                if not isinstance(test, feel.Equal) or not isinstance(test.value, feel.Boolean):
                    raise text.place.error(f"'{text.text}' does not test a boolean (true, false)")
                flags.append(ast.BoolLiteral(test.value.value))
            return ast.ValuesCell(tuple(flags), tests.negated)
        symbols = []
        for test in tests.tests:
            if not isinstance(test, feel.Equal) or not isinstance(test.value, feel.String):
                raise text.place.error(
                    f"'{text.text}' compares a text input with something other than texts in "
                    "quotes; gistpath reads lists of texts (and not(...)) for text inputs"
                )
            found = data.values.get(test.value.value)
            if found is None:
                raise text.place.error(
                    f'the text "{test.value.value}" is not one of the allowed values of '
                    f"input '{data.dmn_name}'"
                )
            symbols.append(ast.Symbol(found))
        return ast.ValuesCell(tuple(symbols), tests.negated)

    def _numeric_cell(
        self, text: Text, tests: feel.UnaryTests, integer: bool, column: str
    ) -> ast.Cell | _Either:
        ranges = [self._bounds_of(text, test, integer) for test in tests.tests]
        if len(ranges) == 1 and not tests.negated:
            return ast.TestsCell(tuple(ranges[0]))
        if len(ranges) == 1 and len(ranges[0]) == 1:
            (bound,) = ranges[0]
            flipped = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!="}[bound.op]
            return ast.TestsCell((ast.Bound(flipped, bound.quantity),))
        # a list of ranges, or not(...) of an interval: a condition with 'or'
        alternatives: list[ast.Expr] = []
        for bounds in ranges:
            parts = [ast.Comparison(column, b.op, b.quantity) for b in bounds]
            alternatives.append(parts[0] if len(parts) == 1 else ast.And(tuple(parts)))
        expr: ast.Expr = alternatives[0] if len(alternatives) == 1 else ast.Or(tuple(alternatives))
        return _Either(ast.Not(expr) if tests.negated else expr)

    def _bounds_of(self, text: Text, test: feel.Test, integer: bool) -> list[ast.Bound]:
        bounds: list[tuple[str, feel.Literal]]
        if isinstance(test, feel.Compare):
            bounds = [(test.op, test.value)]
        elif isinstance(test, feel.Equal):
            bounds = [("=", test.value)]
        else:
            bounds = [
                (">=" if test.low_closed else ">", test.low),
                ("<=" if test.high_closed else "<", test.high),
            ]
        out = []
        for op, value in bounds:
            if not isinstance(value, feel.Number):
                raise text.place.error(f"'{text.text}' tests a numeric input with a non-number")
            if integer and not isinstance(value.value, int):
                raise text.place.error(f"'{value.text}' is not a whole number")
            out.append(ast.Bound(op, ast.Quantity(value.value, _number_text(value.value))))
        return out

    def _condition(
        self,
        columns: list[str],
        kinds: list[tuple[str, object]],
        cells: tuple[ast.Cell | _Either, ...],
    ) -> ast.Expr:
        """A rule's cells as one condition (for the ``let`` of a multiple-hit rule)."""
        parts: list[ast.Expr] = []
        for column, (what, mapped), cell in zip(columns, kinds, cells, strict=True):
            if isinstance(cell, ast.AnyCell):
                continue
            if isinstance(cell, _Either):
                parts.append(cell.expr)
                continue
            if isinstance(cell, ast.TestsCell):
                parts.extend(ast.Comparison(column, t.op, t.quantity) for t in cell.tests)
            elif isinstance(cell, ast.ValuesCell):
                if what == "input" and getattr(mapped, "kind", "") == "boolean":
                    wanted = {v.value for v in cell.values if isinstance(v, ast.BoolLiteral)}
                    if cell.negated:
                        wanted = {True, False} - wanted
                    if wanted == {True}:
                        parts.append(ast.Reference(column))
                    elif wanted == {False}:
                        parts.append(ast.Not(ast.Reference(column)))
                    elif not wanted:
                        ref = ast.Reference(column)
                        parts.append(ast.And((ref, ast.Not(ref))))
                    continue
                parts.append(ast.InTest(column, cell.values, cell.negated))
        if not parts:
            return self._always(columns, kinds)
        return parts[0] if len(parts) == 1 else ast.And(tuple(parts))

    def _always(self, columns: list[str], kinds: list[tuple[str, object]]) -> ast.Expr:
        """A condition every state meets, for a rule whose entries are all '-'."""
        for decl in self.declarations:
            if isinstance(decl, ast.InputDecl):
                if isinstance(decl.type, ast.BooleanType):
                    ref = ast.Reference(decl.name)
                    return ast.Or((ref, ast.Not(ref)))
                if isinstance(decl.type, ast.ChoiceType):
                    return ast.InTest(decl.name, decl.type.values)
                zero = ast.Quantity(0, "0")
                return ast.Or(
                    (ast.Comparison(decl.name, "<=", zero), ast.Comparison(decl.name, ">", zero))
                )
        del columns, kinds
        raise self.defs_place().error("a model without input data cannot be imported")

    def defs_place(self) -> Place:
        return Place(self.defs.filename, 1, "definitions", None)

    # ---------------------------------------------------------------- the file

    def run(self) -> Conversion:
        self.build_inputs()
        self.build_decisions()
        if not self.defs.decisions:
            raise self.defs_place().error("the model has no decision")
        model = self.defs.name or "DMN model"
        header: list[ast.Declaration] = [
            ast.RulesetDecl(
                _safe_name(model, "model"),
                model,
                (
                    ast.Property(
                        "summary",
                        self.defs.description
                        or f"The decisions of the DMN model '{model}', imported by gistpath.",
                    ),
                ),
            ),
            ast.SourceDecl(
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
            ),
        ]
        inputs = [d for d in self.declarations if isinstance(d, ast.InputDecl)]
        derived = [d for d in self.declarations if not isinstance(d, ast.InputDecl)]
        tail: list[ast.Declaration] = [
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
    table = decision.table
    text = f"DMN decision '{decision.name}', hit policy {table.hit_policy}"
    if table.aggregation:
        text += f" with {table.aggregation}"
    text += "."
    if decision.description:
        text += " " + " ".join(decision.description.split())
    return text


def _number_text(value: int | float) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def convert(definitions: Definitions) -> Conversion:
    """The rule file and name maps for a DMN model (raises :class:`DmnError`)."""
    return _Converter(definitions).run()


__all__ = ["Conversion", "DecisionMap", "DmnError", "InputMap", "convert", "gistpath_name"]

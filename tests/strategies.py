"""Hypothesis strategies for gistpath tests.

(a) :func:`rule_files` draws random rule files as text that :func:`gistpath.parser.parse`
    and :func:`gistpath.check.check` accept (they need not verify): inputs of every kind
    (choices with and without ``unknown``, booleans, integers and numbers with ranges and
    units), ``let`` values, a decision table (``unique`` or ``first``), constraints, rules in
    nested ``when`` blocks with ``otherwise``, and considerations that test ``pathway``.
    The text is written here, independently of :mod:`gistpath.printer`, with comments,
    block conditions and ranges sprinkled in.

(b) :func:`states` draws valid states for a loaded :class:`gistpath.RuleSet`: every number
    the file compares an input with is collected from the syntax tree (not from the
    compiled tables), and values are drawn at each of them, at their ``math.nextafter``
    neighbours, one unit beside them, at the input's limits, and as ``unknown`` where that
    is allowed. States are kept only when :meth:`RuleSet.validate` accepts them, so they
    satisfy the declared constraints.

:func:`expressions`/:func:`rule_file_trees` build random syntax trees from the classes of
:mod:`gistpath.ast` directly (for the printer's round trip); they only respect what the
grammar can express, not the semantic checks.

:func:`box_problems` draws partition problems for :mod:`gistpath.regions`: a root box, some
boxes and which dimensions are ordered, small enough to enumerate every point.

:func:`numeric_domains_and_cuts` draws a numeric domain and numbers to cut it at (two of
them adjacent floats), for the cell builder and the S-FEEL entries written from cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import attrs
from hypothesis import HealthCheck, reject, settings
from hypothesis import strategies as st

import gistpath
from gistpath import ast
from gistpath.cells import Dimension
from gistpath.language import RESERVED_NAMES
from gistpath.model import BooleanDomain, ChoiceDomain, Limit, NumericDomain

# Words the grammar uses as keywords: never used as generated names.
KEYWORDS = frozenset(
    [
        "ruleset", "source", "input", "let", "table", "constraint", "pathway",
        "consideration", "rule", "when", "example", "cites", "or", "unknown", "choice",
        "boolean", "integer", "number", "and", "otherwise", "like", "with", "values", "hit",
        "default", "not", "implies", "exactly", "is", "in", "yes", "no", "property", "holds",
        "monotone", "include",
    ]
) | RESERVED_NAMES  # fmt: skip

UNKNOWN = "unknown"

# --------------------------------------------------------------------------- (a) rule files


@dataclass
class _Input:
    name: str
    kind: str  # choice, boolean, integer, number
    allows_unknown: bool
    values: tuple[str, ...] = ()  # choice
    low: int | float | None = None
    low_inclusive: bool = True
    high: int | float | None = None
    high_inclusive: bool = True
    unit: str | None = None
    points: tuple[int | float, ...] = ()  # numbers the rules may compare it with

    def declaration(self) -> str:
        title = f' "The {self.name}"'
        if self.kind == "choice":
            spec = "choice " + ", ".join(self.values)
        elif self.kind == "boolean":
            spec = "boolean"
        else:
            parts = [self.kind]
            bounds = []
            if self.low is not None:
                bounds.append(f"{'>=' if self.low_inclusive else '>'} {_num(self.low)}")
            if self.high is not None:
                bounds.append(f"{'<=' if self.high_inclusive else '<'} {_num(self.high)}")
            if bounds:
                parts.append(" and ".join(bounds))
            if self.unit:
                parts.append(self.unit)
            spec = " ".join(parts)
        return f"input {self.name}{title}: {spec}" + (" or unknown" if self.allows_unknown else "")


@dataclass
class _Table:
    name: str
    values: tuple[str, ...]
    order: tuple[str, ...] = ()


@dataclass
class _Names:
    """What an expression may refer to."""

    inputs: list[_Input]
    lets: list[str] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    pathways: tuple[str, ...] = ()  # non-empty only inside a consideration's `when`
    considerations: tuple[str, ...] = ()  # non-empty only inside a property


def _num(value: int | float) -> str:
    """A number as rule text (repr of a float is valid NUMBER syntax)."""
    if isinstance(value, bool):  # pragma: no cover - defensive
        raise TypeError(value)
    return repr(value) if isinstance(value, float) else str(value)


_DECIMALS = st.sampled_from(
    [-3.5, -1.0, -0.5, 0.0, 0.1, 0.25, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0, 7.25, 10.0, 12.5, 50.0]
)


@st.composite
def _numeric_input(draw: st.DrawFn, name: str, integer: bool) -> _Input:
    allows_unknown = draw(st.booleans())
    unit = draw(st.sampled_from([None, "cm", "pct"]))
    if integer:
        low = draw(st.integers(-5, 5))
        high = low + draw(st.integers(2, 20))
        low_inclusive = draw(st.booleans())
        high_inclusive = draw(st.booleans())
        has_low = draw(st.integers(0, 3)) > 0
        has_high = draw(st.booleans())
        points = draw(st.lists(st.integers(low - 2, high + 2), min_size=1, max_size=4))
        return _Input(
            name,
            "integer",
            allows_unknown,
            (),
            low if has_low else None,
            low_inclusive,
            high if has_high else None,
            high_inclusive,
            unit,
            tuple(points),
        )
    low_f = draw(st.one_of(st.none(), _DECIMALS))
    high_f = draw(st.one_of(st.none(), _DECIMALS))
    if low_f is not None and high_f is not None and high_f <= low_f:
        high_f = low_f + draw(st.sampled_from([0.5, 1.0, 10.0]))
    points_f = draw(
        st.lists(
            st.one_of(
                _DECIMALS,
                st.integers(-4, 60),
                st.floats(-10, 60, allow_nan=False).map(lambda x: round(x, 2)),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return _Input(
        name,
        "number",
        allows_unknown,
        (),
        low_f,
        draw(st.booleans()),
        high_f,
        draw(st.booleans()),
        unit,
        tuple(points_f),
    )


@st.composite
def _inputs(draw: st.DrawFn) -> list[_Input]:
    inputs: list[_Input] = []
    for i in range(draw(st.integers(1, 2))):
        values = draw(
            st.lists(
                st.sampled_from(["red", "green", "blue", "amber", "grey"]),
                min_size=2,
                max_size=4,
                unique=True,
            )
        )
        inputs.append(_Input(f"c{i}", "choice", draw(st.booleans()), tuple(values)))
    for i in range(draw(st.integers(0, 2))):
        inputs.append(_Input(f"b{i}", "boolean", draw(st.booleans())))
    for i in range(draw(st.integers(0, 1))):
        inputs.append(draw(_numeric_input(f"i{i}", integer=True)))
    for i in range(draw(st.integers(0, 2))):
        inputs.append(draw(_numeric_input(f"n{i}", integer=False)))
    return draw(st.permutations(inputs))


def _quantity_text(draw: st.DrawFn, item: _Input) -> str:
    value = draw(st.sampled_from(item.points))
    text = _num(value)
    if item.unit and draw(st.booleans()):
        text += f" {item.unit}"
    return text


@st.composite
def _atom(draw: st.DrawFn, names: _Names) -> str:
    options: list[str] = ["input"]
    if names.lets:
        options.append("let")
    if names.tables:
        options.append("table")
    if names.pathways:
        options.append("pathway")
    if names.considerations:
        options.append("considerations")
    which = draw(st.sampled_from(options))
    if which == "considerations":
        return f"considerations include {draw(st.sampled_from(names.considerations))}"
    if which == "let":
        let = draw(st.sampled_from(names.lets))
        return draw(st.sampled_from([let, f"{let} is yes", f"{let} is no", f"not {let}"]))
    if which == "table":
        table = draw(st.sampled_from(names.tables))
        return _value_test(draw, table.name, list(table.values))
    if which == "pathway":
        return _value_test(draw, "pathway", list(names.pathways))
    item = draw(st.sampled_from(names.inputs))
    if item.kind == "choice":
        return _value_test(
            draw, item.name, [*item.values, *([UNKNOWN] if item.allows_unknown else [])]
        )
    if item.kind == "boolean":
        words = ["yes", "no", *([UNKNOWN] if item.allows_unknown else [])]
        form = draw(st.sampled_from(["ref", "test"]))
        if form == "ref":
            return item.name
        return _value_test(draw, item.name, words)
    # numeric
    forms = ["compare", "between"] + (["unknown"] if item.allows_unknown else [])
    form = draw(st.sampled_from(forms))
    if form == "unknown":
        return f"{item.name} is {draw(st.sampled_from(['', 'not ']))}unknown"
    if form == "compare":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "=", "!="]))
        return f"{item.name} {op} {_quantity_text(draw, item)}"
    low = _quantity_text(draw, item)
    high = _quantity_text(draw, item)
    ops = draw(
        st.sampled_from(
            [
                ("<", "<"),
                ("<", "<="),
                ("<=", "<"),
                ("<=", "<="),
                (">", ">"),
                (">=", ">"),
                (">", ">="),
                (">=", ">="),
            ]
        )
    )
    return f"{low} {ops[0]} {item.name} {ops[1]} {high}"


def _value_test(draw: st.DrawFn, name: str, words: list[str]) -> str:
    if len(words) > 1 and draw(st.booleans()):
        chosen = draw(
            st.lists(st.sampled_from(words), min_size=1, max_size=len(words), unique=True)
        )
        negated = draw(st.sampled_from(["", "not "]))
        return f"{name} {negated}in {{{', '.join(chosen)}}}"
    word = draw(st.sampled_from(words))
    return f"{name} is {draw(st.sampled_from(['', 'not ']))}{word}"


@st.composite
def _expr(draw: st.DrawFn, names: _Names, depth: int = 2) -> str:
    if depth <= 0 or draw(st.integers(0, 2)) == 0:
        return draw(_atom(names))
    form = draw(st.sampled_from(["and", "or", "not", "implies", "iff"]))
    if form == "not":
        return f"not ({draw(_expr(names, depth - 1))})"
    if form in ("and", "or"):
        parts = draw(st.lists(_expr(names, depth - 1), min_size=2, max_size=3))
        return f" {form} ".join(f"({p})" for p in parts)
    word = "implies" if form == "implies" else "exactly when"
    return f"({draw(_expr(names, depth - 1))}) {word} ({draw(_expr(names, depth - 1))})"


@st.composite
def _condition(draw: st.DrawFn, names: _Names, indent: str) -> str:
    """The text after ':' (with its newline): one line or an indented block of lines."""
    if draw(st.integers(0, 3)) == 0:
        lines = draw(st.lists(_expr(names, 1), min_size=1, max_size=3))
        return "\n" + "".join(f"{indent}    {line}\n" for line in lines)
    comment = draw(st.sampled_from(["", "  # a trailing comment"]))
    return f" {draw(_expr(names))}{comment}\n"


@st.composite
def _table(
    draw: st.DrawFn,
    inputs: list[_Input],
    complete: bool = False,
    name: str = "t0",
    earlier: Sequence[_Table] = (),
    ordered: bool = False,
) -> tuple[str, _Table]:
    """A decision table over some inputs and (``earlier``) tables declared before it; its
    output cells may name an earlier table whose values it includes."""
    values = tuple(
        draw(
            st.lists(
                st.sampled_from(["low", "mid", "high", "none"]), min_size=2, max_size=3, unique=True
            )
        )
    )
    referable: list[str] = []
    for table in earlier:
        if draw(st.booleans()):
            values = tuple(dict.fromkeys(values + table.values))
            referable.append(table.name)
    pool = inputs + [_Input(t.name, "choice", False, t.values) for t in earlier]
    columns = draw(
        st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique_by=lambda i: i.name)
    )
    policies = [None, "unique", "first", "any"] + ([] if referable else ["priority"])
    hit = "first" if complete else draw(st.sampled_from(policies))
    annotate = draw(st.booleans())
    order: tuple[str, ...] = ()
    if ordered:  # a prefix of the values (at least two) in a `<` chain, the rest exempt
        shuffled = draw(st.permutations(values))
        order = tuple(shuffled[: draw(st.integers(2, len(values)))])
        values = order + tuple(v for v in values if v not in order)
    words = " < ".join(order) if order else ""
    rest = [v for v in values if v not in order]
    values_text = ", ".join(([words] if words else []) + rest)
    lines = [f'table {name} "A table"', f"    values {values_text}"]
    if hit:
        lines.append(f"    hit {hit}")
    if not complete and draw(st.integers(0, 3)) == 0:
        lines.append(f"    default {draw(st.sampled_from(values))}")
    if draw(st.booleans()):
        lines.append('    summary "What the table gives."')
    header = [c.name for c in columns] + [name] + (["note"] if annotate else [])
    lines.append("    | " + " | ".join(header) + " |")
    if draw(st.booleans()):
        lines.append("    |" + "|".join("-----" for _ in header) + "|")
    outputs = list(values) + referable
    for _ in range(draw(st.integers(1, 4))):
        cells = [_cell(draw, c) for c in columns]
        cells.append(draw(st.sampled_from(outputs)))
        if annotate:
            cells.append(draw(st.sampled_from(['"15%"', "-", '"a note"'])))
        lines.append("    | " + " | ".join(cells) + " |")
    if complete:  # a catch-all last row: the table gives a value for every state
        cells = ["-" for _ in columns] + [draw(st.sampled_from(values))]
        lines.append("    | " + " | ".join(cells + (["-"] if annotate else [])) + " |")
    return "\n".join(lines) + "\n", _Table(name, values, order)


def _cell(draw: st.DrawFn, item: _Input) -> str:
    if draw(st.integers(0, 3)) == 0:
        return "-"
    if item.kind in ("choice", "boolean"):
        words = list(item.values) if item.kind == "choice" else ["yes", "no"]
        if item.allows_unknown:
            words.append(UNKNOWN)
        chosen = draw(
            st.lists(st.sampled_from(words), min_size=1, max_size=len(words), unique=True)
        )
        return ("not " if draw(st.booleans()) else "") + ", ".join(chosen)
    if item.allows_unknown and draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(["unknown", "not unknown"]))
    tests = [
        f"{draw(st.sampled_from(['<', '<=', '>', '>=', '=', '!=']))} {_quantity_text(draw, item)}"
        for _ in range(draw(st.integers(1, 2)))
    ]
    return " and ".join(tests)


@st.composite
def _rules(draw: st.DrawFn, names: _Names, complete: bool) -> tuple[str, int]:
    """Rule text with pathway placeholders ``@P0@``, ``@P1@``, ... and how many rules.

    With ``complete`` the rules form a decision tree whose blocks are complementary
    (``when E`` beside ``when not (E)``, a rule beside an ``otherwise``), so every state is
    covered exactly once unless a branch happens to be empty.
    """
    counter = [0]

    def rule(indent: str, condition: str | None) -> str:
        index = counter[0]
        counter[0] += 1
        head = f"{indent}rule r{index} -> @P{index}@:"
        if condition is None:
            return f"{head} otherwise"
        return head + condition.rstrip("\n")

    def block(indent: str, depth: int) -> list[str]:
        lines: list[str] = []
        for _ in range(draw(st.integers(1, 3))):
            if depth < 2 and draw(st.integers(0, 3)) == 0:
                lines.append(f"{indent}when {draw(_expr(names, 1))}:")
                lines.extend(block(indent + "    ", depth + 1))
            else:
                lines.append(rule(indent, draw(_condition(names, indent))))
        if draw(st.booleans()):
            lines.append(rule(indent, None))
        return lines

    def partition(indent: str, depth: int) -> list[str]:
        form = draw(st.sampled_from(["leaf", "split", "pair"] if depth < 3 else ["leaf", "pair"]))
        if form == "leaf":
            return [rule(indent, None)]
        if form == "pair":
            return [rule(indent, draw(_condition(names, indent))), rule(indent, None)]
        condition = draw(_expr(names, 1))
        return [
            f"{indent}when {condition}:",
            *partition(indent + "    ", depth + 1),
            f"{indent}when not ({condition}):",
            *partition(indent + "    ", depth + 1),
        ]

    lines = partition("", 0) if complete else block("", 0)
    return "\n".join(lines) + "\n", counter[0]


@st.composite
def rule_files(draw: st.DrawFn, complete: bool = False, properties: bool = False) -> str:
    """A random rule file (text) that parses and passes the semantic checks.

    With ``complete`` the rules cover every state exactly once by construction (they may
    still have dead rules), the table is a ``first`` table ending in a catch-all row and
    there are no considerations (unless ``properties``), so many of these files verify.
    With ``properties`` the tables order some of their values and the file declares
    ``holds`` properties over inputs, derived values, ``pathway`` and ``considerations``
    (mostly implications, so that some hold and some fail) and ``monotone`` ones.
    """
    inputs = draw(_inputs())
    names = _Names(inputs)
    chunks: list[str] = [
        "# A generated rule file.\n",
        'ruleset generated "Generated rules"\n    summary "Made by hypothesis."\n',
        'source guide "An invented guide"\n    publisher "Tests"\n',
    ]
    chunks += [item.declaration() + "\n" for item in inputs]
    for i in range(draw(st.integers(0, 2))):
        text, table = draw(
            _table(inputs, complete, f"t{i}", tuple(names.tables), ordered=properties)
        )
        chunks.append(text)
        names.tables.append(table)
    for i in range(draw(st.integers(0, 2))):
        title = draw(st.sampled_from(["", ' "A derived value"']))
        chunks.append(f"let l{i}{title}:" + draw(_condition(names, "")))
        names.lets.append(f"l{i}")
    for i in range(draw(st.integers(0, 1))):
        left, right = draw(_atom(names)), draw(_atom(names))
        chunks.append(f'constraint k{i} "A constraint": ({left}) implies ({right})\n')
    rules, count = draw(_rules(names, complete))
    pathways = tuple(f"p{i}" for i in range(min(count, draw(st.integers(2, 3)))))
    # Rule i leads to pathway i (mod n), so every pathway is named by some rule.
    assignment = {
        f"P{i}": pathways[(i + draw(st.integers(0, 1))) % len(pathways)] for i in range(count)
    }
    if set(assignment.values()) != set(pathways):
        assignment = {f"P{i}": pathways[i % len(pathways)] for i in range(count)}
    for pathway in pathways:
        chunks.append(
            f'pathway {pathway} "Pathway {pathway}"\n'
            f'    summary "What {pathway} means."\n'
            f'    cites guide "Section {pathway}"\n'
        )
    chunks.append(re.sub(r"@(P\d+)@", lambda m: assignment[m.group(1)], rules))
    with_pathway = _Names(inputs, names.lets, names.tables, pathways)
    n_considerations = 0 if complete and not properties else draw(st.integers(0, 2))
    for i in range(n_considerations):
        chunks.append(
            f'consideration o{i} "Also consider {i}"\n'
            f'    summary "An option beside the pathway."\n'
            f"    cites guide\n"
            f"    when {draw(_expr(with_pathway, 1))}\n"
        )
    if properties:
        in_property = _Names(
            inputs,
            names.lets,
            names.tables,
            pathways,
            tuple(f"o{i}" for i in range(n_considerations)),
        )
        chunks += draw(_declared_properties(in_property))
    separators = draw(
        st.lists(
            st.sampled_from(["\n", "\n\n", "\n# between declarations\n"]),
            min_size=len(chunks),
            max_size=len(chunks),
        )
    )
    return "".join(sep + chunk for sep, chunk in zip(separators, chunks, strict=True))


@st.composite
def _declared_properties(draw: st.DrawFn, names: _Names) -> list[str]:
    """One to three property declarations over ``names`` (which include the pathways)."""
    out = []
    numeric = [i.name for i in names.inputs if i.kind in ("integer", "number")]
    ordered = [t.name for t in names.tables if len(t.order) >= 2]
    for i in range(draw(st.integers(1, 3))):
        head = f'property q{i} "Property {i}"\n'
        if draw(st.booleans()):
            head += '    cites guide "Safety"\n'
        if numeric and ordered and draw(st.integers(0, 2)) == 0:
            table, item = draw(st.sampled_from(ordered)), draw(st.sampled_from(numeric))
            out.append(head + f"    monotone: {table} in {item}\n")
            continue

        def line() -> str:
            form = draw(st.sampled_from(["pathway", "implies", "expr"]))
            if form == "pathway":
                test = _value_test(draw, "pathway", list(names.pathways))
                return f"{test} implies ({draw(_expr(names, 1))})"
            if form == "implies":
                return f"({draw(_atom(names))}) implies ({draw(_atom(names))})"
            return draw(_expr(names, 1))

        if draw(st.integers(0, 2)) == 0:
            body = "".join(f"        {line()}\n" for _ in range(draw(st.integers(1, 3))))
            out.append(head + "    holds:\n" + body)
        else:
            out.append(head + f"    holds: {line()}\n")
    return out


# --------------------------------------------------------------------------- (b) states


def walk(node: object) -> list[object]:
    """Every node below (and including) ``node`` of an attrs syntax tree, without recursion."""
    out: list[object] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        if isinstance(current, tuple):
            stack.extend(current)
        elif attrs.has(type(current)):
            stack.extend(getattr(current, f.name) for f in attrs.fields(type(current)))
    return out


def thresholds_used(rs: gistpath.RuleSet) -> dict[str, set[int | float]]:
    """Every number the rule file compares each numeric input with, read off the syntax tree."""
    found: dict[str, set[int | float]] = {
        name: set() for name, item in rs.inputs.items() if isinstance(item.domain, NumericDomain)
    }

    def note(name: str, quantity: ast.Quantity) -> None:
        if name in found:
            found[name].add(quantity.value)

    for node in walk(rs.model.tree):
        if isinstance(node, ast.Comparison):
            note(node.name, node.quantity)
        elif isinstance(node, ast.Between):
            note(node.name, node.low)
            note(node.name, node.high)
        elif isinstance(node, ast.TableDecl):
            out = node.columns.index(node.name) if node.name in node.columns else 0
            for row in node.rows:
                for column, cell in zip(node.columns[:out], row.cells, strict=False):
                    if isinstance(cell, ast.TestsCell):
                        for test in cell.tests:
                            note(column, test.quantity)
    for name, values in found.items():
        domain = rs.inputs[name].domain
        assert isinstance(domain, NumericDomain)
        for limit in (domain.low, domain.high):
            if limit is not None:
                values.add(limit.value)
    return found


def _in_domain(domain: NumericDomain, value: int | float) -> bool:
    if not math.isfinite(value):
        return False
    if domain.integer and type(value) is not int:
        return False
    if domain.low is not None and (
        value < domain.low.value or (value == domain.low.value and not domain.low.inclusive)
    ):
        return False
    return not (
        domain.high is not None
        and (
            value > domain.high.value or (value == domain.high.value and not domain.high.inclusive)
        )
    )


def numeric_candidates(domain: NumericDomain, points: set[int | float]) -> list[int | float]:
    """Values at and beside every point, inside the domain (ints for an integer input)."""
    out: list[int | float] = []
    for t in sorted(points):
        if domain.integer:
            base = int(t)
            out.extend([base - 1, base, base + 1])
        else:
            out.extend(
                [
                    t,
                    float(t),
                    math.nextafter(float(t), -math.inf),
                    math.nextafter(float(t), math.inf),
                    t - 1,
                    t + 1,
                    t + 0.5,
                ]
            )
    if not domain.integer:
        out.extend([0, 0.0, -0.0])
    unique = {(type(v), repr(v)): v for v in out}  # keeps -0.0 apart from 0.0
    return [v for v in unique.values() if _in_domain(domain, v)]


def _field_strategy(domain: object, points: set[int | float]) -> st.SearchStrategy[object]:
    if isinstance(domain, ChoiceDomain):
        return st.sampled_from([*domain.values, *([UNKNOWN] if domain.allows_unknown else [])])
    if isinstance(domain, BooleanDomain):
        return st.sampled_from([False, True, *([UNKNOWN] if domain.allows_unknown else [])])
    assert isinstance(domain, NumericDomain)
    candidates = numeric_candidates(domain, points)
    exact = [v for v in candidates if any(v == p and type(v) is type(p) for p in points)]
    low = domain.low.value if domain.low is not None else -1000
    high = domain.high.value if domain.high is not None else 1000
    if domain.integer:
        anywhere: st.SearchStrategy[object] = st.integers(math.ceil(low), math.floor(high))
    else:
        anywhere = st.floats(low, high, allow_nan=False, allow_infinity=False)
    # Thresholds themselves are where off-by-one mistakes live: draw them most often.
    options: list[st.SearchStrategy[object]] = []
    if exact:
        options += [st.sampled_from(exact)] * 2
    if candidates:
        options.append(st.sampled_from(candidates))
    options.append(anywhere.filter(lambda v: _in_domain(domain, v)))
    if domain.allows_unknown:
        options += [st.just(UNKNOWN)] * 2
    return st.one_of(options)


def raw_states(rs: gistpath.RuleSet) -> st.SearchStrategy[dict[str, object]]:
    """States whose every field is valid on its own (constraints not yet applied)."""
    points = thresholds_used(rs)
    return st.fixed_dictionaries(
        {
            name: _field_strategy(item.domain, points.get(name, set()))
            for name, item in rs.inputs.items()
        }
    )


@st.composite
def states(draw: st.DrawFn, rs: gistpath.RuleSet, tries: int = 25) -> dict[str, object]:
    """A valid state for ``rs``: each field valid and every constraint satisfied."""
    fields = raw_states(rs)
    for _ in range(tries):
        state = draw(fields)
        try:
            rs.validate(state)
        except gistpath.StateError:
            continue
        return state
    reject()
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------- random ASTs

_NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
# Control characters and bidirectional overrides are refused in rule text (gistpath.parser).
_TEXTS = st.text(
    st.characters(
        codec="utf-8",
        exclude_categories=("Cs", "Cc"),
        exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    max_size=12,
).map(lambda t: " ".join(t.split()))


def _number_value(text: str) -> int | float:
    """The value of a NUMBER literal: an integer when it has only digits, else a float."""
    body = text.lstrip("+-")
    if body.isdigit():
        return int(text)
    return float(text)


quantities_text = st.from_regex(
    r"[+-]?(\d{1,4}(\.\d{0,3})?|\.\d{1,3})([eE][+-]?\d{1,2})?", fullmatch=True
)


def quantities(with_unit: bool = True) -> st.SearchStrategy[ast.Quantity]:
    unit = st.one_of(st.none(), _NAMES) if with_unit else st.none()
    return st.builds(
        lambda text, u: ast.Quantity(_number_value(text), text, u), quantities_text, unit
    )


values_st: st.SearchStrategy[ast.Value] = st.one_of(
    st.builds(ast.Symbol, _NAMES),
    st.builds(ast.Unknown),
    st.builds(ast.BoolLiteral, st.booleans()),
)
_OPS = st.sampled_from(["<", "<=", ">", ">=", "=", "!="])

atoms: st.SearchStrategy[ast.Expr] = st.one_of(
    st.builds(ast.Reference, _NAMES),
    st.builds(ast.Comparison, _NAMES, _OPS, quantities()),
    st.builds(ast.Between, quantities(), _OPS, _NAMES, _OPS, quantities()),
    st.builds(ast.IsTest, _NAMES, values_st, st.booleans()),
    st.builds(
        ast.InTest, _NAMES, st.lists(values_st, min_size=1, max_size=3).map(tuple), st.booleans()
    ),
    st.builds(ast.Includes, _NAMES, _NAMES),
)


def _tuple_of(inner: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[tuple[ast.Expr, ...]]:
    return st.lists(inner, min_size=2, max_size=3).map(tuple)


def _extend(inner: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    return st.one_of(
        st.builds(ast.Not, inner),
        st.builds(ast.And, _tuple_of(inner)),
        st.builds(ast.Or, _tuple_of(inner)),
        st.builds(ast.Implies, inner, inner),
        st.builds(ast.Iff, inner, inner),
    )


expressions: st.SearchStrategy[ast.Expr] = st.recursive(atoms, _extend, max_leaves=8)
conditions: st.SearchStrategy[ast.Expr] = st.one_of(
    expressions,
    st.lists(expressions, min_size=1, max_size=3).map(lambda ops: ast.AllOf(tuple(ops))),
)

_properties = st.lists(
    st.one_of(
        st.builds(ast.Property, _NAMES, _TEXTS),
        st.builds(ast.Citation, _NAMES, st.one_of(st.none(), _TEXTS)),
        st.builds(ast.AppliesWhen, expressions),
    ),
    max_size=3,
).map(tuple)
_bounds = st.lists(st.builds(ast.Bound, _OPS, quantities(with_unit=False)), max_size=2).map(tuple)
_types = st.one_of(
    st.builds(
        ast.ChoiceType, st.lists(st.builds(ast.Symbol, _NAMES), min_size=1, max_size=3).map(tuple)
    ),
    st.builds(ast.BooleanType),
    st.builds(ast.IntegerType, _bounds, st.one_of(st.none(), _NAMES)),
    st.builds(ast.NumberType, _bounds, st.one_of(st.none(), _NAMES)),
)
_cells = st.one_of(
    st.builds(ast.AnyCell),
    st.builds(ast.TextCell, _TEXTS),
    st.builds(
        ast.TestsCell,
        st.lists(st.builds(ast.Bound, _OPS, quantities()), min_size=1, max_size=2).map(tuple),
    ),
    st.builds(
        ast.ValuesCell, st.lists(values_st, min_size=1, max_size=3).map(tuple), st.booleans()
    ),
)


@st.composite
def _table_decl(draw: st.DrawFn) -> ast.TableDecl:
    columns = tuple(draw(st.lists(_NAMES, min_size=1, max_size=3)))
    rows = draw(
        st.lists(
            st.builds(
                ast.TableRow,
                st.lists(_cells, min_size=len(columns), max_size=len(columns)).map(tuple),
            ),
            min_size=1,
            max_size=3,
        )
    )
    values = tuple(draw(st.lists(_NAMES, max_size=4)))
    # an order is a prefix of two or more values (`a < b, c`), or none
    ordered = draw(st.integers(0, len(values))) if len(values) >= 2 else 0
    order = values[:ordered] if ordered >= 2 else ()
    return ast.TableDecl(
        draw(_NAMES),
        draw(st.one_of(st.none(), _TEXTS)),
        values,
        draw(st.one_of(st.none(), _NAMES)),
        tuple(
            draw(
                st.lists(
                    st.one_of(
                        st.builds(ast.Property, _NAMES, _TEXTS),
                        st.builds(ast.Citation, _NAMES, st.one_of(st.none(), _TEXTS)),
                    ),
                    max_size=2,
                )
            )
        ),
        columns,
        tuple(rows),
        order=order,
    )


_property_decls = st.builds(
    ast.PropertyDecl,
    _NAMES,
    _TEXTS,
    st.lists(st.builds(ast.Citation, _NAMES, st.one_of(st.none(), _TEXTS)), max_size=2).map(tuple),
    st.one_of(st.builds(ast.Holds, conditions), st.builds(ast.Monotone, _NAMES, _NAMES)),
)


_rule_decls = st.builds(
    ast.RuleDecl, _NAMES, _NAMES, st.one_of(conditions, st.builds(ast.Otherwise))
)
_when_blocks = st.recursive(
    st.builds(ast.WhenBlock, expressions, st.lists(_rule_decls, min_size=1, max_size=2).map(tuple)),
    lambda inner: st.builds(
        ast.WhenBlock,
        expressions,
        st.lists(st.one_of(_rule_decls, inner), min_size=1, max_size=3).map(tuple),
    ),
    max_leaves=4,
)
_literals = st.one_of(values_st, quantities())
_examples = st.builds(
    ast.ExampleDecl,
    _NAMES,
    st.one_of(st.none(), _NAMES),
    _NAMES,
    st.lists(_NAMES, max_size=2).map(tuple),
    st.lists(st.builds(ast.Assignment, _NAMES, _literals), max_size=3).map(tuple),
)

declarations: st.SearchStrategy[ast.Declaration] = st.one_of(
    st.builds(ast.RulesetDecl, _NAMES, st.one_of(st.none(), _TEXTS), _properties),
    st.builds(ast.SourceDecl, _NAMES, _TEXTS, _properties),
    st.builds(ast.PathwayDecl, _NAMES, _TEXTS, _properties),
    st.builds(ast.ConsiderationDecl, _NAMES, _TEXTS, _properties),
    st.builds(
        ast.InputDecl, _NAMES, st.one_of(st.none(), _TEXTS), _types, st.booleans(), _properties
    ),
    st.builds(ast.LetDecl, _NAMES, st.one_of(st.none(), _TEXTS), conditions),
    st.builds(ast.ConstraintDecl, _NAMES, st.one_of(st.none(), _TEXTS), conditions),
    _table_decl(),
    _rule_decls,
    _when_blocks,
    _examples,
    _property_decls,
)

rule_file_trees: st.SearchStrategy[ast.RuleFile] = st.lists(declarations, max_size=6).map(
    lambda decls: ast.RuleFile(tuple(decls))
)


def build_ruleset(text: str, name: str = "<generated>") -> gistpath.RuleSet:
    """parse → check → compile → tables → RuleSet, without verification (no warning)."""
    from gistpath.cells import compile_model
    from gistpath.check import check
    from gistpath.parser import parse
    from gistpath.ruleset import RuleSet
    from gistpath.tables import build_tables

    if not text.endswith("\n"):
        text += "\n"
    model = check(parse(text, name), text, name)
    compiled = compile_model(model)
    return RuleSet(model, compiled, build_tables(compiled))


__all__ = [
    "KEYWORDS",
    "build_ruleset",
    "conditions",
    "declarations",
    "expressions",
    "numeric_candidates",
    "quantities",
    "raw_states",
    "rule_file_trees",
    "rule_files",
    "states",
    "thresholds_used",
    "walk",
]


@st.composite
def box_problems(
    draw: st.DrawFn,
    max_cells: int = 5,
    max_dims: int = 3,
    min_boxes: int = 0,
    max_boxes: int = 6,
) -> tuple[tuple[int, ...], list[tuple[int, ...]], list[bool]]:
    """A root box (a cell mask per dimension), boxes inside the space, and ordered flags."""
    sizes = draw(st.lists(st.integers(1, max_cells), min_size=1, max_size=max_dims))
    full = [(1 << n) - 1 for n in sizes]
    masks = [st.integers(1, m) for m in full]
    root = tuple(draw(m) for m in masks)
    boxes = draw(st.lists(st.tuples(*masks), min_size=min_boxes, max_size=max_boxes))
    ordered = draw(st.lists(st.booleans(), min_size=len(sizes), max_size=len(sizes)))
    return root, boxes, ordered


def numeric_dimensions(
    rs: gistpath.RuleSet,
) -> list[tuple[Dimension, NumericDomain]]:
    """Each numeric input's dimension in the rule set's space, with the input's domain."""
    pairs = []
    for dim in rs.compiled.space.dimensions[:-1]:
        domain = rs.inputs[dim.name].domain
        if isinstance(domain, NumericDomain):
            pairs.append((dim, domain))
    return pairs


# Each example of the cell tests builds a rule set; 50 of each keep a file under half a minute.
SLOW_CELLS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# 1.5 and the float after it leave no number between them: that open cell is never valid
CUT_POINTS: list[int | float] = [-3, -1, -0.5, 0, 0.25, 1, 1.5, math.nextafter(1.5, 2), 2, 3, 10]


@st.composite
def numeric_domains_and_cuts(draw: st.DrawFn) -> tuple[NumericDomain, set[int | float]]:
    """A numeric domain (integer or not, limits open, closed or absent) and some cuts."""
    integer = draw(st.booleans())
    values = [p for p in CUT_POINTS if isinstance(p, int)] if integer else CUT_POINTS
    ends = sorted(draw(st.lists(st.sampled_from(values), min_size=2, max_size=2)))
    low = draw(st.none() | st.builds(Limit, st.just(ends[0]), st.booleans()))
    high = draw(st.none() | st.builds(Limit, st.just(ends[1]), st.booleans()))
    domain = NumericDomain(integer, low, high, None, draw(st.booleans()))
    cuts = set(draw(st.lists(st.sampled_from(CUT_POINTS), max_size=5)))
    return domain, cuts

"""DMN entries → gistpath syntax: the S-FEEL text of one entry as a table cell or condition.

Design: each function reads one :class:`~gistpath.dmn.values.Text` (an input entry, an
output entry, an ``allowedValues`` or ``inputValues`` list) with :mod:`gistpath.dmn.feel`
and gives the :mod:`gistpath.ast` node it means, or a :class:`~gistpath.dmn.DmnError` at
the entry's element and line (a :class:`~gistpath.dmn.feel.FeelError` never leaves here).
:func:`cell` gives the table cell of an input entry for the column it sits in: a range of
numbers, a list of texts, booleans or another decision's results, ``-``. A numeric entry
that needs ``or`` (a list of ranges, ``not(...)`` of an interval) does not fit one cell
and comes back as an :class:`Either` holding its condition, which the importer moves to a
``let`` of its own. :func:`condition` gives one rule's entries as one condition, for the
``let`` of a multiple-hit rule.

``null`` (FEEL's no value) is gistpath's ``unknown`` for an input that allows it, and
entries on such an input mean what FEEL says: a comparison or interval is null on null
(no match, also under ``not(...)``), an equality with a literal is false, ``null`` is true,
a list is true if one test is; ``not(...)`` flips true and false. For a decision's result,
``null`` is the decision giving no value.

Limits: a text input is tested with texts in quotes only (no comparisons of strings); a
numeric allowed-values list is one interval or one comparison (with ``null`` beside it,
or ``null, <= a, > a`` for any number).
"""

from __future__ import annotations

import attrs

from gistpath import ast
from gistpath.dmn import feel
from gistpath.dmn.conversion import DecisionMap, InputMap
from gistpath.dmn.names import key, number_text
from gistpath.dmn.values import Text
from gistpath.language import UNKNOWN


@attrs.frozen
class Either:
    """A numeric entry that needs 'or' (a list of ranges, not(...) of an interval)."""

    expr: ast.Expr


def unary_tests(text: Text) -> feel.UnaryTests:
    """The unary tests of an input entry or a list of values, or a located DmnError."""
    try:
        return feel.parse_unary_tests(text.text)
    except feel.FeelError as error:
        raise text.place.error(f"{error} (in '{text.text}', column {error.column})") from None


def output_literal(text: Text) -> feel.Literal:
    """The one literal of an output entry or default output, or a located DmnError."""
    try:
        return feel.parse_literal(text.text)
    except feel.FeelError as error:
        raise text.place.error(
            f"{error} (in '{text.text}', column {error.column}); an output entry must "
            "be one literal"
        ) from None


def output_entry(text: Text) -> feel.Literal | feel.Name:
    """An output entry: a literal, or the name of a decision (or a located DmnError)."""
    try:
        return feel.parse_output(text.text)
    except feel.FeelError as error:
        raise text.place.error(
            f"{error} (in '{text.text}', column {error.column}); an output entry must "
            "be one literal or the name of a decision this one requires"
        ) from None


def output_value(text: Text) -> object:
    """The Python value (text, number or boolean) of an output entry or default output."""
    return output_literal(text).value


def allows_null(text: Text | None) -> bool:
    """Whether a list of allowed values lists ``null`` (the input may be unknown)."""
    if text is None:
        return False
    tests = unary_tests(text)
    return not tests.negated and any(_is_null(t) for t in tests.tests)


def _is_null(test: feel.Test) -> bool:
    return isinstance(test, feel.Equal) and isinstance(test.value, feel.Null)


def string_list(text: Text) -> list[str]:
    """The texts of a list of allowed values (``"a", "b"``), in order (``null`` left out)."""
    tests = unary_tests(text)
    out = []
    if tests.negated:
        raise text.place.error("allowed values given with not(...) are not imported")
    for test in tests.tests:
        if _is_null(test):
            continue
        if not isinstance(test, feel.Equal) or not isinstance(test.value, feel.String):
            raise text.place.error(
                f"the allowed values '{text.text}' are not a list of texts in quotes"
            )
        out.append(test.value.value)
    return out


def allowed_bounds(text: Text, integer: bool) -> tuple[ast.Bound, ...]:
    """A numeric input's allowed values (one interval or one comparison) as its bounds."""
    tests = unary_tests(text)
    ranges = [t for t in tests.tests if not _is_null(t)]
    if (
        not tests.negated
        and len(ranges) == 2
        and all(isinstance(t, feel.Compare) for t in ranges)
        and {t.op for t in ranges} in ({"<=", ">"}, {"<", ">="})  # type: ignore[union-attr]
        and ranges[0].value == ranges[1].value  # type: ignore[union-attr]
    ):
        return ()  # every number: '<= a, > a' (beside null, for a number that may be unknown)
    if tests.negated or len(ranges) != 1:
        raise text.place.error(
            f"the allowed values '{text.text}' are not one range; gistpath reads a "
            "numeric input's allowed values as one interval or one comparison"
        )
    (test,) = ranges
    if isinstance(test, feel.Interval):
        return (
            _bound(">=" if test.low_closed else ">", test.low, integer, text),
            _bound("<=" if test.high_closed else "<", test.high, integer, text),
        )
    if isinstance(test, feel.Compare):
        return (_bound(test.op, test.value, integer, text),)
    raise text.place.error(
        f"the allowed values '{text.text}' are not one range; a list of numbers is not imported"
    )


def _bound(op: str, value: feel.Literal, integer: bool, text: Text) -> ast.Bound:
    """One bound of an allowed range; a non-number (or a fraction for an integer) is refused."""
    if not isinstance(value, feel.Number):
        raise text.place.error(f"'{text.text}' compares a number with a non-number")
    if integer and not isinstance(value.value, int):
        raise text.place.error(f"'{value.text}' is not a whole number")
    return ast.Bound(op, ast.Quantity(value.value, number_text(value.value)))


def cell(text: Text, kind: tuple[str, object], column: str) -> ast.Cell | Either:
    """The table cell of one input entry in ``column``.

    ``kind`` is what the column reads: ``("input", InputMap)`` or
    ``("decision", DecisionMap)``.
    """
    tests = unary_tests(text)
    if tests.is_any:
        return ast.AnyCell()
    what, mapped = kind
    if what == "decision":
        return _decision_cell(text, tests, mapped)  # type: ignore[arg-type]
    data: InputMap = mapped  # type: ignore[assignment]
    if data.kind in ("number", "integer"):
        return _numeric_cell(text, tests, data.kind == "integer", column, data.unknown)
    if any(_is_null(t) for t in tests.tests) and not data.unknown:
        raise text.place.error(
            f"'{text.text}' tests for null, which input '{data.dmn_name}' does not allow "
            "(its allowed values do not list null)"
        )
    if data.kind == "boolean":
        flags: list[ast.Value] = []
        for test in tests.tests:
            if _is_null(test):
                flags.append(ast.Unknown())
                continue
            if not isinstance(test, feel.Equal) or not isinstance(test.value, feel.Boolean):
                raise text.place.error(f"'{text.text}' does not test a boolean (true, false)")
            flags.append(ast.BoolLiteral(test.value.value))
        return ast.ValuesCell(tuple(flags), tests.negated)
    symbols: list[ast.Value] = []
    for test in tests.tests:
        if _is_null(test):
            symbols.append(ast.Unknown())
            continue
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


def _decision_cell(text: Text, tests: feel.UnaryTests, decision: DecisionMap) -> ast.Cell:
    """An entry on another decision's result: its values (``true``/``false`` for a let)."""
    if decision.role in ("let", "constraint"):
        flags: list[ast.Value] = []
        for test in tests.tests:
            if not isinstance(test, feel.Equal) or not isinstance(test.value, feel.Boolean):
                raise text.place.error(
                    f"'{text.text}' does not test the yes/no value of decision "
                    f"'{decision.dmn_name}' (true, false)"
                )
            flags.append(ast.BoolLiteral(test.value.value))
        return ast.ValuesCell(tuple(flags), tests.negated)
    by_value = {key(v[0]): name for name, v in decision.values.items()}
    values: list[ast.Value] = []
    null = False
    for test in tests.tests:
        if _is_null(test):
            null = True
            continue
        if not isinstance(test, feel.Equal) or key(test.value.value) not in by_value:
            raise text.place.error(
                f"'{text.text}' is not a list of results decision '{decision.dmn_name}' can give"
            )
        name = by_value[key(test.value.value)]
        values.append(ast.Unknown() if name == UNKNOWN else ast.Symbol(name))
    if not null:
        return ast.ValuesCell(tuple(values), tests.negated)
    # null: the decision gives no value, which is every value but those listed
    listed = {getattr(v, "name", UNKNOWN) for v in values}
    rest: list[ast.Value] = [
        ast.Unknown() if name == UNKNOWN else ast.Symbol(name)
        for name in decision.values
        if name not in listed
    ]
    return ast.ValuesCell(tuple(rest), not tests.negated)


def _on_null(tests: feel.UnaryTests) -> bool:
    """Whether an entry matches FEEL's null (see the module's words on null)."""
    truth: bool | None = False
    for test in tests.tests:
        if _is_null(test):
            truth = True
            break
        if not isinstance(test, feel.Equal):
            truth = None  # a comparison or interval is null on null
    if tests.negated and truth is not None:
        truth = not truth
    return truth is True


def _numeric_cell(
    text: Text, tests: feel.UnaryTests, integer: bool, column: str, unknown: bool = False
) -> ast.Cell | Either:
    """One range as a cell (a negated comparison flipped); anything needing 'or' an Either.

    On an input that may be unknown, the entry's match on null (:func:`_on_null`) is made
    explicit wherever the cell alone would say otherwise.
    """
    nulls = [t for t in tests.tests if _is_null(t)]
    if nulls and not unknown:
        raise text.place.error(
            f"'{text.text}' tests for null, but the input does not allow null (its allowed "
            "values do not list it)"
        )
    if unknown:
        numeric = feel.UnaryTests(tuple(t for t in tests.tests if not _is_null(t)), tests.negated)
        on_null = _on_null(tests)
        is_unknown = ast.IsTest(column, ast.Unknown())
        if not numeric.tests:  # 'null' or 'not(null)'
            return ast.ValuesCell((ast.Unknown(),), tests.negated)
        plain = _numeric_cell(text, numeric, integer, column)
        if not on_null and (isinstance(plain, ast.TestsCell) or not tests.negated):
            return plain  # comparisons (and lists of them) are false on unknown already
        known = plain.expr if isinstance(plain, Either) else _cell_expr(column, plain)
        known_part = ast.And((ast.IsTest(column, ast.Unknown(), True), known))
        return Either(ast.Or((known_part, is_unknown)) if on_null else known_part)
    ranges = [_bounds_of(text, test, integer) for test in tests.tests]
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
    return Either(ast.Not(expr) if tests.negated else expr)


def _cell_expr(column: str, cell: ast.Cell) -> ast.Expr:
    """A numeric cell as a condition on ``column``."""
    assert isinstance(cell, ast.TestsCell)
    parts = [ast.Comparison(column, t.op, t.quantity) for t in cell.tests]
    return parts[0] if len(parts) == 1 else ast.And(tuple(parts))


def _bounds_of(text: Text, test: feel.Test, integer: bool) -> list[ast.Bound]:
    """The bounds of one positive numeric test (an equality is ``= n``)."""
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
        out.append(ast.Bound(op, ast.Quantity(value.value, number_text(value.value))))
    return out


def condition(
    columns: list[str],
    kinds: list[tuple[str, object]],
    cells: tuple[ast.Cell | Either, ...],
) -> ast.Expr | None:
    """A rule's cells as one condition (for the ``let`` of a multiple-hit rule).

    ``None`` where every entry is ``-``: the caller supplies a condition every state meets.
    """
    parts: list[ast.Expr] = []
    for column, (what, mapped), entry in zip(columns, kinds, cells, strict=True):
        if isinstance(entry, ast.AnyCell):
            continue
        if isinstance(entry, Either):
            parts.append(entry.expr)
            continue
        if isinstance(entry, ast.TestsCell):
            parts.extend(ast.Comparison(column, t.op, t.quantity) for t in entry.tests)
        elif isinstance(entry, ast.ValuesCell):
            boolean = (
                what == "input"
                and getattr(mapped, "kind", "") == "boolean"
                and not getattr(mapped, "unknown", False)  # 'not b' would hold on unknown
            ) or (what == "decision" and getattr(mapped, "role", None) == "let")
            if boolean:
                wanted = {v.value for v in entry.values if isinstance(v, ast.BoolLiteral)}
                if entry.negated:
                    wanted = {True, False} - wanted
                if wanted == {True}:
                    parts.append(ast.Reference(column))
                elif wanted == {False}:
                    parts.append(ast.Not(ast.Reference(column)))
                elif not wanted:
                    ref = ast.Reference(column)
                    parts.append(ast.And((ref, ast.Not(ref))))
                continue
            if len(entry.values) == 1:
                parts.append(ast.IsTest(column, entry.values[0], entry.negated))
            else:
                parts.append(ast.InTest(column, entry.values, entry.negated))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ast.And(tuple(parts))


__all__ = [
    "Either",
    "allowed_bounds",
    "allows_null",
    "cell",
    "condition",
    "output_entry",
    "output_literal",
    "output_value",
    "string_list",
    "unary_tests",
]

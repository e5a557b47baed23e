"""gistpath.dmn.feel: S-FEEL unary tests and literals, read or refused with a column."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gistpath.dmn.feel import (
    ANY,
    Boolean,
    Compare,
    Equal,
    FeelError,
    Interval,
    Name,
    Null,
    Number,
    String,
    UnaryTests,
    parse_literal,
    parse_output,
    parse_unary_tests,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-", ANY),
        ("< 5", UnaryTests((Compare("<", Number(5, "5")),))),
        (">=-2.5", UnaryTests((Compare(">=", Number(-2.5, "-2.5")),))),
        ("[1..10]", UnaryTests((Interval(Number(1, "1"), True, Number(10, "10"), True),))),
        ("]1..10[", UnaryTests((Interval(Number(1, "1"), False, Number(10, "10"), False),))),
        ("(1..10]", UnaryTests((Interval(Number(1, "1"), False, Number(10, "10"), True),))),
        ("[1..10)", UnaryTests((Interval(Number(1, "1"), True, Number(10, "10"), False),))),
        ('"High","Low"', UnaryTests((Equal(String("High")), Equal(String("Low"))))),
        ('not("a, b", "c")', UnaryTests((Equal(String("a, b")), Equal(String("c"))), True)),
        ("true", UnaryTests((Equal(Boolean(True)),))),
        ("not(false)", UnaryTests((Equal(Boolean(False)),), True)),
        ("18", UnaryTests((Equal(Number(18, "18")),))),
        ('"say \\"hi\\""', UnaryTests((Equal(String('say "hi"')),))),
        ("  -  ", ANY),
    ],
)
def test_unary_tests(text: str, expected: UnaryTests) -> None:
    assert parse_unary_tests(text) == expected


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("", 1, "the entry is empty"),
        ("Age + 1", 5, "'+' is not S-FEEL"),
        ("Age", 1, "is a name or FEEL expression"),
        ("< 5 +", 5, "'+' is not S-FEEL"),
        ('date("2020-01-01")', 1, "function call"),
        ("[1..", 5, "expected a number"),
        ("[1..2", 6, "an interval ends with"),
        ("not(1", 6, "expected ')'"),
        ("= 1", 1, "not an S-FEEL unary test"),
        ('["a".."b"]', 2, "an interval's ends must be numbers"),
        ('"\\q"', 2, "not an escape FEEL knows"),
        ("1e400", 2, "'e400' cannot follow here"),
        ("12345678901234567.5", 1, "cannot be held exactly"),
        ("< null", 1, ""),
    ],
)
def test_refusals_say_where(text: str, column: int, words: str) -> None:
    if text == "< null":  # read here; refused by the importer, which knows the column
        assert parse_unary_tests(text).tests == (Compare("<", Null()),)
        return
    with pytest.raises(FeelError) as caught:
        parse_unary_tests(text)
    assert words in str(caught.value)
    assert caught.value.column == column


def test_null_is_a_test_and_names_are_outputs() -> None:
    assert parse_unary_tests("null") == UnaryTests((Equal(Null()),))
    assert parse_unary_tests("not(5, null)").negated
    assert parse_output("afip_risk") == Name("afip_risk")
    assert parse_output('"a"') == String("a")
    with pytest.raises(FeelError, match="null"):
        parse_literal("null")
    with pytest.raises(FeelError, match="is a name"):
        parse_output("a b")


def test_literals() -> None:
    assert parse_literal('"Approved"') == String("Approved")
    assert parse_literal("-3") == Number(-3, "-3")
    assert parse_literal("98.83") == Number(98.83, "98.83")
    assert parse_literal("false") == Boolean(False)
    with pytest.raises(FeelError, match="'\\+' is not S-FEEL"):
        parse_literal('"a" + "b"')
    with pytest.raises(FeelError, match="cannot follow here"):
        parse_literal('"a" "b"')


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1e6, max_value=1e6))
def test_numbers_are_read_exactly_or_refused(value: Decimal) -> None:
    text = format(value, "f")
    try:
        (test,) = parse_unary_tests(text).tests
    except FeelError as error:
        message = str(error)
        assert "cannot be held exactly" in message
        return
    assert isinstance(test, Equal)
    assert isinstance(test.value, Number)
    assert Decimal(repr(test.value.value)) == Decimal(text)

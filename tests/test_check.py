"""Semantic checks: each problem is a RuleSemanticError located at the offending text.

Each test appends a few lines to a small, valid base file and states, from the meaning of
the language, where the error must point: an undefined name at the name, a wrong value at
the value, a unit or integer problem at the number, a declaration-level problem at the
declaration. All problems of a file are reported in one run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gistpath
from gistpath.check import check
from gistpath.parser import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"

BASE = """\
ruleset t "Checks"
source guide "A guide"
input site "Site": choice stomach, rectum
input size_cm "Size": number > 0 and <= 100 cm
input fit "Fit": boolean
input rate "Rate": integer >= 0 and <= 100
input grade "Grade": choice low, high or unknown
pathway watch "Watch"
    summary "Watch and wait."
    cites guide "A"
pathway operate "Operate"
    summary "Remove it."
    cites guide "B"
rule r_fit -> operate: fit
rule r_unfit -> watch: not fit
"""
BASE_LINES = BASE.count("\n")
EXAMPLE_STATE = (
    "    site = stomach\n    size_cm = 4\n    fit = yes\n    rate = 3\n    grade = low\n"
)


def run_check(text: str, filename: str = "t.gprules") -> gistpath.model.Model:  # type: ignore[name-defined]
    return check(parse(text, filename), text, filename)


def semantic_error(extra: str, filename: str = "t.gprules") -> gistpath.RuleSemanticError:
    text = BASE + extra
    with pytest.raises(gistpath.RuleSemanticError) as info:
        run_check(text, filename)
    error = info.value
    assert isinstance(error, gistpath.RuleError)
    # the message of every diagnostic: file:line:col, the source line and a caret
    message = str(error)
    for d in error.diagnostics:
        head = f"{filename}:{d.line}:{d.column}: {d.message}"
        assert head in message
        if d.message.endswith("more problems not shown"):
            continue
        source = text.split("\n")[d.line - 1]
        assert d.source_line == source
        block = message.split(head, 1)[1].split("\n")
        shown, caret = block[1][4:], block[2].index("^") - 4
        if len(source) <= 200:
            assert shown == source.expandtabs(1)
            assert caret == d.column - 1
        else:  # a long line is cut around the column; the caret still marks the character
            assert len(shown) <= 200
        assert shown[caret] == source[d.column - 1]
    return error


def where(extra: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Line and column (1-based, in BASE + extra) of ``needle`` inside ``extra``."""
    index = -1
    for _ in range(occurrence + 1):
        index = extra.index(needle, index + 1)
    before = extra[:index]
    line = BASE_LINES + before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    return line, column


def only(error: gistpath.RuleSemanticError) -> gistpath.errors.Diagnostic:
    assert len(error.diagnostics) == 1, str(error)
    return error.diagnostics[0]


def test_base_is_valid() -> None:
    model = run_check(BASE)
    assert list(model.inputs) == ["site", "size_cm", "fit", "rate", "grade"]


# --------------------------------------------------------------------------- undefined names


def test_undefined_input_in_a_comparison() -> None:
    extra = "let big: sizee_cm > 5\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "sizee_cm")
    assert "'sizee_cm'" in d.message
    assert "did you mean 'size_cm'" in d.message


def test_undefined_let_used_as_a_condition() -> None:
    extra = "let big: size_cm > 5\nlet both: bigg and fit\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "bigg")
    assert "did you mean 'big'" in d.message


def test_undefined_name_in_a_range() -> None:
    extra = "let mid: 2 < sizecm <= 5\n"
    error = semantic_error(extra)
    assert (error.line, error.column) == where(extra, "2 < sizecm")
    assert "'sizecm'" in error.diagnostics[0].message


def test_undefined_table() -> None:
    extra = "let risky: risk is high\n"
    error = semantic_error(extra)
    assert error.line == where(extra, "risk")[0]
    assert "'risk' is not a declared input or derived value" in error.diagnostics[0].message


# Regression: an undefined name in an 'is'/'in' test is reported at each listed value (once per
# value) instead of once at the name.
@pytest.mark.parametrize("extra", ["let risky: risk is high\n", "let risky: risk in {low, high}\n"])
def test_undefined_name_in_a_value_test_points_at_the_name(extra: str) -> None:
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "risk ")  # the name, not the let 'risky'
    assert "'risk' is not a declared input or derived value" in d.message


def test_undefined_pathway_in_a_rule() -> None:
    extra = "rule r_big -> resect: size_cm > 50\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "resect")
    assert "'resect' is not a declared pathway" in d.message


def test_undefined_pathway_in_a_consideration() -> None:
    extra = (
        'consideration second "Second opinion"\n'
        '    summary "Ask a colleague."\n'
        '    cites guide "C"\n'
        "    when pathway is operat\n"
    )
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "operat\n")
    assert "did you mean 'operate'" in d.message


def test_pathway_outside_a_consideration() -> None:
    extra = "let chosen: pathway is watch\n"
    error = semantic_error(extra)
    assert error.line == where(extra, "pathway")[0]
    assert "consideration" in error.diagnostics[0].message


def test_undefined_source() -> None:
    extra = (
        'pathway third "Third"\n    summary "x"\n    cites guid "A"\n'
        "rule r3 -> third: fit and not fit\n"
    )
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "guid ")
    assert "did you mean 'guide'" in d.message


def test_undefined_consideration_in_an_example() -> None:
    extra = (
        "example e -> operate with second_opinion\n"
        "    site = stomach\n    size_cm = 4\n    fit = yes\n    rate = 3\n    grade = low\n"
    )
    d = only(semantic_error(extra))
    assert d.line == where(extra, "example")[0]
    assert "'second_opinion' is not a declared consideration" in d.message


def test_undefined_example_in_like() -> None:
    extra = "example e like nothing -> operate\n    fit = yes\n"
    d = only(semantic_error(extra))
    assert d.line == where(extra, "example")[0]
    assert "'nothing' is not an example" in d.message


def test_undefined_table_column() -> None:
    extra = "table t\n    values a, b\n    | sitee | t |\n    | - | a |\n"
    error = semantic_error(extra)
    assert error.line == where(extra, "| sitee")[0]
    assert "did you mean 'site'" in error.diagnostics[0].message


# --------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize(
    ("extra", "needle", "words"),
    [
        ("input fit: boolean\n", "input fit", "input 'fit' is declared twice"),
        ("let big: fit\nlet big: fit\n", "let big", "'big' is already declared"),
        ("let fit: rate > 5\n", "let fit", "'fit' is already declared"),
        (
            "table size_cm\n    values a\n    | site | size_cm |\n    | - | a |\n",
            "table size_cm",
            "'size_cm' is already declared",
        ),
        ('source guide "Again"\n', "source guide", "source 'guide' is declared twice"),
        (
            'pathway watch "Again"\n    summary "x"\n    cites guide\n',
            "pathway watch",
            "pathway 'watch' is declared twice",
        ),
        ("rule r_fit -> watch: fit\n", "rule r_fit", "rule 'r_fit' is declared twice"),
        ("ruleset again\n", "ruleset again", "one 'ruleset' line"),
    ],
)
def test_duplicates(extra: str, needle: str, words: str) -> None:
    error = semantic_error(extra)
    d = only(error)
    assert (d.line, d.column) == where(
        extra, needle, occurrence=1 if extra.count(needle) > 1 else 0
    )
    assert words in d.message


def test_duplicate_consideration_and_example() -> None:
    consideration = 'consideration c "C"\n    summary "s"\n    cites guide\n    when fit\n'
    example = "example e -> operate\n" + EXAMPLE_STATE
    extra = consideration + consideration + example + example
    error = semantic_error(extra)
    found = {(d.line, d.column, d.message) for d in error.diagnostics}
    assert ((*where(extra, "consideration c", 1), "consideration 'c' is declared twice")) in found
    assert ((*where(extra, "example e", 1), "example 'e' is declared twice")) in found
    assert len(error.diagnostics) == 2


def test_duplicate_choice_value_and_listed_value() -> None:
    extra = "input colour: choice red, blue, red\nlet warm: site in {stomach, rectum, stomach}\n"
    error = semantic_error(extra)
    assert [(d.line, d.column) for d in error.diagnostics] == [
        where(extra, "red\n"),
        where(extra, "stomach}"),
    ]


def test_duplicate_property() -> None:
    extra = (
        'pathway third "Third"\n    summary "x"\n    summary "y"\n    cites guide\n'
        "rule r3 -> third: fit and not fit\n"
    )
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, 'summary "y"')
    assert "given twice" in d.message


# --------------------------------------------------------------------------- types


def test_choice_compared_with_a_number() -> None:
    extra = "let odd: site > 5\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "site")
    assert "'site' is a choice and cannot be compared with a number" in d.message


def test_boolean_tested_against_a_choice_value() -> None:
    extra = "let odd: fit is stomach\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "stomach")
    assert "'fit' is yes or no" in d.message


def test_choice_tested_against_yes() -> None:
    extra = "let odd: site is yes\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "yes")
    assert "'site' is a choice" in d.message


def test_choice_used_as_a_condition() -> None:
    extra = "let odd: site and fit\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "site")
    assert "site is <value>" in d.message


def test_number_used_as_a_condition() -> None:
    extra = "let odd: size_cm\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "size_cm")


def test_double_equals() -> None:
    extra = "let three: rate == 3\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "rate")
    assert "write '=' for equality" in d.message


def test_let_compared_with_a_number() -> None:
    extra = "let big: size_cm > 5\nlet odd: big > 1\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "big >")


def test_number_tested_against_a_name() -> None:
    extra = "let odd: size_cm is stomach\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "stomach")


def test_misspelt_choice_value() -> None:
    extra = "let gastric: site is stomack\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "stomack")
    assert "did you mean 'stomach'" in d.message


def test_range_with_mixed_directions() -> None:
    extra = "let odd: 2 < size_cm > 5\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "2 <")


# --------------------------------------------------------------------------- unknown


@pytest.mark.parametrize(
    "extra",
    [
        "let odd: site is unknown\n",
        "let odd: fit is not unknown\n",
        "let odd: size_cm is unknown\n",
        "let odd: rate in {unknown}\n",
    ],
)
def test_unknown_where_not_declared(extra: str) -> None:
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "unknown")
    assert "or unknown" in d.message


def test_unknown_where_declared_is_fine() -> None:
    run_check(BASE + "let ungraded: grade is unknown or grade in {unknown, low}\n")


def test_unknown_in_a_table_cell() -> None:
    extra = "table t\n    values a, b\n    | site | t |\n    | unknown | a |\n    | - | b |\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "unknown")


def test_unknown_in_an_example() -> None:
    extra = "example e -> operate\n" + EXAMPLE_STATE.replace("= stomach", "= unknown")
    error = semantic_error(extra)
    assert where(extra, "unknown") in [(d.line, d.column) for d in error.diagnostics]


def test_a_choice_value_named_unknown() -> None:
    extra = "input answer: choice maybe, unknown\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "unknown")
    assert "or unknown" in d.message


# --------------------------------------------------------------------------- units & integers


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ("let big: size_cm < 20 mm\n", "20"),
        ("let mid: 1 cm < size_cm < 5 mm\n", "5 mm"),
        ("let odd: rate >= 5 cm\n", "5 cm"),  # rate has no unit at all
        (
            "table t\n    values a, b\n    | size_cm | t |\n    | < 2 in | a |\n    | - | b |\n",
            "2 in",
        ),
    ],
)
def test_unit_mismatch(extra: str, needle: str) -> None:
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, needle)
    assert "unit" in d.message


def test_matching_or_omitted_unit_is_fine() -> None:
    run_check(BASE + "let big: size_cm < 20 cm and size_cm > 2\n")


@pytest.mark.parametrize(
    ("extra", "needle", "words"),
    [
        ("let odd: rate < 2.5\n", "2.5", "not an integer"),
        ("let odd: rate < 2.0\n", "2.0", "without a decimal point"),
        ("let odd: rate < 1e1\n", "1e1", "without a decimal point"),
        ("input count: integer >= 0.5\n", "0.5", "not an integer"),
        (
            "table t\n    values a, b\n    | rate | t |\n    | < 2.5 | a |\n    | - | b |\n",
            "2.5",
            "not an integer",
        ),
    ],
)
def test_non_integer_literal_for_an_integer(extra: str, needle: str, words: str) -> None:
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, needle)
    assert words in d.message


def test_empty_input_range() -> None:
    extra = "input count: integer > 3 and < 4\n"
    d = only(semantic_error(extra))
    assert d.line == where(extra, "input")[0]
    assert "holds no value" in d.message


def test_number_too_large() -> None:
    extra = "let odd: size_cm < 1e400\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "1e400")
    assert "too large" in d.message


# Regression: an integer literal beyond the float range (e.g. 10**400 written out) is accepted
# for a 'number' input, while 1e400 is refused; it later crashes the verifier.
def test_integer_literal_too_large_for_a_number_input() -> None:
    extra = f"let odd: size_cm < 1{'0' * 400}\n"
    d = only(semantic_error(extra))
    assert "too large" in d.message


def test_reserved_name_pathway() -> None:
    extra = "input pathway: boolean\n"
    d = only(semantic_error(extra))
    assert d.line == where(extra, "input")[0]
    assert "reserved" in d.message


# --------------------------------------------------------------------------- documentation


def test_pathway_no_rule_names() -> None:
    extra = 'pathway spare "Spare"\n    summary "Never chosen."\n    cites guide "D"\n'
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "pathway spare")
    assert "no rule leads to pathway 'spare'" in d.message


@pytest.mark.parametrize("kind", ["pathway", "consideration"])
def test_missing_summary(kind: str) -> None:
    when = "    when fit\n" if kind == "consideration" else ""
    rule = "rule r3 -> third: fit and not fit\n" if kind == "pathway" else ""
    extra = f'{kind} third "Third"\n    cites guide "D"\n{when}{rule}'
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, kind)
    assert "needs a 'summary'" in d.message


@pytest.mark.parametrize("kind", ["pathway", "consideration"])
def test_missing_citation(kind: str) -> None:
    when = "    when fit\n" if kind == "consideration" else ""
    rule = "rule r3 -> third: fit and not fit\n" if kind == "pathway" else ""
    extra = f'{kind} third "Third"\n    summary "x"\n{when}{rule}'
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, kind)
    assert "cites" in d.message


def test_consideration_needs_one_when() -> None:
    extra = 'consideration c "C"\n    summary "s"\n    cites guide\n'
    d = only(semantic_error(extra))
    assert d.line == where(extra, "consideration")[0]
    assert "exactly one 'when" in d.message


def test_unknown_property() -> None:
    extra = (
        'pathway third "Third"\n    summary "x"\n    colour "red"\n    cites guide\n'
        "rule r3 -> third: fit and not fit\n"
    )
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "colour")


# --------------------------------------------------------------------------- cycles


def test_cycle_between_two_lets() -> None:
    extra = "let a: b and fit\nlet b: a or fit\n"
    error = semantic_error(extra)
    assert len(error.diagnostics) == 1
    d = error.diagnostics[0]
    assert d.line in (where(extra, "let a")[0], where(extra, "let b")[0])
    assert "circle" in d.message
    assert "a" in d.message
    assert "b" in d.message


def test_let_that_reads_itself() -> None:
    extra = "let a: a and fit\n"
    d = only(semantic_error(extra))
    assert d.line == where(extra, "let a")[0]
    assert "a -> a" in d.message


def test_cycle_through_a_table() -> None:
    extra = (
        "let hot: t is a\n"
        "table t\n    values a, b\n    | hot | t |\n    | yes | a |\n    | no | b |\n"
    )
    d = only(semantic_error(extra))
    assert "circle" in d.message
    assert "hot" in d.message
    assert "t" in d.message


def test_forward_reference_is_not_a_cycle() -> None:
    model = run_check(BASE + "let a: b and fit\nlet b: size_cm > 5\n")
    assert model.derived_order.index("b") < model.derived_order.index("a")


# --------------------------------------------------------------------------- tables

TABLE_HEAD = "table t\n    values low, high\n"


def test_table_row_length() -> None:
    extra = TABLE_HEAD + "    | site | t |\n    | stomach | low |\n    | rectum | high | x |\n"
    d = only(semantic_error(extra))
    assert d.line == where(extra, "| rectum")[0]
    assert "3 cells" in d.message
    assert "header has 2" in d.message


def test_table_missing_output_column() -> None:
    extra = TABLE_HEAD + "    | site | risk |\n    | stomach | low |\n"
    d = only(semantic_error(extra))
    assert d.line == where(extra, "| site")[0]
    assert "column named 't'" in d.message


def test_table_unknown_output_value() -> None:
    extra = TABLE_HEAD + "    | site | t |\n    | stomach | low |\n    | rectum | hihg |\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "hihg")
    assert "did you mean 'high'" in d.message


def test_table_output_cell_with_two_values() -> None:
    extra = TABLE_HEAD + "    | site | t |\n    | stomach | low, high |\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "low, high", 1)


def test_table_without_values_line() -> None:
    extra = "table t\n    | site | t |\n    | stomach | low |\n"
    error = semantic_error(extra)
    assert any("needs a 'values' line" in d.message for d in error.diagnostics)
    assert error.line == where(extra, "table t")[0]


def test_table_unknown_hit_policy() -> None:
    extra = TABLE_HEAD + "    hit best\n    | site | t |\n    | - | low |\n"
    d = only(semantic_error(extra))
    assert d.line == where(extra, "hit best")[0]
    assert "'unique', 'first', 'any', 'priority'" in d.message


def test_table_default_must_be_a_value() -> None:
    extra = TABLE_HEAD + "    default middle\n    | site | t |\n    | stomach | low |\n"
    d = only(semantic_error(extra))
    assert "the default 'middle' is not one of the values" in d.message


def test_priority_table_refuses_a_read_output() -> None:
    extra = (
        TABLE_HEAD
        + "    hit priority\n    | site | t |\n    | stomach | low |\n"
        + 'table u "U"\n    values low, high\n    hit priority\n    | site | u |\n    | - | t |\n'
    )
    d = only(semantic_error(extra))
    assert "ranks rows by their output's place" in d.message


def test_table_text_as_condition_and_number_as_annotation() -> None:
    extra = (
        TABLE_HEAD
        + '    | site | t | note |\n    | "stomach" | low | "x" |\n    | rectum | high | rectum |\n'
    )
    error = semantic_error(extra)
    assert [(d.line, d.column) for d in error.diagnostics] == [
        where(extra, '"stomach"'),
        where(extra, "rectum |", 1),
    ]


def test_table_cell_type_errors() -> None:
    extra = TABLE_HEAD + "    | site | size_cm | t |\n    | < 5 | stomach | low |\n"
    error = semantic_error(extra)
    assert [(d.line, d.column) for d in error.diagnostics] == [
        where(extra, "< 5"),
        where(extra, "stomach"),
    ]


# Regression: 'a value is listed twice in values' points at the table line, column 1, instead
# of at the 'values' line (TableDecl.values_line is never used).
def test_table_duplicate_value_points_at_the_values_line() -> None:
    extra = "table t\n    values low, low\n    | site | t |\n    | - | low |\n"
    d = only(semantic_error(extra))
    assert d.line == where(extra, "values")[0]


# --------------------------------------------------------------------------- examples

EXAMPLE_STATE = (
    "    site = stomach\n    size_cm = 4\n    fit = yes\n    rate = 3\n    grade = low\n"
)


def test_a_good_example_checks() -> None:
    model = run_check(BASE + "example e -> operate\n" + EXAMPLE_STATE)
    assert dict(model.examples[0].state) == {
        "site": "stomach",
        "size_cm": 4,
        "fit": True,
        "rate": 3,
        "grade": "low",
    }


def test_example_missing_inputs() -> None:
    extra = "example e -> operate\n    site = stomach\n    fit = yes\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "example")
    assert "size_cm" in d.message
    assert "rate" in d.message
    assert "grade" in d.message
    assert "site," not in d.message


@pytest.mark.parametrize(
    "wrong",
    [
        "site = Stomach",
        "size_cm = 500",
        "fit = stomach",
        "rate = -1",
        "size_cm = 4 mm",
        "rate = 3.0",
    ],
)
def test_example_bad_value(wrong: str) -> None:
    name, _value = wrong.split(" = ")
    state = "".join(
        f"    {wrong}\n" if row.strip().startswith(name + " ") else row + "\n"
        for row in EXAMPLE_STATE.rstrip("\n").split("\n")
    )
    extra = "example e -> operate\n" + state
    error = semantic_error(extra)
    line, column = where(extra, wrong)
    column += len(name) + len(" = ")  # the error points at the value
    messages = {(d.line, d.column): d.message for d in error.diagnostics}
    assert (line, column) in messages
    assert f"'{name}'" in messages[(line, column)]


# Regression: an example field with an invalid value is also reported as missing ("example 'e'
# gives no value for: rate"), though the example does give it.
def test_example_with_an_invalid_value_is_not_also_missing() -> None:
    extra = "example e -> operate\n" + EXAMPLE_STATE.replace("rate = 3", "rate = 3.0")
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "3.0")


def test_example_unknown_field_and_pathway() -> None:
    extra = "example e -> operat\n" + EXAMPLE_STATE + "    colour = red\n"
    error = semantic_error(extra)
    places = {(d.line, d.column): d.message for d in error.diagnostics}
    assert "'colour' is not a declared input" in places[where(extra, "colour")]
    assert "'operat' is not a declared pathway" in places[where(extra, "example")]


def test_example_like_itself() -> None:
    extra = "example e like f -> operate\n" + EXAMPLE_STATE + "example f like e -> operate\n"
    error = semantic_error(extra)
    assert all("circle" in d.message for d in error.diagnostics)
    assert {d.line for d in error.diagnostics} <= {
        where(extra, "example e")[0],
        where(extra, "example f")[0],
    }


def test_example_expected_derived_value_of_wrong_kind() -> None:
    extra = "let big: size_cm > 5\nexample e -> operate\n" + EXAMPLE_STATE + "    big = stomach\n"
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, "stomach", 1)


def test_like_inherits_state() -> None:
    extra = "example e -> operate\n" + EXAMPLE_STATE + "example f like e -> watch\n    fit = no\n"
    model = run_check(BASE + extra)
    f = model.examples[1]
    assert f.state["fit"] is False
    assert f.state["site"] == "stomach"


# --------------------------------------------------------------------------- everything at once


def test_all_problems_of_a_file_in_one_run() -> None:
    extra = (
        "let a: sizee_cm > 5\n"  # 1 undefined input
        "let b: site > 5\n"  # 2 choice compared with a number
        "let c: fit is stomach\n"  # 3 boolean against a choice value
        "let d: size_cm < 20 mm\n"  # 4 unit
        "let e: rate < 2.5\n"  # 5 integer
        "let f: site is unknown\n"  # 6 unknown not declared
        "rule r_x -> nowhere: fit and not fit\n"  # 7 undefined pathway
        'pathway spare "Spare"\n    summary "x"\n    cites guide\n'  # 8 no rule names it
        "let g: h\nlet h: g\n"  # 9 cycle
    )
    error = semantic_error(extra)
    assert len(error.diagnostics) == 9, str(error)
    assert str(error).endswith("9 problems found.")
    lines = [d.line for d in error.diagnostics]
    assert lines == sorted(lines)  # reported in file order
    assert (error.line, error.column) == where(extra, "sizee_cm")


def test_hundreds_of_problems_are_capped() -> None:
    extra = "".join(f"let x{i}: nosuch{i}\n" for i in range(300))
    error = semantic_error(extra)
    assert len(error.diagnostics) == 101
    assert "200 more problems not shown" in str(error)


# --------------------------------------------------------------------------- fixtures


def _fixture_error(name: str) -> tuple[str, gistpath.RuleSemanticError]:
    path = FIXTURES / name
    text = path.read_text(encoding="utf-8")
    with pytest.raises(gistpath.RuleSemanticError) as info:
        gistpath.load(path)
    return text, info.value


def _place(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line and not line.startswith("#"):
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_fixture_type_error() -> None:
    text, error = _fixture_error("type_error.gprules")
    line, column = _place(text, "is stomach")
    assert [(d.line, d.column) for d in error.diagnostics] == [
        _place(text, "site > 5"),  # the choice compared with a number
        (line, column + len("is ")),  # the choice value given to a boolean
    ]


def test_fixture_unit_error() -> None:
    text, error = _fixture_error("unit_error.gprules")
    assert [(d.line, d.column) for d in error.diagnostics] == [_place(text, "20 mm")]
    assert "'cm'" in str(error)
    assert "'mm'" in str(error)


def test_fixture_undefined_names() -> None:
    text, error = _fixture_error("undefined_names.gprules")
    assert [(d.line, d.column) for d in error.diagnostics] == [
        _place(text, "guidelines"),
        _place(text, "sizee_cm"),
        _place(text, "resect"),
        (_place(text, "like nothing")[0], 1),
    ]


@pytest.mark.parametrize(
    "extra",
    [
        "input answer: choice yes, no, maybe\n",
        'table t "T"\n    values yes, no\n    | size_cm | t |\n    | - | yes |\n',
    ],
)
def test_yes_and_no_cannot_name_choice_values(extra: str) -> None:
    error = semantic_error(extra)
    assert any("the word for a yes/no value" in d.message for d in error.diagnostics)


def test_a_let_is_not_suggested_as_a_fix_for_its_own_condition() -> None:
    d = only(semantic_error("let risky: risk is high\n"))
    assert "did you mean 'risky'" not in d.message


# --------------------------------------------------------------------------- properties

ORDERED_TABLE = (
    'table band "Band"\n'
    "    values small < large, unsure\n"
    "    | size_cm | band |\n"
    "    | <= 5 | small |\n"
    "    | > 5 | large |\n"
)


def test_properties_are_checked_and_listed() -> None:
    extra = ORDERED_TABLE + (
        'consideration trial "Trial"\n    summary "t"\n    cites guide\n'
        "    when pathway is operate\n"
        'property p1 "One"\n    cites guide "A"\n'
        "    holds: pathway in {watch} implies not fit and not considerations include trial\n"
        'property p2 "Two"\n    monotone: band in size_cm\n'
    )
    model = run_check(BASE + extra)
    assert list(model.properties) == ["p1", "p2"]
    assert model.properties["p1"].kind == "holds"
    assert model.properties["p1"].citations[0].section == "A"
    assert model.properties["p2"].kind == "monotone"
    assert (model.properties["p2"].value, model.properties["p2"].input) == ("band", "size_cm")
    assert model.tables["band"].order == ("small", "large")
    assert model.tables["band"].values == ("small", "large", "unsure")


@pytest.mark.parametrize(
    ("extra", "needle", "words"),
    [
        (
            'property p "P"\n    holds: pathway is wach implies fit\n',
            "wach",
            "did you mean 'watch'",
        ),
        (
            'property p "P"\n    holds: considerations include nothing\n',
            "considerations",
            "'nothing' is not a declared consideration",
        ),
        (
            "let x: considerations include trial\n",
            "considerations",
            "only be used inside a property",
        ),
        ('property p "P"\n    holds: site include trial\n', "site", "only 'considerations include"),
        ('property p "P"\n    holds: size_cm is big\n', "big", "size_cm"),
        ('property p "P"\n    cites guid\n    holds: fit\n', "guid", "not a declared source"),
        ('property p "P"\n    monotone: fit in size_cm\n', "fit", "an input"),
        ('property p "P"\n    monotone: nothing in size_cm\n', "nothing", "not declared"),
        ('property p "P"\n    monotone: band in site\n', "site", "a choice"),
        ('property p "P"\n    monotone: band in bogus\n', "bogus", "not a declared input"),
    ],
)
def test_property_errors_point_at_the_name(extra: str, needle: str, words: str) -> None:
    extra = ORDERED_TABLE + extra
    d = only(semantic_error(extra))
    assert (d.line, d.column) == where(extra, needle), d.message
    assert words in d.message


def test_monotone_needs_ordered_values() -> None:
    extra = (
        'table band "Band"\n    values small, large\n    | size_cm | band |\n'
        "    | <= 5 | small |\n    | > 5 | large |\n"
        'property p "P"\n    monotone: band in size_cm\n'
    )
    d = only(semantic_error(extra))
    assert "have no order" in d.message
    assert (d.line, d.column) == where(extra, "band in")


def test_duplicate_property_declaration() -> None:
    extra = 'property p "P"\n    holds: fit or not fit\nproperty p "Q"\n    holds: fit or not fit\n'
    d = only(semantic_error(extra))
    assert "declared twice" in d.message
    assert d.line == where(extra, 'property p "Q"')[0]


def test_values_are_ordered_with_less_than_only() -> None:
    text = BASE + ORDERED_TABLE.replace("small < large", "small <= large")
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        parse(text, "t.gprules")
    assert "ordered with '<'" in str(info.value)


# ---------------------------------------------------------------- the passes, one at a time


def test_the_passes_run_in_the_order_of_what_they_read() -> None:
    from gistpath.check import PASSES

    names = [p.__name__ for p in PASSES]
    # each pass after every pass whose declarations it resolves names against
    for earlier, later in [
        ("check_sources", "check_pathways"),
        ("check_inputs", "check_lets"),
        ("check_derived_names", "check_lets"),
        ("check_derived_names", "check_tables"),
        ("check_lets", "check_dependencies"),
        ("check_tables", "check_dependencies"),
        ("check_pathways", "check_rules"),
        ("check_pathways", "check_considerations"),
        ("check_considerations", "check_examples"),
    ]:
        assert names.index(earlier) < names.index(later)
    assert len(set(names)) == len(names)


def test_a_pass_runs_alone_on_the_scope_of_the_passes_before_it() -> None:
    from gistpath.check import run_passes
    from gistpath.check.header import check_header
    from gistpath.check.sources import check_sources

    text = 'ruleset t "T"\nsource a "A"\nsource a "Again"\nsource b "B"\n'
    scope = run_passes(parse(text, "t.gprules"), text, "t.gprules", (check_header, check_sources))
    assert scope.header == ("t", "T", None, None)
    assert list(scope.sources) == ["a", "b"]
    assert scope.sources["a"].title == "A"  # the first declaration is kept
    assert scope.problems == [(3, 1, "source 'a' is declared twice")]
    assert scope.rules == ()  # the rules pass did not run


def test_the_dependency_pass_orders_derived_values_after_what_they_read() -> None:
    from gistpath.check import PASSES, run_passes
    from gistpath.check.dependencies import check_dependencies

    text = BASE + (
        'let c "C": a and b is x\n'
        'let a "A": fit\n'
        'table b "B"\n'
        "    values x, y\n"
        "    | site    | b |\n"
        "    | stomach | x |\n"
        "    | rectum  | y |\n"
    )
    upto = PASSES[: PASSES.index(check_dependencies) + 1]
    scope = run_passes(parse(text, "t.gprules"), text, "t.gprules", upto)
    assert scope.problems == []
    assert scope.depends == {"c": {"a", "b"}, "a": set(), "b": set()}
    # c is declared first but read after a and b
    assert scope.derived_order.index("c") == 2
    assert sorted(scope.derived_order) == ["a", "b", "c"]


def test_a_circle_between_derived_values_is_reported_once_at_the_value_that_closes_it() -> None:
    error = semantic_error('let p "P": q\nlet q "Q": p\n')
    circles = [d for d in error.diagnostics if "in a circle" in d.message]
    assert len(circles) == 1
    assert circles[0].line == BASE_LINES + 1  # p, where the walk from p comes back
    assert circles[0].message.endswith("p -> q -> p")


def test_every_function_of_the_check_package_is_documented() -> None:
    import ast as pyast

    folder = Path(gistpath.__file__).resolve().parent / "check"
    missing = []
    for path in sorted(folder.glob("*.py")):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        if pyast.get_docstring(tree) is None:
            missing.append(path.name)
        for node in pyast.walk(tree):
            if isinstance(node, (pyast.FunctionDef, pyast.ClassDef)):
                if node.name == "__init__" or pyast.get_docstring(node) is not None:
                    continue
                missing.append(f"{path.name}:{node.lineno} {node.name}")
    assert missing == []


# --------------------------------------------------------------------------- reserved words

_RESERVED_BASE = 'ruleset t "T"\nsource s "S"\npathway p "P"\n    summary "p"\n    cites s\n'


@pytest.mark.parametrize("word", ["unknown", "values", "yes", "when", "table", "not", "rule"])
@pytest.mark.parametrize(
    ("what", "text"),
    [
        ("an input", 'input {w} "W": boolean\nrule r -> p: otherwise\n'),
        ("a derived value", 'input x "X": boolean\nlet {w}: x\nrule r -> p: otherwise\n'),
        ("a choice value", 'input c "C": choice a, {w}\nrule r -> p: otherwise\n'),
        ("a pathway", 'pathway {w} "W"\n    summary "w"\n    cites s\nrule r -> p: otherwise\n'),
    ],
)
def test_a_word_of_the_language_is_refused_where_it_is_declared(
    word: str, what: str, text: str
) -> None:
    from gistpath.language import RESERVED_NAMES

    assert word in RESERVED_NAMES
    source = _RESERVED_BASE + text.format(w=word)
    with pytest.raises(gistpath.RuleSemanticError) as caught:
        gistpath.loads(source, "t.gprules")
    declared_on = next(
        i for i, line in enumerate(source.splitlines(), 1) if re.search(rf"\b{word}\b", line)
    )
    messages = [d for d in caught.value.diagnostics if d.line == declared_on]
    assert messages, str(caught.value)
    if what == "a choice value" and word in ("unknown", "yes"):
        return  # their own, older messages: 'write or unknown', 'the word for a yes/no value'
    assert any(
        f"'{word}' is a word of the rules language and cannot name {what}" in d.message
        for d in messages
    ), str(caught.value)


def test_every_keyword_of_the_grammar_is_reserved() -> None:
    from gistpath.language import KEYWORDS, RESERVED_NAMES

    assert set(KEYWORDS) <= RESERVED_NAMES
    assert {"pathway", "considerations"} <= RESERVED_NAMES


@pytest.mark.parametrize("word", ["true", "false", "True", "maybe"])
def test_a_boolean_in_an_example_is_written_as_in_rule_text(word: str) -> None:
    text = (
        _RESERVED_BASE
        + 'input x "X": boolean\nrule r -> p: otherwise\n'
        + f"example e -> p\n    x = {word}\n"
    )
    with pytest.raises(gistpath.RuleSemanticError) as caught:
        gistpath.loads(text, "t.gprules")
    message = str(caught.value)
    assert (
        f"not a valid value for 'x': a boolean is written yes or no in rule text, in examples "
        f"as in conditions; got '{word}'" in message
    )
    assert "JSON" not in message
    assert "True or False" not in message
    fixed = text.replace(f"x = {word}", "x = yes")
    assert gistpath.loads(fixed, "t.gprules").model.examples[0].state["x"] is True

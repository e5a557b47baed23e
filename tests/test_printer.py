"""The printer: ``parse(print_rule_file(tree)) == tree``, and printing is idempotent.

Checked on the walk example, on every fixture that parses, on random rule files (the
generator of tests/strategies.py) and on random syntax trees built directly from the
classes of :mod:`gistpath.ast`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import gistpath
from gistpath import ast
from gistpath.check import check
from gistpath.parser import parse
from gistpath.printer import print_expr, print_rule_file

from strategies import expressions, rule_file_trees, rule_files

ROOT = Path(__file__).resolve().parents[1]
WALK = ROOT / "docs" / "examples" / "walk.gprules"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PARSEABLE = sorted(p for p in FIXTURES.glob("*.gprules") if p.name != "syntax_errors.gprules")


def round_trip(tree: ast.RuleFile) -> str:
    text = print_rule_file(tree)
    again = parse(text, "printed.gprules")
    assert again == tree, text
    assert print_rule_file(again) == text  # idempotent
    return text


def test_walk_round_trip() -> None:
    tree = parse(WALK.read_text(encoding="utf-8"))
    text = round_trip(tree)
    assert "#" not in text  # comments are not part of the tree
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_printed_walk_is_the_same_rule_set() -> None:
    original = gistpath.load(WALK)
    printed = gistpath.loads(print_rule_file(parse(WALK.read_text(encoding="utf-8"))), "p.gprules")
    assert printed.verify().ok
    assert list(printed.pathways) == list(original.pathways)
    state = {
        "sky": "snow",
        "temperature_c": -2,
        "wind_kmh": 30,
        "rain_chance": "unknown",
        "distance_km": 12,
        "has_car": False,
        "child_along": True,
    }
    a, b = original.evaluate(state), printed.evaluate(state)
    assert (a.pathway, a.rule, a.considerations, dict(a.values)) == (
        b.pathway,
        b.rule,
        b.considerations,
        dict(b.values),
    )


@pytest.mark.parametrize("path", PARSEABLE, ids=lambda p: p.stem)
def test_fixture_round_trip(path: Path) -> None:
    round_trip(parse(path.read_text(encoding="utf-8")))


def test_fixtures_are_all_covered() -> None:
    assert {p.stem for p in PARSEABLE} >= {
        "gap",
        "overlap",
        "dead_rule",
        "type_error",
        "unit_error",
        "undefined_names",
        "empty_constraint",
        "table_overlap",
        "bad_example",
    }


def test_positions_differ_but_trees_are_equal() -> None:
    # Comments and blank lines move every node; equality ignores positions.
    text = WALK.read_text(encoding="utf-8")
    tree = parse(text)
    printed = parse(print_rule_file(tree))
    assert printed == tree
    lines = [d.line for d in tree.declarations]
    assert lines != [d.line for d in printed.declarations]


# --------------------------------------------------------------------------- random input


@pytest.mark.slow
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(rule_files())
def test_generated_files_round_trip(text: str) -> None:
    tree = parse(text)
    printed = round_trip(tree)
    # the printed file means the same: it still passes the checks
    check(parse(printed), printed)


@pytest.mark.slow
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(rule_file_trees)
def test_random_trees_round_trip(tree: ast.RuleFile) -> None:
    round_trip(tree)


@pytest.mark.slow
@settings(max_examples=300)
@given(expressions)
def test_random_expressions_round_trip(expr: ast.Expr) -> None:
    text = print_expr(expr)
    tree = parse(f"let x: {text}\n")
    assert tree.declarations[0].condition == expr, text  # type: ignore[union-attr]


# --------------------------------------------------------------------------- precedence

A, B, C = ast.Reference("a"), ast.Reference("b"), ast.Reference("c")


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        (ast.Not(ast.And((A, B))), "not (a and b)"),
        (ast.And((ast.Not(A), B)), "not a and b"),
        (ast.And((ast.Or((A, B)), C)), "(a or b) and c"),
        (ast.Or((ast.And((A, B)), C)), "a and b or c"),
        (ast.And((ast.And((A, B)), C)), "(a and b) and c"),
        (ast.Implies(ast.Implies(A, B), C), "(a implies b) implies c"),
        (ast.Iff(ast.Or((A, B)), C), "a or b exactly when c"),
        (ast.Not(ast.Not(A)), "not not a"),
        (ast.Not(ast.Implies(A, B)), "not (a implies b)"),
    ],
)
def test_parentheses_only_where_needed(expr: ast.Expr, text: str) -> None:
    assert print_expr(expr) == text
    assert parse(f"let x: {text}\n").declarations[0].condition == expr  # type: ignore[union-attr]


def test_texts_with_quotes_and_backslashes() -> None:
    title = 'He said "go" \\ then left'
    tree = ast.RuleFile((ast.SourceDecl("s", title, (ast.Property("note", "a \\ b"),)),))
    text = round_trip(tree)
    assert '\\"go\\"' in text


def test_numbers_are_printed_as_written() -> None:
    tree = parse("let x: a < 5.50 cm and a > +1e3 and a != 007\n")
    text = round_trip(tree)
    assert "5.50 cm" in text
    assert "+1e3" in text
    assert "007" in text

"""The compiled predicate tables against the reference interpreter.

The heart of the test suite: for random rule files (tests/strategies.py, 5a) and random
valid states drawn at and beside every threshold (5b), ``rs.evaluate`` (bit sets) and
``rs.evaluate_reference`` (a plain walk of the syntax tree) must agree on everything:
pathway, rule, considerations and every derived value, or both raise EvaluationError.
The verifier's verdict must match what evaluation meets.
"""

from __future__ import annotations

import itertools
import math
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import EvaluationError, StateError, VerificationWarning

from samples import walk_state
from strategies import build_ruleset, rule_files, states

ROOT = Path(__file__).resolve().parents[1]
WALK = ROOT / "docs" / "examples" / "walk.gprules"

FILTERING = settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


def typed(values: Any) -> dict[str, tuple[type, object]]:
    """Values with their types, so that True and 1, or 5 and 5.0, are told apart."""
    return {k: (type(v), v) for k, v in dict(values).items()}


def outcome(rs: gistpath.RuleSet, state: dict[str, object], reference: bool) -> tuple[object, ...]:
    try:
        if reference:
            o = rs.evaluate_reference(state)
            return ("decided", o.pathway, o.rule, tuple(o.considerations), typed(o.values))
        d = rs.evaluate(state)
        return ("decided", d.pathway, d.rule, tuple(d.considerations), typed(d.values))
    except EvaluationError as error:
        kind = "none" if str(error).startswith("no rule") else "several"
        return ("undecided", kind)


def assert_agree(rs: gistpath.RuleSet, state: dict[str, object]) -> tuple[object, ...]:
    tables = outcome(rs, state, reference=False)
    reference = outcome(rs, state, reference=True)
    assert tables == reference, (state, tables, reference)
    return tables


# --------------------------------------------------------------------------- the property


@pytest.mark.slow
@FILTERING
@given(st.data())
def test_tables_agree_with_the_reference_interpreter(data: st.DataObject) -> None:
    text = data.draw(st.booleans().flatmap(lambda complete: rule_files(complete=complete)))
    rs = build_ruleset(text)
    for _ in range(15):
        state = data.draw(states(rs))
        assert_agree(rs, state)


@pytest.mark.slow
@FILTERING
@given(st.data())
def test_draft_loads_agree_too(data: st.DataObject) -> None:
    text = data.draw(rule_files())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VerificationWarning)
        rs = gistpath.loads(text, "generated.gprules", draft=True)
    state = data.draw(states(rs))
    assert_agree(rs, state)


@pytest.mark.slow
@FILTERING
@given(st.data())
def test_verification_matches_what_evaluation_meets(data: st.DataObject) -> None:
    text = data.draw(rule_files(complete=data.draw(st.booleans())))
    rs = build_ruleset(text)
    report = rs.verify()
    for _ in range(8):
        state = data.draw(states(rs))
        result = assert_agree(rs, state)
        if report.ok:
            assert result[0] == "decided", (text, state)
        elif result == ("undecided", "none"):
            assert report.gaps, (text, state)
        elif result == ("undecided", "several"):
            assert report.overlaps, (text, state)
    # every example the report gives really lies in its gap or overlap
    for finding in report.gaps + report.overlaps:
        if finding.example is None:  # the "n more not listed" line
            continue
        example = dict(finding.example)
        rs.validate(example)  # a valid state
        expected = ("undecided", "none" if finding.kind == "gap" else "several")
        assert assert_agree(rs, example) == expected, (text, finding)


@pytest.mark.slow
@settings(FILTERING, max_examples=60)
@given(st.data())
def test_complete_files_that_verify_decide_every_state(data: st.DataObject) -> None:
    text = data.draw(rule_files(complete=True))
    rs = build_ruleset(text)
    if not rs.verify().ok:
        return
    for _ in range(10):
        decision = rs.evaluate(data.draw(states(rs)))
        assert decision.pathway in rs.pathways
        assert rs.pathways[decision.pathway].summary
        assert rs.pathways[decision.pathway].citations


# --------------------------------------------------------------------------- the walk example


@pytest.fixture(scope="module")
def walk() -> gistpath.RuleSet:
    return gistpath.load(WALK)


@pytest.mark.slow
def test_walk_boundary_grid(walk: gistpath.RuleSet) -> None:
    """Every combination of values at and beside the walk example's thresholds."""
    grid = {
        "sky": ["clear", "cloudy", "rain", "snow"],
        "temperature_c": [-60, math.nextafter(5, 0), 5, 3, 3.0000000000000004, 60],
        "wind_kmh": [0, math.nextafter(20, 0), 20, math.nextafter(62, 0), 62, 300],
        "rain_chance": ["unknown", 0, 29, 30, 69, 70, 100],
        "distance_km": [math.nextafter(0, 1), 5, 5.5, 10, math.nextafter(10, 11), 20, 20.5, 100],
        "has_car": [False, True],
        "child_along": [False, True],
    }
    decided = 0
    pathways: set[str] = set()
    for combination in itertools.product(*grid.values()):
        state = dict(zip(grid, combination, strict=True))
        try:
            walk.validate(state)
        except StateError:
            with pytest.raises(StateError):
                walk.evaluate_reference(state)
            continue
        result = assert_agree(walk, state)
        assert result[0] == "decided"  # the walk example verifies
        pathways.add(result[1])  # type: ignore[arg-type]
        decided += 1
    assert decided > 5_000
    assert pathways == set(walk.pathways)


@pytest.mark.parametrize(
    ("wind", "band"),
    [
        (0, "calm"),
        (19, "calm"),
        (math.nextafter(20, 0), "calm"),
        (20, "breezy"),
        (20.0, "breezy"),
        (61.5, "breezy"),
        (math.nextafter(62, 0), "breezy"),
        (62, "gale"),
        (300, "gale"),
    ],
)
def test_wind_table_cell_by_cell(walk: gistpath.RuleSet, wind: float, band: str) -> None:
    # | < 20 | calm |  | >= 20 and < 62 | breezy |  | >= 62 | gale |
    decision = walk.evaluate(walk_state(wind_kmh=wind))
    assert decision.values["wind_band"] == band
    assert walk.evaluate_reference(walk_state(wind_kmh=wind)).values["wind_band"] == band
    assert (decision.pathway == "stay_home") == (band == "gale")


@pytest.mark.parametrize(
    ("sky", "chance", "outlook"),
    [
        ("rain", "unknown", "wet"),
        ("snow", "unknown", "wet"),
        ("clear", 0, "dry"),
        ("cloudy", 29, "dry"),
        ("clear", 30, "showers"),
        ("cloudy", 69, "showers"),
        ("clear", 70, "wet"),
        ("cloudy", 100, "wet"),
    ],
)
def test_rain_table_cell_by_cell(
    walk: gistpath.RuleSet, sky: str, chance: object, outlook: str
) -> None:
    changes: dict[str, object] = {"sky": sky, "rain_chance": chance}
    if sky == "snow":
        changes["temperature_c"] = 0
    assert walk.evaluate(walk_state(**changes)).values["rain_outlook"] == outlook
    assert walk.evaluate_reference(walk_state(**changes)).values["rain_outlook"] == outlook


@pytest.mark.parametrize(
    ("distance", "long_walk"),
    [(10, False), (math.nextafter(10, 11), True), (20, True), (100, True), (0.5, False)],
)
def test_between_is_exclusive_below_and_inclusive_above(
    walk: gistpath.RuleSet, distance: float, long_walk: bool
) -> None:
    # let long_walk: 10 < distance_km <= 100 km
    assert walk.evaluate(walk_state(distance_km=distance)).values["long_walk"] is long_walk


def test_considerations_in_file_order(walk: gistpath.RuleSet) -> None:
    state = walk_state(temperature_c=2, child_along=True, distance_km=12)
    decision = walk.evaluate(state)
    # cold (< 5) brings gloves; a child on a walk of more than 5 km brings snacks
    assert decision.considerations == ("gloves", "snacks")
    assert walk.evaluate_reference(state).considerations == ("gloves", "snacks")
    # in a gale the pathway is stay_home: no gloves ("pathway is not stay_home"), no snacks
    stormy = walk.evaluate(dict(state, wind_kmh=80))
    assert stormy.pathway == "stay_home"
    assert stormy.considerations == ()


@pytest.mark.slow
@settings(max_examples=200)
@given(data=st.data())
def test_walk_random_states(walk: gistpath.RuleSet, data: st.DataObject) -> None:
    state = data.draw(states(walk))
    result = assert_agree(walk, state)
    assert result[0] == "decided"


def test_evaluation_does_not_walk_the_syntax_tree(
    walk: gistpath.RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gistpath import ast, interpreter

    expected = walk.evaluate(walk_state(temperature_c=2))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tables path walked the AST")

    monkeypatch.setattr(interpreter.Interpreter, "holds", refuse)
    monkeypatch.setattr(interpreter.Interpreter, "evaluate", refuse)
    monkeypatch.setattr(ast, "walk_expr", refuse)
    again = walk.evaluate(walk_state(temperature_c=2))
    assert (again.pathway, again.rule, again.considerations) == (
        expected.pathway,
        expected.rule,
        expected.considerations,
    )
    with pytest.raises(AssertionError, match="walked the AST"):
        walk.evaluate_reference(walk_state())


# --------------------------------------------------------------------------- comparison oracle

_PYTHON_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@pytest.mark.parametrize("integer", [False, True])
def test_every_comparison_at_and_beside_its_threshold(integer: bool) -> None:
    """A comparison means the arithmetic comparison, at the threshold and just beside it."""
    names = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "=": "eq", "!=": "ne"}
    kind = "integer >= -10 and <= 10" if integer else "number >= -10 and <= 10"
    lines = ['source s "S"', f"input x: {kind}"]
    for threshold in (-3, 0, 4):
        tag = str(threshold).replace("-", "m")
        for op, name in names.items():
            lines.append(f"let {name}_{tag}: x {op} {threshold}")
        lines.append(f"let in_{tag}: {threshold} < x <= {threshold + 3}")
        lines.append(f"let down_{tag}: {threshold + 3} >= x > {threshold}")  # the same range
    lines += ['pathway p "P"', '    summary "s"', "    cites s", "rule all -> p: otherwise"]
    rs = gistpath.loads("\n".join(lines) + "\n")
    for threshold in (-3, 0, 4):
        tag = str(threshold).replace("-", "m")
        values: list[int | float] = [threshold - 1, threshold, threshold + 1]
        if not integer:
            values += [
                math.nextafter(threshold, -math.inf),
                math.nextafter(threshold, math.inf),
                float(threshold),
                threshold + 3,
                math.nextafter(threshold + 3, math.inf),
            ]
        for x in values:
            decision = rs.evaluate({"x": x})
            reference = rs.evaluate_reference({"x": x})
            for op, name in names.items():
                truth = _PYTHON_OPS[op](x, threshold)
                assert decision.values[f"{name}_{tag}"] is truth, (x, op, threshold)
                assert reference.values[f"{name}_{tag}"] is truth, (x, op, threshold)
            inside = threshold < x <= threshold + 3
            assert decision.values[f"in_{tag}"] is inside
            assert decision.values[f"down_{tag}"] is inside
            assert reference.values[f"down_{tag}"] is inside


# --------------------------------------------------------------------- unknown and missing values

SEMANTICS = """\
source s "S"
input n "N": number >= 0 and <= 10 or unknown
input c "C": choice red, blue or unknown
input b "B": boolean or unknown
let lt: n < 5
let ne: n != 5
let known: n is not unknown
let not_lt: not (n < 5)
let mid: 2 < n <= 8
let red: c is red
let not_red: c is not red
let odd: c not in {red, blue}
let yes_b: b
let not_b: not b
let b_no: b is no
table t
    values lo, hi
    hit first
    | n     | c    | t  |
    | < 3   | red  | lo |
    | >= 7  | -    | hi |
let t_lo: t is lo
let t_not_lo: t is not lo
let t_none: t not in {lo, hi}
pathway p "P"
    summary "s"
    cites s
rule all -> p: otherwise
"""


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (
            {"n": "unknown", "c": "unknown", "b": "unknown"},
            # a test of an unknown value is false, except a test for unknown itself; its
            # negation is then true. No table row matches: t has no value.
            {
                "lt": False,
                "ne": False,
                "known": False,
                "not_lt": True,
                "mid": False,
                "red": False,
                "not_red": True,
                "odd": True,
                "yes_b": False,
                "not_b": True,
                "b_no": False,
                "t": None,
                "t_lo": False,
                "t_not_lo": True,
                "t_none": True,
            },
        ),
        (
            {"n": 5, "c": "blue", "b": False},
            {
                "lt": False,
                "ne": False,
                "known": True,
                "not_lt": True,
                "mid": True,
                "red": False,
                "not_red": True,
                "odd": False,
                "yes_b": False,
                "not_b": True,
                "b_no": True,
                "t": None,
                "t_lo": False,
                "t_not_lo": True,
                "t_none": True,
            },
        ),
        (
            {"n": 2.5, "c": "red", "b": True},
            {
                "lt": True,
                "ne": True,
                "known": True,
                "not_lt": False,
                "mid": True,
                "red": True,
                "not_red": False,
                "odd": False,
                "yes_b": True,
                "not_b": False,
                "b_no": False,
                "t": "lo",
                "t_lo": True,
                "t_not_lo": False,
                "t_none": False,
            },
        ),
        (
            {"n": 2, "c": "red", "b": True},  # 2 < n fails at n = 2
            {
                "lt": True,
                "ne": True,
                "known": True,
                "not_lt": False,
                "mid": False,
                "red": True,
                "not_red": False,
                "odd": False,
                "yes_b": True,
                "not_b": False,
                "b_no": False,
                "t": "lo",
                "t_lo": True,
                "t_not_lo": False,
                "t_none": False,
            },
        ),
        (
            {"n": 8, "c": "unknown", "b": False},  # n <= 8 holds at 8; row 2 ignores c
            {
                "lt": False,
                "ne": True,
                "known": True,
                "not_lt": True,
                "mid": True,
                "red": False,
                "not_red": True,
                "odd": True,
                "yes_b": False,
                "not_b": True,
                "b_no": True,
                "t": "hi",
                "t_lo": False,
                "t_not_lo": True,
                "t_none": False,
            },
        ),
    ],
)
def test_semantics_of_unknown_and_missing_values(
    state: dict[str, object], expected: dict[str, object]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VerificationWarning)
        rs = gistpath.loads(SEMANTICS, "semantics.gprules", draft=True)  # table t has a gap
    decision = rs.evaluate(state)
    reference = rs.evaluate_reference(state)
    for name, value in expected.items():
        assert decision.values[name] is value or decision.values[name] == value, name
        assert type(decision.values[name]) is type(value), name
        assert reference.values[name] == value, name
    assert typed(decision.values) == typed(reference.values)


def test_numbers_keep_their_type(walk: gistpath.RuleSet) -> None:
    as_int = walk.evaluate(walk_state(temperature_c=5))
    as_float = walk.evaluate(walk_state(temperature_c=5.0))
    assert type(as_int.values["temperature_c"]) is int
    assert type(as_float.values["temperature_c"]) is float
    assert as_int.values["cold"] is as_float.values["cold"] is False  # cold: < 5

"""The generated evaluation function against the general path it stands in for.

``RuleSet.evaluate`` runs a function written per rule set (:mod:`gistpath.codegen`) that
handles plain states inline and hands everything else to ``RuleSet._evaluate_general``.
These tests hold the two to the same answer — the same decision, or the same error with the
same field, value and reason — on random rule files and on states that are valid, invalid
in every way a field can be, or on a boundary; and they pin the generated source.
"""

from __future__ import annotations

import io
import linecache
import math
import re
import tokenize
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import EvaluationError, StateError, codegen

from samples import WALK_FILE, gist_state, walk_state
from strategies import build_ruleset, raw_states, rule_files, states

GOLDEN = Path(__file__).resolve().parent / "golden" / "walk_evaluate.py.txt"

FILTERING = settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


def result(call: Any, state: object) -> tuple[object, ...]:
    """What a call gives, in a form where True and 1 or 5 and 5.0 differ."""
    try:
        d = call(state)
    except StateError as error:
        return ("StateError", error.field, repr(error.value), error.expected, error.reason)
    except EvaluationError as error:
        return ("EvaluationError", str(error))
    return (
        "decided",
        d.pathway,
        d.rule,
        d.considerations,
        [(k, type(v), v) for k, v in d.values.items()],
    )


def assert_same(rs: gistpath.RuleSet, state: object) -> tuple[object, ...]:
    fast = result(rs.evaluate, state)
    general = result(rs._evaluate_general, state)
    assert fast == general, (state, fast, general)
    return fast


# Values that are wrong somewhere: each must take the general path and fail the same way.
ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    10**400,
    -(10**400),
    0.0,
    -0.0,
    2.5,
    math.nan,
    math.inf,
    -math.inf,
    "unknown",
    "Unknown",
    " clear",
    "",
    [],
    {"a": 1},
    np.float64(3.0),
    np.int64(4),
    np.bool_(True),
    np.str_("clear"),
]


@pytest.mark.slow
@FILTERING
@given(data=st.data())
def test_random_files_agree_on_valid_and_odd_states(data: st.DataObject) -> None:
    rs = build_ruleset(data.draw(rule_files()))
    for _ in range(4):
        state = data.draw(raw_states(rs))
        assert_same(rs, state)
        if state:
            name = data.draw(st.sampled_from(sorted(state)))
            odd = dict(state)
            odd[name] = data.draw(st.sampled_from(ODD_VALUES))
            assert_same(rs, odd)


@pytest.mark.slow
@FILTERING
@given(data=st.data())
def test_random_files_decide_valid_states_on_the_fast_path(data: st.DataObject) -> None:
    """A valid plain state must never fall back: the general path is not called."""
    rs = build_ruleset(data.draw(rule_files(complete=True)))
    state = data.draw(states(rs))
    calls: list[object] = []
    evaluator = codegen.generate(
        rs.name,
        rs.compiled.space.dimensions[:-1],
        rs.tables,
        slow=lambda s: calls.append(s),
        resolve=rs._resolve,
        decision=gistpath.Decision,
    )
    decision = evaluator.function(state)
    assert calls == []
    assert decision == rs._evaluate_general(state)


WALK_CHANGES: list[dict[str, object]] = [
    {},
    {"wind_kmh": 0},
    {"wind_kmh": 200},
    {"wind_kmh": 201},
    {"wind_kmh": -1},
    {"temperature_c": 18.0},
    {"sky": "Clear"},
    {"sky": np.str_("rain")},
    {"has_car": 1},
    {"has_car": np.bool_(False)},
    {"distance_km": np.float64(4.5)},
    {"distance_km": math.nan},
    {"distance_km": math.inf},
    {"distance_km": 10**400},
    {"extra": 1},
    # on and beside thresholds, as an int and as a float (each has a tree of its own)
    {"temperature_c": 5},
    {"temperature_c": 5.0},
    {"temperature_c": 4.999999999999999},
    {"temperature_c": -60},
    {"temperature_c": -60.0},
    {"temperature_c": -60.00000000000001},
    {"wind_kmh": 20},
    {"wind_kmh": 20.0},
    {"wind_kmh": 300.0},
    {"wind_kmh": 300.00000000000006},
    {"distance_km": 0},
    {"distance_km": 0.0},
    {"distance_km": -0.0},
    {"distance_km": 5e-324},
    {"distance_km": 10},
    {"distance_km": 10.0},
    {"distance_km": 100},
    {"distance_km": -math.inf},
    {"rain_chance": 30},
    {"rain_chance": 30.0},
    {"rain_chance": True},
]


@pytest.mark.parametrize("changes", WALK_CHANGES)
def test_walk_states(changes: dict[str, object]) -> None:
    assert_same(gistpath.load(WALK_FILE), walk_state(**changes))


def test_not_a_dict_or_missing_fields() -> None:
    rs = gistpath.load(WALK_FILE)
    state = walk_state()
    del state["sky"]
    for odd in (state, [("sky", "clear")], None, "state", {**walk_state(), "sky": "clear"}):
        assert_same(rs, odd)

    class Mapping(dict[str, object]):
        pass

    assert_same(rs, Mapping(walk_state()))


def test_gist_boundaries_agree() -> None:
    rs = gistpath.load_builtin("gist")
    for size in (0.0, 1e-300, 1.9999999999999998, 2, 2.0, 5, 5.0000000000001, 10, 100, 100.5):
        for rate in (0, 5, 6, 10, 11, 1000, 1001, "unknown"):
            assert_same(rs, gist_state(size_cm=size, mitotic_rate=rate))


def test_broken_constraint_is_a_state_error_each_time() -> None:
    rs = gistpath.load_builtin("gist")
    state = gist_state(presentation="metastatic", distant_sites=0)
    first = assert_same(rs, state)
    assert first[0] == "StateError"
    assert assert_same(rs, state) == first  # not cached as a decision


def test_cache_limit_keeps_answers_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codegen, "CACHE_LIMIT", 0)
    rs = gistpath.load(WALK_FILE)
    for wind in (0, 10, 39, 40, 41, 80):
        assert_same(rs, walk_state(wind_kmh=wind))


@pytest.mark.parametrize("cache", ["dict", "list"])
def test_source_holds_no_text_of_the_rule_file(cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No string or number reaches the source; every name is one codegen invented."""
    if cache == "list":  # the walk example's 142,560 keys in a list
        monkeypatch.setattr(codegen, "TABLE_LIMIT", 1 << 18)
        monkeypatch.setattr(codegen, "CACHE_LIMIT", 1 << 18)
        rs = gistpath.load(WALK_FILE)
    else:
        rs = gistpath.load_builtin("gist")
    assert ("table" in rs._evaluator.function.__globals__) == (cache == "list")
    tokens = list(tokenize.generate_tokens(io.StringIO(rs.generated_source).readline))
    kinds = {tok.type for tok in tokens}
    assert tokenize.STRING not in kinds
    assert tokenize.NUMBER not in kinds
    allowed = re.compile(r"(?:[vsKM]\d+|[CFT]\d+_\d+)$")
    fixed = {
        "def", "evaluate", "state", "if", "elif", "else", "is", "not", "and", "or", "type",
        "dict", "len", "try", "except", "KeyError", "return", "slow", "str", "int", "float",
        "True", "False", "INF", "UNKNOWN", "N", "FULL", "acc", "values", "info", "cache_get",
        "remember", "make", "proxy", "owner", "None", "update", "pathway", "considerations",
        "rule", "derived", "get", "inputs", "fetch", "key", "new", "Decision", "set_data", "pass",
        "decision", "Z", "table", "_data",
    }  # fmt: skip
    names = {tok.string for tok in tokens if tok.type == tokenize.NAME}
    assert {n for n in names if n not in fixed and not allowed.match(n)} == set()
    comments = [tok.string for tok in tokens if tok.type == tokenize.COMMENT]
    assert comments
    assert all(re.fullmatch(r"# \w+(: \w+)?", c) for c in comments)


def test_traceback_lines_are_registered() -> None:
    rs = gistpath.load(WALK_FILE)
    filename = rs._evaluator.filename
    assert filename.startswith("<gistpath evaluate ")
    assert linecache.getline(filename, 1).startswith("def evaluate(state):")


def test_golden_source_of_the_walk_example() -> None:
    """The generated code for the walk example, pinned: review a change to it by eye."""
    source = gistpath.load(WALK_FILE).generated_source
    assert source == GOLDEN.read_text(encoding="utf-8")


def test_a_list_of_every_key_when_there_are_few(monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to TABLE_LIMIT possible keys the cache is a list: same answers, each remembered
    once, a broken constraint never remembered."""
    monkeypatch.setattr(codegen, "TABLE_LIMIT", 1 << 18)
    monkeypatch.setattr(codegen, "CACHE_LIMIT", 1 << 18)
    rs = gistpath.load(WALK_FILE)
    table = rs._evaluator.function.__globals__["table"]
    assert len(table) == math.prod(d.size for d in rs.compiled.space.dimensions[:-1])
    for changes in WALK_CHANGES:
        assert_same(rs, walk_state(**changes))
    filled = sum(info is not None for info in table)
    assert 1 <= filled < len(WALK_CHANGES)
    for changes in WALK_CHANGES:
        assert_same(rs, walk_state(**changes))
    assert sum(info is not None for info in table) == filled
    broken = walk_state(sky="snow", temperature_c=20, rain_chance="unknown")
    assert assert_same(rs, broken)[0] == "StateError"
    assert assert_same(rs, broken)[0] == "StateError"
    assert sum(info is not None for info in table) == filled


def test_a_rule_set_without_inputs() -> None:
    rs = gistpath.loads(
        'ruleset none "N"\nsource s "S"\npathway p "P"\n    summary "s"\n    cites s "x"\n'
        "rule r -> p: otherwise\n"
    )
    for state in ({}, {"x": 1}, [], None):
        assert_same(rs, state)
    assert rs.evaluate({}).pathway == "p"
    assert dict(rs.evaluate({}).values) == {}


def test_the_decision_class_must_take_a_plain_store() -> None:
    """The function stores a decision's slot inline, which a refusing __setattr__ forbids."""

    class Guarded:
        __slots__ = ("_data",)

        def __setattr__(self, name: str, value: object) -> None:
            raise AttributeError(name)

    rs = gistpath.load(WALK_FILE)
    dimensions = rs.compiled.space.dimensions[:-1]
    with pytest.raises(TypeError, match="must not override __setattr__"):
        codegen.generate(
            rs.name, dimensions, rs.tables, slow=print, resolve=rs._resolve, decision=Guarded
        )


def test_thresholds_of_the_other_type() -> None:
    """A float is compared with float thresholds, an int with int ones, where the number
    has an exact twin of that type; otherwise it is kept (the comparison stays exact)."""
    same = codegen._same_type
    assert [(type(t), t) for t in (same(5, float), same(5.0, int), same(2.5, int))] == [
        (float, 5.0),
        (int, 5),
        (float, 2.5),
    ]
    big = 2**53 + 1  # no float holds it
    assert type(same(big, float)) is int
    assert type(same(10**400, float)) is int  # too large for a float at all
    assert type(same(math.inf, int)) is float


def test_a_full_cache_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the limit the cache is emptied and refilled: answers stay right and it keeps
    working for the states seen since."""
    monkeypatch.setattr(codegen, "CACHE_LIMIT", 3)
    rs = gistpath.load(WALK_FILE)
    cache = rs._evaluator.function.__globals__["cache_get"].__self__
    for wind in (0, 10, 39, 40, 41, 80, 10, 0):
        assert_same(rs, walk_state(wind_kmh=wind))
        assert len(cache) <= 3
    assert len(cache) >= 1

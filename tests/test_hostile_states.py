"""Hostile patient states and batches: a StateError that says what was allowed, or a correct
decision where the value is genuinely valid; never a silent coercion, never another error.

A table of values for each kind of input (a number, an integer, a yes/no value, a choice)
lists what each one must give: refused, or accepted as exactly this plain Python value (a
``numpy.float64`` size is a size; ``np.float32(0.1)`` is accepted as the float it really
holds, 0.100000001490116..., not as 0.1). Refusals must name the field, keep the value
given (the very object) and say what was expected, in the words of the input's domain.

Batches go through :meth:`gistpath.RuleSet.evaluate_many` as rows and as columns: bad rows
are reported by index with the same error as :meth:`~gistpath.RuleSet.evaluate` gives,
good rows get the same pathway, and as many results come out as states went in.
"""

from __future__ import annotations

import decimal
import enum
import fractions
import math
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import StateError

from samples import WALK_FILE, walk_state
from strategies import states

REFUSED = object()  # the verdict "a StateError"


@pytest.fixture(scope="module")
def rs() -> gistpath.RuleSet:
    return gistpath.load(WALK_FILE)


_WALK: list[gistpath.RuleSet] = []


def walk() -> gistpath.RuleSet:
    """The walk rule set, loaded once (for hypothesis tests, which cannot take fixtures)."""
    if not _WALK:
        _WALK.append(gistpath.load(WALK_FILE))
    return _WALK[0]


class LyingInt(int):
    """An int that claims to equal everything."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


class LyingStr(str):
    """A str that claims to equal everything and prints as 'clear'."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("clear")

    def __str__(self) -> str:
        return "clear"


class Percent(enum.IntEnum):
    TEN = 10


class Celsius(float):
    pass


def _wide_longdouble() -> object:
    """A long double no float64 can hold, where the platform has one; else a plain one."""
    value = np.longdouble(1) / np.longdouble(3)
    return value if float(value) != value else REFUSED


# (value, verdict): REFUSED, or the plain Python value the field must hold afterwards.
NUMBER_CASES: list[tuple[object, object]] = [
    (18, 18),
    (18.5, 18.5),
    (-0.0, -0.0),
    (60, 60),
    (-60.0, -60.0),
    (np.float64(18.5), 18.5),
    (np.float32(18.5), 18.5),
    (np.float32(0.1), float(np.float32(0.1))),  # what it holds, 0.10000000149011612
    (np.float16(1.5), 1.5),
    (np.int64(18), 18),
    (np.uint8(18), 18),
    (np.longdouble(2.5), 2.5),
    (None, REFUSED),
    (math.nan, REFUSED),
    (math.inf, REFUSED),
    (-math.inf, REFUSED),
    (np.float64("nan"), REFUSED),
    (np.float32("inf"), REFUSED),
    (True, REFUSED),
    (False, REFUSED),
    (np.bool_(True), REFUSED),
    ("18", REFUSED),
    (" 18", REFUSED),
    (b"18", REFUSED),
    (decimal.Decimal("18"), REFUSED),
    (fractions.Fraction(37, 2), REFUSED),
    (LyingInt(18), REFUSED),
    (Celsius(18.0), REFUSED),
    (10**400, REFUSED),
    (-(10**400), REFUSED),
    (60.000000000001, REFUSED),
    (math.nextafter(-60.0, -math.inf), REFUSED),
    (1j, REFUSED),
    ([18], REFUSED),
    ((18,), REFUSED),
    ({"value": 18}, REFUSED),
    (np.array(18.0), REFUSED),
    (np.array([18.0]), REFUSED),
    (np.datetime64(18, "D"), REFUSED),
    ("unknown", REFUSED),  # temperature_c does not allow unknown
    (object(), REFUSED),
]
if _wide_longdouble() is not REFUSED:
    NUMBER_CASES.append((_wide_longdouble(), REFUSED))

# rain_chance: integer >= 0 and <= 100 percent or unknown (the sky is made 'rain' for unknown,
# which the constraint forecast_given then requires).
INTEGER_CASES: list[tuple[object, object]] = [
    (10, 10),
    (0, 0),
    (100, 100),
    (np.int64(10), 10),
    (np.uint64(10), 10),
    (np.int8(10), 10),
    ("unknown", "unknown"),
    (np.str_("unknown"), "unknown"),
    (10.0, REFUSED),
    (np.float64(10), REFUSED),
    (True, REFUSED),
    (np.bool_(False), REFUSED),
    ("10", REFUSED),
    (10**400, REFUSED),
    (np.int64(2**62), REFUSED),
    (np.uint64(2**64 - 1), REFUSED),
    (-1, REFUSED),
    (101, REFUSED),
    (LyingInt(10), REFUSED),
    (Percent.TEN, REFUSED),
    (decimal.Decimal(10), REFUSED),
    (fractions.Fraction(10), REFUSED),
    ("Unknown", REFUSED),
    (" unknown", REFUSED),
    ("unknown ", REFUSED),
    (None, REFUSED),
    (math.nan, REFUSED),
]

BOOLEAN_CASES: list[tuple[object, object]] = [
    (True, True),
    (False, False),
    (np.bool_(True), True),
    (np.bool_(False), False),
    (1, REFUSED),
    (0, REFUSED),
    (1.0, REFUSED),
    (np.int64(1), REFUSED),
    (LyingInt(1), REFUSED),
    ("true", REFUSED),
    ("True", REFUSED),
    ("yes", REFUSED),
    ("unknown", REFUSED),  # has_car does not allow unknown
    (None, REFUSED),
    ([True], REFUSED),
]

CHOICE_CASES: list[tuple[object, object]] = [
    ("clear", "clear"),
    ("cloudy", "cloudy"),
    (np.str_("clear"), "clear"),
    ("Clear", REFUSED),
    ("CLEAR", REFUSED),
    (" clear", REFUSED),
    ("clear ", REFUSED),
    ("clear\n", REFUSED),
    ("cl\u0435ar", REFUSED),  # a Cyrillic e
    ("", REFUSED),
    (b"clear", REFUSED),
    (np.bytes_(b"clear"), REFUSED),
    (LyingStr("fog"), REFUSED),  # equal to everything, printed as 'clear', holds 'fog'
    ("unknown", REFUSED),  # sky does not allow unknown
    (None, REFUSED),
    (1, REFUSED),
    (True, REFUSED),
    (["clear"], REFUSED),
]

CASES: list[tuple[str, object, object]] = [
    *(("temperature_c", v, verdict) for v, verdict in NUMBER_CASES),
    *(("rain_chance", v, verdict) for v, verdict in INTEGER_CASES),
    *(("has_car", v, verdict) for v, verdict in BOOLEAN_CASES),
    *(("sky", v, verdict) for v, verdict in CHOICE_CASES),
]


def state_with(name: str, value: object) -> dict[str, object]:
    """A walk state with one field changed; an 'unknown' forecast comes with a rainy sky
    (the constraint forecast_given allows it only then)."""
    if name == "rain_chance" and isinstance(value, str) and str.__str__(value) == "unknown":
        return walk_state(sky="rain", rain_chance=value)
    return walk_state(**{name: value})


def case_id(case: tuple[str, object, object]) -> str:
    name, value, verdict = case
    return (
        f"{name}={type(value).__name__}:{value!r:.30}:{'refused' if verdict is REFUSED else 'ok'}"
    )


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_each_value_is_refused_with_what_was_allowed_or_kept_exactly(
    rs: gistpath.RuleSet, case: tuple[str, object, object]
) -> None:
    name, value, verdict = case
    state = state_with(name, value)
    if verdict is REFUSED:
        with pytest.raises(StateError) as info:
            rs.evaluate(state)
        error = info.value
        assert error.field == name
        assert error.value is value  # the very object given, not a converted copy
        assert error.expected == rs.inputs[name].domain.describe()
        assert error.reason
        message = str(error)
        assert message.startswith(f"{name}: {error.reason}: got ")
        assert message.endswith(f"; expected {error.expected}")
        with pytest.raises(StateError) as again:
            rs.validate(state)
        assert (again.value.field, again.value.reason) == (error.field, error.reason)
        return
    decision = rs.evaluate(state)
    kept = decision.values[name]
    assert type(kept) is type(verdict)  # a plain Python value, never the numpy or subclass
    assert kept == verdict
    if isinstance(verdict, float):
        assert math.copysign(1.0, kept) == math.copysign(1.0, verdict)  # type: ignore[arg-type]
    plain = rs.evaluate({**state, name: verdict})
    assert (decision.pathway, decision.considerations) == (plain.pathway, plain.considerations)
    assert rs.evaluate_reference(state).pathway == decision.pathway


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [("Clear", "clear"), (" cloudy", "cloudy"), ("RAIN ", "rain"), ("snw", "snow")],
)
def test_a_near_miss_suggests_the_allowed_value(
    rs: gistpath.RuleSet, value: str, suggestion: str
) -> None:
    with pytest.raises(StateError) as info:
        rs.evaluate(walk_state(sky=value))
    assert f"did you mean '{suggestion}'?" in info.value.reason


def test_a_str_subclass_is_read_by_its_characters(rs: gistpath.RuleSet) -> None:
    class Sky(str):
        def __str__(self) -> str:
            return "snow"

    decision = rs.evaluate(walk_state(sky=Sky("cloudy")))
    assert decision.values["sky"] == "cloudy"
    assert type(decision.values["sky"]) is str


def test_numbers_beyond_a_float_are_compared_exactly_where_valid() -> None:
    text = (
        'source s "S"\n'
        'pathway high "High"\n    summary "s"\n    cites s\n'
        'pathway low "Low"\n    summary "s"\n    cites s\n'
        "input n: integer\ninput x: number\n"
        "rule big -> high: n > 1000000000000000000 and x > 1e300\n"
        "rule small -> low: not (n > 1000000000000000000 and x > 1e300)\n"
    )
    rs = gistpath.loads(text)
    cases: list[tuple[dict[str, object], str]] = [
        ({"n": 10**400, "x": 10**400}, "high"),  # an int is a number, held exactly
        ({"n": -(10**400), "x": 2**1024}, "low"),
        ({"n": 10**18 + 1, "x": 1e308}, "high"),
        ({"n": 10**18, "x": 1e308}, "low"),
    ]
    for state, pathway in cases:
        decision = rs.evaluate(state)
        assert decision.pathway == pathway
        assert decision.values["n"] == state["n"]
        assert rs.evaluate_reference(state).pathway == pathway
    rows = [s for s, _ in cases]
    assert list(rs.evaluate_many(rows)) == [p for _, p in cases]
    columns = {"n": [s["n"] for s in rows], "x": [s["x"] for s in rows]}
    assert list(rs.evaluate_many(columns)) == [p for _, p in cases]


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    "state",
    [None, 5, "sky=clear", b"", [("sky", "clear")], ("sky",), {"sky"}, object()],
    ids=repr,
)
def test_a_state_that_is_not_a_mapping(rs: gistpath.RuleSet, state: object) -> None:
    with pytest.raises(StateError) as info:
        rs.evaluate(state)  # type: ignore[arg-type]
    assert info.value.field == "<state>"
    assert info.value.value is state
    assert "mapping" in info.value.expected


@pytest.mark.parametrize("name", list(walk_state()))
def test_a_missing_field_is_named_with_its_domain(rs: gistpath.RuleSet, name: str) -> None:
    state = walk_state()
    del state[name]
    with pytest.raises(StateError) as info:
        rs.evaluate(state)
    assert (info.value.field, info.value.reason) == (name, "missing field")
    assert rs.inputs[name].domain.describe() in info.value.expected


def _misspellings(name: str) -> list[str]:
    wrong = [name[:-1], name + "s", name.upper(), name.replace("_", ""), " " + name]
    return [w for w in wrong if w != name]


@pytest.mark.parametrize(
    ("name", "wrong"),
    [(name, wrong) for name in walk_state() for wrong in _misspellings(name)],
)
def test_a_misspelled_field_suggests_the_right_name(
    rs: gistpath.RuleSet, name: str, wrong: str
) -> None:
    state = walk_state()
    state[wrong] = state.pop(name)
    with pytest.raises(StateError) as info:
        rs.evaluate(state)
    error = info.value
    assert error.field == wrong
    assert error.reason == f"unknown field (did you mean {name!r}?)"
    assert name in error.expected


@pytest.mark.parametrize("key", [1, None, b"sky", ("sky",), 1.5], ids=repr)
def test_a_key_that_is_not_a_text(rs: gistpath.RuleSet, key: object) -> None:
    state: dict[Any, object] = dict(walk_state())
    state[key] = "clear"
    with pytest.raises(StateError) as info:
        rs.evaluate(state)
    assert info.value.field == str(key)
    assert info.value.reason == "unknown field"


class _Record(Mapping[str, object]):
    """A read-only mapping that is not a dict."""

    def __init__(self, data: dict[str, object]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> object:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@pytest.mark.parametrize("kind", [MappingProxyType, _Record, dict])
def test_any_mapping_is_a_state(rs: gistpath.RuleSet, kind: Any) -> None:
    assert rs.evaluate(kind(walk_state())).pathway == rs.evaluate(walk_state()).pathway
    with pytest.raises(StateError) as info:
        rs.evaluate(kind(walk_state(sky="fog")))
    assert info.value.field == "sky"


@pytest.mark.slow
@settings(max_examples=60)
@given(data=st.data())
def test_the_order_of_the_fields_does_not_matter(data: st.DataObject) -> None:
    rs = walk()
    state = data.draw(states(rs))
    order = data.draw(st.permutations(list(state)))
    shuffled = {name: state[name] for name in order}
    assert rs.evaluate(shuffled) == rs.evaluate(state)
    assert list(rs.evaluate(shuffled).values) == list(rs.evaluate(state).values)


# --------------------------------------------------------------------------- batches


def _batch(rs: gistpath.RuleSet) -> list[object]:
    """Every case of the table as a row, between good rows; and rows of the wrong shape."""
    rows: list[object] = []
    for name, value, _ in CASES:
        rows.append(walk_state(temperature_c=-5))
        rows.append(state_with(name, value))
    rows += [None, 7, {"sky": "clear"}, {**walk_state(), "extra": 1}, walk_state(sky="snow")]
    return rows


def _single(rs: gistpath.RuleSet, row: object) -> tuple[str | None, StateError | None]:
    try:
        return rs.evaluate(row).pathway, None  # type: ignore[arg-type]
    except StateError as error:
        return None, error


def _assert_batch_agrees(
    rs: gistpath.RuleSet, rows: list[object], result: gistpath.BatchResult
) -> None:
    assert len(result) == len(rows)
    for index, row in enumerate(rows):
        pathway, error = _single(rs, row)
        assert result[index] == pathway, (index, row)
        if error is None:
            assert index not in result.errors
        else:
            got = result.errors[index]
            assert isinstance(got, StateError)
            assert (got.field, got.reason, got.expected) == (
                error.field,
                error.reason,
                error.expected,
            ), (index, row)


def test_rows_bad_ones_by_index_good_ones_decided(rs: gistpath.RuleSet) -> None:
    rows = _batch(rs)
    result = rs.evaluate_many(rows, errors="collect")
    _assert_batch_agrees(rs, rows, result)
    assert 0 < len(result.errors) < len(rows)


def test_a_generator_of_rows_gives_as_many_results(rs: gistpath.RuleSet) -> None:
    rows = _batch(rs)
    result = rs.evaluate_many((row for row in rows), errors="collect")
    _assert_batch_agrees(rs, rows, result)


def test_columns_bad_ones_by_index_good_ones_decided(rs: gistpath.RuleSet) -> None:
    rows = [r for r in _batch(rs) if isinstance(r, dict) and set(r) == set(rs.inputs)]
    columns = {name: [row[name] for row in rows] for name in rs.inputs}
    result = rs.evaluate_many(columns, errors="collect")
    _assert_batch_agrees(rs, rows, result)  # type: ignore[arg-type]
    arrays = {name: np.asarray(values, dtype=object) for name, values in columns.items()}
    _assert_batch_agrees(rs, rows, rs.evaluate_many(arrays, errors="collect"))  # type: ignore[arg-type]


def test_a_batch_raises_after_deciding_every_good_row(rs: gistpath.RuleSet) -> None:
    rows = _batch(rs)
    collected = rs.evaluate_many(rows, errors="collect")
    with pytest.raises(gistpath.BatchError) as info:
        rs.evaluate_many(rows)
    error = info.value
    assert isinstance(error, StateError)
    assert list(error.result) == list(collected)
    assert set(error.errors) == set(collected.errors)
    first = min(error.errors)
    assert str(error).startswith(
        f"{len(error.errors)} of {len(rows)} rows are invalid; first, row {first}: "
    )
    assert error.field == error.errors[first].field


def test_typed_columns_with_bad_values(rs: gistpath.RuleSet) -> None:
    good = walk_state(temperature_c=-5)
    temperatures = np.array([1.0, np.nan, np.inf, 61.0, -0.0, 0.1], np.float32)
    rain = np.array([0, 100, 101, -1, 50, 2**62], np.int64)
    cars = np.array([True, False, True, False, True, False])
    columns: dict[str, object] = {name: [value] * len(rain) for name, value in good.items()}
    columns.update(temperature_c=temperatures, rain_chance=rain, has_car=cars)
    rows = [
        {**good, "temperature_c": t, "rain_chance": r, "has_car": c}
        for t, r, c in zip(temperatures, rain, cars, strict=True)
    ]
    result = rs.evaluate_many(columns, errors="collect")
    _assert_batch_agrees(rs, rows, result)  # type: ignore[arg-type]
    assert sorted(result.errors) == [1, 2, 3, 5]


def test_wrong_columns_are_named(rs: gistpath.RuleSet) -> None:
    columns = {name: [value] for name, value in walk_state().items()}
    with pytest.raises(StateError) as info:
        rs.evaluate_many({**columns, "skyy": ["clear"]})
    assert (info.value.field, info.value.reason) == ("skyy", "unknown column")
    del columns["sky"]
    with pytest.raises(StateError) as info:
        rs.evaluate_many(columns)
    assert (info.value.field, info.value.reason) == ("sky", "missing column")


def test_an_empty_batch_gives_nothing(rs: gistpath.RuleSet) -> None:
    assert len(rs.evaluate_many([])) == 0
    assert len(rs.evaluate_many({name: [] for name in rs.inputs})) == 0


_HOSTILE_VALUES = st.sampled_from([v for _, v, verdict in CASES if verdict is REFUSED])


@pytest.mark.slow
@settings(max_examples=40)
@given(data=st.data())
def test_random_batches_agree_with_evaluate(data: st.DataObject) -> None:
    rs = walk()
    rows: list[object] = []
    for _ in range(data.draw(st.integers(0, 12))):
        state = dict(data.draw(states(rs)))
        if data.draw(st.booleans()):
            state[data.draw(st.sampled_from(list(state)))] = data.draw(_HOSTILE_VALUES)
        rows.append(state)
    _assert_batch_agrees(rs, rows, rs.evaluate_many(rows, errors="collect"))
    columns = {name: [row[name] for row in rows] for name in rs.inputs}  # type: ignore[index]
    _assert_batch_agrees(rs, rows, rs.evaluate_many(columns, errors="collect"))

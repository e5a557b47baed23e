"""State validation on the walk example: every bad shape or value is a StateError that names
the field, the value and what was expected; genuinely valid values (numpy scalars included)
are accepted and turned into plain Python values.

The walk example's inputs (docs/examples/walk.gprules):
    sky: choice clear, cloudy, rain, snow
    temperature_c: number >= -60 and <= 60 celsius
    wind_kmh: number >= 0 and <= 300 km_per_h
    rain_chance: integer >= 0 and <= 100 percent or unknown
    distance_km: number > 0 and <= 100 km
    has_car, child_along: boolean
and its constraints: a forecast (rain_chance) is given exactly when sky is clear or cloudy;
snow only at 3 °C or below; with a child, at most 20 km.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gistpath
from gistpath import StateError

from samples import walk_state

WALK = Path(__file__).resolve().parents[1] / "docs" / "examples" / "walk.gprules"

GOOD: dict[str, object] = walk_state()


@pytest.fixture(scope="module")
def rs() -> gistpath.RuleSet:
    return gistpath.load(WALK)


def with_(**changes: object) -> dict[str, object]:
    state = dict(GOOD)
    state.update(changes)
    return state


def state_error(rs: gistpath.RuleSet, state: Any) -> StateError:
    """The StateError for ``state``, from both evaluate and validate (they must agree)."""
    with pytest.raises(StateError) as first:
        rs.evaluate(state)
    with pytest.raises(StateError) as second:
        rs.validate(state)
    assert (first.value.field, first.value.expected) == (second.value.field, second.value.expected)
    error = first.value
    assert isinstance(error, gistpath.GistpathError)
    assert isinstance(error, ValueError)  # StateError is also a ValueError
    return error


def test_the_good_state_is_valid(rs: gistpath.RuleSet) -> None:
    # A clear sky, 18 °C, light wind, 10 % rain chance, a 4 km walk: dry and short.
    assert rs.evaluate(GOOD).pathway == "walk_light"
    assert rs.validate(GOOD) == GOOD


# --------------------------------------------------------------------------- shape


@pytest.mark.parametrize("name", list(GOOD))
def test_missing_field(rs: gistpath.RuleSet, name: str) -> None:
    state = dict(GOOD)
    del state[name]
    error = state_error(rs, state)
    assert error.field == name
    assert "missing" in str(error)
    # what was expected names the field's domain
    assert rs.inputs[name].domain.describe() in error.expected


def test_extra_field(rs: gistpath.RuleSet) -> None:
    error = state_error(rs, with_(weather="fine"))
    assert error.field == "weather"
    assert error.value == "fine"
    for name in GOOD:
        assert name in error.expected


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("temprature_c", "temperature_c"),
        ("skye", "sky"),
        ("has_cars", "has_car"),
        ("Temperature_C", "temperature_c"),
        ("distance", "distance_km"),
    ],
)
def test_misspelled_field_suggests_the_right_name(
    rs: gistpath.RuleSet, wrong: str, right: str
) -> None:
    state = dict(GOOD)
    state[wrong] = state.pop(right)
    error = state_error(rs, state)
    assert error.field == wrong
    assert f"did you mean '{right}'" in str(error)


@pytest.mark.parametrize("state", [None, [], ["sky", "clear"], "sky=clear", 5, {("sky",): 1}])
def test_not_a_mapping_of_fields(rs: gistpath.RuleSet, state: Any) -> None:
    error = state_error(rs, state)
    if isinstance(state, dict):
        assert error.field == str(("sky",))
    else:
        assert error.field == "<state>"
        assert "mapping" in error.expected


def test_non_string_key_is_refused(rs: gistpath.RuleSet) -> None:
    state: dict[object, object] = dict(GOOD)
    state[1] = "x"
    error = state_error(rs, state)
    assert error.field == "1"


def test_other_mapping_types_are_accepted(rs: gistpath.RuleSet) -> None:
    from types import MappingProxyType

    assert rs.evaluate(MappingProxyType(dict(GOOD))).pathway == "walk_light"


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize("name", list(GOOD))
def test_none_is_refused_everywhere(rs: gistpath.RuleSet, name: str) -> None:
    error = state_error(rs, with_(**{name: None}))
    assert error.field == name
    assert error.value is None


@pytest.mark.parametrize(
    "bad", [math.nan, math.inf, -math.inf, np.float64("nan"), np.float32("inf")]
)
@pytest.mark.parametrize("name", ["temperature_c", "wind_kmh", "distance_km"])
def test_nan_and_infinities_are_refused(rs: gistpath.RuleSet, name: str, bad: object) -> None:
    error = state_error(rs, with_(**{name: bad}))
    assert error.field == name
    assert error.value is bad
    assert "finite" in error.expected


def test_negative_zero_where_zero_is_excluded(rs: gistpath.RuleSet) -> None:
    # distance_km > 0: -0.0 equals 0, which is excluded.
    error = state_error(rs, with_(distance_km=-0.0))
    assert error.field == "distance_km"
    assert "> 0" in error.expected


def test_negative_zero_where_zero_is_allowed(rs: gistpath.RuleSet) -> None:
    # wind_kmh >= 0 allows 0, so -0.0 (equal to 0) is a valid, calm wind.
    decision = rs.evaluate(with_(wind_kmh=-0.0))
    assert decision.values["wind_band"] == "calm"


@pytest.mark.parametrize("name", ["temperature_c", "wind_kmh", "distance_km", "rain_chance"])
@pytest.mark.parametrize("bad", [True, False, np.bool_(True)])
def test_bool_where_a_number_goes(rs: gistpath.RuleSet, name: str, bad: object) -> None:
    error = state_error(rs, with_(**{name: bad}))
    assert error.field == name
    assert "boolean" in str(error)


@pytest.mark.parametrize("name", ["has_car", "child_along"])
@pytest.mark.parametrize("bad", [0, 1, 1.0, "yes", "true", "True", "unknown", np.int64(1)])
def test_number_or_text_where_a_bool_goes(rs: gistpath.RuleSet, name: str, bad: object) -> None:
    error = state_error(rs, with_(**{name: bad}))
    assert error.field == name
    assert "True or False" in error.expected


@pytest.mark.parametrize(
    ("name", "bad"),
    [("temperature_c", "18"), ("wind_kmh", "10.0"), ("rain_chance", "10"), ("distance_km", " 4")],
)
def test_number_as_text_is_refused(rs: gistpath.RuleSet, name: str, bad: str) -> None:
    error = state_error(rs, with_(**{name: bad}))
    assert error.field == name
    assert error.value == bad


@pytest.mark.parametrize("bad", [5.0, 10.0, np.float64(10.0), 10.5])
def test_float_for_an_integer_input_is_refused(rs: gistpath.RuleSet, bad: object) -> None:
    error = state_error(rs, with_(rain_chance=bad))
    assert error.field == "rain_chance"
    assert "integer" in error.expected


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("rain_chance", 10**100),
        ("rain_chance", -(10**100)),
        ("distance_km", 10**400),  # larger than any float: still a clean refusal
        ("temperature_c", -(10**400)),
        ("wind_kmh", 301),
        ("temperature_c", 60.000000000000014),  # math.nextafter(60, inf)
        ("temperature_c", math.nextafter(-60, -math.inf)),
        ("rain_chance", 101),
        ("rain_chance", -1),
        ("distance_km", 0),
    ],
)
def test_out_of_range(rs: gistpath.RuleSet, name: str, bad: object) -> None:
    error = state_error(rs, with_(**{name: bad}))
    assert error.field == name
    assert error.value == bad


def test_limits_are_inside_the_range(rs: gistpath.RuleSet) -> None:
    # >= -60 and <= 60 include both limits; > 0 excludes 0 but not the next float above it.
    for temperature in (-60, 60, -60.0, 60.0):
        rs.validate(with_(temperature_c=temperature))
    rs.validate(with_(distance_km=math.nextafter(0.0, 1.0)))
    rs.validate(with_(distance_km=100))
    rs.validate(with_(rain_chance=0))
    rs.validate(with_(rain_chance=100))


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("sky", {"value": "clear"}),
        ("sky", ["clear"]),
        ("sky", ("clear",)),
        ("sky", {"clear"}),
        ("wind_kmh", [10]),
        ("wind_kmh", {"kmh": 10}),
        ("has_car", [False]),
        ("rain_chance", {"value": 10}),
        ("temperature_c", 18 + 0j),
        ("temperature_c", object()),
    ],
)
def test_nested_objects_are_refused(rs: gistpath.RuleSet, name: str, bad: object) -> None:
    error = state_error(rs, with_(**{name: bad}))
    assert error.field == name
    assert error.value is bad


# Regression: a numpy array value reaches int()/float()/bool() and leaks TypeError/ValueError
# instead of a StateError.
@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("wind_kmh", np.array([10.0, 20.0])),
        ("rain_chance", np.array([10, 20])),
        ("has_car", np.array([True, False])),
    ],
)
def test_numpy_arrays_are_refused(rs: gistpath.RuleSet, name: str, bad: object) -> None:
    error = state_error(rs, with_(**{name: bad}))
    assert error.field == name


@pytest.mark.parametrize(
    ("bad", "suggestion"),
    [
        ("Clear", "clear"),
        ("CLOUDY", "cloudy"),
        ("Rain", "rain"),
        (" snow", "snow"),
        ("clouds", "cloudy"),
    ],
)
def test_wrong_case_suggests_the_value(rs: gistpath.RuleSet, bad: str, suggestion: str) -> None:
    error = state_error(rs, with_(sky=bad))
    assert error.field == "sky"
    assert error.value == bad
    assert f"did you mean '{suggestion}'" in str(error)
    for value in ("clear", "cloudy", "rain", "snow"):
        assert value in error.expected


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("sky", "unknown"),
        ("temperature_c", "unknown"),
        ("has_car", "unknown"),
        ("rain_chance", "Unknown"),
    ],
)
def test_unknown_only_where_declared(rs: gistpath.RuleSet, name: str, bad: str) -> None:
    changes: dict[str, object] = {name: bad}
    if name == "rain_chance":
        changes["sky"] = "rain"  # so that only the spelling of 'unknown' is at fault
    error = state_error(rs, with_(**changes))
    assert error.field == name


def test_unknown_is_accepted_where_declared(rs: gistpath.RuleSet) -> None:
    decision = rs.evaluate(with_(sky="rain", rain_chance="unknown"))
    assert decision.values["rain_chance"] == "unknown"
    assert decision.values["rain_outlook"] == "wet"


# --------------------------------------------------------------------------- constraints


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"sky": "rain"}, "forecast_given"),  # raining, yet a forecast is given
        ({"rain_chance": "unknown"}, "forecast_given"),  # clear sky without a forecast
        ({"sky": "snow", "rain_chance": "unknown", "temperature_c": 3.5}, "snow_is_cold"),
        ({"child_along": True, "distance_km": 20.5}, "child_distance"),
    ],
)
def test_broken_constraint_names_it(
    rs: gistpath.RuleSet, changes: dict[str, object], constraint: str
) -> None:
    error = state_error(rs, with_(**changes))
    assert error.field == constraint
    assert constraint in str(error)
    assert isinstance(error.value, dict)  # the whole state is the value at fault
    assert {k: error.value[k] for k in changes} == changes
    title = {
        "forecast_given": "A forecast is given exactly when nothing is falling yet",
        "snow_is_cold": "Snow falls only at 3 °C or below",
        "child_distance": "With a child, walks are at most 20 km",
    }[constraint]
    assert error.expected == title


def test_constraints_at_their_boundaries_hold(rs: gistpath.RuleSet) -> None:
    rs.validate(with_(sky="snow", rain_chance="unknown", temperature_c=3))
    rs.validate(with_(child_along=True, distance_km=20))


def test_reference_interpreter_refuses_the_same_constraint(rs: gistpath.RuleSet) -> None:
    with pytest.raises(StateError) as info:
        rs.evaluate_reference(with_(child_along=True, distance_km=20.5))
    assert info.value.field == "child_distance"


# --------------------------------------------------------------------------- numpy scalars


def test_numpy_scalars_are_accepted_and_made_plain(rs: gistpath.RuleSet) -> None:
    state = with_(
        distance_km=np.float64(4.0),
        rain_chance=np.int64(10),
        wind_kmh=np.int32(10),
        has_car=np.bool_(False),
        child_along=np.bool_(True),
        temperature_c=np.float32(18.5),
    )
    decision = rs.evaluate(state)
    plain = rs.evaluate(
        with_(
            distance_km=4.0,
            rain_chance=10,
            wind_kmh=10,
            has_car=False,
            child_along=True,
            temperature_c=18.5,
        )
    )
    assert decision.pathway == plain.pathway == "walk_light"
    assert decision.considerations == plain.considerations
    values = decision.values
    assert type(values["distance_km"]) is float
    assert values["distance_km"] == 4.0
    assert type(values["rain_chance"]) is int
    assert values["rain_chance"] == 10
    assert type(values["wind_kmh"]) is int
    assert values["has_car"] is False
    assert values["child_along"] is True
    assert type(values["temperature_c"]) is float
    assert values["temperature_c"] == 18.5


def test_numpy_value_at_a_threshold_is_classified_exactly(rs: gistpath.RuleSet) -> None:
    # wind_band: < 20 calm, >= 20 breezy
    below = np.nextafter(np.float64(20), np.float64(0))
    assert rs.evaluate(with_(wind_kmh=below)).values["wind_band"] == "calm"
    assert rs.evaluate(with_(wind_kmh=np.float64(20))).values["wind_band"] == "breezy"
    assert rs.evaluate(with_(wind_kmh=np.uint8(20))).values["wind_band"] == "breezy"


@pytest.mark.skipif(
    np.finfo(np.longdouble).eps >= np.finfo(np.float64).eps,
    reason="numpy.longdouble is no wider than float64 here",
)
# Regression: a numpy.longdouble is turned into float with rounding, so a wind just below 20
# becomes 20.0 and is classified 'breezy' (state.py promises 'loses nothing').
def test_numpy_longdouble_is_not_rounded_across_a_threshold(rs: gistpath.RuleSet) -> None:
    below = np.nextafter(np.longdouble(20), np.longdouble(0))
    assert below < 20
    try:
        band = rs.evaluate(with_(wind_kmh=below)).values["wind_band"]
    except StateError:
        return  # refusing a value that cannot be held exactly is fine too
    assert band == "calm"


# Regression: numpy.str_ (what a numpy array of texts yields) is refused for a choice, with the
# confusing hint "did you mean 'clear'?" for the value 'clear' itself.
def test_numpy_str_choice_is_accepted(rs: gistpath.RuleSet) -> None:
    assert rs.evaluate(with_(sky=np.str_("clear"))).values["sky"] == "clear"


def test_str_subclass_is_not_silently_equal(rs: gistpath.RuleSet) -> None:
    class Sky(str):
        pass

    # Either refused or accepted as the plain value; never accepted as the subclass.
    refused: StateError | None = None
    try:
        decision = rs.evaluate(with_(sky=Sky("clear")))
    except StateError as error:
        refused = error
    if refused is not None:
        assert refused.field == "sky"
    else:
        assert type(decision.values["sky"]) is str


# --------------------------------------------------------------------------- properties

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(name=st.sampled_from(list(GOOD)), value=_VALUES)
def test_any_value_is_either_valid_or_a_state_error(name: str, value: object) -> None:
    rs = _walk()
    state = with_(**{name: value})
    refused: StateError | None = None
    try:
        checked = rs.validate(state)
    except StateError as error:
        refused = error
    if refused is not None:
        assert refused.field in (name, "forecast_given", "snow_is_cold", "child_distance")
        return
    # accepted: the value must be of the declared kind and inside the domain
    domain = rs.inputs[name].domain
    kept = checked[name]
    assert kept == value or (value == "unknown" and kept == "unknown")
    if rs.inputs[name].kind == "boolean":
        assert type(kept) is bool
    elif rs.inputs[name].kind == "choice":
        assert kept in domain.values  # type: ignore[union-attr]
    elif kept != "unknown":
        assert type(kept) in ((int,) if rs.inputs[name].kind == "integer" else (int, float))
        assert math.isfinite(kept)  # type: ignore[arg-type]
        assert domain.contains(kept)  # type: ignore[union-attr,arg-type]


_WALK_CACHE: list[gistpath.RuleSet] = []


def _walk() -> gistpath.RuleSet:
    if not _WALK_CACHE:
        _WALK_CACHE.append(gistpath.load(WALK))
    return _WALK_CACHE[0]


# --------------------------------------------------------------------------- every problem


def test_every_problem_of_a_state_is_reported_at_once(rs: gistpath.RuleSet) -> None:
    state = with_(sky="Rain", wind_kmh=-1.0, note="x")
    del state["has_car"]
    del state["distance_km"]
    error = state_error(rs, state)
    shown = [(p.field, p.reason.split(" (")[0]) for p in error.problems]
    assert shown == [
        ("note", "unknown field"),
        ("sky", "not an allowed value"),
        ("wind_kmh", "out of range"),
        ("distance_km", "missing field"),
        ("has_car", "missing field"),
    ]
    # the first problem is the error's own field, value and expectation
    assert (error.field, error.value) == ("note", "x")
    assert str(error).splitlines() == [p.line() for p in error.problems]
    assert len(str(error).splitlines()) == 5


def test_three_missing_fields_are_three_problems(rs: gistpath.RuleSet) -> None:
    state = {k: v for k, v in GOOD.items() if k not in ("sky", "has_car", "child_along")}
    error = state_error(rs, state)
    assert [p.field for p in error.problems] == ["sky", "has_car", "child_along"]
    assert all(p.value is None for p in error.problems)
    # a missing key is said to be missing, not to be None
    assert "got None" not in str(error)
    assert str(error).startswith("sky: missing field; expected a value for every declared field")


def test_one_problem_is_its_own_only_problem(rs: gistpath.RuleSet) -> None:
    error = state_error(rs, with_(sky="fog"))
    assert error.problems == (error,)
    assert "\n" not in str(error)


@given(st.sets(st.sampled_from(sorted(GOOD)), min_size=1))
def test_problems_name_exactly_the_fields_that_are_wrong(names: set[str]) -> None:
    rules = _walk()
    state = {k: (None if k in names else v) for k, v in GOOD.items()}
    with pytest.raises(StateError) as caught:
        rules.evaluate(state)
    assert {p.field for p in caught.value.problems} == names
    assert caught.value.field == next(k for k in GOOD if k in names)


def _walk() -> gistpath.RuleSet:
    if not _WALK:
        _WALK.append(gistpath.load(WALK))
    return _WALK[0]


_WALK: list[gistpath.RuleSet] = []


def test_every_broken_constraint_is_a_problem(rs: gistpath.RuleSet) -> None:
    state = with_(sky="snow", temperature_c=10, rain_chance=10, child_along=True, distance_km=30)
    error = state_error(rs, state)
    assert [p.field for p in error.problems] == ["forecast_given", "snow_is_cold", "child_distance"]
    assert error.field == "forecast_given"
    assert len(str(error).splitlines()) == 3

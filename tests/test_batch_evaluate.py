"""evaluate_many: rows or columns, numpy, bad rows listed by index and never dropped."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gistpath

from strategies import states

ROOT = Path(__file__).resolve().parents[1]
WALK = gistpath.load(ROOT / "docs" / "examples" / "walk.gprules")

pytestmark = pytest.mark.usefixtures("batch_path")  # C loops and numpy alone


def random_walk_states(count: int, seed: int) -> list[dict[str, object]]:
    rnd = random.Random(seed)
    out: list[dict[str, object]] = []
    while len(out) < count:
        sky = rnd.choice(["clear", "cloudy", "rain", "snow"])
        state: dict[str, object] = {
            "sky": sky,
            "temperature_c": rnd.choice([-10.0, 2.0, 3.0, 4.99, 5.0, 20.0]),
            "wind_kmh": rnd.choice([0, 19.99, 20, 61.9, 62, 100.0]),
            "rain_chance": "unknown"
            if sky in ("rain", "snow")
            else rnd.choice([0, 29, 30, 69, 70, 100]),
            "distance_km": rnd.choice([1, 5, 5.5, 10, 10.0001, 20, 50]),
            "has_car": rnd.random() < 0.5,
            "child_along": rnd.random() < 0.3,
        }
        try:
            WALK.validate(state)
        except gistpath.StateError:
            continue
        out.append(state)
    return out


def columns_of(rows: list[dict[str, object]]) -> dict[str, list[object]]:
    return {name: [row[name] for row in rows] for name in WALK.inputs}


def test_rows_and_columns_agree_with_evaluate() -> None:
    rows = random_walk_states(2000, seed=7)
    expected = [WALK.evaluate(r) for r in rows]
    by_rows = WALK.evaluate_many(rows, considerations=True)
    by_columns = WALK.evaluate_many(columns_of(rows), considerations=True)
    assert list(by_rows) == [d.pathway for d in expected]
    assert list(by_columns) == [d.pathway for d in expected]
    assert by_rows.considerations == tuple(d.considerations for d in expected)
    assert by_rows.rules == tuple(d.rule for d in expected)
    assert by_rows.ok
    assert not by_columns.errors


def test_numpy_columns() -> None:
    rows = [r for r in random_walk_states(3000, seed=3) if r["sky"] in ("clear", "cloudy")]
    cols = {
        "sky": np.array([r["sky"] for r in rows]),
        "temperature_c": np.array([r["temperature_c"] for r in rows], dtype=np.float64),
        "wind_kmh": np.array([float(r["wind_kmh"]) for r in rows]),  # type: ignore[arg-type]
        "rain_chance": np.array([r["rain_chance"] for r in rows], dtype=np.int64),
        "distance_km": np.array([float(r["distance_km"]) for r in rows]),  # type: ignore[arg-type]
        "has_car": np.array([r["has_car"] for r in rows], dtype=bool),
        "child_along": np.array([r["child_along"] for r in rows], dtype=bool),
    }
    result = WALK.evaluate_many(cols)
    assert list(result) == [WALK.evaluate(r).pathway for r in rows]


def test_bad_rows_are_reported_by_index_and_the_rest_decided() -> None:
    rows = random_walk_states(50, seed=11)
    rows[3] = {**rows[3], "sky": "Clear"}
    rows[7] = {**rows[7], "wind_kmh": float("nan")}
    del rows[9]["has_car"]
    rows[12] = {**rows[12], "child_along": True, "distance_km": 50.0}  # breaks a constraint
    rows[20] = {**rows[20], "rain_chance": True}
    result = WALK.evaluate_many(rows, errors="collect")
    assert len(result) == len(rows)  # count in == count out
    assert set(result.errors) == {3, 7, 9, 12, 20}
    assert result.errors[3].field == "sky"  # type: ignore[attr-defined]
    assert result.errors[7].field == "wind_kmh"  # type: ignore[attr-defined]
    assert result.errors[9].field == "has_car"  # type: ignore[attr-defined]
    assert result.errors[12].field == "child_distance"  # type: ignore[attr-defined]
    assert result.errors[20].field == "rain_chance"  # type: ignore[attr-defined]
    for index, row in enumerate(rows):
        if index in result.errors:
            assert result[index] is None
        else:
            assert result[index] == WALK.evaluate(row).pathway


def test_bad_rows_raise_a_batch_error_after_deciding_the_rest() -> None:
    rows = random_walk_states(10, seed=5)
    rows[4] = {**rows[4], "sky": 3}
    with pytest.raises(gistpath.BatchError) as caught:
        WALK.evaluate_many(rows)
    error = caught.value
    assert isinstance(error, gistpath.StateError)
    assert set(error.errors) == {4}
    assert "row 4" in str(error)
    assert len(error.result) == 10
    assert error.result[0] == WALK.evaluate(rows[0]).pathway


def test_column_shape_errors() -> None:
    cols = columns_of(random_walk_states(5, seed=1))
    with pytest.raises(gistpath.StateError, match="missing column"):
        WALK.evaluate_many({k: v for k, v in cols.items() if k != "sky"})
    with pytest.raises(gistpath.StateError, match="unknown column"):
        WALK.evaluate_many({**cols, "skyy": cols["sky"]})
    with pytest.raises(gistpath.StateError, match="differ in length"):
        WALK.evaluate_many({**cols, "sky": cols["sky"][:-1]})


def test_float_column_for_an_integer_input_is_refused_row_by_row() -> None:
    rows = [r for r in random_walk_states(40, seed=2) if r["sky"] in ("clear", "cloudy")]
    cols = columns_of(rows)
    cols["rain_chance"] = [float(v) for v in cols["rain_chance"]]  # type: ignore[arg-type]
    result = WALK.evaluate_many(cols, errors="collect")
    assert set(result.errors) == set(range(len(rows)))
    assert all("not an integer" in str(e) for e in result.errors.values())


def test_empty_batch() -> None:
    assert len(WALK.evaluate_many([])) == 0


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(states(WALK), min_size=1, max_size=40))
def test_batch_matches_single_on_generated_states(rows: list[dict[str, object]]) -> None:
    result = WALK.evaluate_many(rows, considerations=True)
    for index, row in enumerate(rows):
        decision = WALK.evaluate(row)
        assert result[index] == decision.pathway
        assert result.considerations is not None
        assert result.considerations[index] == decision.considerations


def test_pandas_dataframe_when_pandas_is_installed() -> None:
    pd = pytest.importorskip("pandas")
    rows = random_walk_states(300, seed=13)
    frame = pd.DataFrame(rows)
    frame.loc[5, "sky"] = "Clear"
    result = WALK.evaluate_many(frame, errors="collect")
    assert set(result.errors) == {5}
    for index, row in enumerate(rows):
        if index != 5:
            assert result[index] == WALK.evaluate(row).pathway


# --------------------------------------------------------------------------- fast column paths


def agree_row_by_row(
    rs: gistpath.RuleSet, cols: dict[str, object], rows: list[dict[str, object]]
) -> None:
    """evaluate_many on ``cols`` gives, row by row, what evaluate gives on ``rows``."""
    result = rs.evaluate_many(cols, errors="collect")
    assert len(result) == len(rows)
    for i, row in enumerate(rows):
        expected: object
        try:
            expected = rs.evaluate(row).pathway
        except gistpath.StateError as error:
            expected = ("refused", error.field)
        got = ("refused", result.errors[i].field) if i in result.errors else result[i]
        assert got == expected, row


TEXTS = ["clear", "cloudy", "rain", "snow", "Clear", "clear ", "", "hail", "cloud", "snowy"]
NUMBERS_OR_UNKNOWN: list[object] = [0, 29, 30, 100, 101, -1, "unknown", "Unknown", True, 30.0, None]


@settings(max_examples=60, deadline=None)
@given(
    skies=st.lists(st.sampled_from(TEXTS), min_size=1, max_size=40),
    chances=st.data(),
)
def test_text_and_mixed_columns_agree_with_evaluate(
    skies: list[str], chances: st.DataObject
) -> None:
    """numpy text columns (looked up by character position, then compared whole) and
    object columns of numbers and 'unknown' (each distinct value validated once)."""
    base = random_walk_states(len(skies), seed=len(skies))
    rows = []
    for sky, row in zip(skies, base, strict=True):
        chance = chances.draw(st.sampled_from(NUMBERS_OR_UNKNOWN))
        rows.append({**row, "sky": sky, "rain_chance": chance})
    cols: dict[str, object] = {n: np.asarray([r[n] for r in rows]) for n in WALK.inputs}
    cols["sky"] = np.asarray(skies)  # dtype <U: the text path
    cols["rain_chance"] = np.asarray([r["rain_chance"] for r in rows], dtype=object)
    agree_row_by_row(WALK, cols, rows)


def test_text_column_narrower_than_some_values() -> None:
    rows = random_walk_states(50, seed=3)
    for row in rows[:10]:
        row["sky"] = "rain"
        row["rain_chance"] = "unknown"
    cols: dict[str, object] = {n: [r[n] for r in rows] for n in WALK.inputs}
    skies = np.asarray([r["sky"] for r in rows], dtype="<U4")  # 'cloudy' cannot fit
    assert skies.dtype.itemsize == 16
    cols["sky"] = skies
    agree_row_by_row(WALK, cols, [{**r, "sky": str(s)} for r, s in zip(rows, skies, strict=True)])


def test_pandas_categorical_columns() -> None:
    pd = pytest.importorskip("pandas")
    rows = random_walk_states(300, seed=11)
    rows[5]["sky"] = "Hail"  # an invalid category refuses its rows only
    rows[7]["rain_chance"] = True
    frame = pd.DataFrame(rows)
    frame["sky"] = frame["sky"].astype("category")
    frame["rain_chance"] = frame["rain_chance"].astype("category")
    agree_row_by_row(WALK, frame, rows)


def test_rule_kernel_on_drafts_finds_gaps_and_overlaps() -> None:
    """The grouped pathway-only tables flag rows a draft leaves with no rule or two."""
    text = (ROOT / "docs" / "examples" / "walk.gprules").read_text(encoding="utf-8")
    draft_text = text.replace("rule short_wet -> walk_waterproofs: rain_outlook is wet", "")
    draft_text = draft_text.replace(
        "rule short_dry -> walk_light: rain_outlook is dry",
        "rule short_dry -> walk_light: rain_outlook is not wet",
    )
    with pytest.warns(gistpath.VerificationWarning):
        draft = gistpath.loads(draft_text, name="draft.gprules", draft=True)
    rows = random_walk_states(400, seed=5)
    result = draft.evaluate_many(rows, errors="collect")
    for i, row in enumerate(rows):
        try:
            expected: str | None = draft.evaluate(row).pathway
        except gistpath.EvaluationError:
            expected = None
        assert result[i] == expected, row
    assert any(r is None for r in result)


def test_a_bad_rows_error_names_its_own_value() -> None:
    """0.0 and -0.0 are one dictionary key; each bad row still shows what it held."""
    rows = random_walk_states(3, seed=1)
    rows[0]["distance_km"] = 0.0
    rows[1]["distance_km"] = -0.0
    cols: dict[str, object] = {n: [r[n] for r in rows] for n in WALK.inputs}
    cols["distance_km"] = np.asarray([0.0, -0.0, "x"], dtype=object)
    result = WALK.evaluate_many(cols, errors="collect")
    for i in (0, 1):
        with pytest.raises(gistpath.StateError) as single:
            WALK.evaluate({**rows[i], "distance_km": cols["distance_km"][i]})  # type: ignore[index]
        assert str(result.errors[i]) == str(single.value)
    assert "-0.0" in str(result.errors[1])


@settings(max_examples=80, deadline=None)
@given(
    skies=st.lists(
        st.one_of(
            st.sampled_from(["clear", "cloudy", "rain", "snow"]),
            st.text(st.characters(exclude_characters="\x00"), max_size=8),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_text_columns_of_any_unicode_agree_with_evaluate(skies: list[str]) -> None:
    """The character-position look-up only proposes; a whole-text comparison decides."""
    column = np.asarray(skies)
    assert column.dtype.kind == "U"
    base = random_walk_states(len(skies), seed=len(skies) + 1)
    rows = [
        {**row, "sky": str(sky), "rain_chance": "unknown" if sky in ("rain", "snow") else 10}
        for row, sky in zip(base, column, strict=True)
    ]
    cols: dict[str, object] = {n: [r[n] for r in rows] for n in WALK.inputs}
    cols["sky"] = column
    agree_row_by_row(WALK, cols, rows)


def test_a_bad_row_reports_every_problem_as_evaluate_does() -> None:
    from samples import walk_state

    good = walk_state()
    rows = [
        good,
        {**good, "sky": "fog", "wind_kmh": -3},
        {**{k: v for k, v in good.items() if k != "sky"}, "x": 1, "wind_kmh": "a"},
    ]
    result = WALK.evaluate_many(rows, errors="collect")
    assert sorted(result.errors) == [1, 2]
    for i in (1, 2):
        with pytest.raises(gistpath.StateError) as single:
            WALK.evaluate(rows[i])
        batch = result.errors[i]
        assert isinstance(batch, gistpath.StateError)
        assert [p.line() for p in batch.problems] == [p.line() for p in single.value.problems]
        assert str(batch) == str(single.value)
    assert [p.field for p in result.errors[2].problems] == ["x", "sky", "wind_kmh"]
    columns = {k: np.array([v, v]) for k, v in good.items()}
    columns["sky"] = np.array(["clear", "fog"])
    columns["wind_kmh"] = np.array([10.0, -3.0])
    with pytest.raises(gistpath.BatchError) as caught:
        WALK.evaluate_many(columns)
    assert [p.field for p in caught.value.errors[1].problems] == ["sky", "wind_kmh"]
    assert [p.field for p in caught.value.problems] == ["sky", "wind_kmh"]


# ---------------------------------------------------------------- ids carried through


def _with_ids() -> list[dict[str, object]]:
    """Six rows with a patient_id and a site_code, each column of one type (so that every
    library reads it as is), rows 1 and 3 bad (an unknown sky, a temperature out of
    range), so that ids must line up with rows around the bad ones."""
    out: list[dict[str, object]] = []
    for i in range(6):
        out.append(
            {
                "patient_id": f"P-{i}",
                "site_code": 100 + i,
                "sky": ["clear", "cloudy"][i % 2],
                "temperature_c": [2.0, 20.0, 4.99, 12.0, 30.0, -3.0][i],
                "wind_kmh": [0.0, 19.99, 62.0, 5.0, 100.0, 20.0][i],
                "rain_chance": [0, 29, 70, 100, 30, 69][i],
                "distance_km": [1.0, 5.5, 20.0, 10.0, 50.0, 3.0][i],
                "has_car": i % 3 == 0,
                "child_along": i % 2 == 1,
            }
        )
    out[1]["sky"] = "hail"
    out[3]["temperature_c"] = 99.0
    return out


ID_ROWS = _with_ids()
ID_NAMES = ("patient_id", "site_code")


def _id_shapes() -> dict[str, object]:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")

    cols: dict[str, list[object]] = {k: [r[k] for r in ID_ROWS] for k in ID_ROWS[0]}
    numpy_cols = {k: np.asarray(v, dtype=object) for k, v in cols.items()}
    numpy_cols["site_code"] = np.asarray(cols["site_code"], dtype=np.int64)
    return {
        "rows": ID_ROWS,
        "columns": cols,
        "numpy": numpy_cols,
        "pandas": pd.DataFrame(cols),
        "polars": pl.DataFrame(cols),
        "arrow": pa.table(cols),
    }


@pytest.mark.parametrize("shape", ["rows", "columns", "numpy", "pandas", "polars", "arrow"])
def test_ids_are_carried_through_every_shape_in_row_order(shape: str) -> None:
    states = _id_shapes()[shape]
    result = WALK.evaluate_many(states, ids=ID_NAMES, errors="collect")
    assert dict(result.ids) == {
        "patient_id": tuple(f"P-{i}" for i in range(6)),
        "site_code": tuple(100 + i for i in range(6)),
    }
    assert sorted(result.errors) == [1, 3]  # the bad rows; the ids were not inputs
    assert all(type(v) is int for v in result.ids["site_code"])  # values as Python gives them
    for i, row in enumerate(ID_ROWS):
        assert result.ids_of(i) == {"patient_id": f"P-{i}", "site_code": 100 + i}
        if i not in (1, 3):
            state = {k: v for k, v in row.items() if k not in ID_NAMES}
            assert result[i] == WALK.evaluate(state).pathway
        else:
            assert result[i] is None


def test_ids_travel_with_a_pickled_result() -> None:
    result = WALK.evaluate_many([ID_ROWS[0], ID_ROWS[2]], ids=ID_NAMES)
    again = pickle.loads(pickle.dumps(result))  # results travel back from worker processes
    assert again == result
    assert dict(again.ids) == {"patient_id": ("P-0", "P-2"), "site_code": (100, 102)}
    rows = [{k: v for k, v in ID_ROWS[i].items() if k != "site_code"} for i in (0, 2)]
    other = WALK.evaluate_many(rows, ids=("patient_id",))
    assert other != result  # the ids are part of what a result says


def test_a_result_with_bad_rows_pickles_with_its_errors() -> None:
    result = WALK.evaluate_many(ID_ROWS, ids=ID_NAMES, errors="collect")
    assert result.errors  # rows 1 and 3 are bad
    again = pickle.loads(pickle.dumps(result))
    assert dict(again.ids) == dict(result.ids)
    assert [again[i] for i in range(len(ID_ROWS))] == [result[i] for i in range(len(ID_ROWS))]
    assert sorted(again.errors) == sorted(result.errors)
    for i, error in result.errors.items():
        copy = again.errors[i]
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert (copy.field, copy.value, copy.expected) == (error.field, error.value, error.expected)


def test_without_ids_an_id_column_is_refused_as_before() -> None:
    result = WALK.evaluate_many(ID_ROWS, errors="collect")
    assert sorted(result.errors) == list(range(6))
    assert "unknown field" in str(result.errors[0])
    assert dict(result.ids) == {}
    with pytest.raises(gistpath.StateError, match="unknown column"):
        WALK.evaluate_many(_id_shapes()["columns"])


def test_batch_error_names_the_first_bad_row_by_its_ids() -> None:
    with pytest.raises(gistpath.BatchError) as info:
        WALK.evaluate_many(ID_ROWS, ids=ID_NAMES)
    message = str(info.value)
    assert "2 of 6 rows are invalid; first, row 1 (patient_id 'P-1', site_code 101): sky" in (
        message
    )
    assert info.value.result.ids["patient_id"][3] == "P-3"
    assert sorted(info.value.errors) == [1, 3]


def test_a_row_lacking_an_id_is_a_bad_row_with_all_its_problems() -> None:
    rows = [dict(r) for r in ID_ROWS]
    del rows[0]["patient_id"]  # otherwise good
    del rows[1]["site_code"]  # and its sky is bad too
    result = WALK.evaluate_many(rows, ids=ID_NAMES, errors="collect")
    assert sorted(result.errors) == [0, 1, 3]
    assert result.ids["patient_id"][0] is None
    assert result.ids["site_code"][1] is None
    first = result.errors[0]
    assert isinstance(first, gistpath.StateError)
    assert [(p.field, p.reason) for p in first.problems] == [("patient_id", "missing field")]
    second = result.errors[1]
    assert isinstance(second, gistpath.StateError)
    assert [p.field for p in second.problems] == ["site_code", "sky"]
    assert result[2] is not None


def test_an_id_that_is_an_input_or_not_there_is_refused() -> None:
    with pytest.raises(gistpath.StateError, match="sky: a declared input of the rule set"):
        WALK.evaluate_many(ID_ROWS, ids=("patient_id", "sky"))
    for shape in ("columns", "numpy", "pandas", "polars", "arrow"):
        with pytest.raises(gistpath.StateError, match="ward: missing id column") as info:
            WALK.evaluate_many(_id_shapes()[shape], ids=("patient_id", "ward"))
        assert info.value.field == "ward"
    with pytest.raises(TypeError, match="sequence of field names"):
        WALK.evaluate_many(ID_ROWS, ids="patient_id")
    with pytest.raises(TypeError, match="sequence of field names"):
        WALK.evaluate_many(ID_ROWS, ids=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="field names"):
        WALK.evaluate_many(ID_ROWS, ids=(1,))  # type: ignore[arg-type]


def test_ids_of_different_length_from_the_inputs_are_refused() -> None:
    cols = dict(_id_shapes()["columns"])  # type: ignore[call-overload]
    cols["patient_id"] = cols["patient_id"][:-1]
    with pytest.raises(gistpath.StateError, match="columns differ in length"):
        WALK.evaluate_many(cols, ids=("patient_id", "site_code"))

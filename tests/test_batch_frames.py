"""gistpath.batch.frames (and inputs): evaluate_many on dataframes and arrays, the same
answers as evaluate, row by row.

The reference for each input kind is ``RuleSet.evaluate`` on the rows as that library itself
gives them (``DataFrame.to_dict("records")``, polars ``to_dicts()``, pyarrow
``to_pylist()``, ``column[i]`` for numpy): whatever a library does to values when a frame is
built, the batch path must decide each row exactly as the row would be decided alone.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath.testing import invalid_states, valid_states

from samples import WALK_FILE, walk_state

WALK = gistpath.load(WALK_FILE)
GIST = gistpath.load_builtin("gist")
RULESETS = {"walk": WALK, "gist": GIST}

# The kinds of bad value a column can hold (a frame has the same columns in every row).
VALUE_KINDS = ["wrong_type", "out_of_range", "not_a_choice", "nan_inf", "none", "constraint"]

pytestmark = pytest.mark.usefixtures("batch_path")  # C loops and numpy alone


def assert_agrees(rs: gistpath.RuleSet, batch: Any, rows: list[dict[str, Any]]) -> None:
    """evaluate_many(batch) gives, row for row, what evaluate gives (or refuses)."""
    result = rs.evaluate_many(batch, errors="collect", considerations=True)
    assert len(result) == len(rows)  # count in == count out
    assert result.considerations is not None
    for i, row in enumerate(rows):
        decision, error = decide_one(rs, row)
        if error is not None:
            assert i in result.errors, (i, row, error)
            got = result.errors[i]
            assert isinstance(got, gistpath.StateError)
            assert (got.field, got.reason) == (error.field, error.reason), (row, got, error)
            assert result[i] is None
            assert result.considerations[i] is None
        else:
            assert decision is not None
            assert i not in result.errors, (i, row, result.errors.get(i))
            assert result[i] == decision.pathway
            assert result.considerations[i] == decision.considerations
            assert result.rules is not None
            assert result.rules[i] == decision.rule


def decide_one(
    rs: gistpath.RuleSet, row: dict[str, Any]
) -> tuple[gistpath.Decision | None, gistpath.StateError | None]:
    try:
        return rs.evaluate(row), None
    except gistpath.StateError as error:
        return None, error


def mixed_rows(rs: gistpath.RuleSet) -> st.SearchStrategy[list[dict[str, object]]]:
    return st.lists(
        st.one_of(valid_states(rs), invalid_states(rs, kinds=VALUE_KINDS)),
        min_size=1,
        max_size=25,
    )


def pandas_plain(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def pandas_nullable(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows).convert_dtypes()  # Int64, boolean, string, Float64 with <NA>


def pandas_categorical(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, str)).any():
            try:
                frame[column] = frame[column].astype("category")
            except TypeError:  # unhashable values (a list) cannot be categories
                continue
    return frame


def pandas_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")  # type: ignore[no-any-return]


def polars_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    try:
        return pl.DataFrame(rows, strict=False, infer_schema_length=None)
    except (TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):
        assume(False)
        raise AssertionError("unreachable") from None


def arrow_table(rows: list[dict[str, object]], chunks: int = 1) -> pa.Table:
    try:
        table = pa.Table.from_pylist(rows)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        assume(False)
        raise
    if chunks > 1 and table.num_rows > 1:
        step = max(1, table.num_rows // chunks)
        table = pa.concat_tables(
            [table.slice(start, step) for start in range(0, table.num_rows, step)]
        )
    return table


def numpy_columns(rows: list[dict[str, object]], dtype: Any) -> dict[str, np.ndarray[Any, Any]]:
    names = list(rows[0])
    columns: dict[str, np.ndarray[Any, Any]] = {}
    for name in names:
        values = [row[name] for row in rows]
        if dtype is object:
            array = np.empty(len(values), dtype=object)
            array[:] = values
        else:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    array = np.array(values)  # numpy's own inference: str, float, int, bool
            except (ValueError, TypeError, OverflowError):
                assume(False)
        if array.ndim != 1:
            assume(False)
        columns[name] = array
    return columns


def numpy_rows(columns: dict[str, np.ndarray[Any, Any]]) -> list[dict[str, Any]]:
    n = len(next(iter(columns.values())))
    return [{name: column[i] for name, column in columns.items()} for i in range(n)]


# Each way of making a batch, and the rows that batch means according to its own library.
Builder = Callable[[list[dict[str, object]]], tuple[Any, list[dict[str, Any]]]]
BUILDERS: dict[str, Builder] = {
    "pandas": lambda rows: (f := pandas_plain(rows), pandas_records(f)),
    "pandas_nullable": lambda rows: (f := pandas_nullable(rows), pandas_records(f)),
    "pandas_categorical": lambda rows: (f := pandas_categorical(rows), pandas_records(f)),
    "polars": lambda rows: (f := polars_frame(rows), f.to_dicts()),
    "pyarrow": lambda rows: (t := arrow_table(rows), t.to_pylist()),
    "pyarrow_chunked": lambda rows: (t := arrow_table(rows, chunks=3), t.to_pylist()),
    "pyarrow_batch": lambda rows: (
        b := arrow_table(rows).combine_chunks().to_batches()[0],
        b.to_pylist(),
    ),
    "numpy": lambda rows: (c := numpy_columns(rows, None), numpy_rows(c)),
    "numpy_object": lambda rows: (c := numpy_columns(rows, object), numpy_rows(c)),
    "rows": lambda rows: (rows, rows),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("name", sorted(RULESETS))
def test_batches_agree_with_evaluate(name: str, kind: str) -> None:
    rs = RULESETS[name]
    build = BUILDERS[kind]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(mixed_rows(rs))
    def check(rows: list[dict[str, object]]) -> None:
        with warnings.catch_warnings():
            # pandas warns about odd columns (tuples, mixed types) it builds all the same.
            warnings.simplefilter("ignore")
            batch, reference = build(rows)
        assert_agrees(rs, batch, reference)

    check()


# --------------------------------------------------------------------------- missing values


def walk_rows(count: int) -> list[dict[str, object]]:
    skies = ["clear", "cloudy"]
    return [
        walk_state(sky=skies[i % 2], rain_chance=(i * 7) % 101, distance_km=1 + i % 15)
        for i in range(count)
    ]


def test_pandas_nullable_integer_with_na_refuses_only_that_row() -> None:
    frame = pd.DataFrame(walk_rows(20))
    frame["rain_chance"] = frame["rain_chance"].astype("Int64")
    frame.loc[4, "rain_chance"] = pd.NA
    frame["has_car"] = frame["has_car"].astype("boolean")
    frame.loc[9, "has_car"] = pd.NA
    frame["sky"] = frame["sky"].astype("category")
    frame.loc[13, "sky"] = np.nan
    result = WALK.evaluate_many(frame, errors="collect")
    assert len(result) == 20
    assert sorted(result.errors) == [4, 9, 13]
    assert result.errors[4].field == "rain_chance"  # type: ignore[attr-defined]
    assert result.errors[9].field == "has_car"  # type: ignore[attr-defined]
    assert result.errors[13].field == "sky"  # type: ignore[attr-defined]
    assert_agrees(WALK, frame, pandas_records(frame))


def test_polars_and_arrow_nulls_refuse_only_their_rows() -> None:
    rows = walk_rows(12)
    rows[3]["rain_chance"] = None
    rows[5]["has_car"] = None
    rows[7]["sky"] = None
    polars = pl.DataFrame(rows)
    assert polars["rain_chance"].dtype == pl.Int64  # not turned into floats
    table = pa.Table.from_pylist(rows)
    for batch, reference in ((polars, polars.to_dicts()), (table, table.to_pylist())):
        result = WALK.evaluate_many(batch, errors="collect")
        assert sorted(result.errors) == [3, 5, 7]
        assert_agrees(WALK, batch, reference)


def test_a_float_column_for_an_integer_input_is_refused_like_evaluate() -> None:
    """3.0 is not the integer 3: evaluate refuses numpy.float64(3.0); so does every batch."""
    with pytest.raises(gistpath.StateError, match="not an integer"):
        WALK.evaluate(walk_state(rain_chance=np.float64(3.0)))
    rows = walk_rows(6)
    frame = pd.DataFrame(rows)
    frame["rain_chance"] = frame["rain_chance"].astype("float64")
    batches = [
        frame,
        pl.from_pandas(frame),
        pa.Table.from_pandas(frame, preserve_index=False),
        {name: frame[name].to_numpy() for name in frame.columns},
    ]
    for batch in batches:
        result = WALK.evaluate_many(batch, errors="collect")
        assert sorted(result.errors) == list(range(6)), type(batch)
        assert all("not an integer" in str(e) for e in result.errors.values())
    # An integer column with a missing value becomes float64 in plain pandas: every row
    # is then refused, which is why nullable Int64 columns are the way to go.
    plain = pd.DataFrame(rows)
    plain.loc[0, "rain_chance"] = np.nan
    assert plain["rain_chance"].dtype == np.float64
    assert len(WALK.evaluate_many(plain, errors="collect").errors) == 6


# --------------------------------------------------------------------------- exactness


def two_pathways(declaration: str, threshold: str) -> gistpath.RuleSet:
    return gistpath.loads(
        textwrap.dedent(
            f"""\
            ruleset t "Threshold"
            source g "g"
            input n "N": {declaration}
            pathway low "Low"
                summary "At or below."
                cites g
            pathway high "High"
                summary "Above."
                cites g
            rule at_or_below -> low: n <= {threshold}
            rule above -> high: n > {threshold}
            """
        )
    )


@pytest.mark.parametrize("declaration", ["number", "integer"])
def test_large_integers_are_compared_exactly(declaration: str) -> None:
    rs = two_pathways(declaration, str(2**53))
    values = [2**53 - 1, 2**53, 2**53 + 1, 2**63 - 1, -(2**63)]
    expected = [rs.evaluate({"n": v}).pathway for v in values]
    assert expected == ["low", "low", "high", "high", "low"]
    assert list(rs.evaluate_many({"n": np.array(values, dtype=np.int64)})) == expected
    assert list(rs.evaluate_many({"n": values})) == expected
    assert list(rs.evaluate_many(pl.DataFrame({"n": values}))) == expected
    unsigned = [2**53, 2**53 + 1, 2**64 - 1]
    assert list(rs.evaluate_many({"n": np.array(unsigned, dtype=np.uint64)})) == [
        "low",
        "high",
        "high",
    ]


def test_wide_integers_and_decimals_are_judged_value_by_value() -> None:
    rs = two_pathways("integer", "5")
    wide = pl.DataFrame({"n": pl.Series([1, 10**30], dtype=pl.Int128)})
    assert list(rs.evaluate_many(wide)) == ["low", "high"]
    assert_agrees(rs, wide, wide.to_dicts())
    decimals = pl.DataFrame({"n": pl.Series([1, 7], dtype=pl.Decimal(10, 0))})
    assert sorted(rs.evaluate_many(decimals, errors="collect").errors) == [0, 1]
    assert_agrees(rs, decimals, decimals.to_dicts())
    table = pa.table({"n": pa.array([1, 7], pa.decimal128(10, 0))})
    assert sorted(rs.evaluate_many(table, errors="collect").errors) == [0, 1]
    assert_agrees(rs, table, table.to_pylist())


def test_long_doubles_and_datetimes_are_judged_value_by_value() -> None:
    rs = two_pathways("number", "1")
    precise = np.array([np.longdouble(1) + np.finfo(np.longdouble).eps, 0.5], np.longdouble)
    exact_as_float = float(precise[0]) == precise[0]
    result = rs.evaluate_many({"n": precise}, errors="collect")
    _, error = decide_one(rs, {"n": precise[0]})
    # Refused exactly when a 64-bit float cannot hold it, by both paths.
    assert (error is None) == exact_as_float
    assert (0 in result.errors) == (not exact_as_float)
    assert result[1] == "low"
    stamps = np.array(["2020-01-01", "2021-01-01"], dtype="datetime64[ns]")
    durations = np.array([1, 2], dtype="timedelta64[ns]")
    for column in (stamps, durations):
        with pytest.raises(gistpath.StateError, match="not a number"):
            rs.evaluate({"n": column[0]})
        refused = rs.evaluate_many({"n": column}, errors="collect")
        assert sorted(refused.errors) == [0, 1]


# --------------------------------------------------------------------------- shapes


def test_columns_may_be_series_of_any_library() -> None:
    rows = walk_rows(8)
    frame = pd.DataFrame(rows)
    expected = [WALK.evaluate(r).pathway for r in rows]
    polars = pl.from_pandas(frame)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for columns in (
        {n: frame[n] for n in frame.columns},
        {n: polars[n] for n in polars.columns},
        {n: table.column(n) for n in table.column_names},
        {n: table.column(n).combine_chunks() for n in table.column_names},
        {n: tuple(frame[n].tolist()) for n in frame.columns},
    ):
        assert list(WALK.evaluate_many(columns)) == expected


def test_frames_keep_their_index_out_of_the_positions() -> None:
    rows = walk_rows(5)
    rows[2]["sky"] = "Clear"
    frame = pd.DataFrame(rows, index=[10, 20, 30, 40, 50])
    result = WALK.evaluate_many(frame, errors="collect")
    assert list(result.errors) == [2]  # a position, not the label 30


def test_frame_shape_errors() -> None:
    frame = pd.DataFrame(walk_rows(3))
    with pytest.raises(gistpath.StateError, match="unknown column"):
        WALK.evaluate_many(frame.assign(id=[1, 2, 3]))
    with pytest.raises(gistpath.StateError, match="missing column"):
        WALK.evaluate_many(frame.drop(columns=["sky"]))
    doubled = pd.concat([frame, frame[["sky"]]], axis=1)
    with pytest.raises(gistpath.StateError, match="duplicate column"):
        WALK.evaluate_many(doubled)
    with pytest.raises(gistpath.StateError, match="missing column"):
        WALK.evaluate_many(pa.table({"sky": ["clear"]}))
    columns = {n: frame[n].to_numpy() for n in frame.columns}
    with pytest.raises(gistpath.StateError, match="one-dimensional"):
        WALK.evaluate_many({**columns, "wind_kmh": np.zeros((3, 2))})
    with pytest.raises(TypeError, match="collect"):
        WALK.evaluate_many(pl.from_pandas(frame).lazy())


@pytest.mark.slow
def test_a_dask_frame_is_pointed_to_map_partitions() -> None:
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(pd.DataFrame(walk_rows(8)), npartitions=2)
    with pytest.raises(TypeError, match="map_partitions"):
        WALK.evaluate_many(ddf)


def test_no_dataframe_library_is_imported_unless_given() -> None:
    code = textwrap.dedent(
        f"""\
        import sys
        import numpy as np
        import gistpath
        rules = gistpath.load({str(WALK_FILE)!r})
        rows = {walk_rows(20)!r}
        assert len(rules.evaluate_many(rows)) == 20
        columns = {{n: np.array([r[n] for r in rows]) for n in rules.inputs}}
        assert len(rules.evaluate_many(columns, considerations=True)) == 20
        objects = {{n: np.array([r[n] for r in rows], dtype=object) for n in rules.inputs}}
        assert len(rules.evaluate_many(objects, errors="collect")) == 20
        import gistpath.batch, gistpath.batch.frames
        loaded = sorted(m for m in ("pandas", "polars", "pyarrow", "dask") if m in sys.modules)
        print(loaded)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_polars_recipe_in_the_docs() -> None:
    rows = walk_rows(10)
    rows[4]["sky"] = "Clear"
    df = pl.DataFrame(rows).with_columns(pl.Series("id", range(10)))
    rules = WALK
    # As docs/dataframes.rst shows it:
    inputs = list(rules.inputs)
    result = rules.evaluate_many(df.select(inputs), errors="collect")
    df = df.with_columns(pl.Series("pathway", list(result), dtype=pl.String))
    assert df["pathway"][4] is None
    assert df["pathway"].to_list()[:4] == [WALK.evaluate(r).pathway for r in rows[:4]]


def test_categorical_and_dictionary_text_columns_of_every_library() -> None:
    """pandas categoricals, polars Categorical and Enum, Arrow dictionaries: read through
    their codes (each distinct value validated once), a refused value in its own row."""
    rows = walk_rows(12)
    rows[5]["sky"] = "Clear"  # refused: a wrong case
    expected = [None if i == 5 else WALK.evaluate(r).pathway for i, r in enumerate(rows)]
    frame = pd.DataFrame(rows)
    skies = [r["sky"] for r in rows]
    batches = []
    coded = frame.copy()
    coded["sky"] = coded["sky"].astype("category")
    batches.append(coded)
    for dtype in (pl.Categorical, pl.Enum(sorted(set(skies)))):
        batches.append(pl.from_pandas(frame).with_columns(pl.Series("sky", skies, dtype=dtype)))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    index = table.column_names.index("sky")
    batches.append(table.set_column(index, "sky", pa.array(skies).dictionary_encode()))
    halves = [pa.array(part).dictionary_encode() for part in (skies[:7], skies[7:])]
    batches.append(table.set_column(index, "sky", pa.chunked_array(halves)))  # 2 dictionaries
    batches.append(pl.from_pandas(frame))  # plain String: Arrow text read in place
    for batch in batches:
        result = WALK.evaluate_many(batch, errors="collect")
        assert list(result) == expected, type(batch)
        assert list(result.errors) == [5]
        assert "Clear" in str(result.errors[5])

"""The compiled kernel (gistpath._kernel): never more lenient than the validators, never
slower than it should be on plain values, and the same batches as the numpy path.

Each C column function is held to its contract value by value: a cell it gives must be
``dim.cell_of(validate(value))``, and a plain value (an exact int, float, str or bool,
or a numpy buffer of them) that the validator accepts must get its cell, not ``-1``. The
fold is held to the numpy fold, and whole batches of random rule files to ``evaluate``
row by row on both paths.
"""

from __future__ import annotations

import math
import os
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import StateError, vectorized
from gistpath.testing import valid_states

from samples import WALK_FILE
from strategies import build_ruleset, raw_states, rule_files

if os.environ.get("GISTPATH_BUILD_KERNEL", "").lower() == "require":
    from gistpath import _kernel as kernel  # CI built it: it must be there
else:
    kernel = pytest.importorskip("gistpath._kernel")

FILTERING = settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
WALK = gistpath.load(WALK_FILE)
GIST = gistpath.load_builtin("gist")

ODD: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**53,
    2**53 + 1,
    -(2**53) - 1,
    2**63,
    10**400,
    0.0,
    -0.0,
    2.5,
    5e-324,
    1e308,
    math.nan,
    math.inf,
    -math.inf,
    "unknown",
    "Unknown",
    "unknown ",
    "clear",
    " clear",
    "clea",
    "",
    "\x00",
    "ç",
    b"clear",
    [],
    np.float64(3.0),
    np.int64(4),
    np.bool_(True),
    np.str_("clear"),
]


def objects(values: list[object]) -> Any:
    """An object array holding exactly these items (a list item stays an item)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def plain(value: object) -> bool:
    """A value the C loops must decide themselves (not hand to the validator)."""
    if type(value) is int:
        return abs(value) <= 2**53  # type: ignore[arg-type]
    return type(value) in (float, str, bool)


def dims(rs: gistpath.RuleSet) -> list[Any]:
    return list(rs.compiled.space.dimensions[:-1])


def expected_cell(rs: gistpath.RuleSet, dim: Any, value: object) -> int | None:
    try:
        return int(dim.cell_of(rs.field_validator(dim.name)(value)))
    except StateError:
        return None


def run_items(rs: gistpath.RuleSet, dim: Any, source: Any) -> list[int]:
    out = np.empty(len(source), dtype=np.int32)
    if dim.kind == "numeric":
        spec = vectorized._number_spec(rs, dim)
        assert spec is not None
        missing = kernel.numbers(source, 0, out, *spec)
    else:
        missing = kernel.lookup(source, 0, out, *vectorized._lookup_spec(rs, dim))
    assert missing >= 0, (dim.name, source)
    assert missing == int((out < 0).sum())
    return [int(c) for c in out]


def check(rs: gistpath.RuleSet, dim: Any, value: object, got: int) -> None:
    want = expected_cell(rs, dim, value)
    if got >= 0:
        assert want == got, (dim.name, value, got, want)
    elif plain(value):
        assert want is None, f"{dim.name}: plain {value!r} left to the validator"


@pytest.mark.parametrize("rs", [WALK, GIST], ids=["walk", "gist"])
def test_items_of_lists_tuples_and_object_arrays(rs: gistpath.RuleSet) -> None:
    for dim in dims(rs):
        values = [*ODD, *dim.values, *(t for t in dim.thresholds)]
        values += [math.nextafter(float(t), d) for t in dim.thresholds for d in (-1e9, 1e9)]
        objects = np.empty(len(values), dtype=object)
        objects[:] = values
        for source in (values, tuple(values), objects):
            for value, got in zip(values, run_items(rs, dim, source), strict=True):
                check(rs, dim, value, got)


@FILTERING
@given(data=st.data())
def test_numbers_at_and_beside_every_threshold(data: st.DataObject) -> None:
    rs = build_ruleset(data.draw(rule_files()))
    for dim in dims(rs):
        if dim.kind != "numeric" or vectorized._number_spec(rs, dim) is None:
            continue
        near = st.sampled_from(dim.thresholds or (0,)).flatmap(
            lambda t: st.sampled_from(
                [t, math.nextafter(float(t), -math.inf), math.nextafter(float(t), math.inf)]
            )
        )
        values = data.draw(
            st.lists(near | st.integers(-(2**60), 2**60) | st.floats(), min_size=1, max_size=20)
        )
        for value, got in zip(values, run_items(rs, dim, values), strict=True):
            check(rs, dim, value, got)


NUMERIC_DTYPES = ["float64", "float32", "int8", "int16", "int32", "int64"]
NUMERIC_DTYPES += ["uint8", "uint16", "uint32", "uint64"]


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
@pytest.mark.parametrize("rs", [WALK, GIST], ids=["walk", "gist"])
def test_numeric_buffers(rs: gistpath.RuleSet, dtype: str) -> None:
    info = np.finfo(dtype) if dtype.startswith("float") else np.iinfo(dtype)
    for dim in dims(rs):
        if dim.kind != "numeric":
            continue
        raw = [0, 1, -1, 2.5, *dim.thresholds, info.max, info.min, 2**53, 2**53 + 1]
        raw += [t + d for t in dim.thresholds for d in (-1, 1, 0.5)]
        with np.errstate(all="ignore"):
            values = [
                v for v in np.array([float(x) for x in raw]).astype(dtype) if v == v
            ]  # what fits, as that dtype's scalars
        array = np.array(values, dtype=dtype)
        for value, got in zip(array, run_items(rs, dim, array), strict=True):
            want = expected_cell(rs, dim, value)
            if got >= 0:
                assert want == got, (dim.name, dtype, value)
            else:
                exact_int = dtype[0] in "iu" and abs(int(value)) <= 2**53
                plain_float = dtype.startswith("float") and not dim.integer
                assert want is None or not (exact_int or plain_float), (dim.name, value)


def test_boolean_buffers_and_their_misuse() -> None:
    for dim in dims(WALK):
        array = np.array([True, False, True])
        if dim.kind == "numeric":  # a bool is never a number: numpy's path refuses it
            out = np.empty(3, dtype=np.int32)
            assert kernel.numbers(array, 0, out, *vectorized._number_spec(WALK, dim)) == -2
            continue
        got = run_items(WALK, dim, array)
        for value, cell in zip(array.tolist(), got, strict=True):
            check(WALK, dim, value, cell)


@given(texts=st.lists(st.text(max_size=12), min_size=1, max_size=30), data=st.data())
def test_text_columns(texts: list[str], data: st.DataObject) -> None:
    for dim in dims(GIST):
        if dim.kind != "choice":
            continue
        mixed = [*texts, *data.draw(st.lists(st.sampled_from(dim.values), max_size=10))]
        array = np.asarray(mixed, dtype=str)
        width = array.dtype.itemsize // 4
        spec = vectorized._text_spec(GIST, dim, width)
        if spec is None:
            continue
        out = np.empty(len(array), dtype=np.int32)
        missing = kernel.text(np.ascontiguousarray(array).view(np.uint32), width, 0, out, *spec)
        assert missing == int((out < 0).sum())
        for value, got in zip(array.tolist(), out.tolist(), strict=True):
            want = expected_cell(GIST, dim, value)
            assert got == (-1 if want is None else want), (dim.name, value)


def test_unusable_sources_are_declined_not_misread() -> None:
    dim = next(d for d in dims(WALK) if d.kind == "numeric")
    spec = vectorized._number_spec(WALK, dim)
    out = np.empty(4, dtype=np.int32)
    for source in (
        np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])[::2],  # not contiguous
        np.array([1, 2, 3, 4], dtype=np.float16),
        np.array(["a", "b", "c", "d"]),
        "abcd",
    ):
        assert kernel.numbers(source, 0, out, *spec) == -2, source
    for start in (-1, 1, 3):  # rows past the end of the source
        with pytest.raises(ValueError, match="outside the source"):
            kernel.numbers([1.0, 2.0, 3.0, 4.0], start, out, *spec)
    with pytest.raises(ValueError, match="int32"):
        kernel.numbers([1.0] * 4, 0, np.empty(4, dtype=np.int64), *spec)
    # a block in the middle: rows 2 and 3 only
    assert kernel.numbers([1.0, 2.0, 3.0, 99.0], 2, out[:2], *spec) == 1
    assert out[1] == -1


def test_fold_refuses_cells_outside_its_tables() -> None:
    kernel_tables = vectorized._rule_kernel(WALK)
    assert kernel_tables is not None
    groups, classes, folds, outcome = vectorized._fold_args(WALK, kernel_tables)
    n = len(dims(WALK))
    for bad_cell in (-1, 10_000, 2**31 - 1):
        cells = [np.zeros(3, dtype=np.int32) for _ in range(n)]
        cells[0][1] = bad_cell
        with pytest.raises(ValueError, match="outside"):
            kernel.fold(cells, groups, classes, folds, outcome, np.empty(3, dtype=np.int64))
    cells = [np.zeros(3 + (d == 1), dtype=np.int32) for d in range(n)]
    with pytest.raises(ValueError, match="one length"):
        kernel.fold(cells, groups, classes, folds, outcome, np.empty(3, dtype=np.int64))


def batch_both_ways(
    rs: gistpath.RuleSet, states: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[gistpath.BatchResult, gistpath.BatchResult]:
    compiled = rs.evaluate_many(states, errors="collect")
    with monkeypatch.context() as m:
        m.setattr(vectorized, "USE_COMPILED", False)
        numpy_only = rs.evaluate_many(states, errors="collect")
    return compiled, numpy_only


def error_text(result: gistpath.BatchResult) -> dict[int, str]:
    return {i: str(e) for i, e in result.errors.items()}


@settings(
    max_examples=60, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow]
)
@given(data=st.data())
def test_random_files_batches_agree_with_evaluate_both_ways(data: st.DataObject) -> None:
    rs = build_ruleset(data.draw(rule_files(complete=True)))
    rows = data.draw(st.lists(raw_states(rs), min_size=1, max_size=12))
    for row in rows:
        if row and data.draw(st.booleans()):
            row[data.draw(st.sampled_from(sorted(row)))] = data.draw(st.sampled_from(ODD))
    monkeypatch = pytest.MonkeyPatch()
    try:
        for states in (rows, {n: [r.get(n) for r in rows] for n in rs.inputs}):
            if not isinstance(states, list) and any(set(r) != set(rs.inputs) for r in rows):
                continue  # columns need every field in every row
            compiled, numpy_only = batch_both_ways(rs, states, monkeypatch)
            assert compiled == numpy_only
            assert error_text(compiled) == error_text(numpy_only)
            for i, row in enumerate(rows):
                try:
                    pathway: str | None = rs.evaluate(row).pathway
                except gistpath.GistpathError:
                    pathway = None
                assert compiled[i] == pathway, row
                assert (i in compiled.errors) == (pathway is None), row
    finally:
        monkeypatch.undo()


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(states=st.lists(valid_states(GIST), min_size=1, max_size=40))
def test_the_gist_sample_agrees_both_ways_in_every_form(states: list[dict[str, object]]) -> None:
    monkeypatch = pytest.MonkeyPatch()
    expected = [GIST.evaluate(s).pathway for s in states]
    columns = {n: [s[n] for s in states] for n in GIST.inputs}
    arrays = {
        n: np.asarray(v, dtype=object if n == "mitotic_rate" else None) for n, v in columns.items()
    }
    for form in (states, columns, arrays):
        compiled, numpy_only = batch_both_ways(GIST, form, monkeypatch)
        assert list(compiled) == list(numpy_only) == expected
    monkeypatch.undo()


def test_batch_result_codes_and_lazy_ids() -> None:
    rows = [
        {"sky": "clear", "temperature_c": 20.0, "wind_kmh": 5, "rain_chance": 10,
         "distance_km": 3, "has_car": False, "child_along": False},
        {"sky": "clear", "temperature_c": 99.0, "wind_kmh": 5, "rain_chance": 10,
         "distance_km": 3, "has_car": False, "child_along": False},
    ]  # fmt: skip
    result = WALK.evaluate_many(rows, errors="collect")
    assert result.pathway_ids == tuple(WALK.pathways)
    codes = result.pathway_codes
    assert codes.tolist()[1] == -1
    assert result.pathway_ids[codes[0]] == WALK.evaluate(rows[0]).pathway == result[0]
    assert result.pathways == (result[0], None)
    assert result.rules == (WALK.evaluate(rows[0]).rule, None)
    with pytest.raises(ValueError, match="read-only"):
        codes[0] = 0
    with pytest.raises(AttributeError):
        result.errors = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.errors[5] = None  # type: ignore[index]
    assert "1 errors" in repr(result)


def _typed(values: list[object]) -> Any:
    """A numpy buffer of the values when they are all of one plain type, else objects."""
    kinds = {type(v) for v in values}
    # (numpy text drops trailing NULs: such a text stays an object)
    if not any(isinstance(v, str) and v.endswith("\x00") for v in values) and (
        (len(kinds) == 1 and kinds <= {bool, str, float}) or kinds == {int}
    ):
        return np.asarray(values)
    return objects(values)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(
    states=st.lists(valid_states(GIST), min_size=1, max_size=60),
    spoil=st.lists(st.tuples(st.integers(0, 59), st.sampled_from(ODD)), max_size=8),
    block=st.integers(1, 9),
)
def test_blocks_and_threads_agree_with_one_pass(
    states: list[dict[str, object]], spoil: list[tuple[int, object]], block: int
) -> None:
    """Many small blocks, shared among threads, with bad values here and there."""
    names = list(GIST.inputs)
    columns: dict[str, list[object]] = {n: [s[n] for s in states] for n in names}
    for k, (row, value) in enumerate(spoil):
        columns[names[k % len(names)]][row % len(states)] = value
    arrays = {n: objects(v) for n, v in columns.items()}
    monkeypatch = pytest.MonkeyPatch()
    try:
        whole = vectorized.evaluate_batch(GIST, columns, errors="collect")
        monkeypatch.setattr(vectorized, "KERNEL_BLOCK", block)
        monkeypatch.setattr(vectorized, "THREAD_BLOCK", block)
        monkeypatch.setattr(vectorized, "OBJECT_BLOCK", block)
        monkeypatch.setattr(vectorized, "ROWS_PER_HELPER", 1)
        monkeypatch.setattr(vectorized, "THREADED_ROWS", 0)
        # mostly typed buffers (blocks shared by Python threads; the object columns among
        # them read under the GIL), or all objects (helper threads read for one thread)
        typed = {n: _typed(v) for n, v in columns.items()}
        for threads in (1, 2, 3):
            for form in (columns, arrays, typed):
                got = vectorized.evaluate_batch(GIST, form, errors="collect", threads=threads)
                assert got == whole
        monkeypatch.setattr(vectorized, "_FIXUPS", 0)  # every value left by C: numpy's path
        assert vectorized.evaluate_batch(GIST, arrays, errors="collect", threads=2) == whole
        monkeypatch.setattr(vectorized, "USE_COMPILED", False)
        assert vectorized.evaluate_batch(GIST, columns, errors="collect") == whole
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("threads", [0, -1, 1.5, True, "2"])
def test_threads_must_be_a_positive_int(threads: object) -> None:
    with pytest.raises(ValueError, match="threads"):
        WALK.evaluate_many([], threads=threads)  # type: ignore[arg-type]


def test_evaluate_many_passes_threads_on(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int | None] = []
    real = vectorized._fold_compiled

    def spy(*args: Any) -> Any:
        seen.append(args[-1])
        return real(*args)

    monkeypatch.setattr(vectorized, "_fold_compiled", spy)
    rows = _gist_rows(5)
    assert list(GIST.evaluate_many(rows, threads=3)) == [GIST.evaluate(r).pathway for r in rows]
    GIST.evaluate_many(rows)
    assert seen == [3, None]


def test_columns_of_numpy_scalars_take_the_numpy_path_per_block() -> None:
    """Values C leaves to the validators (numpy scalars in lists) in every row."""
    rows = _gist_rows(700)
    assert len(rows) > 300  # more than the fix-ups C leaves to the validators one by one
    expected = [GIST.evaluate(r).pathway for r in rows]
    columns = {n: [r[n] for r in rows] for n in GIST.inputs}
    columns["site"] = [np.str_(v) for v in columns["site"]]
    columns["distant_sites"] = [np.int64(v) for v in columns["distant_sites"]]
    assert list(vectorized.evaluate_batch(GIST, columns, threads=2)) == expected


def _gist_rows(count: int) -> list[dict[str, object]]:
    """Up to ``count`` valid GIST states, the same every run."""
    out: list[dict[str, object]] = []

    @settings(max_examples=count, database=None, derandomize=True)
    @given(valid_states(GIST))
    def collect(state: dict[str, object]) -> None:
        out.append(dict(state))

    collect()
    return out


@given(
    texts=st.lists(
        st.text(max_size=8) | st.sampled_from(["stomach", "colon", "ç", ""]), max_size=40
    ),
    cut=st.integers(0, 5),
    large=st.booleans(),
)
def test_arrow_text_read_in_place(texts: list[str], cut: int, large: bool) -> None:
    pa = pytest.importorskip("pyarrow")
    dim = next(d for d in dims(GIST) if d.name == "site")
    array = pa.array(["x"] * cut + texts, type=pa.large_string() if large else pa.string())
    array = array.slice(cut)  # an offset into the buffers, as a sliced column has
    column = vectorized._arrow_text(array)
    assert column is not None
    assert column[:] == texts
    out = np.empty(len(texts), dtype=np.int32)
    missing = kernel.utf8(column.offsets, column.data, 0, out, *vectorized._utf8_spec(GIST, dim))
    assert missing == int((out < 0).sum())
    for value, got in zip(texts, out.tolist(), strict=True):
        want = expected_cell(GIST, dim, value)
        assert got == (-1 if want is None else want), value


def test_categorical_codes_with_refused_and_unused_categories() -> None:
    pd = pytest.importorskip("pandas")
    rows = _gist_rows(120)
    frame = pd.DataFrame(rows)
    frame["site"] = pd.Categorical(
        frame["site"], categories=[*GIST_SITES, "Stomach", "nowhere"]
    )  # two categories the validator refuses, unused so far
    frame.loc[3, "site"] = "Stomach"
    frame.loc[70, "site"] = "nowhere"
    monkeypatch = pytest.MonkeyPatch()
    compiled, numpy_only = batch_both_ways(GIST, frame, monkeypatch)
    assert compiled == numpy_only
    assert set(compiled.errors) == {3, 70}
    assert "Stomach" in str(compiled.errors[3])


GIST_SITES = [v for v in GIST.compiled.space.dimensions[4].values if isinstance(v, str)]


AAA_FILE = """
ruleset repeated "Texts that differ only in length"
source guide "An invented guide"
    publisher "Tests"
input t "A text": choice a, aaaaaaaa, aaaaaaaaa, aaaaaaaaaaaaaaaa, aaaaaaaaaaaaaaaaa
pathway p "P"
    summary "Every text."
    cites guide "Section 1"
rule r -> p: otherwise
"""


@given(
    texts=st.lists(
        st.integers(0, 20).map(lambda k: "a" * k) | st.text(alphabet="a\\x00b", max_size=18),
        min_size=1,
        max_size=30,
    )
)
def test_arrow_texts_of_every_length_near_the_end_of_the_buffer(texts: list[str]) -> None:
    """Same leading and trailing bytes, other lengths; the last rows near the buffer's end."""
    pa = pytest.importorskip("pyarrow")
    rs = gistpath.loads(AAA_FILE, name="repeated.gprules")
    dim = dims(rs)[0]
    column = vectorized._arrow_text(pa.array(texts, type=pa.string()))
    assert column is not None
    out = np.empty(len(texts), dtype=np.int32)
    kernel.utf8(column.offsets, column.data, 0, out, *vectorized._utf8_spec(rs, dim))
    for value, got in zip(texts, out.tolist(), strict=True):
        want = expected_cell(rs, dim, value)
        assert got == (-1 if want is None else want), value


def test_a_slot_shared_with_a_text_of_another_length_is_no_match() -> None:
    """Every slot pointing at one allowed text: only that text, at its length, matches."""
    pa = pytest.importorskip("pyarrow")
    rs = gistpath.loads(AAA_FILE, name="repeated.gprules")
    dim = dims(rs)[0]
    allowed, bounds, by_length, cells_of, heads, _slots, salt = vectorized._utf8_spec(rs, dim)
    texts = sorted(vectorized._lookup_spec(rs, dim)[0], key=len)
    for j, text in enumerate(texts):
        if len(text) > 16:
            continue
        every = np.full(4096, j, dtype=np.int32).tobytes()
        rows = ["a" * k for k in range(1, 21)]
        column = vectorized._arrow_text(pa.array(rows, type=pa.string()))
        assert column is not None
        out = np.empty(len(rows), dtype=np.int32)
        spec = (allowed, bounds, by_length, cells_of, heads, every, salt)
        kernel.utf8(column.offsets, column.data, 0, out, *spec)
        for row, got in zip(rows, out.tolist(), strict=True):
            if len(row) <= 16:  # longer rows take the comparison by length
                assert (got >= 0) == (row == text), (text, row, got)


def test_boolean_bytes_are_read_as_cells_only_where_they_are_cells() -> None:
    flag = next(d for d in dims(GIST) if d.kind == "boolean")
    choice = next(d for d in dims(GIST) if d.kind == "choice")
    number = next(d for d in dims(GIST) if d.kind == "numeric")
    column = np.array([True, False, True, True])
    assert vectorized._bytes_are_cells(GIST, flag, column)
    assert not vectorized._bytes_are_cells(GIST, flag, column[::2])  # strided
    assert not vectorized._bytes_are_cells(GIST, flag, [True, False])
    assert not vectorized._bytes_are_cells(GIST, choice, column)
    assert not vectorized._bytes_are_cells(GIST, number, column)
    rows = _gist_rows(40)
    columns = {n: np.asarray([r[n] for r in rows], dtype=object) for n in GIST.inputs}
    for d in dims(GIST):
        if d.kind == "boolean":  # every flag as a numpy bool column, read as bytes
            columns[d.name] = np.asarray([r[d.name] for r in rows], dtype=bool)
    expected = [GIST.evaluate(r).pathway for r in rows]
    assert list(vectorized.evaluate_batch(GIST, columns, threads=1)) == expected


def test_buffers_in_the_other_byte_order_are_declined_and_decided_by_numpy() -> None:
    dim = next(d for d in dims(GIST) if d.name == "size_cm")
    foreign = ">f8" if np.little_endian else "<f8"
    values = np.array([1.5, 4.0, 12.0], dtype=foreign)
    out = np.empty(3, dtype=np.int32)
    assert kernel.numbers(values, 0, out, *vectorized._number_spec(GIST, dim)) == -2
    rows = _gist_rows(3)
    columns = {n: [r[n] for r in rows] for n in GIST.inputs}
    columns["size_cm"] = np.array(columns["size_cm"], dtype=foreign)
    with_floats = [{**r, "size_cm": float(r["size_cm"])} for r in rows]  # type: ignore[arg-type]
    expected = [GIST.evaluate(r).pathway for r in with_floats]
    assert list(vectorized.evaluate_batch(GIST, columns)) == expected


@pytest.mark.parametrize("considerations", [False, True])
def test_a_row_bad_in_two_fields_is_reported_for_the_first_as_evaluate_does(
    considerations: bool,
) -> None:
    """size_cm as float16 is decided by numpy before the C loops read the text columns."""
    rows = [{**r, "size_cm": 4.0} for r in _gist_rows(6)]  # exact in float16 too
    rows[3] = {**rows[3], "presentation": "Localized", "size_cm": math.nan}
    with pytest.raises(StateError) as single:
        GIST.evaluate(rows[3])
    assert single.value.field == "presentation"
    columns = {n: np.asarray([r[n] for r in rows], dtype=object) for n in GIST.inputs}
    columns["presentation"] = np.asarray([r["presentation"] for r in rows], dtype=str)
    columns["size_cm"] = np.asarray([r["size_cm"] for r in rows], dtype=np.float16)
    assert vectorized._reader(GIST, dims(GIST)[3], columns["size_cm"]) is None
    for threads in (1, 2):
        result = GIST.evaluate_many(
            columns, errors="collect", considerations=considerations, threads=threads
        )
        assert list(result.errors) == [3]
        assert result.errors[3].field == "presentation"  # type: ignore[attr-defined]


def test_considerations_through_the_compiled_fold_agree_with_evaluate() -> None:
    rows = _gist_rows(300)
    result = GIST.evaluate_many(rows, considerations=True)
    kernel_tables = vectorized._rule_kernel(GIST, considerations=True)
    assert kernel_tables is not None
    assert kernel_tables.considered is not None
    assert result.considerations == tuple(GIST.evaluate(r).considerations for r in rows)
    assert len({c for c in result.considerations if c}) > 3  # several combinations seen


# Choices of every length from 1 to 40 characters, and two of the same nine bytes but one:
# the look-up reads ASCII texts of up to 24 characters as words and longer ones by hash.
_LENGTHS = ["w" + "x" * i for i in range(40)] + ["y" * 8 + "z", "y" * 9]
LENGTHS = gistpath.loads(
    'ruleset lengths "Choices of every length"\n'
    'source s "S"\n'
    'input word "A word": choice ' + ", ".join(_LENGTHS) + "\n"
    'input flag "A flag": boolean\n'
    'pathway p "P"\n    summary "p"\n    cites s "x"\n'
    'pathway q "Q"\n    summary "q"\n    cites s "x"\n'
    "rule one -> p: word is wx\n"
    "rule other -> q: otherwise\n"
)


def fresh(text: str) -> str:
    """The same text as a new str object (never the interned one), as json.loads makes."""
    return "".join(list(text)) if len(text) > 1 else (text + "\x00")[:1]


@given(
    texts=st.lists(
        st.one_of(
            st.text(max_size=40),
            st.text(alphabet="wxyz", max_size=30),  # near misses of the choices
            st.sampled_from(_LENGTHS).map(lambda t: t[:-1] + "X"),  # one byte off at the end
        ),
        max_size=30,
    ),
    data=st.data(),
)
def test_texts_in_lists_of_every_length_and_kind(texts: list[str], data: st.DataObject) -> None:
    for rs in (GIST, LENGTHS):
        for dim in dims(rs):
            if dim.kind != "choice":
                continue
            chosen = data.draw(st.lists(st.sampled_from(dim.values), max_size=12))
            mixed: list[object] = [*texts, *chosen, *(fresh(str(v)) for v in chosen), True]
            for source in (mixed, objects(mixed)):
                for value, got in zip(mixed, run_items(rs, dim, source), strict=True):
                    want = expected_cell(rs, dim, value)
                    assert got == (-1 if want is None else want), (dim.name, value)


def test_number_items_repeated_and_distinct_objects() -> None:
    # The number loops remember cells by object within a call: the same object again must
    # give the same cell, and a new object at a reused address must not inherit one.
    dim = next(d for d in dims(GIST) if d.name == "mitotic_rate")
    values: list[object] = []
    for i in range(3000):
        values += [i % 7, 10**6 + i, "unknown", fresh("unknown"), fresh("unknowN"), None, 5.0]
    values += [2**62, -(2**62), 2**53, 2**53 + 1]
    for source in (values, objects(values)):
        for value, got in zip(values, run_items(GIST, dim, source), strict=True):
            check(GIST, dim, value, got)


def _ascii_words(text: bytes) -> tuple[int, int, int]:
    """_kernel.c's ascii_words, on a little-endian machine."""
    length = len(text)
    first = int.from_bytes(text[:8], "little")
    end = min(length, 16)
    second = int.from_bytes(text[end - 8 : end], "little") if length > 8 else 0
    third = int.from_bytes(text[length - 8 : length], "little") if length > 16 else 0
    return first, second, third


def _word_slot(words: tuple[int, int, int], length: int, salt: int) -> int:
    """_kernel.c's word_slot."""
    mask = (1 << 64) - 1
    h = (words[0] * 0x9E3779B97F4A7C15) & mask
    h ^= (words[1] * 0xC2B2AE3D27D4EB4F) & mask
    h ^= (words[2] * 0x165667B19E3779F9) & mask
    h ^= length ^ salt
    return ((h * 0xD6E8FEB86659FD93) & mask) >> 54


@pytest.mark.skipif(sys.byteorder != "little", reason="the words are little-endian here")
def test_a_text_in_the_slot_of_a_choice_is_no_match_unless_it_is_the_choice() -> None:
    # Only the words confirm a match: a text that hashes to a choice's slot but differs
    # from it in any one of its words must not take the choice's cell.
    dim = next(d for d in dims(LENGTHS) if d.name == "word")
    keys = [str(v).encode() for v in dim.values if len(str(v)) <= 24]
    salt = 0
    while True:
        taken = [_word_slot(_ascii_words(k), len(k), salt) for k in keys]
        if len(set(taken)) == len(taken):
            break
        salt = (salt + 0x9E3779B97F4A7C15) & ((1 << 64) - 1)
    rng = np.random.default_rng(7)
    impostors: list[str] = []
    for key, slot in zip(keys, taken, strict=True):
        # a change inside each word's own bytes in turn: 0-7, 8-15, 16-23
        for low in range(0, len(key), 8):
            high = min(len(key), low + 8)
            for _ in range(50_000):
                text = bytearray(key)
                for at in rng.integers(low, high, size=3).tolist():
                    text[at] = int(rng.integers(32, 127))
                words = _ascii_words(bytes(text))
                if bytes(text) != key and _word_slot(words, len(text), salt) == slot:
                    impostors.append(text.decode())
                    break
    assert len(impostors) >= len(keys)  # the search found them (one per word and key)
    assert run_items(LENGTHS, dim, impostors) == [-1] * len(impostors)
    assert run_items(LENGTHS, dim, [fresh(k.decode()) for k in keys]) == [
        int(dim.cell_of(k.decode())) for k in keys
    ]


@settings(max_examples=60)
@given(
    values=st.lists(
        st.one_of(
            st.sampled_from(ODD),
            st.sampled_from([v for d in dims(GIST) for v in d.values]).map(
                lambda v: fresh(v) if isinstance(v, str) else v
            ),
            st.text(max_size=30),
            st.integers(-(2**70), 2**70),
            st.floats(),
        ),
        min_size=1,
        max_size=50,
    ),
    start=st.integers(0, 10),
    threads=st.integers(1, 4),
)
def test_objects_shared_among_threads_agree_with_one_column_at_a_time(
    values: list[object], start: int, threads: int
) -> None:
    """``objects`` gives each job the cells ``numbers`` or ``lookup`` give its column, with
    the values its helper threads defer (long or non-ASCII texts, big ints) decided too."""
    start = min(start, len(values))
    jobs, want = [], []
    for rs in (GIST, WALK, LENGTHS):
        for dim in dims(rs):
            for source in (values, tuple(values), objects(values)):
                job = vectorized._object_job(rs, dim, source)
                assert job is not None
                out = np.full(len(values) - start, 7, dtype=np.int32)
                jobs.append((job[0], source, start, out, *job[1]))
                alone = np.empty(len(values) - start, dtype=np.int32)
                function = kernel.lookup if job[0] else kernel.numbers
                want.append((function(source, start, alone, *job[1]), alone))
    left = kernel.objects(jobs, threads)
    for job, (missing, alone), got in zip(jobs, want, left, strict=True):
        assert got == missing
        assert job[3].tolist() == alone.tolist()


def test_objects_refuses_what_it_cannot_read() -> None:
    dim = next(d for d in dims(GIST) if d.name == "site")
    spec = vectorized._lookup_spec(GIST, dim)
    out = np.empty(2, dtype=np.int32)
    with pytest.raises(TypeError, match="source"):
        kernel.objects([(1, np.array(["stomach", "colon"]), 0, out, *spec)], 1)
    with pytest.raises(TypeError, match="tuple"):
        kernel.objects([[1, ["stomach"], 0, out, *spec]], 1)
    with pytest.raises(ValueError, match="outside the source"):
        kernel.objects([(1, ["stomach", "colon"], 1, out, *spec)], 2)
    with pytest.raises(ValueError, match="threads"):
        kernel.objects([], 0)
    with pytest.raises(TypeError):
        kernel.objects([(0, [1.0, 2.0], 0, out, "not a spec")], 2)
    assert kernel.objects([], 2) == []


def test_big_batches_of_lists_share_their_object_columns_among_helpers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, int]] = []
    real = kernel.objects

    def spy(jobs: list[tuple[Any, ...]], threads: int) -> list[int]:
        seen.append((len(jobs), threads))
        return real(jobs, threads)

    monkeypatch.setattr(kernel, "objects", spy)
    monkeypatch.setattr(vectorized, "OBJECT_BLOCK", 4)
    monkeypatch.setattr(vectorized, "ROWS_PER_HELPER", 2)
    rows = _gist_rows(20)
    columns = {n: [r[n] for r in rows] for n in GIST.inputs}
    want = [GIST.evaluate(r).pathway for r in rows]
    assert list(GIST.evaluate_many(columns, threads=2).pathways) == want
    assert seen
    assert all(s == (len(GIST.inputs), 2) for s in seen)
    seen.clear()
    assert list(GIST.evaluate_many(columns, threads=1).pathways) == want
    assert seen
    assert all(threads == 1 for _, threads in seen)

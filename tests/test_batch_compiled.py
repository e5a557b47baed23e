"""gistpath.batch.compiled: whole batches through the C loops, block by block, agree with
``evaluate`` and with the numpy path, whatever the blocks, the threads and the helper
threads, with bad values anywhere.

They skip where the kernel was not compiled, unless ``GISTPATH_BUILD_KERNEL=require`` (CI)
says it must be.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import StateError
from gistpath.batch import compiled, evaluate
from gistpath.batch import kernel as binding
from gistpath.batch.evaluate import evaluate_batch
from gistpath.batch.plan import plan_for
from gistpath.testing import valid_states

from batch_samples import ODD, dims, gist_rows, objects, planned
from samples import WALK_FILE, walk_columns, walk_state
from strategies import build_ruleset, raw_states, rule_files

if os.environ.get("GISTPATH_BUILD_KERNEL", "").lower() == "require":
    from gistpath import _kernel as kernel  # CI built it: it must be there
else:
    kernel = pytest.importorskip("gistpath._kernel")

K = binding.kernel()
WALK = gistpath.load(WALK_FILE)
GIST = gistpath.load_builtin("gist")


def batch_both_ways(
    rs: gistpath.RuleSet, states: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[gistpath.BatchResult, gistpath.BatchResult]:
    compiled = rs.evaluate_many(states, errors="collect")
    with monkeypatch.context() as m:
        m.setattr(binding, "USE_COMPILED", False)
        numpy_only = rs.evaluate_many(states, errors="collect")
    return compiled, numpy_only


def error_text(result: gistpath.BatchResult) -> dict[int, str]:
    return {i: str(e) for i, e in result.errors.items()}


@pytest.mark.slow
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


def _typed(values: list[object]) -> Any:
    """A numpy buffer of the values when they are all of one plain type, else objects."""
    kinds = {type(v) for v in values}
    # (numpy text drops trailing NULs: such a text stays an object)
    if not any(isinstance(v, str) and v.endswith("\x00") for v in values) and (
        (len(kinds) == 1 and kinds <= {bool, str, float}) or kinds == {int}
    ):
        return np.asarray(values)
    return objects(values)


@pytest.mark.slow
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
        whole = evaluate_batch(GIST, columns, errors="collect")
        monkeypatch.setattr(compiled, "KERNEL_BLOCK", block)
        monkeypatch.setattr(compiled, "THREAD_BLOCK", block)
        monkeypatch.setattr(compiled, "OBJECT_BLOCK", block)
        monkeypatch.setattr(compiled, "ROWS_PER_HELPER", 1)
        monkeypatch.setattr(compiled, "THREADED_ROWS", 0)
        # mostly typed buffers (blocks shared by Python threads; the object columns among
        # them read under the GIL), or all objects (helper threads read for one thread)
        typed = {n: _typed(v) for n, v in columns.items()}
        for threads in (1, 2, 3):
            for form in (columns, arrays, typed):
                got = evaluate_batch(GIST, form, errors="collect", threads=threads)
                assert got == whole
        monkeypatch.setattr(compiled, "FIXUPS", 0)  # every value left by C: numpy's path
        assert evaluate_batch(GIST, arrays, errors="collect", threads=2) == whole
        monkeypatch.setattr(binding, "USE_COMPILED", False)
        assert evaluate_batch(GIST, columns, errors="collect") == whole
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("threads", [0, -1, 1.5, True, "2"])
def test_threads_must_be_a_positive_int(threads: object) -> None:
    with pytest.raises(ValueError, match="threads"):
        WALK.evaluate_many([], threads=threads)  # type: ignore[arg-type]


def test_evaluate_many_passes_threads_on(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int | None] = []
    real = evaluate.fold_compiled

    def spy(*args: Any) -> Any:
        seen.append(args[-1])
        return real(*args)

    monkeypatch.setattr(evaluate, "fold_compiled", spy)
    rows = gist_rows(5)
    assert list(GIST.evaluate_many(rows, threads=3)) == [GIST.evaluate(r).pathway for r in rows]
    GIST.evaluate_many(rows)
    assert seen == [3, None]


@pytest.mark.slow
def test_columns_of_numpy_scalars_take_the_numpy_path_per_block() -> None:
    """Values C leaves to the validators (numpy scalars in lists) in every row."""
    rows = gist_rows(700)
    assert len(rows) > 300  # more than the fix-ups C leaves to the validators one by one
    expected = [GIST.evaluate(r).pathway for r in rows]
    columns = {n: [r[n] for r in rows] for n in GIST.inputs}
    columns["site"] = [np.str_(v) for v in columns["site"]]
    columns["distant_sites"] = [np.int64(v) for v in columns["distant_sites"]]
    assert list(evaluate_batch(GIST, columns, threads=2)) == expected


def test_boolean_bytes_are_read_as_cells_only_where_they_are_cells() -> None:
    flag = next(d for d in dims(GIST) if d.kind == "boolean")
    choice = next(d for d in dims(GIST) if d.kind == "choice")
    number = next(d for d in dims(GIST) if d.kind == "numeric")
    column = np.array([True, False, True, True])
    assert compiled.bytes_are_cells(planned(GIST, flag), column)
    assert not compiled.bytes_are_cells(planned(GIST, flag), column[::2])  # strided
    assert not compiled.bytes_are_cells(planned(GIST, flag), [True, False])
    assert not compiled.bytes_are_cells(planned(GIST, choice), column)
    assert not compiled.bytes_are_cells(planned(GIST, number), column)
    rows = gist_rows(40)
    columns = {n: np.asarray([r[n] for r in rows], dtype=object) for n in GIST.inputs}
    for d in dims(GIST):
        if d.kind == "boolean":  # every flag as a numpy bool column, read as bytes
            columns[d.name] = np.asarray([r[d.name] for r in rows], dtype=bool)
    expected = [GIST.evaluate(r).pathway for r in rows]
    assert list(evaluate_batch(GIST, columns, threads=1)) == expected


@pytest.mark.parametrize("considerations", [False, True])
def test_a_row_bad_in_two_fields_is_reported_for_the_first_as_evaluate_does(
    considerations: bool,
) -> None:
    """size_cm as float16 is decided by numpy before the C loops read the text columns."""
    rows = [{**r, "size_cm": 4.0} for r in gist_rows(6)]  # exact in float16 too
    rows[3] = {**rows[3], "presentation": "Localized", "size_cm": math.nan}
    with pytest.raises(StateError) as single:
        GIST.evaluate(rows[3])
    assert single.value.field == "presentation"
    columns = {n: np.asarray([r[n] for r in rows], dtype=object) for n in GIST.inputs}
    columns["presentation"] = np.asarray([r["presentation"] for r in rows], dtype=str)
    columns["size_cm"] = np.asarray([r["size_cm"] for r in rows], dtype=np.float16)
    assert compiled.reader(K, planned(GIST, dims(GIST)[3]), columns["size_cm"]) is None
    for threads in (1, 2):
        result = GIST.evaluate_many(
            columns, errors="collect", considerations=considerations, threads=threads
        )
        assert list(result.errors) == [3]
        assert result.errors[3].field == "presentation"  # type: ignore[attr-defined]


@pytest.mark.slow
def test_considerations_through_the_compiled_fold_agree_with_evaluate() -> None:
    rows = gist_rows(300)
    result = GIST.evaluate_many(rows, considerations=True)
    kernel_tables = plan_for(GIST).classes_with_considerations
    assert kernel_tables is not None
    assert kernel_tables.considered is not None
    assert result.considerations == tuple(GIST.evaluate(r).considerations for r in rows)
    assert len({c for c in result.considerations if c}) > 3  # several combinations seen


def test_big_batches_of_lists_share_their_object_columns_among_helpers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, int]] = []
    real = kernel.objects

    def spy(jobs: list[tuple[Any, ...]], threads: int) -> list[int]:
        seen.append((len(jobs), threads))
        return real(jobs, threads)

    monkeypatch.setattr(kernel, "objects", spy)
    monkeypatch.setattr(compiled, "OBJECT_BLOCK", 4)
    monkeypatch.setattr(compiled, "ROWS_PER_HELPER", 2)
    rows = gist_rows(20)
    columns = {n: [r[n] for r in rows] for n in GIST.inputs}
    want = [GIST.evaluate(r).pathway for r in rows]
    assert list(GIST.evaluate_many(columns, threads=2).pathways) == want
    assert seen
    assert all(s == (len(GIST.inputs), 2) for s in seen)
    seen.clear()
    assert list(GIST.evaluate_many(columns, threads=1).pathways) == want
    assert seen
    assert all(threads == 1 for _, threads in seen)


def test_a_bool_column_with_bytes_other_than_0_and_1_is_read_as_numpy_reads_it() -> None:
    column = np.array([1, 2, 0], dtype=np.uint8).view(bool)  # True, True, False to numpy
    expected = [WALK.evaluate(walk_state(has_car=v)).pathway for v in column.tolist()]
    result = WALK.evaluate_many(walk_columns(3, has_car=column), errors="collect")
    assert list(result) == expected


def test_a_float_column_for_an_integer_input_reads_the_same_error_on_every_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def text(n: int) -> str:
        columns = walk_columns(n, rain_chance=np.full(n, 3.5))
        return str(WALK.evaluate_many(columns, errors="collect").errors[0])

    few, many = text(3), text(compiled.FIXUPS + 10)
    with monkeypatch.context() as m:
        m.setattr(binding, "USE_COMPILED", False)
        numpy_only = text(3)
    assert few == many == numpy_only


def test_categorical_codes_with_refused_and_unused_categories() -> None:
    pd = pytest.importorskip("pandas")
    rows = gist_rows(120)
    sites = [v for v in GIST.compiled.space.dimensions[4].values if isinstance(v, str)]
    frame = pd.DataFrame(rows)
    frame["site"] = pd.Categorical(
        frame["site"], categories=[*sites, "Stomach", "nowhere"]
    )  # two categories the validator refuses, unused so far
    frame.loc[3, "site"] = "Stomach"
    frame.loc[70, "site"] = "nowhere"
    monkeypatch = pytest.MonkeyPatch()
    compiled, numpy_only = batch_both_ways(GIST, frame, monkeypatch)
    assert compiled == numpy_only
    assert set(compiled.errors) == {3, 70}
    assert "Stomach" in str(compiled.errors[3])

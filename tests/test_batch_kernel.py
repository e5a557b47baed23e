"""gistpath.batch.kernel and the C loops behind it (gistpath._kernel): never more lenient
than the validators, never slower than they should be on plain values; tables that do not
fit raise; a stale build is refused. Whole batches: test_batch_compiled.py.

Each C column function is held to its contract value by value: a cell it gives must be
``dim.cell_of(validate(value))``, and a plain value (an exact int, float, str or bool,
or a numpy buffer of them) that the validator accepts must get its cell, not ``-1``. The
fold refuses cells outside its tables.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import StateError
from gistpath.batch import compiled, hashes
from gistpath.batch import kernel as binding
from gistpath.batch.evaluate import evaluate_batch
from gistpath.batch.frames.arrow import arrow_text
from gistpath.batch.plan import plan_for
from gistpath.batch.specs import LookupSpec, NumberSpec, TextSpec, Utf8Spec

from batch_samples import ODD, dims, gist_rows, objects, planned
from samples import WALK_FILE
from strategies import build_ruleset, rule_files

if os.environ.get("GISTPATH_BUILD_KERNEL", "").lower() == "require":
    from gistpath import _kernel as kernel  # CI built it: it must be there
else:
    kernel = pytest.importorskip("gistpath._kernel")

K = binding.kernel()
TESTS = str(Path(__file__).resolve().parent)
FILTERING = settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
WALK = gistpath.load(WALK_FILE)
GIST = gistpath.load_builtin("gist")


def plain(value: object) -> bool:
    """A value the C loops must decide themselves (not hand to the validator)."""
    if type(value) is int:
        return abs(value) <= 2**53  # type: ignore[arg-type]
    return type(value) in (float, str, bool)


def number_spec(rs: gistpath.RuleSet, dim: Any) -> NumberSpec | None:
    return planned(rs, dim).number


def lookup_spec(rs: gistpath.RuleSet, dim: Any) -> LookupSpec:
    spec = planned(rs, dim).lookup
    assert spec is not None
    return spec


def text_spec(rs: gistpath.RuleSet, dim: Any, width: int) -> TextSpec | None:
    return planned(rs, dim).text_spec(width)


def utf8_spec(rs: gistpath.RuleSet, dim: Any) -> Utf8Spec:
    spec = planned(rs, dim).utf8
    assert spec is not None
    return spec


def expected_cell(rs: gistpath.RuleSet, dim: Any, value: object) -> int | None:
    try:
        return int(dim.cell_of(rs.field_validator(dim.name)(value)))
    except StateError:
        return None


def run_items(rs: gistpath.RuleSet, dim: Any, source: Any) -> list[int]:
    out = np.empty(len(source), dtype=np.int32)
    if dim.kind == "numeric":
        spec = number_spec(rs, dim)
        assert spec is not None
        missing = kernel.numbers(source, 0, out, spec)
    else:
        missing = kernel.lookup(source, 0, out, lookup_spec(rs, dim))
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


@pytest.mark.slow
@FILTERING
@given(data=st.data())
def test_numbers_at_and_beside_every_threshold(data: st.DataObject) -> None:
    rs = build_ruleset(data.draw(rule_files()))
    for dim in dims(rs):
        if dim.kind != "numeric" or number_spec(rs, dim) is None:
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
            assert kernel.numbers(array, 0, out, number_spec(WALK, dim)) == kernel.NOT_READ
            continue
        got = run_items(WALK, dim, array)
        for value, cell in zip(array.tolist(), got, strict=True):
            check(WALK, dim, value, cell)


@pytest.mark.slow
@given(texts=st.lists(st.text(max_size=12), min_size=1, max_size=30), data=st.data())
def test_text_columns(texts: list[str], data: st.DataObject) -> None:
    for dim in dims(GIST):
        if dim.kind != "choice":
            continue
        mixed = [*texts, *data.draw(st.lists(st.sampled_from(dim.values), max_size=10))]
        array = np.asarray(mixed, dtype=str)
        width = array.dtype.itemsize // 4
        spec = text_spec(GIST, dim, width)
        if spec is None:
            continue
        out = np.empty(len(array), dtype=np.int32)
        missing = kernel.text(np.ascontiguousarray(array).view(np.uint32), 0, out, spec)
        assert missing == int((out < 0).sum())
        for value, got in zip(array.tolist(), out.tolist(), strict=True):
            want = expected_cell(GIST, dim, value)
            assert got == (-1 if want is None else want), (dim.name, value)


def test_unusable_sources_are_declined_not_misread() -> None:
    dim = next(d for d in dims(WALK) if d.kind == "numeric")
    spec = number_spec(WALK, dim)
    out = np.empty(4, dtype=np.int32)
    for source in (
        np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])[::2],  # not contiguous
        np.array([1, 2, 3, 4], dtype=np.float16),
        np.array(["a", "b", "c", "d"]),
        "abcd",
    ):
        assert kernel.numbers(source, 0, out, spec) == kernel.NOT_READ, source
    for start in (-1, 1, 3):  # rows past the end of the source
        with pytest.raises(ValueError, match="outside the source"):
            kernel.numbers([1.0, 2.0, 3.0, 4.0], start, out, spec)
    with pytest.raises(ValueError, match="int32"):
        kernel.numbers([1.0] * 4, 0, np.empty(4, dtype=np.int64), spec)
    # a block in the middle: rows 2 and 3 only
    assert kernel.numbers([1.0, 2.0, 3.0, 99.0], 2, out[:2], spec) == 1
    assert out[1] == -1


def test_fold_refuses_cells_outside_its_tables() -> None:
    kernel_tables = plan_for(WALK).classes
    assert kernel_tables is not None
    tables = kernel_tables.packed
    n = len(dims(WALK))
    for bad_cell in (-1, 10_000, 2**31 - 1):
        cells = [np.zeros(3, dtype=np.int32) for _ in range(n)]
        cells[0][1] = bad_cell
        with pytest.raises(ValueError, match="outside"):
            kernel.fold(cells, tables, np.empty(3, dtype=np.int64))
    cells = [np.zeros(3 + (d == 1), dtype=np.int32) for d in range(n)]
    with pytest.raises(ValueError, match="one length"):
        kernel.fold(cells, tables, np.empty(3, dtype=np.int64))


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
    column = arrow_text(array)
    assert column is not None
    assert column[:] == texts
    out = np.empty(len(texts), dtype=np.int32)
    missing = kernel.utf8(column.offsets, column.data, 0, out, utf8_spec(GIST, dim))
    assert missing == int((out < 0).sum())
    for value, got in zip(texts, out.tolist(), strict=True):
        want = expected_cell(GIST, dim, value)
        assert got == (-1 if want is None else want), value


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


@pytest.mark.slow
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
    column = arrow_text(pa.array(texts, type=pa.string()))
    assert column is not None
    out = np.empty(len(texts), dtype=np.int32)
    kernel.utf8(column.offsets, column.data, 0, out, utf8_spec(rs, dim))
    for value, got in zip(texts, out.tolist(), strict=True):
        want = expected_cell(rs, dim, value)
        assert got == (-1 if want is None else want), value


def test_a_slot_shared_with_a_text_of_another_length_is_no_match() -> None:
    """Every slot pointing at one allowed text: only that text, at its length, matches."""
    pa = pytest.importorskip("pyarrow")
    rs = gistpath.loads(AAA_FILE, name="repeated.gprules")
    dim = dims(rs)[0]
    spec = utf8_spec(rs, dim)
    texts = sorted(lookup_spec(rs, dim).table, key=len)
    for j, text in enumerate(texts):
        if len(text) > 16:
            continue
        every = np.full(4096, j, dtype=np.int32).tobytes()
        rows = ["a" * k for k in range(1, 21)]
        column = arrow_text(pa.array(rows, type=pa.string()))
        assert column is not None
        out = np.empty(len(rows), dtype=np.int32)
        kernel.utf8(column.offsets, column.data, 0, out, spec._replace(slots=every))
        for row, got in zip(rows, out.tolist(), strict=True):
            if len(row) <= 16:  # longer rows take the comparison by length
                assert (got >= 0) == (row == text), (text, row, got)


def test_buffers_in_the_other_byte_order_are_declined_and_decided_by_numpy() -> None:
    dim = next(d for d in dims(GIST) if d.name == "size_cm")
    foreign = ">f8" if np.little_endian else "<f8"
    values = np.array([1.5, 4.0, 12.0], dtype=foreign)
    out = np.empty(3, dtype=np.int32)
    assert kernel.numbers(values, 0, out, number_spec(GIST, dim)) == kernel.NOT_READ
    rows = gist_rows(3)
    columns = {n: [r[n] for r in rows] for n in GIST.inputs}
    columns["size_cm"] = np.array(columns["size_cm"], dtype=foreign)
    with_floats = [{**r, "size_cm": float(r["size_cm"])} for r in rows]  # type: ignore[arg-type]
    expected = [GIST.evaluate(r).pathway for r in with_floats]
    assert list(evaluate_batch(GIST, columns)) == expected


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


@pytest.mark.slow
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


def word_slot(text: bytes, salt: int) -> int:
    """The look-up slot of an ASCII text of up to 24 characters."""
    words = hashes.ascii_words(text.decode("ascii"))
    assert words is not None
    return hashes.word_slot(words, len(text), salt)


@pytest.mark.slow
@pytest.mark.skipif(sys.byteorder != "little", reason="the words are little-endian here")
def test_a_text_in_the_slot_of_a_choice_is_no_match_unless_it_is_the_choice() -> None:
    # Only the words confirm a match: a text that hashes to a choice's slot but differs
    # from it in any one of its words must not take the choice's cell.
    dim = next(d for d in dims(LENGTHS) if d.name == "word")
    keys = [str(v).encode() for v in dim.values if len(str(v)) <= 24]
    for salt in hashes.WORD_SALTS:  # the first under which the keys' slots differ
        taken = [word_slot(k, salt) for k in keys]
        if len(set(taken)) == len(taken):
            break
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
                if bytes(text) != key and word_slot(bytes(text), salt) == slot:
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
                job = compiled.object_job(planned(rs, dim), source)
                assert job is not None
                out = np.full(len(values) - start, 7, dtype=np.int32)
                jobs.append((job[0], source, start, out, job[1]))
                alone = np.empty(len(values) - start, dtype=np.int32)
                function = kernel.lookup if job[0] == kernel.JOB_LOOKUP else kernel.numbers
                want.append((function(source, start, alone, job[1]), alone))
    left = kernel.objects(jobs, threads)
    for job, (missing, alone), got in zip(jobs, want, left, strict=True):
        assert got == missing
        assert job[3].tolist() == alone.tolist()


def test_objects_refuses_what_it_cannot_read() -> None:
    dim = next(d for d in dims(GIST) if d.name == "site")
    spec = lookup_spec(GIST, dim)
    out = np.empty(2, dtype=np.int32)
    with pytest.raises(TypeError, match="source"):
        kernel.objects([(kernel.JOB_LOOKUP, np.array(["stomach", "colon"]), 0, out, spec)], 1)
    with pytest.raises(TypeError, match="tuple"):
        kernel.objects([[kernel.JOB_LOOKUP, ["stomach"], 0, out, spec]], 1)
    with pytest.raises(ValueError, match="outside the source"):
        kernel.objects([(kernel.JOB_LOOKUP, ["stomach", "colon"], 1, out, spec)], 2)
    with pytest.raises(ValueError, match="threads"):
        kernel.objects([], 0)
    with pytest.raises(TypeError):
        kernel.objects([(kernel.JOB_NUMBERS, [1.0, 2.0], 0, out, "not a spec")], 2)
    assert kernel.objects([], 2) == []


# An object array holding NULL pointers, which numpy treats as None everywhere (printing,
# item access, tolist). np.asarray((ctypes.py_object * n)()) makes the same array.
NULL_COLUMN = textwrap.dedent(
    """
    import numpy as np, gistpath
    from gistpath.batch import evaluate_batch
    from samples import gist_state
    rs = gistpath.load_builtin("gist")
    column = np.ndarray((2,), dtype=object, buffer=bytearray(16))  # two NULL items
    assert column.tolist() == [None, None]
    columns = {{name: [value] * 2 for name, value in gist_state().items()}}
    columns[{field!r}] = column
    result = evaluate_batch(rs, columns, errors="collect")
    assert sorted(result.errors) == [0, 1], result.errors
    print("ok")
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("field", ["size_cm", "site"])  # numbers() and lookup()
def test_object_array_holding_null_items_is_refused_not_a_crash(field: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", NULL_COLUMN.format(field=field)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=TESTS,
        env={**os.environ, "PYTHONPATH": TESTS},
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.strip() == "ok"


def test_tables_that_do_not_fit_together_raise_instead_of_reading_out_of_bounds() -> None:
    out = np.empty(1, dtype=np.int32)
    lut = np.full(4, -1, dtype=np.int32).tobytes()
    with pytest.raises(ValueError, match="text tables"):
        kernel.text(b"", 0, out[:0], (2**62, b"", b"", 0, 0, lut))
    dim = GIST.compiled.space.dimensions[4]
    good = utf8_spec(GIST, dim)
    allowed, bounds, by_length, cells_of, heads, slots, salt = good
    offsets = np.array([0, 7], dtype=np.int32)
    data = np.frombuffer(b"stomach", dtype=np.uint8)
    assert kernel.utf8(offsets, data, 0, out, good) == 0
    bad_slots = np.full(4096, 99, dtype=np.int32).tobytes()
    bad_lengths = np.full(len(by_length) // 4, 99, dtype=np.int32).tobytes()
    for broken in (
        (allowed[:-1], bounds, by_length, cells_of, heads, slots, salt),
        (allowed, bounds[:-8], by_length, cells_of, heads, slots, salt),
        (allowed, bounds, bad_lengths, cells_of, heads, slots, salt),
        (allowed, bounds, by_length, cells_of, heads[:8], slots, salt),
        (allowed, bounds, by_length, cells_of, heads, bad_slots, salt),
    ):
        with pytest.raises(ValueError, match="text tables"):
            kernel.utf8(offsets, data, 0, out, broken)


def test_a_lookup_table_holding_other_values_is_no_match() -> None:
    table = {f"t{i}": i for i in range(100)}  # more than the small table takes
    table["odd"] = "not a cell"  # type: ignore[assignment]
    out = np.empty(2, dtype=np.int32)
    assert kernel.lookup(["odd", "t5"], 0, out, (table, -1, -1)) == 1
    assert out.tolist() == [-1, 5]


def _run(code: str, timeout: float) -> subprocess.CompletedProcess[str] | None:
    """Run code in a fresh interpreter; None when it did not finish in time."""
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=TESTS,
        )
    except subprocess.TimeoutExpired:
        return None


# Two choice names (valid NAME tokens) whose three words give the same 64-bit value before
# the salt: w0*C0 ^ w1*C1 ^ w2*C2 ^ length (found with a generalized birthday search). The
# salt is XORed into that value, so every salt puts both in one slot, and str_table_build's
# `for (salt = 0;; ...)` never ends, holding the GIL (not even Ctrl-C stops it).
COLLIDING = ("Reeh5URaOrr0J2w8zzzzzzzz", "NvvTeEyb30FahZ5Szzzzzzzz")


def test_choices_whose_words_collide_do_not_hang_evaluate_many() -> None:
    a, b = COLLIDING
    done = _run(
        f"""
        import gistpath
        rs = gistpath.loads(
            'ruleset pair "Two choices"\\n'
            'source s "S"\\n'
            'input word "A word": choice {a}, {b}\\n'
            'pathway p "P"\\n    summary "p"\\n    cites s "x"\\n'
            'pathway q "Q"\\n    summary "q"\\n    cites s "x"\\n'
            'rule one -> p: word is {a}\\n'
            'rule other -> q: otherwise\\n'
        )
        print(list(rs.evaluate_many({{"word": [{a!r}, {b!r}]}}).pathways))
        """,
        timeout=20,
    )
    assert done is not None, "evaluate_many did not finish (str_table_build loops forever)"
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['p',", "'q']"]


def test_objects_survives_a_list_emptied_while_its_job_is_parsed() -> None:
    done = _run(
        """
        import numpy as np
        from gistpath import _kernel
        N = 8_000_000  # 64 MB of item pointers: unmapped when the list is emptied
        column = [1.5] * N
        class Low:
            def __float__(self):
                column.clear()
                return 0.0
        out = np.empty(N, dtype=np.int32)
        ts = np.array([1.0]).tobytes()
        job = (0, column, 0, out, (ts, b"\\x01\\x01\\x01", Low(), 0.0, False, None, -1))
        try:
            _kernel.objects([job], 1)
        except ValueError:
            pass  # refusing the rows that are gone is fine; reading them is not
        print("ok")
        """,
        timeout=120,
    )
    assert done is not None
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert done.stdout.strip() == "ok"


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="built on 3.11's object layouts")
def test_numbers_with_an_unknown_that_is_no_str_matches_nothing() -> None:
    # An int of 12 digits read as a str (3.11: state at offset 32 = digit 2, length at 16 =
    # the digit count, text at 48 = digits 6..8) is a compact ASCII text "abc1abc2abc3".
    digits = [0] * 12
    digits[2] = 0x60  # compact, ascii
    text = b"abc1abc2abc3"
    for i in range(3):
        digits[6 + i] = int.from_bytes(text[4 * i : 4 * i + 4], "little")
    digits[-1] |= 1
    unknown = sum(d << (30 * i) for i, d in enumerate(digits))
    out = np.full(1, 7, dtype=np.int32)
    ts = np.array([1.0]).tobytes()
    try:
        spec = (ts, b"\x01\x01\x01", -math.inf, math.inf, False, unknown, 2)
        kernel.numbers([text.decode()], 0, out, spec)
    except TypeError:
        return  # refusing such an `unknown`, as objects() does, is fine too
    assert out.tolist() == [-1]  # not unknown's cell: the text is not `unknown`


def test_the_built_kernel_speaks_this_binding_s_abi_and_outcomes() -> None:
    assert kernel.ABI_VERSION == binding.ABI_VERSION
    assert binding.stale(kernel) is None
    assert (kernel.NO_CELL, kernel.NOT_READ) == (binding.NO_CELL, binding.NOT_READ)
    assert (kernel.JOB_NUMBERS, kernel.JOB_LOOKUP) == (binding.JOB_NUMBERS, binding.JOB_LOOKUP)


@pytest.mark.parametrize(
    "constants",
    [
        {"ABI_VERSION": binding.ABI_VERSION - 1},  # a build from older sources
        {},  # from before the kernel had a version at all
        {"ABI_VERSION": binding.ABI_VERSION, "NOT_READ": -7},  # a version not bumped
    ],
)
def test_a_stale_kernel_is_refused_with_a_warning_and_numpy_decides(
    constants: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = types.ModuleType("gistpath._kernel")
    for name in ("NO_CELL", "NOT_READ", "JOB_NUMBERS", "JOB_LOOKUP"):
        setattr(stale, name, getattr(kernel, name))
    for name, value in constants.items():
        setattr(stale, name, value)
    stale.numbers = stale.lookup = stale.fold = None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gistpath._kernel", stale)
    monkeypatch.setattr(binding, "_loaded", None)
    with pytest.warns(RuntimeWarning, match=r"pip install -e \.") as caught:
        assert binding.kernel() is None
    message = str(caught[0].message)
    assert "numpy" in message
    if "ABI_VERSION" in constants and "NOT_READ" not in constants:
        assert f"kernel ABI {binding.ABI_VERSION - 1}" in message
    assert binding.kernel() is None  # refused once, for the whole process
    rows = gist_rows(20)
    assert list(GIST.evaluate_many(rows)) == [GIST.evaluate(r).pathway for r in rows]

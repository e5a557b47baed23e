"""Bugs found reviewing the compiled kernel (gistpath._kernel) and its glue in vectorized.py,
each now fixed: NULL items in object arrays, numpy masked arrays, and tables that do not
fit together (the private functions must raise, never read out of bounds)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import gistpath
from gistpath import vectorized

from samples import gist_state

kernel = pytest.importorskip("gistpath._kernel")

GIST = gistpath.load_builtin("gist")

# An object array holding NULL pointers, which numpy treats as None everywhere (printing,
# item access, tolist). np.asarray((ctypes.py_object * n)()) makes the same array.
NULL_COLUMN = textwrap.dedent(
    """
    import numpy as np, gistpath
    from gistpath import vectorized
    from samples import gist_state
    rs = gistpath.load_builtin("gist")
    column = np.ndarray((2,), dtype=object, buffer=bytearray(16))  # two NULL items
    assert column.tolist() == [None, None]
    columns = {{name: [value] * 2 for name, value in gist_state().items()}}
    columns[{field!r}] = column
    result = vectorized.evaluate_batch(rs, columns, errors="collect")
    assert sorted(result.errors) == [0, 1], result.errors
    print("ok")
    """
)


@pytest.mark.parametrize("field", ["size_cm", "site"])  # numbers() and lookup()
def test_object_array_holding_null_items_is_refused_not_a_crash(field: str) -> None:
    tests_dir = str(Path(__file__).resolve().parent)
    done = subprocess.run(
        [sys.executable, "-c", NULL_COLUMN.format(field=field)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tests_dir,
        env={**os.environ, "PYTHONPATH": tests_dir},
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("size_cm", np.ma.masked_array([4.0, 4.0], mask=[True, False])),
        ("mitotic_rate", np.ma.masked_array([3, 3], mask=[True, False])),
        ("fit_for_surgery", np.ma.masked_array([True, True], mask=[True, False])),
        ("site", np.ma.masked_array(["stomach", "stomach"], mask=[True, False])),
    ],
)
def test_masked_values_are_refused_on_the_compiled_path(field: str, column: object) -> None:
    columns: dict[str, object] = {name: [value] * 2 for name, value in gist_state().items()}
    columns[field] = column
    # What a row holds: the masked constant, which the validator refuses.
    with pytest.raises(gistpath.StateError):
        GIST.evaluate({**gist_state(), field: column[0]})  # type: ignore[index]
    assert vectorized._compiled() is not None
    result = vectorized.evaluate_batch(GIST, columns, errors="collect")
    assert sorted(result.errors) == [0], (list(result), result.errors)


def test_masked_arrays_without_a_masked_entry_are_read_as_their_data() -> None:
    columns: dict[str, object] = {name: [value] * 2 for name, value in gist_state().items()}
    columns["size_cm"] = np.ma.masked_array([4.0, 4.0], mask=[False, False])
    expected = GIST.evaluate(gist_state()).pathway
    assert list(vectorized.evaluate_batch(GIST, columns)) == [expected, expected]


def test_tables_that_do_not_fit_together_raise() -> None:
    out = np.empty(1, dtype=np.int32)
    lut = np.full(4, -1, dtype=np.int32).tobytes()
    with pytest.raises(ValueError, match="text tables"):
        kernel.text(b"", 2**62, 0, out[:0], b"", b"", 0, 0, lut)
    dim = GIST.compiled.space.dimensions[4]
    allowed, bounds, by_length, cells_of, heads, slots, salt = vectorized._utf8_spec(GIST, dim)
    offsets = np.array([0, 7], dtype=np.int32)
    data = np.frombuffer(b"stomach", dtype=np.uint8)
    good = (allowed, bounds, by_length, cells_of, heads, slots, salt)
    assert kernel.utf8(offsets, data, 0, out, *good) == 0
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
            kernel.utf8(offsets, data, 0, out, *broken)


def test_a_lookup_table_holding_other_values_is_no_match() -> None:
    table = {f"t{i}": i for i in range(100)}  # more than the small table takes
    table["odd"] = "not a cell"  # type: ignore[assignment]
    out = np.empty(2, dtype=np.int32)
    assert kernel.lookup(["odd", "t5"], 0, out, table, -1, -1) == 1
    assert out.tolist() == [-1, 5]

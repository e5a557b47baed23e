"""Bugs found reviewing the compiled kernel (gistpath._kernel) and its glue in vectorized.py.

Each test is marked xfail(strict=True) until the bug is fixed: it then passes and the strict
marker makes the suite fail, as a reminder to drop the marker.
"""

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


@pytest.mark.xfail(
    strict=True,
    reason="_kernel.c number_item/lookup_item dereference NULL items of an object array "
    "(numpy treats NULL as None): the process dies with SIGSEGV",
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


@pytest.mark.xfail(
    strict=True,
    reason="_reader hands a numpy.ma.MaskedArray's raw buffer to the C loops, which read "
    "the values under the mask; the numpy path and evaluate refuse a masked value",
)
@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("size_cm", np.ma.masked_array([4.0, 4.0], mask=[True, False])),
        ("mitotic_rate", np.ma.masked_array([3, 3], mask=[True, False])),
        ("fit_for_surgery", np.ma.masked_array([True, True], mask=[True, False])),
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

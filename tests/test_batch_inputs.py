"""gistpath.batch.inputs: what a batch is handed in, as one column per input.

Shapes of whole batches (rows, columns, frames) are also covered by test_batch_evaluate.py
and test_batch_frames.py; here, the columns that need a closer look: numpy masked arrays
(a masked entry is a missing value, refused as the field's value) and arrays of the wrong
shape. Every test runs on both batch paths (the ``batch_path`` fixture).
"""

from __future__ import annotations

import numpy as np
import pytest

import gistpath
from gistpath.batch import evaluate_batch

from samples import WALK_FILE, gist_state, walk_columns

pytestmark = pytest.mark.usefixtures("batch_path")  # C loops and numpy alone

GIST = gistpath.load_builtin("gist")
WALK = gistpath.load(WALK_FILE)


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("size_cm", np.ma.masked_array([4.0, 4.0], mask=[True, False])),
        ("mitotic_rate", np.ma.masked_array([3, 3], mask=[True, False])),
        ("fit_for_surgery", np.ma.masked_array([True, True], mask=[True, False])),
        ("site", np.ma.masked_array(["stomach", "stomach"], mask=[True, False])),
    ],
)
def test_masked_values_are_refused_on_both_paths(field: str, column: object) -> None:
    columns: dict[str, object] = {name: [value] * 2 for name, value in gist_state().items()}
    columns[field] = column
    # What a row holds: the masked constant, which the validator refuses.
    with pytest.raises(gistpath.StateError):
        GIST.evaluate({**gist_state(), field: column[0]})  # type: ignore[index]
    result = evaluate_batch(GIST, columns, errors="collect")
    assert sorted(result.errors) == [0], (list(result), result.errors)


def test_masked_arrays_without_a_masked_entry_are_read_as_their_data() -> None:
    columns: dict[str, object] = {name: [value] * 2 for name, value in gist_state().items()}
    columns["size_cm"] = np.ma.masked_array([4.0, 4.0], mask=[False, False])
    expected = GIST.evaluate(gist_state()).pathway
    assert list(evaluate_batch(GIST, columns)) == [expected, expected]


def test_two_dimensional_masked_array_is_not_a_column() -> None:
    column = np.ma.masked_array(np.array([["clear"] * 2] * 2), mask=[[True, False]] * 2)
    with pytest.raises(gistpath.StateError, match="not a column"):
        WALK.evaluate_many(walk_columns(2, sky=column), errors="collect")

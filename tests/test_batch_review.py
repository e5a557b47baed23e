"""Bugs found reviewing the batch path (vectorized.py, 881359d..e5153f5), one test each,
each now fixed: results that pickle and copy, boolean bytes other than 0 and 1, the same
error text on both paths, and 2-d masked arrays refused as columns."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import gistpath
from gistpath import vectorized

from samples import WALK_FILE

WALK = gistpath.load(WALK_FILE)
ROW = {
    "sky": "clear",
    "temperature_c": 20.0,
    "wind_kmh": 5,
    "rain_chance": 10,
    "distance_km": 30,
    "has_car": True,
    "child_along": False,
}


def _columns(n: int, **given: object) -> dict[str, object]:
    columns: dict[str, object] = {name: [ROW[name]] * n for name in WALK.inputs}
    columns.update(given)
    return columns


def test_batch_result_pickles_and_copies() -> None:
    result = WALK.evaluate_many([ROW], considerations=True)
    assert pickle.loads(pickle.dumps(result)) == result
    assert copy.copy(result) == result
    assert copy.deepcopy(result) == result


def test_bool_column_with_bytes_other_than_0_and_1() -> None:
    pytest.importorskip("gistpath._kernel")
    column = np.array([1, 2, 0], dtype=np.uint8).view(bool)  # True, True, False to numpy
    expected = [WALK.evaluate(dict(ROW, has_car=v)).pathway for v in column.tolist()]
    result = WALK.evaluate_many(_columns(3, has_car=column), errors="collect")
    assert list(result) == expected


def test_error_text_of_a_float_column_for_an_integer_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("gistpath._kernel")

    def text(n: int) -> str:
        columns = _columns(n, rain_chance=np.full(n, 3.5))
        return str(WALK.evaluate_many(columns, errors="collect").errors[0])

    few, many = text(3), text(vectorized._FIXUPS + 10)
    with monkeypatch.context() as m:
        m.setattr(vectorized, "USE_COMPILED", False)
        numpy_only = text(3)
    assert few == many == numpy_only


def test_two_dimensional_masked_array_is_not_a_column() -> None:
    column = np.ma.masked_array(np.array([["clear"] * 2] * 2), mask=[[True, False]] * 2)
    with pytest.raises(gistpath.StateError, match="not a column"):
        WALK.evaluate_many(_columns(2, sky=column), errors="collect")

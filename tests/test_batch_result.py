"""gistpath.batch.result: a batch's pathways as codes, ids built on first use, immutable,
pickled and copied as what it was made from."""

from __future__ import annotations

import copy
import pickle

import pytest

import gistpath

from samples import WALK_FILE, walk_state

WALK = gistpath.load(WALK_FILE)


def test_codes_index_the_pathway_ids_and_the_ids_are_built_from_them() -> None:
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


def test_a_result_pickles_and_copies_as_an_equal_result() -> None:
    result = WALK.evaluate_many([walk_state()], considerations=True)
    assert pickle.loads(pickle.dumps(result)) == result
    assert copy.copy(result) == result
    assert copy.deepcopy(result) == result

"""gistpath.errors: the error classes themselves (their messages are on docs/errors.rst,
checked by test_errors_doc.py)."""

from __future__ import annotations

import pickle

import gistpath


def test_a_state_error_of_one_problem_pickles_whole() -> None:
    error = gistpath.StateError("size_cm", -1, "a number > 0", reason="out of range")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is gistpath.StateError
    assert (again.field, again.value, again.expected, again.reason) == (
        "size_cm",
        -1,
        "a number > 0",
        "out of range",
    )
    assert again.problems == (again,)
    assert str(again) == str(error)


def test_a_state_error_of_several_problems_pickles_every_problem() -> None:
    rs = gistpath.load_builtin("gist")
    try:
        rs.evaluate({"presentation": "nowhere", "size_cm": "big"})
    except gistpath.StateError as caught:
        error = caught
    else:  # pragma: no cover - the state is wrong in many fields
        raise AssertionError("the state was accepted")
    assert len(error.problems) > 2
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error)
    assert [p.line() for p in again.problems] == [p.line() for p in error.problems]
    assert (again.field, again.value) == (error.field, error.value)

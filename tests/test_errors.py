"""gistpath.errors: the error classes themselves (their messages are on docs/errors.rst,
checked by test_errors_doc.py)."""

from __future__ import annotations

import pickle
from collections.abc import Callable

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


def _raised(action: Callable[[], object]) -> gistpath.GistpathError:
    try:
        action()
    except gistpath.GistpathError as error:
        return error
    raise AssertionError("no error was raised")  # pragma: no cover


def _errors() -> list[gistpath.GistpathError]:
    """One error of each class, raised by gistpath as a user meets it where it can be."""
    from gistpath.dmn import DmnError, read_bytes
    from gistpath.errors import Diagnostic

    from samples import FIXTURES, WALK_FILE, walk_state

    walk = gistpath.load(WALK_FILE)
    return [
        _raised(lambda: gistpath.load(FIXTURES / "no_such_file.gprules")),
        _raised(lambda: gistpath.load(FIXTURES / "syntax_errors.gprules")),
        _raised(lambda: gistpath.load(FIXTURES / "undefined_names.gprules")),
        _raised(lambda: gistpath.load(FIXTURES / "gap.gprules")),
        _raised(lambda: walk.evaluate({**walk_state(), "sky": 3})),
        _raised(lambda: walk.evaluate_many([walk_state(), {**walk_state(), "sky": 3}])),
        _raised(lambda: read_bytes(b"<definitions/>", "model.dmn")),
        DmnError("no table", filename="model.dmn", line=3, element_id="d1"),
        gistpath.ExampleError([Diagnostic("expected walk, got stay", 4, 1, "x.gprules")]),
        gistpath.EvaluationError("no rule holds"),
    ]


def test_every_error_class_pickles_whole() -> None:
    """A worker process's error reaches its caller as it was: class, message, attributes."""
    errors = _errors()
    kinds = {type(e).__name__ for e in errors}
    assert {"ReadError", "RuleSyntaxError", "RuleSemanticError", "VerificationError",
            "StateError", "BatchError", "DmnError", "ExampleError"} <= kinds  # fmt: skip
    for error in errors:
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert str(again) == str(error)
        assert again.args == error.args
        shown = {k: repr(v) for k, v in vars(error).items() if k not in ("result", "problems")}
        assert {k: repr(v) for k, v in vars(again).items() if k in shown} == shown
        if isinstance(error, gistpath.StateError):
            assert [str(p) for p in again.problems] == [str(p) for p in error.problems]

"""RuleSet as a user meets it: the public API of the spec, section 1 (Decision: test_decision)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import gistpath

from samples import WALK_FILE, walk_state

WALK_TEXT = WALK_FILE.read_text(encoding="utf-8")

ROOT = Path(__file__).resolve().parents[1]
WALK = ROOT / "docs" / "examples" / "walk.gprules"

SUNNY = walk_state()


@pytest.fixture(scope="module")
def walk() -> gistpath.RuleSet:
    return gistpath.load(WALK)


def test_public_names_are_exported() -> None:
    for name in (
        "load",
        "loads",
        "load_builtin",
        "builtin_path",
        "RuleSet",
        "Decision",
        "GistpathError",
        "RuleSyntaxError",
        "RuleSemanticError",
        "StateError",
        "VerificationError",
    ):
        assert hasattr(gistpath, name), name
        assert name in gistpath.__all__
    assert issubclass(gistpath.RuleSyntaxError, gistpath.GistpathError)
    assert issubclass(gistpath.RuleSemanticError, gistpath.GistpathError)
    assert issubclass(gistpath.StateError, gistpath.GistpathError)
    assert issubclass(gistpath.VerificationError, gistpath.GistpathError)


def test_load_accepts_a_path_or_a_string(walk: gistpath.RuleSet) -> None:
    assert gistpath.load(str(WALK)).name == walk.name == "walk"
    text = WALK.read_text(encoding="utf-8")
    assert gistpath.loads(text, name="walk.gprules").pathways.keys() == walk.pathways.keys()


# explain() is tested in test_explain.py.


def test_pathways_and_inputs_are_read_only_mappings(walk: gistpath.RuleSet) -> None:
    assert set(walk.pathways) == {
        "stay_home",
        "drive_instead",
        "walk_light",
        "walk_with_umbrella",
        "walk_waterproofs",
    }
    pathway = walk.pathways["walk_light"]
    assert pathway.title == "Walk with light kit"
    assert pathway.summary
    assert pathway.citations[0].source.name == "handbook"
    assert pathway.citations[0].section == "Kit list"
    assert walk.inputs["wind_kmh"].domain.unit == "km_per_h"
    with pytest.raises(TypeError):
        walk.pathways["x"] = pathway  # type: ignore[index]


def test_a_ruleset_cannot_be_changed(walk: gistpath.RuleSet) -> None:
    with pytest.raises(AttributeError):
        walk._model = None  # type: ignore[assignment]
    with pytest.raises(AttributeError):
        walk.anything = 1  # type: ignore[attr-defined]


def test_evaluate_does_not_touch_the_state(walk: gistpath.RuleSet) -> None:
    state = dict(SUNNY)
    walk.evaluate(state)
    assert state == SUNNY


def test_threads_share_a_ruleset(walk: gistpath.RuleSet) -> None:
    states = [
        {**SUNNY, "wind_kmh": float(w), "distance_km": float(d), "has_car": car}
        for w in (0, 19, 20, 61, 62, 90)
        for d in (1, 10, 11, 50)
        for car in (False, True)
    ]
    expected = [walk.evaluate(s).pathway for s in states]
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                results.append([walk.evaluate(s).pathway for s in states])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 160
    assert all(r == expected for r in results)


def test_verify_report_is_cached_and_ok(walk: gistpath.RuleSet) -> None:
    report = walk.verify()
    assert report.ok
    assert report is walk.verify()
    assert report.gaps == report.overlaps == report.dead_rules == ()
    assert report.pieces > 0


def test_load_builtin_and_builtin_path() -> None:
    path = gistpath.builtin_path("gist")
    assert path.name == "gist.gprules"
    assert path.is_file()
    assert "gist" in gistpath.builtin_names()
    with pytest.raises(gistpath.GistpathError, match="no bundled rule set named 'nope'"):
        gistpath.builtin_path("nope")


def test_missing_file_is_a_gistpath_error(tmp_path: Path) -> None:
    with pytest.raises(gistpath.GistpathError, match="cannot read rule file"):
        gistpath.load(tmp_path / "absent.gprules")


def test_invalid_utf8_is_a_located_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.gprules"
    path.write_bytes(b'source s "S"\ninput x "caf\xe9": boolean\n')
    with pytest.raises(gistpath.RuleSyntaxError) as caught:
        gistpath.load(path)
    assert (caught.value.line, caught.value.column) == (2, 13)
    assert "not valid UTF-8" in str(caught.value)


def test_evaluation_error_only_for_drafts() -> None:
    text = (
        'source s "S"\ninput n: integer >= 0 and <= 10\n'
        'pathway p "P"\n    summary "s"\n    cites s "x"\n'
        "rule low -> p: n < 5\nrule high -> p: n > 5\n"
    )
    with pytest.raises(gistpath.VerificationError, match="gap"):
        gistpath.loads(text)
    with pytest.warns(gistpath.VerificationWarning):
        draft = gistpath.loads(text, draft=True)
    assert draft.evaluate({"n": 4}).rule == "low"
    with pytest.raises(gistpath.EvaluationError, match="no rule matches"):
        draft.evaluate({"n": 5})
    with pytest.raises(gistpath.EvaluationError):
        draft.evaluate_reference({"n": 5})


def test_a_rule_set_without_inputs() -> None:
    rs = gistpath.loads(
        'source s "S"\npathway p "P"\n    summary "s"\n    cites s "x"\nrule r -> p: otherwise\n'
    )
    assert rs.evaluate({}).pathway == "p"
    assert list(rs.evaluate_many([{}, {}])) == ["p", "p"]
    with pytest.raises(gistpath.StateError, match="unknown field"):
        rs.evaluate({"x": 1})


def test_a_file_without_rules_is_refused() -> None:
    with pytest.raises(gistpath.RuleSemanticError, match="the file has no rules"):
        gistpath.loads("# nothing here yet\n")


def test_unpickling_leaves_the_warning_filters_alone() -> None:
    import pickle
    import warnings

    text = WALK_TEXT.replace("rule short_wet -> walk_waterproofs: rain_outlook is wet", "")
    with pytest.warns(gistpath.VerificationWarning):
        draft = gistpath.loads(text, name="draft.gprules", draft=True)
    data = pickle.dumps(draft)
    before = list(warnings.filters)

    def work() -> None:
        for _ in range(5):
            copy = pickle.loads(data)
            assert not copy.verify().ok

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(warnings.filters) == before


def test_a_rule_set_never_verified_pickles_as_what_it_is() -> None:
    """Pickling asks the rule set itself whether it verifies, not a cached report."""
    import pickle

    from gistpath.loader import build

    text = WALK_TEXT.replace("rule short_wet -> walk_waterproofs: rain_outlook is wet", "")
    unverified = build(text, "draft.gprules")
    copy = pickle.loads(pickle.dumps(unverified))
    assert not copy.verify().ok


def test_a_ruleset_pickles_as_its_text_and_without_the_loader_says_why_not(
    walk: gistpath.RuleSet,
) -> None:
    import copyreg
    import pickle

    from gistpath.ruleset import RuleSet

    copy = pickle.loads(pickle.dumps(walk))
    assert copy.text == walk.text
    assert copy.evaluate(SUNNY) == walk.evaluate(SUNNY)
    # gistpath.loader registers the reduction with copyreg; without it, a clear refusal
    saved = copyreg.dispatch_table.pop(RuleSet)
    try:
        with pytest.raises(TypeError, match=r"import gistpath\.loader"):
            pickle.dumps(walk)
    finally:
        copyreg.dispatch_table[RuleSet] = saved

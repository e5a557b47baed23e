"""RuleSet.evaluate_partial(): decisions from incomplete states, against every completion.

For a random valid state of a random small rule file with some inputs left out, every
completion (one representative per valid cell of each missing input) is decided by the
reference interpreter, which shares nothing with the regions the partial decision is read
from. The pathways reached, the example completions, and, for each missing input and each
of its cells, the pathways left once that input is known, must be exactly what the
completions give; the questions must be ranked by the pathways they leave.
"""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath.cli import main

from strategies import build_ruleset, rule_files, states

MAX_COMPLETIONS = 4_000
FILTERING = settings(
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    deadline=None,
)


def decided(rs: gistpath.RuleSet, state: dict[str, object]) -> str | None:
    try:
        return rs.evaluate_reference(state).pathway
    except (gistpath.StateError, gistpath.EvaluationError):
        return None


def completions(
    rs: gistpath.RuleSet, partial: dict[str, object]
) -> list[tuple[dict[str, object], str]]:
    dims = [d for d in rs.compiled.space.dimensions[:-1] if d.name not in partial]
    options = [
        [(d.name, d.representative(c)) for c in range(d.size) if d.valid >> c & 1] for d in dims
    ]
    out = []
    for combo in itertools.product(*options):
        state = {**partial, **dict(combo)}
        state = {name: state[name] for name in rs.inputs}
        pathway = decided(rs, state)
        if pathway is not None:
            out.append((state, pathway))
    return out


def check_partial(rs: gistpath.RuleSet, partial: dict[str, object]) -> None:
    truth = completions(rs, partial)
    if not truth:
        with pytest.raises(gistpath.StateError):
            rs.evaluate_partial(partial)
        return
    result = rs.evaluate_partial(partial)
    assert result.pathways == {p for _, p in truth}
    assert set(result.examples) == set(result.pathways)
    for pathway, example in result.examples.items():
        assert decided(rs, dict(example)) == pathway
        assert {k: example[k] for k in partial} == partial
    assert result.decided == (len(result.pathways) == 1)
    assert result.pathway == (next(iter(result.pathways)) if result.decided else None)
    missing = [name for name in rs.inputs if name not in partial]
    assert set(result.missing) == set(missing)
    assert {q.field for q in result.questions} == set(missing)
    keys = [(q.worst, q.mean) for q in result.questions]
    assert keys == sorted(keys)
    for question in result.questions:
        dim = next(d for d in rs.compiled.space.dimensions if d.name == question.field)
        assert question.worst == max(len(a.pathways) for a in question.answers)
        for cell in range(dim.size):
            if not dim.valid >> cell & 1:
                continue
            value = dim.representative(cell)
            left = {p for s, p in truth if s[question.field] == value}
            holders = [a for a in question.answers if a.contains(value)]
            if not left:
                assert holders == [], (question.field, value)
            else:
                assert len(holders) == 1, (question.field, value, question)
                assert holders[0].pathways == left, (question.field, value)


@pytest.mark.slow
@settings(FILTERING, max_examples=150)
@given(st.data(), rule_files(complete=True))
def test_partial_matches_every_completion(data: st.DataObject, text: str) -> None:
    rs = build_ruleset(text)
    full = data.draw(states(rs))
    names = list(rs.inputs)
    dropped = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    partial = {k: v for k, v in full.items() if k not in dropped}
    size = 1
    for dim in rs.compiled.space.dimensions[:-1]:
        if dim.name in dropped:
            size *= bin(dim.valid).count("1")
    assume(size <= MAX_COMPLETIONS)
    check_partial(rs, partial)


@pytest.mark.slow
@settings(FILTERING, max_examples=60)
@given(st.data(), rule_files())
def test_partial_matches_every_completion_drafts(data: st.DataObject, text: str) -> None:
    rs = build_ruleset(text)
    full = data.draw(states(rs))
    names = list(rs.inputs)
    dropped = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    partial = {k: v for k, v in full.items() if k not in dropped}
    size = 1
    for dim in rs.compiled.space.dimensions[:-1]:
        if dim.name in dropped:
            size *= bin(dim.valid).count("1")
    assume(size <= MAX_COMPLETIONS)
    check_partial(rs, partial)


SMALL_GASTRIC = {
    "presentation": "localized",
    "resectability": "resectable",
    "fit_for_surgery": True,
    "size_cm": 1.5,
    "site": "stomach",
    "tumor_rupture": False,
    "symptomatic": False,
    "diagnosis_confirmed": True,
    "current_therapy": "none",
    "response": "not_applicable",
    "distant_sites": 0,
    "liver_metastases": False,
    "painful_bone_metastases": False,
}


def test_gist_small_gastric_tumour_without_mitoses_or_mutation() -> None:
    rs = gistpath.load_builtin("gist")
    result = rs.evaluate_partial(SMALL_GASTRIC)
    assert not result.decided
    assert result.pathway is None
    assert "surveillance" in result.pathways
    assert len(result.pathways) >= 2
    assert set(result.missing) == {"mitotic_rate", "mutation"}
    assert result.questions[0].field == "mitotic_rate"
    (quiet,) = [a for a in result.questions[0].answers if a.contains(3)]
    assert quiet.pathways == {"surveillance"}
    with pytest.raises(gistpath.StateError):
        quiet.contains("3")  # validated as evaluate validates it
    for pathway, example in result.examples.items():
        assert rs.evaluate(dict(example)).pathway == pathway
    # with the count and the mutation known, it is decided
    full = rs.evaluate_partial({**SMALL_GASTRIC, "mitotic_rate": 3, "mutation": "kit_exon11"})
    assert full.decided
    assert full.pathway == "surveillance"
    assert full.questions == ()


def test_bad_partial_states_raise_state_error() -> None:
    rs = gistpath.load_builtin("gist")
    with pytest.raises(gistpath.StateError) as info:
        rs.evaluate_partial({**SMALL_GASTRIC, "sizee_cm": 2})
    assert info.value.field == "sizee_cm"
    with pytest.raises(gistpath.StateError) as info:
        rs.evaluate_partial({**SMALL_GASTRIC, "size_cm": "2"})
    assert info.value.field == "size_cm"
    with pytest.raises(gistpath.StateError):
        rs.evaluate_partial({**SMALL_GASTRIC, "mitotic_rate": None})
    with pytest.raises(gistpath.StateError):
        rs.evaluate_partial([("size_cm", 2)])  # type: ignore[arg-type]
    # present values that every completion breaks a constraint with
    with pytest.raises(gistpath.StateError) as info:
        rs.evaluate_partial({"presentation": "localized", "distant_sites": 2})
    assert "constraint" in str(info.value) or info.value.field != "<state>"


def test_cli_explain_partial(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["explain", "gist", "--state", json.dumps(SMALL_GASTRIC), "--partial"])
    out = capsys.readouterr().out
    assert status == 0
    assert "Not decided yet" in out
    assert "mitotic_rate" in out
    status = main(["explain", "gist", "--state", json.dumps({"sizee": 1}), "--partial"])
    assert status == 1
    assert "unknown field" in capsys.readouterr().err

"""Decision.alternatives(): what one changed input would decide, against brute force.

For a random valid state of a random small rule file, every valid cell of every input is
tried through the reference interpreter (which shares nothing with the predicate tables the
alternatives are read from): each value giving another pathway or other considerations must
lie in exactly one alternative of that input with that outcome, each value giving the same
outcome in none, each value that breaks a constraint (or that a draft leaves undecided) in a
``left_out`` entry; the alternatives of a numeric input must be the maximal runs of cells
with one outcome, a choice's one per outcome; and each example must be decided as claimed.
"""

from __future__ import annotations

import itertools
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath.alternatives import Alternative
from gistpath.cli import main

from strategies import build_ruleset, rule_files, states

FILTERING = settings(
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    deadline=None,
)

JEJUNAL = {
    "presentation": "localized",
    "resectability": "resectable",
    "fit_for_surgery": True,
    "size_cm": 6.0,
    "site": "small_intestine",
    "mitotic_rate": 4,
    "tumor_rupture": False,
    "symptomatic": True,
    "diagnosis_confirmed": True,
    "mutation": "kit_exon11",
    "current_therapy": "none",
    "response": "not_applicable",
    "distant_sites": 0,
    "liver_metastases": False,
    "painful_bone_metastases": False,
}


def outcome(rs: gistpath.RuleSet, state: dict[str, object]) -> tuple[str, tuple[str, ...]] | None:
    """(pathway, considerations) from the reference interpreter, None when left out."""
    try:
        decided = rs.evaluate_reference(state)
    except (gistpath.StateError, gistpath.EvaluationError):
        return None
    return decided.pathway, decided.considerations


def check_alternatives(rs: gistpath.RuleSet, state: dict[str, object]) -> None:
    decision = rs.evaluate(state)
    current = (decision.pathway, decision.considerations)
    found = decision.alternatives()
    assert isinstance(found, tuple)
    for alternative in found:
        assert isinstance(alternative, Alternative)
        changed = {k for k in state if alternative.example[k] != state[k]}
        assert changed <= {alternative.field}
        assert outcome(rs, dict(alternative.example)) == (
            alternative.pathway,
            alternative.considerations,
        ), alternative
        assert (alternative.pathway, alternative.considerations) != current
        assert alternative.contains(alternative.example[alternative.field])
        assert alternative.field in str(alternative)
    for dim in rs.compiled.space.dimensions[:-1]:
        name = dim.name
        mine = [a for a in found if a.field == name]
        left = [item for item in found.left_out if item.field == name]
        per_cell: list[tuple[int, tuple[str, tuple[str, ...]] | None]] = []
        for cell in range(dim.size):
            if not dim.valid >> cell & 1:
                continue
            value = dim.representative(cell)
            result = outcome(rs, {**state, name: value})
            per_cell.append((cell, result))
            holders = [a for a in mine if a.contains(value)]
            left_holders = [item for item in left if item.contains(value)]
            if result is None:
                assert holders == [], (name, value)
                assert len(left_holders) == 1, (name, value, found.left_out)
            elif result == current:
                assert holders == [], (name, value, holders)
                assert left_holders == []
            else:
                assert len(holders) == 1, (name, value, mine)
                assert (holders[0].pathway, holders[0].considerations) == result
                assert left_holders == []
        # merged exactly: runs of neighbouring cells for numbers, one per outcome for choices
        changed_outcomes = [r for _, r in per_cell if r is not None and r != current]
        if dim.kind == "numeric":
            numbers = [
                (c, r) for c, r in per_cell if not (dim.allows_unknown and c == dim.unknown_cell)
            ]
            runs = [k for k, _ in itertools.groupby(r for _, r in numbers)]
            expected = sum(1 for r in runs if r is not None and r != current)
            if dim.allows_unknown:
                unknown = outcome(rs, {**state, name: "unknown"})
                expected += unknown is not None and unknown != current
            assert len(mine) == expected, (name, mine, per_cell)
        else:
            assert len(mine) == len(set(changed_outcomes)), (name, mine)


@settings(FILTERING, max_examples=150)
@given(st.data(), rule_files(complete=True))
def test_alternatives_match_brute_force(data: st.DataObject, text: str) -> None:
    rs = build_ruleset(text)
    state = data.draw(states(rs))
    try:
        rs.evaluate(state)
    except gistpath.EvaluationError:
        return  # a draft's undecided state has no decision to change
    check_alternatives(rs, state)


@pytest.mark.slow
@settings(FILTERING, max_examples=80)
@given(st.data(), rule_files())
def test_alternatives_match_brute_force_drafts(data: st.DataObject, text: str) -> None:
    rs = build_ruleset(text)
    state = data.draw(states(rs))
    try:
        rs.evaluate(state)
    except gistpath.EvaluationError:
        return
    check_alternatives(rs, state)


def test_gist_1_0_jejunal_tumour() -> None:
    """6 cm jejunal tumour, 4 mitoses: above 5 mitoses, above 10 cm or a rupture change
    the plan to three years of imatinib (GIST 1.0, where the AFIP risk alone decides)."""
    rs = gistpath.load_builtin("gist", version="1.0")
    state = {k: v for k, v in JEJUNAL.items() if k in rs.inputs}
    decision = rs.evaluate(state)
    assert decision.pathway == "resection_adjuvant_imatinib_1y"
    found = {str(a): a for a in decision.alternatives()}
    for text in ("mitotic_rate > 5", "size_cm > 10", "tumor_rupture is yes"):
        assert found[text].pathway == "resection_adjuvant_imatinib_3y", text
    mitoses = found["mitotic_rate > 5"]
    assert mitoses.field == "mitotic_rate"
    assert mitoses.contains(6)
    assert mitoses.contains(1000)
    assert not mitoses.contains(5)
    assert not mitoses.contains("unknown")
    assert mitoses.example == {**state, "mitotic_rate": 6}
    with pytest.raises(gistpath.StateError):
        mitoses.contains(5.5)
    assert found["size_cm <= 5"].pathway == "resection_alone"
    check_alternatives(rs, state)


def test_gist_jejunal_tumour_and_left_out_values() -> None:
    rs = gistpath.load_builtin("gist")
    decision = rs.evaluate(JEJUNAL)
    found = decision.alternatives()
    assert found
    left = {item.field for item in found.left_out}
    # a localized tumour with distant sites breaks a constraint: left out, and said so
    assert "distant_sites" in left
    (sites,) = [item for item in found.left_out if item.field == "distant_sites"]
    assert str(sites).startswith("distant_sites >= 1 (breaks: ")
    assert not any(a.field == "distant_sites" for a in found)
    text = decision.explain(alternatives=True)
    assert "Would change if" in text
    assert "left out, distant_sites >= 1" in text
    assert "Would change if" not in decision.explain()
    check_alternatives(rs, dict(JEJUNAL))


def test_cli_explain_alternatives(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    status = main(["explain", "gist", "--state", json.dumps(JEJUNAL), "--alternatives"])
    out = capsys.readouterr().out
    assert status == 0
    assert "Would change if" in out
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        main(["explain", "gist", "--state", json.dumps(JEJUNAL)])
    assert "Would change if" not in capsys.readouterr().out

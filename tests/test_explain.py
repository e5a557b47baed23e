"""explain() for the clinician who reads it (gistpath.explain), and its JSON form.

The text says the pathway and why in words (titles, never rule ids, helper names or source
line numbers), names the row of each decision table behind a value (for AFIP: the column,
the size band, the mitotic band and the share whose disease progressed), leaves out values
that did not matter (no AFIP category for metastatic disease), links to the pathway's
section from a configurable base URL, and carries the disclaimer only for a rule set marked
for clinicians. Property: for any valid state, every word of the text comes from the rule
set's titles and summaries, not its internal names.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

import gistpath
from gistpath.explain import DISCLAIMER, DOCS_URL_ENV, explain, is_clinical

from samples import WALK_FILE, gist_state, walk_state
from strategies import states

GIST = gistpath.load_builtin("gist")
WALK = gistpath.load(WALK_FILE)


def _internal_names(rs: gistpath.RuleSet) -> set[str]:
    """Names with an underscore a reader should never meet in an explanation."""
    model = rs.model
    names = {*model.lets, *model.tables, *model.inputs, *(r.id for r in model.rules)}
    names |= set(model.pathways) | set(model.considerations)
    return {n for n in names if "_" in n}


def titles(rs: gistpath.RuleSet) -> set[str]:
    return {let.title for let in rs.model.lets.values() if let.title}


def test_the_pathway_and_why_in_words() -> None:
    decision = GIST.evaluate(gist_state())
    text = decision.explain()
    assert text.startswith("Pathway: Resection, no further treatment\n")
    assert "Why: all of these hold" in text
    assert "  - Where the disease stands: localized (a primary tumour that has not spread)" in text
    # A when block by the title of the value it tests, and a "no" said once, positively.
    why = explain(decision).why
    assert any(line.endswith(": no") and line.removesuffix(": no") in titles(GIST)
               for line in why)  # fmt: skip
    assert decision.rule not in text
    assert "line" not in text.lower().split("guidelines")[0]
    assert not re.search(r"\b(not not|is not not)\b", text)


def test_the_afip_row_is_named() -> None:
    decision = GIST.evaluate(gist_state(size_cm=4, site="stomach", mitotic_rate=3))
    found = {v.name: v for v in explain(decision).values}
    afip = found["afip_risk"]
    assert afip.shown == "very low"
    assert afip.row == 5
    assert afip.reasons == (
        "Mitoses per 5 mm²: at most 5",
        "Largest diameter of the primary tumour: more than 2 cm and at most 5 cm",
        "Which column of the AFIP table a site reads: gastric",
    )
    assert afip.notes == (
        "progressed (the share of patients in the AFIP series whose disease progressed): 1.9%",
    )
    # The column itself is explained: an oesophageal tumour reads the jejunum/ileum column.
    decision = GIST.evaluate(gist_state(site="esophagus", size_cm=4))
    column = {v.name: v for v in explain(decision).values}["afip_column"]
    assert column.shown == "jejunum ileum"
    assert column.reasons == ("Where the primary tumour started: esophagus, colon or extra gi "
                              "(mesentery, omentum or peritoneum)",)  # fmt: skip
    assert column.notes == ("why: no column of its own: the conservative one",)


def test_values_that_did_not_matter_are_left_out() -> None:
    state = gist_state(presentation="metastatic", distant_sites=2)
    decision = GIST.evaluate(state)
    names = {v.name for v in explain(decision).values}
    assert "afip_risk" not in names
    assert "risk" not in names
    assert "AFIP" not in decision.explain()


def test_a_rupture_names_the_nih_rupture_row_and_no_afip_cell() -> None:
    decision = GIST.evaluate(gist_state(tumor_rupture=True, size_cm=4, mitotic_rate=3))
    found = {v.name: v for v in explain(decision).values}
    assert found["nih_risk"].shown == "high"
    assert found["nih_risk"].notes == ("criterion: 1. tumour rupture",)
    assert "The tumour ruptured, before or during surgery" in found["nih_risk"].reasons
    assert "afip_risk" not in found


def test_the_link_comes_from_a_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    decision = GIST.evaluate(gist_state())
    monkeypatch.delenv(DOCS_URL_ENV, raising=False)
    text = decision.explain()
    assert "#pathway" not in text
    assert "the section \u201cResection, no further treatment\u201d" in text
    url = "https://docs.example.org/gist.html"
    assert f"More: {url}#pathway-resection-alone" in decision.explain(base_url=url)
    monkeypatch.setenv(DOCS_URL_ENV, url + "#old-fragment")
    assert f"More: {url}#pathway-resection-alone" in decision.explain()


def test_the_disclaimer_only_for_a_rule_set_marked_clinical() -> None:
    assert is_clinical(GIST.model)
    assert not is_clinical(WALK.model)
    gist_text = " ".join(GIST.evaluate(gist_state()).explain().split())
    assert DISCLAIMER in gist_text
    walk_text = WALK.evaluate(walk_state()).explain()
    assert "medical advice" not in walk_text
    marked = gistpath.loads(
        'ruleset tiny "Tiny"\n    audience "clinicians"\n\nsource book "A book"\n\n'
        'input flag "A flag": boolean\n\n'
        'pathway one "One"\n    summary "The one."\n    cites book "Intro"\n\n'
        "rule always -> one: flag or not flag\n",
        name="tiny",
    )
    assert "not medical advice" in marked.evaluate({"flag": True}).explain()


def test_json_holds_the_same_as_the_text() -> None:
    decision = GIST.evaluate(gist_state())
    data = explain(decision).as_dict()
    assert data["pathway"] == decision.pathway
    assert data["rule"] == decision.rule  # programs get the ids
    assert data["why"] == list(explain(decision).why)
    assert data["considerations"][0]["id"] == "laparoscopic_option"
    assert data["disclaimer"] == DISCLAIMER


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(states(GIST))
def test_no_internal_name_reaches_the_reader(state: dict[str, object]) -> None:
    text = GIST.evaluate(state).explain()
    leaked = {n for n in _internal_names(GIST) if re.search(rf"\b{n}\b", text)}
    assert leaked == set()
    assert not re.search(r"\bline \d+", text)


@settings(max_examples=30, deadline=None)
@given(states(WALK))
def test_every_walk_decision_explains(state: dict[str, object]) -> None:
    decision = WALK.evaluate(state)
    text = decision.explain()
    assert text.startswith(f"Pathway: {WALK.pathways[decision.pathway].title}")
    for value in explain(decision).values:
        if value.table:
            assert value.row is not None

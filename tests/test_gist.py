"""The bundled GIST rule set against its clinical contract (``gist-model.md``, version 1.1).

What is tested here, and how:

* the rule set loads, verifies, and declares exactly the spec's inputs, pathways and
  considerations, each documented and cited; version 1.0 is still in the package;
* properties over valid states drawn with every boundary in reach (exactly one documented
  pathway; the predicate tables agree with the reference interpreter);
* agreement with ``gist_oracle.decide``, a second encoding written by hand from the spec,
  on hypothesis states and on a seeded random sample (derived values included), and of
  version 1.0 with the oracle's reading of the 1.0 contract;
* invalid states: each consistency rule broken, each field wrong in each way;
* the AFIP table and the modified NIH criteria cell by cell, at and beside every boundary,
  against the spec's tables typed out below (never read from the rule file), and the
  adjuvant table over every cell of both;
* every region of states whose pathway changed from 1.0 holds an example of the file.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gistpath
from gistpath.model import BooleanDomain, ChoiceDomain, NumericDomain

from gist_oracle import (
    adjuvant_of,
    broken_consistency_rules,
    decide,
    derived_values,
    pathway_of_1_0,
)
from samples import ROOT, gist_state


@functools.cache
def rules() -> gistpath.RuleSet:
    return gistpath.load_builtin("gist")


# ---------------------------------------------------------------------------- the spec's ids

SPEC_PATHWAYS = (
    "surveillance",
    "resection_alone",
    "resection_adjuvant_imatinib_1y",
    "resection_adjuvant_imatinib_3y",
    "resection_then_mutation_testing",
    "resection_then_risk_review",
    "biopsy_and_mutation_testing",
    "neoadjuvant_imatinib",
    "resection_after_neoadjuvant",
    "first_line_imatinib",
    "first_line_imatinib_high_dose",
    "first_line_avapritinib",
    "continue_targeted_therapy",
    "metastasectomy",
    "imatinib_dose_escalation",
    "switch_to_sunitinib",
    "switch_to_regorafenib",
    "switch_to_ripretinib",
    "later_line_tki_or_trial",
    "clinical_trial",
    "multidisciplinary_review",
    "switch_to_avapritinib",
    "resection_for_progression",
)
PATHWAYS_1_0 = SPEC_PATHWAYS[:21]

SPEC_CONSIDERATIONS = (
    "laparoscopic_option",
    "liver_directed_therapy",
    "palliative_radiation",
    "clinical_trial_option",
    "goals_of_care_discussion",
    "local_treatment_of_recurrence",
    "mutation_testing_advised",
)

PRESENTATIONS = ("localized", "metastatic", "recurrent")
RESECTABILITY = ("resectable", "marginally_resectable", "unresectable")
SITES = ("esophagus", "stomach", "duodenum", "small_intestine", "colon", "rectum", "extra_gi")
MUTATIONS = (
    "kit_exon11",
    "kit_exon9",
    "kit_other",
    "pdgfra_d842v",
    "pdgfra_other",
    "wild_type",
    "not_tested",
)
THERAPIES = (
    "none",
    "imatinib",
    "imatinib_high_dose",
    "avapritinib",
    "sunitinib",
    "regorafenib",
    "ripretinib",
    "other_tki",
)
RESPONSES = ("not_applicable", "responding", "stable", "progressing", "intolerant")
RESPONSES_ON_DRUG = RESPONSES[1:]
BOOLEAN_FIELDS = (
    "fit_for_surgery",
    "tumor_rupture",
    "symptomatic",
    "diagnosis_confirmed",
    "liver_metastases",
    "painful_bone_metastases",
)
FIELDS = (
    "presentation",
    "resectability",
    "fit_for_surgery",
    "size_cm",
    "site",
    "mitotic_rate",
    "tumor_rupture",
    "symptomatic",
    "diagnosis_confirmed",
    "mutation",
    "current_therapy",
    "response",
    "distant_sites",
    "liver_metastases",
    "painful_bone_metastases",
)

# Spec section 2.
RISK_VALUES = frozenset(
    ("none", "very_low", "low", "moderate", "high", "insufficient_data", "unknown")
)
RISK_NOT_KNOWN = "unknown"
NIH_VALUES = frozenset(("very_low", "low", "intermediate", "high", "unknown"))
ADJUVANT_VALUES = frozenset(("none", "one_year", "three_years", "review"))
DERIVED = ("risk", "nih_risk", "adjuvant", "operable", "imatinib_sensitive")

# The real section headings of the two ACS pages.
ACS_HEADINGS = {
    "Typical Treatment Options for Gastrointestinal Stromal Tumors": frozenset(
        {
            "Localized, smaller (resectable) tumors",
            "Localized, larger (marginally resectable) tumors",
            "Tumors that are not removable or have spread to distant sites (unresectable tumors)",
            "Recurrent tumors",
        }
    ),
    "Surgery for Gastrointestinal Stromal Tumors": frozenset(
        {
            "Surgery for small GISTs",
            "Surgery for larger GISTs",
            "Surgery for metastatic GISTs",
            "Choosing your surgeon",
        }
    ),
}


def below(x: float) -> float:
    return math.nextafter(x, -math.inf)


def above(x: float) -> float:
    return math.nextafter(x, math.inf)


base_state = gist_state


# ---------------------------------------------------------------------------- valid states

SIZE_EDGES = (
    5e-324,  # the smallest positive float
    1e-9,
    0.5,
    below(2.0),
    2.0,
    above(2.0),
    below(5.0),
    5.0,
    above(5.0),
    below(10.0),
    10.0,
    above(10.0),
    below(100.0),
    100.0,
    2,  # integers are numbers too
    5,
    10,
    100,
)
MITOSES_EDGES = (0, 5, 6, 10, 11, 1000, "unknown")
DISTANT_EDGES = (0, 1, 2, 3, 50)

sizes = st.one_of(
    st.sampled_from(SIZE_EDGES),
    st.floats(min_value=0.0, max_value=100.0, exclude_min=True),
    st.integers(min_value=1, max_value=100),
)
mitoses = st.one_of(st.sampled_from(MITOSES_EDGES), st.integers(min_value=0, max_value=1000))
distant = st.one_of(st.sampled_from(DISTANT_EDGES), st.integers(min_value=0, max_value=50))


@st.composite
def valid_states(draw: st.DrawFn) -> dict[str, object]:
    """Any state the consistency rules allow, built so that none is rejected."""
    presentation = draw(st.sampled_from(PRESENTATIONS))
    therapy = draw(st.sampled_from(THERAPIES))
    response = "not_applicable" if therapy == "none" else draw(st.sampled_from(RESPONSES_ON_DRUG))
    if presentation == "localized":
        sites, liver, bone = 0, False, False
    else:
        sites = draw(distant.filter(lambda n: n >= 1) if presentation == "metastatic" else distant)
        liver = draw(st.booleans()) if sites >= 1 else False
        bone = draw(st.booleans()) if sites >= 1 else False
    return {
        "presentation": presentation,
        "resectability": draw(st.sampled_from(RESECTABILITY)),
        "fit_for_surgery": draw(st.booleans()),
        "size_cm": draw(sizes),
        "site": draw(st.sampled_from(SITES)),
        "mitotic_rate": draw(mitoses),
        "tumor_rupture": draw(st.booleans()),
        "symptomatic": draw(st.booleans()),
        "diagnosis_confirmed": draw(st.booleans()),
        "mutation": draw(st.sampled_from(MUTATIONS)),
        "current_therapy": therapy,
        "response": response,
        "distant_sites": sites,
        "liver_metastases": liver,
        "painful_bone_metastases": bone,
    }


def random_states(seed: int, count: int) -> Iterator[dict[str, object]]:
    """A seeded sample of valid states: a third of the numbers are boundary values, and
    about a third of the sizes and mitotic counts fall in 0..12, where the cuts are; two in
    five states have no drug yet (the localized steps need it)."""
    rng = random.Random(seed)
    for _ in range(count):
        presentation = rng.choice(PRESENTATIONS)
        therapy = "none" if rng.random() < 0.4 else rng.choice(THERAPIES[1:])
        response = "not_applicable" if therapy == "none" else rng.choice(RESPONSES_ON_DRUG)
        draw = rng.random()
        if draw < 0.35:
            size: float = rng.choice(SIZE_EDGES)
        elif draw < 0.65:
            size = rng.uniform(0.0, 12.0) or 12.0
        else:
            size = rng.uniform(0.0, 100.0) or 100.0
        draw = rng.random()
        mitotic: object = (
            rng.choice(MITOSES_EDGES)
            if draw < 0.35
            else rng.randint(0, 12)
            if draw < 0.7
            else rng.randint(0, 1000)
        )
        if presentation == "localized":
            sites, liver, bone = 0, False, False
        else:
            low = 1 if presentation == "metastatic" else 0
            sites = rng.choice([n for n in DISTANT_EDGES if n >= low] + [rng.randint(low, 50)])
            liver = sites >= 1 and rng.random() < 0.5
            bone = sites >= 1 and rng.random() < 0.5
        yield {
            "presentation": presentation,
            "resectability": rng.choice(RESECTABILITY),
            "fit_for_surgery": rng.random() < 0.5,
            "size_cm": size,
            "site": rng.choice(SITES),
            "mitotic_rate": mitotic,
            "tumor_rupture": rng.random() < 0.5,
            "symptomatic": rng.random() < 0.5,
            "diagnosis_confirmed": rng.random() < 0.5,
            "mutation": rng.choice(MUTATIONS),
            "current_therapy": therapy,
            "response": response,
            "distant_sites": sites,
            "liver_metastases": liver,
            "painful_bone_metastases": bone,
        }


# ---------------------------------------------------------------------------- the rule set


def test_loads_and_verifies() -> None:
    report = rules().verify()
    assert report.ok, report.format()
    assert report.pieces > 0


def test_pathways_and_considerations_are_the_spec_ids() -> None:
    assert len(SPEC_PATHWAYS) == 23
    assert len(SPEC_CONSIDERATIONS) == 7
    assert set(rules().pathways) == set(SPEC_PATHWAYS)
    assert tuple(rules().considerations) == SPEC_CONSIDERATIONS


def test_version_1_1_is_the_default_and_1_0_is_kept() -> None:
    assert rules().model.version == "1.1"
    assert gistpath.load_builtin("gist", version="1.1").model.text == rules().model.text
    old = gistpath.load_builtin("gist", version="1.0")
    assert old.model.version == "1.0"
    assert old.verify().ok
    assert set(old.pathways) == set(PATHWAYS_1_0)  # no id of 1.0 is renamed or removed
    assert tuple(old.considerations) == SPEC_CONSIDERATIONS[:6]
    assert tuple(old.inputs) == tuple(rules().inputs)
    assert gistpath.builtin_versions("gist") == ("1.0", "1.1")
    assert gistpath.builtin_path("gist", version="1.0").parent.name == "history"
    assert gistpath.builtin_path("gist", version="1.1") == gistpath.builtin_path("gist")
    with pytest.raises(gistpath.GistpathError, match=r"no version '0\.9'; there are: 1\.0, 1\.1"):
        gistpath.load_builtin("gist", version="0.9")
    with pytest.raises(TypeError, match="version is a str"):
        gistpath.load_builtin("gist", version=1.0)  # type: ignore[arg-type]
    assert "gist-1.0" not in gistpath.builtin_names()


def test_version_1_0_agrees_with_the_oracle_reading_of_the_1_0_contract() -> None:
    old = gistpath.load_builtin("gist", version="1.0")
    for state in random_states(seed=1010, count=5000):
        assert old.evaluate(state).pathway == pathway_of_1_0(state), state


def test_inputs_are_the_spec_fields() -> None:
    inputs = rules().inputs
    assert tuple(inputs) == FIELDS
    choices = {
        "presentation": PRESENTATIONS,
        "resectability": RESECTABILITY,
        "site": SITES,
        "mutation": MUTATIONS,
        "current_therapy": THERAPIES,
        "response": RESPONSES,
    }
    for name, values in choices.items():
        domain = inputs[name].domain
        assert isinstance(domain, ChoiceDomain), name
        assert domain.values == values, name
        assert not domain.allows_unknown, name
    for name in BOOLEAN_FIELDS:
        domain = inputs[name].domain
        assert isinstance(domain, BooleanDomain), name
        assert not domain.allows_unknown, name
    numeric = {  # name: (integer, low, low inclusive, high, high inclusive, unknown)
        "size_cm": (False, 0, False, 100, True, False),
        "mitotic_rate": (True, 0, True, 1000, True, True),
        "distant_sites": (True, 0, True, 50, True, False),
    }
    for name, (integer, low, low_in, high, high_in, unknown) in numeric.items():
        domain = inputs[name].domain
        assert isinstance(domain, NumericDomain), name
        assert domain.integer is integer, name
        assert domain.low is not None, name
        assert domain.high is not None, name
        assert (domain.low.value, domain.low.inclusive) == (low, low_in), name
        assert (domain.high.value, domain.high.inclusive) == (high, high_in), name
        assert domain.allows_unknown is unknown, name
    assert inputs["size_cm"].domain.unit == "cm"  # type: ignore[union-attr]


def _acs_sections(citations: Any) -> list[str]:
    out = []
    for citation in citations:
        headings = ACS_HEADINGS.get(citation.source.title)
        if headings is not None:
            assert citation.section in headings, (citation.source.title, citation.section)
            out.append(citation.section)
    return out


@pytest.mark.parametrize("kind", ["pathways", "considerations"])
def test_every_item_is_documented_and_cites_an_acs_heading(kind: str) -> None:
    for ident, item in getattr(rules(), kind).items():
        assert item.title.strip(), ident
        assert len(item.summary.split()) >= 10, ident
        assert item.citations, ident
        assert _acs_sections(item.citations), f"{ident} cites no ACS section heading"


def test_table_citations_name_real_acs_headings() -> None:
    for table in rules().model.tables.values():
        _acs_sections(table.citations)


def test_multidisciplinary_review_says_the_sources_give_no_pathway() -> None:
    summary = rules().pathways["multidisciplinary_review"].summary.lower()
    assert "sources give no pathway" in summary


def test_sources() -> None:
    sources = {s.title: s for s in rules().sources.values()}
    treatment = sources["Typical Treatment Options for Gastrointestinal Stromal Tumors"]
    surgery = sources["Surgery for Gastrointestinal Stromal Tumors"]
    assert treatment.publisher == surgery.publisher == "American Cancer Society"
    assert treatment.date == "2020-05-18"
    assert surgery.date == "2019-12-01"
    # Authors stand in their own field; the rest of the reference is the title.
    titles = " ".join(f"{s.authors or ''} {s.title}" for s in sources.values())
    for needle in (
        "Miettinen M, Lasota J",
        "Semin Diagn Pathol 2006;23:70-83",
        "Joensuu H",
        "Hum Pathol 2008;39:1411-9",
        "NCCN",
        "Gastrointestinal Stromal Tumors (GISTs), Version 2.2022",
        "Casali PG",
        "Ann Oncol 2022",
        "JAMA 2012;307:1265-72",
    ):
        assert needle in titles, needle
    # URLs only where they are certain: the two DOIs checked by hand.
    urls = {s.url for s in sources.values() if s.url}
    assert urls == {
        "https://doi.org/10.1016/j.humpath.2008.06.025",
        "https://doi.org/10.1016/j.annonc.2021.09.005",
    }


def test_nccn_is_cited_as_its_gist_guideline() -> None:
    nccn = [s for s in rules().sources.values() if "NCCN" in s.title]
    assert len(nccn) == 1
    assert "Soft Tissue Sarcoma" not in nccn[0].title
    cited = {c.source.name for p in rules().pathways.values() for c in p.citations}
    assert nccn[0].name in cited


def test_summaries_hold_for_every_subgroup_the_state_cannot_tell_apart() -> None:
    # Spec section 9: SDH-deficient tumours can reach lymph nodes, and a wild-type tumour
    # is not beyond every drug.
    texts = [p.summary.lower() for p in rules().pathways.values()]
    texts += [c.summary.lower() for c in rules().considerations.values()]
    for text in texts:
        assert "rarely spread to" not in text
        assert "never spread" not in text
        assert "imatinib and the drugs after it are unlikely" not in text
    assert "sdh-deficient" in rules().pathways["resection_alone"].summary.lower()


def test_resection_pathways_carry_the_surgery_page() -> None:
    # Spec section 9: the two statements of "Surgery for larger GISTs" and "Choosing your
    # surgeon", on every pathway that resects.
    for pid, pathway in rules().pathways.items():
        if not pid.startswith("resection_"):
            continue
        sections = {c.section for c in pathway.citations}
        assert {"Surgery for larger GISTs", "Choosing your surgeon"} <= sections, pid
        text = pathway.summary.lower()
        assert "capsule" in text, pid
        assert "bleeding" in text, pid
        assert "experienced" in text, pid
        assert "organs" in text, pid


def test_examples_cover_every_pathway_and_consideration() -> None:
    examples = rules().model.examples
    assert {e.pathway for e in examples} == set(SPEC_PATHWAYS)
    assert {c for e in examples for c in e.considerations} == set(SPEC_CONSIDERATIONS)


def test_afip_table_carries_the_published_percentages() -> None:
    table = rules().model.tables["afip_risk"]
    assert table.annotation_columns == ("progressed",)
    notes = " ".join(text for row in table.rows for text in row.annotations if text)
    found = set(re.findall(r"\d+(?:\.\d+)?%", notes))
    spec = {"0", "1.9", "4.3", "8.3", "8.5", "3.6", "24", "10", "52", "34"}
    spec |= {"57", "54", "16", "73", "50", "55", "85", "90", "86", "71"}
    assert {p + "%" for p in spec} <= found


def test_tables_carry_what_explain_names() -> None:
    # The AFIP row gives its column, size band, mitotic band and share that progressed; the
    # NIH row the criterion that applied (numbered as in spec section 2).
    tables = rules().model.tables
    assert tables["nih_risk"].annotation_columns == ("criterion",)
    criteria = [row.annotations[0] for row in tables["nih_risk"].rows]
    assert all(criteria)
    numbers = [c.split(".", 1)[0] for c in criteria[1:]]
    assert numbers == ["1", "2", "3", "3b", "3b", "4", "5", "6", "7", "8", "9", "10"]
    assert tables["adjuvant"].annotation_columns == ("why",)
    assert all(row.annotations[0] for row in tables["adjuvant"].rows)


def test_decision_reports_rule_values_and_trace() -> None:
    decision = rules().evaluate(base_state())
    assert decision.pathway == "resection_alone"
    assert decision.rule in {r.id for r in rules().rules}
    assert decision.values["risk"] == "very_low"
    assert decision.values["nih_risk"] == "low"
    assert decision.values["adjuvant"] == "none"
    assert decision.values["operable"] is True
    assert decision.values["imatinib_sensitive"] is True
    text = decision.explain()
    assert rules().pathways["resection_alone"].title in text
    assert "Risk of recurrence after resection of a localized tumour: very low" in text


# ---------------------------------------------------------------------------- properties


@pytest.mark.slow
@settings(max_examples=400)
@given(valid_states())
def test_exactly_one_documented_pathway(state: dict[str, object]) -> None:
    rs = rules()
    decision = rs.evaluate(state)
    pathway = rs.pathways[decision.pathway]
    assert pathway.title
    assert pathway.summary
    assert pathway.citations
    rule = next(r for r in rs.rules if r.id == decision.rule)
    assert rule.pathway == decision.pathway
    order = list(rs.considerations)
    assert all(c in order for c in decision.considerations)
    positions = [order.index(c) for c in decision.considerations]
    assert positions == sorted(set(positions))
    if state["presentation"] == "localized":
        assert decision.values["risk"] in RISK_VALUES
        assert decision.values["nih_risk"] in NIH_VALUES
        assert decision.values["adjuvant"] in ADJUVANT_VALUES
    else:
        for name in ("risk", "nih_risk", "adjuvant"):
            assert decision.values[name] == "not_applicable", name


@pytest.mark.slow
@settings(max_examples=400)
@given(valid_states())
def test_tables_agree_with_reference_interpreter(state: dict[str, object]) -> None:
    rs = rules()
    decision = rs.evaluate(state)
    outcome = rs.evaluate_reference(state)
    assert decision.pathway == outcome.pathway
    assert decision.rule == outcome.rule
    assert decision.considerations == outcome.considerations
    for name in DERIVED:
        assert decision.values[name] == outcome.values[name], name
        assert type(decision.values[name]) is type(outcome.values[name]), name
    assert dict(decision.values) == dict(outcome.values)


def _check_against_oracle(state: dict[str, object]) -> None:
    pathway, considerations, risk = decide(state)
    decision = rules().evaluate(state)
    got = (decision.pathway, decision.considerations, decision.values["risk"])
    assert got == (pathway, considerations, risk), state
    expected = derived_values(state)
    assert {name: decision.values[name] for name in DERIVED} == expected, state


@pytest.mark.slow
@settings(max_examples=3000)
@given(valid_states())
def test_agrees_with_oracle(state: dict[str, object]) -> None:
    _check_against_oracle(state)


@pytest.mark.slow
def test_agrees_with_oracle_on_seeded_sample() -> None:
    seen: set[str] = set()
    for state in random_states(seed=20240518, count=20_000):
        _check_against_oracle(state)
        seen.add(rules().evaluate(state).pathway)
    assert seen == set(SPEC_PATHWAYS)  # the sample reached every pathway


def test_batch_evaluation_agrees() -> None:
    states = list(random_states(seed=7, count=3000))
    batch = rules().evaluate_many(states, considerations=True)
    for index, state in enumerate(states):
        decision = rules().evaluate(state)
        assert batch.pathways[index] == decision.pathway, state
        assert tuple(batch.considerations[index]) == decision.considerations, state


def test_examples_agree_with_oracle() -> None:
    for example in rules().model.examples:
        pathway, considerations, _ = decide(example.state)
        assert (pathway, considerations) == (example.pathway, example.considerations), example


# ---------------------------------------------------------------------------- invalid states

CONSTRAINT_BREAKERS = [
    ("therapy_has_response", {"current_therapy": "none", "response": "stable"}),
    ("therapy_has_response", {"current_therapy": "imatinib", "response": "not_applicable"}),
    ("localized_has_no_spread", {"distant_sites": 1}),
    ("localized_has_no_spread", {"distant_sites": 2, "liver_metastases": True}),
    ("localized_has_no_spread", {"distant_sites": 1, "painful_bone_metastases": True}),
    ("metastatic_has_sites", {"presentation": "metastatic"}),
    ("metastases_are_counted", {"presentation": "recurrent", "liver_metastases": True}),
    ("metastases_are_counted", {"presentation": "recurrent", "painful_bone_metastases": True}),
]


@pytest.mark.parametrize(("constraint", "changes"), CONSTRAINT_BREAKERS)
def test_each_consistency_rule_broken(constraint: str, changes: dict[str, object]) -> None:
    state = base_state(**changes)
    assert len(broken_consistency_rules(state)) == 1  # exactly one rule is broken
    assert constraint in {c.name for c in rules().model.constraints}
    for call in (rules().evaluate, rules().evaluate_reference, rules().validate):
        with pytest.raises(gistpath.StateError) as caught:
            call(state)
        assert caught.value.field == constraint
        assert constraint in str(caught.value) or caught.value.expected


NAN = float("nan")
BAD_VALUES: list[tuple[str, object]] = [
    # None and wrong types
    *[(field, None) for field in FIELDS],
    *[(name, 3) for name in ("presentation", "resectability", "site", "mutation")],
    *[(name, 3) for name in ("current_therapy", "response")],
    *[(name, "yes") for name in BOOLEAN_FIELDS],
    *[(name, "unknown") for name in BOOLEAN_FIELDS],
    ("size_cm", "4"),
    ("size_cm", "unknown"),
    ("mitotic_rate", "3"),
    ("mitotic_rate", 3.0),
    ("mitotic_rate", 2.5),
    ("distant_sites", 1.0),
    ("distant_sites", "unknown"),
    ("site", ["stomach"]),
    # a boolean where a number goes
    ("size_cm", True),
    ("mitotic_rate", False),
    ("mitotic_rate", True),
    ("distant_sites", False),
    # an integer where a boolean goes
    *[(name, 1) for name in BOOLEAN_FIELDS],
    *[(name, 0) for name in BOOLEAN_FIELDS],
    # not finite
    ("size_cm", NAN),
    ("size_cm", math.inf),
    ("size_cm", -math.inf),
    ("mitotic_rate", NAN),
    ("mitotic_rate", math.inf),
    ("distant_sites", -math.inf),
    # out of range
    ("size_cm", 0),
    ("size_cm", 0.0),
    ("size_cm", -0.0),
    ("size_cm", -1.5),
    ("size_cm", above(100.0)),
    ("size_cm", 101),
    ("mitotic_rate", -1),
    ("mitotic_rate", 1001),
    ("distant_sites", -1),
    ("distant_sites", 51),
    # not a value of the choice
    ("site", "Stomach"),
    ("site", "STOMACH"),
    ("site", " stomach"),
    ("site", "jejunum"),
    ("site", "unknown"),
    ("presentation", "Localized"),
    ("presentation", "localised"),
    ("resectability", "borderline"),
    ("mutation", "KIT_exon11"),
    ("mutation", "unknown"),
    ("current_therapy", "Imatinib"),
    ("current_therapy", "sorafenib"),
    ("response", "n/a"),
]


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@pytest.mark.parametrize(("field", "value"), BAD_VALUES, ids=[f"{f}={v!r}" for f, v in BAD_VALUES])
def test_bad_field_value(field: str, value: object) -> None:
    state = base_state(**{field: value})
    for call in (rules().evaluate, rules().evaluate_reference, rules().validate):
        with pytest.raises(gistpath.StateError) as caught:
            call(state)
        assert caught.value.field == field
        assert _same(caught.value.value, value)
        assert field in str(caught.value)
        assert caught.value.expected


@pytest.mark.parametrize("field", FIELDS)
def test_missing_field(field: str) -> None:
    state = base_state()
    del state[field]
    with pytest.raises(gistpath.StateError) as caught:
        rules().evaluate(state)
    assert caught.value.field == field
    assert caught.value.value is None
    assert "missing" in str(caught.value)


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("size", "size_cm"),
        ("mitotic_count", "mitotic_rate"),
        ("Site", "site"),
        ("tumour_rupture", "tumor_rupture"),
    ],
)
def test_misspelled_field(wrong: str, right: str) -> None:
    state = base_state()
    value = state.pop(right)
    state[wrong] = value
    with pytest.raises(gistpath.StateError) as caught:
        rules().evaluate(state)
    assert caught.value.field == wrong
    assert _same(caught.value.value, value)


def test_extra_field() -> None:
    state = base_state(colour="blue")
    with pytest.raises(gistpath.StateError) as caught:
        rules().evaluate(state)
    assert caught.value.field == "colour"
    assert caught.value.value == "blue"


def test_not_a_mapping() -> None:
    with pytest.raises(gistpath.StateError):
        rules().evaluate(list(base_state().items()))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- the AFIP table

# Spec section 3, typed out: (mitoses band, size band) -> stomach, jejunum/ileum, duodenum,
# rectum.
SPEC_AFIP = {
    ("<= 5", "<= 2"): ("none", "none", "none", "none"),
    ("<= 5", "> 2, <= 5"): ("very_low", "low", "low", "low"),
    ("<= 5", "> 5, <= 10"): ("low", "moderate", "insufficient_data", "insufficient_data"),
    ("<= 5", "> 10"): ("moderate", "high", "high", "high"),
    ("> 5", "<= 2"): ("none", "high", "insufficient_data", "high"),
    ("> 5", "> 2, <= 5"): ("moderate", "high", "high", "high"),
    ("> 5", "> 5, <= 10"): ("high", "high", "insufficient_data", "insufficient_data"),
    ("> 5", "> 10"): ("high", "high", "high", "high"),
}
COLUMN_OF_SITE = {  # the column each site reads (index into a SPEC_AFIP row)
    "stomach": 0,
    "small_intestine": 1,
    "esophagus": 1,
    "colon": 1,
    "extra_gi": 1,
    "duodenum": 2,
    "rectum": 3,
}
SIZES_IN_BAND: dict[str, tuple[float, ...]] = {  # each band at and beside its ends
    "<= 2": (5e-324, 1.0, below(2.0), 2.0, 2),
    "> 2, <= 5": (above(2.0), 3.5, below(5.0), 5.0, 5),
    "> 5, <= 10": (above(5.0), 7.5, below(10.0), 10.0, 10),
    "> 10": (above(10.0), 10.5, 55.0, below(100.0), 100.0),
}
MITOSES_IN_BAND = {"<= 5": (0, 4, 5), "> 5": (6, 7, 999, 1000)}
AFIP_CASES = [(site, mitoses, size) for site in COLUMN_OF_SITE for (mitoses, size) in SPEC_AFIP]


def _value(name: str, **changes: object) -> object:
    state = base_state(**changes)
    decision = rules().evaluate(state)
    assert decision.values[name] == rules().evaluate_reference(state).values[name]
    return decision.values[name]


def _risk(**changes: object) -> object:
    return _value("risk", **changes)


@pytest.mark.parametrize(
    ("site", "mitoses_band", "size_band"),
    AFIP_CASES,
    ids=[f"{s}-mitoses{m}-size{z}".replace(" ", "") for s, m, z in AFIP_CASES],
)
def test_afip_cell(site: str, mitoses_band: str, size_band: str) -> None:
    expected = SPEC_AFIP[(mitoses_band, size_band)][COLUMN_OF_SITE[site]]
    for size in SIZES_IN_BAND[size_band]:
        for count in MITOSES_IN_BAND[mitoses_band]:
            got = _risk(site=site, size_cm=size, mitotic_rate=count)
            assert got == expected, (site, size, count)


@pytest.mark.parametrize("site", SITES)
def test_rupture_is_high_risk_whatever_the_table_says(site: str) -> None:
    for sizes_ in SIZES_IN_BAND.values():
        for size in sizes_:
            for count in (0, 5, 6, 1000, "unknown"):
                got = _risk(site=site, size_cm=size, mitotic_rate=count, tumor_rupture=True)
                assert got == "high", (site, size, count)


@pytest.mark.parametrize("site", SITES)
def test_unknown_mitoses_without_rupture_is_unknown_risk(site: str) -> None:
    for sizes_ in SIZES_IN_BAND.values():
        for size in sizes_:
            assert _risk(site=site, size_cm=size, mitotic_rate="unknown") == RISK_NOT_KNOWN


@pytest.mark.parametrize("presentation", ["metastatic", "recurrent"])
def test_risk_is_not_applicable_beyond_localized(presentation: str) -> None:
    for rupture in (False, True):
        for count in (3, "unknown"):
            got = _risk(
                presentation=presentation,
                distant_sites=1,
                tumor_rupture=rupture,
                mitotic_rate=count,
            )
            assert got == "not_applicable"


# ---------------------------------------------------------------------------- modified NIH

# Spec section 2, the modified NIH criteria typed out as a grid (the first-match list worked
# out by hand for each cell): (mitoses band, size band) -> (gastric, non-gastric).
SPEC_NIH = {
    ("<= 5", "<= 2"): ("very_low", "very_low"),
    ("<= 5", "> 2, <= 5"): ("low", "low"),
    ("<= 5", "> 5, <= 10"): ("intermediate", "high"),
    ("<= 5", "> 10"): ("high", "high"),
    ("6-10", "<= 2"): ("intermediate", "intermediate"),
    ("6-10", "> 2, <= 5"): ("intermediate", "high"),
    ("6-10", "> 5, <= 10"): ("high", "high"),
    ("6-10", "> 10"): ("high", "high"),
    ("> 10", "<= 2"): ("high", "high"),
    ("> 10", "> 2, <= 5"): ("high", "high"),
    ("> 10", "> 5, <= 10"): ("high", "high"),
    ("> 10", "> 10"): ("high", "high"),
}
NIH_MITOSES_IN_BAND = {"<= 5": (0, 4, 5), "6-10": (6, 7, 10), "> 10": (11, 12, 999, 1000)}
NIH_CASES = [(site, mitoses, size) for site in SITES for (mitoses, size) in SPEC_NIH]


@pytest.mark.parametrize(
    ("site", "mitoses_band", "size_band"),
    NIH_CASES,
    ids=[f"{s}-mitoses{m}-size{z}".replace(" ", "") for s, m, z in NIH_CASES],
)
def test_nih_cell(site: str, mitoses_band: str, size_band: str) -> None:
    expected = SPEC_NIH[(mitoses_band, size_band)][0 if site == "stomach" else 1]
    for size in SIZES_IN_BAND[size_band]:
        for count in NIH_MITOSES_IN_BAND[mitoses_band]:
            got = _value("nih_risk", site=site, size_cm=size, mitotic_rate=count)
            assert got == expected, (site, size, count)


@pytest.mark.parametrize("site", SITES)
def test_nih_rupture_and_unknown_mitoses(site: str) -> None:
    for band, sizes_ in SIZES_IN_BAND.items():
        for size in sizes_:
            for count in (0, 5, 6, 10, 11, 1000, "unknown"):
                got = _value("nih_risk", site=site, size_cm=size, mitotic_rate=count,
                             tumor_rupture=True)  # fmt: skip
                assert got == "high", (site, size, count)
            # Without a count only a tumour over 10 cm is placed (high, criterion 2).
            got = _value("nih_risk", site=site, size_cm=size, mitotic_rate="unknown")
            assert got == ("high" if band == "> 10" else "unknown"), (site, size)


@pytest.mark.parametrize("presentation", ["metastatic", "recurrent"])
def test_nih_and_adjuvant_not_applicable_beyond_localized(presentation: str) -> None:
    for rupture in (False, True):
        for count in (3, 20, "unknown"):
            for name in ("nih_risk", "adjuvant"):
                got = _value(name, presentation=presentation, distant_sites=1,
                             tumor_rupture=rupture, mitotic_rate=count)  # fmt: skip
                assert got == "not_applicable", (name, rupture, count)


# ---------------------------------------------------------------------------- adjuvant


def _spec_adjuvant(risk: str, nih: str) -> str:
    """Spec section 2's adjuvant rows, typed out again (independent of the oracle's)."""
    if "high" in (risk, nih):
        return "three_years"
    if risk == "moderate" or (risk, nih) == ("insufficient_data", "intermediate"):
        return "one_year"
    return "review" if risk == "unknown" else "none"


@pytest.mark.parametrize("site", SITES)
def test_adjuvant_over_every_cell(site: str) -> None:
    afip_bands = {0: "<= 5", 4: "<= 5", 5: "<= 5", 6: "> 5", 10: "> 5", 11: "> 5", 1000: "> 5"}
    nih_bands = {0: "<= 5", 4: "<= 5", 5: "<= 5", 6: "6-10", 10: "6-10", 11: "> 10"}
    nih_bands[1000] = "> 10"
    seen = set()
    for size_band, sizes_ in SIZES_IN_BAND.items():
        for size in sizes_:
            for count, band in afip_bands.items():
                risk = SPEC_AFIP[(band, size_band)][COLUMN_OF_SITE[site]]
                nih = SPEC_NIH[(nih_bands[count], size_band)][0 if site == "stomach" else 1]
                expected = _spec_adjuvant(risk, nih)
                assert expected == adjuvant_of(risk, nih)
                got = _value("adjuvant", site=site, size_cm=size, mitotic_rate=count)
                assert got == expected, (site, size, count, risk, nih)
                seen.add(expected)
            got = _value("adjuvant", site=site, size_cm=size, mitotic_rate="unknown")
            assert got == ("three_years" if size_band == "> 10" else "review"), (site, size)
            got = _value("adjuvant", site=site, size_cm=size, tumor_rupture=True)
            assert got == "three_years"
    assert seen >= {"none", "three_years"}


def test_adjuvant_places_the_afip_cells_with_too_few_cases_by_nih() -> None:
    # Duodenum <= 2 cm, > 5 mitoses: NIH intermediate (6-10) gives 1 year, > 10 gives 3.
    assert _value("adjuvant", site="duodenum", size_cm=1.5, mitotic_rate=8) == "one_year"
    assert _value("adjuvant", site="duodenum", size_cm=1.5, mitotic_rate=11) == "three_years"
    # Duodenum and rectum over 5 cm: NIH high (non-gastric) whatever the count.
    for site in ("duodenum", "rectum"):
        for count in (0, 5, 6, 1000):
            assert _value("adjuvant", site=site, size_cm=7.0, mitotic_rate=count) == ("three_years")
    # The two cells printed with "very few cases" but a category keep it.
    assert _value("risk", site="stomach", size_cm=1.5, mitotic_rate=8) == "none"
    assert _value("adjuvant", site="stomach", size_cm=1.5, mitotic_rate=8) == "none"
    assert _value("adjuvant", site="small_intestine", size_cm=1.5, mitotic_rate=8) == (
        "three_years"
    )


# ---------------------------------------------------------------------------- decision points


@pytest.mark.parametrize(
    ("changes", "pathway"),
    [
        # step 1 boundary: below 2 cm is watched, 2.0 cm is resected
        ({"size_cm": below(2.0), "symptomatic": False}, "surveillance"),
        ({"size_cm": 2.0, "symptomatic": False}, "resection_alone"),
        ({"size_cm": 1.0, "symptomatic": False, "site": "rectum"}, "resection_alone"),
        ({"size_cm": 1.0, "symptomatic": False, "fit_for_surgery": False}, "surveillance"),
        # step 2 boundaries: 5 vs 6 mitoses, 10 cm vs just above
        ({"size_cm": 5.0, "mitotic_rate": 5}, "resection_alone"),
        ({"size_cm": 5.0, "mitotic_rate": 6}, "resection_adjuvant_imatinib_1y"),
        ({"size_cm": 10.0}, "resection_alone"),
        ({"size_cm": above(10.0)}, "resection_adjuvant_imatinib_3y"),  # NIH high (1.1)
        ({"size_cm": 4.0, "mitotic_rate": 10}, "resection_adjuvant_imatinib_1y"),
        ({"size_cm": 4.0, "mitotic_rate": 11}, "resection_adjuvant_imatinib_3y"),  # 1.1
        ({"size_cm": 3.0, "mitotic_rate": 6, "site": "colon"}, "resection_adjuvant_imatinib_3y"),
        ({"tumor_rupture": True, "mutation": "not_tested"}, "resection_then_mutation_testing"),
        ({"tumor_rupture": True, "mutation": "wild_type"}, "resection_alone"),
        ({"mitotic_rate": "unknown"}, "resection_then_risk_review"),
        ({"site": "rectum", "size_cm": 6.0}, "resection_adjuvant_imatinib_3y"),  # 1.1
        ({"mitotic_rate": "unknown", "size_cm": 10.0}, "resection_then_risk_review"),
        ({"mitotic_rate": "unknown", "size_cm": above(10.0)}, "resection_adjuvant_imatinib_3y"),
        # step 1 (1.1): no surveillance after rupture or above 5 mitoses
        ({"size_cm": 1.0, "symptomatic": False, "mitotic_rate": 5}, "surveillance"),
        ({"size_cm": 1.0, "symptomatic": False, "mitotic_rate": "unknown"}, "surveillance"),
        ({"size_cm": 1.0, "symptomatic": False, "mitotic_rate": 6}, "resection_alone"),
        (
            {"size_cm": 1.0, "symptomatic": False, "tumor_rupture": True},
            "resection_adjuvant_imatinib_3y",
        ),
        (
            {"size_cm": 1.0, "symptomatic": False, "tumor_rupture": True, "fit_for_surgery": False},
            "multidisciplinary_review",
        ),
        # steps 3 and 4
        (
            {"resectability": "marginally_resectable", "diagnosis_confirmed": False},
            "biopsy_and_mutation_testing",
        ),
        (
            {"resectability": "marginally_resectable", "fit_for_surgery": False},
            "neoadjuvant_imatinib",
        ),
        ({"fit_for_surgery": False}, "multidisciplinary_review"),
        # steps 6 and 6b (1.1): resect once it stops shrinking, or when it grows
        ({"current_therapy": "imatinib", "response": "responding"}, "continue_targeted_therapy"),
        ({"current_therapy": "imatinib", "response": "stable"}, "resection_after_neoadjuvant"),
        ({"current_therapy": "imatinib", "response": "progressing"}, "resection_for_progression"),
        ({"current_therapy": "sunitinib", "response": "intolerant"}, "resection_for_progression"),
        (
            {"current_therapy": "imatinib", "response": "progressing", "fit_for_surgery": False},
            "imatinib_dose_escalation",
        ),
        # step 12 (1.1): D842V to avapritinib, wild type to sunitinib
        (
            {
                "current_therapy": "imatinib",
                "response": "progressing",
                "fit_for_surgery": False,
                "mutation": "pdgfra_d842v",
            },
            "switch_to_avapritinib",
        ),
        (
            {
                "current_therapy": "avapritinib",
                "response": "progressing",
                "fit_for_surgery": False,
                "mutation": "pdgfra_d842v",
            },
            "later_line_tki_or_trial",
        ),
        (
            {
                "current_therapy": "imatinib",
                "response": "progressing",
                "fit_for_surgery": False,
                "mutation": "wild_type",
            },
            "switch_to_sunitinib",
        ),
        # step 8 boundary: two distant sites vs three
        (
            {
                "presentation": "metastatic",
                "distant_sites": 2,
                "current_therapy": "imatinib",
                "response": "responding",
            },
            "metastasectomy",
        ),
        (
            {
                "presentation": "metastatic",
                "distant_sites": 3,
                "current_therapy": "imatinib",
                "response": "responding",
            },
            "continue_targeted_therapy",
        ),
    ],
)
def test_decision_points(changes: dict[str, object], pathway: str) -> None:
    state = base_state(**changes)
    assert rules().evaluate(state).pathway == pathway
    assert decide(state)[0] == pathway


# ---------------------------------------------------------------------------- the change from 1.0


def test_every_changed_region_holds_an_example_of_the_file() -> None:
    from gistpath.diff import diff_rulesets

    old = gistpath.load_builtin("gist", version="1.0")
    report = diff_rulesets(old, rules())
    assert report.unlisted == 0
    dims = report.space.dimensions[:-1]
    examples = [(e, [d.cell_of(e.state[d.name]) for d in dims]) for e in rules().model.examples]
    for change in report.changes:
        inside = [
            e
            for e, cells in examples
            if all(
                mask >> cell & 1 for mask, cell in zip(change.box[: len(dims)], cells, strict=True)
            )
        ]
        assert inside, f"no example in: {change.where}: {change.old} -> {change.new}"
        for example in inside:
            assert old.evaluate(example.state).pathway == change.old
            assert example.pathway == change.new
    new_ids = {"switch_to_avapritinib", "resection_for_progression"}
    assert new_ids <= {e.pathway for e in rules().model.examples}
    assert any("mutation_testing_advised" in e.considerations for e in rules().model.examples)


def test_the_readme_first_command_gives_the_documented_pathway() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)\n```", readme, flags=re.S)
    assert first is not None
    command = first.group(1)
    assert "gistpath explain gist --state" in command
    state = json.loads(command.split("--state ", 1)[1].strip().strip("'"))
    decision = rules().evaluate(state)
    assert decision.pathway == "resection_alone"
    assert decision.considerations == ("laparoscopic_option",)
    after = readme[first.end() : first.end() + 400]
    assert f"`{decision.pathway}`" in after
    assert "keyhole" in after


# ---------------------------------------------------------------------------- safety properties

# Spec section 8, by the ids the rule file gives them.
SPEC_PROPERTIES = {
    "no_drug_unconfirmed": "holds",
    "surveillance_small_and_quiet": "holds",
    "no_imatinib_without_benefit": "holds",
    "three_years_when_nih_high": "holds",
    "surgery_only_when_fit": "holds",
    "risk_grows_with_size": "monotone",
    "risk_grows_with_mitoses": "monotone",
    "nih_risk_grows_with_size": "monotone",
    "nih_risk_grows_with_mitoses": "monotone",
}
FIRST_DRUG = {
    "first_line_imatinib",
    "first_line_imatinib_high_dose",
    "first_line_avapritinib",
    "neoadjuvant_imatinib",
}
IMATINIB = {
    "first_line_imatinib",
    "first_line_imatinib_high_dose",
    "neoadjuvant_imatinib",
    "resection_adjuvant_imatinib_1y",
    "resection_adjuvant_imatinib_3y",
    "imatinib_dose_escalation",
}
OPERATES = {p for p in SPEC_PATHWAYS if p.startswith("resection_")} | {"metastasectomy"}


def test_the_safety_properties_are_declared_cited_and_proven() -> None:
    props = rules().properties
    assert {name: p.kind for name, p in props.items()} == SPEC_PROPERTIES
    for name, prop in props.items():
        assert prop.title.strip(), name
        assert prop.citations, name
    assert rules().verify().ok
    assert not [f for f in rules().verify().findings if f.kind in ("property", "monotonicity")]


def test_the_properties_hold_by_the_oracle_too() -> None:
    # The same statements read from spec section 8 and checked on the hand-written oracle.
    for state in random_states(seed=808, count=10_000):
        pathway, _, _ = decide(state)
        values = derived_values(state)
        if pathway in FIRST_DRUG:
            assert state["diagnosis_confirmed"], state
        if pathway == "surveillance":
            assert state["size_cm"] < 2, state  # type: ignore[operator]
            assert not state["symptomatic"], state
            assert not state["tumor_rupture"], state
            assert state["mitotic_rate"] == "unknown" or state["mitotic_rate"] <= 5  # type: ignore[operator]
        if pathway in IMATINIB:
            assert state["mutation"] not in ("pdgfra_d842v", "wild_type"), state
        if (
            state["presentation"] == "localized"
            and state["current_therapy"] == "none"
            and values["operable"]
            and pathway != "surveillance"
            and values["imatinib_sensitive"]
            and values["nih_risk"] == "high"
        ):
            assert pathway == "resection_adjuvant_imatinib_3y", state
        if pathway in OPERATES:
            assert state["fit_for_surgery"], state


def _findings_of(text: str) -> list[Any]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gistpath.VerificationWarning)
        rs = gistpath.loads(text, "edited.gprules", draft=True)
    return [f for f in rs.verify().findings if f.kind in ("property", "monotonicity")]


GIST_TEXT = gistpath.builtin_path("gist").read_text(encoding="utf-8")

# An edit of the 1.1 file that breaks exactly one property each (other findings, such as
# examples that now fail, are ignored here).
BREAKING_EDITS = [
    (
        "no_drug_unconfirmed",
        "rule first_line_biopsy -> biopsy_and_mutation_testing",
        "rule first_line_biopsy -> first_line_imatinib",
    ),
    (
        "surveillance_small_and_quiet",
        "    not tumor_rupture\n    mitotic_rate is unknown or mitotic_rate <= 5\n",
        "    mitotic_rate is unknown or mitotic_rate <= 5\n",
    ),
    (
        "no_imatinib_without_benefit",
        "rule marginal_wild_type_review -> multidisciplinary_review",
        "rule marginal_wild_type_review -> neoadjuvant_imatinib",
    ),
    (
        "three_years_when_nih_high",
        '| -                   | high           | three_years    | "high risk by the',
        '| -                   | high           | one_year       | "high risk by the',
    ),
    (
        "surgery_only_when_fit",
        "rule resectable_unfit_review -> multidisciplinary_review",
        "rule resectable_unfit_review -> resection_alone",
    ),
    (
        "risk_grows_with_size",
        "| <= 5         | > 10          | gastric       | moderate ",
        "| <= 5         | > 10          | gastric       | very_low ",
    ),
    (
        "risk_grows_with_mitoses",
        "| > 5          | > 2 and <= 5  | gastric       | moderate ",
        "| > 5          | > 2 and <= 5  | gastric       | none     ",
    ),
    (
        "nih_risk_grows_with_size",
        "| > 2 and <= 5  | <= 5          | -           | low            |",
        "| > 2 and <= 5  | <= 5          | -           | high           |",
    ),
    (
        "nih_risk_grows_with_mitoses",
        "| > 2 and <= 5  | > 5           | stomach     | intermediate   |",
        "| > 2 and <= 5  | > 5           | stomach     | very_low       |",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("prop", "old", "new"), BREAKING_EDITS, ids=[e[0] for e in BREAKING_EDITS])
def test_an_edit_that_breaks_a_property_is_caught(prop: str, old: str, new: str) -> None:
    assert GIST_TEXT.count(old) == 1, old
    found = _findings_of(GIST_TEXT.replace(old, new))
    assert prop in {f.property_id for f in found}, [f.message for f in found]
    for finding in found:
        assert finding.example is not None or finding.examples


def test_version_1_0_breaks_the_properties_1_1_adds() -> None:
    # The properties that need no 1.1 value, written into the 1.0 file: the review's
    # findings (a ruptured or fast small tumour watched, imatinib for D842V and wild type)
    # are caught by them.
    old = gistpath.builtin_path("gist", version="1.0").read_text(encoding="utf-8")
    block = GIST_TEXT[GIST_TEXT.index("property surveillance_small_and_quiet") :]
    block = block[: block.index("property three_years_when_nih_high")]
    unordered = "values none, very_low, low, moderate, high, insufficient_data"
    ordered = "values none < very_low < low < moderate < high, insufficient_data"
    old = old.replace(
        unordered + ", unknown, not_applicable", ordered + ", unknown, not_applicable"
    )
    block = block.replace("    cites nccn_gist\n", "")
    found = {f.property_id for f in _findings_of(old + "\n" + block)}
    assert found == {"surveillance_small_and_quiet", "no_imatinib_without_benefit"}

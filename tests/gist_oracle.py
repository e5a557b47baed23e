"""A second encoding of the GIST pathway model, written by hand from the spec's text.

This module reads nothing from the rule file: it implements sections 1 (consistency
rules), 2 (derived values: ``risk``, ``nih_risk``, ``adjuvant``), 3 (the AFIP table), 5 (how
a state picks its pathway) and 6 (considerations) of ``gist-model.md`` version 1.1
directly, as plain ``if``/``elif``, so that the tests can compare two independent readings
of the same contract. Version 1.0 of the contract is kept beside it
(:func:`pathway_of_1_0`), so that the generated change log can be checked against two
hand-written readings as well.

Two things differ from the spec's text on purpose, both to match what the rule file can
express, and both kept in one place here:

* ``risk`` for a state that is not localized is ``"not_applicable"`` (the spec only defines
  risk for localized states);
* the spec's risk value ``unknown`` is returned as :data:`RISK_UNKNOWN`.
"""

from __future__ import annotations

from collections.abc import Mapping

RISK_UNKNOWN = "unknown"

# Section 3. Bands: size <= 2, (2, 5], (5, 10], > 10 cm; mitoses <= 5, > 5 per 5 mm^2.
SIZE_BANDS = ("<=2", "2-5", "5-10", ">10")
AFIP_COLUMNS = ("stomach", "jejunum_ileum", "duodenum", "rectum")

# (mitoses band, size band) -> category per column, in the order of AFIP_COLUMNS.
AFIP_TABLE: dict[tuple[str, str], tuple[str, str, str, str]] = {
    ("<=5", "<=2"): ("none", "none", "none", "none"),
    ("<=5", "2-5"): ("very_low", "low", "low", "low"),
    ("<=5", "5-10"): ("low", "moderate", "insufficient_data", "insufficient_data"),
    ("<=5", ">10"): ("moderate", "high", "high", "high"),
    (">5", "<=2"): ("none", "high", "insufficient_data", "high"),
    (">5", "2-5"): ("moderate", "high", "high", "high"),
    (">5", "5-10"): ("high", "high", "insufficient_data", "insufficient_data"),
    (">5", ">10"): ("high", "high", "high", "high"),
}

SITE_COLUMN = {
    "stomach": "stomach",
    "small_intestine": "jejunum_ileum",
    "duodenum": "duodenum",
    "rectum": "rectum",
    # no column of their own: the jejunum/ileum column, the conservative choice
    "esophagus": "jejunum_ileum",
    "colon": "jejunum_ileum",
    "extra_gi": "jejunum_ileum",
}

CONSIDERATION_ORDER = (
    "laparoscopic_option",
    "liver_directed_therapy",
    "palliative_radiation",
    "clinical_trial_option",
    "goals_of_care_discussion",
    "local_treatment_of_recurrence",
    "mutation_testing_advised",
)

# Section 6: "resection_* except resection_after_neoadjuvant", localized tumours only.
RESECTION_OF_LOCALIZED = frozenset(
    {
        "resection_alone",
        "resection_adjuvant_imatinib_1y",
        "resection_adjuvant_imatinib_3y",
        "resection_then_mutation_testing",
        "resection_then_risk_review",
        "resection_for_progression",
    }
)
RESECTION_OF_LOCALIZED_1_0 = RESECTION_OF_LOCALIZED - {"resection_for_progression"}

# Section 6, mutation_testing_advised: the pathways that choose a drug.
DRUG_CHOSEN = frozenset(
    {
        "first_line_imatinib",
        "continue_targeted_therapy",
        "imatinib_dose_escalation",
        "switch_to_sunitinib",
        "switch_to_regorafenib",
        "switch_to_ripretinib",
        "later_line_tki_or_trial",
    }
)


def broken_consistency_rules(state: Mapping[str, object]) -> list[str]:
    """Section 1: the consistency rules the state breaks (descriptive names, not ids)."""
    broken = []
    if (state["current_therapy"] == "none") != (state["response"] == "not_applicable"):
        broken.append("therapy none exactly when response not_applicable")
    if state["presentation"] == "localized" and (
        state["distant_sites"] != 0 or state["liver_metastases"] or state["painful_bone_metastases"]
    ):
        broken.append("localized has no distant disease")
    if state["presentation"] == "metastatic" and state["distant_sites"] < 1:  # type: ignore[operator]
        broken.append("metastatic has distant sites")
    if (state["liver_metastases"] or state["painful_bone_metastases"]) and state[
        "distant_sites"
    ] < 1:  # type: ignore[operator]
        broken.append("liver or bone metastases are distant sites")
    return broken


def size_band(size_cm: float) -> str:
    if size_cm <= 2:
        return "<=2"
    if size_cm <= 5:
        return "2-5"
    if size_cm <= 10:
        return "5-10"
    return ">10"


def afip_category(site: str, size_cm: float, mitotic_rate: int) -> str:
    """Section 3: the AFIP category of a known mitotic count."""
    mitoses = "<=5" if mitotic_rate <= 5 else ">5"
    row = AFIP_TABLE[(mitoses, size_band(size_cm))]
    return row[AFIP_COLUMNS.index(SITE_COLUMN[site])]


def risk_of(state: Mapping[str, object]) -> str:
    """Section 2: risk of recurrence after resection of a localized tumour."""
    if state["presentation"] != "localized":
        return "not_applicable"
    if state["tumor_rupture"]:
        return "high"
    if state["mitotic_rate"] == "unknown":
        return RISK_UNKNOWN
    return afip_category(state["site"], state["size_cm"], state["mitotic_rate"])  # type: ignore[arg-type]


def nih_risk_of(state: Mapping[str, object]) -> str:
    """Section 2: the modified NIH criteria, first match wins (1, 2, 3, 3b, 4 ... 10)."""
    if state["presentation"] != "localized":
        return "not_applicable"
    size = state["size_cm"]
    count = state["mitotic_rate"]
    gastric = state["site"] == "stomach"
    if state["tumor_rupture"]:  # 1
        return "high"
    if size > 10:  # type: ignore[operator]  # 2
        return "high"
    if count == "unknown":  # 3
        return "unknown"
    assert isinstance(count, int)
    assert isinstance(size, (int, float))
    if count > 10 or (size > 5 and count > 5):  # 3b
        return "high"
    if not gastric and 2 < size <= 5 and count > 5:  # 4
        return "high"
    if not gastric and 5 < size <= 10 and count <= 5:  # 5
        return "high"
    if gastric and 2 < size <= 5 and count > 5:  # 6
        return "intermediate"
    if size <= 2 and 6 <= count <= 10:  # 7
        return "intermediate"
    if gastric and 5 < size <= 10 and count <= 5:  # 8
        return "intermediate"
    if 2 < size <= 5 and count <= 5:  # 9
        return "low"
    if size <= 2 and count <= 5:  # 10
        return "very_low"
    raise AssertionError(f"the NIH criteria place every counted tumour: {state}")


def adjuvant_of(risk: str, nih_risk: str) -> str:
    """Section 2: the adjuvant decision table, from ``risk`` and ``nih_risk`` alone."""
    if risk == "not_applicable":
        return "not_applicable"
    if nih_risk == "high" or risk == "high":
        return "three_years"
    if risk == "moderate" or (risk == "insufficient_data" and nih_risk == "intermediate"):
        return "one_year"
    if risk == RISK_UNKNOWN:
        return "review"
    return "none"


def operable_of(state: Mapping[str, object]) -> bool:
    return state["resectability"] == "resectable" and state["fit_for_surgery"] is True


def imatinib_sensitive_of(state: Mapping[str, object]) -> bool:
    return state["mutation"] in ("kit_exon11", "kit_exon9", "kit_other", "pdgfra_other")


def _first_line(state: Mapping[str, object]) -> str:
    """Steps 9 and 10 (the same in 1.0 and 1.1)."""
    if not state["diagnosis_confirmed"]:
        return "biopsy_and_mutation_testing"
    mutation = state["mutation"]
    if mutation == "pdgfra_d842v":
        return "first_line_avapritinib"
    if mutation == "wild_type":
        return "clinical_trial"
    if mutation == "kit_exon9":
        return "first_line_imatinib_high_dose"
    return "first_line_imatinib"


def _by_therapy(therapy: object, response: object, imatinib_progression: str) -> str:
    """The list of step 12 after its first point, read by the current drug."""
    if therapy == "imatinib":
        return imatinib_progression if response == "progressing" else "switch_to_sunitinib"
    if therapy == "imatinib_high_dose":
        return "switch_to_sunitinib"
    if therapy == "sunitinib":
        return "switch_to_regorafenib"
    if therapy == "regorafenib":
        return "switch_to_ripretinib"
    if therapy in ("ripretinib", "avapritinib", "other_tki"):
        return "later_line_tki_or_trial"
    raise AssertionError(f"no on-therapy step for {therapy!r} / {response!r}")


def _on_therapy(state: Mapping[str, object]) -> str:
    """Steps 11 and 12 (1.1)."""
    response = state["response"]
    if response in ("responding", "stable"):
        return "continue_targeted_therapy"
    therapy = state["current_therapy"]
    mutation = state["mutation"]
    if mutation == "pdgfra_d842v" and therapy != "avapritinib":
        return "switch_to_avapritinib"
    escalate = "switch_to_sunitinib" if mutation == "wild_type" else "imatinib_dose_escalation"
    return _by_therapy(therapy, response, escalate)


def _step_2(state: Mapping[str, object], adjuvant: str) -> str:
    """Step 2 (1.1): an operable tumour, by the adjuvant table where imatinib could help."""
    mutation = state["mutation"]
    if adjuvant == "review":
        return "resection_then_risk_review"
    if adjuvant == "none":
        return "resection_alone"
    if imatinib_sensitive_of(state):
        if adjuvant == "one_year":
            return "resection_adjuvant_imatinib_1y"
        assert adjuvant == "three_years", adjuvant
        return "resection_adjuvant_imatinib_3y"
    if mutation == "not_tested":
        return "resection_then_mutation_testing"
    return "resection_alone"  # pdgfra_d842v, wild_type: imatinib would not help


def _localized_no_therapy(state: Mapping[str, object], adjuvant: str) -> str:
    """Steps 1 to 5 (1.1)."""
    resectability = state["resectability"]
    count = state["mitotic_rate"]
    if (
        resectability == "resectable"
        and state["size_cm"] < 2  # type: ignore[operator]
        and not state["symptomatic"]
        and state["site"] in ("esophagus", "stomach", "duodenum")
        and not state["tumor_rupture"]
        and (count == "unknown" or count <= 5)  # type: ignore[operator]
    ):
        return "surveillance"
    if operable_of(state):
        return _step_2(state, adjuvant)
    return _steps_3_to_5(state)


def _steps_3_to_5(state: Mapping[str, object]) -> str:
    """Steps 3 to 5 (the same in 1.0 and 1.1)."""
    resectability = state["resectability"]
    if resectability == "marginally_resectable":
        if not state["diagnosis_confirmed"] or state["mutation"] == "not_tested":
            return "biopsy_and_mutation_testing"
        if imatinib_sensitive_of(state):
            return "neoadjuvant_imatinib"
        if state["mutation"] == "pdgfra_d842v":
            return "first_line_avapritinib"
        return "multidisciplinary_review"  # wild_type
    if resectability == "resectable":  # not fit for surgery
        return "multidisciplinary_review"
    return _first_line(state)  # unresectable


def pathway_of(state: Mapping[str, object], adjuvant: str) -> str:
    """Section 5 (1.1), read top to bottom."""
    localized = state["presentation"] == "localized"
    no_therapy = state["current_therapy"] == "none"
    response = state["response"]
    if localized and no_therapy:
        return _localized_no_therapy(state, adjuvant)
    if localized:
        if response == "stable" and operable_of(state):  # 6
            return "resection_after_neoadjuvant"
        if response in ("progressing", "intolerant") and operable_of(state):  # 6b
            return "resection_for_progression"
        return _on_therapy(state)  # 7
    if no_therapy:
        return _first_line(state)
    if (
        response in ("responding", "stable") and operable_of(state) and state["distant_sites"] <= 2  # type: ignore[operator]
    ):  # 8
        return "metastasectomy"
    return _on_therapy(state)


def pathway_of_1_0(state: Mapping[str, object]) -> str:
    """Section 5 as version 1.0 of the contract had it (for the change log)."""
    localized = state["presentation"] == "localized"
    no_therapy = state["current_therapy"] == "none"
    controlled = state["response"] in ("responding", "stable")
    risk = risk_of(state)
    if localized and no_therapy:
        if (
            state["resectability"] == "resectable"
            and state["size_cm"] < 2  # type: ignore[operator]
            and not state["symptomatic"]
            and state["site"] in ("esophagus", "stomach", "duodenum")
        ):
            return "surveillance"
        if operable_of(state):
            if risk in ("none", "very_low", "low"):
                return "resection_alone"
            if risk in ("moderate", "high"):
                if imatinib_sensitive_of(state):
                    if risk == "moderate":
                        return "resection_adjuvant_imatinib_1y"
                    return "resection_adjuvant_imatinib_3y"
                if state["mutation"] == "not_tested":
                    return "resection_then_mutation_testing"
                return "resection_alone"
            return "resection_then_risk_review"  # insufficient_data or unknown
        return _steps_3_to_5(state)
    if localized:
        if controlled and operable_of(state):
            return "resection_after_neoadjuvant"
    elif no_therapy:
        return _first_line(state)
    elif controlled and operable_of(state) and state["distant_sites"] <= 2:  # type: ignore[operator]
        return "metastasectomy"
    if controlled:
        return "continue_targeted_therapy"
    return _by_therapy(state["current_therapy"], state["response"], "imatinib_dose_escalation")


def considerations_of(state: Mapping[str, object], pathway: str) -> tuple[str, ...]:
    """Section 6 (1.1), in the spec's order."""
    localized = state["presentation"] == "localized"
    found = set()
    if pathway in RESECTION_OF_LOCALIZED and state["size_cm"] <= 5:  # type: ignore[operator]
        found.add("laparoscopic_option")
    if not localized and state["liver_metastases"] and pathway != "metastasectomy":
        found.add("liver_directed_therapy")
    if state["painful_bone_metastases"]:
        found.add("palliative_radiation")
    if not localized and state["current_therapy"] in (
        "sunitinib",
        "regorafenib",
        "ripretinib",
        "other_tki",
        "avapritinib",
    ):
        found.add("clinical_trial_option")
    if pathway == "metastasectomy":
        found.add("goals_of_care_discussion")
    if (
        state["presentation"] == "recurrent"
        and state["current_therapy"] == "none"
        and operable_of(state)
        and state["distant_sites"] <= 2  # type: ignore[operator]
    ):
        found.add("local_treatment_of_recurrence")
    if state["mutation"] == "not_tested" and pathway in DRUG_CHOSEN:
        found.add("mutation_testing_advised")
    return tuple(c for c in CONSIDERATION_ORDER if c in found)


def derived_values(state: Mapping[str, object]) -> dict[str, object]:
    """The derived values a decision reports (section 7), by their spec names."""
    risk = risk_of(state)
    nih = nih_risk_of(state)
    return {
        "risk": risk,
        "nih_risk": nih,
        "adjuvant": adjuvant_of(risk, nih),
        "operable": operable_of(state),
        "imatinib_sensitive": imatinib_sensitive_of(state),
    }


def decide(state: Mapping[str, object]) -> tuple[str, tuple[str, ...], str]:
    """(pathway, considerations, risk) for a state that passes the consistency rules."""
    broken = broken_consistency_rules(state)
    if broken:
        raise ValueError(f"inconsistent state: {', '.join(broken)}")
    values = derived_values(state)
    pathway = pathway_of(state, values["adjuvant"])  # type: ignore[arg-type]
    return pathway, considerations_of(state, pathway), values["risk"]  # type: ignore[return-value]

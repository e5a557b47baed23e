"""The GIST pathway logic written by hand in plain Python: the yardstick for ``evaluate``.

Design: :func:`decide` is what a careful programmer would write without gistpath, aiming
for speed: one function, ``if``/``elif`` on the fields, module-level frozensets, no objects
built per call except the result ``(pathway, considerations)``. It validates a state exactly
as :meth:`gistpath.RuleSet.evaluate` does for the bundled GIST rule set, so the two do the
same work and the timing ratio is fair:

* the state is a mapping with exactly the 15 declared fields (a non-``dict`` mapping is
  read through ``[]``; a missing, extra or misspelled field is refused);
* choices are ``str`` (a ``str`` subclass such as ``numpy.str_`` is read as its text),
  compared case-sensitively with the declared names;
* booleans are ``True``/``False`` or a numpy boolean scalar, never ``0``/``1``;
* ``size_cm`` is an ``int`` or a finite ``float`` in ``(0, 100]``; ``mitotic_rate`` an
  ``int`` in ``[0, 1000]`` or the text ``unknown``; ``distant_sites`` an ``int`` in
  ``[0, 50]``; ``bool`` is never a number and ``5.0`` is not an integer; numpy integer
  and float scalars count as the Python value they hold when that value is exact;
* the four consistency rules of the spec, checked in the rule file's order, after the
  fields (a field error wins over a broken rule).

The first fault raises :class:`InvalidState` naming the field (or the consistency rule, by
the rule file's constraint name), in the order of ``StateError.problems``: undeclared keys
first, then the fields in the rule file's order (missing or with a bad value), so tests can
check that both refuse a state for the same reason.

The decision follows section 5 of the spec (version 1.1) top to bottom; the considerations follow
section 6, in the rule file's order. :func:`afip_baseline` is the AFIP table alone as
``if``/``elif``, with no validation at all: the same question the peers of
:mod:`peers` answer.

Limits: this is written for the GIST rule set only and knows nothing of the rule file; a
change to the file needs a change here (``tests/test_benchmarks.py`` catches the
disagreement). Error messages are short: speed of the valid path is the point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
FIELD_SET = frozenset(FIELDS)
N_FIELDS = len(FIELDS)

PRESENTATIONS = frozenset({"localized", "metastatic", "recurrent"})
RESECTABILITY = frozenset({"resectable", "marginally_resectable", "unresectable"})
SITES = frozenset(
    {"esophagus", "stomach", "duodenum", "small_intestine", "colon", "rectum", "extra_gi"}
)
MUTATIONS = frozenset(
    {
        "kit_exon11",
        "kit_exon9",
        "kit_other",
        "pdgfra_d842v",
        "pdgfra_other",
        "wild_type",
        "not_tested",
    }
)
THERAPIES = frozenset(
    {
        "none",
        "imatinib",
        "imatinib_high_dose",
        "avapritinib",
        "sunitinib",
        "regorafenib",
        "ripretinib",
        "other_tki",
    }
)
RESPONSES = frozenset({"not_applicable", "responding", "stable", "progressing", "intolerant"})

UPPER_GI = frozenset({"esophagus", "stomach", "duodenum"})
SENSITIVE = frozenset({"kit_exon11", "kit_exon9", "kit_other", "pdgfra_other"})
CONTROLLED = frozenset({"responding", "stable"})
LATER_LINE = frozenset({"ripretinib", "avapritinib", "other_tki"})
TRIAL_THERAPIES = frozenset({"sunitinib", "regorafenib", "ripretinib", "other_tki", "avapritinib"})
FAILING = frozenset({"progressing", "intolerant"})
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

LAPAROSCOPIC = ("laparoscopic_option",)
NO_CONSIDERATIONS: tuple[str, ...] = ()
LIVER = ("liver_directed_therapy",)
PALLIATIVE = ("palliative_radiation",)
TRIAL = ("clinical_trial_option",)
TESTING = ("mutation_testing_advised",)
GOALS = ("goals_of_care_discussion",)
LOCAL_RECURRENCE = ("local_treatment_of_recurrence",)


class InvalidState(ValueError):
    """The state is not valid: ``field`` names the field or consistency rule at fault."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason}: got {value!r}")


# --------------------------------------------------------------------------- slow paths
# Reached only when a value is not of the plain Python type the fast path expects.


def _numpy_scalar_kind(value: object) -> str | None:
    """The dtype kind of a numpy scalar ('b', 'i', 'u', 'f', ...); None for anything else."""
    cls = type(value)
    if cls.__module__ != "numpy" or cls.__name__ == "ndarray":
        return None
    if getattr(value, "shape", None) != ():
        return None
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    return kind if isinstance(kind, str) else None


def _choice(field: str, value: object, allowed: frozenset[str]) -> str:
    if isinstance(value, str):
        text = str.__str__(value)
        if text in allowed:
            return text
        raise InvalidState(field, value, "not an allowed value")
    raise InvalidState(field, value, "not a choice name")


def _boolean(field: str, value: object) -> bool:
    if _numpy_scalar_kind(value) == "b":
        return bool(value)
    raise InvalidState(field, value, "not a boolean")


def _number(field: str, value: object, *, integer: bool, unknown: bool) -> int | float | str:
    """A value that is not a plain int (or float): numpy scalars, 'unknown', or a refusal."""
    if isinstance(value, str):
        if unknown and str.__str__(value) == "unknown":
            return "unknown"
        raise InvalidState(field, value, "a text, not a number")
    kind = _numpy_scalar_kind(value)
    if kind == "i" or kind == "u":
        return int(value)  # type: ignore[call-overload,no-any-return]
    if kind == "f" and not integer:
        number = float(value)  # type: ignore[arg-type]
        if number != value:  # NaN, or a long double a float cannot hold exactly
            raise InvalidState(field, value, "not an exact finite number")
        return number
    raise InvalidState(field, value, "not a number of the declared kind")


def _undeclared(state: Any) -> None:
    """Raise for a state that is not a mapping, or for its first undeclared key."""
    if not isinstance(state, Mapping):
        raise InvalidState("<state>", state, "not a mapping")
    for key in state:
        if key not in FIELD_SET:
            raise InvalidState(str(key), state[key], "unknown field")


def _shape(state: Any) -> None:
    """Raise for a state that is not a mapping of exactly the declared fields."""
    _undeclared(state)
    for name in FIELDS:
        if name not in state:
            raise InvalidState(name, None, "missing field")


# --------------------------------------------------------------------------- the AFIP table


def afip_baseline(site: str, size_cm: float, mitotic_rate: int) -> str:
    """The AFIP risk category (spec section 3) as if/elif; no validation of the arguments."""
    if mitotic_rate <= 5:
        if size_cm <= 2:
            return "none"
        if size_cm <= 5:
            return "very_low" if site == "stomach" else "low"
        if size_cm <= 10:
            if site == "stomach":
                return "low"
            if site == "duodenum" or site == "rectum":
                return "insufficient_data"
            return "moderate"
        return "moderate" if site == "stomach" else "high"
    if size_cm <= 2:
        if site == "stomach":
            return "none"
        if site == "duodenum":
            return "insufficient_data"
        return "high"
    if size_cm <= 5:
        return "moderate" if site == "stomach" else "high"
    if size_cm <= 10:
        if site == "duodenum" or site == "rectum":
            return "insufficient_data"
        return "high"
    return "high"


def nih_baseline(site: str, size_cm: float, mitotic_rate: int | str, rupture: bool) -> str:
    """The modified NIH criteria (spec section 2) as if/elif; no validation."""
    if rupture or size_cm > 10:
        return "high"
    if mitotic_rate == "unknown":
        return "unknown"
    count = int(mitotic_rate)
    if count > 10 or (size_cm > 5 and count > 5):
        return "high"
    gastric = site == "stomach"
    if size_cm <= 2:
        return "very_low" if count <= 5 else "intermediate"
    if size_cm <= 5:
        if count <= 5:
            return "low"
        return "intermediate" if gastric else "high"
    return "intermediate" if gastric else "high"  # over 5 and up to 10 cm, at most 5


# --------------------------------------------------------------------------- the decision


def decide(state: Mapping[str, object]) -> tuple[str, tuple[str, ...]]:
    """(pathway, considerations) for a GIST state; :class:`InvalidState` if it is invalid."""
    if type(state) is not dict or len(state) != N_FIELDS:
        _undeclared(state)  # a missing field is met below, in field order, as evaluate does
    try:
        presentation = state["presentation"]
        if type(presentation) is not str or presentation not in PRESENTATIONS:
            presentation = _choice("presentation", presentation, PRESENTATIONS)
        resectability = state["resectability"]
        if type(resectability) is not str or resectability not in RESECTABILITY:
            resectability = _choice("resectability", resectability, RESECTABILITY)
        fit = state["fit_for_surgery"]
        if fit is not True and fit is not False:
            fit = _boolean("fit_for_surgery", fit)
        size = state["size_cm"]
        cls = type(size)
        if cls is float or cls is int:
            if not 0 < size <= 100:  # type: ignore[operator]
                raise InvalidState("size_cm", size, "out of range")
        else:
            size = _number("size_cm", size, integer=False, unknown=False)
            if not 0 < size <= 100:  # type: ignore[operator]
                raise InvalidState("size_cm", state["size_cm"], "out of range")
        site = state["site"]
        if type(site) is not str or site not in SITES:
            site = _choice("site", site, SITES)
        mitoses = state["mitotic_rate"]
        if type(mitoses) is int:
            if not 0 <= mitoses <= 1000:
                raise InvalidState("mitotic_rate", mitoses, "out of range")
        else:
            mitoses = _number("mitotic_rate", mitoses, integer=True, unknown=True)
            if mitoses != "unknown" and not 0 <= mitoses <= 1000:  # type: ignore[operator]
                raise InvalidState("mitotic_rate", state["mitotic_rate"], "out of range")
        rupture = state["tumor_rupture"]
        if rupture is not True and rupture is not False:
            rupture = _boolean("tumor_rupture", rupture)
        symptomatic = state["symptomatic"]
        if symptomatic is not True and symptomatic is not False:
            symptomatic = _boolean("symptomatic", symptomatic)
        confirmed = state["diagnosis_confirmed"]
        if confirmed is not True and confirmed is not False:
            confirmed = _boolean("diagnosis_confirmed", confirmed)
        mutation = state["mutation"]
        if type(mutation) is not str or mutation not in MUTATIONS:
            mutation = _choice("mutation", mutation, MUTATIONS)
        therapy = state["current_therapy"]
        if type(therapy) is not str or therapy not in THERAPIES:
            therapy = _choice("current_therapy", therapy, THERAPIES)
        response = state["response"]
        if type(response) is not str or response not in RESPONSES:
            response = _choice("response", response, RESPONSES)
        sites = state["distant_sites"]
        if type(sites) is int:
            if not 0 <= sites <= 50:
                raise InvalidState("distant_sites", sites, "out of range")
        else:
            sites = _number("distant_sites", sites, integer=True, unknown=False)
            if not 0 <= sites <= 50:  # type: ignore[operator]
                raise InvalidState("distant_sites", state["distant_sites"], "out of range")
        liver = state["liver_metastases"]
        if liver is not True and liver is not False:
            liver = _boolean("liver_metastases", liver)
        bone = state["painful_bone_metastases"]
        if bone is not True and bone is not False:
            bone = _boolean("painful_bone_metastases", bone)
    except KeyError:
        _shape(state)
        raise
    except InvalidState:
        _undeclared(state)  # an undeclared key comes before any bad value, as in evaluate
        raise

    # The consistency rules, in the rule file's order.
    no_therapy = therapy == "none"
    if no_therapy is not (response == "not_applicable"):
        raise InvalidState("therapy_has_response", state, "the state breaks this constraint")
    localized = presentation == "localized"
    if localized and (sites != 0 or liver or bone):
        raise InvalidState("localized_has_no_spread", state, "the state breaks this constraint")
    if sites == 0:
        if presentation == "metastatic":
            raise InvalidState("metastatic_has_sites", state, "the state breaks this constraint")
        if liver or bone:
            raise InvalidState("metastases_are_counted", state, "the state breaks this constraint")

    # Section 5, top to bottom; section 6 beside it.
    if localized:
        if not no_therapy:
            if fit and resectability == "resectable":
                if response == "stable":
                    return "resection_after_neoadjuvant", NO_CONSIDERATIONS
                if response in FAILING:
                    if size <= 5:  # type: ignore[operator]
                        return "resection_for_progression", LAPAROSCOPIC
                    return "resection_for_progression", NO_CONSIDERATIONS
            pathway = _on_therapy(therapy, response, mutation)
            if mutation == "not_tested" and pathway in DRUG_CHOSEN:
                return pathway, TESTING
            return pathway, NO_CONSIDERATIONS
        if resectability == "resectable":
            if (
                size < 2  # type: ignore[operator]
                and not symptomatic
                and site in UPPER_GI
                and not rupture
                and (mitoses == "unknown" or mitoses <= 5)  # type: ignore[operator]
            ):
                return "surveillance", NO_CONSIDERATIONS
            if not fit:
                return "multidisciplinary_review", NO_CONSIDERATIONS
            # Operable: resect; what follows depends on the adjuvant table.
            if rupture:
                risk = "high"
            elif mitoses == "unknown":
                risk = "unknown"
            else:
                risk = afip_baseline(site, size, mitoses)  # type: ignore[arg-type]
            nih = nih_baseline(site, size, mitoses, rupture)  # type: ignore[arg-type]
            if risk == "high" or nih == "high":
                adjuvant = "three_years"
            elif risk == "moderate" or (risk == "insufficient_data" and nih == "intermediate"):
                adjuvant = "one_year"
            elif risk == "unknown":
                adjuvant = "review"
            else:
                adjuvant = "none"
            if adjuvant == "none":
                pathway = "resection_alone"
            elif adjuvant == "review":
                pathway = "resection_then_risk_review"
            elif mutation in SENSITIVE:
                if adjuvant == "one_year":
                    pathway = "resection_adjuvant_imatinib_1y"
                else:
                    pathway = "resection_adjuvant_imatinib_3y"
            elif mutation == "not_tested":
                pathway = "resection_then_mutation_testing"
            else:
                pathway = "resection_alone"
            if size <= 5:  # type: ignore[operator]
                return pathway, LAPAROSCOPIC
            return pathway, NO_CONSIDERATIONS
        if resectability == "marginally_resectable":
            if not confirmed or mutation == "not_tested":
                return "biopsy_and_mutation_testing", NO_CONSIDERATIONS
            if mutation in SENSITIVE:
                return "neoadjuvant_imatinib", NO_CONSIDERATIONS
            if mutation == "pdgfra_d842v":
                return "first_line_avapritinib", NO_CONSIDERATIONS
            return "multidisciplinary_review", NO_CONSIDERATIONS
        pathway = _first_line(confirmed, mutation)
        if mutation == "not_tested" and pathway == "first_line_imatinib":
            return pathway, TESTING
        return pathway, NO_CONSIDERATIONS

    # Metastatic or recurrent.
    considerations = NO_CONSIDERATIONS
    if no_therapy:
        pathway = _first_line(confirmed, mutation)
        if liver:
            considerations = LIVER
        if bone:
            considerations += PALLIATIVE
        if (
            presentation == "recurrent" and fit and resectability == "resectable" and sites <= 2  # type: ignore[operator]
        ):
            considerations += LOCAL_RECURRENCE
        if mutation == "not_tested" and pathway == "first_line_imatinib":
            considerations += TESTING
        return pathway, considerations
    if (
        response in CONTROLLED and fit and resectability == "resectable" and sites <= 2  # type: ignore[operator]
    ):
        if bone:
            considerations = PALLIATIVE
        if therapy in TRIAL_THERAPIES:
            considerations += TRIAL
        return "metastasectomy", considerations + GOALS
    if liver:
        considerations = LIVER
    if bone:
        considerations += PALLIATIVE
    if therapy in TRIAL_THERAPIES:
        considerations += TRIAL
    pathway = _on_therapy(therapy, response, mutation)
    if mutation == "not_tested" and pathway in DRUG_CHOSEN:
        considerations += TESTING
    return pathway, considerations


def _first_line(confirmed: object, mutation: object) -> str:
    """Steps 9 and 10: no drug yet, and surgery is not the first step."""
    if not confirmed:
        return "biopsy_and_mutation_testing"
    if mutation == "pdgfra_d842v":
        return "first_line_avapritinib"
    if mutation == "wild_type":
        return "clinical_trial"
    if mutation == "kit_exon9":
        return "first_line_imatinib_high_dose"
    return "first_line_imatinib"


def _on_therapy(therapy: object, response: object, mutation: object) -> str:
    """Steps 11 and 12: on a drug, and surgery is not the next step."""
    if response in CONTROLLED:
        return "continue_targeted_therapy"
    if mutation == "pdgfra_d842v" and therapy != "avapritinib":
        return "switch_to_avapritinib"
    if therapy == "imatinib":
        if response == "progressing" and mutation != "wild_type":
            return "imatinib_dose_escalation"
        return "switch_to_sunitinib"
    if therapy == "imatinib_high_dose":
        return "switch_to_sunitinib"
    if therapy == "sunitinib":
        return "switch_to_regorafenib"
    if therapy == "regorafenib":
        return "switch_to_ripretinib"
    return "later_line_tki_or_trial"  # ripretinib, avapritinib, other_tki


__all__ = ["FIELDS", "InvalidState", "afip_baseline", "decide", "nih_baseline"]

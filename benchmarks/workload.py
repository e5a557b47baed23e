"""The states the benchmarks evaluate: a fixed, seeded sample of distinct valid GIST states.

Design: :func:`sample_states` draws states field by field from the spec's domains with a
``random.Random(seed)``, so every run (and every machine) times the same states. About a
third of the numbers sit on or beside a threshold of the rule file (2, 5, 10 cm; 5 and 6
mitoses; 2 and 3 distant sites), where bugs and slow paths live; the rest are spread over
the whole range, ``unknown`` mitotic counts included. The consistency rules are respected
by construction (therapy and response agree; localized disease has no distant sites).
Duplicates are dropped, so ``n`` states are ``n`` different states.

:func:`columns` turns rows into the column shapes ``evaluate_many`` accepts: Python lists,
or numpy arrays (choices as fixed-width text, flags as ``bool``, ``size_cm`` as ``float64``,
``distant_sites`` as ``int64``, and ``mitotic_rate`` as objects because it mixes integers
with ``"unknown"``).

Limits: presentations are equally likely and about half the states have no drug yet; this
is a spread over the decision tree, not the mix of a real clinic.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

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
RESPONSES_ON_DRUG = ("responding", "stable", "progressing", "intolerant")

SIZE_EDGES: tuple[float, ...] = (
    *(
        x
        for t in (2.0, 5.0, 10.0)
        for x in (math.nextafter(t, 0.0), t, math.nextafter(t, math.inf))
    ),
    1.5,
    1.9999,
    100.0,
)
MITOSES_EDGES: tuple[int | str, ...] = (0, 5, 6, 1000, "unknown")
DISTANT_EDGES = (1, 2, 3, 50)

FLAGS = ("fit_for_surgery", "tumor_rupture", "symptomatic", "diagnosis_confirmed")


def _state(rng: random.Random, presentation: str) -> dict[str, object]:
    therapy = "none" if rng.random() < 0.45 else rng.choice(THERAPIES[1:])
    response = "not_applicable" if therapy == "none" else rng.choice(RESPONSES_ON_DRUG)
    size: float = rng.choice(SIZE_EDGES) if rng.random() < 0.35 else rng.uniform(0.1, 100.0)
    if rng.random() < 0.05:  # a whole number of cm, as JSON often carries it: an int
        size = rng.randint(1, 100)
    mitoses: int | str = rng.choice(MITOSES_EDGES) if rng.random() < 0.35 else rng.randint(0, 40)
    if presentation == "localized":
        sites, liver, bone = 0, False, False
    else:
        low = 1 if presentation == "metastatic" else 0
        sites = rng.choice(DISTANT_EDGES) if rng.random() < 0.5 else rng.randint(low, 50)
        liver = sites >= 1 and rng.random() < 0.5
        bone = sites >= 1 and rng.random() < 0.3
    return {
        "presentation": presentation,
        "resectability": rng.choice(RESECTABILITY),
        "fit_for_surgery": rng.random() < 0.7,
        "size_cm": size,
        "site": rng.choice(SITES),
        "mitotic_rate": mitoses,
        "tumor_rupture": rng.random() < 0.15,
        "symptomatic": rng.random() < 0.5,
        "diagnosis_confirmed": rng.random() < 0.8,
        "mutation": rng.choice(MUTATIONS),
        "current_therapy": therapy,
        "response": response,
        "distant_sites": sites,
        "liver_metastases": liver,
        "painful_bone_metastases": bone,
    }


def _distinct(
    n: int, seed: int, presentations: Sequence[str], *, no_therapy: bool = False
) -> list[dict[str, object]]:
    rng = random.Random(seed)
    seen: set[tuple[tuple[str, object, type], ...]] = set()
    out: list[dict[str, object]] = []
    while len(out) < n:
        state = _state(rng, rng.choice(presentations))
        if no_therapy:
            state["current_therapy"], state["response"] = "none", "not_applicable"
        key = tuple((k, v, type(v)) for k, v in state.items())
        if key not in seen:
            seen.add(key)
            out.append(state)
    return out


def sample_states(n: int = 10_000, seed: int = 2026) -> list[dict[str, object]]:
    """``n`` distinct valid GIST states, the same for the same ``n`` and ``seed``."""
    return _distinct(n, seed, PRESENTATIONS)


def localized_states(n: int = 2_000, seed: int = 2026) -> list[dict[str, object]]:
    """``n`` distinct valid localized states with no drug yet: the AFIP question."""
    return _distinct(n, seed + 1, ("localized",), no_therapy=True)


def columns(rows: Sequence[dict[str, object]]) -> dict[str, list[object]]:
    """Rows as a mapping of field name to a Python list."""
    names = list(rows[0])
    return {name: [row[name] for row in rows] for name in names}


def numpy_columns(rows: Sequence[dict[str, object]]) -> dict[str, Any]:
    """Rows as numpy arrays, each of the dtype a user would naturally hold it in."""
    import numpy as np

    out: dict[str, Any] = {}
    for name, values in columns(rows).items():
        first = values[0]
        if name == "mitotic_rate":
            array = np.empty(len(values), dtype=object)
            array[:] = values
        elif name == "size_cm":
            array = np.asarray(values, dtype=np.float64)
        elif isinstance(first, bool):
            array = np.asarray(values, dtype=bool)
        elif isinstance(first, int):
            array = np.asarray(values, dtype=np.int64)
        else:
            array = np.asarray(values, dtype=str)
        out[name] = array
    return out


def repeat_to(rows: Sequence[dict[str, object]], n: int) -> list[dict[str, object]]:
    """The first ``n`` items of ``rows`` repeated end to end (the same objects, not copies)."""
    times, rest = divmod(n, len(rows))
    return list(rows) * times + list(rows[:rest])


__all__ = [
    "columns",
    "localized_states",
    "numpy_columns",
    "repeat_to",
    "sample_states",
]

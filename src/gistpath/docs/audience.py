"""Whether a rule set reads as clinical: the words of its title, summary and pathways.

Design: :func:`looks_clinical` looks for words of medicine (:data:`CLINICAL_WORDS`) in what
a rule set says of itself, so a tool can tell a clinical rule set from, say, a walking
plan. The page itself shows its "decision support, not medical advice" notice for a rule
set that declares ``audience "clinicians"`` (:func:`gistpath.explain.is_clinical`).

Limits: English words only; a rule set can read as clinical without being one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet

# Words that mark a rule set as clinical when its title, summary or pathways use them.
CLINICAL_WORDS = frozenset(
    [
        "clinical", "clinician", "clinicians", "patient", "patients", "treatment",
        "treatments", "therapy", "diagnosis", "medical", "medicine", "tumour", "tumours",
        "tumor", "tumors", "cancer", "surgery", "drug", "drugs", "dose", "disease",
        "oncology", "pathology", "symptoms",
    ]
)  # fmt: skip


def looks_clinical(ruleset: RuleSet) -> bool:
    """Whether the rule set's title, summary or pathways speak of patients and treatment."""
    model = ruleset.model
    texts = [model.title or "", model.summary or ""]
    for pathway in model.pathways.values():
        texts += [pathway.title, pathway.summary]
    found = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text)}
    return bool(found & CLINICAL_WORDS)

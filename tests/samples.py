"""Sample rule files and states shared by the tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gistpath.lsp.analysis import Analysis

ROOT = Path(__file__).resolve().parents[1]
WALK_FILE = ROOT / "docs" / "examples" / "walk.gprules"
GIST_FILE = ROOT / "src" / "gistpath" / "rules" / "gist.gprules"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: A small complete rule file (a source, two inputs, a let, two pathways, two rules).
SMALL = """\
source guide "An invented guide"
    publisher "Tests"

input site "Primary site": choice stomach, rectum
input size_cm "Largest diameter": number > 0 and <= 100 cm

let small "Small": size_cm < 2 cm

pathway surveillance "Surveillance"
    summary "Watch and wait."
    cites guide "Small tumours"
pathway resection "Resection"
    summary "Remove it."
    cites guide "Surgery"

rule small_gastric -> surveillance: site is stomach and small
rule other -> resection: not (site is stomach and small)
"""


def walk_state(**changes: object) -> dict[str, object]:
    """A valid state of the walk example (a short dry stroll), with changes."""
    state: dict[str, object] = {
        "sky": "clear",
        "temperature_c": 18,
        "wind_kmh": 10,
        "rain_chance": 10,
        "distance_km": 4,
        "has_car": False,
        "child_along": False,
    }
    state.update(changes)
    return state


def walk_columns(n: int, **given: object) -> dict[str, object]:
    """``n`` copies of :func:`walk_state` as columns (lists), with ``given`` columns instead."""
    columns: dict[str, object] = {name: [value] * n for name, value in walk_state().items()}
    columns.update(given)
    return columns


def gist_state(**changes: object) -> dict[str, object]:
    """A valid localized GIST state (a 4 cm gastric tumour, no drug yet), with changes."""
    state: dict[str, object] = {
        "presentation": "localized",
        "resectability": "resectable",
        "fit_for_surgery": True,
        "size_cm": 4.0,
        "site": "stomach",
        "mitotic_rate": 3,
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
    state.update(changes)
    return state


def gist_site_test() -> tuple[Analysis, list[str], int, int]:
    """GIST analysed by the language server's fast stage, its lines, and the row and column
    of its first ``site in {`` (for hover, completion and navigation tests)."""
    from gistpath.lsp import analysis

    found = analysis.analyze(GIST_FILE.read_text(encoding="utf-8"))
    lines = found.text.split("\n")
    row = next(i for i, line in enumerate(lines) if "site in {" in line)
    return found, lines, row, lines[row].index("site in {")

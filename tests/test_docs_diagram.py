"""The decision diagram (``docs/diagram.py``, :func:`gistpath.docs.render_svg`): well-formed
SVG, conditions in words rather than rule syntax, and a link to every pathway.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import gistpath
from gistpath.docs import render_svg
from gistpath.ruleset import anchor

from samples import ROOT

TUTORIAL = ROOT / "docs" / "examples" / "tutorial"


def test_svg_is_well_formed_and_escapes_text() -> None:
    rules = gistpath.load(TUTORIAL / "walk_4.gprules")
    root = ET.fromstring(render_svg(rules))
    svg = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg}svg"
    texts = [t.text for t in root.iter(f"{svg}text")]
    # Conditions in words (titles, units as printed), not rule syntax.
    assert "Wind speed: less than 62 km/h" in texts
    assert not any("wind_kmh" in (t or "") for t in texts)
    links = [a.get("href") for a in root.iter(f"{svg}a")]
    assert sorted(set(links)) == sorted(f"#{anchor('pathway', p)}" for p in rules.pathways)

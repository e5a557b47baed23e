"""The page as reST on its own (``docs/page/``, :func:`gistpath.docs.render_rst`): plain
reST that docutils accepts without Sphinx, with an anchor for every pathway and
consideration; the clinical notice forced on or off; properties rendered as guarantees, in
plain reST and through Sphinx.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docutils.core
import pytest

import gistpath
from gistpath.docs import render_rst
from gistpath.ruleset import anchor

from samples import WALK_FILE
from sphinx_pages import ROOTS, page_text


def test_plain_rest_is_valid_docutils_without_sphinx() -> None:
    text = render_rst(gistpath.load(WALK_FILE))
    assert "gistpath:" not in text  # no Sphinx directives or roles in plain mode
    tree = docutils.core.publish_doctree(
        text, settings_overrides={"report_level": 2, "halt_level": 2, "output_encoding": "unicode"}
    )
    ids = {i for node in tree.findall() if hasattr(node, "get") for i in node.get("ids", [])}
    walk = gistpath.load(WALK_FILE)
    for pid in walk.pathways:
        assert anchor("pathway", pid) in ids
    for cid in walk.considerations:
        assert anchor("consideration", cid) in ids


def test_the_clinical_notice_can_be_forced_on_or_off() -> None:
    walk = gistpath.load(WALK_FILE)
    gist = gistpath.load_builtin("gist")
    assert "not medical advice" in render_rst(walk, clinical=True)
    assert "not medical advice" not in render_rst(gist, clinical=False, diagram=False).replace(
        gist.model.summary or "", ""
    )


def _with_properties() -> str:
    """walk.gprules with an ordered wind band and two properties."""
    text = WALK_FILE.read_text(encoding="utf-8")
    assert "    values calm, breezy, gale\n" in text
    text = text.replace("    values calm, breezy, gale\n", "    values calm < breezy < gale\n")
    return text + (
        '\nproperty umbrella_only_calm "No umbrella unless the wind is calm"\n'
        '    cites handbook "Wind"\n'
        "    holds:\n"
        "        pathway is walk_with_umbrella implies wind_band is calm\n"
        "        considerations include snacks implies child_along\n"
        '\nproperty wind_band_grows "The wind band never falls as the wind grows"\n'
        "    monotone: wind_band in wind_kmh\n"
    )


@pytest.mark.slow
def test_properties_are_rendered_as_guarantees(
    make_app: Callable[..., Any], tmp_path: Path
) -> None:
    rs = gistpath.loads(_with_properties(), "walk.gprules")
    text = render_rst(rs)
    guarantees = text[text.index("Guarantees\n") :]
    assert "No umbrella unless the wind is calm" in guarantees
    assert "the considerations include" in guarantees
    assert "never falls in the order *calm* < *breezy* < *gale*" in guarantees
    assert "every guarantee listed below holds" in text
    docutils.core.publish_doctree(
        text, settings_overrides={"report_level": 2, "halt_level": 2, "output_encoding": "unicode"}
    )
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-variant", srcdir)
    (srcdir / "variant.gprules").write_text(_with_properties(), encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    page = page_text((app.outdir / "index.html").read_text(encoding="utf-8"))
    assert "Guarantees" in page
    assert "The wind band never falls as the wind grows" in page

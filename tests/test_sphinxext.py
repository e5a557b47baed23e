"""The Sphinx extension (``gistpath.sphinxext``) on projects other than the GIST page.

Small projects are built through ``sphinx.testing.fixtures`` (``make_app``, ``app``; test
roots in ``roots/test-*``): a walk rule file with a new pathway shows up without hand
edits; rule files that fail to load give located warnings (no traceback), each with a
subtype that ``suppress_warnings`` can silence; one rule set on two pages is documented
once, with a warning, and the other page's copy drops its index and diagram on request.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

import gistpath

from samples import WALK_FILE
from sphinx_pages import ROOTS, page_section, page_text


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``sphinx.testing.fixtures`` finds the test roots (``roots/test-*``)."""
    return ROOTS


def _variant_text() -> str:
    """walk.gprules with one more pathway, chosen by a new `when` block."""
    text = WALK_FILE.read_text(encoding="utf-8")
    pathway = (
        'pathway stay_home_and_read "Stay at home with a book"\n'
        '    summary "A gale and rain: the best walk today is in a novel."\n'
        '    cites handbook "Rest days"\n\n'
    )
    rules = (
        "when wind_band is gale:\n"
        "    rule gale_and_wet -> stay_home_and_read: rain_outlook is wet\n"
        "    rule gale -> stay_home: otherwise\n"
    )
    old_rule = "rule gale -> stay_home: wind_band is gale\n"
    assert old_rule in text
    text = text.replace(old_rule, rules)
    return text.replace("pathway drive_instead", pathway + "pathway drive_instead", 1)


def test_a_new_pathway_shows_up_without_hand_edits(
    make_app: Callable[..., Any], tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-variant", srcdir)
    (srcdir / "variant.gprules").write_text(_variant_text(), encoding="utf-8")
    assert "stay_home_and_read" in gistpath.load(srcdir / "variant.gprules").pathways
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    section = page_text(page_section(page, "pathway-stay-home-and-read"))
    assert section.startswith("Stay at home with a book ")
    assert "(rule gale_and_wet )" in section
    assert "How windy it is : gale" in section
    assert "What the rain will do : wet" in section
    assert "The Rambler's Handbook (invented for this tutorial), section “Rest days”" in section
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'href="#pathway-stay-home-and-read"' in svg
    assert "Decision support, not medical advice" not in page  # walking is not clinical


@pytest.mark.sphinx("html", testroot="broken")
def test_rule_files_that_fail_give_located_warnings(app: SphinxTestApp) -> None:
    app.build()  # no exception: the page is built without the broken rule sets
    warnings = app.warning.getvalue()
    rules = Path(app.srcdir, "rules")
    assert f"{rules / 'syntax.gprules'}:12: WARNING: expected" in warnings
    assert "[gistpath.syntax]" in warnings
    assert f"{rules / 'semantic.gprules'}:12: WARNING: 'b' is not a declared pathway" in warnings
    assert "[gistpath.semantic]" in warnings
    assert f"{rules / 'gap.gprules'}:12: WARNING: gap: no rule covers" in warnings
    assert "[gistpath.verify]" in warnings
    assert "missing.gprules" in warnings
    assert "[gistpath.read]" in warnings
    assert "Traceback" not in warnings
    assert len(re.findall(r"WARNING", warnings)) == 4


@pytest.mark.sphinx(
    "html",
    testroot="broken",
    srcdir="broken-suppressed",
    confoverrides={"suppress_warnings": ["gistpath.syntax", "gistpath.verify"]},
)
def test_warnings_can_be_suppressed_by_subtype(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "[gistpath.semantic]" in warnings
    assert "[gistpath.syntax]" not in warnings
    assert "[gistpath.verify]" not in warnings


@pytest.mark.slow
def test_one_rule_set_on_two_pages(make_app: Callable[..., Any], tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["gistpath.sphinxext"]\n', encoding="utf-8")
    shutil.copy(WALK_FILE, srcdir / "walk.gprules")
    pages = {
        "index": "Walk\n====\n\n.. toctree::\n\n   a\n   b\n   c\n\n"
        ":gistpath:pathway:`stay_home`\n",
        "a": ".. gistpath:ruleset:: walk.gprules\n",
        "b": ".. gistpath:ruleset:: walk.gprules\n   :no-index:\n   :no-diagram:\n",
        "c": ".. gistpath:ruleset:: walk.gprules\n",
    }
    for name, text in pages.items():
        (srcdir / f"{name}.rst").write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    app.build()
    warnings = app.warning.getvalue().splitlines()
    assert len(warnings) == 1
    assert "c.rst:1: WARNING: rule set 'walk' is already documented in a" in warnings[0]
    assert "[gistpath.duplicate]" in warnings[0]
    index = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="a.html#pathway-stay-home"' in index
    second = (app.outdir / "b.html").read_text(encoding="utf-8")
    assert 'id="pathway-stay-home"' in second
    assert "<svg" not in second

"""The generated rule documentation: reST rendering, the Sphinx extension, the CLI, the docs.

The GIST rule set is built once per module with Sphinx (test root ``roots/test-gist``);
the checks then read its HTML: every pathway and consideration has its section, its anchor
(``ruleset.anchor``), its title and its resolved citations; the anchor of the decision for
any valid state is on the page; the diagram reaches every pathway. Other tests build small
projects through ``sphinx.testing.fixtures`` (``make_app``): a walk rule file with a new
pathway, and rule files that fail to load (located warnings, no traceback). The tutorial's
files load and the command outputs it shows are what the commands print; run this module as
a script (``python tests/test_docs.py``) to rewrite those outputs after a deliberate change.
"""

from __future__ import annotations

import html
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docutils.core
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

import gistpath
from gistpath import ast
from gistpath.cli import main
from gistpath.docs import describe, looks_clinical, render_rst, render_svg
from gistpath.ruleset import anchor

from samples import ROOT, WALK_FILE
from strategies import states

ROOTS = Path(__file__).resolve().parent / "roots"
TUTORIAL = ROOT / "docs" / "examples" / "tutorial"
GIST = gistpath.load_builtin("gist")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``sphinx.testing.fixtures`` finds the test roots (``roots/test-*``)."""
    return ROOTS


def _text(fragment: str) -> str:
    """HTML as the reader sees it: tags dropped, entities decoded, white space folded.

    Sphinx's smart quotes curl the apostrophe; it is turned back so texts from the file match.
    """
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return text.replace("\u2019", "'")


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def _section(page: str, node_id: str) -> str:
    """The part of the page from the anchor ``node_id`` up to the next section."""
    start = page.rindex("<", 0, page.index(f'id="{node_id}"'))
    end = page.find("<section", start + 1)
    return page[start : end if end >= 0 else len(page)]


# --------------------------------------------------------------------------- the GIST page


@pytest.fixture(scope="module")
def gist_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The GIST test root built once: (index.html, the warnings)."""
    srcdir = tmp_path_factory.mktemp("gist-docs") / "src"
    shutil.copytree(ROOTS / "test-gist", srcdir)
    shutil.copy(gistpath.builtin_path("gist"), srcdir / "gist.gprules")
    app = SphinxTestApp("html", srcdir=srcdir)
    try:  # cleaned up at once: Sphinx registers node classes globally, one app at a time
        app.build()
        return (app.outdir / "index.html").read_text(encoding="utf-8"), app.warning.getvalue()
    finally:
        app.cleanup()


@pytest.mark.slow
def test_gist_page_builds_without_warnings(gist_build: tuple[str, str]) -> None:
    _page, warnings = gist_build
    assert warnings == ""


@pytest.mark.slow
def test_every_pathway_has_its_section_anchor_title_and_citations(
    gist_build: tuple[str, str],
) -> None:
    page, _ = gist_build
    assert len(GIST.pathways) == 23
    for pid, pathway in GIST.pathways.items():
        section = _text(_section(page, anchor("pathway", pid)))
        assert section.startswith(f"{pathway.title} ")
        assert " ".join(pathway.summary.split()) in section
        raw = _section(page, anchor("pathway", pid))
        for citation in pathway.citations:
            assert citation.source.title in section, (pid, citation.source.name)
            # A number linked to the one list of sources, where the full reference is.
            assert f'href="#{anchor("source", citation.source.name)}"' in raw
            if citation.section:
                assert f"section \u201c{citation.section}\u201d" in section
        for rule in GIST.rules:
            if rule.pathway == pid:
                assert f"(rule {rule.id} )" in section


def test_every_consideration_has_its_section_anchor_title_and_citations(
    gist_build: tuple[str, str],
) -> None:
    page, _ = gist_build
    for cid, item in GIST.considerations.items():
        section = _text(_section(page, anchor("consideration", cid)))
        assert section.startswith(f"{item.title} ")
        for citation in item.citations:
            assert citation.source.title in section
            if citation.section:
                assert f"section \u201c{citation.section}\u201d" in section


def test_conditions_are_in_words_with_the_enclosing_when_guards(
    gist_build: tuple[str, str],
) -> None:
    page, _ = gist_build
    section = _text(_section(page, anchor("pathway", "resection_adjuvant_imatinib_3y")))
    section = section.replace(" :", ":")
    # The rule itself, and the three `when` blocks around it, by their titles; the block's
    # "one year or three years" and the rule's "three years" said once.
    model = GIST.model
    assert f"{model.tables['adjuvant'].title}: three years" in section
    assert "one year or three years" not in section
    assert model.lets["imatinib_sensitive"].title in section
    assert model.lets["operable"].title in section
    assert f"{model.lets['watchable'].title}: no" in section
    assert "Where the disease stands: localized" in section
    assert "not not" not in section
    # A derived value unfolds to its definition.
    raw = _section(page, anchor("pathway", "resection_adjuvant_imatinib_3y"))
    assert '<details class="gistpath-details"><summary>' in raw
    otherwise = _text(_section(page, anchor("pathway", "first_line_imatinib"))).replace(" :", ":")
    assert "KIT/PDGFRA mutation found in the tumour: kit exon11" in otherwise
    assert "pdgfra d842v" not in otherwise


def test_afip_table_is_a_real_table_with_its_percentages(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    section = _section(page, anchor("value", "afip_risk"))
    table = section[section.index("<table") : section.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    cells = [[_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows]
    # The published grid: mitotic band and size band down, the site columns across.
    assert cells[0] == ["Mitoses per 5 mm²", "Largest diameter of the primary tumour (cm)",
                        "gastric", "jejunum ileum", "duodenal", "rectal"]  # fmt: skip
    assert len(cells) == 1 + 8
    assert cells[4] == ["≤ 5", "> 10", "moderate (10%) row 13", "high (52%) row 14",
                        "high (34%) row 15", "high (57%) row 16"]  # fmt: skip
    assert cells[5][:3] == ["> 5", "≤ 2", "none (0% (very few cases)) row 17"]
    # Every row has its anchor; the row outside the grid is listed below it.
    for number in range(1, len(GIST.model.tables["afip_risk"].rows) + 1):
        assert f'id="value-afip-risk-row-{number}"' in section
    rest = section[section.index("</table>") :]
    assert "not in the published table" in _text(rest)
    assert "share of patients in the AFIP series whose disease progressed" in _text(section)


def test_nih_table_is_a_real_table_with_its_criteria(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    section = _section(page, anchor("value", "nih_risk"))
    table = section[section.index("<table") : section.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    cells = [[_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows]
    assert cells[0][-2:] == ["Value", "criterion"]
    assert len(cells) == 1 + len(GIST.model.tables["nih_risk"].rows)
    assert ["2", "any", "yes", "any", "any", "any", "high", "1. tumour rupture"] in cells
    assert cells[-1][-2:] == ["very low", "10. up to 2 cm, at most 5 mitoses"]


def test_overview_disclaimer_counts_and_inputs(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    text = _text(page)
    assert "Decision support, not medical advice" in text
    assert "15 inputs, 15 derived values (5 decision tables)" in text
    assert "23 pathways, 7 considerations" in text
    # Spec section 9: the known limits are stated plainly on the page, under the summary.
    limits = text[text.index("Known limits of this version") :]
    for limit in ("adjuvant imatinib", "margins", "rupture", "earlier lines", "widespread",
                  "exon 18", "SDH-deficient", "NF1", "BRAF", "NTRK"):  # fmt: skip
        assert limit in limits[:1200], limit
    assert text.index("Known limits") < text.index("Pathways at a glance")
    inputs = _text(_section(page, "inputs"))
    assert "mitotic_rate Mitoses per 5 mm²" in inputs
    assert "an integer ≥ 0 and ≤ 1000, or unknown (per 5 mm²)" in inputs


def test_examples_and_sources_are_listed(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    text = _text(page)
    for example in GIST.model.examples:
        assert f"{example.name} (line {example.line})" in text
    for source in GIST.sources.values():
        assert source.title in text
        if source.url:
            assert f'href="{source.url}"' in page


def test_prose_cross_references_resolve(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    for kind, target in (
        ("pathway", "pathway-first-line-imatinib"),
        ("pathway", "pathway-surveillance"),
        ("consideration", "consideration-laparoscopic-option"),
        ("input", "input-size-cm"),
        ("value", "value-afip-risk"),
        ("ruleset", "ruleset-gist"),
        ("pathway", "pathway-metastasectomy"),  # through :any:
    ):
        link = rf'href="#{target}"[^>]*><(code|span) class="xref (any )?gistpath gistpath-{kind}\b'
        assert re.search(link, page), target


def test_diagram_reaches_every_pathway(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    svg = page[page.index("<svg") : page.index("</svg>")]
    for pid, pathway in GIST.pathways.items():
        assert f'href="#{anchor("pathway", pid)}"' in svg
        assert html.escape(pathway.title) in svg  # in the box's tooltip, unwrapped
    for rule in GIST.rules:
        assert f"rule {rule.id}:" in svg
    assert svg.count('href="#pathway-') == len(GIST.rules)


@pytest.mark.slow
@settings(max_examples=60)
@given(data=st.data())
def test_the_anchor_of_any_decision_is_on_the_page(
    gist_build: tuple[str, str], data: st.DataObject
) -> None:
    page, _ = gist_build
    ids = _ids(page)
    decision = GIST.evaluate(data.draw(states(GIST)))
    assert decision.anchor in ids
    for cid in decision.considerations:
        assert anchor("consideration", cid) in ids


# --------------------------------------------------------------------------- other projects


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
    section = _text(_section(page, "pathway-stay-home-and-read"))
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


# --------------------------------------------------------------------------- reST on its own


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


def test_conditions_in_words() -> None:
    walk = gistpath.load(WALK_FILE)
    cold = walk.model.lets["cold"].condition
    assert describe(cold, walk) == "`Air temperature <#input-temperature-c>`__: less than 5 °C"
    assert describe(ast.Not(cold), walk).endswith(": at least 5 °C")
    long_walk = walk.model.lets["long_walk"].condition
    assert describe(ast.Not(long_walk), walk).endswith(": at most 10 km or more than 100 km")
    gloves = walk.considerations["gloves"].condition
    assert "the pathway: not `Stay at home <#pathway-stay-home>`__" in describe(gloves, walk)


def test_clinical_notice_is_guessed_and_can_be_forced() -> None:
    walk = gistpath.load(WALK_FILE)
    assert looks_clinical(GIST)
    assert not looks_clinical(walk)
    assert "not medical advice" in render_rst(walk, clinical=True)
    assert "not medical advice" not in render_rst(GIST, clinical=False, diagram=False).replace(
        GIST.model.summary or "", ""
    )


def test_svg_is_well_formed_and_escapes_text() -> None:
    import xml.etree.ElementTree as ET

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


# --------------------------------------------------------------------------- the command line


@pytest.mark.slow
def test_cli_docs_builds_the_gist_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "gistpath", "docs", "gist", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    page = (out / "index.html").read_text(encoding="utf-8")
    ids = _ids(page)
    for pid in GIST.pathways:
        assert anchor("pathway", pid) in ids
    for cid in GIST.considerations:
        assert anchor("consideration", cid) in ids
    assert "<title>Treatment pathways for gastrointestinal stromal tumours (GIST)" in page


def test_cli_docs_without_sphinx_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "sphinx", None)  # `import sphinx` now fails
    assert main(["docs", "gist", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Sphinx" in err
    assert "gistpath[docs]" in err


def test_cli_docs_reports_a_broken_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["docs", str(ROOTS / "test-broken/rules/gap.gprules"), "-o", str(tmp_path)]) == 1
    assert "gap: no rule covers" in capsys.readouterr().err
    assert not (tmp_path / "index.html").exists()


def test_cli_docs_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["docs", "--help"])
    assert exit_info.value.code == 0
    assert "--output DIR" in capsys.readouterr().out


# --------------------------------------------------------------------------- the tutorial


def _shown_commands() -> list[Path]:
    return sorted(TUTORIAL.glob("*.out"))


def _reader_folder() -> Path:
    """The folder a reader of the tutorial works in: every step's file and the finished
    ``walk.gprules`` side by side, as the tutorial tells them to save them."""
    folder = Path(tempfile.mkdtemp(prefix="walk-tutorial-"))
    for path in [*TUTORIAL.glob("*.gprules"), WALK_FILE]:
        shutil.copyfile(path, folder / path.name)
    return folder


def _run_shown(command: str) -> str:
    argv = shlex.split(command)
    assert argv[0] == "gistpath"
    # Only files of the reader's own folder: no path into the source tree.
    assert not any("/" in arg for arg in argv if arg.endswith(".gprules")), command
    folder = _reader_folder()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gistpath", *argv[1:]],
            capture_output=True,
            text=True,
            cwd=folder,
        )
    finally:
        shutil.rmtree(folder)
    return done.stdout + done.stderr


def test_the_tutorial_can_be_followed_from_scratch() -> None:
    """Every file a command of the tutorial reads is shown whole or built from what is
    shown: walk_1 and the finished walk.gprules in full, later steps as walk_1 with the
    typo fixed and the rules replaced by the part shown (from 'rule gale' on)."""
    tutorial = (ROOT / "docs" / "tutorial.rst").read_text(encoding="utf-8")
    assert (
        tutorial.count(".. literalinclude:: examples/walk.gprules\n   :language: gistpath\n\n") == 1
    )
    assert (
        ".. literalinclude:: examples/tutorial/walk_1.gprules\n   :language: gistpath\n\n"
        in tutorial
    )
    first = (TUTORIAL / "walk_1.gprules").read_text(encoding="utf-8")
    head = first.split("rule gale", 1)[0].split("\n", 1)[1]  # the step comment aside
    for step in ("walk_2", "walk_3", "walk_4"):
        text = (TUTORIAL / f"{step}.gprules").read_text(encoding="utf-8")
        assert text.split("rule gale", 1)[0].split("\n", 1)[1] == head, step
        assert f"``{step}.gprules``" in tutorial, step
    for needed in ("mkdir walk-tutorial", "pip install", "``walk.gprules``"):
        assert needed in tutorial
    assert "../" not in tutorial
    assert 'gistpath.load("walk.gprules")' in tutorial


def _timeless(text: str) -> str:
    return re.sub(r" in \d+\.\d+ s\b", " in <time> s", text)


def test_the_tutorial_files_load_or_fail_as_the_tutorial_says() -> None:
    assert gistpath.load(TUTORIAL / "walk_4.gprules").verify().ok
    assert gistpath.load(WALK_FILE).verify().ok
    with pytest.raises(gistpath.RuleSemanticError):
        gistpath.load(TUTORIAL / "walk_1.gprules")
    for step in ("walk_2", "walk_3"):
        with pytest.raises(gistpath.VerificationError):
            gistpath.load(TUTORIAL / f"{step}.gprules")
    tutorial = (ROOT / "docs" / "tutorial.rst").read_text(encoding="utf-8")
    for shown in _shown_commands():
        assert f"examples/tutorial/{shown.name}" in tutorial


@pytest.mark.parametrize("shown", _shown_commands(), ids=lambda p: p.name)
def test_the_outputs_the_tutorial_shows_are_real(shown: Path) -> None:
    first, _, expected = shown.read_text(encoding="utf-8").partition("\n")
    assert first.startswith("$ ")
    actual = _run_shown(first[2:])
    assert _timeless(actual) == _timeless(expected), (
        f"{shown.name} is out of date; rewrite it with `python tests/test_docs.py`"
    )


def test_citations_in_the_docs_have_no_doubled_full_stop(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    assert "Casali PG et al. Gastrointestinal stromal tumours" in _text(page)


def test_citation_format_does_not_double_the_full_stop() -> None:
    esmo = GIST.sources["esmo_2022"]
    assert ".." not in gistpath.Citation(esmo).format()


def _rewrite_shown_outputs() -> None:
    for shown in _shown_commands():
        first = shown.read_text(encoding="utf-8").partition("\n")[0]
        shown.write_text(f"{first}\n{_run_shown(first[2:])}", encoding="utf-8")
        print(f"rewrote {shown}")


if __name__ == "__main__":
    _rewrite_shown_outputs()


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
    page = _text((app.outdir / "index.html").read_text(encoding="utf-8"))
    assert "Guarantees" in page
    assert "The wind band never falls as the wind grows" in page

"""The docs package end to end: the GIST page as a reader gets it, built by Sphinx.

The GIST rule set is built once per module with Sphinx (test root ``roots/test-gist``);
the checks then read its HTML: every pathway and consideration has its section, its anchor
(``ruleset.anchor``), its title and its resolved citations; conditions are in words under
their ``when`` guards; the AFIP and NIH tables are real tables; the anchor of the decision
for any valid state is on the page; the diagram reaches every pathway.

The docs modules on their own are tested in ``test_docs_<module>.py`` (``page``,
``prose``, ``audience``, ``diagram``, ``changes``); the Sphinx extension on other projects
in ``test_sphinxext.py``; ``gistpath docs`` in ``test_cli_docs.py``; the tutorial in
``test_tutorial.py``.
"""

from __future__ import annotations

import html
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

import gistpath
from gistpath.ruleset import anchor

from sphinx_pages import ROOTS, page_ids, page_section, page_text
from strategies import states

GIST = gistpath.load_builtin("gist")


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
        section = page_text(page_section(page, anchor("pathway", pid)))
        assert section.startswith(f"{pathway.title} ")
        assert " ".join(pathway.summary.split()) in section
        raw = page_section(page, anchor("pathway", pid))
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
        section = page_text(page_section(page, anchor("consideration", cid)))
        assert section.startswith(f"{item.title} ")
        for citation in item.citations:
            assert citation.source.title in section
            if citation.section:
                assert f"section \u201c{citation.section}\u201d" in section


def test_conditions_are_in_words_with_the_enclosing_when_guards(
    gist_build: tuple[str, str],
) -> None:
    page, _ = gist_build
    section = page_text(page_section(page, anchor("pathway", "resection_adjuvant_imatinib_3y")))
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
    raw = page_section(page, anchor("pathway", "resection_adjuvant_imatinib_3y"))
    assert '<details class="gistpath-details"><summary>' in raw
    otherwise = page_text(page_section(page, anchor("pathway", "first_line_imatinib"))).replace(
        " :", ":"
    )
    assert "KIT/PDGFRA mutation found in the tumour: kit exon11" in otherwise
    assert "pdgfra d842v" not in otherwise


def test_afip_table_is_a_real_table_with_its_percentages(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    section = page_section(page, anchor("value", "afip_risk"))
    table = section[section.index("<table") : section.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    cells = [
        [page_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows
    ]
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
    assert "not in the published table" in page_text(rest)
    assert "share of patients in the AFIP series whose disease progressed" in page_text(section)


def test_nih_table_is_a_real_table_with_its_criteria(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    section = page_section(page, anchor("value", "nih_risk"))
    table = section[section.index("<table") : section.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    cells = [
        [page_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows
    ]
    assert cells[0][-2:] == ["Value", "criterion"]
    assert len(cells) == 1 + len(GIST.model.tables["nih_risk"].rows)
    assert ["2", "any", "yes", "any", "any", "any", "high", "1. tumour rupture"] in cells
    assert cells[-1][-2:] == ["very low", "10. up to 2 cm, at most 5 mitoses"]


def test_overview_disclaimer_counts_and_inputs(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    text = page_text(page)
    assert "Decision support, not medical advice" in text
    assert "15 inputs, 15 derived values (5 decision tables)" in text
    assert "23 pathways, 7 considerations" in text
    # Spec section 9: the known limits are stated plainly on the page, under the summary.
    limits = text[text.index("Known limits of this version") :]
    for limit in ("adjuvant imatinib", "margins", "rupture", "earlier lines", "widespread",
                  "exon 18", "SDH-deficient", "NF1", "BRAF", "NTRK"):  # fmt: skip
        assert limit in limits[:1200], limit
    assert text.index("Known limits") < text.index("Pathways at a glance")
    inputs = page_text(page_section(page, "inputs"))
    assert "mitotic_rate Mitoses per 5 mm²" in inputs
    assert "an integer ≥ 0 and ≤ 1000, or unknown (per 5 mm²)" in inputs


def test_examples_and_sources_are_listed(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    text = page_text(page)
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
    ids = page_ids(page)
    decision = GIST.evaluate(data.draw(states(GIST)))
    assert decision.anchor in ids
    for cid in decision.considerations:
        assert anchor("consideration", cid) in ids


def test_citations_in_the_docs_have_no_doubled_full_stop(gist_build: tuple[str, str]) -> None:
    page, _ = gist_build
    assert "Casali PG et al. Gastrointestinal stromal tumours" in page_text(page)


def test_citation_format_does_not_double_the_full_stop() -> None:
    esmo = GIST.sources["esmo_2022"]
    assert ".." not in gistpath.Citation(esmo).format()

"""Hover (:mod:`gistpath.lsp.hover`) on GIST, without the protocol: an input's title and
type, a pathway's citations, a source's reference; nothing off a name."""

from __future__ import annotations

from gistpath.lsp.hover import hover

from samples import gist_site_test


def test_an_input_shows_its_title_type_and_unknown() -> None:
    found, _, row, column = gist_site_test()
    shown = hover(found, row, column + 1)
    assert shown is not None
    text, span = shown
    assert "Where the primary tumour started" in text
    assert "Never `unknown`" in text or "May be `unknown`" in text
    assert (span.line, span.start, span.end) == (row, column, column + len("site"))


def test_a_pathway_shows_its_citations_and_a_source_its_reference() -> None:
    found, lines, _, _ = gist_site_test()
    row = next(i for i, line in enumerate(lines) if line.startswith("pathway "))
    pathway = lines[row].split()[1]
    shown = hover(found, row, len("pathway ") + 1)
    assert shown is not None
    assert f"**pathway `{pathway}`**" in shown[0]
    assert "Sources:" in shown[0]
    assert found.model is not None
    source = next(iter(found.model.sources.values()))
    row = next(i for i, line in enumerate(lines) if line.startswith(f"source {source.name} "))
    shown = hover(found, row, len("source ") + 1)
    assert shown is not None
    assert source.title in shown[0]


def test_nothing_is_shown_off_a_name() -> None:
    found, lines, _, _ = gist_site_test()
    blank = next(i for i, line in enumerate(lines) if not line.strip())
    assert hover(found, blank, 0) is None

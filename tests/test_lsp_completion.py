"""Completion in context (:mod:`gistpath.lsp.completion`) on GIST, without the protocol:
a choice's values after ``site in {``, pathways after ``->``, a column's values in a table
cell."""

from __future__ import annotations

from gistpath.lsp import analysis as A
from gistpath.lsp.completion import completions

from samples import GIST_FILE, gist_site_test


def test_a_choice_offers_its_values() -> None:
    found, lines, row, column = gist_site_test()
    prefix = lines[row][: column + len("site in {")]
    offered = [label for label, _ in completions(found, prefix, True)]
    assert offered == [
        "esophagus",
        "stomach",
        "duodenum",
        "small_intestine",
        "colon",
        "rectum",
        "extra_gi",
    ]


def test_an_arrow_offers_the_pathways() -> None:
    found, _, _, _ = gist_site_test()
    assert found.model is not None
    offered = [
        label for label, kind in completions(found, "    rule x -> ", True) if kind == "pathway"
    ]
    assert offered == list(found.model.pathways)


def test_completion_in_a_table_cell() -> None:
    found = A.analyze(GIST_FILE.read_text(encoding="utf-8"))
    lines = found.text.split("\n")
    row = next(i for i, line in enumerate(lines) if line.strip().startswith("| stomach"))
    header = next(i for i in range(row, 0, -1) if not lines[i - 1].strip().startswith("|"))
    first_column = lines[header].strip().strip("|").split("|")[0].strip()
    assert first_column == "site"
    offered = [label for label, _ in completions(found, "    | ", True, row)]
    assert "stomach" in offered
    assert "rectum" in offered
    assert "-" in offered

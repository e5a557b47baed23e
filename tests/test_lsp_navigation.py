"""Definition, references, rename and outline (:mod:`gistpath.lsp.navigation`) on GIST,
without the protocol."""

from __future__ import annotations

from gistpath.lsp import analysis as A
from gistpath.lsp.navigation import definition, outline, references, rename

from samples import gist_site_test


def test_rename_replaces_every_occurrence_and_the_file_still_checks() -> None:
    found, lines, row, column = gist_site_test()
    spans = rename(found, row, column + 1, "primary_site")
    assert spans is not None
    renamed = list(lines)
    for span in sorted(spans, reverse=True):
        line = renamed[span.line]
        renamed[span.line] = line[: span.start] + "primary_site" + line[span.end :]
    again = A.analyze("\n".join(renamed))
    assert again.problems == ()
    assert again.model is not None
    assert "primary_site" in again.model.inputs
    assert rename(found, row, column + 1, "not a name") is None


def test_definition_and_references_of_a_name() -> None:
    found, lines, row, column = gist_site_test()
    declared = definition(found, row, column + 1)
    assert declared is not None
    assert lines[declared.line].startswith("input site ")
    spans = references(found, row, column + 1)
    assert declared in spans
    assert len(spans) > 2
    assert all(lines[s.line][s.start : s.end] == "site" for s in spans)


def test_the_outline_lists_the_declarations_in_order() -> None:
    found, _, _, _ = gist_site_test()
    declarations = outline(found)
    assert declarations[0].keyword == "ruleset"
    firsts = [d.first_line for d in declarations]
    assert firsts == sorted(firsts)
    assert found.model is not None
    assert {d.name for d in declarations if d.keyword == "pathway"} == set(found.model.pathways)

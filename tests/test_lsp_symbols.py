"""The index of names: every declaration and every use of the GIST file, found by place;
the tokens, read declaration by declaration and kept, are those of the whole text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gistpath.lsp import analysis as A
from gistpath.lsp.symbols import symbols, tokens, tokens_by_declaration

ROOT = Path(__file__).resolve().parents[1]
GIST = (ROOT / "src" / "gistpath" / "rules" / "gist.gprules").read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_name_of_the_gist_file_is_indexed() -> None:
    found = A.analyze(GIST, "gist.gprules")
    assert found.problems == ()
    model = found.model
    index = found.symbols
    for name in (*model.inputs, *model.lets, *model.tables):
        assert index.definition(("value", name)) is not None, name
    for name in model.pathways:
        uses = index.by_key[("pathway", name)]
        assert sum(o.declares for o in uses) == 1
        assert len(uses) >= 2, name  # declared, and named by a rule
    # every whole-word use of an input outside texts and comments is one of its references
    code = re.sub(r'"(?:[^"\\]|\\.)*"|#[^\n]*', lambda m: " " * len(m.group()), GIST)
    for name in model.inputs:
        written = len(re.findall(rf"(?<![\w]){name}(?![\w])", code))
        assert len(index.by_key[("value", name)]) == written, name
    sites = [o for o in index.by_key[("choice", "site", "stomach")] if not o.declares]
    assert sites  # used in a table and in conditions


def test_broken_text_is_indexed_too() -> None:
    text = 'input site "Site": choice stomach, rectum\nrule r -> p: site is stom\nrule q ->\n'
    index = symbols(text)
    assert index.definition(("value", "site")) is not None
    assert len(index.by_key[("value", "site")]) == 2
    assert index.values_of("site") == ["stomach", "rectum"]
    assert [d.name for d in index.declarations] == ["site", "r", "q"]
    assert index.at(1, 14) is not None  # 'site' in the rule
    assert index.at(1, 0) is None  # the keyword


PIECES = [
    "input x: number\n",
    'source s "A \\"quoted\\" title"\n',
    '    summary "a text\nover two lines"\n',
    '    summary "never closed\n',
    '    note "ends in a backslash \\"\n',
    '# a comment with a quote "\n',
    "rule r -> p: x < 2\n",
    "\n",
    "  | a | b |\n",
    'x "\n',
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=8), min_size=1, max_size=4))
def test_tokens_read_by_declaration_are_the_tokens_of_the_whole_text(
    texts: list[list[str]],
) -> None:
    # several texts in turn, so that declarations kept from an earlier one are reused
    for pieces in texts:
        text = "".join(pieces)
        assert tokens_by_declaration(text) == tokens(text)
        assert tokens_by_declaration(text + "# edited\n") == tokens(text + "# edited\n")


def test_tokens_of_gist_after_an_edit_are_the_tokens_of_the_whole_text() -> None:
    edited = GIST.replace("size_cm < 2 cm", 'size_cm < 2 cm "unclosed', 1)
    for text in (GIST, edited, GIST + '"', GIST):
        assert tokens_by_declaration(text) == tokens(text)

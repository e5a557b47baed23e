"""The language server's two stages of diagnostics, without the protocol: a half-typed
declaration leaves the rest checked and verified; the verification after each of a random
sequence of edits, which reuses the previous proofs' partitions, reports exactly what
loading the text from scratch reports. (Parsing declaration by declaration:
tests/test_lsp_declarations.py; problems placed on their words: test_lsp_problems.py;
hover, completion and navigation: test_lsp_hover.py, test_lsp_completion.py,
test_lsp_navigation.py; tests/test_lsp_server.py drives the same through a real client.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gistpath.errors import RuleError
from gistpath.loader import build
from gistpath.lsp import analysis as A

from strategies import rule_files

ROOT = Path(__file__).resolve().parents[1]
GIST = (ROOT / "src" / "gistpath" / "rules" / "gist.gprules").read_text(encoding="utf-8")


def test_half_typed_declaration() -> None:
    text = GIST + "\nrule half -> \n"
    found = A.analyze(text)
    assert [p.code for p in found.problems] == ["syntax"]
    assert found.problems[0].span.line == text.count("\n") - 1
    assert found.model is not None  # the rest still checks, and can be verified
    assert A.verify(found) == []


NUMBER = re.compile(r"(?<![\w.\"])\d+(?:\.\d+)?(?![\w.])")
WORD = re.compile(r"\b[a-z_][a-z0-9_]*\b")


@st.composite
def edit(draw: st.DrawFn, text: str) -> str:
    """``text`` after one edit an author might make: a number (a threshold, a range's
    limit, an example's value) changed, a word (a table cell's value, a pathway, a name)
    changed to another word of the file, a comment line put in (every line below it
    moves), or a line taken out."""
    lines = text.split("\n")
    kind = draw(st.sampled_from(["number", "number", "word", "word", "comment", "delete"]))
    if kind in ("number", "word"):
        found = list((NUMBER if kind == "number" else WORD).finditer(text))
        if found:
            where = draw(st.sampled_from(found))
            if kind == "number":
                new = draw(st.sampled_from(["0", "1", "2", "2.5", "3", "5", "7", "10", "12"]))
            else:
                new = draw(st.sampled_from(sorted({m.group() for m in found})))
            return text[: where.start()] + new + text[where.end() :]
    row = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        return "\n".join(lines[:row] + lines[row + 1 :])
    return "\n".join([*lines[:row], "# a comment", *lines[row:]])


def same_as_from_scratch(text: str) -> None:
    """The language server's verification of ``text`` (with the partitions its previous
    proofs left in the memo) equals a fresh load's: every finding with its kind, message,
    lines, example states and region (cells and words), and the pieces visited. (A text
    with broken declarations is verified without them, as the server does.)"""
    found = A.analyze(text)
    if found.model is None:
        return  # the text does not check: nothing to verify
    try:
        fresh = build(found.reduced).verify()
    except RuleError:
        with pytest.raises(RuleError):
            A.verify_model(found.model)
        return
    reused = A.verify_model(found.model)
    assert reused.findings == fresh.findings
    assert [f.format() for f in reused.findings] == [f.format() for f in fresh.findings]
    assert reused.pieces == fresh.pieces


@settings(max_examples=6, deadline=None)
@given(st.data())
def test_verification_after_edits_of_gist_is_that_of_a_fresh_load(data: st.DataObject) -> None:
    text = GIST
    for _ in range(data.draw(st.integers(1, 3))):
        text = data.draw(edit(text))
        same_as_from_scratch(text)


@settings(max_examples=25, deadline=None)
@given(st.one_of(rule_files(), rule_files(properties=True)), st.data())
def test_verification_after_edits_of_small_files_is_that_of_a_fresh_load(
    text: str, data: st.DataObject
) -> None:
    same_as_from_scratch(text)
    for _ in range(data.draw(st.integers(1, 5))):
        text = data.draw(edit(text))
        same_as_from_scratch(text)


def test_each_file_keeps_the_partitions_of_its_own_last_proof() -> None:
    other = (ROOT / "docs" / "examples" / "walk.gprules").read_text(encoding="utf-8")
    A.verify_model(A.analyze(GIST, "memo-gist.gprules").model)
    memo = A._MEMOS["memo-gist.gprules"]
    A.verify_model(A.analyze(other, "memo-walk.gprules").model)  # another file between
    misses = memo.misses
    edited = A.analyze(GIST + "# a comment\n", "memo-gist.gprules")
    assert (
        A.verify_model(edited.model).findings == build(GIST, "memo-gist.gprules").verify().findings
    )
    assert memo.misses == misses  # every partition of the comment-edited text was kept
    assert memo.hits > 0

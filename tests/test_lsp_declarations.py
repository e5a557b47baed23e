"""Parsing declaration by declaration (gistpath.lsp.declarations): the parser's tree of
every bundled, documented and fixture rule file and of generated ones, the second time
from the cache; the cache of parsed declarations stays within its bound."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from gistpath import ast
from gistpath.lsp import declarations as D
from gistpath.parser import parse

from strategies import rule_files

ROOT = Path(__file__).resolve().parents[1]
GIST = (ROOT / "src" / "gistpath" / "rules" / "gist.gprules").read_text(encoding="utf-8")
FILES = sorted(
    [
        *(ROOT / "src" / "gistpath" / "rules").glob("*.gprules"),
        *(ROOT / "docs" / "examples").rglob("*.gprules"),
        *(ROOT / "tests" / "fixtures").glob("*.gprules"),
    ]
)


def lines_of(tree: object) -> list[int]:
    return [d.line for d in tree.declarations]  # type: ignore[attr-defined]


def same_tree(text: str) -> None:
    declarations, errors, reduced, _ = D.parse_by_declaration(text)
    try:
        whole = parse(text)
    except Exception:
        assert errors
        return
    assert not errors
    assert reduced == text
    tree = ast.RuleFile(tuple(declarations))
    assert tree == whole
    assert lines_of(tree) == lines_of(whole)  # positions too (not part of ==)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_declarations_parse_to_the_parsers_tree(path: Path) -> None:
    same_tree(path.read_text(encoding="utf-8"))


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(rule_files())
def test_generated_files_parse_to_the_parsers_tree(text: str) -> None:
    same_tree(text)
    D.parse_by_declaration(text)  # the second time from the cache
    same_tree(text)


@pytest.mark.slow
def test_the_cache_of_parsed_declarations_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(D, "CHUNK_CACHE_CHARS", 4000)
    for number in range(3):
        same_tree(GIST.replace("# ", f"# {number} "))  # new texts: new declarations
        assert D._CHUNKS_SIZE[0] <= 4000
    assert sum(len(key[1]) for key in D._CHUNKS) == D._CHUNKS_SIZE[0]

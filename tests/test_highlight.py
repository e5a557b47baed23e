"""The Pygments lexer: in step with the grammar, clean on every real rule file, found by name."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Operator, Token

import gistpath
from gistpath.highlight import KEYWORDS, GistpathLexer

from samples import ROOT, WALK_FILE

GRAMMAR = ROOT / "grammar" / "gistpath.lark"
RULE_FILES = [
    gistpath.builtin_path("gist"),
    WALK_FILE,
    *sorted((ROOT / "docs" / "examples" / "tutorial").glob("*.gprules")),
]


def grammar_keywords() -> set[str]:
    """Every word the grammar writes as a literal ("ruleset", "and", ...)."""
    text = "\n".join(line.split("//", 1)[0] for line in GRAMMAR.read_text("utf-8").splitlines())
    return set(re.findall(r'"([A-Za-z_]+)"', text))


def test_keywords_are_exactly_the_grammar_literals() -> None:
    words = grammar_keywords()
    assert "ruleset" in words
    assert "exactly" in words
    assert sorted(KEYWORDS) == sorted(words)
    assert len(KEYWORDS) == len(set(KEYWORDS))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: Path(p).name)
def test_real_rule_files_lex_without_errors(path: Path) -> None:
    text = Path(path).read_text(encoding="utf-8")
    tokens = list(GistpathLexer().get_tokens(text))
    errors = [value for token, value in tokens if token in Error]
    assert errors == []
    assert "".join(value for _, value in tokens) == text.replace("\r\n", "\n")


def _kinds(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in GistpathLexer().get_tokens(text) if not v.isspace()]


def test_names_and_keywords_are_told_apart() -> None:
    kinds = _kinds("rule not_tested -> isolated: mutation is not not_tested\n")
    assert kinds[:4] == [
        (Keyword.Declaration, "rule"),
        (Name.Function, "not_tested"),
        (Operator, "->"),
        (Name.Class, "isolated"),
    ]
    assert (Operator.Word, "is") in kinds
    assert (Operator.Word, "not") in kinds
    assert (Name, "not_tested") in kinds
    assert (Name, "mutation") in kinds


def test_property_keys_strings_numbers_and_comments() -> None:
    kinds = _kinds(
        'pathway a "A"  # note\n    summary "a"\n    cites s "x"\nlet b: 2 < x <= 5.5 cm\n'
    )
    assert (Name.Class, "a") in kinds
    assert (Name.Attribute, "summary") in kinds
    assert (Keyword, "cites") in kinds
    assert (Token.Comment.Single, "# note") in kinds
    assert (Token.Literal.Number, "5.5") in kinds
    assert (Token.Literal.String.Double, '"A"') in kinds


def test_text_outside_the_language_is_marked() -> None:
    assert any(t in Error for t, _ in GistpathLexer().get_tokens("rule a -> b: x ≥ 5\n"))


def test_pygments_finds_the_lexer_by_name_and_file_name() -> None:
    assert isinstance(get_lexer_by_name("gistpath"), GistpathLexer)
    assert isinstance(get_lexer_for_filename("my.gprules"), GistpathLexer)


def test_importing_the_lexer_stays_light() -> None:
    script = (
        "import sys, gistpath.highlight\n"
        "print(sorted(m for m in ('lark', 'numpy', 'gistpath.ruleset', 'gistpath.parser')"
        " if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"

"""The formatter: same AST, same comments, idempotent, one layout whatever the spacing.

Checked on every bundled, example and fixture rule file, on random rule files (the text
generator of tests/strategies.py and printed random syntax trees), and on those files
with their spacing, indentation and blank lines scrambled (which must format to exactly
the same text), through ``gistpath fmt`` too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gistpath import RuleSyntaxError
from gistpath.cli import main
from gistpath.fmt import _tokens, format_text
from gistpath.parser import parse
from gistpath.printer import print_rule_file

from strategies import rule_file_trees, rule_files

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    [
        *(ROOT / "src" / "gistpath" / "rules").glob("*.gprules"),
        *(ROOT / "docs" / "examples").rglob("*.gprules"),
        *(ROOT / "tests").rglob("*.gprules"),
    ]
)
BROKEN = {"syntax_errors.gprules", "syntax.gprules"}


def comments(text: str) -> list[str]:
    return [t.text.rstrip() for t in _tokens(text) if t.kind == "COMMENT"]


def blank_groups(text: str) -> int:
    """How many runs of blank lines separate the non-blank lines."""
    return len(re.findall(r"\S[^\S\n]*\n(?:[^\S\n]*\n)+(?=[^\n]*\S)", text))


def assert_formats(text: str) -> str:
    out = format_text(text)
    assert parse(out) == parse(text)
    assert comments(out) == comments(text)
    assert format_text(out) == out, "not idempotent"
    assert blank_groups(out) == blank_groups(text.strip("\n") + "\n")
    assert all(line == line.rstrip() for line in out.splitlines())
    assert "\t" not in out
    return out


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.name in BROKEN:
        with pytest.raises(RuleSyntaxError):
            format_text(text)
        return
    assert_formats(text)


def test_the_layout() -> None:
    messy = (
        "# head\n\n\n\n"
        'input   size_cm  "Size" :number>0 and<=100 cm   # a trailing comment\n'
        'input site "Site": choice{\n'
        "  a,b,\n"
        "      c }\n"
        "  # about the pathway\n"
        'pathway p "P"\n'
        '  summary   "one\n'
        '               two"\n'
        "\n\n"
        "  cites g\n"
        "table t\n"
        "  values x,y\n"
        "  |site|t|\n"
        "  |-|-|\n"
        "  |a,b|x|\n"
        "  # between rows\n"
        "  |c|y|   # last\n"
        "rule r->p :site is a and(size_cm<2 or size_cm>=  5 cm)\n"
    )
    # the |-| line is not a separator (it needs three dashes): it is a row of two '-' cells
    assert format_text(messy) == (
        "# head\n\n\n"
        'input size_cm "Size": number > 0 and <= 100 cm  # a trailing comment\n'
        'input site "Site": choice {\n'
        "        a, b,\n"
        "        c}\n"
        "# about the pathway\n"
        'pathway p "P"\n'
        '    summary "one\n'
        '        two"\n'
        "\n"
        "    cites g\n"
        "table t\n"
        "    values x, y\n"
        "    | site | t |\n"
        "    | -    | - |\n"
        "    | a, b | x |\n"
        "    # between rows\n"
        "    | c    | y |  # last\n"
        "rule r -> p: site is a and (size_cm < 2 or size_cm >= 5 cm)\n"
    )


def test_table_rule_is_drawn_to_width() -> None:
    text = (
        "table t\n    values x, yy\n    | site | t |\n    |:---|---:|\n"
        "    | stomach, rectum | yy |\n"
    )
    assert format_text(text).splitlines()[2:] == [
        "    | site            | t  |",
        "    |:----------------|---:|",
        "    | stomach, rectum | yy |",
    ]


def test_a_syntax_error_is_reported_not_formatted() -> None:
    with pytest.raises(RuleSyntaxError, match="expected"):
        format_text("rule r surveillance: x\n")


def test_empty_and_comment_only_files() -> None:
    assert format_text("") == ""
    assert format_text("\n\n") == ""
    assert format_text("  # only a comment  \n\n") == "# only a comment\n"
    assert format_text("\ufeffinput x: boolean\r\n") == "input x: boolean\n"


# --------------------------------------------------------------------------- random files


@st.composite
def scrambled(draw: st.DrawFn, text: str) -> str:
    """``text`` with its spacing, indentation unit and blank lines changed, not its meaning."""
    unit = draw(st.integers(1, 6))
    out: list[str] = []
    at_line_start = True
    previous = ""
    for token in _tokens(text):
        if token.kind == "NL":
            out.append(" " * draw(st.integers(0, 2)) + "\n")
            at_line_start = True
            continue
        if token.kind == "WS":
            if at_line_start:
                out.append(" " * (len(token.text) // 4 * unit))
            else:
                out.append(" " * draw(st.integers(1, 3)))
            continue
        if (
            not at_line_start
            and previous not in ("", "WS")
            and token.kind != "STRING"
            and draw(st.booleans())
        ):
            out.append(" ")  # a space where the layout has none
        out.append(token.text)
        at_line_start = False
        previous = token.kind
    return "".join(out)


@pytest.mark.slow
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), rule_files())
def test_generated_files(data: st.DataObject, text: str) -> None:
    out = assert_formats(text)
    assert format_text(data.draw(scrambled(out))) == out


@pytest.mark.slow
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), rule_files(properties=True))
def test_generated_files_with_properties(data: st.DataObject, text: str) -> None:
    out = assert_formats(text)
    assert format_text(data.draw(scrambled(out))) == out


@pytest.mark.slow
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), rule_file_trees)
def test_printed_trees(data: st.DataObject, tree: object) -> None:
    text = print_rule_file(tree)  # type: ignore[arg-type]
    out = assert_formats(text)
    assert format_text(data.draw(scrambled(out))) == out


@pytest.mark.slow
@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), rule_files())
def test_comments_anywhere(data: st.DataObject, text: str) -> None:
    """A comment at the end of any line (inside brackets too) is kept."""
    pieces = text.split("\n")
    tokens_text = "".join(
        piece
        + (f"  # c{i}" if data.draw(st.booleans()) and _outside_text(pieces, i) else "")
        + "\n"
        for i, piece in enumerate(pieces[:-1])
    )
    assert_formats(tokens_text)


def _outside_text(pieces: list[str], index: int) -> bool:
    return "\n".join(pieces[: index + 1]).count('"') % 2 == 0


# --------------------------------------------------------------------------- the command


def test_fmt_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.gprules"
    good.write_text("input x: boolean\n", encoding="utf-8")
    messy = tmp_path / "messy.gprules"
    messy.write_text("input   x :boolean # c\n", encoding="utf-8")
    broken = tmp_path / "broken.gprules"
    broken.write_text("input x boolean\n", encoding="utf-8")

    assert main(["fmt", "--check", str(good)]) == 0
    assert main(["fmt", "--check", str(good), str(messy)]) == 1
    assert "messy.gprules: would be reformatted" in capsys.readouterr().err
    assert messy.read_text(encoding="utf-8") == "input   x :boolean # c\n"  # --check writes nothing

    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text(encoding="utf-8") == "input x: boolean  # c\n"
    assert main(["fmt", "--check", str(messy)]) == 0

    assert main(["fmt", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "broken.gprules:1:9" in err
    assert broken.read_text(encoding="utf-8") == "input x boolean\n"
    assert main(["fmt", str(tmp_path / "missing.gprules")]) == 2


def test_fmt_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO(b"input  x :boolean\n")

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == "input x: boolean\n"


def test_pre_commit_hooks(tmp_path: Path) -> None:
    """The hooks of .pre-commit-hooks.yaml run real commands, on rule files only."""
    import shlex

    hooks: list[dict[str, str]] = []
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        found = re.match(r"(- |  )(\w+): (.*)", line)  # the file's flat YAML mappings
        if found:
            if found.group(1) == "- ":
                hooks.append({})
            hooks[-1][found.group(2)] = found.group(3)
    assert {hook["id"] for hook in hooks} == {"gistpath-check", "gistpath-fmt"}
    messy = tmp_path / "messy.gprules"
    messy.write_text("input   x :boolean\n", encoding="utf-8")
    for hook in hooks:
        assert re.search(hook["files"], "rules/gist.gprules")
        assert not re.search(hook["files"], "README.md")
        program, *args = shlex.split(hook["entry"])
        assert program == "gistpath"
        status = main([*args, str(messy)])
        assert status == 1  # no rules to check, and not in the canonical layout
    assert messy.read_text(encoding="utf-8") == "input   x :boolean\n"

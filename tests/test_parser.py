"""The parser: rule text → syntax tree, and every syntax error located and shown.

A syntax error is a :class:`gistpath.RuleSyntaxError` whose ``line``/``column`` point at the
offending character, and whose message reads ``file:line:col: ...`` followed by the source
line and a caret under that character. Every broken declaration is reported in one run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import ast
from gistpath.parser import lark_parser, parse

ROOT = Path(__file__).resolve().parents[1]
WALK = ROOT / "docs" / "examples" / "walk.gprules"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def walk_text() -> str:
    return WALK.read_text(encoding="utf-8")


def syntax_error(text: str, filename: str = "t.gprules") -> gistpath.RuleSyntaxError:
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        parse(text, filename)
    error = info.value
    assert isinstance(error, gistpath.RuleError)
    assert isinstance(error, gistpath.GistpathError)
    return error


def assert_shown(
    error: gistpath.RuleSyntaxError, text: str, line: int, column: int, filename: str = "t.gprules"
) -> None:
    """The message has ``file:line:col:``, then the source line, then a caret under ``column``."""
    message = str(error).split("\n")
    head = f"{filename}:{line}:{column}: "
    starts = [i for i, m in enumerate(message) if m.startswith(head)]
    assert starts, f"no '{head}' in {str(error)!r}"
    i = starts[0]
    source = text.split("\n")[line - 1].rstrip("\r")
    assert message[i + 1] == "    " + source.expandtabs(1)
    assert message[i + 2] == "    " + " " * (column - 1) + "^"


def at(text: str, line: int, column: int) -> str:
    """The character of ``text`` at a 1-based line and column."""
    return text.split("\n")[line - 1][column - 1]


# --------------------------------------------------------------------------- the grammar


def test_grammar_builds_strict_without_conflicts() -> None:
    # strict=True makes Lark refuse any shift/reduce or reduce/reduce conflict.
    parser = lark_parser(strict=True)
    assert parser.options.parser == "lalr"


def test_walk_example_parses() -> None:
    tree = parse(walk_text(), str(WALK))
    kinds = {type(d).__name__ for d in tree.declarations}
    assert kinds == {
        "RulesetDecl",
        "SourceDecl",
        "InputDecl",
        "ConstraintDecl",
        "LetDecl",
        "TableDecl",
        "PathwayDecl",
        "ConsiderationDecl",
        "RuleDecl",
        "WhenBlock",
        "ExampleDecl",
    }


def test_positions_point_at_the_declarations() -> None:
    text = walk_text()
    tree = parse(text)
    lines = text.split("\n")
    for decl in tree.declarations:
        name = getattr(decl, "name", None)
        if name is None:  # a when block: its line starts with 'when'
            assert lines[decl.line - 1].startswith("when ")
            continue
        assert re.match(rf"\w+ {name}\b", lines[decl.line - 1]), (decl.line, name)
        assert decl.column == 1


def test_positions_of_expression_nodes() -> None:
    text = "input a: number\nlet x:   a <= 5 and not b\n"
    let = parse(text).declarations[1]
    assert isinstance(let, ast.LetDecl)
    cond = let.condition
    assert isinstance(cond, ast.And)
    comparison, negation = cond.operands
    assert isinstance(comparison, ast.Comparison)
    assert isinstance(negation, ast.Not)
    assert (comparison.line, comparison.column) == (2, 10)
    assert (comparison.quantity.line, comparison.quantity.column) == (2, 15)
    assert (negation.line, negation.column) == (2, 21)


def test_numbers_keep_text_and_value() -> None:
    text = "let x: a < 5 and a < 5.0 and a < -2 and a < 1e3 and a < .5 cm\n"
    cond = parse(text).declarations[0].condition  # type: ignore[union-attr]
    quantities = [op.quantity for op in cond.operands]
    assert [(q.text, q.value, type(q.value)) for q in quantities] == [
        ("5", 5, int),
        ("5.0", 5.0, float),
        ("-2", -2, int),
        ("1e3", 1000.0, float),
        (".5", 0.5, float),
    ]
    assert quantities[-1].unit == "cm"


def test_strings_may_span_lines_and_fold_white_space() -> None:
    text = 'pathway p "P"\n    summary "one\n        two   three"\n'
    decl = parse(text).declarations[0]
    assert isinstance(decl, ast.PathwayDecl)
    assert decl.properties[0] == ast.Property("summary", "one two three")


def test_escapes_in_strings() -> None:
    text = 'source s "a \\"quoted\\" word and a \\\\ backslash"\n'
    decl = parse(text).declarations[0]
    assert isinstance(decl, ast.SourceDecl)
    assert decl.title == 'a "quoted" word and a \\ backslash'


def test_empty_and_comment_only_files() -> None:
    assert parse("") == ast.RuleFile(())
    assert parse("# only a comment") == ast.RuleFile(())
    assert parse("\n\n   \n# a\n\n# b\n") == ast.RuleFile(())


# --------------------------------------------------------------------------- comments & line ends


def _with_comments(text: str) -> str:
    out = []
    for line in text.split("\n"):
        out.append(line + ("   # a trailing comment" if line.strip() else ""))
        out.append("      # a comment indented oddly")
        out.append("# a comment at the left margin")
        out.append("")
    return "\n".join(out)


def test_comments_anywhere() -> None:
    text = walk_text()
    assert parse(_with_comments(text)) == parse(text)


def test_comments_inside_parentheses_and_blocks() -> None:
    plain = "input a: boolean\nlet x: ((a and not a) or a)\nlet y:\n    a\n    not a\n"
    commented = (
        "input a: boolean # the only input\n"
        "let x: ((a # first\n"
        "   # in between, inside the brackets\n"
        "       and not a) # after the inner bracket\n"
        "# at the margin, still inside\n"
        "   or a) # after the outer bracket\n"
        "let y:  # a block condition follows\n"
        "    a  # its first line\n"
        "        # an oddly indented comment between its lines\n"
        "    not a\n"
        "# the end\n"
    )
    # newlines inside parentheses are ignored, so the condition may be wrapped
    assert parse(commented) == parse(plain)


def test_crlf_line_endings_parse() -> None:
    text = walk_text()
    assert parse(text.replace("\n", "\r\n")) == parse(text)


def test_crlf_error_is_located_like_lf() -> None:
    text = "input a: boolean\nrule x -> p a\n"
    lf = syntax_error(text)
    crlf = syntax_error(text.replace("\n", "\r\n"))
    assert (crlf.line, crlf.column) == (lf.line, lf.column) == (2, 13)
    assert "\r" not in str(crlf)
    assert_shown(crlf, text, 2, 13)


# --------------------------------------------------------------------------- located errors


def test_missing_colon() -> None:
    text = 'input a: boolean\ninput size_cm "Size" number > 0 cm\n'
    error = syntax_error(text)
    assert (error.line, error.column) == (2, 22)
    assert at(text, 2, 22) == "n"  # 'number', where ':' was expected
    assert "':'" in str(error)
    assert_shown(error, text, 2, 22)


def test_missing_arrow_says_what_a_rule_looks_like() -> None:
    text = "input a: boolean\nrule gale stay_home: a\n"
    error = syntax_error(text)
    assert (error.line, error.column) == (2, 11)
    assert "'->'" in str(error)
    assert "rule <name> -> <pathway>" in str(error)
    assert_shown(error, text, 2, 11)


def test_unterminated_string() -> None:
    text = 'input a: boolean\npathway p "Stay at home"\n    summary "x\n'
    error = syntax_error(text)
    assert (error.line, error.column) == (3, 13)
    assert at(text, 3, 13) == '"'
    assert "not closed" in str(error)
    assert_shown(error, text, 3, 13)


def test_unterminated_string_at_end_of_line() -> None:
    text = 'input a "Size: number\n'
    error = syntax_error(text)
    assert (error.line, error.column) == (1, 9)
    assert "not closed" in str(error)
    assert_shown(error, text, 1, 9)


def test_unbalanced_closing_parenthesis() -> None:
    text = "input a: boolean\nlet x: a and a)\n"
    error = syntax_error(text)
    assert (error.line, error.column) == (2, 15)
    assert at(text, 2, 15) == ")"
    assert_shown(error, text, 2, 15)


def test_unclosed_parenthesis_at_end_of_file() -> None:
    text = "input a: boolean\nlet x: (a and a\n"
    error = syntax_error(text)
    assert error.line == 2
    assert error.column == len("let x: (a and a") + 1  # just after the last character
    assert "')'" in str(error)
    assert "end of the file" in str(error)
    assert_shown(error, text, error.line, error.column)


def test_tab_in_indentation() -> None:
    text = 'pathway p "P"\n\tsummary "x"\n'
    error = syntax_error(text)
    assert (error.line, error.column) == (2, 1)
    assert "tab" in str(error)
    assert_shown(error, text, 2, 1)


def test_tab_after_spaces_in_indentation() -> None:
    text = 'pathway p "P"\n    summary "x"\n  \tcites s\n'
    error = syntax_error(text)
    assert (error.line, error.column) == (3, 3)
    assert "tab" in str(error)


def test_tab_between_tokens_is_fine() -> None:
    assert parse("input\ta:\tboolean\n") == parse("input a: boolean\n")


def test_inconsistent_dedent() -> None:
    text = "when a:\n    rule x -> p: b\n  rule y -> p: c\n"
    error = syntax_error(text)
    assert (error.line, error.column) == (3, 3)
    assert "indented 2 spaces" in str(error)


def test_unexpected_character() -> None:
    text = "input a: number\nlet x: a \u2265 3\n"
    error = syntax_error(text)
    assert (error.line, error.column) == (2, 10)
    assert "'\u2265'" in str(error)
    assert_shown(error, text, 2, 10)


def test_nul_and_stray_carriage_return() -> None:
    error = syntax_error("input a: boolean\nlet x: a\x00\n")
    assert (error.line, error.column) == (2, 9)
    assert "NUL" in str(error)
    error = syntax_error("input a: boolean\nlet x: a\rlet y: a\n")
    assert (error.line, error.column) == (2, 9)
    assert "line-break" in str(error)


def test_double_equals_says_write_a_single_equals() -> None:
    # '==' may be read by the grammar and refused by the checker, or refused by the parser:
    # either way the error is located on its line and says what to write instead.
    text = "input a: number\nlet x: a == 3\n"
    with pytest.raises(gistpath.RuleError) as info:
        gistpath.loads(text, "t.gprules")
    assert info.value.line == 2
    assert "write '=' for equality" in str(info.value)


def test_file_name_in_message() -> None:
    error = syntax_error("rule\n", filename="dir/my rules.gprules")
    assert str(error).startswith("dir/my rules.gprules:1:")
    assert error.filename == "dir/my rules.gprules"


# --------------------------------------------------------------------------- many errors, one run


def test_fixture_two_independent_syntax_errors() -> None:
    path = FIXTURES / "syntax_errors.gprules"
    text = path.read_text(encoding="utf-8")
    error = syntax_error(text, str(path))
    assert [(d.line, d.column) for d in error.diagnostics] == [(8, 34), (16, 13)]
    assert at(text, 8, 34) == "n"  # 'number' where ':' belongs
    assert at(text, 16, 13) == "s"  # 'surveillance' where '->' belongs
    assert str(error).endswith("2 problems found.")
    for d in error.diagnostics:
        assert_shown(error, text, d.line, d.column, str(path))


def test_every_broken_declaration_is_reported() -> None:
    text = (
        "input a: boolean\n"  # 1 fine
        "input b boolean\n"  # 2 missing ':'
        "let c: a and\n"  # 3 expression cut short
        'pathway p "P"\n'  # 4 fine
        '    summary "x"\n'  # 5
        "rule r -> p a\n"  # 6 missing ':'
        "rule s -> p: (a\n"  # 7 unclosed parenthesis ...
        "\n"
        "example e -> \n"  # 9 missing pathway
    )
    error = syntax_error(text)
    # each broken declaration once, at its first wrong token (or where its text ends)
    assert [(d.line, d.column) for d in error.diagnostics] == [
        (2, 9),
        (3, 13),
        (6, 13),
        (7, 16),
        (9, 14),
    ]
    assert (error.line, error.column) == (2, 9)  # the first one
    assert str(error).endswith("5 problems found.")
    for d in error.diagnostics:
        assert_shown(error, text, d.line, d.column)


def test_a_thousand_broken_declarations_are_capped() -> None:
    text = "".join(f"input a{i} boolean\n" for i in range(1000))
    error = syntax_error(text)
    assert len(error.diagnostics) <= 101
    assert "more syntax errors not shown" in str(error)
    assert error.diagnostics[0].line == 1


# Regression: error recovery splits the file at every line that starts in column 1, even inside
# a multi-line string, and reports the valid string as two spurious errors.
def test_multiline_string_is_not_split_by_error_recovery() -> None:
    text = (
        'source s "S"\n'
        'pathway p "P"\n'
        '    summary "a long summary\n'
        'continued at the left margin"\n'
        "    cites s\n"
        "rule x p: y\n"  # the only error: '->' is missing
    )
    parse(text.replace("rule x p", "rule x -> p"))  # the file is fine without that error
    error = syntax_error(text)
    assert [d.line for d in error.diagnostics] == [6]


def test_unclosed_quote_does_not_hide_later_errors() -> None:
    text = 'input a "never closed: boolean\ninput b: boolean\nrule x p: a\n'
    error = syntax_error(text)
    assert [d.line for d in error.diagnostics] == [1, 3]


def test_quotes_in_comments_and_hashes_in_texts_do_not_confuse_recovery() -> None:
    text = (
        '# a comment with a "quote\ninput b "# not a comment": boolean\nrule x p: b\nrule y p: b\n'
    )
    error = syntax_error(text)
    assert [(d.line, d.column) for d in error.diagnostics] == [(3, 8), (4, 8)]


# --------------------------------------------------------------------------- files on disk


def test_invalid_utf8_is_a_located_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.gprules"
    path.write_bytes(b"input a: boolean\nlet b: a and \xff\n")
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        gistpath.load(path)
    assert (info.value.line, info.value.column) == (2, 14)
    assert "UTF-8" in str(info.value)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.gprules"
    text = WALK.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert gistpath.load(path).verify().ok


# --------------------------------------------------------------------------- deep nesting


def test_ten_thousand_parentheses() -> None:
    text = "input b: boolean\nlet a: " + "(" * 10_000 + "b" + ")" * 10_000 + "\n"
    error = syntax_error(text)  # never RecursionError
    assert error.line == 2
    assert "nested" in str(error)
    assert at(text, 2, error.column) == "("
    assert len(str(error)) < 2_000  # the huge line is cut around the column


@pytest.mark.slow
def test_ten_thousand_nots() -> None:
    text = "input b: boolean\nlet a: " + "not " * 10_000 + "b\n"
    error = syntax_error(text)
    assert error.line == 2
    assert "nested" in str(error)
    assert 8 <= error.column <= len(text.split("\n")[1])
    assert len(str(error)) < 2_000


def test_ten_thousand_nots_in_parentheses() -> None:
    text = "input b: boolean\nlet a: " + "not (" * 10_000 + "b" + ")" * 10_000 + "\n"
    error = syntax_error(text)
    assert error.line == 2
    assert "nested" in str(error)


def test_deep_when_blocks() -> None:
    lines = []
    for depth in range(200):
        lines.append("    " * depth + "when b:")
    lines.append("    " * 200 + "rule r -> p: b")
    error = syntax_error("\n".join(lines) + "\n")
    assert "nested" in str(error)
    assert 1 < error.line <= 201


def test_moderate_nesting_is_fine() -> None:
    text = (
        "input b: boolean\nlet a: " + "(" * 40 + "b" + ")" * 40 + "\nlet c: " + "not " * 40 + "b\n"
    )
    tree = parse(text)
    node = tree.declarations[2].condition  # type: ignore[union-attr]
    depth = 0
    while isinstance(node, ast.Not):
        node = node.operand
        depth += 1
    assert depth == 40
    assert tree.declarations[1].condition == ast.Reference("b")  # type: ignore[union-attr]


@pytest.mark.slow
def test_long_flat_conditions_are_fine() -> None:
    text = "input b: boolean\nlet a: " + " and ".join(["b"] * 10_000) + "\n"
    cond = parse(text).declarations[1].condition  # type: ignore[union-attr]
    assert isinstance(cond, ast.And)
    assert len(cond.operands) == 10_000


# --------------------------------------------------------------------------- fuzzing


_WALK = walk_text()
_INSERTS = [*'()"{}|:\t\n #-<=,x5\\', "->", "not ", "    ", "when", "rule", "\u00e9"]


@pytest.mark.slow
@settings(max_examples=150)
@given(
    st.lists(
        st.tuples(st.integers(0, len(_WALK)), st.integers(0, 3), st.sampled_from(_INSERTS)),
        min_size=1,
        max_size=3,
    )
)
def test_damaged_text_gives_only_located_syntax_errors(edits: list[tuple[int, int, str]]) -> None:
    text = _WALK
    for position, deleted, inserted in edits:
        position = min(position, len(text))
        text = text[:position] + inserted + text[position + deleted :]
    problems: tuple[gistpath.errors.Diagnostic, ...] = ()
    try:
        parse(text, "w.gprules")
    except gistpath.RuleSyntaxError as error:  # anything else fails the test
        problems = error.diagnostics
    line_count = text.count("\n") + 1
    for d in problems:
        assert 1 <= d.line <= line_count
        assert 1 <= d.column <= len(d.source_line) + 1
        assert d.filename == "w.gprules"


# --------------------------------------------------------------------------- first-hour mistakes

_HEAD = (
    'input x "X": boolean\ninput c "C": choice a, b\n'
    'pathway p "P"\n    summary "p"\npathway q "Q"\n    summary "q"\n'
)


def test_an_over_indented_line_is_blamed_on_itself() -> None:
    text = _HEAD + "rule r -> p:\n    x\n        c is a\n"
    error = syntax_error(text)
    assert (error.line, error.column) == (9, 9)
    assert "unexpected indentation" in str(error)
    assert "opens no block" in str(error)
    assert_shown(error, text, 9, 9)


def test_a_when_without_a_body_names_the_next_declaration_not_the_end_of_file() -> None:
    text = _HEAD + "when x:\nrule r -> p:\n    x\nrule s -> q:\n    not x\n"
    error = syntax_error(text)
    assert error.line == 7
    assert "end of the file" not in str(error)
    assert "found 'rule' at line 8, which is not indented" in str(error)


def test_a_when_without_its_colon_says_where_it_is_missing() -> None:
    text = _HEAD + "when x\n    rule r -> p:\n        c is a\n"
    error = syntax_error(text)
    assert (error.line, error.column) == (7, 7)
    assert "a ':' is missing at the end of this line" in str(error)
    assert "before the condition" not in str(error)


@pytest.mark.parametrize(("typo", "word"), [("otherwize", "otherwise"), ("rulle", "rule")])
def test_a_misspelled_keyword_gets_did_you_mean(typo: str, word: str) -> None:
    body = (
        f"when x:\n    rule r -> p:\n        c is a\n    {typo} -> q\n"
        if word == "otherwise"
        else f"{typo} r -> p:\n    x\n"
    )
    error = syntax_error(_HEAD + body)
    assert f"(did you mean '{word}'?)" in str(error)


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    text = _HEAD + 'pathway z "Z\n    summary "z"\n'
    error = syntax_error(text)
    assert (error.line, error.column) == (7, 11)
    assert at(text, 7, 11) == '"'
    assert "its closing '\"' is missing" in str(error)
    assert_shown(error, text, 7, 11)


@pytest.mark.parametrize(
    ("op", "hint"),
    [("=", "write 'c is a'"), ("==", "write 'c is a'"), ("!=", "write 'c is not a'")],
)
def test_equals_on_a_choice_hints_at_is(op: str, hint: str) -> None:
    error = syntax_error(_HEAD + f"rule r -> p:\n    c {op} a\n")
    assert hint in str(error)


def test_loads_takes_a_byte_order_mark_as_load_does(tmp_path: Path) -> None:
    text = WALK.read_text(encoding="utf-8")
    path = tmp_path / "bom.gprules"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert gistpath.loads("\ufeff" + text).pathways == gistpath.load(path).pathways

"""Hostile rule files: every text either loads or is refused with a located GistpathError.

Three layers of random text, each checked by :func:`outcome`: arbitrary text and a soup of
the language's own tokens; sentences generated from ``grammar/gistpath.lark`` itself
(:func:`hypothesis.extra.lark.from_lark`, with the indenter's ``_INDENT``/``_DEDENT``/``_NL``
drawn as markers and laid out as real indentation), which must all *parse*; and random
mutations of the bundled GIST file (lines deleted, duplicated, swapped or re-indented,
characters inserted or deleted, numbers and names replaced).

Then adversarial files, each loaded in a child process under a memory limit and a generous
timeout (bounded, not timed): 100,000 nested parentheses, 10 MB of rules, million-character
lines, NUL bytes, invalid UTF-8, every Unicode line separator, tabs in indentation, numbers
beyond a float, and names that are Python's own (``__import__``, ``eval``, ``os``). The last
part proves that rule text never reaches Python: no ``eval``/``exec``/``compile``/
``__import__``/``importlib`` on it anywhere in ``src/gistpath`` (read with :mod:`ast`), no
module imported because a file named it, and Python's names work as plain names.
"""

from __future__ import annotations

import ast as pyast
import json
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

import gistpath
from gistpath.errors import RuleError, visible
from gistpath.parser import MAX_DEPTH, MAX_INDENT_LEVELS, grammar_text, parse

from samples import ROOT, gist_state

SRC = ROOT / "src" / "gistpath"
GIST_TEXT = (SRC / "rules" / "gist.gprules").read_text(encoding="utf-8")
GIST_LINES = GIST_TEXT.split("\n")

# A small complete file: the context the adversarial snippets below are added to.
PREAMBLE = """\
source guide "A guide"
pathway yes_path "Yes"
    summary "The flag is set."
    cites guide "Page 1"
pathway no_path "No"
    summary "The flag is not set."
    cites guide "Page 2"
input flag "A flag": boolean
rule set_rule -> yes_path: flag
rule unset_rule -> no_path: not flag
"""

LINE_SEPARATORS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"]


# --------------------------------------------------------------------------- the property


def outcome(text: str, name: str = "hostile.gprules") -> str:
    """Load ``text``; return "loaded" or the error's class name after checking the error.

    Anything but a :class:`gistpath.GistpathError` fails the test (it propagates). A rule
    error must point inside the text and show ``file:line:col``, the line and a caret; a
    verification error must name lines of the text.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a draft's VerificationWarning
        try:
            gistpath.loads(text, name=name, draft=len(text) % 2 == 0)
        except RuleError as error:
            assert_located(error, text, name)
            return type(error).__name__
        except gistpath.VerificationError as error:
            assert_findings_located(error, text)
            return type(error).__name__
    return "loaded"


def assert_findings_located(error: gistpath.VerificationError, text: str) -> None:
    """Every finding names lines of ``text``."""
    lines = text.count("\n") + 1
    assert error.findings
    for finding in error.findings:
        assert all(1 <= n <= lines for n in finding.lines), finding


def assert_located(error: RuleError, text: str, name: str) -> None:
    """Each diagnostic lies inside ``text`` and is shown as file:line:col, line, caret."""
    lines = text.split("\n")
    message = str(error)
    assert error.diagnostics
    assert (error.line, error.column) == (error.diagnostics[0].line, error.diagnostics[0].column)
    for d in error.diagnostics:
        assert d.filename == name
        assert 1 <= d.line <= len(lines), (d, len(lines))
        line = lines[d.line - 1].rstrip("\r")  # carriage returns at the end are not shown
        assert 1 <= d.column <= len(line) + 1, (d, line)
        head = f"{name}:{d.line}:{d.column}: "
        assert head in message
        if not d.source_line:  # the "N more problems not shown" line
            continue
        assert d.source_line == line
        shown, caret = message.split(head + visible(d.message) + "\n", 1)[1].split("\n")[:2]
        assert shown.startswith("    ")
        assert caret.strip() == "^"
    assert "Traceback" not in message


# --------------------------------------------------------------------------- arbitrary text

_TOKENS = st.sampled_from(
    [
        *'abxyz_ ()\n\t:->=<!{},|"#0123456789.e+',
        *LINE_SEPARATORS,
        "\x00",
        "\u202e",
        "é",
        "日",
        "rule ",
        "input ",
        "when ",
        "let ",
        "table ",
        "pathway ",
        "source ",
        "example ",
        "    ",
        "\n    ",
        "not ",
        "and ",
        "or ",
        "is ",
        "in ",
        "choice ",
        "number ",
        "boolean",
        "unknown",
        "otherwise",
        "| - |",
        "1e400",
        '"text"',
    ]
)


@settings(max_examples=300)
@given(st.text())
def test_any_text_loads_or_is_refused_with_a_located_error(text: str) -> None:
    outcome(text)


@settings(max_examples=300)
@given(st.lists(_TOKENS, max_size=60).map("".join))
def test_any_soup_of_the_languages_tokens_is_refused_cleanly(text: str) -> None:
    outcome(text)


# --------------------------------------------------------------------------- grammar sentences

_INDENT, _DEDENT, _NEWLINE = "\ue000", "\ue001", "\ue002"
_MARKS = _INDENT + _DEDENT + _NEWLINE
_GRAMMAR = Lark(grammar_text(), parser="lalr")  # uncached: from_lark reads its grammar
_KEYWORDS = {t.pattern.value for t in _GRAMMAR.terminals if t.pattern.type == "str"}
# Names never collide with keywords; some are Python's own names, some the file's reserved
# 'pathway', some the words property lines and hit policies use.
_NAMES = [
    "a",
    "b",
    "size",
    "site",
    "p",
    "q",
    "guide",
    "x1",
    "_y",
    "__import__",
    "eval",
    "stomach",
    "cm",
    "summary",
    "note",
    "first",
    "unique",
    "pathway",
]
assert not _KEYWORDS.intersection(_NAMES) - {"pathway"}
_ALPHABET = st.characters(codec="utf-8", exclude_characters=_MARKS)


def _terminal_strategies() -> dict[str, st.SearchStrategy[str]]:
    """A strategy per terminal; each token is followed by a space (white space is ignored
    between tokens, and without it ``rule`` and a name would run together)."""
    out: dict[str, st.SearchStrategy[str]] = {
        "_INDENT": st.just(_INDENT),
        "_DEDENT": st.just(_DEDENT),
    }
    for term in _GRAMMAR.terminals:
        if term.name in out or term.name.startswith("__IGNORE"):
            continue
        if term.name == "_NL":  # comments and line breaks; each break becomes a marker
            regex = st.from_regex(term.pattern.to_regexp(), fullmatch=True, alphabet=_ALPHABET)
            out[term.name] = regex.map(lambda s: re.sub(r"\r?\n[\t ]*", _NEWLINE, s))
        elif term.pattern.type == "str":
            out[term.name] = st.just(str(term.pattern.value) + " ")
        elif term.name == "NAME":
            out[term.name] = st.sampled_from(_NAMES).map(lambda s: s + " ")
        elif term.name == "NUMBER":
            regex = st.from_regex(term.pattern.to_regexp(), fullmatch=True)
            odd = st.sampled_from(["1e400", "-1e400", "1e-400", "9" * 400, "-0.0", "0", "5"])
            out[term.name] = st.one_of(regex, odd).map(lambda s: s + " ")
        else:
            regex = st.from_regex(term.pattern.to_regexp(), fullmatch=True, alphabet=_ALPHABET)
            out[term.name] = regex.map(lambda s: s + " ")
    return out


def layout(raw: str) -> str:
    """Grammar output with indentation markers → rule text with real indentation."""
    out: list[str] = []
    depth = 0
    line_start = True
    for piece in re.split(f"([{_MARKS}])", raw):
        if piece == _INDENT:
            depth += 1
        elif piece == _DEDENT:
            depth -= 1
        elif piece == _NEWLINE:
            out.append("\n")
            line_start = True
        elif piece:
            if line_start:
                piece = piece.lstrip(" \t")  # ignored white space drawn after a newline
                if not piece:
                    continue
                out.append("    " * depth)
                line_start = False
            out.append(piece)
    return "".join(out)


grammar_sentences = from_lark(_GRAMMAR, explicit=_terminal_strategies(), alphabet=_ALPHABET).map(
    layout
)


def test_layout_turns_markers_into_indentation() -> None:
    raw = f"pathway p {_NEWLINE}{_INDENT}summary  {_NEWLINE}{_DEDENT}rule r {_NEWLINE}"
    assert layout(raw) == "pathway p \n    summary  \nrule r \n"


@pytest.mark.slow
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(grammar_sentences)
def test_every_sentence_of_the_grammar_parses(text: str) -> None:
    # The parser (grammar + indenter + depth limits) accepts what the grammar generates,
    # but one sentence: the grammar reads any comparison between a table's values so that
    # the parser can say to order them with '<' (as it reads '==' to say "write '='").
    value_lines = [ln.split("#")[0] for ln in text.splitlines() if ln.split()[:1] == ["values"]]
    if any(op != "<" for ln in value_lines for op in re.findall(r"[<>!=]=?", ln)):
        with pytest.raises(gistpath.RuleSyntaxError, match="ordered with '<'") as info:
            parse(text, "generated.gprules")
        assert_located(info.value, text, "generated.gprules")
        return
    parse(text, "generated.gprules")
    # ...and what it accepts either loads or gets located semantic errors.
    assert outcome(text, "generated.gprules") != "RuleSyntaxError"


# --------------------------------------------------------------------------- mutated GIST


@st.composite
def mutated_gist(draw: st.DrawFn) -> str:
    lines = list(GIST_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        op = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "insert", "number", "name", "cut", "indent"]
            )
        )
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], line
        elif op == "insert":
            char = draw(
                st.sampled_from(
                    [*'()"#:|{},-<>=', "\t", "\x00", "\r", "\u2028", " ", "    ", "not ", "x"]
                )
            )
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + char + line[at:]
        elif op == "number" and (numbers := list(re.finditer(r"\d+(\.\d+)?", line))):
            found = draw(st.sampled_from(numbers))
            new = draw(
                st.sampled_from(["0", "-1", "1e400", "-1e400", "1e-400", "9" * 400, "0.5", "2.0"])
            )
            lines[i] = line[: found.start()] + new + line[found.end() :]
        elif op == "name" and (words := list(re.finditer(r"[a-z_]+", line))):
            found = draw(st.sampled_from(words))
            new = draw(st.sampled_from(["__import__", "eval", "os", "pathway", "unknown", "yes"]))
            lines[i] = line[: found.start()] + new + line[found.end() :]
        elif op == "cut" and line:
            at = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:at] + line[at + 1 :]
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["", "  ", "    ", "        "])) + line.lstrip(" ")
    return "\n".join(lines)


@pytest.mark.slow
@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_gist())
def test_mutations_of_the_gist_file_load_or_fail_cleanly(text: str) -> None:
    outcome(text, "gist.gprules")


def test_the_unmutated_gist_file_loads() -> None:
    assert outcome(GIST_TEXT, "gist.gprules") == "loaded"


# --------------------------------------------------------------------------- adversarial files

# Loads one file in a child process with its address space limited; prints the outcome as
# JSON. Any exception other than a GistpathError is a traceback on stderr and exit status 1.
_CHILD = """
import json, resource, sys
limit = int(sys.argv[2]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import gistpath
try:
    rs = gistpath.load(sys.argv[1])
except gistpath.GistpathError as error:
    print(json.dumps({"outcome": type(error).__name__, "message": str(error)}))
else:
    print(json.dumps({"outcome": "loaded", "rules": len(rs.rules)}))
"""
MEMORY_MB = 2048
TIMEOUT_S = 180  # generous: the point is "finishes", not "is fast"


def load_in_child(tmp_path: Path, data: bytes) -> dict[str, object]:
    """Load ``data`` as a rule file in a child process; its outcome as a dict."""
    path = tmp_path / "hostile.gprules"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(MEMORY_MB)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    if result["outcome"] in ("RuleSyntaxError", "RuleSemanticError"):
        message = str(result["message"])
        assert len(message) < 200_000  # a huge line or name is never echoed whole
        first, shown, caret = message.split("\n")[:3]
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: \S", first), first
        assert shown.startswith("    ")
        assert caret.strip() == "^"
    return result


def _nested_parentheses() -> str:
    return PREAMBLE + "let deep: " + "(" * 100_000 + "flag" + ")" * 100_000 + "\n"


def _long_condition() -> str:  # a million-character line that is valid
    return PREAMBLE + "let any: " + " or ".join(["flag"] * 125_000) + "\n"


def _valid_rules(count: int) -> str:
    """``count`` rules, one per value of an integer: valid and complete (400,000: 10 MB)."""
    head = PREAMBLE.split("input flag")[0] + 'input n "N": integer >= 0\n'
    rules = [f"rule r{i} -> {('yes_path', 'no_path')[i % 2]}: n = {i}\n" for i in range(count)]
    return head + "".join(rules) + f"rule rest -> yes_path: n >= {count}\n"


ADVERSARIAL: dict[str, tuple[Callable[[], bytes], str, str]] = {
    # name: (file contents, outcome, a phrase of the message)
    "100,000 nested parentheses": (
        lambda: _nested_parentheses().encode(),
        "RuleSyntaxError",
        f"nested more than {MAX_DEPTH} deep",
    ),
    "100,000 opening parentheses": (
        lambda: ("let x: " + "(" * 100_000).encode(),
        "RuleSyntaxError",
        f"nested more than {MAX_DEPTH} deep",
    ),
    "100,000 nots": (
        lambda: (PREAMBLE + "let x: " + "not " * 100_000 + "flag\n").encode(),
        "RuleSyntaxError",
        f"nested more than {MAX_DEPTH} levels deep",
    ),
    "100 nested when blocks": (
        lambda: (
            (
                PREAMBLE + "".join("    " * i + "when flag:\n" for i in range(100)) + "    " * 100
            ).encode()
            + b"rule r -> yes_path: flag\n"
        ),
        "RuleSyntaxError",
        f"blocks nested more than {MAX_INDENT_LEVELS} deep",
    ),
    "a million-character condition": (
        lambda: _long_condition().encode(),
        "loaded",
        "",
    ),
    "a million-character name": (
        lambda: (PREAMBLE + "let x: " + "a" * 1_000_000 + "\n").encode(),
        "RuleSemanticError",
        "is not a declared input or derived value",
    ),
    "a million-character text": (
        lambda: PREAMBLE.replace("The flag is set.", "long " * 200_000).encode(),
        "loaded",
        "",
    ),
    "a million-character comment": (
        lambda: (PREAMBLE + "# " + "x" * 1_000_000 + "\n").encode(),
        "loaded",
        "",
    ),
    "10 MB of comments": (
        lambda: (PREAMBLE + ("# " + "x" * 98 + "\n") * 100_000).encode(),
        "loaded",
        "",
    ),
    "10 MB of broken lines": (
        lambda: ("rule x\n" * 1_500_000).encode(),
        "RuleSyntaxError",
        "more syntax errors not shown",
    ),
    "a million-character line of undefined names": (
        lambda: (PREAMBLE + "let x: " + " or ".join(["nothing"] * 90_000) + "\n").encode(),
        "RuleSemanticError",
        "more problems not shown",
    ),
    "NUL bytes everywhere": (
        lambda: (PREAMBLE + "\x00" * 1000 + '\nsource s "a\x00b"\n# \x00\n').encode(),
        "RuleSyntaxError",
        "a NUL character is not allowed",
    ),
    "binary garbage": (
        lambda: bytes(range(256)) * 4000,
        "RuleSyntaxError",
        "not valid UTF-8",
    ),
}

SLOW_ADVERSARIAL: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "10 MB of GIST, repeated": (
        lambda: (GIST_TEXT * (10_000_000 // len(GIST_TEXT) + 1)).encode(),
        "RuleSemanticError",
        "a file has one 'ruleset' line",
    ),
}


def _check_adversarial(tmp_path: Path, case: tuple[Callable[[], bytes], str, str]) -> None:
    make, expected, phrase = case
    result = load_in_child(tmp_path, make())
    assert result["outcome"] == expected, str(result)[:3000]
    if phrase:
        assert phrase in str(result["message"])


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_file_is_refused_or_loaded_in_bounded_time_and_memory(
    tmp_path: Path, name: str
) -> None:
    _check_adversarial(tmp_path, ADVERSARIAL[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SLOW_ADVERSARIAL))
def test_large_adversarial_file_is_refused_in_bounded_time_and_memory(
    tmp_path: Path, name: str
) -> None:
    _check_adversarial(tmp_path, SLOW_ADVERSARIAL[name])


@pytest.mark.slow
def test_valid_rules_with_many_thresholds_load_or_are_refused_in_bounded_time(
    tmp_path: Path,
) -> None:
    path = tmp_path / "thresholds.gprules"
    path.write_text(_valid_rules(20_000), encoding="utf-8")  # half a megabyte
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(MEMORY_MB)],
            capture_output=True,
            text=True,
            timeout=15,  # a linear compiler needs about one second
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("no answer in 15 s")
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["outcome"] in ("loaded", "RuleSemanticError")


@pytest.mark.slow
def test_valid_rules_with_many_thresholds_load_or_are_refused_in_bounded_memory(
    tmp_path: Path,
) -> None:
    path = tmp_path / "thresholds.gprules"
    path.write_text(_valid_rules(40_000), encoding="utf-8")  # 1.4 MB
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), "512"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout)["outcome"]
    assert outcome == "loaded" or issubclass(getattr(gistpath, outcome), gistpath.GistpathError)


@pytest.mark.slow
def test_ten_thousand_inputs_load() -> None:
    text = PREAMBLE + "".join(f"input extra{i}: boolean\n" for i in range(10_000))
    assert outcome(text) == "loaded"


# --------------------------------------------------------------------------- single characters


@pytest.mark.parametrize(
    "data",
    [
        b"\xff",  # never valid
        b"\xc0\xaf",  # an overlong '/'
        b"\xed\xa0\x80",  # a UTF-16 surrogate
        b"\xe2\x82",  # a character cut short at the end of the file
        b"\xe9t\xe9",  # Latin-1
    ],
)
def test_invalid_utf8_is_located_at_the_bad_byte(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "latin.gprules"
    path.write_bytes('source s "Säule"\n# ok: é\nlet x: '.encode() + data + b"\n")
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        gistpath.load(path)
    error = info.value
    assert (error.line, error.column) == (3, 8)
    assert str(error).startswith(f"{path}:3:8: the file is not valid UTF-8: byte 0x{data[0]:02x}")
    assert "\ufffd" in str(error).split("\n")[1]  # the bad byte is shown, not hidden


def test_utf16_file_is_refused_at_its_first_byte(tmp_path: Path) -> None:
    path = tmp_path / "utf16.gprules"
    path.write_bytes(PREAMBLE.encode("utf-16"))
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        gistpath.load(path)
    assert (info.value.line, info.value.column) == (1, 1)


@pytest.mark.parametrize("separator", LINE_SEPARATORS, ids=repr)
def test_a_line_separator_between_tokens_is_a_located_error(separator: str) -> None:
    text = PREAMBLE + f"let x: flag{separator} and flag\n"
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        gistpath.loads(text, name="sep.gprules")
    error = info.value
    line = PREAMBLE.count("\n") + 1
    assert (error.line, error.column) == (line, len("let x: flag") + 1)
    assert "line-break character" in error.diagnostics[0].message
    assert_located(error, text + "\n", "sep.gprules")
    shown = str(error).split("\n")[1]
    assert separator not in shown  # drawn as a visible stand-in, never as a line break


@pytest.mark.parametrize("separator", LINE_SEPARATORS, ids=repr)
def test_a_line_separator_in_a_comment_or_text_does_not_move_later_lines(separator: str) -> None:
    text = f'# a comment{separator}still the comment\nsource s "one{separator}two"\n' + PREAMBLE
    rs = gistpath.loads(text)
    assert rs.sources["s"].title == "one two"  # white space in a text folds to one space
    broken = text + "rule r -> yes_path flag\n"
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        gistpath.loads(broken)
    assert info.value.line == broken.count("\n")  # lines are counted by \n alone


@pytest.mark.parametrize("indent", ["\t", "  \t", "\t    ", "    \t"], ids=repr)
def test_tabs_in_indentation_are_refused(indent: str) -> None:
    text = PREAMBLE.replace('    summary "The flag is set."', indent + 'summary "The flag is set."')
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        gistpath.loads(text)
    assert info.value.line == 3
    assert "tab" in info.value.diagnostics[0].message
    assert_located(info.value, text, "<string>")


def test_tabs_between_tokens_are_white_space() -> None:
    assert outcome(PREAMBLE + "let x:\tflag\tand\tnot\tflag\n") == "loaded"


@pytest.mark.parametrize(
    "char", ["\x00", "\x01", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066"], ids=repr
)
@pytest.mark.parametrize("where", ["code", "text", "comment"])
def test_control_and_bidirectional_characters_are_refused_anywhere(char: str, where: str) -> None:
    line = {
        "code": f"let x: flag{char}\n",
        "text": f'source s2 "a{char}b"\n',
        "comment": f"# a{char}b\n",
    }[where]
    text = PREAMBLE + line
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        gistpath.loads(text, name="c.gprules")
    error = info.value
    assert error.line == PREAMBLE.count("\n") + 1
    assert error.column == line.index(char) + 1
    assert char not in str(error)  # shown as a visible stand-in
    assert_located(error, text, "c.gprules")


@pytest.mark.parametrize(
    ("snippet", "phrase"),
    [
        ("input big: number <= 1e400\n", "the number 1e400 is too large"),
        ("input big: number >= -1e400\n", "the number -1e400 is too large"),
        ("input tiny: number >= 1e-400\n", "the number 1e-400 is too small to be told apart"),
        ("input big: integer <= " + "9" * 400 + "\n", "is too large"),
        ("input big: integer <= " + "9" * 5000 + "\n", "is too large"),
        ("input big: number <= " + "9" * 400 + "\n", "too large to be compared exactly"),
        ("input n: number\nlet x: n > 1e-400\n", "too small to be told apart"),
        ("input n: number\nlet x: n > -1e400\n", "is too large"),
        (
            "input n: number\nexample e -> yes_path\n    flag = yes\n    n = 1e-400\n",
            "too small to be told apart",
        ),
        ("input n: number\nexample e -> yes_path\n    flag = yes\n    n = 1e400\n", "is too large"),
    ],
)
def test_numbers_beyond_a_float_are_refused_where_written(snippet: str, phrase: str) -> None:
    text = PREAMBLE + snippet
    with pytest.raises(gistpath.RuleSemanticError) as info:
        gistpath.loads(text)
    assert any(phrase in d.message for d in info.value.diagnostics), str(info.value)
    assert info.value.line > PREAMBLE.count("\n")
    assert_located(info.value, text, "<string>")
    assert len(str(info.value)) < 2000  # 5000 digits are not echoed whole


def test_numbers_that_only_look_small_are_fine() -> None:
    text = PREAMBLE + "input n: number >= 0.0e-999 and <= 1e300\nlet x: n > 4.9e-324\n"
    assert outcome(text) == "loaded"


def test_wide_and_combining_characters_keep_the_caret_under_the_place() -> None:
    line = 'source s "e\u0301\u0301 日本" !'
    with pytest.raises(gistpath.RuleSyntaxError) as info:
        gistpath.loads(line + "\n")
    error = info.value
    assert (error.line, error.column) == (1, line.index("!") + 1)
    _, shown, caret = str(error).split("\n")[:3]
    assert shown == "    " + line
    # Before the '!': 'source s "' (10 columns), e and two combining marks (1), a space (1),
    # two wide characters (4), '" ' (2).
    assert caret == "    " + " " * 18 + "^"


# --------------------------------------------------------------------------- no way into Python

# Functions that run or import text. Their names may appear (called, or passed around) only
# in a module whose docstring has a paragraph starting "Safety:" that names each of them in
# double backquotes and says how rule text is kept from reaching them.
_RUNS_TEXT = frozenset({"eval", "exec", "compile", "__import__"})


def _docstring_safety(tree: pyast.Module) -> str:
    doc = pyast.get_docstring(tree) or ""
    paragraphs = [p for p in doc.split("\n\n") if p.lstrip().startswith("Safety:")]
    return "\n".join(paragraphs)


def _calls(tree: pyast.Module) -> list[tuple[str, pyast.Call]]:
    found = []
    for node in pyast.walk(tree):
        if not isinstance(node, pyast.Call):
            continue
        func = node.func
        if isinstance(func, pyast.Name):
            found.append((func.id, node))
        elif isinstance(func, pyast.Attribute):
            owner = func.value.id if isinstance(func.value, pyast.Name) else ""
            found.append((f"{owner}.{func.attr}", node))
    return found


def _uses_of_functions_that_run_text(tree: pyast.Module) -> list[tuple[str, int]]:
    """(name, line) of every ``eval``/``exec``/``compile``/``__import__`` as a bare name
    (a call or not) or as an attribute of ``builtins``; ``re.compile`` is not one."""
    found = []
    for node in pyast.walk(tree):
        if isinstance(node, pyast.Name) and node.id in _RUNS_TEXT:
            found.append((node.id, node.lineno))
        elif (
            isinstance(node, pyast.Attribute)
            and node.attr in _RUNS_TEXT
            and isinstance(node.value, pyast.Name)
            and node.value.id in ("builtins", "__builtins__")
        ):
            found.append((node.attr, node.lineno))
        elif isinstance(node, pyast.alias) and node.name in _RUNS_TEXT:
            found.append((node.name, node.lineno))
    return found


@pytest.mark.slow
def test_only_a_module_that_says_why_may_run_text() -> None:
    exceptions: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        safety = _docstring_safety(tree)
        for name, line in _uses_of_functions_that_run_text(tree):
            where = f"{path.relative_to(ROOT)}:{line}: {name}"
            assert f"``{name}``" in safety, f"{where}, and no 'Safety:' paragraph names it"
            exceptions.setdefault(path.name, set()).add(name)
    # The one exception there is today: the generated evaluator of codegen.py, which says
    # it compiles source made only of names it invents (a new one must be reviewed).
    assert set(exceptions) <= {"codegen.py"}, exceptions


def test_the_scan_finds_what_it_looks_for() -> None:
    tree = pyast.parse(
        "import builtins\nfrom builtins import exec as run\nf = eval\n"
        "builtins.compile('1', 'x', 'eval')\nre.compile('x')\n"
    )
    assert sorted(_uses_of_functions_that_run_text(tree)) == [
        ("compile", 4),
        ("eval", 3),
        ("exec", 2),
    ]


def _attrs_field_variables(tree: pyast.Module) -> set[str]:
    """Names bound by ``for f in attrs.fields(...)``: their ``.name`` is a field written in
    the source of an attrs class."""

    def is_fields(node: pyast.expr) -> bool:
        return isinstance(node, pyast.Call) and pyast.unparse(node.func) in (
            "attrs.fields",
            "fields",
        )

    lists = {  # names given the fields: fields = attrs.fields(cls)
        target.id
        for node in pyast.walk(tree)
        if isinstance(node, pyast.Assign) and is_fields(node.value)
        for target in node.targets
        if isinstance(target, pyast.Name)
    }
    found = set()
    for node in pyast.walk(tree):
        loops: list[pyast.For | pyast.comprehension] = []
        if isinstance(node, pyast.For):
            loops.append(node)
        elif isinstance(node, (pyast.ListComp, pyast.SetComp, pyast.GeneratorExp, pyast.DictComp)):
            loops.extend(node.generators)
        for loop in loops:
            over_fields = is_fields(loop.iter) or getattr(loop.iter, "id", None) in lists
            if over_fields and isinstance(loop.target, pyast.Name):
                found.add(loop.target.id)
    return found


def reflection_by_runtime_names(tree: pyast.Module, module: str) -> list[str]:
    """Calls that import or reach an attribute by a name not written in the source:
    ``import_module``, ``getattr`` & co. must take a constant, the name of an attrs field,
    or (the lazy attributes of gistpath/__init__.py) a key of the constant table _LAZY."""
    field_variables = _attrs_field_variables(tree)
    found = []
    for name, node in _calls(tree):
        where = f"{module}:{node.lineno}: {name}"
        if name.endswith("import_module"):
            argument = node.args[0]
            lazy = module == "__init__.py" and pyast.unparse(argument) == "module"
            if not (isinstance(argument, pyast.Constant) or lazy):
                found.append(where)
        elif name in ("getattr", "setattr", "delattr", "hasattr"):
            attribute = node.args[1]
            lazy = module == "__init__.py" and name == "getattr"
            field = (
                isinstance(attribute, pyast.Attribute)
                and attribute.attr == "name"
                and getattr(attribute.value, "id", None) in field_variables
            )
            if not (isinstance(attribute, pyast.Constant) or lazy or field):
                found.append(where)
        elif name.endswith(("attrgetter", "methodcaller")):
            if not all(isinstance(a, pyast.Constant) for a in node.args):
                found.append(where)
        elif name in ("vars", "locals") or (name == "globals" and module != "__init__.py"):
            found.append(where)
    return found


def test_imports_and_reflection_use_only_names_written_in_the_source() -> None:
    for path in sorted(SRC.rglob("*.py")):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        assert reflection_by_runtime_names(tree, path.name) == []
    lazy_table = vars(gistpath)["_LAZY"]
    assert all(module.startswith("gistpath.") for module in lazy_table.values())


def test_the_reflection_scan_finds_names_from_data() -> None:
    tree = pyast.parse(
        "import attrs, importlib, operator\n"
        "x = getattr(node, 'line', 0)\n"
        "y = [getattr(self, f.name) for f in attrs.fields(type(self))]\n"
        "z = getattr(model, rule.name)\n"
        "importlib.import_module(text)\n"
        "operator.attrgetter(field)\n"
    )
    assert reflection_by_runtime_names(tree, "m.py") == [
        "m.py:4: getattr",
        "m.py:5: importlib.import_module",
        "m.py:6: operator.attrgetter",
    ]


# Every declaration kind named after a module, a builtin or a dunder attribute.
PYTHON_NAMES_FILE = """\
ruleset __class__ "Python's names are plain names here"
source __builtins__ "A source"
input __import__ "Import": choice os, subprocess, ctypes, __dict__, __class__, eval, antigravity
input exec "Exec": boolean or unknown
input eval "Eval": number >= 0 and <= 10 __mro__
input __init__ "Init": integer >= 0 and <= 3 or unknown
input state "A name codegen might use": boolean
input v0 "Another one": boolean
let __getattr__ "Getattr": __import__ in {os, subprocess, ctypes}
table __subclasses__ "Subclasses"
    values __globals__, __code__
    hit first
    | eval        | __subclasses__ |
    | < 5 __mro__ | __globals__    |
    | -           | __code__       |
pathway __call__ "Call"
    summary "One."
    cites __builtins__
pathway __del__ "Del"
    summary "Two."
    cites __builtins__
consideration __reduce__ "Reduce"
    summary "Three."
    cites __builtins__
    when pathway is __call__ and exec
rule self -> __call__: __getattr__ and __subclasses__ is __globals__ and (state or not v0)
rule sys -> __del__: not (__getattr__ and __subclasses__ is __globals__ and (state or not v0))
example os -> __call__ with __reduce__
    __import__ = ctypes
    exec = yes
    eval = 1 __mro__
    __init__ = unknown
    state = yes
    v0 = no
"""


def _python_names_states() -> list[dict[str, object]]:
    out = []
    for i, module in enumerate(["os", "subprocess", "ctypes", "__dict__", "eval", "antigravity"]):
        for j, exec_ in enumerate([True, False, "unknown"]):
            out.append(
                {
                    "__import__": module,
                    "exec": exec_,
                    "eval": [0, 4.5, 5, 10][(i + j) % 4],
                    "__init__": [0, 3, "unknown"][j],
                    "state": i % 2 == 0,
                    "v0": j == 1,
                }
            )
    return out


def test_pythons_names_are_plain_names() -> None:
    rs = gistpath.loads(PYTHON_NAMES_FILE, name="python_names.gprules")
    assert rs.name == "__class__"
    states = _python_names_states()
    for state in states:
        decision = rs.evaluate(state)
        reference = rs.evaluate_reference(state)
        assert (decision.pathway, decision.considerations) == (
            reference.pathway,
            reference.considerations,
        )
        assert rs.pathways[decision.pathway].title in decision.explain()
    assert list(rs.evaluate_many(states)) == [rs.evaluate(s).pathway for s in states]
    with pytest.raises(gistpath.StateError) as info:
        rs.evaluate({**states[0], "__class__": 1})
    assert info.value.field == "__class__"


def test_a_file_naming_modules_imports_nothing() -> None:
    gistpath.loads(PREAMBLE).evaluate_many([{"flag": True}])  # gistpath's own lazy imports
    gistpath.loads(PREAMBLE).evaluate({"flag": True}).explain()
    before = set(sys.modules)
    rs = gistpath.loads(PYTHON_NAMES_FILE)
    states = _python_names_states()
    rs.evaluate_many(states, considerations=True)
    for state in states:
        rs.evaluate(state).explain()
    rs.verify()
    assert not {"antigravity", "ctypes", "subprocess"} & set(sys.modules) - before
    assert set(sys.modules) - before == set()


def test_a_dotted_name_is_a_syntax_error() -> None:
    for text in ("input os.system: boolean\n", PREAMBLE + "let x: os.system\n"):
        with pytest.raises(gistpath.RuleSyntaxError) as info:
            gistpath.loads(text)
        assert "'.'" in str(info.value)


# --------------------------------------------------------------------------- no deep recursion


@pytest.mark.slow
def test_files_at_the_nesting_limits_need_few_stack_frames() -> None:
    """At MAX_DEPTH and MAX_INDENT_LEVELS, load, evaluate, explain and verify use fewer than
    200 frames beyond their caller's, leaving most of Python's 1,000 to the application."""
    parens = "(" * (MAX_DEPTH - 1) + "flag" + ")" * (MAX_DEPTH - 1)
    nots = "not " * (MAX_DEPTH - 2) + "flag"
    whens = "".join("    " * i + "when flag:\n" for i in range(MAX_INDENT_LEVELS - 1))
    texts = [
        PREAMBLE + f"let deep: {parens}\nlet deeper: {nots}\n",
        PREAMBLE.replace("rule set_rule -> yes_path: flag\n", "")
        + whens
        + "    " * (MAX_INDENT_LEVELS - 1)
        + "rule set_rule -> yes_path: flag\n",
        GIST_TEXT,
    ]
    states: list[dict[str, object]] = [{"flag": True}, {"flag": False}, {"flag": True}]
    states[2] = gist_state()
    for text in texts:
        gistpath.loads(text)  # warm up: first-use imports and caches
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 200)
    try:
        for text, state in zip(texts, states, strict=True):
            rs = gistpath.loads(text)
            assert rs.verify().ok
            assert rs.evaluate(state).explain()
    finally:
        sys.setrecursionlimit(old)

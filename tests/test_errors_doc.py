"""docs/errors.rst is true: every example on the page gives exactly the output shown, and
every message the library can produce is shown by some example.

The page is read as a sequence of ``code-block`` directives, in order, in a scratch folder:

- a ``gistpath`` block is a rule file named by its caption (so is a ``text`` block with a
  caption, for files too broken for the highlighter to colour). A caption ending in
  ``(+ common lines)`` marks a fragment: the file is the fragment followed by the common
  lines (the block captioned ``example.gprules``), so its line numbers are the fragment's.
  The file is written to the folder. When the next block is ``text``, loading the file
  must raise an error whose message is that text;
- a ``pycon`` block is a doctest, run in one namespace shared by the page's sessions;
- a ``console`` block holds ``$ command`` lines, each followed by what it prints (standard
  output and error together), run one after another in one ``bash``.

``python tests/test_errors_doc.py --update`` rewrites the ``text`` blocks after rule files
and the outputs of the ``console`` blocks from what gistpath prints now (``pycon`` blocks
are kept by hand). Read the difference before committing it.
"""

from __future__ import annotations

import ast as pyast
import doctest
import os
import re
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import gistpath

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "errors.rst"
SRC = ROOT / "src" / "gistpath"
COMMON_MARK = "(+ common lines)"
COMMON_FILE = "example.gprules"


@dataclass
class Block:
    """One code-block directive: its language, caption, content, and where the content is."""

    language: str
    caption: str
    content: str
    start: int  # index of the first content line in the page's lines
    end: int  # index after the last content line
    indent: str  # of the content lines


_DIRECTIVE = re.compile(r"^(\s*)\.\. code-block:: *(\S+)\s*$")


def code_blocks(text: str) -> list[Block]:
    """Every code-block of an rst text, in order."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        if not match:
            i += 1
            continue
        outer, language = match.group(1), match.group(2)
        caption = ""
        i += 1
        while i < len(lines) and re.match(rf"^{outer}\s+:\w+:", lines[i]):
            option = lines[i].strip()
            if option.startswith(":caption:"):
                caption = option[len(":caption:") :].strip()
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        start = i
        indent = re.match(r"^\s*", lines[i]).group() if i < len(lines) else outer + "   "  # type: ignore[union-attr]
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(indent)):
            i += 1
        end = i
        while end > start and not lines[end - 1].strip():
            end -= 1
        content = "\n".join(line[len(indent) :] for line in lines[start:end])
        blocks.append(Block(language, caption, content, start, end, indent))
    return blocks


def rule_file(block: Block, common: str) -> tuple[str, str]:
    """(file name, text) of a ``gistpath`` block."""
    name = block.caption.removesuffix(COMMON_MARK).strip() or COMMON_FILE
    text = block.content + "\n"
    if block.caption.endswith(COMMON_MARK):
        text += common
    return name, text


def error_of(name: str, text: str) -> str:
    """What loading ``text`` as ``name`` says."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            gistpath.loads(text, name=name)
        except gistpath.GistpathError as error:
            return str(error)
    return "(the file loads)"


# --------------------------------------------------------------------------- console


@dataclass
class Command:
    command: str
    output: str


def console_commands(block: Block) -> list[Command]:
    commands: list[Command] = []
    for line in block.content.split("\n"):
        if line.startswith("$ "):
            commands.append(Command(line[2:], ""))
        else:
            assert commands, f"output before any command in {block.content!r}"
            commands[-1].output += line + "\n"
    for command in commands:
        command.output = command.output.rstrip("\n")
    return commands


_END = "@@ end of command @@"


def run_console(commands: list[Command], folder: Path) -> list[str]:
    """What each command prints, run in one bash so that ``echo $?`` sees the status."""
    script = ["exec 2>&1"]
    for command in commands:
        script.append(command.command)
        script.append(f"__status=$?; printf '\\n{_END}\\n'; (exit $__status)")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "100",
        "PYTHONWARNINGS": "ignore",
    }
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        timeout=300,
        check=False,
    )
    chunks = done.stdout.split(f"\n{_END}\n")
    return [chunk.strip("\n") for chunk in chunks[: len(commands)]]


# --------------------------------------------------------------------------- the page


@dataclass
class Outcome:
    block: Block
    expected: str
    got: str


def run_page(text: str, folder: Path) -> Iterator[Outcome]:
    """Run every example of the page in ``folder``; one outcome per checked output."""
    blocks = code_blocks(text)
    commons = [b for b in blocks if b.language == "gistpath" and b.caption == COMMON_FILE]
    assert len(commons) == 1, "the page defines the common lines once"
    common = commons[0].content + "\n"
    namespace: dict[str, object] = {}
    parser = doctest.DocTestParser()
    old = Path.cwd()
    os.chdir(folder)
    try:
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if block.language == "gistpath" or (block.language == "text" and block.caption):
                name, rules = rule_file(block, common)
                (folder / name).write_text(rules, encoding="utf-8")
                if following is not None and following.language == "text":
                    yield Outcome(following, following.content, error_of(name, rules))
            elif block.language == "pycon":
                test = parser.get_doctest(block.content, namespace, PAGE.name, str(PAGE), 0)
                runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
                report: list[str] = []
                runner.run(test, out=report.append, clear_globs=False)
                namespace.update(test.globs)  # a DocTest works on a copy
                yield Outcome(block, "", "".join(report))
            elif block.language == "console":
                commands = console_commands(block)
                outputs = run_console(commands, folder)
                expected = "\n".join(f"$ {c.command}\n{c.output}".rstrip("\n") for c in commands)
                got = "\n".join(
                    f"$ {c.command}\n{out}".rstrip("\n")
                    for c, out in zip(commands, outputs, strict=False)
                )
                yield Outcome(block, expected, got)
    finally:
        os.chdir(old)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.split("\n")]


def same(shown: str, got: str) -> bool:
    """``got`` is what ``shown`` says, line by line; ``...`` in ``shown`` stands for any
    text within a line (the time a command took, say)."""
    shown_lines, got_lines = _lines(shown), _lines(got)
    if len(shown_lines) != len(got_lines):
        return False
    for want, have in zip(shown_lines, got_lines, strict=True):
        pattern = ".*".join(re.escape(part) for part in want.split("..."))
        if not re.fullmatch(pattern, have):
            return False
    return True


@pytest.mark.slow
def test_every_example_gives_the_output_shown(tmp_path: Path) -> None:
    page = PAGE.read_text(encoding="utf-8")
    outcomes = list(run_page(page, tmp_path))
    assert len(outcomes) > 50  # the page is read at all
    failures = [o for o in outcomes if not same(o.expected, o.got)]
    details = "\n\n".join(
        f"docs/errors.rst line {o.block.start + 1}:\n--- shown\n{o.expected}\n--- got\n{o.got}"
        for o in failures[:5]
    )
    assert not failures, f"{len(failures)} examples differ:\n{details}"


_PAGE_OUTPUTS = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, {tests!r})
import test_errors_doc as doc
with tempfile.TemporaryDirectory() as folder:
    page = doc.PAGE.read_text(encoding="utf-8")
    for outcome in doc.run_page(page, Path(folder)):
        if outcome.block.language != "console":  # a command line shows how long it took
            print(outcome.got)
"""


@pytest.mark.slow
def test_the_messages_do_not_depend_on_the_hash_seed() -> None:
    """Every message on the page, printed under three hash seeds: set order never decides
    what a message says or in which order problems are listed. (Seeds 0 and 12345 alone
    order {'yes', 'no'} alike; seed 1 does not.)"""
    outputs = []
    for seed in ("0", "1", "12345"):
        done = subprocess.run(
            [sys.executable, "-c", _PAGE_OUTPUTS.format(tests=str(ROOT / "tests"))],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr[-3000:]
        outputs.append(done.stdout)
    assert outputs[0].count("problems found.") > 10
    assert outputs[0] == outputs[1] == outputs[2]


def test_the_page_reader_reads_blocks() -> None:
    text = (
        "Intro\n\n.. code-block:: gistpath\n   :caption: a.gprules (+ common lines)\n\n"
        "   rule x\n       -> y\n\n   z\n\nAfter\n\n.. code-block:: text\n\n   out\n"
    )
    first, second = code_blocks(text)
    assert (first.language, first.caption, first.content) == (
        "gistpath",
        "a.gprules (+ common lines)",
        "rule x\n    -> y\n\nz",
    )
    assert rule_file(first, "common\n") == ("a.gprules", "rule x\n    -> y\n\nz\ncommon\n")
    assert (second.language, second.content) == ("text", "out")
    assert same("in 0.004 s\nb", "in 0.004 s\nb")
    assert same("in ... s", "in 0.004 s")
    assert not same("in ... s", "in 0.004 s\nmore")
    assert not same("in ... s", "out 0.004 s")
    block = Block("console", "", "$ echo a\na\n$ false\n$ echo $?\n1", 0, 0, "")
    assert [(c.command, c.output) for c in console_commands(block)] == [
        ("echo a", "a"),
        ("false", ""),
        ("echo $?", "1"),
    ]


# --------------------------------------------------------------------------- completeness

# Message texts in the source that no example can show, and why.
UNREACHABLE = {
    "the file ends too early; expected": "parser/messages.py: Lark's parser reports the end of "
    "the file as an unexpected token, never as UnexpectedEOF",
    "a tab is not allowed here": "parser/messages.py: tabs between tokens are white space and tabs "
    "before the first token are read by the indenter",
    "more gaps not listed": "verify.py: needs more than 50 separate gaps",
    "more overlapping pairs not listed": "verify.py: needs more than 50 overlapping pairs",
    "more gaps of table '": "verify.py: needs more than 50 separate gaps in one table",
    "' not listed": "verify.py: the end of the two messages above",
    "more overlapping pairs of table '": "verify.py: needs more than 50 overlapping pairs "
    "in one table",
    "more precise than a 64-bit float; it would be rounded": "state.py: only where numpy's "
    "longdouble is wider than a float, which depends on the platform",
}


def _static_parts(node: pyast.expr) -> Iterator[str]:
    """The literal text of a message expression: constants and f-string constants, through
    ``+`` and conditional expressions; not the arguments of calls (separators of joins)."""
    if isinstance(node, pyast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, pyast.JoinedStr):
        for part in node.values:
            yield from _static_parts(part)
    elif isinstance(node, pyast.BinOp) and isinstance(node.op, pyast.Add):
        yield from _static_parts(node.left)
        yield from _static_parts(node.right)
    elif isinstance(node, pyast.IfExp):
        yield from _static_parts(node.body)
        yield from _static_parts(node.orelse)


def _message_arguments(path: Path) -> Iterator[pyast.expr]:
    """The message expressions of a module: the message argument of ``self.error``,
    ``self.finding``, ``SyntaxProblem``, ``StateError(reason=...)``, error classes, and
    values assigned to ``message``."""
    tree = pyast.parse(path.read_text(encoding="utf-8"))
    for node in pyast.walk(tree):
        if isinstance(node, pyast.Call):
            func = node.func
            name = func.attr if isinstance(func, pyast.Attribute) else getattr(func, "id", "")
            first = ("SyntaxProblem", "EvaluationError", "GistpathError", "make_diagnostic")
            if name in ("error", "finding") and len(node.args) >= 2:
                yield node.args[1]
            elif name in first and node.args:
                yield node.args[0]
            for keyword in node.keywords:
                if keyword.arg == "reason":
                    yield keyword.value
            owner = func.value if isinstance(func, pyast.Attribute) else None
            if name == "append" and getattr(owner, "id", "") == "problems" and node.args:
                yield node.args[0]  # verify.py: what an example expected and got
        elif isinstance(node, pyast.Assign):
            for target in node.targets:
                if isinstance(target, pyast.Name) and target.id == "message":
                    yield node.value
                elif isinstance(target, pyast.Tuple) and isinstance(node.value, pyast.Tuple):
                    for element, value in zip(target.elts, node.value.elts, strict=False):
                        if getattr(element, "id", "") == "message":
                            yield value
        elif (
            isinstance(node, pyast.FunctionDef)
            and node.name == "locate_gap"  # verify.py: (message, lines) of a gap
        ):
            for inner in pyast.walk(node):
                if isinstance(inner, pyast.Return) and isinstance(inner.value, pyast.Tuple):
                    yield inner.value.elts[0]
        elif isinstance(node, pyast.AugAssign) and getattr(node.target, "id", "") == "message":
            yield node.value


# Messages made in errors.py and loader.py around the findings and errors they hold.
FRAMES = {
    "the rules failed verification": "errors.py: VerificationError",
    "rows are invalid; first, row": "errors.py: BatchError",
    "problems found.": "errors.py: RuleError with several diagnostics",
    "loaded as a draft with": "loader.py: VerificationWarning",
}


def messages_in_source() -> dict[str, str]:
    """Literal pieces of every message (at least two words long) → where they are."""
    found: dict[str, str] = dict(FRAMES)
    checks = sorted(str(p.relative_to(SRC)) for p in (SRC / "check").glob("*.py"))
    parsers = sorted(str(p.relative_to(SRC)) for p in (SRC / "parser").glob("*.py"))
    modules = [*parsers, *checks, "loader.py", "state.py", "verify.py", "ruleset.py"]
    for module in modules:
        for expression in _message_arguments(SRC / module):
            for piece in _static_parts(expression):
                piece = " ".join(piece.split())
                if len(re.findall(r"[A-Za-z]+", piece)) >= 2:
                    found.setdefault(piece.strip(), f"{module}:{expression.lineno}")
    return found


def test_every_message_in_the_source_is_shown_on_the_page() -> None:
    page = " ".join(PAGE.read_text(encoding="utf-8").split())
    messages = messages_in_source()
    assert len(messages) > 80  # the source is read at all
    missing = {
        piece: where
        for piece, where in messages.items()
        if piece not in page and piece not in UNREACHABLE
    }
    assert not missing, "messages no example shows:\n" + "\n".join(
        f"  {where}: {piece!r}" for piece, where in sorted(missing.items(), key=lambda i: i[1])
    )


def test_the_unreachable_messages_are_still_in_the_source() -> None:
    messages = messages_in_source()
    assert set(UNREACHABLE) <= set(messages)


# --------------------------------------------------------------------------- update


class _Recorder(doctest.DocTestRunner):
    """Records what each example of a doctest printed or raised, in doctest's own form."""

    def __init__(self) -> None:
        super().__init__(optionflags=doctest.ELLIPSIS)
        self.got: dict[int, str] = {}

    def report_success(self, out: object, test: object, example: doctest.Example, got: str) -> None:
        self.got[id(example)] = got

    def report_failure(self, out: object, test: object, example: doctest.Example, got: str) -> None:
        if got.startswith("Traceback (most recent call last):"):
            # keep the exception, not the frames: its first line is the first one that
            # is not indented
            lines = got.split("\n")
            first = next(i for i, line in enumerate(lines[1:], 1) if not line.startswith(" "))
            got = "\n".join([lines[0], "  ...", *lines[first:]])
        self.got[id(example)] = got

    def report_unexpected_exception(
        self, out: object, test: object, example: doctest.Example, exc_info: Any
    ) -> None:
        last = traceback.format_exception_only(exc_info[0], exc_info[1])
        self.got[id(example)] = "Traceback (most recent call last):\n  ...\n" + "".join(last)


def _session_again(block: Block, namespace: dict[str, object]) -> str:
    """A pycon block with each example's output replaced by what it prints now."""
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.content, namespace, PAGE.name, str(PAGE), 0)
    recorder = _Recorder()
    recorder.run(test, out=lambda _: None, clear_globs=False)
    namespace.update(test.globs)
    lines = block.content.split("\n")
    out: list[str] = []
    for example in test.examples:
        source_lines = example.source.count("\n")
        out += lines[example.lineno : example.lineno + source_lines]
        got = recorder.got.get(id(example), "")
        if got:
            out += got.rstrip("\n").split("\n")
    return "\n".join(out)


def update(page_path: Path = PAGE) -> int:
    """Rewrite every output on the page from what gistpath prints now; return how many
    blocks changed."""
    import tempfile

    text = page_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    changes: list[tuple[Block, str]] = []
    namespace: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for outcome in run_page(text, Path(folder)):
            if outcome.block.language == "pycon":
                if outcome.got:  # a failure report: record the session again
                    old = Path.cwd()
                    os.chdir(folder)
                    try:
                        changes.append((outcome.block, _session_again(outcome.block, namespace)))
                    finally:
                        os.chdir(old)
                else:
                    _session_again(outcome.block, namespace)
                continue
            if not same(outcome.expected, outcome.got):
                changes.append((outcome.block, outcome.got))
    for block, got in sorted(changes, key=lambda c: -c[0].start):
        new = [(block.indent + line).rstrip() for line in got.split("\n")]
        lines[block.start : block.end] = new
    page_path.write_text("\n".join(lines), encoding="utf-8")
    return len(changes)


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        print(f"{update()} outputs rewritten in {PAGE}")
    else:
        print(__doc__)
        pytest.main([__file__])

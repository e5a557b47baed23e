"""A pytest plugin: the examples inside ``*.gprules`` files run as test items.

Design: registered through the ``pytest11`` entry point, so it is imported into every pytest
run wherever gistpath is installed. It therefore imports nothing of gistpath at import time
(only inside its hooks) and acts only on files matching its own patterns (``*.gprules`` by
default). Each collected rule file gives:

- one item named ``check`` that fails when the file does not parse, does not pass the
  semantic checks, or does not verify (gaps, overlaps, dead rules, ...). Its failure is the
  located message ``file:line:col`` with the source line and a caret, never a Python
  traceback. A file that does not parse or check gives only this item.
- one item per ``example`` in the file, named by the example and reported at its line. A
  failing example shows the expected and the actual pathway, considerations and derived
  values, and the rule that fired.

The file is parsed, checked and compiled once, at collection; verification runs in the
``check`` item. Examples are evaluated on their own, so one wrong example does not hide the
others (``gistpath check`` and :func:`gistpath.load` report them all together).

Switching it off or narrowing it (all standard pytest mechanisms):

- ``-p no:gistpath`` on the command line (or ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``);
- the ini option ``gistpath_collect = false``;
- the ini option ``gistpath_rules``: glob patterns, one per line; a pattern without ``/``
  matches the file name, one with ``/`` the path (``rules/*.gprules``);
- ``collect_ignore_glob`` in a ``conftest.py``, e.g. for deliberately broken fixtures.

Limits: examples are the only test items; the plugin does not generate states (use
:mod:`gistpath.testing` with hypothesis for that).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from gistpath.model import Example
    from gistpath.ruleset import RuleSet

DEFAULT_PATTERNS = ("*.gprules",)
CHECK_ITEM = "check"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "gistpath_collect",
        "collect the examples of gistpath rule files as tests (default: true)",
        type="bool",
        default=True,
    )
    parser.addini(
        "gistpath_rules",
        "glob patterns of the gistpath rule files to collect (default: *.gprules); "
        "a pattern with '/' matches the path, otherwise the file name",
        type="linelist",
        default=list(DEFAULT_PATTERNS),
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> RuleFile | None:
    config = parent.config
    if not config.getini("gistpath_collect"):
        return None
    if not wanted(file_path, config.getini("gistpath_rules")):
        return None
    rule_file: RuleFile = RuleFile.from_parent(parent, path=file_path)
    return rule_file


def wanted(path: Path, patterns: list[str]) -> bool:
    """Whether ``path`` matches one of the ``gistpath_rules`` patterns."""
    posix = path.as_posix()
    for pattern in patterns:
        if "/" in pattern:
            rooted = pattern if pattern.startswith("/") else "*/" + pattern
            if fnmatch.fnmatchcase(posix, rooted):
                return True
        elif fnmatch.fnmatchcase(path.name, pattern):
            return True
    return False


class RuleFileFailure(Exception):
    """A rule file, or one of its examples, failed; the message is the whole report."""


class RuleFile(pytest.File):
    """A rule file: a ``check`` item, then one item per example."""

    def collect(self) -> Iterator[pytest.Item]:
        # Deferred: pytest imports this plugin in every run; gistpath loads for rule files.
        from gistpath.errors import GistpathError

        name = display_name(self.path, self.config.invocation_params.dir)
        try:
            ruleset = build_unverified(self.path, name)
        except GistpathError as error:
            yield CheckItem.from_parent(
                self, name=CHECK_ITEM, ruleset=None, problem=str(error), line=_line_of(error)
            )
            return
        examples = ruleset.model.examples
        names = {e.name for e in examples}
        check_name = CHECK_ITEM if CHECK_ITEM not in names else f"<{CHECK_ITEM}>"
        yield CheckItem.from_parent(self, name=check_name, ruleset=ruleset, problem=None, line=1)
        for example in examples:
            yield ExampleItem.from_parent(self, name=example.name, ruleset=ruleset, example=example)


def display_name(path: Path, start: Path) -> str:
    """The file name to show in messages: relative to where pytest was started, if inside."""
    try:
        return str(path.relative_to(start))
    except ValueError:
        return str(path)


def build_unverified(path: Path, name: str) -> RuleSet:
    """Read, parse, check, compile: a rule set whose verification has not run yet."""
    # Deferred: pytest imports this plugin in every run; gistpath loads for rule files.
    from gistpath.errors import GistpathError
    from gistpath.loader import build, decode

    try:
        data = path.read_bytes()
    except OSError as error:
        raise GistpathError(f"{name}: cannot read the rule file: {error.strerror}") from None
    return build(decode(data, name), name)


def _line_of(error: BaseException) -> int:
    line = getattr(error, "line", None)
    return line if isinstance(line, int) and line > 0 else 1


class _RuleItem(pytest.Item):
    line: int

    # No fixtures, but the attribute that pytest's own test functions have: some plugins'
    # pytest_runtest_call wrappers (pytest-lsp 1.0) read it and, where it is missing,
    # return without running the item, which fails every rule-file item with a RuntimeError.
    funcargs: dict[str, object] = {}  # noqa: RUF012 - never written

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, RuleFileFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        where = display_name(self.path, self.config.invocation_params.dir)
        if self.located:
            where += f":{self.line}"
        return self.path, self.line - 1, f"{self.headline} ({where})"

    @property
    def located(self) -> bool:
        """Whether :attr:`line` is the place of the trouble (not only the file's start)."""
        return True

    @property
    def headline(self) -> str:
        return self.name


class CheckItem(_RuleItem):
    """Passes when the rule file parses, checks and verifies."""

    def __init__(
        self, *, ruleset: RuleSet | None, problem: str | None, line: int, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.ruleset = ruleset
        self.problem = problem
        self.line = line

    @property
    def located(self) -> bool:
        return self.problem is not None

    def runtest(self) -> None:
        if self.problem is not None:
            raise RuleFileFailure(self.problem)
        assert self.ruleset is not None
        report = self.ruleset.verify()
        # Examples are items of their own; everything else the verifier found fails here.
        findings = [f for f in report.errors if f.kind != "example"]
        if findings:
            # The first line names the first finding's place: it is what pytest's short
            # summary shows.
            count = len(findings)
            lines = [f.format() for f in findings]
            lines.append(
                f"{self.ruleset.model.filename}: the rules failed verification "
                f"({count} finding{'s' if count != 1 else ''})"
            )
            raise RuleFileFailure("\n".join(lines))


class ExampleItem(_RuleItem):
    """One ``example`` of a rule file: its state must get the expected decision."""

    def __init__(self, *, ruleset: RuleSet, example: Example, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ruleset = ruleset
        self.example = example
        self.line = example.line

    @property
    def headline(self) -> str:
        return f"example {self.name}"

    def runtest(self) -> None:
        # Deferred: pytest imports this plugin in every run; gistpath loads for rule files.
        from gistpath.errors import EvaluationError, StateError
        from gistpath.printer import value_word

        example = self.example
        where = f"{self.ruleset.model.filename}:{example.line}: example '{example.name}'"
        try:
            decision = self.ruleset.evaluate(example.state)
        except (StateError, EvaluationError) as error:
            raise RuleFileFailure(
                f"{where} cannot be decided: {error}\n    state: {_state(example.state)}"
            ) from None
        problems: list[str] = []
        if decision.pathway != example.pathway:
            problems.append(f"pathway: expected '{example.pathway}', got '{decision.pathway}'")
        expected_considerations = tuple(
            c for c in self.ruleset.considerations if c in example.considerations
        )
        if tuple(decision.considerations) != expected_considerations:
            problems.append(
                f"considerations: expected {', '.join(expected_considerations) or 'none'}, "
                f"got {', '.join(decision.considerations) or 'none'}"
            )
        for name, expected in example.expected_values.items():
            got = decision.values.get(name)
            if got != expected or type(got) is not type(expected):
                problems.append(f"{name}: expected {value_word(expected)}, got {value_word(got)}")
        if problems:
            rule = next(r for r in self.ruleset.rules if r.id == decision.rule)
            lines = [f"{where} does not get the decision it expects"]
            lines += [f"    {p}" for p in problems]
            lines.append(f"    rule that fired: '{rule.id}' (line {rule.line}) -> {rule.pathway}")
            lines.append(f"    state: {_state(example.state)}")
            raise RuleFileFailure("\n".join(lines))


def _state(state: Mapping[str, object]) -> str:
    # Deferred: pytest imports this plugin in every run; gistpath loads for rule files.
    from gistpath.printer import value_word

    return "{" + ", ".join(f"{k} = {value_word(v)}" for k, v in state.items()) + "}"

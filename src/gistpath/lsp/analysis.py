"""What the language server knows about one text: problems, names, and where they are.

Design: pure functions over a string, with no editor protocol in them (so the fuzzing
campaign and the benchmarks drive them directly, and the server only translates).

- :func:`analyze` is the fast stage, run on every edit: each top-level declaration is
  parsed on its own (and cached, so an edit re-parses only the declarations it touched),
  the broken ones give their syntax diagnostics and are blanked out (newlines kept, so
  lines do not move), and the rest is checked, so a half-typed declaration never silences
  the semantic diagnostics of the others. Semantic diagnostics that name something
  written in a broken declaration are left out until it parses (they would only say that
  it is missing).
- :func:`verify` is the slow stage, run off the typing path: the verifier's findings
  (gaps, overlaps, dead rules, failing examples and properties, ...) as problems with the
  example state in the message and the other rules involved as related places. The
  proof is the loader's own, run with a :class:`gistpath.regions.PartitionMemo` that
  keeps the partitions of the previous proof: an edit re-proves what it changed, and
  the findings are those of a rule set loaded from scratch (not a finding is cached:
  positions, messages and examples are made anew from the new text every time).
- :mod:`gistpath.lsp.hover`, :mod:`gistpath.lsp.completion` and
  :mod:`gistpath.lsp.navigation` (definition, references, rename, outline) answer from an
  :class:`Analysis`: its model and the index of names of :mod:`gistpath.lsp.symbols`.

Positions here are 0-based lines (split on ``\\n``, as the parser counts) and code-point
columns; the server converts them to the client's units. Limits: the cache of parsed
declarations holds declarations of at most :data:`CHUNK_CACHE_CHARS` characters in all
(the least recently used go first).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from gistpath import ast
from gistpath.errors import GistpathError, RuleError
from gistpath.lsp.symbols import (
    KEYWORDS,
    NAME_RE,
    Span,
    Symbols,
    symbols,
)
from gistpath.parser import declaration_starts, parse
from gistpath.regions import PartitionMemo, memoized

if TYPE_CHECKING:
    from gistpath.model import Model
    from gistpath.verify import VerificationReport


@attrs.frozen
class Related:
    """Another place a problem involves (a rule of an overlap), with words for it."""

    span: Span
    message: str


@attrs.frozen
class Problem:
    """One diagnostic: where, what, how bad, and any fix the checker suggests."""

    span: Span
    message: str
    severity: str  # "error", "warning", "information"
    code: str
    related: tuple[Related, ...] = ()
    replacement: str | None = None  # a "did you mean" fix: the word to put at ``span``


@attrs.frozen
class Analysis:
    """The fast stage's result for one text."""

    text: str
    problems: tuple[Problem, ...]
    symbols: Symbols
    tree: ast.RuleFile | None  # of the text without its broken declarations
    model: Any  # gistpath.model.Model, or None when the checker found errors
    reduced: str  # the text without its broken declarations (None-free; may be "")
    broken: bool  # some declaration did not parse or check


def _span_at(text_lines: Sequence[str], line: int, column: int) -> Span:
    """The span of the word (or character) at a 1-based line and column."""
    row = max(0, line - 1)
    source = text_lines[row] if row < len(text_lines) else ""
    start = max(0, min(column - 1, len(source)))
    match = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|->|[<>=!]=?|\S").match(source, start)
    end = match.end() if match else start
    return Span(row, start, max(end, start))


_SUGGESTION = re.compile(r"did you mean '([^']+)'\?")
_NAMED = re.compile(r"^(?:column )?'([A-Za-z_][A-Za-z0-9_]*)'")


def _diagnostic_problems(error: RuleError, text: str) -> list[Problem]:
    """The checker's diagnostics, each at the exact word it is about where it names one."""
    text_lines = text.split("\n")
    starts = [0]
    for line in text_lines:
        starts.append(starts[-1] + len(line) + 1)
    problems = []
    for diagnostic in error.diagnostics:
        span = _span_at(text_lines, diagnostic.line, diagnostic.column)
        named = _NAMED.match(diagnostic.message)
        if named is not None and 0 <= span.line < len(text_lines):
            offset = starts[span.line] + span.start
            word = re.compile(r"(?<![\w])" + re.escape(named.group(1)) + r"(?![\w])")
            found = word.search(text, offset, offset + 4000)
            if found is not None:
                row = span.line + text.count("\n", offset, found.start())
                column = found.start() - starts[row]
                span = Span(row, column, column + len(named.group(1)))
        match = _SUGGESTION.search(diagnostic.message)
        problems.append(
            Problem(
                span,
                diagnostic.message,
                "error",
                diagnostic.code,
                replacement=match.group(1) if match and named else None,
            )
        )
    return problems


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", "", text)


# Parsed top-level declarations by (first line, text): an edit re-parses only the
# declarations it touched (typing inside a line moves no other declaration). Bounded by
# the characters of the declarations held, least recently used first out.
_CHUNKS: OrderedDict[tuple[int, str, str], tuple[ast.Declaration, ...] | RuleError] = OrderedDict()
_CHUNKS_LOCK = threading.Lock()
_CHUNKS_SIZE = [0]  # characters held
CHUNK_CACHE_CHARS = 2_000_000


def _parse_chunk(line: int, chunk: str, name: str) -> tuple[ast.Declaration, ...] | RuleError:
    """One top-level declaration parsed where it stands (blank lines put it on its line)."""
    key = (line, chunk, name)
    with _CHUNKS_LOCK:
        found = _CHUNKS.get(key)
        if found is not None:
            _CHUNKS.move_to_end(key)
            return found
    try:
        result: tuple[ast.Declaration, ...] | RuleError = parse(
            "\n" * (line - 1) + chunk, name
        ).declarations
    except RuleError as error:
        result = error
    if len(chunk) <= CHUNK_CACHE_CHARS // 4:
        with _CHUNKS_LOCK:
            if key not in _CHUNKS:
                _CHUNKS[key] = result
                _CHUNKS_SIZE[0] += len(chunk)
            while _CHUNKS_SIZE[0] > CHUNK_CACHE_CHARS:
                (_, old, _), _ = _CHUNKS.popitem(last=False)
                _CHUNKS_SIZE[0] -= len(old)
    return result


def parse_by_declaration(
    text: str, name: str = "<string>"
) -> tuple[list[ast.Declaration], list[RuleError], str, set[str]]:
    """The declarations that parse, the errors of those that do not, the text with the broken
    ones blanked out (newlines kept), and the names written in the broken ones.

    The same tree as :func:`gistpath.parser.parse` when every declaration parses (the
    parser reports its syntax errors declaration by declaration in the same way).
    """
    starts = declaration_starts(text)
    declarations: list[ast.Declaration] = []
    errors: list[RuleError] = []
    pieces: list[str] = []
    broken_names: set[str] = set()
    line = 1
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(text)
        chunk = text[start:end]
        result = _parse_chunk(line, chunk, name)
        if isinstance(result, RuleError):
            errors.append(result)
            pieces.append(_blank(chunk))
            # what the checker would say of these names (a pathway no rule names while its
            # rule is being typed, ...) is left out until the declaration parses
            broken_names.update(set(NAME_RE.findall(chunk)) - KEYWORDS)
        else:
            declarations.extend(result)
            pieces.append(chunk)
        line += chunk.count("\n")
    return declarations, errors, "".join(pieces), broken_names


MAX_SYNTAX_PROBLEMS = 200

# Per file name, the partitions of its last two proofs (gistpath.regions.PartitionMemo):
# after an edit, only the problems the edit changed are worked out again. Kept for the
# files verified last (each holds two proofs' worth); one proof at a time.
_MEMOS: OrderedDict[str, PartitionMemo] = OrderedDict()
_MEMO_LOCK = threading.Lock()
MEMO_FILES = 8


def analyze(text: str, name: str = "<string>") -> Analysis:
    """The fast stage: syntax and semantic problems and the symbol index of ``text``."""
    # Deferred: the whole pipeline loads on the first text analysed, not at start-up.
    from gistpath.check import check

    text_nl = text + "\n" if not text.endswith("\n") else text
    index = symbols(text_nl)
    problems: list[Problem] = []
    declarations, errors, reduced, broken_names = parse_by_declaration(text_nl, name)
    for error in errors:
        if len(problems) >= MAX_SYNTAX_PROBLEMS:
            break
        problems.extend(_diagnostic_problems(error, text_nl))
    tree: ast.RuleFile | None = ast.RuleFile(tuple(declarations))
    model = None
    if tree is not None:
        try:
            model = check(tree, reduced, name)
        except RuleError as error:
            for problem in _diagnostic_problems(error, text_nl):
                if any(f"'{n}'" in problem.message for n in broken_names):
                    continue
                if problems and problem.message.startswith("the file has no"):
                    continue  # it has, being typed
                problems.append(problem)
        except GistpathError as error:  # pragma: no cover - the checker raises RuleErrors
            problems.append(Problem(Span(0, 0, 0), str(error), "error", "error"))
    return Analysis(
        text_nl,
        tuple(problems),
        index,
        tree,
        model,
        reduced,
        bool(problems) or tree is None,
    )


def verify_model(model: Model) -> VerificationReport:
    """The verification report of a checked model, the same as a rule set loaded from
    scratch gives, reusing what the previous proof of the same file (by name) worked out
    where the new one asks the same.

    Raises what :func:`gistpath.loader.assemble` raises for a file too large to compile.
    """
    # Deferred: the whole pipeline loads on the first text analysed, not at start-up.
    from gistpath.loader import assemble

    with _MEMO_LOCK:
        memo = _MEMOS.pop(model.filename, None) or PartitionMemo()
        _MEMOS[model.filename] = memo
        while len(_MEMOS) > MEMO_FILES:
            _MEMOS.popitem(last=False)
        with memoized(memo):
            memo.next_round()
            return assemble(model).verify()


def verify(analysis: Analysis, name: str = "<string>") -> list[Problem]:
    """The slow stage: the verifier's findings for a text whose declarations all check."""
    if analysis.model is None:
        return []
    try:
        report = verify_model(analysis.model)
    except RuleError as error:  # compiling may find what checking did not
        return _diagnostic_problems(error, analysis.text)
    except GistpathError as error:
        return [Problem(Span(0, 0, 0), str(error), "error", "verification")]
    return [
        finding_problem(finding, analysis.symbols, analysis.text) for finding in report.findings
    ]


_KIND_WORDS = {"value": "declaration", "choice": "value"}


def _place(index: Symbols, text_lines: Sequence[str], line: int) -> tuple[Span, str]:
    """The span to show for a 1-based source line of a finding, and words for it: the name
    declared on that line (a rule, a table, a property...), else the line's text."""
    row = max(0, line - 1)
    for occurrence in index.by_line.get(row, ()):
        if occurrence.declares:
            kind = _KIND_WORDS.get(occurrence.key[0], occurrence.key[0])
            return occurrence.span, f"{kind} '{occurrence.key[-1]}' (line {line})"
    source = text_lines[row] if row < len(text_lines) else ""
    start = len(source) - len(source.lstrip())
    return Span(row, start, len(source)), f"line {line}: {_short(source.strip())}"


def _short(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, with ``...`` where it was cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def finding_problem(finding: Any, index: Symbols, text: str = "") -> Problem:
    """A verifier finding as a problem: the example state in the message, the others related."""
    text_lines = text.split("\n")
    lines: tuple[int, ...] = tuple(finding.lines)
    span = _place(index, text_lines, lines[0])[0] if lines else Span(0, 0, 0)
    message = f"{finding.kind.replace('_', ' ')}: {finding.message}"
    if finding.region is not None:
        message += f"\nwhere: {finding.region}"
    for number, example in enumerate(tuple(finding.examples)[:3], start=1):
        shown = ", ".join(f"{k}={_word(v)}" for k, v in example.items())
        label = "example state" if len(finding.examples) == 1 else f"example state {number}"
        message += f"\n{label}: {shown}"
    related = []
    for line in dict.fromkeys(lines[1:]):
        other, words = _place(index, text_lines, line)
        related.append(Related(other, words))
    severity = "error" if getattr(finding, "severity", "error") == "error" else "warning"
    return Problem(span, message, severity, finding.kind, tuple(related))


def _word(value: object) -> str:
    """A value as the rule file writes it (``yes``/``no`` for booleans)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)

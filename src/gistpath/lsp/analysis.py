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
- hover, definition, references, rename, outline and completion read the index of
  names of :mod:`gistpath.lsp.symbols`.

Positions here are 0-based lines (split on ``\\n``, as the parser counts) and code-point
columns; the server converts them to the client's units. Limits: the cache of parsed
declarations holds declarations of at most :data:`CHUNK_CACHE_CHARS` characters in all
(the least recently used go first).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from gistpath import ast
from gistpath.errors import GistpathError, RuleError
from gistpath.lsp.symbols import (
    DECLARATION_KEYWORDS,
    KEYWORDS,
    NAME_RE,
    OPERATOR_KEYWORDS,
    PROPERTY_KEYS,
    Declaration,
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


# --------------------------------------------------------------------------- diagnostics


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
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


# --------------------------------------------------------------------------- hover


def hover(analysis: Analysis, line: int, column: int) -> tuple[str, Span] | None:
    """Markdown about the name at a place, and the name's span; ``None`` if no name."""
    occurrence = analysis.symbols.at(line, column)
    if occurrence is None:
        return None
    text = describe(analysis, occurrence.key)
    return (text, occurrence.span) if text else None


def _citations(citations: Iterable[Any]) -> list[str]:
    return [f"- {c.format()}" for c in citations]


def describe(analysis: Analysis, key: tuple[str, ...]) -> str:
    """Markdown describing a symbol, from the checked model where there is one."""
    model = analysis.model
    namespace = key[0]
    name = key[-1]
    lines: list[str] = []
    if model is not None:
        if namespace == "value" and name in model.inputs:
            item = model.inputs[name]
            lines.append(f"**input `{name}`**" + (f" — {item.title}" if item.title else ""))
            lines.append("")
            lines.append(f"{item.kind.capitalize()}: {item.domain.describe()}")
            unit = getattr(item.domain, "unit", None)
            if unit:
                lines.append(f"\nUnit: `{unit}`")
            lines.append(
                "\nMay be `unknown`." if item.domain.allows_unknown else "\nNever `unknown`."
            )
            if item.summary:
                lines.append(f"\n{item.summary}")
            return "\n".join(lines)
        if namespace == "pathway" and name in model.pathways:
            item = model.pathways[name]
            lines += [f"**pathway `{name}`** — {item.title}", "", item.summary, ""]
            lines += ["Sources:", *_citations(item.citations)]
            return "\n".join(lines)
        if namespace == "consideration" and name in model.considerations:
            item = model.considerations[name]
            lines += [f"**consideration `{name}`** — {item.title}", "", item.summary, ""]
            lines += ["Sources:", *_citations(item.citations)]
            return "\n".join(lines)
        if namespace == "source" and name in model.sources:
            item = model.sources[name]
            lines.append(f"**source `{name}`**")
            lines.append("")
            lines.append(item.title)
            fields = (
                ("authors", item.authors),
                ("publisher", item.publisher),
                ("date", item.date),
                ("url", item.url),
                ("note", item.note),
            )
            for label, value in fields:
                if value:
                    lines.append(f"\n{label.capitalize()}: {value}")
            return "\n".join(lines)
    declaration = analysis.symbols.declaration(key)
    if declaration is not None:
        source = analysis.text.split("\n")[declaration.first_line : declaration.last_line + 1]
        shown = "\n".join(source[:40])
        label = {"let": "derived value", "table": "decision table"}.get(
            declaration.keyword, declaration.keyword
        )
        return f"**{label} `{name}`**\n\n```gistpath\n{shown}\n```"
    if namespace == "choice":
        owner = analysis.symbols.kind_of(key[1]) or "value"
        return f"**`{name}`**: a value of the {owner} `{key[1]}`"
    return ""


# --------------------------------------------------------------------------- completion


UNITS_AFTER_NUMBER = re.compile(r"([A-Za-z_]\w*)\s*(?:<=|>=|!=|==|<|>|=)\s*[-+]?[\d.]+\s+\w*$")


def completions(
    analysis: Analysis, prefix: str, in_block: bool, line: int | None = None
) -> list[tuple[str, str]]:
    """(label, kind) candidates for the text ``prefix`` before the cursor on its line
    (``line``, 0-based, lets a table cell find its column's header).

    Kinds: "keyword", "value" (input, derived value or table), "pathway", "source",
    "consideration", "example", "choice" (a value of a choice), "unit".
    """
    index = analysis.symbols
    if line is not None and prefix.lstrip().startswith("|"):
        return _cell_completions(analysis, prefix, line)
    if re.search(r"->\s*\w*$", prefix):
        return [(n, "pathway") for n in index.names("pathway")]
    if re.search(r"\bcites\s+\w*$", prefix):
        return [(n, "source") for n in index.names("source")]
    if re.search(r"\blike\s+\w*$", prefix):
        return [(n, "example") for n in index.names("example")]
    if re.search(r"\bconsiderations\s+include\s+\w*$", prefix) or re.match(
        r"\s*example\b.*\bwith\b[\w\s,]*$", prefix
    ):
        return [(n, "consideration") for n in index.names("consideration")]
    match = re.search(r"\b(\w+)\s+(?:is(?:\s+not)?|(?:not\s+)?in\s*\{[^}]*)\s*\w*$", prefix)
    if match is None:
        match = re.match(r"\s+(\w+)\s*=\s*\w*$", prefix)
    if match is not None:
        subject = match.group(1)
        if subject == "pathway":
            return [(n, "pathway") for n in index.names("pathway")]
        found = [(v, "choice") for v in index.values_of(subject)]
        if analysis.model is not None and subject in analysis.model.inputs:
            domain = analysis.model.inputs[subject].domain
            if domain.allows_unknown:
                found.append(("unknown", "keyword"))
            if type(domain).__name__ == "BooleanDomain":
                found += [("yes", "keyword"), ("no", "keyword")]
        return found
    match = UNITS_AFTER_NUMBER.search(prefix)
    if match is not None:
        unit = _unit_of(analysis, match.group(1))
        return [(unit, "unit")] if unit else []
    if re.fullmatch(r"\w*", prefix):
        return [(k, "keyword") for k in DECLARATION_KEYWORDS]
    if re.fullmatch(r"\s+\w*", prefix) and in_block:
        keys = sorted({k for keys in PROPERTY_KEYS.values() for k in keys} | {"rule", "when"})
        names = [(n, "value") for n in index.names("value")]
        return [(k, "keyword") for k in keys] + names
    names = [(n, "value") for n in index.names("value")]
    return names + [(k, "keyword") for k in OPERATOR_KEYWORDS]


def _cell_completions(analysis: Analysis, prefix: str, line: int) -> list[tuple[str, str]]:
    """In a table row: the values of the input (or table) its column's header names."""
    text_lines = analysis.text.split("\n")
    top = min(line, len(text_lines) - 1)
    while top > 0 and text_lines[top - 1].lstrip().startswith("|"):
        top -= 1
    if top == line:
        return [(n, "value") for n in analysis.symbols.names("value")]  # the header itself
    header = [cell.strip() for cell in text_lines[top].strip().strip("|").split("|")]
    column = prefix.count("|") - 1
    if not 0 <= column < len(header):
        return []
    subject = header[column]
    found = [(v, "choice") for v in analysis.symbols.values_of(subject)]
    return [*found, ("-", "keyword"), ("not", "keyword")] if found else [("-", "keyword")]


def _unit_of(analysis: Analysis, name: str) -> str | None:
    if analysis.model is not None and name in analysis.model.inputs:
        unit = getattr(analysis.model.inputs[name].domain, "unit", None)
        return str(unit) if unit else None
    # from the text: `input NAME ...: number ... UNIT`
    for line_tokens in analysis.symbols.lines:
        if len(line_tokens) > 2 and line_tokens[0].text == "input" and line_tokens[1].text == name:
            words = [t for t in line_tokens if t.kind == "NAME"]
            kinds = [t.text for t in words]
            for kw in ("number", "integer"):
                if kw in kinds:
                    after = words[kinds.index(kw) + 1 :]
                    for token in after:
                        if token.text not in ("and", "or", "unknown"):
                            return token.text
    return None


# --------------------------------------------------------------------------- rename


def rename(analysis: Analysis, line: int, column: int, new_name: str) -> list[Span] | None:
    """The spans to replace to rename the symbol at a place; ``None`` if it cannot be."""
    occurrence = analysis.symbols.at(line, column)
    if occurrence is None or not NAME_RE.fullmatch(new_name) or new_name in KEYWORDS:
        return None
    return [o.span for o in analysis.symbols.by_key.get(occurrence.key, ())]


def references(analysis: Analysis, line: int, column: int) -> list[Span]:
    occurrence = analysis.symbols.at(line, column)
    if occurrence is None:
        return []
    return [o.span for o in analysis.symbols.by_key.get(occurrence.key, ())]


def definition(analysis: Analysis, line: int, column: int) -> Span | None:
    occurrence = analysis.symbols.at(line, column)
    if occurrence is None:
        return None
    found = analysis.symbols.definition(occurrence.key)
    return found.span if found is not None else None


def outline(analysis: Analysis) -> list[Declaration]:
    return list(analysis.symbols.declarations)

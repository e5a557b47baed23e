"""What the language server knows about one text: problems, names, and where they are.

Design: pure functions over a string, with no editor protocol in them (so the fuzzing
campaign and the benchmarks drive them directly, and the server only translates).

- :func:`analyze` is the fast stage, run on every edit: the parser's syntax diagnostics;
  then the text with every broken top-level declaration blanked out (newlines kept, so
  lines do not move) is parsed and checked, so a half-typed declaration never silences
  the semantic diagnostics of the rest. Semantic diagnostics that name a declaration
  being typed are left out (they would only say it is missing).
- :func:`verify` is the slow stage, run off the typing path: the verifier's findings
  (gaps, overlaps, dead rules, failing examples and properties, ...) as problems with the
  example state in the message and the other rules involved as related places.
- :class:`Symbols` is an index of every name in the text, built from the file's own
  tokens (it works on broken text too): declarations, the values of choices and tables,
  and every use, each with its exact span, keyed by the namespace it lives in. Hover,
  definition, references, rename, outline and completion all read it.

Positions here are 0-based lines (split on ``\\n``, as the parser counts) and code-point
columns; the server converts them to the client's units. Limits: a name is resolved by
its place in the text (after ``->`` a pathway, after ``cites`` a source, after
``X is`` a value of ``X``, ...), not by the parser's tree, so a name in a text that does
not parse may resolve where the checker would not.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs

from gistpath import ast
from gistpath.errors import GistpathError, RuleError
from gistpath.parser import declaration_starts, parse

KEYWORDS = frozenset(
    {
        *("ruleset", "source", "input", "let", "table", "constraint", "pathway"),
        *("consideration", "rule", "when", "example", "property", "cites", "holds"),
        *("monotone", "and", "or", "not", "implies", "exactly", "is", "in", "like", "with"),
        *("choice", "boolean", "integer", "number", "unknown", "yes", "no", "otherwise"),
        *("values", "hit", "include", "considerations"),
    }
)
DECLARATION_KEYWORDS = (
    "ruleset",
    "source",
    "input",
    "let",
    "table",
    "constraint",
    "pathway",
    "consideration",
    "rule",
    "when",
    "example",
    "property",
)
OPERATOR_KEYWORDS = ("and", "or", "not", "implies", "exactly when", "is", "in")
PROPERTY_KEYS = {
    "ruleset": ("summary", "version", "note"),
    "source": ("publisher", "authors", "date", "url", "note"),
    "pathway": ("summary", "note", "cites"),
    "consideration": ("summary", "note", "cites", "when"),
    "input": ("summary", "note"),
    "table": ("summary", "note", "values", "hit", "cites"),
    "property": ("cites", "holds:", "monotone:"),
}
# The namespace of each declaration keyword: inputs, lets and tables share one.
NAMESPACE = {
    "input": "value",
    "let": "value",
    "table": "value",
    "source": "source",
    "pathway": "pathway",
    "consideration": "consideration",
    "rule": "rule",
    "example": "example",
    "constraint": "constraint",
    "property": "property",
    "ruleset": "ruleset",
}

_TOKEN = re.compile(
    r'(?P<STRING>"(?:[^"\\]|\\.)*"?)|(?P<COMMENT>#[^\n]*)|(?P<NL>\n)|(?P<WS>[^\S\n]+)'
    r"|(?P<ARROW>->)|(?P<NUMBER>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<OP>==|<=|>=|!=|<|>|=)|(?P<NAME>[A-Za-z_][A-Za-z0-9_]*)|(?P<OTHER>.)",
    re.S,
)


class Span(NamedTuple):
    """A place in the text: 0-based line, start and end columns (code points)."""

    line: int
    start: int
    end: int

    def contains(self, line: int, column: int) -> bool:
        return self.line == line and self.start <= column <= self.end


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


class Token(NamedTuple):
    kind: str
    text: str
    line: int
    column: int

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.column + len(self.text))


class Occurrence(NamedTuple):
    """A name in the text: the symbol it stands for (``key``) and whether it declares it."""

    key: tuple[str, ...]  # (namespace, name) or ("choice", subject, value)
    span: Span
    declares: bool


@attrs.frozen
class Declaration:
    """A top-level (or rule) declaration: its keyword, name, and the lines it covers."""

    keyword: str
    name: str
    span: Span  # of the name
    first_line: int
    last_line: int  # inclusive
    children: tuple[tuple[str, Span], ...] = ()  # choice or table values


def tokens(text: str) -> list[Token]:
    """Every token but white space and comments, with its place; never fails (an
    unclosed text runs to the end of the file)."""
    out: list[Token] = []
    line = 0
    line_start = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "OTHER"
        if kind == "WS" or kind == "COMMENT":
            continue  # the index has no use for them
        value = match.group()
        out.append(Token(kind, value, line, match.start() - line_start))
        if kind == "NL":
            line += 1
            line_start = match.end()
        elif kind == "STRING" and "\n" in value:
            line += value.count("\n")
            line_start = match.start() + value.rfind("\n") + 1
    return out


def _logical_lines(toks: Sequence[Token]) -> list[list[Token]]:
    """Tokens grouped by logical line (a line break inside brackets continues it)."""
    lines: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in toks:
        if token.kind == "NL":
            if depth == 0 and current:
                lines.append(current)
                current = []
            continue
        if token.kind in ("WS", "COMMENT"):
            continue
        if token.text in ("(", "{"):
            depth += 1
        elif token.text in (")", "}"):
            depth = max(0, depth - 1)
        current.append(token)
    if current:
        lines.append(current)
    return lines


@attrs.define
class Symbols:
    """Every name of a text, its declarations and uses (see the module docstring)."""

    occurrences: list[Occurrence] = attrs.field(factory=list)
    declarations: list[Declaration] = attrs.field(factory=list)
    by_key: dict[tuple[str, ...], list[Occurrence]] = attrs.field(factory=dict)
    lines: list[list[Token]] = attrs.field(factory=list)
    by_line: dict[int, list[Occurrence]] = attrs.field(factory=dict)

    def at(self, line: int, column: int) -> Occurrence | None:
        for occurrence in self.by_line.get(line, ()):
            if occurrence.span.contains(line, column):
                return occurrence
        return None

    def definition(self, key: tuple[str, ...]) -> Occurrence | None:
        for occurrence in self.by_key.get(key, ()):
            if occurrence.declares:
                return occurrence
        return None

    def names(self, namespace: str) -> list[str]:
        return [k[1] for k in self.by_key if k[0] == namespace and self.definition(k)]

    def values_of(self, subject: str) -> list[str]:
        return [k[2] for k in self.by_key if k[0] == "choice" and k[1] == subject]

    def kind_of(self, name: str) -> str | None:
        for declaration in self.declarations:
            if declaration.name == name and NAMESPACE.get(declaration.keyword) == "value":
                return declaration.keyword
        return None

    def declaration(self, key: tuple[str, ...]) -> Declaration | None:
        if len(key) != 2:
            return None
        for declaration in self.declarations:
            if declaration.name == key[1] and NAMESPACE.get(declaration.keyword) == key[0]:
                return declaration
        return None


def symbols(text: str) -> Symbols:
    """The index of every name in ``text`` (works on any text, broken or not)."""
    found = Symbols()
    found.lines = _logical_lines(tokens(text))
    values: dict[str, str] = {}  # value names of inputs and tables -> owner (last wins)
    subject_of_column: list[str | None] = []
    current_table: str | None = None
    current_decl: str | None = None
    raw: list[tuple[tuple[str, ...] | None, Token, bool, str | None]] = []

    def add(key: tuple[str, ...], token: Token, declares: bool) -> None:
        raw.append((key, token, declares, None))

    open_decl: dict[str, Any] | None = None
    for line_tokens in found.lines:
        first = line_tokens[0]
        names = [t for t in line_tokens if t.kind == "NAME"]
        keyword = first.text if first.kind == "NAME" else ""
        top = first.column == 0
        if (top or keyword == "rule") and open_decl is not None:
            found.declarations.append(_close(open_decl))
            open_decl = None
        if top:
            current_table = None
            current_decl = keyword
            subject_of_column = []
        if keyword in NAMESPACE and (top or keyword == "rule") and len(line_tokens) > 1:
            name_token = line_tokens[1]
            if name_token.kind == "NAME" and name_token.text not in KEYWORDS:
                add((NAMESPACE[keyword], name_token.text), name_token, True)
                open_decl = {
                    "keyword": keyword,
                    "name": name_token.text,
                    "span": name_token.span,
                    "first": first.line,
                    "last": line_tokens[-1].line,
                    "children": [],
                }
                if keyword == "table":
                    current_table = name_token.text
                rest = line_tokens[2:]
                _uses(rest, keyword, name_token.text, add, values, open_decl)
                continue
        if open_decl is not None:
            open_decl["last"] = max(open_decl["last"], line_tokens[-1].line)
        if keyword == "values" and current_table is not None:
            for token in names[1:]:
                add(("choice", current_table, token.text), token, True)
                values.setdefault(token.text, current_table)
                if open_decl is not None:
                    open_decl["children"].append((token.text, token.span))
            continue
        if first.text == "|" and current_table is not None:
            if not subject_of_column:
                subject_of_column = [
                    t.text for t in line_tokens if t.kind == "NAME"
                ]  # the header row
                for token in line_tokens:
                    if token.kind == "NAME":
                        add(("value", token.text), token, False)
                continue
            column = -1
            for token in line_tokens:
                if token.text == "|":
                    column += 1
                elif token.kind == "NAME" and token.text not in ("not", "unknown", "and"):
                    subject = (
                        subject_of_column[column] if 0 <= column < len(subject_of_column) else None
                    )
                    if subject is not None:
                        add(("choice", subject, token.text), token, False)
                    elif token.text not in KEYWORDS:
                        pass
            continue
        if keyword == "cites":
            if len(names) > 1:
                add(("source", names[1].text), names[1], False)
            continue
        if (
            not top
            and first.kind == "NAME"
            and len(line_tokens) > 1
            and line_tokens[1].kind == "STRING"
        ):
            continue  # a property line: summary "..."
        _uses(line_tokens, current_decl or "", None, add, values, open_decl)
    if open_decl is not None:
        found.declarations.append(_close(open_decl))

    declared = {key for key, _, declares, _ in raw if declares and key is not None}
    for key, token, declares, _ in raw:
        if key is None:
            continue
        if key[0] == "choice" and key not in declared:
            # a value used where its subject is not a choice: a pathway, a derived value
            if key[1] == "pathway":
                key = ("pathway", key[2])
            elif ("value", key[2]) in declared:
                key = ("value", key[2])
        if key not in declared:
            continue  # an undeclared name (the checker reports it), a unit, a text column
        occurrence = Occurrence(key, token.span, declares)
        found.occurrences.append(occurrence)
        found.by_key.setdefault(key, []).append(occurrence)
        found.by_line.setdefault(occurrence.span.line, []).append(occurrence)
    return found


def _close(info: dict[str, Any]) -> Declaration:
    return Declaration(
        info["keyword"],
        info["name"],
        info["span"],
        info["first"],
        info["last"],
        tuple(info["children"]),
    )


def _uses(
    line_tokens: Sequence[Token],
    decl_keyword: str,
    decl_name: str | None,
    add: Any,
    values: dict[str, str],
    open_decl: dict[str, Any] | None,
) -> None:
    """Record the names used in one (part of a) logical line."""
    index = 0
    count = len(line_tokens)
    subject: str | None = None  # the name an `is`/`in {`/`=` compares
    in_braces = False
    in_choice = False
    after_with = False
    while index < count:
        token = line_tokens[index]
        text = token.text
        previous = line_tokens[index - 1].text if index else ""
        if token.kind != "NAME":
            if text == "{":
                in_braces = True
            elif text == "}":
                in_braces = False
                subject = None
            elif text == "->":
                if index + 1 < count and line_tokens[index + 1].kind == "NAME":
                    add(("pathway", line_tokens[index + 1].text), line_tokens[index + 1], False)
                    index += 2
                    continue
            elif text == "=" and index >= 1 and line_tokens[index - 1].kind == "NAME":
                subject = line_tokens[index - 1].text
            elif text not in (",",) and not in_braces:
                subject = None if text not in ("=",) else subject
            index += 1
            continue
        if text == "choice" and decl_keyword == "input" and decl_name is not None:
            in_choice = True
            index += 1
            continue
        if in_choice:
            if text == "or":
                in_choice = False
            elif text not in KEYWORDS:
                add(("choice", decl_name, text), token, True)
                values.setdefault(text, decl_name)  # type: ignore[arg-type]
                if open_decl is not None:
                    open_decl["children"].append((text, token.span))
            index += 1
            continue
        if text in ("is", "in") and previous not in ("", "->"):
            # X is [not] V / X [not] in {V, ...}
            back = index - 1
            if line_tokens[back].text == "not" and back > 0:
                back -= 1
            subject = line_tokens[back].text if line_tokens[back].kind == "NAME" else None
            index += 1
            continue
        if text == "include" and previous == "considerations":
            subject = "#consideration"
            index += 1
            continue
        if (
            text == "like"
            and decl_keyword == "example"
            and index + 1 < count
            and line_tokens[index + 1].kind == "NAME"
        ):
            add(("example", line_tokens[index + 1].text), line_tokens[index + 1], False)
            index += 2
            continue
        if text == "with" and decl_keyword == "example":
            after_with = True
            index += 1
            continue
        if after_with:
            add(("consideration", text), token, False)
            index += 1
            continue
        if text in ("not", "yes", "no", "unknown") and subject is not None:
            index += 1
            continue
        if subject is not None and index + 1 <= count and previous in ("is", "not", "{", ",", "="):
            if subject == "#consideration":
                add(("consideration", text), token, False)
            else:
                add(("choice", subject, text), token, False)
            if not in_braces:
                subject = None
            index += 1
            continue
        if text not in KEYWORDS or text in ("pathway",):
            if (
                text == "pathway"
                and index + 1 < count
                and line_tokens[index + 1].text
                in (
                    "is",
                    "in",
                    "not",
                )
            ):
                index += 1
                continue
            add(("value", text), token, False)
        index += 1


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
# declarations it touched (typing inside a line moves no other declaration).
_CHUNKS: OrderedDict[tuple[int, str, str], tuple[ast.Declaration, ...] | RuleError] = OrderedDict()
_CHUNKS_LOCK = threading.Lock()
CHUNK_CACHE_SIZE = 8192


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
    with _CHUNKS_LOCK:
        _CHUNKS[key] = result
        while len(_CHUNKS) > CHUNK_CACHE_SIZE:
            _CHUNKS.popitem(last=False)
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


def analyze(text: str, name: str = "<string>") -> Analysis:
    """The fast stage: syntax and semantic problems and the symbol index of ``text``."""
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


def verify(analysis: Analysis, name: str = "<string>") -> list[Problem]:
    """The slow stage: the verifier's findings for a text whose declarations all check."""
    from gistpath.loader import assemble

    if analysis.model is None:
        return []
    try:
        report = assemble(analysis.model).verify()
    except RuleError as error:  # compiling may find what checking did not
        return _diagnostic_problems(error, analysis.text)
    except GistpathError as error:
        return [Problem(Span(0, 0, 0), str(error), "error", "verification")]
    return [finding_problem(finding, analysis.symbols) for finding in report.findings]


def _rule_span(index: Symbols, line: int, rules: Iterable[str]) -> Span:
    for rule in rules:
        found = index.definition(("rule", rule)) or index.definition(("value", rule))
        if found is not None and (line <= 0 or found.span.line == line - 1):
            return found.span
    row = max(0, line - 1)
    for declaration in index.declarations:
        if declaration.first_line == row:
            return declaration.span
    return Span(row, 0, 0)


def finding_problem(finding: Any, index: Symbols) -> Problem:
    """A verifier finding as a problem: the example state in the message, the others related."""
    lines: tuple[int, ...] = tuple(finding.lines)
    rules: tuple[str, ...] = tuple(finding.rules)
    span = _rule_span(index, lines[0] if lines else 0, rules)
    message = f"{finding.kind.replace('_', ' ')}: {finding.message}"
    if finding.region is not None:
        message += f"\nwhere: {finding.region}"
    for number, example in enumerate(tuple(finding.examples)[:3], start=1):
        shown = ", ".join(f"{k}={_word(v)}" for k, v in example.items())
        label = "example state" if len(finding.examples) == 1 else f"example state {number}"
        message += f"\n{label}: {shown}"
    related = []
    for position, line in enumerate(lines[1:], start=1):
        rule = rules[position] if position < len(rules) else ""
        other = _rule_span(index, line, (rule,) if rule else ())
        what = f"rule '{rule}'" if rule else "involved here"
        related.append(Related(other, f"{what} (line {line})"))
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
            for label in ("authors", "publisher", "date", "url", "note"):
                value = getattr(item, label)
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


def completions(analysis: Analysis, prefix: str, in_block: bool) -> list[tuple[str, str]]:
    """(label, kind) candidates for the text ``prefix`` before the cursor on its line.

    Kinds: "keyword", "value" (input, derived value or table), "pathway", "source",
    "consideration", "example", "choice" (a value of a choice), "unit".
    """
    index = analysis.symbols
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


NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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


def problems_for(items: Mapping[str, Sequence[Problem]]) -> list[Problem]:
    """All problems of several stages, in order of place."""
    merged = [p for group in items.values() for p in group]
    return sorted(merged, key=lambda p: (p.span.line, p.span.start))

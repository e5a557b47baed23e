"""Every name of a rule text, where it is declared and where it is used.

Design: built from the text's own tokens (it works on broken text too), not from the
parser's tree: :func:`symbols` groups the tokens into logical lines (a line break inside
``()``/``{}`` continues the line, as in the parser's indenter) and records each
declaration (its keyword, name, and the lines it covers), the values of choices and
tables, and every use of a name, each with its exact :class:`Span`, keyed by the
namespace it lives in: inputs, derived values and tables share ``value``; pathways,
considerations, sources, rules, examples, constraints have their own; a choice's or
table's values are ``("choice", owner, value)``. A name is resolved by its place: after
``->`` a pathway, after ``cites`` a source, after ``X is`` / ``X in {`` / ``X =`` a value
of ``X``, in a table row the value of its column's input.

The tokens of each top-level declaration are kept (by its first line and text, at most
:data:`TOKEN_CACHE_CHARS` characters of declarations, least recently used out), so after
an edit only the declarations it touched are read again; a text whose string runs on past
a declaration's end is read whole, as before.

Limits: a name in a text that does not parse may resolve where the checker would not; a
name nobody declares is left out of the index (the checker reports it). Positions are
0-based lines (split on ``\\n``, as the parser counts) and code-point columns.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple

import attrs

from gistpath.language import DECLARATION_WORDS
from gistpath.parser import declaration_starts

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

KEYWORDS = frozenset(
    {
        *("ruleset", "source", "input", "let", "table", "constraint", "pathway"),
        *("consideration", "rule", "when", "example", "property", "cites", "holds"),
        *("monotone", "and", "or", "not", "implies", "exactly", "is", "in", "like", "with"),
        *("choice", "boolean", "integer", "number", "unknown", "yes", "no", "otherwise"),
        *("values", "hit", "include", "considerations"),
    }
)
DECLARATION_KEYWORDS = DECLARATION_WORDS  # the language's own list, offered as completions
OPERATOR_KEYWORDS = ("and", "or", "not", "implies", "exactly when", "is", "in")
PROPERTY_KEYS = {
    "ruleset": ("summary", "version", "note", "audience"),
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


_CLOSED_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)

# Tokens of top-level declarations by (first line, text); bounded by their characters.
_TOKENS: OrderedDict[tuple[int, str], list[Token] | None] = OrderedDict()
_TOKENS_LOCK = threading.Lock()
_TOKENS_SIZE = [0]
TOKEN_CACHE_CHARS = 2_000_000


def _chunk_tokens(line: int, chunk: str) -> list[Token] | None:
    """The tokens of a declaration starting at 0-based ``line``, as :func:`tokens` reads
    them in the whole text; ``None`` if a string runs on past the declaration's end (in
    the whole text it would go on into the next one)."""
    key = (line, chunk)
    with _TOKENS_LOCK:
        if key in _TOKENS:
            _TOKENS.move_to_end(key)
            return _TOKENS[key]
    found: list[Token] | None = [t._replace(line=t.line + line) for t in tokens(chunk)]
    # only a string can run over a line break, so only an unclosed one (the last token,
    # as it runs to the end) would read differently in the whole text
    if found and found[-1].kind == "STRING" and not _CLOSED_STRING.fullmatch(found[-1].text):
        found = None
    if len(chunk) <= TOKEN_CACHE_CHARS // 4:
        with _TOKENS_LOCK:
            if key not in _TOKENS:
                _TOKENS[key] = found
                _TOKENS_SIZE[0] += len(chunk)
            while _TOKENS_SIZE[0] > TOKEN_CACHE_CHARS:
                (_, old), _ = _TOKENS.popitem(last=False)
                _TOKENS_SIZE[0] -= len(old)
    return found


def tokens_by_declaration(text: str) -> list[Token]:
    """:func:`tokens` of ``text``, read declaration by declaration (each one's kept)."""
    starts = declaration_starts(text)
    out: list[Token] = []
    line = 0
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(text)
        chunk = text[start:end]
        found = _chunk_tokens(line, chunk)
        if found is None:
            return tokens(text)
        out.extend(found)
        line += chunk.count("\n")
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
    found.lines = _logical_lines(tokens_by_declaration(text))
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
        if subject is not None and previous in ("is", "not", "{", ",", "=", "include"):
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

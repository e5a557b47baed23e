"""``gistpath fmt``: one canonical layout for rule files, keeping every comment.

Design: Lark's parser drops comments (the grammar folds them into its newline token), so
the formatter does not print the AST. It reads the file's own tokens, comments and line
breaks included, with a small scanner that mirrors the grammar's terminals, groups them
into logical lines (a line break inside ``()``/``{}`` continues the line, as in the
parser's indenter) and lays each one out again:

- indentation: 4 spaces per block level, found with the indenter's own stack; lines
  continued inside brackets are indented two levels deeper than their first line;
- spacing: one space between words, none before ``,``, ``:``, ``)``, ``}`` nor after
  ``(``, ``{``; a comment after code is set two spaces after it;
- comment lines: indented like the code line that follows them, or like the block before
  them when they were indented deeper than what follows;
- blank lines: kept as the author grouped the lines, at most two in a row between
  top-level declarations and one inside a block; none at the start or end of the file;
- multi-line texts keep their line breaks, with the lines after the first indented one
  level deeper than the line they start on (the parser folds runs of white space inside a
  text, so this never changes a text's value);
- table rows: cells padded so the ``|`` line up over each table, the ``|---|`` rule drawn
  to the column's width.

Numbers, names and texts are kept exactly as written. Every result is parsed again and
compared with the original's AST (which leaves positions out of ``==``) and its comments:
if they differ, :class:`FormatError` is raised and nothing is written.

Limits: only files that parse can be formatted (a syntax error is raised as
:class:`gistpath.RuleSyntaxError`); long lines are not wrapped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from gistpath.errors import GistpathError, display_width
from gistpath.parser import parse

INDENT = 4
MAX_BLANK_TOP = 2
MAX_BLANK_BLOCK = 1

_TOKEN = re.compile(
    r"""
      (?P<STRING>"(?:[^"\\]|\\.)*")
    | (?P<COMMENT>\#[^\n]*)
    | (?P<NL>\n)
    | (?P<WS>[ \t\r\f\v]+)
    | (?P<ARROW>->)
    | (?P<RULE>:?-{3,}:?)
    | (?P<NUMBER>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<OP>==|<=|>=|!=|<|>|=)
    | (?P<NAME>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<PUNCT>[:,(){}|\-])
    | (?P<OTHER>.)
    """,
    re.X | re.S,
)

_NO_SPACE_BEFORE = frozenset({",", ":", ")", "}"})
_NO_SPACE_AFTER = frozenset({"(", "{"})
_OPEN = frozenset({"(", "{"})
_CLOSE = frozenset({")", "}"})


class FormatError(GistpathError):
    """The formatter could not lay a file out without changing its meaning."""


@attrs.frozen
class _Token:
    kind: str
    text: str


@attrs.define
class _Physical:
    """One physical line of a logical line: its tokens and the comment ending it."""

    tokens: list[_Token]
    comment: str | None = None
    depth: int = 0  # bracket depth at the start of the line, after its leading closers


@attrs.define
class _Line:
    """A logical line (code), a comment line or a blank line."""

    kind: str  # "code", "comment", "blank"
    indent: int = 0  # the indentation as written (columns)
    parts: list[_Physical] = attrs.field(factory=list)
    comment: str = ""
    level: int = 0


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "OTHER"
        if kind == "OTHER":
            raise FormatError(f"cannot format: unexpected character {match.group()!r}")
        tokens.append(_Token(kind, match.group()))
    return tokens


def _lines(tokens: Sequence[_Token]) -> list[_Line]:
    """Group tokens into logical lines, comment lines and blank lines."""
    lines: list[_Line] = []
    current: _Line | None = None
    physical = _Physical([])
    indent = 0
    depth = 0
    at_line_start = True
    for token in tokens:
        if token.kind == "WS":
            if at_line_start:
                indent = len(token.text.expandtabs(1))
            continue
        if token.kind == "NL":
            if current is None:
                if physical.comment is not None:
                    lines.append(_Line("comment", indent, comment=physical.comment))
                else:
                    lines.append(_Line("blank"))
            else:
                current.parts.append(physical)
                if depth == 0:
                    lines.append(current)
                    current = None
            physical = _Physical([])
            at_line_start = True
            indent = 0
            continue
        if token.kind == "COMMENT":
            physical.comment = token.text.rstrip()
            at_line_start = False
            continue
        if current is None:
            current = _Line("code", indent)
        if at_line_start or not physical.tokens:
            physical.depth = depth
        if token.text in _OPEN:
            depth += 1
        elif token.text in _CLOSE:
            depth = max(0, depth - 1)
            if not physical.tokens:
                physical.depth = depth
        physical.tokens.append(token)
        at_line_start = False
    if current is not None:
        current.parts.append(physical)
        lines.append(current)
    elif physical.comment is not None:
        lines.append(_Line("comment", indent, comment=physical.comment))
    return lines


def _levels(lines: list[_Line]) -> None:
    """Block levels of code lines (the indenter's stack), then of comment lines."""
    stack = [0]
    stacks: list[tuple[int, ...]] = []
    for line in lines:
        stacks.append(tuple(stack))
        if line.kind != "code":
            continue
        if line.indent > stack[-1]:
            stack.append(line.indent)
        else:
            while len(stack) > 1 and line.indent < stack[-1]:
                stack.pop()
        line.level = len(stack) - 1
    upcoming: _Line | None = None
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.kind == "code":
            upcoming = line
        elif line.kind == "comment":
            if upcoming is not None and line.indent <= upcoming.indent:
                line.level = upcoming.level
            else:  # deeper than what follows: it belongs to the block before it
                line.level = max(i for i, at in enumerate(stacks[index]) if at <= line.indent)


def _string(text: str, indent: str) -> str:
    """A text token with the lines after its first set at ``indent``."""
    if "\n" not in text:
        return text
    first, *rest = text.split("\n")
    out = [first.rstrip(" \t\r\f\v")]
    for piece in rest:
        body = piece.strip(" \t\r\f\v")
        out.append(indent + body if body else "")
    return "\n".join(out)


def _join(tokens: Sequence[_Token], string_indent: str) -> str:
    out: list[str] = []
    previous: _Token | None = None
    for token in tokens:
        text = _string(token.text, string_indent) if token.kind == "STRING" else token.text
        if previous is not None and not (
            token.text in _NO_SPACE_BEFORE or previous.text in _NO_SPACE_AFTER
        ):
            out.append(" ")
        out.append(text)
        previous = token
    return "".join(out)


def _continued(level: int, depth: int) -> str:
    """The indentation of a line continued inside brackets (or a text) at ``depth``."""
    extra = 2 if level == 0 else 1  # at the top level, clear of the block that may follow
    return " " * (INDENT * (level + extra + max(1, depth) - 1))


def _with_comment(code: str, comment: str | None) -> str:
    if comment is None:
        return code
    return f"{code}  {comment}" if code.strip() else code + comment


def _code(line: _Line) -> list[str]:
    base = " " * (INDENT * line.level)
    out = []
    for index, part in enumerate(line.parts):
        indent = base if index == 0 else _continued(line.level, part.depth)
        body = _join(part.tokens, _continued(line.level, 1) if index == 0 else indent)
        if not part.tokens:
            out.append(_with_comment(indent, part.comment) if part.comment else "")
        else:
            out.append(_with_comment(indent + body, part.comment))
    return out


def _is_row(line: _Line) -> bool:
    return (
        line.kind == "code"
        and len(line.parts) == 1
        and bool(line.parts[0].tokens)
        and line.parts[0].tokens[0].text == "|"
        and line.parts[0].tokens[-1].text == "|"
    )


def _cells(line: _Line) -> list[list[_Token]]:
    cells: list[list[_Token]] = []
    for token in line.parts[0].tokens[1:]:
        if token.text == "|":
            cells.append([])
        else:
            if not cells:
                cells.append([])
            cells[-1].append(token)
    # the row ends with "|": the last, empty group is not a cell
    if cells and not cells[-1]:
        cells.pop()
    return cells


def _table(rows: list[_Line]) -> list[list[str]]:
    """The lines of a group of table rows, padded so their ``|`` line up."""
    base = " " * (INDENT * rows[0].level)
    cells = [_cells(row) for row in rows]
    texts = [
        [None if _is_rule(cell) else _join(cell, _continued(rows[0].level, 1)) for cell in row]
        for row in cells
    ]
    widths: list[int] = []
    for row in texts:
        for index, text in enumerate(row):
            width = 1 if text is None else display_width(text)
            if index == len(widths):
                widths.append(width)
            else:
                widths[index] = max(widths[index], width)
    out = []
    for row, row_cells, line in zip(texts, cells, rows, strict=True):
        if row and all(text is None for text in row):
            pieces = [_rule(cell[0].text, widths[i] + 2) for i, cell in enumerate(row_cells)]
            body = "|" + "|".join(pieces) + "|"
        else:
            pieces = []
            for index, text in enumerate(row):
                shown = text if text is not None else row_cells[index][0].text
                pieces.append(" " + shown + " " * (widths[index] - display_width(shown)) + " ")
            body = "|" + "|".join(pieces) + "|"
        out.append([_with_comment(base + body.rstrip(), line.parts[0].comment)])
    return out


def _is_rule(cell: Sequence[_Token]) -> bool:
    return len(cell) == 1 and cell[0].kind == "RULE"


def _rule(text: str, width: int) -> str:
    left = text.startswith(":")
    right = text.endswith(":")
    return (":" if left else "") + "-" * max(3, width - left - right) + (":" if right else "")


def _layout(lines: list[_Line]) -> str:
    rendered: list[list[str] | None] = [None] * len(lines)
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_row(line):
            group = [index]
            probe = index + 1
            while probe < len(lines):
                other = lines[probe]
                if other.kind != "code":
                    probe += 1
                    continue
                if _is_row(other) and other.level == line.level:
                    group.append(probe)
                    probe += 1
                    continue
                break
            for at, out in zip(group, _table([lines[i] for i in group]), strict=True):
                rendered[at] = out
            index = group[-1] + 1
            continue
        index += 1
    result: list[str] = []
    blanks = 0
    for index, line in enumerate(lines):
        if line.kind == "blank":
            blanks += 1
            continue
        if result and blanks:
            limit = MAX_BLANK_TOP if line.level == 0 else MAX_BLANK_BLOCK
            result.extend([""] * min(blanks, limit))
        blanks = 0
        if line.kind == "comment":
            result.append(" " * (INDENT * line.level) + line.comment)
            continue
        found = rendered[index]
        result.extend(found if found is not None else _code(line))
    return "\n".join(result) + "\n" if result else ""


def _comments(text: str) -> list[str]:
    return [t.text.rstrip() for t in _tokens(text) if t.kind == "COMMENT"]


def format_text(text: str, filename: str = "<string>") -> str:
    """``text`` in the canonical layout.

    Raises :class:`gistpath.RuleSyntaxError` when the text does not parse and
    :class:`FormatError` if the layout would change the file's meaning or comments.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    before = parse(text, filename)
    tokens = _tokens(text)
    lines = _lines(tokens)
    _levels(lines)
    result = _layout(lines)
    try:
        after = parse(result, filename)
    except GistpathError as error:
        raise FormatError(
            f"{filename}: cannot format: the new layout does not parse ({error}); "
            "the file is left as it is"
        ) from None
    if after != before or _comments(result) != [
        t.text.rstrip() for t in tokens if t.kind == "COMMENT"
    ]:
        raise FormatError(
            f"{filename}: cannot format: the new layout would change the file's meaning or "
            "comments; the file is left as it is"
        )
    return result


__all__ = ["FormatError", "format_text"]

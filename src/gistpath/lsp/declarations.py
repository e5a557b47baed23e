"""Parsing declaration by declaration: the parser's tree of a text whose every top-level
declaration is parsed on its own, so a half-typed one costs only itself.

Design: :func:`gistpath.parser.declaration_starts` cuts the text where top-level
declarations begin; each piece is parsed where it stands (blank lines in front put it on
its own line, so positions are the whole text's) and kept in a cache by first line and
text, so an edit re-parses only the declarations it touched (typing inside a line moves
no other declaration). The pieces that do not parse give their syntax errors and are
blanked out (newlines kept, so lines do not move), and the names written in them are
collected, so that :func:`gistpath.lsp.analysis.analyze` can leave out what the checker
would say of them.

Limits: the cache holds declarations of at most :data:`CHUNK_CACHE_CHARS` characters in
all (the least recently used go first), and none longer than a quarter of that; it is
shared by every text and thread (behind a lock).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from gistpath import ast
from gistpath.errors import RuleError
from gistpath.lsp.symbols import KEYWORDS, NAME_RE
from gistpath.parser import declaration_starts, parse


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

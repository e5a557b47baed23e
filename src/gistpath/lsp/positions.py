"""Places in a text as the parser counts them and as an editor does.

Design: the parser counts lines on ``\\n`` only and columns in code points; the Language
Server Protocol counts lines on ``\\n``, ``\\r\\n`` and ``\\r`` and columns in the code units
of the negotiated encoding (UTF-16 unless the client asks for UTF-8 or UTF-32). A
:class:`Lines` converts both ways through absolute offsets, so a text with a stray ``\\r``
or characters outside the Basic Multilingual Plane never shifts a diagnostic. Making one
scans its text, so :class:`RecentLines` keeps those of the last few texts: every request
about one version of a document asks for the same.

Limits: positions past a line's end are clamped to it, and past the text's end to the end.
:class:`RecentLines` holds :data:`RECENT_TEXTS` texts; it is not locked (the server uses it
from its event loop only).
"""

from __future__ import annotations

import bisect
import re

_BREAK = re.compile(r"\r\n|\r|\n")


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class Lines:
    """Offsets of the lines of one text, for both ways of counting them."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self.parser_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.client_starts = [0] + [m.end() for m in _BREAK.finditer(text)]
        self.client_ends = [m.start() for m in _BREAK.finditer(text)] + [len(text)]

    def offset(self, line: int, column: int) -> int:
        """Absolute offset of a parser place (0-based line, code-point column)."""
        if line >= len(self.parser_starts):
            return len(self.text)
        start = self.parser_starts[max(0, line)]
        end = self.text.find("\n", start)
        end = len(self.text) if end < 0 else end
        return min(start + max(0, column), end)

    def to_client(self, line: int, column: int) -> tuple[int, int]:
        """A parser place as the client's (line, character)."""
        offset = self.offset(line, column)
        row = bisect.bisect_right(self.client_starts, offset) - 1
        start = self.client_starts[row]
        offset = min(offset, self.client_ends[row])
        return row, _units(self.text[start:offset], self.encoding)

    def from_client(self, line: int, character: int) -> tuple[int, int]:
        """The client's (line, character) as a parser place (clamped into the text)."""
        if line < 0:
            return 0, 0
        if line >= len(self.client_starts):
            offset = len(self.text)
        else:
            start = self.client_starts[line]
            end = self.client_ends[line]
            offset = start
            units = 0
            while offset < end and units < character:
                units += _units(self.text[offset], self.encoding)
                offset += 1
        row = bisect.bisect_right(self.parser_starts, offset) - 1
        return row, offset - self.parser_starts[row]

    def parser_line(self, line: int) -> str:
        """The text of a parser line (0-based)."""
        if not 0 <= line < len(self.parser_starts):
            return ""
        start = self.parser_starts[line]
        end = self.text.find("\n", start)
        return self.text[start : len(self.text) if end < 0 else end]


RECENT_TEXTS = 4


class RecentLines:
    """The :class:`Lines` of the last :data:`RECENT_TEXTS` texts asked for, newest first."""

    def __init__(self) -> None:
        self._held: list[Lines] = []

    def get(self, text: str, encoding: str) -> Lines:
        """The lines of ``text`` counted in ``encoding``: those made before for an equal text
        and the same encoding if they are still held, else made now (and held, the oldest
        held going)."""
        for found in self._held:
            if found.encoding == encoding and (found.text is text or found.text == text):
                return found
        made = Lines(text, encoding)
        self._held = [made, *self._held[: RECENT_TEXTS - 1]]
        return made

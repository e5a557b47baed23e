"""Small reStructuredText helpers shared by the documentation page and its prose.

Design: pure functions from text to reST text (or lines of it). They escape inline markup
so that any text from a rule file is shown as written, and never read a rule set.

Limits: only the constructs the page uses (inline escapes, headings, anonymous links to
anchors on the same page, list tables).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Section underlines, outermost first.
_UNDERLINES = "=-~^"


def escape(text: str) -> str:
    """Text shown as is inside a line: inline markup characters escaped."""
    return re.sub(r"([\\`*_|<>\[\]])", r"\\\1", " ".join(text.split()))


def para(text: str) -> str:
    """Text shown as is at the start of a paragraph: a leading list marker escaped too."""
    text = escape(text)
    return "\\" + text if text and text[0] in "-+#.:=~^'\"()0123456789" else text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def heading(title: str, level: int) -> list[str]:
    """A section heading: the title and its underline (level 0 outermost), then a blank line."""
    text = para(title)
    return [text, _UNDERLINES[level] * max(_width(text), 4), ""]


def link(text: str, target: str) -> str:
    """A link to an anchor on the same page (anonymous, so the text may repeat)."""
    shown = re.sub(r"([\\`<>])", r"\\\1", " ".join(text.split()))
    return f"`{shown} <#{target}>`__"


def indent(lines: Iterable[str], by: str = "   ") -> list[str]:
    """Lines indented ``by`` (blank lines kept blank)."""
    return [by + line if line else "" for line in lines]


def list_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A ``list-table`` with one header row; an empty cell shows a dash, newlines continue it."""
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in (header, *rows):
        for index, cell in enumerate(row):
            marker = "* - " if index == 0 else "  - "
            parts = cell.split("\n") if cell else ["\u2014"]
            out.append("   " + marker + parts[0])
            out.extend("       " + part if part else "" for part in parts[1:])
    out.append("")
    return out


def literal(name: str) -> str:
    """A name in inline literal markup."""
    return f"``{name}``"


def plural(count: int, noun: str, plural: str | None = None) -> str:
    """``"1 rule"``, ``"2 rules"``; ``plural`` where adding an s is wrong."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"

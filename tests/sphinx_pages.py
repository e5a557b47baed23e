"""Reading built HTML pages as the docs tests do: the test roots, visible text, ids, sections.

Shared by the test files of the docs package, the Sphinx extension and ``gistpath docs``.
The helpers read HTML with regular expressions, enough for the pages Sphinx writes here;
they are no general HTML parser.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOTS = Path(__file__).resolve().parent / "roots"


def page_text(fragment: str) -> str:
    """HTML as the reader sees it: tags dropped, entities decoded, white space folded.

    Sphinx's smart quotes curl the apostrophe; it is turned back so texts from the file match.
    """
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return text.replace("\u2019", "'")


def page_ids(page: str) -> set[str]:
    """Every ``id`` attribute of ``page``."""
    return set(re.findall(r'\bid="([^"]+)"', page))


def page_section(page: str, node_id: str) -> str:
    """The part of the page from the anchor ``node_id`` up to the next section."""
    start = page.rindex("<", 0, page.index(f'id="{node_id}"'))
    end = page.find("<section", start + 1)
    return page[start : end if end >= 0 else len(page)]

"""The page's cross-references: sources and their citations, and who uses which name.

Design: :func:`source_text` writes one source in full (publisher, authors, title, section,
date, link) for the list at the end of the page; :func:`citation_lines` writes a section's
citations as numbers linked into that list, each with its section. :class:`Uses` indexes
the checked model once: which inputs and values each derived value reads, and which
values, pathways, considerations and tables use each name or cite each source, as links
to their anchors (:func:`gistpath.ruleset.anchor`).

Limits: a link to a source is written only for an ``http(s)`` URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from gistpath import ast
from gistpath.decision import anchor
from gistpath.docs.markup import escape, link
from gistpath.model import Citation, Model, Source

_URL = re.compile(r"https?://[^\s<>`]+")


def source_text(source: Source, section: str | None = None) -> str:
    """Publisher: Authors. Title, section "x" (date). Link."""
    text = source.title
    if source.authors:
        text = f"{source.authors.rstrip('.')}. {text}"
    if source.publisher:
        text = f"{source.publisher}: {text}"
    if section:
        text += f", section \u201c{section}\u201d"
    text = escape(text)
    if source.date and source.date not in source.title:  # never "2006;23:70-83 (2006)"
        text += f" ({escape(source.date)})"
    if source.url and _URL.fullmatch(source.url):
        text += f". `{source.url} <{source.url}>`__"
    return text


def citation_lines(citations: Sequence[Citation], numbers: Mapping[str, int]) -> list[str]:
    """Citations as numbers linked to the one list of sources, each with its section."""
    lines = [".. rubric:: Sources", ""]
    for c in citations:
        number = link(f"[{numbers[c.source.name]}]", anchor("source", c.source.name))
        text = f"{number} {escape(c.source.title)}"
        if c.section:
            text += f", section \u201c{escape(c.section)}\u201d"
        lines.append(f"- {text}")
    return [*lines, ""]


class Uses:
    """Which names each input, value, table and source is used by, and what each uses."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.reads: dict[str, list[str]] = {}  # value name -> the names its definition reads
        for name, let in model.lets.items():
            self.reads[name] = names_in(let.condition)
        for name, table in model.tables.items():
            names = list(table.condition_columns)
            names += [r.output for r in table.rows if r.output_is_reference]
            self.reads[name] = list(dict.fromkeys(names))

    def uses(self, name: str) -> list[str]:
        return [link(self._title(n), self._anchor(n)) for n in self.reads.get(name, [])]

    def used_by(self, name: str) -> list[str]:
        model = self.model
        out = [link(self._title(v), self._anchor(v)) for v, r in self.reads.items() if name in r]
        pathways: list[str] = []
        for rule in model.rules:
            nodes = [*rule.guards, *((rule.own,) if rule.own is not None else rule.excluded)]
            if any(name in names_in(n) for n in nodes) and rule.pathway not in pathways:
                pathways.append(rule.pathway)
        out += [link(model.pathways[p].title, anchor("pathway", p)) for p in pathways]
        out += [
            link(c.title, anchor("consideration", cid))
            for cid, c in model.considerations.items()
            if name in names_in(c.condition)
        ]
        return out

    def cited_by(self, source: str) -> list[str]:
        model = self.model
        out = [
            link(p.title, anchor("pathway", pid))
            for pid, p in model.pathways.items()
            if any(c.source.name == source for c in p.citations)
        ]
        out += [
            link(c.title, anchor("consideration", cid))
            for cid, c in model.considerations.items()
            if any(x.source.name == source for x in c.citations)
        ]
        out += [
            link(t.title or t.name, anchor("value", name))
            for name, t in model.tables.items()
            if any(c.source.name == source for c in t.citations)
        ]
        return out

    def _title(self, name: str) -> str:
        model = self.model
        if name in model.inputs:
            return model.inputs[name].title or name
        if name in model.lets:
            return model.lets[name].title or name
        return model.tables[name].title or name

    def _anchor(self, name: str) -> str:
        return anchor("input" if name in self.model.inputs else "value", name)


def names_in(node: ast.Expr) -> list[str]:
    found: list[str] = []
    for part in ast.walk_expr(node):
        name = getattr(part, "name", None)
        if isinstance(name, str) and name not in found:
            found.append(name)
    return found

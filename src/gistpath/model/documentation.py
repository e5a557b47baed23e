"""What a rule file says about its sources and outcomes: sources, citations, pathways and
considerations, each with its title, summary and where it was declared.

Design: a :class:`Citation` holds its resolved :class:`Source` and the section cited, so
documentation and explanations never look a name up again.

Limits: a source is described, not fetched: its URL is text.
"""

from __future__ import annotations

import attrs

from gistpath import ast


@attrs.frozen(repr=False)
class Source(ast.Frozen):
    """A published source that pathways cite."""

    name: str
    title: str
    publisher: str | None = None
    authors: str | None = None
    date: str | None = None
    url: str | None = None
    note: str | None = None
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class Citation(ast.Frozen):
    """A source and, where given, the section (heading, table) that supports the claim."""

    source: Source
    section: str | None = None

    def format(self) -> str:
        text = self.source.title
        if self.source.authors:
            authors = self.source.authors
            text = f"{authors}{' ' if authors.endswith('.') else '. '}{text}"
        if self.source.publisher:
            text = f"{self.source.publisher}: {text}"
        if self.section:
            text += f", section \u201c{self.section}\u201d"
        return text


@attrs.frozen(repr=False)
class Pathway(ast.Frozen):
    """A documented answer: each valid state maps to exactly one."""

    id: str
    title: str
    summary: str
    citations: tuple[Citation, ...]
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(repr=False)
class Consideration(ast.Frozen):
    """An option added beside the pathway when its condition holds; never changes it."""

    id: str
    title: str
    summary: str
    citations: tuple[Citation, ...]
    condition: ast.Expr
    line: int = attrs.field(default=0, eq=False)

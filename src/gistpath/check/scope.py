"""The one scope every checking pass reads and fills: the file, what is declared so far, the
problems found.

Design: a :class:`Scope` is made once per file by :func:`gistpath.check.check` and handed
to each pass of :data:`gistpath.check.PASSES` in turn. Passes record what they declare
(sources, inputs, derived values, pathways...) in its dictionaries, in file order, so later
passes can resolve names, and report problems through :meth:`Scope.error`, which never
stops checking: one run reports every problem. :meth:`Scope.diagnostics` turns the
problems into located :class:`gistpath.errors.Diagnostic` objects, sorted by position and
cut at :data:`MAX_REPORTED`; :meth:`Scope.model` builds the checked
:class:`gistpath.model.Model` once no pass found a problem.

Limits: a problem is kept as a (line, column, message) tuple and only turned into a
Diagnostic (which copies the source line) when shown, so a file with a million problems
costs a million small tuples, not a million copies of its lines.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

import attrs

from gistpath import ast
from gistpath.errors import Diagnostic, make_diagnostics
from gistpath.language import RESERVED_NAMES
from gistpath.model import (
    Consideration,
    Constraint,
    Example,
    Input,
    Let,
    Model,
    Pathway,
    Property,
    Rule,
    Source,
    Table,
)

MAX_REPORTED = 100
# A name longer than this is cut in messages (the source line under the message shows it).
MAX_NAME_SHOWN = 40
_LONG_WORD = re.compile(rf"\w{{{MAX_NAME_SHOWN + 1},}}")


@attrs.define(eq=False)
class Scope:
    """What the checking passes know of one file: declarations so far, and problems.

    Made by :func:`gistpath.check.check` (or :func:`gistpath.check.run_passes`, which a
    test may call with only the passes it needs). Each dictionary keeps file order.
    """

    tree: ast.RuleFile
    text: str
    filename: str
    #: (line, column, message) of every problem, in the order found.
    problems: list[tuple[int, int, str]] = attrs.field(factory=list)
    #: name, title, summary and version of the rule set (the header pass fills it).
    header: tuple[str, str | None, str | None, str | None] | None = None
    #: the rule set's note (the header pass fills it); the docs show it under the summary.
    note: str | None = None
    sources: dict[str, Source] = attrs.field(factory=dict)
    inputs: dict[str, Input] = attrs.field(factory=dict)
    lets: dict[str, Let] = attrs.field(factory=dict)
    tables: dict[str, Table] = attrs.field(factory=dict)
    pathways: dict[str, Pathway] = attrs.field(factory=dict)
    considerations: dict[str, Consideration] = attrs.field(factory=dict)
    #: every let and table declaration under its name, before any condition is read
    derived_nodes: dict[str, Any] = attrs.field(factory=dict)
    #: the derived values each derived value reads
    depends: dict[str, set[str]] = attrs.field(factory=dict)
    #: the derived value being checked (never suggested as a name inside itself)
    defining: str | None = None
    derived_order: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    rules: tuple[Rule, ...] = ()
    examples: tuple[Example, ...] = ()
    properties: dict[str, Property] = attrs.field(factory=dict)

    def declarations(self, *kinds: type) -> list[Any]:
        """The file's top-level declarations of the given AST classes, in file order."""
        return [d for d in self.tree.declarations if isinstance(d, kinds)]

    def error(self, node: Any, message: str, column: int | None = None) -> None:
        """Record a problem at ``node`` (anything with ``line`` and ``column``).

        Args:
            node: an AST node, a model object or an :class:`At`; a missing or zero line or
                column counts as 1.
            message: the problem in words; over-long names in it are cut.
            column: the column to point at instead of the node's own.
        """
        line = getattr(node, "line", 0) or 1
        col = column if column is not None else (getattr(node, "column", 0) or 1)
        self.problems.append((line, col, _LONG_WORD.sub(_cut_word, message)))

    def reserved(self, node: Any, name: str, what: str) -> bool:
        """Report ``name`` where it is declared if it is a word of the language
        (:data:`gistpath.language.RESERVED_NAMES`); whether it was."""
        if name not in RESERVED_NAMES:
            return False
        self.error(
            node,
            f"'{name}' is a word of the rules language and cannot name {what}; "
            f"pick another name (such as '{name}_{what.split()[-1]}')",
        )
        return True

    def suggest(self, name: str, names: Iterable[str]) -> str:
        """``"; did you mean 'x'?"`` for the closest of ``names`` to ``name``, or ``""``."""
        close = difflib.get_close_matches(name, list(names), n=1)
        return f"; did you mean '{close[0]}'?" if close else ""

    def diagnostics(self) -> list[Diagnostic]:
        """The problems as located diagnostics, sorted by position.

        Returns:
            At most :data:`MAX_REPORTED` diagnostics, and one more saying how many were
            not shown when there were more; empty when no problem was found.
        """
        if not self.problems:
            return []
        problems = sorted(self.problems, key=lambda p: (p[0], p[1]))
        shown = make_diagnostics(
            ((m, line, col) for line, col, m in problems[:MAX_REPORTED]),
            self.text,
            self.filename,
            code="semantic",
        )
        if len(problems) > MAX_REPORTED:
            last = shown[-1]
            shown.append(
                Diagnostic(
                    f"{len(problems) - MAX_REPORTED} more problems not shown",
                    last.line,
                    last.column,
                    self.filename,
                )
            )
        return shown

    def model(self) -> Model:
        """The checked model, from what the passes recorded.

        Only meaningful when every pass has run and :attr:`problems` is empty (which
        :func:`gistpath.check.check` makes sure of).
        """
        assert self.header is not None, "the header pass has not run"
        name, title, summary, version = self.header
        return Model(
            name=name,
            title=title,
            summary=summary,
            version=version,
            note=self.note,
            filename=self.filename,
            text=self.text,
            sources=MappingProxyType(self.sources),
            inputs=MappingProxyType(self.inputs),
            lets=MappingProxyType(self.lets),
            tables=MappingProxyType(self.tables),
            derived_order=self.derived_order,
            constraints=self.constraints,
            pathways=MappingProxyType(self.pathways),
            considerations=MappingProxyType(self.considerations),
            rules=self.rules,
            examples=self.examples,
            tree=self.tree,
            properties=MappingProxyType(self.properties),
        )


class At:
    """A bare position for diagnostics that point at a line, not a node."""

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _cut_word(match: re.Match[str]) -> str:
    """A long word of a message, cut to :data:`MAX_NAME_SHOWN` characters."""
    return short(match.group(), MAX_NAME_SHOWN)


def short(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters, ending in ``...`` when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."

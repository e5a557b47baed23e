"""The change log of a rule set: the semantic diff of two versions rendered as reST.

Design: nothing here is written by hand about a particular rule set. :func:`render_changes_rst`
takes the :class:`gistpath.diff.DiffReport` of two versions (every region of valid states
whose pathway differs, computed exactly over the cells of both files) and writes one
section per change of pathway (from one pathway to another), with one numbered item per
region: the states in words (the conditions :func:`gistpath.describe.describe_box` gives,
widened to what the change needs), the pathway in each version, and a concrete example
state that lies in the region. The Sphinx directive ``gistpath:changes``
(:mod:`gistpath.sphinxext`) inserts the page, so a documentation build always shows the
diff of the files it reads; ``tests/test_docs_changes.py`` checks the page item by item
against the diff and runs every example through both versions.

Limits: only pathways are compared (considerations and derived values are not), as in
:mod:`gistpath.diff`; a diff with regions left undescribed (more than
``MAX_BOXES_PER_CHANGE`` for one change) is rendered with a warning that says how many.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from gistpath.diff import REFUSED, Change, DiffReport, diff_rulesets
from gistpath.ruleset import RuleSet

#: Width of the lines of an example state in the page.
EXAMPLE_WIDTH = 88


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("|", "\\|")


def _heading(title: str, underline: str) -> list[str]:
    return [title, underline * max(len(title), 4), ""]


def _version(ruleset: RuleSet) -> str:
    return f"version {ruleset.model.version}" if ruleset.model.version else ruleset.name


def _pathway(ruleset: RuleSet, pathway: str, for_sphinx: bool) -> str:
    """A pathway named by its title and id (linked under Sphinx), or a refused state."""
    if pathway == REFUSED:
        return "not a valid state"
    item = ruleset.pathways.get(pathway)
    title = item.title if item is not None else pathway
    ident = f":gistpath:pathway:`{pathway}`" if for_sphinx else f"``{pathway}``"
    return f"*{_escape(title)}* ({ident})"


def example_lines(example: Mapping[str, object]) -> list[str]:
    """An example state as JSON, wrapped after commas (the lines join to valid JSON)."""
    parts = [json.dumps({k: v}, ensure_ascii=False)[1:-1] for k, v in example.items()]
    lines: list[str] = []
    line = "{"
    for index, part in enumerate(parts):
        piece = part + (", " if index < len(parts) - 1 else "}")
        if len(line) + len(piece.rstrip()) > EXAMPLE_WIDTH and line != "{":
            lines.append(line.rstrip())
            line = " "
        line += piece
    lines.append(line)
    return lines


def grouped(report: DiffReport) -> list[tuple[tuple[str, str], list[Change]]]:
    """The changes of a report grouped by (old pathway, new pathway), in report order."""
    groups: dict[tuple[str, str], list[Change]] = {}
    for change in report.changes:
        groups.setdefault((change.old, change.new), []).append(change)
    return list(groups.items())


def render_changes_rst(
    old: RuleSet,
    new: RuleSet,
    report: DiffReport | None = None,
    *,
    for_sphinx: bool = False,
    title: str | None = None,
) -> str:
    """The change log from ``old`` to ``new`` as reST (computed when ``report`` is None)."""
    if report is None:
        report = diff_rulesets(old, new)
    was, now = _version(old), _version(new)
    lines = _heading(title or f"Changes from {was} to {now}", "=")
    groups = grouped(report)
    lines += [
        f"This page is generated from the semantic diff of the two rule files "
        f"(``{_escape(old.model.filename.rsplit('/', 1)[-1])}``, {was}, and "
        f"``{_escape(new.model.filename.rsplit('/', 1)[-1])}``, {now}): every valid state "
        "is compared exactly, over the cells of both files, never by sampling. Each "
        "numbered item below is one region of states whose pathway changed, described in "
        "words, with a state of that region as an example. Considerations and derived "
        "values are not compared here.",
        "",
    ]
    for note in report.notes:
        lines += [f".. note:: {_escape(note)}", ""]
    if report.same:
        lines += [f"Every valid state gets the same pathway in {was} and {now}.", ""]
        return "\n".join(lines).rstrip() + "\n"
    lines += [
        f"{len(report.changes)} regions of valid states change pathway, in {len(groups)} "
        "distinct changes:",
        "",
    ]
    lines += _summary_table(old, new, groups, was, now, for_sphinx)
    if report.unlisted:
        lines += [
            ".. warning::",
            "",
            f"   {report.unlisted} further regions are not described on this page.",
            "",
        ]
    number = 0
    for (before, after), changes in groups:
        lines += _heading(f"{_plain(old, before)} → {_plain(new, after)}", "-")
        lines += [
            f"In {was}: {_pathway(old, before, for_sphinx)}. In {now}: "
            f"{_pathway(new, after, for_sphinx)}. "
            f"{len(changes)} region{'s' if len(changes) != 1 else ''}:",
            "",
        ]
        for change in changes:
            number += 1
            lines += [f"{number}. States where {_escape(change.where)}.", ""]
            lines += ["   Example state:", "", "   .. code-block:: json", ""]
            lines += [f"      {line}" for line in example_lines(change.example)]
            lines += [""]
    return "\n".join(lines).rstrip() + "\n"


def _plain(ruleset: RuleSet, pathway: str) -> str:
    if pathway == REFUSED:
        return "not a valid state"
    item = ruleset.pathways.get(pathway)
    return item.title if item is not None else pathway


def _summary_table(
    old: RuleSet,
    new: RuleSet,
    groups: Iterable[tuple[tuple[str, str], list[Change]]],
    was: str,
    now: str,
    for_sphinx: bool,
) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", "", f"   * - In {was}", f"     - In {now}"]
    lines += ["     - Regions"]
    for (before, after), changes in groups:
        lines += [
            f"   * - {_pathway(old, before, for_sphinx)}",
            f"     - {_pathway(new, after, for_sphinx)}",
            f"     - {len(changes)}",
        ]
    return [*lines, ""]


__all__ = ["example_lines", "grouped", "render_changes_rst"]

"""Hover: what the name under the cursor is, in Markdown.

Design: an input shows its type, range, unit, whether it may be ``unknown`` and its summary;
a pathway or consideration its title, summary and citations; a source its full reference,
all read from the checked model. A derived value or table shows its declaration as
written; a value of a choice says whose value it is. Without a model (a file that does not
check yet), the declaration's text is shown.

Limits: a declaration is shown up to 40 lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gistpath.lsp.analysis import Analysis
from gistpath.lsp.symbols import Span


def hover(analysis: Analysis, line: int, column: int) -> tuple[str, Span] | None:
    """Markdown about the name at a place, and the name's span; ``None`` if no name."""
    occurrence = analysis.symbols.at(line, column)
    if occurrence is None:
        return None
    text = describe(analysis, occurrence.key)
    return (text, occurrence.span) if text else None


def _citations(citations: Iterable[Any]) -> list[str]:
    """Citations as a Markdown list."""
    return [f"- {c.format()}" for c in citations]


def describe(analysis: Analysis, key: tuple[str, ...]) -> str:
    """Markdown describing a symbol, from the checked model where there is one."""
    model = analysis.model
    namespace = key[0]
    name = key[-1]
    lines: list[str] = []
    if model is not None:
        if namespace == "value" and name in model.inputs:
            item = model.inputs[name]
            lines.append(f"**input `{name}`**" + (f" — {item.title}" if item.title else ""))
            lines.append("")
            lines.append(f"{item.kind.capitalize()}: {item.domain.describe()}")
            unit = getattr(item.domain, "unit", None)
            if unit:
                lines.append(f"\nUnit: `{unit}`")
            lines.append(
                "\nMay be `unknown`." if item.domain.allows_unknown else "\nNever `unknown`."
            )
            if item.summary:
                lines.append(f"\n{item.summary}")
            return "\n".join(lines)
        if namespace == "pathway" and name in model.pathways:
            item = model.pathways[name]
            lines += [f"**pathway `{name}`** — {item.title}", "", item.summary, ""]
            lines += ["Sources:", *_citations(item.citations)]
            return "\n".join(lines)
        if namespace == "consideration" and name in model.considerations:
            item = model.considerations[name]
            lines += [f"**consideration `{name}`** — {item.title}", "", item.summary, ""]
            lines += ["Sources:", *_citations(item.citations)]
            return "\n".join(lines)
        if namespace == "source" and name in model.sources:
            item = model.sources[name]
            lines.append(f"**source `{name}`**")
            lines.append("")
            lines.append(item.title)
            fields = (
                ("authors", item.authors),
                ("publisher", item.publisher),
                ("date", item.date),
                ("url", item.url),
                ("note", item.note),
            )
            for label, value in fields:
                if value:
                    lines.append(f"\n{label.capitalize()}: {value}")
            return "\n".join(lines)
    declaration = analysis.symbols.declaration(key)
    if declaration is not None:
        source = analysis.text.split("\n")[declaration.first_line : declaration.last_line + 1]
        shown = "\n".join(source[:40])
        label = {"let": "derived value", "table": "decision table"}.get(
            declaration.keyword, declaration.keyword
        )
        return f"**{label} `{name}`**\n\n```gistpath\n{shown}\n```"
    if namespace == "choice":
        owner = analysis.symbols.kind_of(key[1]) or "value"
        return f"**`{name}`**: a value of the {owner} `{key[1]}`"
    return ""

"""Completion in context: what may be typed at the cursor, by what comes before it.

Design: the text before the cursor on its line decides: after ``->`` the pathway ids,
after ``cites`` the sources, after ``site is`` or ``site in {`` the values of that choice
(``unknown`` where allowed, ``yes``/``no`` for a boolean), after a number compared with an
input that input's unit, in a table row the values of its column's header, at the start
of a line the declaration keywords, inside a block the property keys and the names.

Limits: completion reads one line; a condition continued over lines completes as if it
started there.
"""

from __future__ import annotations

import re

from gistpath.lsp.analysis import Analysis
from gistpath.lsp.symbols import DECLARATION_KEYWORDS, OPERATOR_KEYWORDS, PROPERTY_KEYS

UNITS_AFTER_NUMBER = re.compile(r"([A-Za-z_]\w*)\s*(?:<=|>=|!=|==|<|>|=)\s*[-+]?[\d.]+\s+\w*$")


def completions(
    analysis: Analysis, prefix: str, in_block: bool, line: int | None = None
) -> list[tuple[str, str]]:
    """(label, kind) candidates for the text ``prefix`` before the cursor on its line
    (``line``, 0-based, lets a table cell find its column's header).

    Kinds: "keyword", "value" (input, derived value or table), "pathway", "source",
    "consideration", "example", "choice" (a value of a choice), "unit".
    """
    index = analysis.symbols
    if line is not None and prefix.lstrip().startswith("|"):
        return _cell_completions(analysis, prefix, line)
    if re.search(r"->\s*\w*$", prefix):
        return [(n, "pathway") for n in index.names("pathway")]
    if re.search(r"\bcites\s+\w*$", prefix):
        return [(n, "source") for n in index.names("source")]
    if re.search(r"\blike\s+\w*$", prefix):
        return [(n, "example") for n in index.names("example")]
    if re.search(r"\bconsiderations\s+include\s+\w*$", prefix) or re.match(
        r"\s*example\b.*\bwith\b[\w\s,]*$", prefix
    ):
        return [(n, "consideration") for n in index.names("consideration")]
    match = re.search(r"\b(\w+)\s+(?:is(?:\s+not)?|(?:not\s+)?in\s*\{[^}]*)\s*\w*$", prefix)
    if match is None:
        match = re.match(r"\s+(\w+)\s*=\s*\w*$", prefix)
    if match is not None:
        subject = match.group(1)
        if subject == "pathway":
            return [(n, "pathway") for n in index.names("pathway")]
        found = [(v, "choice") for v in index.values_of(subject)]
        if analysis.model is not None and subject in analysis.model.inputs:
            domain = analysis.model.inputs[subject].domain
            if domain.allows_unknown:
                found.append(("unknown", "keyword"))
            if type(domain).__name__ == "BooleanDomain":
                found += [("yes", "keyword"), ("no", "keyword")]
        return found
    match = UNITS_AFTER_NUMBER.search(prefix)
    if match is not None:
        unit = _unit_of(analysis, match.group(1))
        return [(unit, "unit")] if unit else []
    if re.fullmatch(r"\w*", prefix):
        return [(k, "keyword") for k in DECLARATION_KEYWORDS]
    if re.fullmatch(r"\s+\w*", prefix) and in_block:
        keys = sorted({k for keys in PROPERTY_KEYS.values() for k in keys} | {"rule", "when"})
        names = [(n, "value") for n in index.names("value")]
        return [(k, "keyword") for k in keys] + names
    names = [(n, "value") for n in index.names("value")]
    return names + [(k, "keyword") for k in OPERATOR_KEYWORDS]


def _cell_completions(analysis: Analysis, prefix: str, line: int) -> list[tuple[str, str]]:
    """In a table row: the values of the input (or table) its column's header names."""
    text_lines = analysis.text.split("\n")
    top = min(line, len(text_lines) - 1)
    while top > 0 and text_lines[top - 1].lstrip().startswith("|"):
        top -= 1
    if top == line:
        return [(n, "value") for n in analysis.symbols.names("value")]  # the header itself
    header = [cell.strip() for cell in text_lines[top].strip().strip("|").split("|")]
    column = prefix.count("|") - 1
    if not 0 <= column < len(header):
        return []
    subject = header[column]
    found = [(v, "choice") for v in analysis.symbols.values_of(subject)]
    return [*found, ("-", "keyword"), ("not", "keyword")] if found else [("-", "keyword")]


def _unit_of(analysis: Analysis, name: str) -> str | None:
    """The unit of the numeric input ``name``, from the model, else from its declaration."""
    if analysis.model is not None and name in analysis.model.inputs:
        unit = getattr(analysis.model.inputs[name].domain, "unit", None)
        return str(unit) if unit else None
    # from the text: `input NAME ...: number ... UNIT`
    for line_tokens in analysis.symbols.lines:
        if len(line_tokens) > 2 and line_tokens[0].text == "input" and line_tokens[1].text == name:
            words = [t for t in line_tokens if t.kind == "NAME"]
            kinds = [t.text for t in words]
            for kw in ("number", "integer"):
                if kw in kinds:
                    after = words[kinds.index(kw) + 1 :]
                    for token in after:
                        if token.text not in ("and", "or", "unknown"):
                            return token.text
    return None

"""Words for names, units and values that need no model: the vocabulary of
:mod:`gistpath.words`.

Design: pure functions of a name, a unit or one declaration's summary: underscores read
as spaces, units as usually printed (``per_5mm2`` -> ``per 5 mm²``), and the meanings a
summary gives values or annotation columns when written as ``name: meaning``.

Limits: English only; a summary is read for meanings only in that ``name: meaning`` form.
"""

from __future__ import annotations

import re

from gistpath.model import ChoiceDomain, Input, Table

_UNITS = {"mm2": "mm²", "cm2": "cm²", "m2": "m²", "mm3": "mm³", "percent": "%", "celsius": "°C"}


def humanize(name: str) -> str:
    """A name as words: underscores read as spaces."""
    return name.replace("_", " ")


def unit_words(unit: str | None) -> str:
    """A unit as usually printed: ``per_5mm2`` -> ``per 5 mm²``, ``km_per_h`` -> ``km per h``."""
    if not unit:
        return ""
    pieces = unit.split("_")
    if len(pieces) == 3 and pieces[1] == "per" and not pieces[2][:1].isdigit():
        return f"{unit_words(pieces[0])}/{unit_words(pieces[2])}"  # km_per_h: km/h
    parts = []
    for part in pieces:
        match = re.fullmatch(r"(\d*)([A-Za-z]+\d?)", part)
        if match and match.group(2) in _UNITS:
            number = match.group(1)
            parts.append((number + " " if number else "") + _UNITS[match.group(2)])
        else:
            parts.append(part)
    return " ".join(parts).replace(" %", "%")


def value_summaries(item: Input) -> dict[str, str]:
    """The meaning of each choice value, where the input's summary gives one.

    A summary such as ``"localized: a primary tumour that has not spread; metastatic:
    spread at diagnosis."`` gives ``{"localized": "a primary tumour that has not spread",
    "metastatic": "spread at diagnosis"}``. Values the summary does not name are left out.
    """
    if not isinstance(item.domain, ChoiceDomain) or not item.summary:
        return {}
    names = set(item.domain.values)
    found: dict[str, str] = {}
    for part in re.split(r";\s*", " ".join(item.summary.split())):
        match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*):\s+(.+?)\.?", part.strip())
        if match and match.group(1) in names:
            found[match.group(1)] = match.group(2)
    return found


def column_meanings(table: Table) -> dict[str, str]:
    """What each annotation column of a decision table means, where its summary says.

    A sentence of the summary written as ``column: meaning.`` gives the meaning of that
    annotation column (``progressed: the share of patients whose disease progressed.``).
    """
    if not table.summary:
        return {}
    found: dict[str, str] = {}
    for sentence in re.split(r"(?<=[.;])\s+", " ".join(table.summary.split())):
        match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*):\s+(.+?)[.;]?", sentence.strip())
        if match and match.group(1) in table.annotation_columns:
            found[match.group(1)] = match.group(2)
    return found

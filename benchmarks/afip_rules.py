"""The AFIP risk table alone as a gistpath rule set: the same question the peers answer.

Design: the peers of :mod:`peers` evaluate only the AFIP table (site, size, mitotic count →
risk category). To time gistpath on that same question, :func:`afip_ruleset_text` builds a
rule file from the bundled GIST file itself — its sources, the three inputs the table
reads and the two tables ``afip_column`` and ``afip_risk``, copied declaration by
declaration, so the two can never drift apart — and adds one pathway per category with a
rule choosing it. ``evaluate`` on it validates the three fields and answers with the
category as the pathway id.

Limits: the categories become pathway ids with an ``afip_`` prefix (a pathway id must not
clash with the table's values); strip it to compare.
"""

from __future__ import annotations

import functools

import gistpath

NEEDED = ("source ", "input site ", "input size_cm ", "input mitotic_rate ", "table afip_")
PREFIX = "afip_"


def _declarations(text: str) -> list[str]:
    """The top-level declarations of a rule file: a line in column 1 and its indented lines."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            blocks.append([line])
        elif blocks and (line.startswith((" ", "\t")) or not line.strip()):
            blocks[-1].append(line)
    return ["\n".join(block).rstrip() for block in blocks]


def afip_ruleset_text() -> str:
    gist = gistpath.load_builtin("gist")
    parts = [
        'ruleset afip "The AFIP risk table alone (a benchmark of gistpath against peers)"',
        *[d for d in _declarations(gist.text) if d.startswith(NEEDED)],
    ]
    for category in gist.model.tables["afip_risk"].values:
        title = category.replace("_", " ")
        parts.append(
            f'pathway {PREFIX}{category} "AFIP category: {title}"\n'
            f'    summary "The AFIP table gives the category {title}."\n'
            "    cites afip_2006"
        )
        parts.append(f"rule is_{category} -> {PREFIX}{category}: afip_risk is {category}")
    return "\n\n".join(parts) + "\n"


@functools.cache
def afip_ruleset() -> gistpath.RuleSet:
    """The rule set of :func:`afip_ruleset_text`, loaded (and so verified) once."""
    return gistpath.loads(afip_ruleset_text(), name="afip.gprules")


__all__ = ["PREFIX", "afip_ruleset", "afip_ruleset_text"]

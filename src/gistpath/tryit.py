"""The "Try it" panel: a rule set's compiled tables as JSON, for a browser to decide with.

Design: :func:`panel_data` serializes what :class:`gistpath.tables.PredicateTables` holds
(each input's cells, the bit set of boxes per cell, the masks of rules, constraints,
considerations and derived values) together with what a reader needs to see (titles, the
conditions of each rule in words from :mod:`gistpath.words`, the row of a decision table
that gave a value). The static script ``gistpath/static/gistpath-tryit.js`` reads it from
the page and decides exactly as :meth:`gistpath.RuleSet.evaluate` does: find each input's
cell (a choice by its value, a number by bisection over the thresholds, ``unknown`` by its
own cell), AND the cells' bit sets, read the rule, the broken constraint, the
considerations and the derived values off the masks. Everything comes from the checked and
compiled rule set; no rule text is read and nothing is fetched from a network.

Bit sets are written as hexadecimal strings (the script reads them as ``BigInt``). The
script validates a state with the same words as :class:`gistpath.StateError`; the expected
text of each input is written here by the same :mod:`gistpath.model` methods the Python
validators use, so the two cannot drift apart.

Limits: a JavaScript number has no separate integer type: a number with no fraction is an
integer there (as ``JSON.parse`` gives it), so ``5.0`` cannot be told from ``5``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from gistpath.cells import CompiledModel
from gistpath.decision import anchor
from gistpath.model import BooleanDomain, ChoiceDomain, NumericDomain
from gistpath.regions import Box, bits
from gistpath.ruleset import RuleSet
from gistpath.words import Phrasing, unit_words, value_summaries

__all__ = ["SCRIPT_NAME", "STYLE_NAME", "panel_data", "panel_html", "script_text", "style_text"]

#: The file name of the panel's script, in ``gistpath/static``.
SCRIPT_NAME = "gistpath-tryit.js"
#: The style sheet of the panel, the diagram and rule code blocks, in ``gistpath/static``.
STYLE_NAME = "gistpath.css"


def _hex(mask: int) -> str:
    return format(mask, "x")


def _row_tables(compiled: CompiledModel) -> dict[str, Any]:
    """Per decision table, its rows as bit sets over their own boxes, like the tables'."""
    space = compiled.space
    inputs = space.dimensions[:-1]
    out: dict[str, Any] = {}
    for table, rows in compiled.table_rows.items():
        boxes: list[Box] = []
        masks: list[str] = []
        for region in rows:
            mask = 0
            for box in region:
                mask |= 1 << len(boxes)
                boxes.append(box)
            masks.append(_hex(mask))
        cells: list[list[str]] = []
        for d, dim in enumerate(inputs):
            per_cell = [0] * dim.size
            for b, box in enumerate(boxes):
                for cell in bits(box[d]):
                    per_cell[cell] |= 1 << b
            cells.append([_hex(m) for m in per_cell])
        out[table] = {"boxes": len(boxes), "cells": cells, "rows": masks}
    return out


def _input_data(ruleset: RuleSet, words: Phrasing) -> list[dict[str, Any]]:
    out = []
    for name, item in ruleset.inputs.items():
        domain = item.domain
        entry: dict[str, Any] = {
            "name": name,
            "title": item.title or name,
            "summary": item.summary or "",
            "expected": domain.describe(),
            "unknown": domain.allows_unknown,
        }
        if isinstance(domain, ChoiceDomain):
            meanings = value_summaries(item)
            entry["kind"] = "choice"
            entry["values"] = list(domain.values)
            entry["words"] = {v: words.value_word(name, v) for v in domain.values}
            entry["meanings"] = meanings
        elif isinstance(domain, BooleanDomain):
            entry["kind"] = "boolean"
        else:
            assert isinstance(domain, NumericDomain)
            entry["kind"] = "numeric"
            entry["integer"] = domain.integer
            entry["unit"] = unit_words(domain.unit)
            entry["low"] = None if domain.low is None else [domain.low.value, domain.low.inclusive]
            entry["high"] = (
                None if domain.high is None else [domain.high.value, domain.high.inclusive]
            )
            entry["range"] = domain.describe_range()
        out.append(entry)
    return out


def panel_data(ruleset: RuleSet, *, base_url: str = "") -> dict[str, Any]:
    """Everything the panel's script needs to decide and explain, as JSON-ready data.

    ``base_url`` is put before each pathway's ``#anchor`` (empty: the same page).
    """
    model = ruleset.model
    tables = ruleset.tables
    compiled = ruleset.compiled
    words = Phrasing(model)
    space = compiled.space
    inputs = space.dimensions[:-1]
    names = [d.name for d in inputs]
    return {
        "format": 1,
        "name": model.name,
        "title": model.title or model.name,
        "inputs": _input_data(ruleset, words),
        "tables": {
            "boxes": tables.box_count,
            "cells": [[_hex(m) for m in per_dim] for per_dim in tables.cell_sets],
            "rule_mask": _hex(tables.rule_mask),
            "constraint_mask": _hex(tables.constraint_mask),
            "consideration_mask": _hex(tables.consideration_mask),
            "rule_of_box": {str(b): r for b, r in tables.rule_of_box.items()},
            "constraint_of_box": {str(b): c for b, c in tables.constraint_of_box.items()},
            "consideration_of_box": {str(b): c for b, c in tables.consideration_of_box.items()},
            "let_masks": [[name, _hex(mask)] for name, mask in tables.let_masks.items()],
            "value_masks": [
                [table, [[value, _hex(mask)] for value, mask in masks.items()]]
                for table, masks in tables.value_masks.items()
            ],
            "choices": [
                None if lookup is None else [dim.values[i] for i in range(dim.size)]
                for lookup, dim in zip(tables.choice_cells, inputs, strict=True)
            ],
            "thresholds": [None if t is None else list(t) for t in tables.thresholds],
            "unknown_cells": list(tables.unknown_cells),
            "pathway_cells": list(space.dimensions[-1].values),
            "input_names": names,
        },
        "rows": _row_tables(compiled),
        "rules": [
            {
                "id": rule.id,
                "pathway": rule.pathway,
                "why": words.rule_clauses(rule.guards, rule.own, rule.excluded),
            }
            for rule in model.rules
        ],
        "constraints": [
            {"name": c.name, "title": c.title or f"the constraint '{c.name}' to hold"}
            for c in model.constraints
        ],
        "pathways": {
            pid: {
                "title": p.title,
                "summary": p.summary,
                "href": f"{base_url}#{anchor('pathway', pid)}",
            }
            for pid, p in model.pathways.items()
        },
        "considerations": {
            cid: {
                "title": c.title,
                "summary": c.summary,
                "href": f"{base_url}#{anchor('consideration', cid)}",
            }
            for cid, c in model.considerations.items()
        },
        "derived": _derived_data(ruleset, words),
        # The form starts from the first example of the file, a state known to be valid.
        "example": dict(model.examples[0].state) if model.examples else {},
    }


def _derived_data(ruleset: RuleSet, words: Phrasing) -> list[dict[str, Any]]:
    """The derived values for the Try-it panel's JSON, in evaluation order: a let's name, title
    and condition in words; a table's name, title, column titles and rows (number, output,
    whether it names another value, notes), for the panel to say which row gave a value.
    """
    model = ruleset.model
    out: list[dict[str, Any]] = []
    for name in model.derived_order:
        if name in model.lets:
            let = model.lets[name]
            out.append(
                {
                    "name": name,
                    "kind": "let",
                    "title": let.title or name,
                    "definition": words.clauses(let.condition),
                }
            )
            continue
        table = model.tables[name]
        columns = [words.title(c) for c in table.condition_columns]
        rows = []
        for number, row in enumerate(table.rows, start=1):
            notes = [
                f"{column}: {text}"
                for column, text in zip(table.annotation_columns, row.annotations, strict=True)
                if text
            ]
            rows.append(
                {
                    "number": number,
                    "output": row.output,
                    "reference": row.output_is_reference,
                    "notes": notes,
                }
            )
        out.append(
            {
                "name": name,
                "kind": "table",
                "title": table.title or name,
                "columns": columns,
                "condition_columns": list(table.condition_columns),
                "rows": rows,
                "href": f"#{anchor('value', name)}",
            }
        )
    return out


def script_text() -> str:
    """The panel's script, as shipped in the package."""
    return files("gistpath").joinpath("static", SCRIPT_NAME).read_text(encoding="utf-8")


def style_text() -> str:
    """The panel's style sheet, as shipped in the package."""
    return files("gistpath").joinpath("static", STYLE_NAME).read_text(encoding="utf-8")


def panel_html(ruleset: RuleSet, *, base_url: str = "", inline: Sequence[str] = ()) -> str:
    """The panel as HTML: a place for the form and the rule set's data as JSON.

    The script fills every ``div.gistpath-tryit`` on the page from the JSON block named
    by its ``data-tables`` attribute. ``inline`` may hold ``"script"`` and ``"style"`` to
    put the script and style sheet into the page itself (for a page built without Sphinx).
    """
    data = json.dumps(panel_data(ruleset, base_url=base_url), separators=(",", ":"))
    # "</" never appears inside the script element, whatever the titles hold.
    data = data.replace("</", "<\\/")
    ident = f"gistpath-tables-{anchor('ruleset', ruleset.name)}"
    parts = [
        f'<script type="application/json" id="{html.escape(ident)}">{data}</script>',
        f'<div class="gistpath-tryit" data-tables="{html.escape(ident)}">'
        "<noscript>The panel needs JavaScript; everything it shows is also written out "
        "on this page.</noscript></div>",
    ]
    if "style" in inline:
        parts.insert(0, f"<style>{style_text()}</style>")
    if "script" in inline:
        script = script_text().replace("</", "<\\/")
        parts.append(f"<script>{script}</script>")
    return "\n".join(parts)

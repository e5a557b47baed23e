"""A decision in words: which conditions held, the values they read, and the citations.

Design: :func:`explain` reads only what a :class:`gistpath.Decision` carries (its rule set's
checked model, its rule, pathway, considerations and values) and the printer's rendering of
the checked expressions (:mod:`gistpath.printer`), so nothing is written by hand and the
text follows the rule file. :meth:`gistpath.Decision.explain` is the public way in. Keeping
the wording here, away from :class:`gistpath.RuleSet`, means changing what clinicians read
never touches evaluation.

Limits: the text is English and plain (no markup). A rule with an ``otherwise`` branch is
explained by the conditions of the rules it excludes not holding; which of them failed is
not narrowed down further.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from gistpath import ast
from gistpath.printer import print_expr, value_word

if TYPE_CHECKING:
    from gistpath.ruleset import Decision


def explain(decision: Decision) -> str:
    """The decision in words, for :meth:`gistpath.Decision.explain`.

    Args:
        decision: a decision made by a rule set (its ``ruleset``, ``rule``, ``pathway``,
            ``considerations`` and ``values`` are read).

    Returns:
        Several lines of plain text: the pathway and its summary, the conditions of the rule
        that fired with the values each read, the derived values, the considerations with
        their sources, the pathway's sources, the documentation anchor and the notice that
        this is decision support, not medical advice.
    """
    model = decision.ruleset.model
    rule = next(r for r in model.rules if r.id == decision.rule)
    pathway = model.pathways[decision.pathway]
    values = decision.values
    lines = [f"Pathway: {pathway.title} ({pathway.id})"]
    lines += textwrap.wrap(pathway.summary, 88, initial_indent="  ", subsequent_indent="  ")
    lines.append("")
    lines.append(f"Why: rule '{rule.id}' (line {rule.line}) holds because")
    for guard in rule.guards:
        lines.append(f"  - {_in_words(guard, values)}")
    if rule.own is not None:
        own = rule.own.operands if isinstance(rule.own, ast.AllOf) else (rule.own,)
        for part in own:
            lines.append(f"  - {_in_words(part, values)}")
    else:
        for other in rule.excluded:
            lines.append(f"  - it is not the case that {_in_words(other, values)}")
        if not rule.excluded:
            lines.append("  - no other rule applies")
    derived = [n for n in model.derived_order if n in values]
    if derived:
        lines.append("")
        lines.append(
            "Derived values: " + ", ".join(f"{n} = {value_word(values[n])}" for n in derived)
        )
    if decision.considerations:
        lines.append("")
        lines.append("Also consider:")
        for cid in decision.considerations:
            item = model.considerations[cid]
            lines += textwrap.wrap(
                f"{item.title} ({cid}): {item.summary}",
                88,
                initial_indent="  - ",
                subsequent_indent="    ",
            )
            lines.extend(f"      source: {c.format()}" for c in item.citations)
    lines.append("")
    lines.append("Sources:")
    lines.extend(f"  - {c.format()}" for c in pathway.citations)
    lines.append("")
    lines.append(f"Documentation: #{decision.anchor}")
    lines.append("This is decision support for clinicians, not medical advice.")
    return "\n".join(lines)


def _in_words(node: Any, values: Mapping[str, object]) -> str:
    """A condition as written, followed by the values it read."""
    names = []
    for part in ast.walk_expr(node):
        name = getattr(part, "name", None)
        if isinstance(name, str) and name in values and name not in names:
            names.append(name)
    shown = ", ".join(f"{n} = {value_word(values[n])}" for n in names)
    text = print_expr(node)
    return f"{text}  [{shown}]" if shown else text

"""Decisions ``gistpath to-dmn`` wrote for what a DMN table alone does not say, read back.

Design: the exporter writes a rule set's lets, constraints, rules and considerations as
plain DMN decision tables that any DMN engine evaluates, and marks each with its role in
gistpath's extension namespace (``gistpath:role``, see :data:`~gistpath.dmn.conversion.ROLES`).
:func:`convert_role` turns such a decision back into the declaration it came from:

* ``let`` and ``constraint``: a table of one boolean output whose rules all give ``true``
  and whose default is ``false`` becomes ``let``/``constraint NAME "label": <rules joined
  with or>`` (a constraint's decision is true where it holds);
* ``pathway``: a table of one text output (the pathway) with an annotation column ``rule``
  becomes one ``rule`` per rule name (its DMN rules joined with ``or``) and one ``pathway``
  per output value, titled, summarised and cited from the decision's extension elements
  (a pathway no DMN rule gives gets a rule ``<pathway>_never`` that matches no state);
* ``considerations``: a COLLECT table of one text output becomes one ``consideration`` per
  output, applying where its DMN rules hold (they may read the ``pathway`` decision);
* ``constraints``: the COLLECT table of broken constraints adds nothing (the constraints
  say it) but is checked to be exactly that: one rule per constraint decision, ``false``.

Every other shape under a role is refused with the element's id and line, never guessed.

Limits: a rule set has one pathway decision; rules come back flat (``when`` blocks and
``otherwise`` are already folded into each rule's condition by the export).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from gistpath import ast
from gistpath.dmn import feel
from gistpath.dmn.conversion import ROLES, DecisionMap
from gistpath.dmn.entries import Either, condition, output_value, unary_tests
from gistpath.dmn.names import SOURCE, safe_name
from gistpath.dmn.values import Decision, Documented
from gistpath.language import PATHWAY_NAME

if TYPE_CHECKING:
    from gistpath.dmn.importer import _Converter


def convert_role(converter: _Converter, decision: Decision, role: str) -> None:
    """Add the declarations a decision of ``role`` stands for (or a located DmnError)."""
    if role not in ROLES:
        raise decision.place.error(
            f"gistpath:role '{role}' is not one gistpath writes ({', '.join(ROLES)})"
        )
    table = decision.table
    if len(table.outputs) != 1:
        raise table.place.error(f"a decision of gistpath:role '{role}' has one output column")
    if role in ("let", "constraint"):
        _boolean(converter, decision, role)
    elif role == "pathway":
        _pathway(converter, decision)
    elif role == "considerations":
        _considerations(converter, decision)
    else:
        _broken(converter, decision)


def _rows(converter: _Converter, decision: Decision) -> list[ast.Expr | None]:
    """Each DMN rule's input entries as one condition (``None``: every entry is ``-``)."""
    columns, kinds = converter.columns(decision)
    out = []
    for cells in converter.cells(decision, columns, kinds):
        out.append(condition(columns, kinds, cells))
    return out


def _joined(converter: _Converter, conditions: list[ast.Expr | None]) -> ast.Expr:
    """The rules' conditions joined with ``or`` (no rule: a condition no state meets)."""
    if any(c is None for c in conditions):
        return converter._always([], [])
    parts = [c for c in conditions if c is not None]
    if not parts:
        return ast.Not(converter._always([], []))
    return parts[0] if len(parts) == 1 else ast.Or(tuple(parts))


def _boolean(converter: _Converter, decision: Decision, role: str) -> None:
    table = decision.table
    (output,) = table.outputs
    if table.hit_policy not in ("UNIQUE", "ANY"):
        raise table.place.error(
            f"a decision of gistpath:role '{role}' has hit policy UNIQUE or ANY, "
            f"not {table.hit_policy}"
        )
    if output.default is None or output_value(output.default) is not False:
        raise table.place.error(
            f"a decision of gistpath:role '{role}' gives false where no rule matches "
            "(defaultOutputEntry false)"
        )
    for rule in table.rules:
        if output_value(rule.outputs[0]) is not True:
            raise rule.outputs[0].place.error(
                f"every rule of a decision of gistpath:role '{role}' gives true"
            )
    name = converter.names.claim(decision.name, "decision", decision.place)
    expr = _joined(converter, _rows(converter, decision))
    title = decision.label or decision.name
    if role == "let":
        converter.declarations.append(ast.LetDecl(name, title, expr))
    else:
        converter.declarations.append(ast.ConstraintDecl(name, title, expr))
    converter.decisions[decision.name] = _map(decision, name, role, {"true": (True,)})


def _map(
    decision: Decision, name: str, role: str, values: dict[str, tuple[object, ...]]
) -> DecisionMap:
    table = decision.table
    return DecisionMap(
        decision.name,
        name,
        table.hit_policy,
        None,
        (table.outputs[0].name or decision.name,),
        MappingProxyType(values),
        (),
        (),
        (),
        None,
        role,
    )


def _texts(decision: Decision, notes: str | None = None) -> list[tuple[str, str]]:
    """Each rule's output text and the text of its annotation column ``notes``."""
    table = decision.table
    column = table.annotations.index(notes) if notes in table.annotations else None
    out = []
    for rule in table.rules:
        value = output_value(rule.outputs[0])
        if not isinstance(value, str):
            raise rule.outputs[0].place.error(
                f"the output {rule.outputs[0].text} is not a text (a name in quotes)"
            )
        note = ""
        if column is not None and column < len(rule.annotations):
            note = rule.annotations[column].strip()
        out.append((value, note))
    return out


def _listed(decision: Decision) -> list[str]:
    """The output values of a role decision's output column, in order."""
    allowed = decision.table.outputs[0].allowed
    if allowed is None:
        return []
    tests = unary_tests(allowed)
    out = []
    for test in tests.tests:
        if not isinstance(test, feel.Equal) or not isinstance(test.value, feel.String):
            raise allowed.place.error(f"the output values '{allowed.text}' are not texts")
        out.append(test.value.value)
    return out


def _documentation(
    converter: _Converter, found: Documented | None, kind: str, text: str
) -> list[ast.Property | ast.Citation | ast.AppliesWhen]:
    """Summary, note and citations of a pathway or consideration (from the extension)."""
    if found is None:
        return [
            ast.Property("summary", f"The DMN {kind} '{text}'."),
            ast.Citation(SOURCE, None),
        ]
    out: list[ast.Property | ast.Citation | ast.AppliesWhen] = [
        ast.Property("summary", found.summary or f"The DMN {kind} '{text}'.")
    ]
    if found.note:
        out.append(ast.Property("note", found.note))
    for source, section in found.citations or ((SOURCE, None),):
        name = source if source == SOURCE else converter.source_names.get(source)
        if name is None:
            raise found.place.error(
                f"it cites source '{source}', which is no knowledge source of the file"
            )
        out.append(ast.Citation(name, section))
    return out


def _pathway(converter: _Converter, decision: Decision) -> None:
    table = decision.table
    if table.hit_policy not in ("UNIQUE", "ANY"):
        raise table.place.error(
            f"the gistpath pathway decision has hit policy UNIQUE or ANY, not {table.hit_policy}"
        )
    if any(d.role == "pathway" for d in converter.decisions.values()):
        raise decision.place.error("a second decision of gistpath:role 'pathway'")
    texts = _texts(decision, "rule")
    pathways: dict[str, str] = {}
    for text in [*_listed(decision), *(t for t, _ in texts)]:
        pathways.setdefault(text, safe_name(text, "pathway"))
    docs = {d.name: d for d in decision.documented if d.kind == "pathway"}
    for text, pid in pathways.items():
        found = docs.get(text)
        converter.tail.append(
            ast.PathwayDecl(
                pid,
                found.title if found else text,
                tuple(_documentation(converter, found, "pathway", text)),
            )
        )
    rules: dict[str, tuple[str, list[ast.Expr | None]]] = {}
    for rule, (text, note), expr in zip(
        table.rules, texts, _rows(converter, decision), strict=True
    ):
        rid = safe_name(note, "rule") if note else f"{pathways[text]}_{rule.number}"
        pathway, conditions = rules.setdefault(rid, (pathways[text], []))
        if pathway != pathways[text]:
            raise rule.place.error(f"rule '{rid}' gives two pathways")
        conditions.append(expr)
    for rid, (pathway, conditions) in rules.items():
        converter.tail.append(ast.RuleDecl(rid, pathway, _joined(converter, conditions)))
    for pid in pathways.values():  # a pathway no DMN rule gives (its rules match no state)
        if all(p != pid for p, _ in rules.values()):
            converter.tail.append(ast.RuleDecl(f"{pid}_never", pid, _joined(converter, [])))
    values: dict[str, tuple[object, ...]] = {pid: (text,) for text, pid in pathways.items()}
    converter.decisions[decision.name] = _map(decision, PATHWAY_NAME, "pathway", values)


def _considerations(converter: _Converter, decision: Decision) -> None:
    table = decision.table
    if table.hit_policy != "COLLECT" or table.aggregation is not None:
        raise table.place.error("the gistpath considerations decision is a COLLECT table")
    if not any(d.role == "pathway" for d in converter.decisions.values()):
        raise decision.place.error(
            "considerations need the gistpath pathway decision (gistpath:role 'pathway')"
        )
    docs = {d.name: d for d in decision.documented if d.kind == "consideration"}
    grouped: dict[str, list[ast.Expr | None]] = {}
    for text in _listed(decision):
        grouped.setdefault(text, [])
    for (text, _), expr in zip(_texts(decision), _rows(converter, decision), strict=True):
        grouped.setdefault(text, []).append(expr)
    for text, conditions in grouped.items():
        found = docs.get(text)
        properties = _documentation(converter, found, "consideration", text)
        properties.append(ast.AppliesWhen(_joined(converter, conditions)))
        converter.tail.insert(
            sum(isinstance(d, (ast.PathwayDecl, ast.ConsiderationDecl)) for d in converter.tail),
            ast.ConsiderationDecl(
                safe_name(text, "consideration"),
                found.title if found else text,
                tuple(properties),
            ),
        )
    converter.decisions[decision.name] = _map(decision, "considerations", "considerations", {})


def _broken(converter: _Converter, decision: Decision) -> None:
    table = decision.table
    columns, kinds = converter.columns(decision)
    seen = set()
    for rule, cells in zip(table.rules, converter.cells(decision, columns, kinds), strict=True):
        tested = [
            (kind, cell) for kind, cell in zip(kinds, cells, strict=True)
            if not isinstance(cell, ast.AnyCell)
        ]  # fmt: skip
        wanted = None
        if len(tested) == 1 and not isinstance(tested[0][1], Either):
            (what, mapped), cell = tested[0]
            if (
                what == "decision"
                and isinstance(mapped, DecisionMap)
                and mapped.role == "constraint"
                and cell == ast.ValuesCell((ast.BoolLiteral(False),))
            ):
                wanted = mapped
        if wanted is None or output_value(rule.outputs[0]) != wanted.dmn_name:
            raise rule.place.error(
                "each rule of the gistpath list of broken constraints tests one constraint "
                "decision for false and gives its name"
            )
        seen.add(wanted.name)
    missing = [
        d.dmn_name
        for d in converter.decisions.values()
        if d.role == "constraint" and d.name not in seen
    ]
    if missing:
        raise table.place.error(
            "the gistpath list of broken constraints leaves out " + ", ".join(missing)
        )
    converter.decisions[decision.name] = _map(decision, "broken_constraints", "constraints", {})


__all__ = ["convert_role"]

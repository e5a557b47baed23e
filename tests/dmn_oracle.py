"""A tiny DMN interpreter written for the tests, sharing nothing with gistpath.dmn.

It reads a model with ElementTree (test-generated XML only), evaluates S-FEEL entries with
its own few regular expressions, and applies the hit policies as the DMN specification
words them. The tests check gistpath's importer, evaluation and verification against this
oracle, on the random decision tables of dmn_random.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _literal(text: str) -> object:
    text = text.strip()
    if text.startswith('"'):
        return text[1:-1].replace('\\"', '"')
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    return float(text)


def _split(text: str) -> list[str]:
    """Comma-separated parts, commas inside quotes kept."""
    return [p for p in re.findall(r'(?:"[^"]*"|[^,])+', text) if p.strip()]


def _positive(test: str, value: object) -> bool | None:
    """FEEL's truth of one positive test: ``None`` for a comparison of null."""
    test = test.strip()
    interval = re.fullmatch(r"([\[\]\(])\s*(\S+)\s*\.\.\s*(\S+)\s*([\[\]\)])", test)
    if (interval or re.fullmatch(r"(<=|>=|<|>)\s*(.+)", test)) and value is None:
        return None
    if interval:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        low, high = float(interval.group(2)), float(interval.group(3))
        above = value >= low if interval.group(1) == "[" else value > low
        below = value <= high if interval.group(4) == "]" else value < high
        return above and below
    compare = re.fullmatch(r"(<=|>=|<|>)\s*(.+)", test)
    if compare:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        bound = float(compare.group(2))
        return {
            "<": value < bound,
            "<=": value <= bound,
            ">": value > bound,
            ">=": value >= bound,
        }[compare.group(1)]
    want = _literal(test)
    if want is None or value is None:
        return want is value
    if isinstance(want, bool) or isinstance(value, bool):
        return want is value
    return want == value


def _any(truths: list[bool | None]) -> bool | None:
    if True in truths:
        return True
    return None if None in truths else False


def matches(entry: str, value: object) -> bool:
    """Whether an input entry holds for ``value`` (``None`` is FEEL's null)."""
    entry = entry.strip()
    if entry == "-":
        return True
    negated = re.fullmatch(r"not\((.*)\)", entry)
    if negated:
        truth = _any([_positive(t, value) for t in _split(negated.group(1))])
        return truth is False
    return _any([_positive(t, value) for t in _split(entry)]) is True


@dataclass
class Table:
    name: str
    hit: str
    aggregation: str | None
    inputs: list[str]
    outputs: list[str]
    priorities: list[list[object] | None]
    default: tuple[object, ...] | None
    rules: list[tuple[list[str], tuple[object, ...]]] = field(default_factory=list)


def read(xml: str) -> list[Table]:
    root = ET.fromstring(xml)
    ns = root.tag[1:].split("}")[0]
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    tables = []
    for decision in root.iter(q("decision")):
        body = decision.find(q("decisionTable"))
        assert body is not None
        outputs = body.findall(q("output"))
        priorities: list[list[object] | None] = []
        defaults = []
        for output in outputs:
            values = output.find(q("outputValues"))
            priorities.append(
                None
                if values is None
                else [_literal(t) for t in _split(values.findtext(q("text")) or "")]
            )
            default = output.find(q("defaultOutputEntry"))
            defaults.append(
                None if default is None else _literal(default.findtext(q("text")) or "")
            )
        table = Table(
            decision.get("name", ""),
            body.get("hitPolicy", "UNIQUE"),
            body.get("aggregation"),
            [
                (i.find(q("inputExpression")).findtext(q("text")) or "").strip()
                for i in body.findall(q("input"))
            ],  # type: ignore[union-attr]
            [o.get("name", "") for o in outputs],
            priorities,
            None if defaults[0] is None else tuple(defaults),
        )
        for rule in body.findall(q("rule")):
            entries = [e.findtext(q("text")) or "" for e in rule.findall(q("inputEntry"))]
            results = tuple(
                _output(e.findtext(q("text")) or "") for e in rule.findall(q("outputEntry"))
            )
            table.rules.append((entries, results))
        tables.append(table)
    return tables


@dataclass(frozen=True)
class Name:
    """An output entry naming another decision: its result is the output."""

    text: str


def _output(text: str) -> object:
    text = text.strip()
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text) and text not in ("true", "false", "null"):
        return Name(text)
    return _literal(text)


def evaluate_model(model: str | list[Table], state: Mapping[str, object]) -> dict[str, object]:
    """Every decision's result, decisions reading input data and each other's results.

    ``model`` is the XML or the tables :func:`read` gives (read once for many states).
    """
    tables = read(model) if isinstance(model, str) else model
    env: dict[str, object] = dict(state)
    done: dict[str, object] = {}
    waiting = list(tables)
    while waiting:
        ready = [
            t
            for t in waiting
            if all(n in env for n in t.inputs)
            and all(r.text in env for _, outs in t.rules for r in outs if isinstance(r, Name))
        ]
        assert ready, "the decisions read each other in a cycle"
        for table in ready:
            resolved = Table(
                table.name, table.hit, table.aggregation, table.inputs, table.outputs,
                table.priorities, table.default,
                [
                    (entries, tuple(env[o.text] if isinstance(o, Name) else o for o in outs))
                    for entries, outs in table.rules
                ],
            )  # fmt: skip
            env[table.name] = done[table.name] = evaluate(resolved, env)
            waiting.remove(table)
    return done


def matching(table: Table, state: Mapping[str, object]) -> list[int]:
    return [
        i
        for i, (entries, _) in enumerate(table.rules)
        if all(matches(e, state[name]) for e, name in zip(entries, table.inputs, strict=False))
    ]


def _rank(table: Table, outputs: tuple[object, ...]) -> tuple[int, ...]:
    return tuple(
        0 if order is None else order.index(value)
        for order, value in zip(table.priorities, outputs, strict=False)
    )


def _shape(table: Table, outputs: tuple[object, ...]) -> object:
    if len(table.outputs) > 1:
        return dict(zip(table.outputs, outputs, strict=False))
    return outputs[0]


def evaluate(table: Table, state: Mapping[str, object]) -> object:
    """The DMN result of ``table`` for ``state`` (None where a single-hit table has no match)."""
    hits = matching(table, state)
    results = [table.rules[i][1] for i in hits]
    if table.hit in ("UNIQUE", "ANY", "FIRST", "PRIORITY"):
        if not hits:
            return None if table.default is None else _shape(table, table.default)
        if table.hit == "PRIORITY":
            best = min(range(len(hits)), key=lambda k: (_rank(table, results[k]), k))
            return _shape(table, results[best])
        return _shape(table, results[0])
    if not results and table.default is not None:
        results = [table.default]
    if table.hit == "OUTPUT ORDER":
        results = sorted(results, key=lambda r: _rank(table, r))  # stable: rule order
    if table.aggregation is None:
        return [_shape(table, r) for r in results]
    numbers: list[Any] = [r[0] for r in results]
    if table.aggregation == "COUNT":
        return len(numbers)
    if not numbers:
        return None
    return {"SUM": sum, "MIN": min, "MAX": max}[table.aggregation](numbers)

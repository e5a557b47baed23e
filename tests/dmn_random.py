"""Random DMN models for the tests: ``random_model`` (a hypothesis strategy) writes one
decision table of random columns, entries, hit policy and outputs in a random DMN version,
and ``representatives`` gives one value per cell of a column, for brute force.

Limits: one decision per model; numbers cut at the few ``THRESHOLDS``, texts from ``TEXTS``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

NAMESPACES = [
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "https://www.omg.org/spec/DMN/20211108/MODEL/",
    "https://www.omg.org/spec/DMN/20230324/MODEL/",
]
POLICIES = ["UNIQUE", "ANY", "PRIORITY", "FIRST", "RULE ORDER", "OUTPUT ORDER", "COLLECT"]
THRESHOLDS = [-5, 0, 2, 2.5, 7, 10]
TEXTS = ["High risk", "low", "Medium-Risk", "n/a"]
OUTPUTS = ["Approved", "Declined", "Refer"]


@dataclass
class Column:
    name: str  # the DMN name, with spaces and capitals
    kind: str  # number, bounded, string, enumerated, boolean


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _entry(draw: Any, column: Column) -> str:
    if draw(st.integers(0, 3)) == 0:
        return "-"
    if column.kind in ("number", "bounded"):
        shape = draw(st.sampled_from(["compare", "interval", "equal", "not", "list", "notin"]))
        a = draw(st.sampled_from(THRESHOLDS))
        if shape == "list":
            b = draw(st.sampled_from(THRESHOLDS))
            return f"< {_number_text(a)}, {_number_text(b)}, >= {_number_text(max(a, b))}"
        if shape == "notin":
            b = draw(st.sampled_from([t for t in THRESHOLDS if t >= a]))
            return f"not([{_number_text(a)}..{_number_text(b)}[)"
        if shape == "compare":
            return f"{draw(st.sampled_from(['<', '<=', '>', '>=']))} {_number_text(a)}"
        if shape == "equal":
            return _number_text(a)
        if shape == "not":
            return f"not({draw(st.sampled_from(['<', '>=']))} {_number_text(a)})"
        b = draw(st.sampled_from([t for t in THRESHOLDS if t >= a]))
        return (
            draw(st.sampled_from(["[", "]", "("]))
            + f"{_number_text(a)}..{_number_text(b)}"
            + draw(st.sampled_from(["]", "[", ")"]))
        )
    if column.kind == "boolean":
        return draw(st.sampled_from(["true", "false", "not(true)", "true, false"]))
    texts = draw(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=2, unique=True))
    listed = ", ".join(f'"{t}"' for t in texts)
    return f"not({listed})" if draw(st.booleans()) else listed


@st.composite
def random_model(draw: Any) -> str:
    """A DMN model with one random decision table over up to three input data."""
    ns = draw(st.sampled_from(NAMESPACES))
    kinds = draw(
        st.lists(
            st.sampled_from(["number", "bounded", "string", "enumerated", "boolean"]),
            min_size=1,
            max_size=3,
        )
    )
    columns = [Column(f"Input {i} {k.title()}", k) for i, k in enumerate(kinds)]
    hit = draw(st.sampled_from(POLICIES))
    aggregation = (
        draw(st.sampled_from([None, "SUM", "MIN", "MAX", "COUNT"])) if hit == "COLLECT" else None
    )
    numeric_output = aggregation is not None
    n_outputs = 1 if numeric_output else draw(st.integers(1, 2))
    n_rules = draw(st.integers(1, 6))
    items = []
    inputs_xml = []
    data_xml = []
    for i, column in enumerate(columns):
        type_ref = {"number": "number", "bounded": "tBounded", "string": "string",
                    "enumerated": "tText", "boolean": "boolean"}[column.kind]  # fmt: skip
        data_xml.append(
            f'<inputData id="in{i}" name="{column.name}">'
            f'<variable name="{column.name}" typeRef="{type_ref}"/></inputData>'
        )
        inputs_xml.append(
            f'<input id="c{i}"><inputExpression typeRef="{type_ref}">'
            f"<text>{column.name}</text></inputExpression></input>"
        )
    if "bounded" in kinds:
        items.append(
            '<itemDefinition name="tBounded"><typeRef>number</typeRef>'
            "<allowedValues><text>[-5..10]</text></allowedValues></itemDefinition>"
        )
    if "enumerated" in kinds:
        listed = ", ".join(f'"{t}"' for t in TEXTS)
        items.append(
            '<itemDefinition name="tText"><typeRef>string</typeRef>'
            f"<allowedValues><text>{_escape(listed)}</text></allowedValues></itemDefinition>"
        )
    outputs_xml = []
    for j in range(n_outputs):
        if numeric_output:
            outputs_xml.append(f'<output id="o{j}" name="Amount" typeRef="number"/>')
            continue
        order = draw(st.permutations(OUTPUTS))
        values = (
            ""
            if (hit not in ("PRIORITY", "OUTPUT ORDER") and draw(st.booleans()))
            else (
                "<outputValues><text>"
                + _escape(", ".join(f'"{v}"' for v in order))
                + "</text></outputValues>"
            )
        )
        default = ""
        if draw(st.integers(0, 3)) == 0 or (j > 0 and "defaultOutputEntry" in outputs_xml[0]):
            value = draw(st.sampled_from(OUTPUTS))
            default = f'<defaultOutputEntry><text>"{value}"</text></defaultOutputEntry>'
        if j > 0 and "defaultOutputEntry" not in outputs_xml[0]:
            default = ""
        outputs_xml.append(
            f'<output id="o{j}" name="Out {j}" typeRef="string">{values}{default}</output>'
        )
    rules_xml = []
    for r in range(n_rules):
        entries = "".join(
            f"<inputEntry><text>{_escape(_entry(draw, c))}</text></inputEntry>" for c in columns
        )
        results = "".join(
            "<outputEntry><text>"
            + (
                _number_text(draw(st.sampled_from([1, 2.5, 10, -3])))
                if numeric_output
                else f'"{draw(st.sampled_from(OUTPUTS))}"'
            )
            + "</text></outputEntry>"
            for _ in range(n_outputs)
        )
        rules_xml.append(f'<rule id="r{r}">{entries}{results}</rule>')
    agg = f' aggregation="{aggregation}"' if aggregation else ""
    requirements = "".join(
        f'<informationRequirement><requiredInput href="#in{i}"/></informationRequirement>'
        for i in range(len(columns))
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{ns}" id="defs" '
        f'name="Random model" namespace="https://example.org/random">'
        + "".join(items)
        + f'<decision id="d0" name="The Decision">{requirements}'
        + f'<decisionTable id="t0" hitPolicy="{hit}"{agg}>'
        + "".join(inputs_xml)
        + "".join(outputs_xml)
        + "".join(rules_xml)
        + "</decisionTable></decision>"
        + "".join(data_xml)
        + "</definitions>\n"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def representatives(kind: str) -> list[object]:
    """One value in every cell the generated entries can tell apart (and one outside)."""
    if kind in ("number", "bounded"):
        points = sorted(set(THRESHOLDS))
        values: list[float] = []
        for a, b in itertools.pairwise(points):
            values += [a, (a + b) / 2]
        values.append(points[-1])
        if kind == "number":
            values = [points[0] - 1.5, *values, points[-1] + 1.5]
        return values
    if kind == "boolean":
        return [True, False]
    if kind == "enumerated":
        return list(TEXTS)
    return [*TEXTS, "something else"]

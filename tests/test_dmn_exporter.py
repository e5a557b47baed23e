"""gistpath.dmn.exporter: a rule set's tables as DMN 1.4, and back to the same decisions.

The round trip draws random rule files of tables (every hit policy, defaults, a table read
by another, numeric ranges and choice lists), exports them, imports the XML, and checks
that every table gives the same value on one state per cell of the original.
"""

from __future__ import annotations

import itertools
import warnings
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import dmn
from gistpath.dmn.exporter import NAMESPACE, ExportError

THRESHOLDS = ["0", "2", "5", "7.5", "10"]
OPS = ["<", "<=", ">", ">=", "=", "!="]


def _number_cell(draw: Any) -> str:
    shape = draw(st.sampled_from(["-", "one", "two"]))
    if shape == "-":
        return "-"
    a, b = sorted(draw(st.lists(st.sampled_from(THRESHOLDS), min_size=2, max_size=2)), key=float)
    if shape == "one":
        return f"{draw(st.sampled_from(OPS))} {a}"
    return f"{draw(st.sampled_from(['>', '>=']))} {a} and {draw(st.sampled_from(['<', '<=']))} {b}"


@st.composite
def rule_files(draw: Any) -> str:
    """A rule file of one or two tables over a number, a choice and a boolean input."""
    bounded = draw(st.booleans())
    lines = [
        'ruleset random "Random tables"',
        '    summary "Made by hypothesis."',
        'source guide "A guide"',
        '    url "https://example.org/guide"',
        "input size: number" + (" >= 0 and <= 10" if bounded else ""),
        "input site: choice stomach, colon, rectum",
        "input urgent: boolean",
    ]
    outputs = ["low", "mid", "high"]
    tables: list[str] = []
    for index in range(draw(st.integers(1, 2))):
        name = f"t{index}"
        hit = draw(st.sampled_from(["unique", "first", "any", "priority"]))
        columns = ["size", "site", "urgent", *tables]
        lines += [f'table {name} "Table {index}"', f"    values {', '.join(outputs)}"]
        lines.append(f"    hit {hit}")
        if draw(st.booleans()):
            lines.append(f"    default {draw(st.sampled_from(outputs))}")
        lines.append('    cites guide "Section"')
        lines.append("    | " + " | ".join([*columns, name, "note"]) + " |")
        for _ in range(draw(st.integers(1, 4))):
            cells = [_number_cell(draw)]
            sites = draw(st.lists(st.sampled_from(["stomach", "colon", "rectum"]), max_size=2))
            negated = "not " if sites and draw(st.booleans()) else ""
            cells.append(negated + ", ".join(sites) if sites else "-")
            cells.append(draw(st.sampled_from(["-", "yes", "no"])))
            for _ in tables:
                cells.append(draw(st.sampled_from(["-", "low", "mid, high"])))
            cells.append(draw(st.sampled_from(outputs)))
            cells.append(draw(st.sampled_from(["-", '"a note"'])))
            lines.append("    | " + " | ".join(cells) + " |")
        tables.append(name)
    lines += [
        'pathway done "Done"',
        '    summary "Every table evaluated."',
        "    cites guide",
        "rule done -> done: otherwise",
    ]
    return "\n".join(lines) + "\n"


TAIL = (
    'source g "G"\npathway done "Done"\n    summary "x."\n    cites g\n'
    "rule done -> done: otherwise\n"
)


def _load(text: str) -> gistpath.RuleSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gistpath.loads(text, "random.gprules", draft=True)


def _states(rs: gistpath.RuleSet) -> list[dict[str, object]]:
    space = rs.compiled.space
    per_dim = []
    for dim in space.dimensions[:-1]:
        cells = [c for c in range(dim.size) if dim.valid >> c & 1]
        per_dim.append([(dim.name, dim.representative(c)) for c in cells])
    return [dict(combo) for combo in itertools.product(*per_dim)]


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(rule_files())
def test_import_after_export_gives_the_same_decisions(text: str) -> None:
    rs = _load(text)
    xml = dmn.export(rs)
    conversion = dmn.convert(dmn.read_bytes(xml.encode(), "exported.dmn"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = gistpath.loads(conversion.text, "back.gprules", draft=True)
    assert set(back.model.tables) == set(rs.model.tables)
    for name, table in rs.model.tables.items():
        again = back.model.tables[name]
        assert again.hit == table.hit
        assert again.default == table.default
        assert again.values == table.values or table.hit != "priority"
        assert [r.annotations for r in again.rows] == [r.annotations for r in table.rows]
    for state in _states(rs):
        want = rs.evaluate(state).values
        got = back.evaluate(conversion.state(state)).values
        for name in rs.model.tables:
            assert got[name] == want[name], (state, name, xml)
    # and the proofs agree: the same table findings, by kind and row numbers
    kinds = ("table_gap", "table_overlap", "masked", "dead_row")

    def findings(report: gistpath.VerificationReport) -> set[tuple[str, tuple[object, ...]]]:
        return {(f.kind, f.rules) for f in report.findings if f.kind in kinds}

    assert findings(back.verify()) == findings(rs.verify())


def test_the_export_is_dmn_1_4_with_sources_and_annotations() -> None:
    rs = _load(
        'ruleset r "R"\n    summary "S."\nsource guide "A guide"\n    publisher "P"\n'
        "input size: number > 0\n"
        'table band "Size band"\n    values small, large\n    cites guide "Bands"\n'
        "    | size | band | why |\n"
        '    | <= 5 | small | "five or less" |\n'
        "    | > 5 | large | - |\n"
        'pathway done "Done"\n    summary "x."\n    cites guide\nrule done -> done: otherwise\n'
    )
    xml = dmn.export(rs)
    root = ET.fromstring(xml)
    q = f"{{{NAMESPACE}}}"
    assert root.tag == f"{q}definitions"
    decision = root.find(f"{q}decision")
    assert decision is not None
    assert decision.get("label") == "Size band"
    assert decision.find(f"{q}authorityRequirement/{q}requiredAuthority").get("href") == (  # type: ignore[union-attr]
        "#source_guide"
    )
    source = root.find(f"{q}knowledgeSource")
    assert source is not None
    assert source.get("label") == "A guide"
    assert "Publisher: P" in (source.findtext(f"{q}description") or "")
    rules = decision.findall(f"{q}decisionTable/{q}rule")
    assert [r.findtext(f"{q}annotationEntry/{q}text") for r in rules] == ["five or less", ""]
    assert [r.findtext(f"{q}inputEntry/{q}text") for r in rules] == ["<= 5", "> 5"]
    item = root.find(f"{q}itemDefinition")
    assert item is not None
    assert item.findtext(f"{q}allowedValues/{q}text") == "> 0"


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ("input n: number or unknown\n", "allows unknown, which a DMN number cannot hold"),
        ("input b: boolean or unknown\n", "allows unknown, which a DMN boolean cannot hold"),
        ("input n: number\nlet big: n > 5\n", "reads the derived value 'big', a 'let'"),
    ],
)
def test_what_dmn_cannot_say_is_refused(extra: str, words: str) -> None:
    column = {"input n: number or unknown\n": "n", "input b: boolean or unknown\n": "b"}.get(
        extra, "big"
    )
    cell = {"n": "> 1", "b": "yes", "big": "yes"}[column]
    rs = _load(
        extra + f'table t "T"\n    values a\n    | {column} | t |\n    | {cell} | a |\n' + TAIL
    )
    with pytest.raises(ExportError, match=words):
        dmn.export(rs)


def test_a_row_reading_another_table_is_refused() -> None:
    rs = _load(
        "input n: number\n"
        'table t "T"\n    values a, b\n    | n | t |\n    | > 1 | a |\n    | <= 1 | b |\n'
        'table u "U"\n    values a, b\n    | n | u |\n    | - | t |\n' + TAIL
    )
    with pytest.raises(ExportError, match="takes its value from table 't'"):
        dmn.export(rs)


def test_export_errors_are_gistpath_errors() -> None:
    assert issubclass(ExportError, gistpath.GistpathError)

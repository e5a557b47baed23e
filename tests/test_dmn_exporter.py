"""gistpath.dmn.exporter: a whole rule set as DMN 1.4, and back to the same decisions.

Exact, not sampled: :func:`same_decisions` splits the states of a rule set and of its
export imported again into the pieces of one partition (the regions of both files' rules,
considerations, table values, lets and constraints) and checks, piece by piece, that both
accept the same states and give them the same pathway, considerations, table values and
lets; then it decides one state of every piece with the independent DMN interpreter of
tests/dmn_oracle.py on the exported XML. The bundled GIST rules and the walk example are
checked so, and random rule files (every hit policy, defaults, a table read by another or
giving another's value, lets read by tables, numbers that may be unknown, constraints,
rules and considerations).
"""

from __future__ import annotations

import itertools
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import dmn_oracle as oracle
from tests import dmn_random

import gistpath
from gistpath import dmn
from gistpath.cells import RegionCompiler, Space, model_thresholds
from gistpath.diff import _merged_dimension, _space, _valid
from gistpath.dmn.exporter import NAMESPACE, ExportError
from gistpath.language import UNKNOWN
from gistpath.regions import Box, Region, complement, find_point, intersect_regions, partition

WALK = Path(__file__).parent.parent / "docs" / "examples" / "walk.gprules"


def _answers(tags: list[tuple[int, str, str]], inside: list[int], side: int) -> object:
    """What one side decides on a piece: validity, pathway, considerations."""
    found = {tags[i][1:] for i in inside if tags[i][0] == side}  # a region's boxes may overlap
    pathway = sorted(n for k, n in found if k == "rule")
    considerations = sorted(n for k, n in found if k == "consideration")
    return any(k == "valid" for k, _ in found), pathway, considerations


def _same_region(a: Sequence[Box], b: Sequence[Box], valid: Region, space: Space) -> bool:
    """Whether two regions hold the same valid states (exact: no valid point in one only)."""
    invalid = complement(space.universe, valid, space.ordered)
    for one, other in ((a, b), (b, a)):
        for box in intersect_regions(list(one), valid):
            if find_point(box, [*other, *invalid], space.ordered) is not None:
                return False
    return True


def same_decisions(rs: gistpath.RuleSet, back: gistpath.RuleSet, xml: str) -> int:
    """Check ``back`` (and the XML, by the oracle) decides every valid state as ``rs``.

    Each table value and let: the two regions hold the same valid states, and the oracle
    decides one state of each piece of its values' partition as ``rs`` does. Pathway and
    considerations: one partition by both files' rules, considerations and validity, each
    piece compared, and one state of each decided by the oracle on the XML (pathway,
    considerations, every table and let). Returns the number of pieces the oracle decided.
    """
    models = (rs.model, back.model)
    assert list(back.model.inputs) == list(rs.model.inputs)
    for name, item in rs.model.inputs.items():
        assert back.model.inputs[name].domain == item.domain, name
    assert set(back.model.tables) == set(rs.model.tables)
    assert set(back.model.lets) == set(rs.model.lets)
    cuts = [model_thresholds(m) for m in models]
    dims = [
        _merged_dimension(
            name,
            [m.inputs[name] for m in models],
            cuts[0].get(name, set()) | cuts[1].get(name, set()),
        )
        for name in rs.model.inputs
    ]
    pathways = tuple(dict.fromkeys([*rs.model.pathways, *back.model.pathways]))
    space = _space(dims, [_valid(d, rs.model.inputs[d.name]) for d in dims], pathways)
    universe = space.universe
    compilers = [RegionCompiler(m, space) for m in models]
    valid_regions: list[Region] = []
    for compiler, model in zip(compilers, models, strict=True):
        valid: Region = [universe]
        for constraint in model.constraints:
            valid = intersect_regions(valid, compiler.expr(constraint.condition))
        valid_regions.append(valid)
    assert _same_region(valid_regions[0], valid_regions[1], [universe], space)
    valid = valid_regions[0]
    for name, values in compilers[0].table_values.items():
        for value, region in values.items():
            other = compilers[1].table_values[name].get(value, [])
            assert _same_region(region, other, valid, space), (name, value)
    for name, region in compilers[0].lets.items():
        assert _same_region(region, compilers[1].lets[name], valid, space), name
    boxes: list[Box] = []
    tags: list[tuple[int, str, str]] = []  # side, kind, name

    def add(region: Sequence[Box], tag: tuple[int, str, str]) -> None:
        boxes.extend(region)
        tags.extend([tag] * len(region))

    for side, (compiler, model) in enumerate(zip(compilers, models, strict=True)):
        for rule in model.rules:
            add(compiler.expr(rule.condition), (side, "rule", rule.pathway))
        for item in model.considerations.values():
            add(compiler.expr(item.condition), (side, "consideration", item.id))
        add(valid_regions[side], (side, "valid", ""))
    absorbing = len(boxes)
    boxes += complement(universe, valid_regions[0] + valid_regions[1], space.ordered)
    tables = oracle.read(xml)
    pieces = 0
    index = space.pathway_index
    for piece, inside in partition(universe, boxes, space.ordered, absorbing=absorbing):
        if any(i >= absorbing for i in inside):
            continue
        a, b = _answers(tags, inside, 0), _answers(tags, inside, 1)
        assert a == b, (space.example(piece), a, b)
        cells = piece[index]
        pathway = space.dimensions[index].values[cells.bit_length() - 1]
        if not a[0] or cells & (cells - 1) or [pathway] != a[1]:  # type: ignore[index]
            continue  # decide each piece once: on the cell of its own pathway
        pieces += 1
        state = space.example(piece)
        decided = rs.evaluate(state)
        assert decided.pathway == pathway
        dmn_state = {
            k: None if v == UNKNOWN and rs.model.inputs[k].domain.allows_unknown else v
            for k, v in state.items()
        }
        got = oracle.evaluate_model(tables, dmn_state)
        assert got["pathway"] == decided.pathway, state
        if rs.model.considerations:
            assert got["considerations"] == list(decided.considerations), state
        for name in [*rs.model.tables, *rs.model.lets]:
            assert got[name] == decided.values[name], (state, name)
        if rs.model.constraints:
            assert got["broken constraints"] == [], state
    # every table and let, on one state of each piece of its own values' partition
    invalid = complement(universe, valid, space.ordered)
    regions = {**compilers[0].table_values, **{n: {"yes": r} for n, r in compilers[0].lets.items()}}
    for name, values in regions.items():
        owned = [box for region in values.values() for box in region]
        for piece, inside in partition(universe, [*owned, *invalid], space.ordered,
                                       absorbing=len(owned)):  # fmt: skip
            if any(i >= len(owned) for i in inside):
                continue
            pieces += 1
            state = space.example(piece)
            dmn_state = {
                k: None if v == UNKNOWN and rs.model.inputs[k].domain.allows_unknown else v
                for k, v in state.items()
            }
            want = rs.evaluate(state).values[name]
            assert oracle.evaluate_model(tables, dmn_state)[name] == want, (state, name)
    return pieces


def round_trip(rs: gistpath.RuleSet) -> tuple[gistpath.RuleSet, str]:
    xml = dmn.export(rs)
    back = dmn.loads(xml, "exported.dmn")
    return back, xml


THRESHOLDS = ["0", "2", "5", "7.5", "10"]
OPS = ["<", "<=", ">", ">=", "=", "!="]


def _number_cell(draw: Any, unknown: bool = False) -> str:
    shape = draw(st.sampled_from(["-", "one", "two", *(["unknown"] if unknown else [])]))
    if shape == "-":
        return "-"
    if shape == "unknown":
        return draw(st.sampled_from(["unknown", "not unknown"]))
    a, b = sorted(draw(st.lists(st.sampled_from(THRESHOLDS), min_size=2, max_size=2)), key=float)
    if shape == "one":
        return f"{draw(st.sampled_from(OPS))} {a}"
    return f"{draw(st.sampled_from(['>', '>=']))} {a} and {draw(st.sampled_from(['<', '<=']))} {b}"


CONDITIONS = [
    "size > 5",
    "size <= 2 or site is colon",
    "site in {stomach, rectum} and not urgent",
    "urgent implies size >= 7.5",
    "not (size != 5)",
]


@st.composite
def rule_files(draw: Any) -> str:
    """A rule file over a number (maybe unknown), a choice and a boolean input: one or two
    tables (every hit policy, defaults, a table read by the next or giving its value), and
    maybe a let read by a table, a constraint, rules that use both, a consideration."""
    bounded = draw(st.booleans())
    unknown = draw(st.booleans())
    with_let = draw(st.booleans())
    lines = [
        'ruleset random "Random tables"',
        '    summary "Made by hypothesis."',
        'source guide "A guide"',
        '    url "https://example.org/guide"',
        "input size: number"
        + (" >= 0 and <= 10" if bounded else "")
        + (" or unknown" if unknown else ""),
        "input site: choice stomach, colon, rectum",
        "input urgent: boolean",
    ]
    conditions = list(CONDITIONS) + (["size is unknown or urgent"] if unknown else [])
    if with_let:
        lines.append(f"let big: {draw(st.sampled_from(conditions))}")
        conditions.append("big and not urgent")
    outputs = ["low", "mid", "high"]
    tables: list[str] = []
    for index in range(draw(st.integers(1, 2))):
        name = f"t{index}"
        hit = draw(st.sampled_from(["unique", "first", "any", "priority"]))
        columns = ["size", "site", "urgent", *tables, *(["big"] if with_let else [])]
        lines += [f'table {name} "Table {index}"', f"    values {', '.join(outputs)}"]
        lines.append(f"    hit {hit}")
        if draw(st.booleans()):
            lines.append(f"    default {draw(st.sampled_from(outputs))}")
        lines.append('    cites guide "Section"')
        lines.append("    | " + " | ".join([*columns, name, "note"]) + " |")
        for _ in range(draw(st.integers(1, 4))):
            cells = [_number_cell(draw, unknown)]
            sites = draw(st.lists(st.sampled_from(["stomach", "colon", "rectum"]), max_size=2))
            negated = "not " if sites and draw(st.booleans()) else ""
            cells.append(negated + ", ".join(sites) if sites else "-")
            cells.append(draw(st.sampled_from(["-", "yes", "no"])))
            for _ in tables:
                cells.append(draw(st.sampled_from(["-", "low", "mid, high"])))
            if with_let:
                cells.append(draw(st.sampled_from(["-", "yes", "no"])))
            # a row may give the previous table's value (never in a priority table)
            cells.append(draw(st.sampled_from(outputs + tables[-1:] * (hit != "priority"))))
            cells.append(draw(st.sampled_from(["-", '"a note"'])))
            lines.append("    | " + " | ".join(cells) + " |")
        tables.append(name)
        conditions.append(f"{name} is low or {name} in {{mid}}")
    if draw(st.booleans()):
        lines.append(f'constraint c "C": {draw(st.sampled_from(conditions))}')
    lines += [
        'pathway done "Done"',
        '    summary "Every table evaluated."',
        "    cites guide",
        'pathway other "Other"',
        '    summary "The first rule held."',
        '    cites guide "Other"',
    ]
    if draw(st.booleans()):
        lines += [
            'consideration note "Note"',
            '    summary "A note."',
            "    cites guide",
            f"    when pathway is done and {draw(st.sampled_from(conditions))}",
        ]
    guard = draw(st.sampled_from(conditions))
    lines += [
        f"when {guard}:",
        f"    rule first -> other: {draw(st.sampled_from(conditions))}",
        "    rule done_inside -> done: otherwise",
        f"rule done -> done: not ({guard})",
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = dmn.loads(xml, "exported.dmn", draft=True)
    for name, table in rs.model.tables.items():
        again = back.model.tables[name]
        assert again.hit == table.hit
        assert again.default == table.default
        assert again.values == table.values
        assert [r.annotations for r in again.rows] == [r.annotations for r in table.rows]
    same_decisions(rs, back, xml)
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


def test_what_s_feel_cannot_write_is_refused() -> None:
    rs = _load(
        "input n: number\n"
        'table t "T"\n    values a, b\n    hit first\n    | n | t |\n    | != 1 and > 0 | a |\n'
        "    | - | b |\n" + TAIL
    )
    with pytest.raises(ExportError, match="joins '!=' with other comparisons"):
        dmn.export(rs)


def test_unknown_lets_and_references_travel() -> None:
    """What the export once refused: unknown numbers and booleans, a let read by a table,
    a row taking another table's value."""
    rs = _load(
        "input n: number >= 0 and <= 10 or unknown\ninput b: boolean or unknown\n"
        "let big: n > 5\n"
        'table t "T"\n    values a, b\n    | n | t |\n    | > 1 | a |\n    | <= 1 | b |\n'
        "    | unknown | b |\n"
        'table u "U"\n    values a, b, c\n    | big | b | u |\n    | yes | - | t |\n'
        "    | no | yes | c |\n    | no | not yes | a |\n" + TAIL
    )
    back, xml = round_trip(rs)
    assert 'gistpath:role="let"' in xml
    assert same_decisions(rs, back, xml) > 5


def test_export_errors_are_gistpath_errors() -> None:
    assert issubclass(ExportError, gistpath.GistpathError)


@pytest.mark.slow
def test_gist_travels_whole() -> None:
    """The bundled GIST rules: every valid state, piece by piece, and the DMN oracle."""
    rs = gistpath.load_builtin("gist")
    back, xml = round_trip(rs)
    assert set(back.model.pathways) == set(rs.model.pathways)
    assert list(back.model.considerations) == list(rs.model.considerations)
    assert [c.name for c in back.model.constraints] == [c.name for c in rs.model.constraints]
    assert back.model.tables["risk"].order == rs.model.tables["risk"].order
    assert back.model.inputs["mitotic_rate"].domain.allows_unknown
    # the documentation travels too: sources, citations with their sections, summaries
    for name, source in rs.model.sources.items():
        assert back.model.sources[name] == source
    for name, table in rs.model.tables.items():
        cited = [c for c in back.model.tables[name].citations if c.source.name != "dmn_model"]
        assert cited == list(table.citations), name
        # after the import's own words on the decision ("DMN decision 'x', hit policy ...")
        assert (table.summary or "") in (back.model.tables[name].summary or "")
    for pid, pathway in rs.model.pathways.items():
        again = back.model.pathways[pid]
        assert (again.title, again.summary, again.citations) == (
            pathway.title, pathway.summary, pathway.citations,
        )  # fmt: skip
    for cid, item in rs.model.considerations.items():
        again_item = back.model.considerations[cid]
        assert (again_item.title, again_item.summary, again_item.citations) == (
            item.title, item.summary, item.citations,
        )  # fmt: skip
    assert (back.model.title, back.model.summary, back.model.version, back.model.note) == (
        rs.model.title, rs.model.summary, rs.model.version, rs.model.note,
    )  # fmt: skip
    assert same_decisions(rs, back, xml) > 100


def test_the_walk_example_travels_whole() -> None:
    rs = _load(WALK.read_text(encoding="utf-8"))
    back, xml = round_trip(rs)
    assert [r.id for r in back.model.rules] == [r.id for r in rs.model.rules]
    assert same_decisions(rs, back, xml) > 20


@settings(max_examples=40, deadline=None)
@given(dmn_random.random_model())
def test_random_dmn_tables_decide_the_same_after_import_and_export(xml: str) -> None:
    """A random DMN table (every hit policy, aggregations, several outputs) imported and
    exported again: the tests' DMN interpreter gives the same result on both XML files,
    on one state per cell; a multiple-hit table is written back with its own policy."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = dmn.loads(xml.encode(), "random.dmn", draft=True)
    except dmn.DmnError:
        return  # what the importer refuses is tested in test_dmn_importer
    del model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        conversion = dmn.convert(dmn.read_bytes(xml.encode(), "random.dmn"))
        found = dmn.DmnModel(conversion, gistpath.loads(conversion.text, "r", draft=True))
    exported = dmn.export(found)
    (table,) = oracle.read(xml)
    decision = conversion.decisions[table.name]
    if decision.multiple is not None:
        assert f'hitPolicy="{table.hit}"' in exported
    tables = oracle.read(exported)
    kinds = [c.split()[-1].lower() for c in table.inputs]
    for values in itertools.product(*(dmn_random.representatives(k) for k in kinds)):
        dmn_state = dict(zip(table.inputs, values, strict=True))
        try:
            state = conversion.state(dmn_state)
            found.ruleset.validate(state)
        except gistpath.StateError:
            continue  # outside an input's allowed values
        want = oracle.evaluate(table, dmn_state)
        got = oracle.evaluate_model(tables, state)[decision.name]
        if decision.multiple is None and got is not None:
            outputs = decision.values[got]  # the table's value: a name for DMN's outputs
            got = (
                outputs[0]
                if len(outputs) == 1
                else dict(zip(decision.components, outputs, strict=True))
            )
        assert got == want, (dmn_state, got, want, exported)

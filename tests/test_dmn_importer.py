"""gistpath.dmn.importer: DMN models become rule sets that decide and verify as DMN means.

The strongest tests here draw random decision tables (tests/dmn_oracle.py) and check the
imported rule set against a small interpreter of the XML written for the tests: every
result on random states, and every gap, policy-breaking overlap, masked and dead rule the
verifier reports against brute force over one value per cell.
"""

from __future__ import annotations

import itertools
import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import dmn_oracle as oracle

import gistpath
from gistpath import dmn

HEAD = (
    '<?xml version="1.0"?>\n<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" '
    'id="m" name="Model" namespace="https://example.org/m">\n'
)


def model(decisions: str, inputs: str = "", items: str = "") -> str:
    return HEAD + items + decisions + inputs + "</definitions>\n"


AGE = (
    '<inputData id="age" name="Patient Age">'
    '<variable name="Patient Age" typeRef="number"/></inputData>\n'
)


def table(
    rules: str, hit: str = "UNIQUE", inputs: str = "", outputs: str = "", extra: str = ""
) -> str:
    inputs = inputs or (
        '<input id="i1"><inputExpression typeRef="number"><text>Patient Age</text>'
        "</inputExpression></input>"
    )
    outputs = outputs or '<output id="o1" name="Band" typeRef="string"/>'
    return (
        f'<decision id="d1" name="Age Band"{extra}>'
        f'<decisionTable id="t1" hitPolicy="{hit}">{inputs}{outputs}{rules}</decisionTable>'
        "</decision>\n"
    )


def rule(*entries: str, out: str = '"young"', number: int = 0) -> str:
    cells = "".join(f"<inputEntry><text>{e}</text></inputEntry>" for e in entries)
    return f'<rule id="r{number}">{cells}<outputEntry><text>{out}</text></outputEntry></rule>'


def load(xml: str) -> gistpath.RuleSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dmn.loads(xml, "m.dmn", draft=True)


# --------------------------------------------------------------------------- names and types


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Approval Status", "approval_status"),
        ("  Risk -- Category (v2) ", "risk_category_v2"),
        ("isAffordable", "isaffordable"),
        ("__x__", "x"),
        ("Größe", "gr_e"),
    ],
)
def test_names(name: str, expected: str) -> None:
    assert dmn.gistpath_name(name) == expected


def test_a_number_without_allowed_values_is_unbounded() -> None:
    rs = load(model(table(rule("&lt; 18") + rule("&gt;= 18", out='"adult"')), AGE))
    age = rs.inputs["patient_age"]
    assert age.domain.low is None
    assert age.domain.high is None
    assert rs.verify().ok
    for value in (-1e300, -17.5, 0, 17.999, 18, 1e300):
        band = rs.evaluate({"patient_age": value}).values["age_band"]
        assert band == ("young" if value < 18 else "adult")
    # examples and regions still give finite numbers
    text = rs.text
    assert 'input patient_age "Patient Age": number\n' in text


def test_unbounded_gap_examples_are_finite() -> None:
    rs = load(model(table(rule("[0..10]")), AGE))
    (gap, *_) = rs.verify().of_kind("table_gap")
    assert all(math.isfinite(f.example["patient_age"]) for f in rs.verify().of_kind("table_gap"))  # type: ignore[index, arg-type]
    assert gap.region is not None
    assert gap.region.contains(gap.example)  # type: ignore[arg-type]
    assert not gap.region.contains({"patient_age": 5})


def test_allowed_values_give_the_domain() -> None:
    items = (
        '<itemDefinition name="tAge"><typeRef>number</typeRef>'
        "<allowedValues><text>[0..120]</text></allowedValues></itemDefinition>"
        '<itemDefinition name="tRisk"><typeRef>string</typeRef>'
        '<allowedValues><text>"High","Low"</text></allowedValues></itemDefinition>'
    )
    inputs = (
        '<inputData id="age" name="Patient Age">'
        '<variable name="Patient Age" typeRef="tAge"/></inputData>'
        '<inputData id="risk" name="Risk"><variable name="Risk" typeRef="tRisk"/></inputData>'
    )
    columns = (
        '<input id="i1"><inputExpression typeRef="number"><text>Patient Age</text>'
        "</inputExpression></input>"
        '<input id="i2"><inputExpression typeRef="string"><text>Risk</text>'
        "</inputExpression></input>"
    )
    rs = load(
        model(
            table(rule("&lt; 18", '"High"') + rule("&gt;= 18", "-"), inputs=columns), inputs, items
        )
    )
    assert rs.inputs["risk"].domain.values == ("high", "low")  # type: ignore[union-attr]
    age = rs.inputs["patient_age"].domain
    assert (age.low.value, age.high.value) == (0, 120)  # type: ignore[union-attr]
    (gap,) = rs.verify().of_kind("table_gap")
    assert str(gap.region) == "patient_age < 18, risk is low"


def test_a_string_input_without_allowed_values_has_other() -> None:
    inputs = '<inputData id="s" name="Site"><variable name="Site" typeRef="string"/></inputData>'
    columns = (
        '<input id="i1"><inputExpression typeRef="string"><text>Site</text>'
        "</inputExpression></input>"
    )
    xml = model(
        table(rule('"Stomach"') + rule('not("Stomach")', out='"old"'), inputs=columns), inputs
    )
    model_ = dmn.DmnModel(dmn.convert(dmn.read_bytes(xml.encode())), load(xml))
    assert model_.ruleset.inputs["site"].domain.values == ("stomach", "other")  # type: ignore[union-attr]
    assert model_.evaluate({"Site": "Stomach"}) == {"Age Band": "young"}
    assert model_.evaluate({"Site": "Colon"}) == {"Age Band": "old"}
    assert model_.ruleset.verify().ok


def test_titles_and_annotations_are_kept() -> None:
    rules = (
        '<rule id="r1"><inputEntry><text>&lt; 18</text></inputEntry>'
        '<outputEntry><text>"young"</text></outputEntry>'
        "<annotationEntry><text>children's ward</text></annotationEntry></rule>"
    )
    outputs = '<output id="o1" name="Band" typeRef="string"/><annotation name="Why"/>'
    rs = load(model(table(rules, outputs=outputs), AGE))
    band = rs.model.tables["age_band"]
    assert band.title == "Age Band"
    assert band.annotation_columns == ("why",)
    assert band.rows[0].annotations == ("children's ward",)
    assert rs.inputs["patient_age"].title == "Patient Age"


def test_a_decision_reads_another() -> None:
    second = (
        '<decision id="d2" name="Plan"><informationRequirement><requiredDecision href="#d1"/>'
        '</informationRequirement><decisionTable id="t2">'
        '<input id="j1"><inputExpression typeRef="string"><text>Age Band</text>'
        "</inputExpression></input>"
        '<output id="p1" name="Plan" typeRef="string"/>'
        + rule('"young"', out='"paediatric"', number=5)
        + rule('"adult"', out='"general"', number=6)
        + "</decisionTable></decision>"
    )
    xml = model(second + table(rule("&lt; 18") + rule("&gt;= 18", out='"adult"')), AGE)
    rs = load(xml)
    assert rs.verify().ok
    assert rs.evaluate({"patient_age": 3}).values["plan"] == "paediatric"
    assert rs.evaluate({"patient_age": 30}).values["plan"] == "general"
    assert rs.model.tables["plan"].condition_columns == ("age_band",)


SOURCES = (
    '<knowledgeSource id="ks1" name="Ward Policy" label="The ward admission policy" '
    'locationURI="https://example.org/policy"><description>Rules for admitting children.'
    '</description><authorityRequirement><requiredAuthority href="#ks2"/>'
    '</authorityRequirement><type>policy</type><owner href="#board"/></knowledgeSource>\n'
    '<knowledgeSource id="ks2" name="National Guideline"/>\n'
)


def test_knowledge_sources_become_sources_and_citations() -> None:
    cited = (
        '<decision id="d1" name="Age Band">'
        '<authorityRequirement id="a1"><description>Section 2: age bands</description>'
        '<requiredAuthority href="#ks1"/></authorityRequirement>'
        '<authorityRequirement id="a2"><requiredAuthority href="#ks2"/></authorityRequirement>'
        '<decisionTable id="t1"><input id="i1"><inputExpression typeRef="number">'
        "<text>Patient Age</text></inputExpression></input>"
        '<output id="o1" name="Band" typeRef="string"/>'
        + rule("&lt; 18")
        + rule("&gt;= 18", out='"adult"', number=1)
        + "</decisionTable></decision>\n"
    )
    xml = model(cited + SOURCES, AGE)
    rs = load(xml)
    policy = rs.model.sources["ward_policy"]
    assert policy.title == "The ward admission policy"
    assert policy.url == "https://example.org/policy"
    assert policy.note is not None
    for words in ("Rules for admitting children.", "Type: policy.", "'#board'"):
        assert words in policy.note
    assert "national_guideline" in policy.note  # the source it draws on
    citations = {(c.source.name, c.section) for c in rs.model.tables["age_band"].citations}
    assert {("ward_policy", "Section 2: age bands"), ("national_guideline", None)} <= citations
    text = dmn.convert(dmn.read_bytes(xml.encode(), "m.dmn")).text  # what from-dmn prints
    assert 'source ward_policy "The ward admission policy"' in text
    assert 'cites ward_policy "Section 2: age bands"' in text
    # and back out: the same sources and citations after to-dmn
    again = load(dmn.export(rs))
    assert again.model.sources["ward_policy"] == policy
    assert {
        (c.source.name, c.section) for c in again.model.tables["age_band"].citations
    } == citations


def test_an_authority_on_a_missing_source_is_refused() -> None:
    cited = table(rule("-")).replace(
        "<decisionTable",
        '<authorityRequirement id="a9"><requiredAuthority href="#nowhere"/>'
        "</authorityRequirement><decisionTable",
    )
    with pytest.raises(dmn.DmnError, match="knowledge source '#nowhere'") as caught:
        load(model(cited, AGE))
    assert caught.value.element_id == "a9"


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("Patient Age + 1", "not S-FEEL"),
        ("date(&quot;2020-01-01&quot;)", "function call"),
        ("&lt; Other Input", "name or FEEL expression"),
        ("0.1000000000000000055511151231257827", "cannot be held exactly"),
        ("= 5", "not an S-FEEL unary test"),
    ],
)
def test_beyond_s_feel_is_refused_with_id_and_line(entry: str, words: str) -> None:
    xml = model(table(rule("-") + "\n" + rule(entry, number=7)), AGE)
    with pytest.raises(dmn.DmnError) as caught:
        dmn.loads(xml, "m.dmn")
    error = caught.value
    assert words in str(error)
    assert error.element_id is not None
    line = xml.splitlines()[error.line - 1]
    assert f'id="{error.element_id}"' in line or "<text>" in line


@pytest.mark.parametrize("hit", ["UNIQUE", "RULE ORDER"])
def test_numeric_entries_that_need_or(hit: str) -> None:
    rules = rule("&lt; 5, &gt; 10", number=1) + rule("not([5..10])", out='"adult"', number=2)
    rules += rule("[5..10]", out='"middle"', number=3)
    xml = model(table(rules, hit=hit), AGE)
    rs = load(xml)
    conversion = dmn.convert(dmn.read_bytes(xml.encode()))
    answers = dmn.DmnModel(conversion, rs)
    for age, band in [(4, "young"), (5, "middle"), (10, "middle"), (11, "young")]:
        result = answers.evaluate({"Patient Age": age})["Age Band"]
        if hit == "UNIQUE":
            assert result == band
        else:
            assert result == ([band, "adult"] if band == "young" else [band])
    if hit == "UNIQUE":
        table_ = rs.model.tables["age_band"]
        assert table_.condition_columns[1:] == (
            "age_band_rule_1_patient_age",
            "age_band_rule_2_patient_age",
        )
        (overlap,) = rs.verify().of_kind("table_overlap")
        assert overlap.rules == (1, 2)  # the DMN rule numbers stay
        assert overlap.region is not None
        assert overlap.region.contains({"patient_age": 11})
        assert not overlap.region.contains({"patient_age": 7})


def test_a_literal_expression_decision_is_refused() -> None:
    xml = model(
        '<decision id="d9" name="Greeting">\n<literalExpression><text>"Hi " + Name</text>'
        "</literalExpression></decision>"
    )
    with pytest.raises(dmn.DmnError, match=r"m\.dmn:4: element 'd9': .*literalExpression"):
        dmn.loads(xml, "m.dmn")


def test_an_unknown_input_name_is_a_state_error() -> None:
    xml = model(table(rule("&lt; 18")), AGE)
    answers = dmn.DmnModel(dmn.convert(dmn.read_bytes(xml.encode())), load(xml))
    with pytest.raises(gistpath.StateError, match=r"no input data of this name.*'Patient Age'"):
        answers.evaluate({"Age": 3})


def test_dmn_errors_are_gistpath_errors() -> None:
    assert issubclass(dmn.DmnError, gistpath.GistpathError)


# --------------------------------------------------------------------------- the oracle


def _states(tables: list[oracle.Table], kinds: dict[str, str]) -> list[dict[str, object]]:
    names = list(kinds)
    values = [oracle.representatives(kinds[n]) for n in names]
    return [dict(zip(names, combo, strict=False)) for combo in itertools.product(*values)]


def _kinds(xml: str) -> dict[str, str]:
    found = {}
    for part in xml.split("<inputData ")[1:]:
        name = part.split('name="')[1].split('"')[0]
        found[name] = name.split()[-1].lower()
    return found


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=False))
    return a == b


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(oracle.random_model(), st.data())
def test_import_agrees_with_an_independent_interpreter(xml: str, data: st.DataObject) -> None:
    (table_,) = oracle.read(xml)
    kinds = _kinds(xml)
    conversion = dmn.convert(dmn.read_bytes(xml.encode()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rs = gistpath.loads(conversion.text, "random.dmn", draft=True)
    model_ = dmn.DmnModel(conversion, rs)
    states = _states([table_], kinds)
    for state in data.draw(st.lists(st.sampled_from(states), min_size=1, max_size=25)):
        want = oracle.evaluate(table_, state)
        got = model_.evaluate(state)["The Decision"]
        if table_.hit == "UNIQUE" and len(oracle.matching(table_, state)) > 1:
            continue  # DMN leaves a broken UNIQUE table undefined; the verifier reports it
        if (
            table_.hit == "ANY"
            and len({table_.rules[i][1] for i in oracle.matching(table_, state)}) > 1
        ):
            continue
        assert _close(got, want), (state, got, want, conversion.text)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(oracle.random_model())
def test_verification_agrees_with_brute_force(xml: str) -> None:
    (table_,) = oracle.read(xml)
    if table_.hit not in ("UNIQUE", "ANY", "FIRST", "PRIORITY"):
        return
    rs = load(xml)
    report = rs.verify()
    states = _states([table_], _kinds(xml))
    conversion = dmn.convert(dmn.read_bytes(xml.encode()))
    gap = False
    overlaps: set[frozenset[int]] = set()
    matched: set[int] = set()
    chosen: set[int] = set()
    for state in states:
        hits = oracle.matching(table_, state)
        matched.update(hits)
        if not hits:
            gap = gap or table_.default is None
            continue
        if table_.hit in ("UNIQUE", "ANY"):
            chosen.update(hits)
            for a, b in itertools.combinations(hits, 2):
                if table_.hit == "UNIQUE" or table_.rules[a][1] != table_.rules[b][1]:
                    overlaps.add(frozenset((a + 1, b + 1)))
        elif table_.hit == "FIRST":
            chosen.add(hits[0])
        else:
            ranks = [oracle._rank(table_, table_.rules[i][1]) for i in hits]
            chosen.add(hits[min(range(len(hits)), key=lambda k: (ranks[k], k))])
    assert bool(report.of_kind("table_gap")) == gap, report.format()
    assert {frozenset(f.rules) for f in report.of_kind("table_overlap")} == overlaps
    dead = {i + 1 for i in range(len(table_.rules))} - {i + 1 for i in matched}
    masked = {i + 1 for i in matched - chosen}
    assert {f.rules[0] for f in report.of_kind("dead_row")} == dead, report.format()
    assert {f.rules[0] for f in report.of_kind("masked")} == masked, report.format()
    for finding in report.of_kind("table_gap", "table_overlap", "masked"):
        assert finding.region is not None
        assert finding.region.contains(finding.example)  # type: ignore[arg-type]
    # every gap state brute force finds lies in a gap region, and no covered state does
    regions = [f.region for f in report.of_kind("table_gap") if f.region is not None]
    for state in states:
        inside = any(r.contains(conversion.state(state)) for r in regions)
        assert inside == (not oracle.matching(table_, state) and table_.default is None)

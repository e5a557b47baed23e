"""gistpath.dmn.inputs: the input data of a DMN model become inputs, their types and
domains from item definitions (allowed values) or from the tables that test them."""

from __future__ import annotations

import math

from tests.dmn_documents import AGE, load, model, rule, table

from gistpath import dmn


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

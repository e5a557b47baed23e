"""gistpath.dmn.reader: every DMN version's namespace, the DMN elements with their lines,
what is not imported refused with id and line; the XML tree it reads through is tested in
test_dmn_xmltree."""

from __future__ import annotations

from pathlib import Path

import pytest

from gistpath import dmn
from gistpath.dmn.values import NAMESPACES

TABLE = """<decision id="d1" name="Band">
  <decisionTable id="t1" hitPolicy="FIRST">
    <input id="i1"><inputExpression typeRef="{number}"><text>Age</text></inputExpression></input>
    <output id="o1" name="Band" typeRef="{string}"/>
    <rule id="r1">
      <inputEntry id="e1"><text>&lt; 18</text></inputEntry>
      <outputEntry id="e2"><text>"young"</text></outputEntry>
    </rule>
    <rule id="r2">
      <description>everyone else</description>
      <inputEntry id="e3"><text>-</text></inputEntry>
      <outputEntry id="e4"><text>"adult"</text></outputEntry>
    </rule>
  </decisionTable>
</decision>
"""


def document(namespace: str, body: str = "", prolog: str = "") -> str:
    feel = "feel:" if namespace.endswith("dmn.xsd") else ""  # DMN 1.1 wrote QNames
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f'<definitions xmlns="{namespace}" xmlns:feel="http://www.omg.org/spec/FEEL/20140401" '
        'id="defs" name="Bands" namespace="https://example.org/bands">\n'
        + (body or TABLE.format(number=f"{feel}number", string=f"{feel}string"))
        + f'<inputData id="age" name="Age"><variable name="Age" typeRef="{feel}number"/>'
        "</inputData>\n</definitions>\n"
    )


@pytest.mark.parametrize("namespace", sorted(NAMESPACES))
def test_every_version_is_read(namespace: str) -> None:
    definitions = dmn.read_bytes(document(namespace).encode(), "bands.dmn")
    assert definitions.version == NAMESPACES[namespace]
    (decision,) = definitions.decisions
    assert decision.place.line == 3
    table = decision.table
    assert table.hit_policy == "FIRST"
    assert [r.number for r in table.rules] == [1, 2]
    assert table.rules[0].place.line == 7
    assert table.rules[0].inputs[0].text == "< 18"
    assert table.rules[0].inputs[0].place.id == "e1"
    assert table.rules[1].annotations == ("everyone else",)  # DMN 1.1's rule description
    assert definitions.inputs[0].type_ref == "number"
    rs = dmn.loads(document(namespace), "bands.dmn")
    assert rs.evaluate({"age": 5}).values["band"] == "young"


def test_the_file_is_read_through_the_safe_tree() -> None:
    # what is refused and why is tested in test_dmn_xmltree; here only that read_bytes uses it
    prolog = '<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    text = document(next(iter(NAMESPACES)), prolog=prolog)
    with pytest.raises(dmn.DmnError, match=r"x\.dmn:2: a document type declaration"):
        dmn.read_bytes(text.encode(), "x.dmn")
    with pytest.raises(dmn.DmnError, match=r"x\.dmn:2: not well-formed XML"):
        dmn.read_bytes(b"<definitions>\n<oops></definitions>", "x.dmn")


def test_not_dmn() -> None:
    with pytest.raises(dmn.DmnError, match="not a DMN model: the root element is 'html'"):
        dmn.read_bytes(b"<html/>", "x.dmn")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('<businessKnowledgeModel id="b1" name="B"/>', "business knowledge models"),
        ('<decisionService id="s1" name="S"/>', "decision services"),
        ('<import namespace="x" importType="y"/>', "imports of other models"),
        (
            '<decision id="d2" name="D"><context id="c1"/></decision>',
            "the logic of decision 'D' is a 'context'",
        ),
        (
            '<decision id="d3" name="D"><knowledgeRequirement id="k1"/></decision>',
            "invokes a business knowledge model",
        ),
        (
            '<decision id="d4" name="D"><decisionTable id="t4" hitPolicy="ALL"/></decision>',
            "hit policy 'ALL' is not one DMN defines",
        ),
        (
            '<decision id="d5" name="D"><decisionTable id="t5" hitPolicy="FIRST" '
            'aggregation="SUM"/></decision>',
            "an aggregation is allowed with hit policy COLLECT, not FIRST",
        ),
    ],
)
def test_what_is_not_imported_is_refused_with_id_and_line(body: str, words: str) -> None:
    text = document(next(iter(NAMESPACES)), body="\n" + body + "\n")
    with pytest.raises(dmn.DmnError) as caught:
        dmn.read_bytes(text.encode(), "x.dmn")
    error = caught.value
    assert words in str(error)
    assert error.line == 4
    assert error.element_id is None or f'id="{error.element_id}"' in body


def test_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(dmn.DmnError, match="cannot read the file"):
        dmn.read(tmp_path / "missing.dmn")

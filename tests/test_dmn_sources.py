"""gistpath.dmn.sources: knowledge sources become sources, authority requirements the
citations of a table, and both travel back out through to-dmn."""

from __future__ import annotations

import pytest
from tests.dmn_documents import AGE, load, model, rule, table

from gistpath import dmn

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

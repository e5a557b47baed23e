"""gistpath.dmn.xmltree: the XML read into elements with their lines and columns, and
nothing read from outside the file (no DTD, no entity, no external reference)."""

from __future__ import annotations

import pytest

from gistpath.dmn.values import EXTENSION, DmnError
from gistpath.dmn.xmltree import parse_tree

DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
    '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs">\n'
    "{body}</definitions>\n"
)


def document(body: str = "", prolog: str = "") -> bytes:
    return DOCUMENT.format(prolog=prolog, body=body).encode()


def test_elements_keep_namespace_line_column_and_text() -> None:
    root = parse_tree(
        document(
            f'  <decision id="d1" xmlns:g="{EXTENSION}" g:kind="rule">a<text>x</text>b</decision>\n'
        ),
        "x.dmn",
    )
    assert (root.tag, root.line, root.column) == ("definitions", 2, 1)
    assert root.namespace == "https://www.omg.org/spec/DMN/20191111/MODEL/"
    (decision,) = root.kids("decision")
    assert (decision.line, decision.column) == (3, 3)
    assert decision.attributes == {"id": "d1", "gistpath:kind": "rule"}
    assert decision.text == "ab"
    text = decision.kid("text")
    assert text is not None
    assert text.text == "x"
    assert decision.kid("nothing") is None


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
        '<!DOCTYPE definitions [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n',
        '<!DOCTYPE definitions SYSTEM "http://example.org/dmn.dtd">\n',
    ],
)
def test_a_document_type_declaration_is_refused(prolog: str) -> None:
    with pytest.raises(DmnError, match=r"x\.dmn:2: a document type declaration"):
        parse_tree(document(prolog=prolog), "x.dmn")


def test_an_entity_reference_without_declaration_is_bad_xml() -> None:
    with pytest.raises(DmnError, match="not well-formed XML: undefined entity"):
        parse_tree(document(body="<decision id='d' name='&xxe;'/>"), "x.dmn")


def test_bad_xml_says_where() -> None:
    with pytest.raises(DmnError, match=r"x\.dmn:2: not well-formed XML") as caught:
        parse_tree(b"<definitions>\n<oops></definitions>", "x.dmn")
    assert caught.value.line == 2

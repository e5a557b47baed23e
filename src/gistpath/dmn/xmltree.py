"""The XML of a DMN file as a tree of :class:`Element`, read safely.

Design: the file is parsed once with the standard library's expat parser, driven by hand so
that each element keeps the line and column where its start tag stands. Nothing outside the
file is ever read: a document type declaration (and with it every entity declaration, the
door to external entities and to "billion laughs" expansion) is refused before it can take
effect, and expat is told never to parse parameter entities. ``defusedxml`` would add nothing
that these lines do not already do.

Limits: the file must be UTF-8, UTF-16 or declare an encoding expat knows; the whole tree is
held in memory.
"""

from __future__ import annotations

from xml.parsers import expat

import attrs

from gistpath.dmn.values import EXTENSION, DmnError


@attrs.define
class Element:
    """An XML element with its namespace, attributes (extension ones as ``gistpath:name``),
    children, text and the line and column of its start tag."""

    namespace: str
    tag: str
    attributes: dict[str, str]
    line: int
    column: int
    children: list[Element] = attrs.Factory(list)
    text_parts: list[str] = attrs.Factory(list)

    @property
    def text(self) -> str:
        """The element's text, its parts joined."""
        return "".join(self.text_parts)

    def kids(self, tag: str) -> list[Element]:
        """The children of the tag ``tag``, in order."""
        return [c for c in self.children if c.tag == tag]

    def kid(self, tag: str) -> Element | None:
        """The first child of the tag ``tag``, if any."""
        found = self.kids(tag)
        return found[0] if found else None


def _split(name: str) -> tuple[str, str]:
    """An expat name ``namespace local`` as (namespace, local name)."""
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def parse_tree(data: bytes, filename: str) -> Element:
    """The element tree of ``data``; no DTD, no entity, nothing outside the file."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    root: list[Element] = []

    def refuse_doctype(*_: object) -> None:
        raise DmnError(
            "a document type declaration (<!DOCTYPE ...>) is not allowed in a DMN file",
            filename=filename,
            line=parser.CurrentLineNumber,
        )

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, tag = _split(name)
        plain = {}
        for key, value in attributes.items():
            space, local = _split(key)
            plain[f"gistpath:{local}" if space == EXTENSION else local] = value
        element = Element(
            namespace, tag, plain, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        )
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(_: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].text_parts.append(data)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.ExternalEntityRefHandler = refuse_doctype  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise DmnError(
            f"not well-formed XML: {expat.ErrorString(error.code)} (column {error.offset + 1})",
            filename=filename,
            line=error.lineno,
        ) from None
    return root[0]

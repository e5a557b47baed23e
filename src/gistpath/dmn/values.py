"""What a DMN file is read into: small frozen values, each with the place it was read from,
and the :class:`DmnError` that names a place.

Design: texts (FEEL, names, descriptions) are kept as written, each as a :class:`Text` with
its :class:`Place` (file, line, element and ``id``), so every later error can point at the
element it is about. :data:`NAMESPACES` lists the DMN versions read, :data:`EXTENSION` the
namespace of what gistpath writes beyond DMN.

Limits: the values hold what gistpath reads (see :mod:`gistpath.dmn.reader`), not every
element DMN has.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from gistpath.errors import GistpathError

#: The model namespace of each DMN version gistpath reads.
NAMESPACES: dict[str, str] = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
    "https://www.omg.org/spec/DMN/20211108/MODEL/": "1.4",
    "https://www.omg.org/spec/DMN/20230324/MODEL/": "1.5",
}

#: gistpath's extension namespace: attributes and elements that carry what DMN has no
#: element for (see :mod:`gistpath.dmn.exporter`). Read back under the prefix ``gistpath:``.
EXTENSION = "https://gistpath.invalid/dmn-extension/1"


class DmnError(GistpathError):
    """A DMN file cannot be read, or says something gistpath cannot express.

    ``filename``, ``line`` and ``element_id`` say where (``element_id`` is ``None`` for an
    element without an ``id``).
    """

    def __init__(
        self, message: str, *, filename: str, line: int, element_id: str | None = None
    ) -> None:
        self.filename = filename
        self.line = line
        self.element_id = element_id
        self.reason = message
        where = f"{filename}:{line}"
        if element_id:
            where += f": element '{element_id}'"
        super().__init__(f"{where}: {message}")


@attrs.frozen
class Place:
    """Where an element stands: the file, its start tag's line, its tag and its id."""

    filename: str
    line: int
    tag: str
    id: str | None

    def error(self, message: str) -> DmnError:
        return DmnError(message, filename=self.filename, line=self.line, element_id=self.id)


@attrs.frozen
class Text:
    """The text of a ``<text>`` (or ``<typeRef>``) element and where it stands."""

    text: str
    place: Place


@attrs.frozen
class ItemDefinition:
    name: str
    type_ref: str | None
    allowed: Text | None
    components: tuple[str, ...]
    is_collection: bool
    place: Place


@attrs.frozen
class InputData:
    id: str
    name: str
    label: str | None
    type_ref: str | None
    place: Place
    description: str | None = None
    extension: Mapping[str, str] = attrs.field(factory=dict)  # gistpath: attributes


@attrs.frozen
class KnowledgeSource:
    """A ``knowledgeSource``: a book, guideline or policy the decisions rest on."""

    id: str
    name: str
    label: str | None
    description: str | None
    location: str | None  # locationURI
    type: str | None
    owner: str | None  # the id its owner reference points at
    requires: tuple[str, ...]  # ids of the elements its authority requirements name
    place: Place
    extension: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Authority:
    """A decision's ``authorityRequirement`` on a knowledge source (or on another element)."""

    href: str  # the id it names
    kind: str  # requiredAuthority, requiredInput or requiredDecision
    section: str | None  # the requirement's description: the section cited
    place: Place


@attrs.frozen
class Documented:
    """A gistpath pathway or consideration described in a decision's extension elements."""

    kind: str  # "pathway" or "consideration"
    name: str
    title: str
    summary: str | None
    note: str | None
    citations: tuple[tuple[str, str | None], ...]  # (source name, section)
    place: Place


@attrs.frozen
class InputClause:
    expression: Text
    type_ref: str | None
    label: str | None
    allowed: Text | None
    place: Place


@attrs.frozen
class OutputClause:
    name: str | None
    label: str | None
    type_ref: str | None
    allowed: Text | None
    default: Text | None
    place: Place


@attrs.frozen
class Rule:
    """One rule of a table; ``number`` is its 1-based place, as DMN tools show it."""

    number: int
    inputs: tuple[Text, ...]
    outputs: tuple[Text, ...]
    annotations: tuple[str, ...]
    place: Place


@attrs.frozen
class DecisionTable:
    hit_policy: str  # UNIQUE, ANY, PRIORITY, FIRST, RULE ORDER, OUTPUT ORDER, COLLECT
    aggregation: str | None  # SUM, MIN, MAX, COUNT (COLLECT only)
    inputs: tuple[InputClause, ...]
    outputs: tuple[OutputClause, ...]
    annotations: tuple[str, ...]  # the names of the annotation columns (DMN 1.2+)
    rules: tuple[Rule, ...]
    output_label: str | None
    place: Place


@attrs.frozen
class Decision:
    id: str
    name: str
    label: str | None
    type_ref: str | None
    description: str | None
    required_inputs: tuple[str, ...]  # ids of input data
    required_decisions: tuple[str, ...]  # ids of decisions
    table: DecisionTable
    place: Place
    authorities: tuple[Authority, ...] = ()
    extension: Mapping[str, str] = attrs.field(factory=dict)  # gistpath: attributes
    documented: tuple[Documented, ...] = ()  # gistpath pathways or considerations


@attrs.frozen
class Definitions:
    name: str
    namespace: str
    version: str  # "1.1" .. "1.5"
    description: str | None
    item_definitions: tuple[ItemDefinition, ...]
    inputs: tuple[InputData, ...]
    decisions: tuple[Decision, ...]
    filename: str
    sources: tuple[KnowledgeSource, ...] = ()
    label: str | None = None
    extension: Mapping[str, str] = attrs.field(factory=dict)

"""Reading DMN 1.1-1.5 XML into small frozen values, every element with its line.

Design: the file is parsed once with the standard library's expat parser, driven by hand so
that each element keeps the line and column where its start tag stands. Nothing outside the
file is ever read: a document type declaration (and with it every entity declaration, the
door to external entities and to "billion laughs" expansion) is refused before it can take
effect, and expat is told never to parse parameter entities. ``defusedxml`` would add nothing
that these three lines do not already do.

The elements are then read into :class:`Definitions`: item definitions, input data,
decisions (with their information requirements) and decision tables, in the namespace of
any DMN version from 1.1 (``20151101``) to 1.5 (``20230324``). Texts are kept as written
(FEEL is read by :mod:`gistpath.dmn.feel`); a decision whose logic is not a decision table,
a business knowledge model, a decision service or an import is refused with a
:class:`DmnError` that names the element, its ``id`` and its line, never skipped.

Knowledge sources are read (name, label, description, ``locationURI``, ``type``, ``owner``
and the authorities they draw on), and so is each decision's ``authorityRequirement`` on
them (its description, where given, is the section cited). Attributes in gistpath's
extension namespace (:data:`EXTENSION`, written by :mod:`gistpath.dmn.exporter`) are kept
under the prefix ``gistpath:``, and so are the ``pathway`` and ``consideration`` elements
of that namespace in a decision's ``extensionElements``: what DMN has no element for
(a decision's role as a gistpath let, constraint, pathway or considerations; units; whole
numbers; pathways' summaries and citations).

Limits: diagrams (DMNDI), other extension elements, text annotations, associations and
groups are documentation for people and are not read; the file must be UTF-8, UTF-16 or
declare an encoding expat knows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from xml.parsers import expat

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

#: Children of ``definitions`` that only document the model for people.
_DOCUMENTATION = frozenset(
    {
        "description",
        "extensionElements",
        "textAnnotation",
        "association",
        "group",
        "DMNDI",
        "elementCollection",
    }
)
#: Children of ``decision`` that only document it.
_DECISION_DOCUMENTATION = frozenset(
    {
        "description",
        "extensionElements",
        "question",
        "allowedAnswers",
        "supportedObjective",
        "impactedPerformanceIndicator",
        "decisionMaker",
        "decisionOwner",
        "usingProcess",
        "usingTask",
    }
)


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


# --------------------------------------------------------------------------- the XML tree


@attrs.define
class _Element:
    namespace: str
    tag: str
    attributes: dict[str, str]
    line: int
    column: int
    children: list[_Element] = attrs.Factory(list)
    text_parts: list[str] = attrs.Factory(list)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def kids(self, tag: str) -> list[_Element]:
        return [c for c in self.children if c.tag == tag]

    def kid(self, tag: str) -> _Element | None:
        found = self.kids(tag)
        return found[0] if found else None


def _split(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def parse_tree(data: bytes, filename: str) -> _Element:
    """The element tree of ``data``; no DTD, no entity, nothing outside the file."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    root: list[_Element] = []

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
        element = _Element(
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


# --------------------------------------------------------------------------- DMN elements


class _Reader:
    def __init__(self, root: _Element, filename: str) -> None:
        self.filename = filename
        self.root = root
        if root.tag != "definitions" or root.namespace not in NAMESPACES:
            known = ", ".join(f"{v} ({k})" for k, v in NAMESPACES.items())
            raise self.place(root).error(
                f"not a DMN model: the root element is '{root.tag}' in namespace "
                f"'{root.namespace or '(none)'}'; expected 'definitions' in the namespace "
                f"of DMN {known}"
            )
        self.namespace = root.namespace

    def place(self, element: _Element) -> Place:
        return Place(self.filename, element.line, element.tag, element.attributes.get("id"))

    def text(self, element: _Element | None, child: str = "text") -> Text | None:
        if element is None:
            return None
        found = element.kid(child)
        if found is None:
            return None
        # a <text> has no id: the element around it (or its caller) names it
        place = attrs.evolve(self.place(found), id=element.attributes.get("id"))
        return Text(found.text.strip(), place)

    def _check_namespace(self, element: _Element) -> None:
        if element.namespace != self.namespace and element.tag not in _DOCUMENTATION:
            raise self.place(element).error(
                f"element '{element.tag}' is in namespace '{element.namespace}', not the "
                f"model's '{self.namespace}'"
            )

    def read(self) -> Definitions:
        """The ``definitions`` element as :class:`Definitions`: item definitions, input data,
        decisions and knowledge sources; other elements (business knowledge models,
        decision services, imports) are refused with their place."""
        items: list[ItemDefinition] = []
        inputs: list[InputData] = []
        decisions: list[_Element] = []
        sources: list[KnowledgeSource] = []
        for element in self.root.children:
            tag = element.tag
            if tag in _DOCUMENTATION:
                continue
            self._check_namespace(element)
            if tag == "itemDefinition":
                items.append(self.item_definition(element))
            elif tag == "inputData":
                inputs.append(self.input_data(element))
            elif tag == "decision":
                decisions.append(element)
            elif tag == "knowledgeSource":
                sources.append(self.knowledge_source(element))
            elif tag == "businessKnowledgeModel":
                raise self.place(element).error(
                    "business knowledge models (reusable logic invoked by decisions) are "
                    "beyond what gistpath imports; put the table in the decision itself"
                )
            elif tag == "decisionService":
                raise self.place(element).error("decision services are not imported by gistpath")
            elif tag == "import":
                raise self.place(element).error(
                    "imports of other models are not followed; give gistpath one "
                    "self-contained model"
                )
            else:
                raise self.place(element).error(f"element '{tag}' is not read by gistpath")
        description = self.root.kid("description")
        return Definitions(
            name=self.root.attributes.get("name", ""),
            namespace=self.root.attributes.get("namespace", ""),
            version=NAMESPACES[self.namespace],
            description=description.text.strip() if description is not None else None,
            item_definitions=tuple(items),
            inputs=tuple(inputs),
            decisions=tuple(self.decision(d) for d in decisions),
            filename=self.filename,
            sources=tuple(sources),
            label=self.root.attributes.get("label"),
            extension=_extension(self.root),
        )

    def knowledge_source(self, element: _Element) -> KnowledgeSource:
        ident = element.attributes.get("id")
        if not ident:
            raise self.place(element).error("this knowledge source has no id")
        description = element.kid("description")
        kind = element.kid("type")
        owner = element.kid("owner")
        requires = []
        for requirement in element.kids("authorityRequirement"):
            for target in requirement.children:
                if target.tag in ("requiredAuthority", "requiredInput", "requiredDecision"):
                    requires.append(self._href(target))
        return KnowledgeSource(
            id=ident,
            name=self._name(element),
            label=element.attributes.get("label"),
            description=description.text.strip() if description is not None else None,
            location=element.attributes.get("locationURI"),
            type=kind.text.strip() if kind is not None and kind.text.strip() else None,
            owner=self._href(owner) if owner is not None else None,
            requires=tuple(requires),
            place=self.place(element),
            extension=_extension(element),
        )

    def _name(self, element: _Element) -> str:
        name = element.attributes.get("name")
        if not name or not name.strip():
            raise self.place(element).error(f"this '{element.tag}' has no name")
        return name

    def _type_ref(self, element: _Element) -> str | None:
        """``typeRef`` as an attribute (1.2+) or a child element (1.1), prefix dropped."""
        value = element.attributes.get("typeRef")
        if value is None:
            child = element.kid("typeRef")
            value = child.text.strip() if child is not None else None
        if value is None:
            return None
        return value.split(":", 1)[1] if value.startswith(("feel:", "FEEL:")) else value

    def item_definition(self, element: _Element) -> ItemDefinition:
        components = tuple(self._name(c) for c in element.kids("itemComponent"))
        for tag in ("functionItem",):
            if element.kid(tag) is not None:
                raise self.place(element).error("function types are not imported by gistpath")
        return ItemDefinition(
            name=self._name(element),
            type_ref=self._type_ref(element),
            allowed=self.text(element.kid("allowedValues")),
            components=components,
            is_collection=element.attributes.get("isCollection", "false") == "true",
            place=self.place(element),
        )

    def input_data(self, element: _Element) -> InputData:
        variable = element.kid("variable")
        type_ref = self._type_ref(variable) if variable is not None else None
        ident = element.attributes.get("id")
        if not ident:
            raise self.place(element).error("this input data has no id")
        description = element.kid("description")
        return InputData(
            ident,
            self._name(element),
            element.attributes.get("label"),
            type_ref,
            self.place(element),
            description.text.strip() if description is not None else None,
            _extension(element),
        )

    def _href(self, element: _Element) -> str:
        href = element.attributes.get("href", "")
        if not href.startswith("#"):
            raise self.place(element).error(
                f"the reference '{href}' points outside this file; only '#id' references "
                "are followed"
            )
        return href[1:]

    def decision(self, element: _Element) -> Decision:
        """A ``decision`` element: its requirements, authorities, documentation, extension
        details and the one decision table it must hold."""
        required_inputs: list[str] = []
        required_decisions: list[str] = []
        authorities: list[Authority] = []
        table: _Element | None = None
        for child in element.children:
            tag = child.tag
            if tag in _DECISION_DOCUMENTATION or tag == "variable":
                continue
            if tag == "authorityRequirement":
                note = child.kid("description")
                for target in child.children:
                    if target.tag in ("requiredAuthority", "requiredInput", "requiredDecision"):
                        authorities.append(
                            Authority(
                                self._href(target),
                                target.tag,
                                note.text.strip() if note is not None and note.text.strip()
                                else None,
                                self.place(child),
                            )
                        )  # fmt: skip
                continue
            if tag == "informationRequirement":
                for requirement in child.children:
                    if requirement.tag == "requiredInput":
                        required_inputs.append(self._href(requirement))
                    elif requirement.tag == "requiredDecision":
                        required_decisions.append(self._href(requirement))
            elif tag == "knowledgeRequirement":
                raise self.place(child).error(
                    "this decision invokes a business knowledge model, which gistpath does "
                    "not import"
                )
            elif tag == "decisionTable":
                table = child
            else:
                where = self.place(child)
                if where.id is None:  # name the decision, whose id the reader can find
                    where = attrs.evolve(where, id=element.attributes.get("id"))
                raise where.error(
                    f"the logic of decision '{element.attributes.get('name', '')}' is a "
                    f"'{tag}'; gistpath imports decision tables with S-FEEL entries only"
                )
        if table is None:
            raise self.place(element).error(
                f"decision '{element.attributes.get('name', '')}' has no decision table"
            )
        variable = element.kid("variable")
        description = element.kid("description")
        ident = element.attributes.get("id")
        if not ident:
            raise self.place(element).error("this decision has no id")
        return Decision(
            id=ident,
            name=self._name(element),
            label=element.attributes.get("label"),
            type_ref=self._type_ref(variable) if variable is not None else None,
            description=description.text.strip() if description is not None else None,
            required_inputs=tuple(required_inputs),
            required_decisions=tuple(required_decisions),
            table=self.decision_table(table),
            place=self.place(element),
            authorities=tuple(authorities),
            extension=_extension(element),
            documented=self.documented(element),
        )

    def documented(self, element: _Element) -> tuple[Documented, ...]:
        """The gistpath pathways and considerations in a decision's extension elements."""
        found = element.kid("extensionElements")
        if found is None:
            return ()
        out = []
        for child in found.children:
            if child.namespace != EXTENSION or child.tag not in ("pathway", "consideration"):
                continue
            place = self.place(child)
            name = child.attributes.get("name")
            if not name:
                raise place.error(f"this gistpath {child.tag} has no name")
            citations = tuple(
                (c.attributes.get("source", ""), c.attributes.get("section"))
                for c in child.kids("cites")
                if c.namespace == EXTENSION
            )
            out.append(
                Documented(
                    child.tag,
                    name,
                    child.attributes.get("title") or name,
                    child.attributes.get("summary"),
                    child.attributes.get("note"),
                    citations,
                    place,
                )
            )
        return tuple(out)

    def decision_table(self, element: _Element) -> DecisionTable:
        """A ``decisionTable`` element: hit policy and aggregation, input and output clauses,
        rules and annotations, each entry's text with its place."""
        place = self.place(element)
        hit = element.attributes.get("hitPolicy", "UNIQUE")
        if hit not in (
            "UNIQUE",
            "ANY",
            "PRIORITY",
            "FIRST",
            "RULE ORDER",
            "OUTPUT ORDER",
            "COLLECT",
        ):
            raise place.error(f"hit policy '{hit}' is not one DMN defines")
        aggregation = element.attributes.get("aggregation")
        if aggregation is not None and aggregation not in ("SUM", "MIN", "MAX", "COUNT"):
            raise place.error(f"aggregation '{aggregation}' is not one DMN defines")
        if aggregation is not None and hit != "COLLECT":
            raise place.error(f"an aggregation is allowed with hit policy COLLECT, not {hit}")
        orientation = element.attributes.get("preferredOrientation", "Rule-as-Row")
        if orientation == "CrossTable":
            raise place.error("crosstab decision tables are not imported by gistpath")
        inputs = []
        for clause in element.kids("input"):
            expression = clause.kid("inputExpression")
            if expression is None:
                raise self.place(clause).error("this input clause has no input expression")
            text = self.text(expression)
            if text is None:
                raise self.place(expression).error("this input expression has no text")
            inputs.append(
                InputClause(
                    expression=text,
                    type_ref=self._type_ref(expression),
                    label=clause.attributes.get("label"),
                    allowed=self.text(clause.kid("inputValues")),
                    place=self.place(clause),
                )
            )
        outputs = [
            OutputClause(
                name=clause.attributes.get("name"),
                label=clause.attributes.get("label"),
                type_ref=self._type_ref(clause),
                allowed=self.text(clause.kid("outputValues")),
                default=self.text(clause.kid("defaultOutputEntry")),
                place=self.place(clause),
            )
            for clause in element.kids("output")
        ]
        if not outputs:
            raise place.error("this decision table has no output column")
        annotations = tuple(
            clause.attributes.get("name", f"annotation {i + 1}")
            for i, clause in enumerate(element.kids("annotation"))
        )
        rules = []
        for number, rule in enumerate(element.kids("rule"), start=1):
            rule_id = rule.attributes.get("id")
            entries = [self._entry(e, rule_id) for e in rule.kids("inputEntry")]
            results = [self._entry(e, rule_id) for e in rule.kids("outputEntry")]
            if len(entries) != len(inputs) or len(results) != len(outputs):
                raise self.place(rule).error(
                    f"rule {number} has {len(entries)} input and {len(results)} output "
                    f"entries; the table has {len(inputs)} inputs and {len(outputs)} outputs"
                )
            notes = [
                (found.text if (found := self.text(a)) else "")
                for a in rule.kids("annotationEntry")
            ]
            description = rule.kid("description")  # DMN 1.1 keeps the annotation here
            if description is not None and description.text.strip():
                notes.insert(0, description.text.strip())
            rules.append(
                Rule(number, tuple(entries), tuple(results), tuple(notes), self.place(rule))
            )
        return DecisionTable(
            hit_policy=hit,
            aggregation=aggregation,
            inputs=tuple(inputs),
            outputs=tuple(outputs),
            annotations=annotations,
            rules=tuple(rules),
            output_label=element.attributes.get("outputLabel"),
            place=place,
        )

    def _entry(self, element: _Element, rule_id: str | None) -> Text:
        text = self.text(element)
        if text is None:
            raise self.place(element).error("this entry has no text")
        if text.place.id is None:
            text = attrs.evolve(text, place=attrs.evolve(text.place, id=rule_id))
        language = element.attributes.get("expressionLanguage")
        if language is not None and "FEEL" not in language.upper():
            raise self.place(element).error(
                f"this entry is written in '{language}'; gistpath reads S-FEEL only"
            )
        return text


def _extension(element: _Element) -> dict[str, str]:
    """The element's attributes in gistpath's extension namespace, without the prefix."""
    prefix = "gistpath:"
    return {k[len(prefix) :]: v for k, v in element.attributes.items() if k.startswith(prefix)}


def read_bytes(data: bytes, filename: str = "<dmn>") -> Definitions:
    """The DMN model in ``data`` (the bytes of a ``.dmn`` file)."""
    return _Reader(parse_tree(data, filename), filename).read()


def read(path: str | os.PathLike[str]) -> Definitions:
    """The DMN model in the file at ``path``."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DmnError(
            f"cannot read the file: {error.strerror}", filename=str(path), line=0
        ) from None
    return read_bytes(data, str(path))

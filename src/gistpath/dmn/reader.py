"""Reading DMN 1.1-1.5 XML into small frozen values, every element with its line.

Design: the file is parsed once, safely, into a tree of elements with their lines
(:mod:`gistpath.dmn.xmltree`: no DTD, no entity, nothing outside the file). The elements are
then read into :class:`Definitions`: item definitions, input data,
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
from pathlib import Path

import attrs

from gistpath.dmn.values import (
    EXTENSION,
    NAMESPACES,
    Authority,
    Decision,
    DecisionTable,
    Definitions,
    DmnError,
    Documented,
    InputClause,
    InputData,
    ItemDefinition,
    KnowledgeSource,
    OutputClause,
    Place,
    Rule,
    Text,
)
from gistpath.dmn.xmltree import Element, parse_tree

__all__ = ["Definitions", "DmnError", "read", "read_bytes"]

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


class _Reader:
    """Reads the element tree of one file into :class:`~gistpath.dmn.values.Definitions`."""

    def __init__(self, root: Element, filename: str) -> None:
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

    def place(self, element: Element) -> Place:
        return Place(self.filename, element.line, element.tag, element.attributes.get("id"))

    def text(self, element: Element | None, child: str = "text") -> Text | None:
        if element is None:
            return None
        found = element.kid(child)
        if found is None:
            return None
        # a <text> has no id: the element around it (or its caller) names it
        place = attrs.evolve(self.place(found), id=element.attributes.get("id"))
        return Text(found.text.strip(), place)

    def _check_namespace(self, element: Element) -> None:
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
        decisions: list[Element] = []
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

    def knowledge_source(self, element: Element) -> KnowledgeSource:
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

    def _name(self, element: Element) -> str:
        name = element.attributes.get("name")
        if not name or not name.strip():
            raise self.place(element).error(f"this '{element.tag}' has no name")
        return name

    def _type_ref(self, element: Element) -> str | None:
        """``typeRef`` as an attribute (1.2+) or a child element (1.1), prefix dropped."""
        value = element.attributes.get("typeRef")
        if value is None:
            child = element.kid("typeRef")
            value = child.text.strip() if child is not None else None
        if value is None:
            return None
        return value.split(":", 1)[1] if value.startswith(("feel:", "FEEL:")) else value

    def item_definition(self, element: Element) -> ItemDefinition:
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

    def input_data(self, element: Element) -> InputData:
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

    def _href(self, element: Element) -> str:
        href = element.attributes.get("href", "")
        if not href.startswith("#"):
            raise self.place(element).error(
                f"the reference '{href}' points outside this file; only '#id' references "
                "are followed"
            )
        return href[1:]

    def decision(self, element: Element) -> Decision:
        """A ``decision`` element: its requirements, authorities, documentation, extension
        details and the one decision table it must hold."""
        required_inputs: list[str] = []
        required_decisions: list[str] = []
        authorities: list[Authority] = []
        table: Element | None = None
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

    def documented(self, element: Element) -> tuple[Documented, ...]:
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

    def decision_table(self, element: Element) -> DecisionTable:
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

    def _entry(self, element: Element, rule_id: str | None) -> Text:
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


def _extension(element: Element) -> dict[str, str]:
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

"""A rule set → DMN 1.4 XML (``gistpath to-dmn``): the whole decision, in plain DMN.

Design: every part of a rule set that decides something becomes a DMN decision that any
DMN engine evaluates, named by its gistpath name and labelled by its title, reading what
it reads through information requirements:

* each input becomes input data (a choice a ``string`` with its values allowed, a number a
  ``number`` with its range allowed, a boolean a ``boolean``); ``unknown`` is FEEL's
  ``null``, listed among the allowed values of an input that allows it;
* each table becomes a decision table of the same hit policy (``unique``, ``first``,
  ``any``, ``priority`` → UNIQUE, FIRST, ANY, PRIORITY), one DMN rule per row in order,
  its ``values`` the output values (for PRIORITY, the priority order), its ``default`` the
  default output entry, its annotation columns annotations; a row whose value is another
  table's is the output entry naming that decision;
* each ``let`` becomes a decision table of one boolean output (true where the let holds,
  default false) over the names its condition reads (:mod:`gistpath.dmn.rows`); each
  ``constraint`` likewise (true where it holds), and the decision ``broken constraints``
  (COLLECT) lists the constraints a state breaks;
* the rules become the decision ``pathway`` (UNIQUE; an annotation column ``rule`` names
  the rule of each DMN rule), the considerations the decision ``considerations`` (COLLECT);
* the sources become knowledge sources, and each citation an authority requirement whose
  description is the section cited.

What DMN has no element for travels in gistpath's extension namespace
(:data:`gistpath.dmn.values.EXTENSION`, which the DMN schema lets every element carry):
each decision's role (``gistpath:role``), a table's value order, whole numbers and units,
the rule set's version, audience and note, a source's authors, publisher, date and note,
and each pathway's and consideration's title, summary, note and citations (extension
elements of the ``pathway`` and ``considerations`` decisions).
:func:`gistpath.dmn.load` reads them back, so the exported model decides every valid
state as the rule set does: the same pathway, considerations and table and let values.

The XML is written with :mod:`xml.etree.ElementTree` (no text is ever pasted into markup),
elements in the order the DMN 1.4 schema requires; tests/test_dmn_schema.py validates
exports against the OMG DMN 1.4 XSD.

Limits: examples and properties are checks of the rule file, not decisions, and are not
exported (a note on the definitions says so); ``when`` blocks and ``otherwise`` are folded
into each rule's condition. A DMN engine decides states the constraints exclude too (the
``broken constraints`` decision says which constraints such a state breaks); FEEL has no
whole numbers, so a DMN engine accepts fractions where gistpath refuses them. Refused with
:class:`ExportError`: a table cell that S-FEEL cannot write (``!=`` beside other
comparisons).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gistpath import ast
from gistpath.dmn.feel_text import ExportError, cell_entry, feel_number, feel_string
from gistpath.dmn.rows import RowSpace
from gistpath.dmn.values import EXTENSION
from gistpath.language import PATHWAY_NAME
from gistpath.model import (
    BooleanDomain,
    ChoiceDomain,
    Citation,
    Consideration,
    Input,
    NumericDomain,
    Pathway,
    Source,
    Table,
)

if TYPE_CHECKING:
    from gistpath import RuleSet
    from gistpath.dmn.conversion import Conversion, DecisionMap

NAMESPACE = "https://www.omg.org/spec/DMN/20211108/MODEL/"
FEEL = "https://www.omg.org/spec/DMN/20211108/FEEL/"
HIT = {"unique": "UNIQUE", "first": "FIRST", "any": "ANY", "priority": "PRIORITY"}

__all__ = ["FEEL", "HIT", "NAMESPACE", "ExportError", "export", "ruleset_header"]


_string = feel_string
_number = feel_number
_NULL = "null"


class _Exporter:
    """Writes one rule set as a DMN ``definitions`` tree. Its methods, in order: XML helpers,
    the item definition of each input (its allowed values), :meth:`run` (the whole model),
    then one method per kind of element it writes (sources, requirements, decisions of
    lets and constraints, the pathway, considerations, tables, multiple-hit tables)."""

    def __init__(self, ruleset: RuleSet, conversion: Conversion | None = None) -> None:
        self.rs = ruleset
        self.model = ruleset.model
        #: multiple-hit tables of the DMN model the rule set was imported from
        self.multiple = [
            d for d in (conversion.decisions.values() if conversion else ()) if d.multiple
        ]
        ET.register_namespace("", NAMESPACE)
        ET.register_namespace("gistpath", EXTENSION)

    def q(self, tag: str) -> str:
        return f"{{{NAMESPACE}}}{tag}"

    def sub(self, parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
        return ET.SubElement(parent, self.q(tag), attributes)

    def text(self, parent: ET.Element, tag: str, text: str) -> ET.Element:
        element = self.sub(parent, tag)
        ET.SubElement(element, self.q("text")).text = text
        return element

    @staticmethod
    def mark(element: ET.Element, key: str, value: str) -> None:
        element.set(f"{{{EXTENSION}}}{key}", value)

    def item_definition(self, root: ET.Element, item: Input) -> str:
        """The type of ``item`` (an item definition's name, or a built-in type)."""
        domain = item.domain
        null = [_NULL] if domain.allows_unknown else []
        if isinstance(domain, BooleanDomain):
            if not domain.allows_unknown:
                return "boolean"
            return self._item(root, item.name, "boolean", "true, false, null")
        if isinstance(domain, NumericDomain):
            low, high = domain.low, domain.high
            if low is None and high is None:
                if not domain.allows_unknown:
                    return "number"
                return self._item(root, item.name, "number", "null, <= 0, > 0")
            if low is not None and high is not None:
                allowed = (
                    ("[" if low.inclusive else "]")
                    + f"{_number(low.value)}..{_number(high.value)}"
                    + ("]" if high.inclusive else "[")
                )
            elif low is not None:
                allowed = (">= " if low.inclusive else "> ") + _number(low.value)
            else:
                assert high is not None
                allowed = ("<= " if high.inclusive else "< ") + _number(high.value)
            return self._item(root, item.name, "number", ", ".join([allowed, *null]))
        assert isinstance(domain, ChoiceDomain)
        values = [_string(v) for v in domain.values] + null
        return self._item(root, item.name, "string", ", ".join(values))

    def _item(self, root: ET.Element, name: str, base: str, allowed: str) -> str:
        type_name = f"t_{name}"
        item = self.sub(root, "itemDefinition", id=type_name, name=type_name)
        ET.SubElement(item, self.q("typeRef")).text = base
        self.text(item, "allowedValues", allowed)
        return type_name

    def run(self) -> str:
        """The whole rule set as the text of one DMN 1.4 ``definitions`` document: item
        definitions and input data for the fields, a decision per let, table and
        constraint, the broken-constraints, ``pathway`` and ``considerations`` decisions,
        a knowledge source per source, and gistpath's own details in its extension
        namespace."""
        model = self.model
        root = ET.Element(
            self.q("definitions"),
            {
                "id": f"definitions_{model.name}",
                "name": model.name,
                "namespace": f"https://gistpath.invalid/rulesets/{model.name}",
                "expressionLanguage": FEEL,
                "typeLanguage": FEEL,
                "exporter": "gistpath",
            },
        )
        if model.title:
            root.set("label", model.title)
        header = ruleset_header(model.tree)
        for key in ("version", "audience", "note"):
            if header.get(key):
                self.mark(root, key, header[key])
        self.mark(
            root,
            "not-exported",
            f"{len(model.examples)} examples and {len(model.properties)} properties "
            "(checks of the rule file, not decisions)",
        )
        if model.summary:
            ET.SubElement(root, self.q("description")).text = model.summary
        types = {name: self.item_definition(root, item) for name, item in model.inputs.items()}
        in_tables = {let for found in self.multiple for let in found.rule_lets}
        for found in self.multiple:
            self.multiple_hit(root, found)
        for name in model.derived_order:
            if name in in_tables:
                continue  # a rule of a multiple-hit table, written with its table
            if name in model.lets:
                let = model.lets[name]
                self.boolean(root, name, let.title, let.condition, "let")
            else:
                self.decision(root, model.tables[name])
        for constraint in model.constraints:
            self.boolean(root, constraint.name, constraint.title, constraint.condition,
                         "constraint")  # fmt: skip
        if model.constraints:
            self.broken(root)
        if model.rules:
            self.pathway(root)
        if model.considerations:
            self.considerations(root)
        for name, item in model.inputs.items():
            data = self.sub(root, "inputData", id=f"input_{name}", name=name)
            if item.title:
                data.set("label", item.title)
            if isinstance(item.domain, NumericDomain):
                if item.domain.integer:
                    self.mark(data, "type", "integer")
                if item.domain.unit:
                    self.mark(data, "unit", item.domain.unit)
            if item.summary:
                ET.SubElement(data, self.q("description")).text = item.summary
            self.sub(data, "variable", id=f"input_{name}_variable", name=name, typeRef=types[name])
        for source in model.sources.values():
            self.source(root, source)
        ET.indent(root, space="  ")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode")
            + "\n"
        )

    def source(self, root: ET.Element, source: Source) -> None:
        element = self.sub(root, "knowledgeSource", id=f"source_{source.name}", name=source.name)
        element.set("label", source.title)
        if source.url:
            element.set("locationURI", source.url)
        details = (("authors", source.authors), ("publisher", source.publisher))
        for key, value in (*details, ("date", source.date)):
            if value:
                self.mark(element, key, value)
        self.mark(element, "note", source.note or "")
        about = [
            part
            for part in (
                source.title,
                f"Authors: {source.authors}" if source.authors else "",
                f"Publisher: {source.publisher}" if source.publisher else "",
                f"Date: {source.date}" if source.date else "",
                source.note or "",
            )
            if part
        ]
        description = ET.Element(self.q("description"))
        description.text = "\n".join(about)
        element.insert(0, description)

    def requirements(
        self, decision: ET.Element, ident: str, reads: list[str], citations: tuple[Citation, ...]
    ) -> None:
        """Information requirements on what ``reads`` names, authority ones on sources."""
        for column in dict.fromkeys(reads):
            requirement = self.sub(decision, "informationRequirement")
            requirement.set("id", f"{ident}_requires_{column}")
            if column in self.model.inputs:
                self.sub(requirement, "requiredInput", href=f"#input_{column}")
            elif column == PATHWAY_NAME:
                self.sub(requirement, "requiredDecision", href="#gistpath_pathway")
            else:
                self.sub(requirement, "requiredDecision", href=f"#decision_{column}")
        for number, citation in enumerate(citations, start=1):
            requirement = self.sub(decision, "authorityRequirement")
            requirement.set("id", f"{ident}_cites_{number}")
            if citation.section:
                ET.SubElement(requirement, self.q("description")).text = citation.section
            self.sub(requirement, "requiredAuthority", href=f"#source_{citation.source.name}")

    def head(
        self, root: ET.Element, ident: str, name: str, title: str | None, type_ref: str,
        description: str | None = None,
    ) -> ET.Element:  # fmt: skip
        decision = self.sub(root, "decision", id=ident, name=name)
        if title:
            decision.set("label", title)
        if description:
            ET.SubElement(decision, self.q("description")).text = description
        return decision

    def variable(self, decision: ET.Element, ident: str, name: str, type_ref: str) -> None:
        self.sub(decision, "variable", id=f"{ident}_variable", name=name, typeRef=type_ref)

    def condition_table(
        self,
        decision: ET.Element,
        ident: str,
        hit: str,
        space: RowSpace,
        rows: Sequence[tuple[tuple[str, ...], str, tuple[str, ...]]],
        output: tuple[str, str, list[str], str | None],
        notes: tuple[str, ...] = (),
    ) -> None:
        """A decision table over ``space``'s columns: rows of (entries, output, notes)."""
        body = self.sub(decision, "decisionTable", id=f"{ident}_table", hitPolicy=hit)
        for column in space.columns:
            clause = self.sub(body, "input", id=f"{ident}_in_{column.name}")
            self.text(clause, "inputExpression", column.name).set("typeRef", column.type_ref)
        name, type_ref, values, default = output
        clause = self.sub(body, "output", id=f"{ident}_out", name=name, typeRef=type_ref)
        if values:
            self.text(clause, "outputValues", ", ".join(values))
        if default is not None:
            self.text(clause, "defaultOutputEntry", default)
        for note in notes:
            self.sub(body, "annotation", name=note)
        for number, (entries, result, texts) in enumerate(rows, start=1):
            rule = self.sub(body, "rule", id=f"{ident}_rule_{number}")
            for entry in entries:
                self.text(rule, "inputEntry", entry)
            self.text(rule, "outputEntry", result)
            for text in texts:
                self.text(rule, "annotationEntry", text)

    def boolean(
        self, root: ET.Element, name: str, title: str | None, condition: ast.Expr, role: str
    ) -> None:
        """A let or constraint: true where ``condition`` holds, false elsewhere."""
        ident = f"decision_{name}"
        space = RowSpace(self.model, [condition])
        decision = self.head(root, ident, name, title, "boolean")
        self.mark(decision, "role", role)
        self.variable(decision, ident, name, "boolean")
        self.requirements(decision, ident, [c.name for c in space.columns], ())
        rows = [(entries, "true", ()) for entries in space.rows(condition)]
        self.condition_table(
            decision,
            ident,
            "UNIQUE",
            space,
            rows,
            (name, "boolean", [], "false"),
        )

    def broken(self, root: ET.Element) -> None:
        """The constraints a state breaks (a COLLECT table over the constraint decisions)."""
        ident, name = "gistpath_broken_constraints", "broken constraints"
        constraints = self.model.constraints
        decision = self.head(root, ident, name, "The constraints the state breaks", "string")
        self.mark(decision, "role", "constraints")
        self.variable(decision, ident, name, "string")
        self.requirements(decision, ident, [c.name for c in constraints], ())
        body = self.sub(decision, "decisionTable", id=f"{ident}_table", hitPolicy="COLLECT")
        for constraint in constraints:
            clause = self.sub(body, "input", id=f"{ident}_in_{constraint.name}")
            self.text(clause, "inputExpression", constraint.name).set("typeRef", "boolean")
        clause = self.sub(body, "output", id=f"{ident}_out", name=name, typeRef="string")
        self.text(clause, "outputValues", ", ".join(_string(c.name) for c in constraints))
        for number, constraint in enumerate(constraints, start=1):
            rule = self.sub(body, "rule", id=f"{ident}_rule_{number}")
            for other in constraints:
                self.text(rule, "inputEntry", "false" if other is constraint else "-")
            self.text(rule, "outputEntry", _string(constraint.name))

    def documented(
        self, decision: ET.Element, kind: str, items: Sequence[Pathway | Consideration]
    ) -> None:
        """Titles, summaries, notes and citations of pathways or considerations."""
        extension = ET.SubElement(decision, self.q("extensionElements"))
        for item in items:
            element = ET.SubElement(extension, f"{{{EXTENSION}}}{kind}")
            element.set("name", item.id)
            element.set("title", item.title)
            element.set("summary", item.summary)
            for citation in item.citations:
                cites = ET.SubElement(element, f"{{{EXTENSION}}}cites")
                cites.set("source", citation.source.name)
                if citation.section:
                    cites.set("section", citation.section)

    def pathway(self, root: ET.Element) -> None:
        """The rules: a UNIQUE table of the pathway, each DMN rule naming its gistpath rule."""
        model = self.model
        ident, name = "gistpath_pathway", PATHWAY_NAME
        space = RowSpace(model, [rule.condition for rule in model.rules])
        decision = self.head(
            root, ident, name, "The pathway", "string",
            f"The pathway the rules of '{model.name}' choose for a state.",
        )  # fmt: skip
        self.documented(decision, "pathway", list(model.pathways.values()))
        self.mark(decision, "role", "pathway")
        self.variable(decision, ident, name, "string")
        self.requirements(decision, ident, [c.name for c in space.columns], ())
        rows = [
            (entries, _string(rule.pathway), (rule.id,))
            for rule in model.rules
            for entries in space.rows(rule.condition)
        ]
        values = [_string(p) for p in model.pathways]
        self.condition_table(
            decision, ident, "UNIQUE", space, rows, (name, "string", values, None), ("rule",)
        )

    def considerations(self, root: ET.Element) -> None:
        """The considerations: a COLLECT table, one output per consideration that applies."""
        model = self.model
        ident, name = "gistpath_considerations", "considerations"
        items = list(model.considerations.values())
        space = RowSpace(model, [c.condition for c in items])
        decision = self.head(
            root, ident, name, "The considerations", "string",
            "The options added beside the pathway, in the order the rule file lists them.",
        )  # fmt: skip
        self.documented(decision, "consideration", items)
        self.mark(decision, "role", "considerations")
        self.variable(decision, ident, name, "string")
        self.requirements(decision, ident, [c.name for c in space.columns], ())
        rows = [
            (entries, _string(item.id), ())
            for item in items
            for entries in space.rows(item.condition)
        ]
        values = [_string(c.id) for c in items]
        self.condition_table(
            decision, ident, "COLLECT", space, rows, (name, "string", values, None)
        )

    def decision(self, root: ET.Element, table: Table) -> None:
        """Append to ``root`` the decision that holds ``table`` (its requirements, citations
        and hit policy, one DMN rule per row)."""
        model = self.model
        ident = f"decision_{table.name}"
        decision = self.head(root, ident, table.name, table.title, "string", table.summary)
        if table.order:
            self.mark(decision, "order", " ".join(table.order))
        self.variable(decision, ident, table.name, "string")
        references = [row.output for row in table.rows if row.output_is_reference]
        self.requirements(decision, ident, [*table.condition_columns, *references], table.citations)
        hit = HIT.get(table.hit)
        if hit is None:  # pragma: no cover - the checker knows no other policy
            raise ExportError(f"table '{table.name}' has hit policy '{table.hit}'")
        body = self.sub(
            decision, "decisionTable", id=f"{ident}_table", hitPolicy=hit,
            outputLabel=table.title or table.name,
        )  # fmt: skip
        for column in table.condition_columns:
            clause = self.sub(body, "input", id=f"{ident}_in_{column}")
            expression = self.text(clause, "inputExpression", column)
            if column in model.tables:
                expression.set("typeRef", "string")
            elif column in model.lets:
                expression.set("typeRef", "boolean")
            else:
                kind = model.inputs[column].kind
                expression.set("typeRef", "number" if kind == "integer" else
                               "string" if kind == "choice" else kind)  # fmt: skip
        output = self.sub(body, "output", id=f"{ident}_out", name=table.name)
        output.set("typeRef", "string")
        self.text(output, "outputValues", ", ".join(_string(v) for v in table.values))
        if table.default is not None:
            self.text(output, "defaultOutputEntry", _string(table.default))
        for note in table.annotation_columns:
            self.sub(body, "annotation", name=note)  # tRuleAnnotationClause has no id
        for number, row in enumerate(table.rows, start=1):
            rule = self.sub(body, "rule", id=f"{ident}_rule_{number}")
            for column, cell in zip(table.condition_columns, row.conditions, strict=True):
                self.text(rule, "inputEntry", cell_entry(self.model, table, column, cell))
            # another table's value: the output entry names that decision (S-FEEL allows it)
            self.text(rule, "outputEntry", row.output if row.output_is_reference
                      else _string(row.output))  # fmt: skip
            for annotation in row.annotations:
                self.text(rule, "annotationEntry", annotation or "")

    def multiple_hit(self, root: ET.Element, found: DecisionMap) -> None:
        """A RULE ORDER, OUTPUT ORDER or COLLECT table as the DMN model had it: its hit
        policy, aggregation, output columns and outputs, each rule's entries written again
        from its let (a rule needing 'or' in one entry becomes two rules, never both hit)."""
        written = found.multiple
        assert written is not None
        ident = f"decision_{found.name}"
        conditions = [self.model.lets[let].condition for let in found.rule_lets]
        space = RowSpace(self.model, conditions)
        decision = self.head(root, ident, found.name, found.dmn_name, "")
        types = {t for _, t, _, _ in written.outputs}
        variable = self.sub(decision, "variable", id=f"{ident}_variable", name=found.name)
        if len(written.outputs) == 1 and found.aggregation is None and None not in types:
            pass  # a list of them: no single typeRef to give
        elif found.aggregation is not None:
            variable.set("typeRef", "number")
        self.requirements(decision, ident, [c.name for c in space.columns], ())
        body = self.sub(decision, "decisionTable", id=f"{ident}_table", hitPolicy=found.hit_policy)
        if found.aggregation is not None:
            body.set("aggregation", found.aggregation)
        for column in space.columns:
            clause = self.sub(body, "input", id=f"{ident}_in_{column.name}")
            self.text(clause, "inputExpression", column.name).set("typeRef", column.type_ref)
        for number, (name, type_ref, allowed, default) in enumerate(written.outputs, start=1):
            clause = self.sub(body, "output", id=f"{ident}_out_{number}")
            if name:
                clause.set("name", name)
            if type_ref:
                clause.set("typeRef", type_ref)
            if allowed is not None:
                self.text(clause, "outputValues", allowed)
            if default is not None:
                self.text(clause, "defaultOutputEntry", default)
        width = max([len(written.annotations), *(len(a) for a in written.rule_annotations)])
        for index in range(width):
            names = written.annotations
            self.sub(body, "annotation", name=names[index] if index < len(names) else "annotation")
        number = 0
        for condition, outputs, notes in zip(
            conditions, written.rule_outputs, written.rule_annotations, strict=True
        ):
            for entries in space.rows(condition):
                number += 1
                rule = self.sub(body, "rule", id=f"{ident}_rule_{number}")
                for entry in entries:
                    self.text(rule, "inputEntry", entry)
                for output in outputs:
                    self.text(rule, "outputEntry", output)
                for index in range(width):
                    self.text(rule, "annotationEntry", notes[index] if index < len(notes) else "")


def ruleset_header(tree: ast.RuleFile) -> dict[str, str]:
    """The ``ruleset`` line's properties (version, audience, note...)."""
    for decl in tree.declarations:
        if isinstance(decl, ast.RulesetDecl):
            return {p.key: p.text for p in decl.properties if isinstance(p, ast.Property)}
    return {}


def export(ruleset: RuleSet, conversion: Conversion | None = None) -> str:
    """The whole decision of ``ruleset`` as a DMN 1.4 document (raises :class:`ExportError`).

    ``conversion``: the DMN model ``ruleset`` was imported from, whose RULE ORDER, OUTPUT
    ORDER and COLLECT tables are then written back as such (their rules are lets of the
    rule set).
    """
    return _Exporter(ruleset, conversion).run()

"""A rule set's decision tables → DMN 1.4 XML (``gistpath to-dmn``).

Design: each table becomes a decision with a decision table of the same hit policy
(``unique``, ``first``, ``any``, ``priority`` → UNIQUE, FIRST, ANY, PRIORITY), one DMN rule
per row in order, its ``values`` as the output values (for PRIORITY that list is the
priority order, as in gistpath), its ``default`` as the default output entry and its
annotation columns as DMN annotations. Each input a table reads becomes input data (a choice
is a ``string`` item definition with its values allowed, a bounded number a ``number`` with
its range allowed); a table read by another table is a required decision. The rule set's
sources become knowledge sources, and every table that cites one has an authority
requirement on it. Elements are named by their gistpath names and labelled by their titles,
so :func:`gistpath.dmn.load` gives the same names back.

The XML is written with :mod:`xml.etree.ElementTree` (no text is ever pasted into markup),
elements in the order the DMN 1.4 schema requires; tests/test_dmn_schema.py validates
exports against the OMG DMN 1.4 XSD.

Limits: DMN has no constraints, derived booleans, rules or pathways: those are not
exported, so the exported tables decide every state the rule set accepts the same way, and
may decide states its constraints exclude. Refused with :class:`ExportError`: a table whose
output is read from another table, a table column that is a ``let``, an input that allows
``unknown`` unless it is a choice (where ``"unknown"`` is one more text), and a cell that
S-FEEL cannot write (``!=`` beside other comparisons). Integer inputs are exported as
``number`` (FEEL has no integer type).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from gistpath import ast
from gistpath.errors import GistpathError
from gistpath.language import UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, Input, NumericDomain, Table

if TYPE_CHECKING:
    from gistpath import RuleSet

NAMESPACE = "https://www.omg.org/spec/DMN/20211108/MODEL/"
FEEL = "https://www.omg.org/spec/DMN/20211108/FEEL/"
HIT = {"unique": "UNIQUE", "first": "FIRST", "any": "ANY", "priority": "PRIORITY"}


class ExportError(GistpathError):
    """A rule set has something DMN decision tables with S-FEEL cannot say."""


def _string(text: str) -> str:
    """A FEEL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


class _Exporter:
    def __init__(self, ruleset: RuleSet) -> None:
        self.rs = ruleset
        self.model = ruleset.model
        ET.register_namespace("", NAMESPACE)

    def q(self, tag: str) -> str:
        return f"{{{NAMESPACE}}}{tag}"

    def sub(self, parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
        return ET.SubElement(parent, self.q(tag), attributes)

    def text(self, parent: ET.Element, tag: str, text: str) -> ET.Element:
        element = self.sub(parent, tag)
        ET.SubElement(element, self.q("text")).text = text
        return element

    # ---------------------------------------------------------------- inputs

    def used_inputs(self) -> list[str]:
        used: list[str] = []
        for table in self.model.tables.values():
            for column in table.condition_columns:
                if column in self.model.lets:
                    raise ExportError(
                        f"table '{table.name}' reads the derived value '{column}', a 'let'; "
                        "DMN decision tables read input data and other decisions only"
                    )
                if column in self.model.inputs and column not in used:
                    used.append(column)
        return [name for name in self.model.inputs if name in used]

    def item_definition(self, root: ET.Element, item: Input) -> str:
        """The type of ``item`` (an item definition's name, or a built-in type)."""
        domain = item.domain
        if isinstance(domain, BooleanDomain):
            if domain.allows_unknown:
                raise ExportError(
                    f"input '{item.name}' allows unknown, which a DMN boolean cannot hold"
                )
            return "boolean"
        if isinstance(domain, NumericDomain):
            if domain.allows_unknown:
                raise ExportError(
                    f"input '{item.name}' allows unknown, which a DMN number cannot hold"
                )
            if domain.low is None and domain.high is None:
                return "number"
            low, high = domain.low, domain.high
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
            return self._item(root, item.name, "number", allowed)
        assert isinstance(domain, ChoiceDomain)
        values = list(domain.values) + ([UNKNOWN] if domain.allows_unknown else [])
        return self._item(root, item.name, "string", ", ".join(_string(v) for v in values))

    def _item(self, root: ET.Element, name: str, base: str, allowed: str) -> str:
        type_name = f"t_{name}"
        item = self.sub(root, "itemDefinition", id=type_name, name=type_name)
        ET.SubElement(item, self.q("typeRef")).text = base
        self.text(item, "allowedValues", allowed)
        return type_name

    # ---------------------------------------------------------------- cells

    def cell(self, table: Table, column: str, cell: ast.Cell) -> str:
        if isinstance(cell, ast.AnyCell):
            return "-"
        if isinstance(cell, ast.TestsCell):
            return self._tests(table, column, cell.tests)
        assert isinstance(cell, ast.ValuesCell)
        words = []
        for value in cell.values:
            if isinstance(value, ast.BoolLiteral):
                words.append("true" if value.value else "false")
            elif isinstance(value, ast.Unknown):
                words.append(_string(UNKNOWN))
            else:
                words.append(_string(value.name))
        text = ", ".join(words)
        return f"not({text})" if cell.negated else text

    def _tests(self, table: Table, column: str, tests: tuple[ast.Bound, ...]) -> str:
        low: tuple[int | float, bool] | None = None  # value, closed
        high: tuple[int | float, bool] | None = None
        equal: list[int | float] = []
        for test in tests:
            value = test.quantity.value
            if test.op == "!=" and len(tests) == 1:
                return f"not({_number(value)})"
            if test.op == "!=":
                raise ExportError(
                    f"a cell of table '{table.name}' in column '{column}' joins '!=' with "
                    "other comparisons, which S-FEEL cannot write as one entry"
                )
            if test.op == "=":
                equal.append(value)
            elif test.op in (">", ">="):
                if low is None or value > low[0] or (value == low[0] and test.op == ">"):
                    low = (value, test.op == ">=")
            elif high is None or value < high[0] or (value == high[0] and test.op == "<"):
                high = (value, test.op == "<=")
        if equal:
            if len(set(equal)) > 1 or low is not None or high is not None:
                raise ExportError(
                    f"a cell of table '{table.name}' in column '{column}' joins '=' with "
                    "other comparisons; write the one value it allows"
                )
            return _number(equal[0])
        if low is not None and high is not None:
            return (
                ("[" if low[1] else "]")
                + f"{_number(low[0])}..{_number(high[0])}"
                + ("]" if high[1] else "[")
            )
        if low is not None:
            return (">= " if low[1] else "> ") + _number(low[0])
        assert high is not None
        return ("<= " if high[1] else "< ") + _number(high[0])

    # ---------------------------------------------------------------- the model

    def run(self) -> str:
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
        if model.summary:
            ET.SubElement(root, self.q("description")).text = model.summary
        inputs = self.used_inputs()
        types = {name: self.item_definition(root, model.inputs[name]) for name in inputs}
        for table in model.tables.values():
            self.decision(root, table)
        for name in inputs:
            item = model.inputs[name]
            data = self.sub(root, "inputData", id=f"input_{name}", name=name)
            if item.title:
                data.set("label", item.title)
            if item.summary:
                ET.SubElement(data, self.q("description")).text = item.summary
            self.sub(data, "variable", id=f"input_{name}_variable", name=name, typeRef=types[name])
        for source in model.sources.values():
            element = self.sub(
                root, "knowledgeSource", id=f"source_{source.name}", name=source.name
            )
            element.set("label", source.title)
            if source.url:
                element.set("locationURI", source.url)
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
        ET.indent(root, space="  ")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode")
            + "\n"
        )

    def decision(self, root: ET.Element, table: Table) -> None:
        model = self.model
        decision = self.sub(root, "decision", id=f"decision_{table.name}", name=table.name)
        if table.title:
            decision.set("label", table.title)
        if table.summary:
            ET.SubElement(decision, self.q("description")).text = table.summary
        self.sub(
            decision, "variable", id=f"decision_{table.name}_variable", name=table.name,
            typeRef="string",
        )  # fmt: skip
        for column in table.condition_columns:
            requirement = self.sub(decision, "informationRequirement")
            requirement.set("id", f"decision_{table.name}_requires_{column}")
            if column in model.tables:
                self.sub(requirement, "requiredDecision", href=f"#decision_{column}")
            else:
                self.sub(requirement, "requiredInput", href=f"#input_{column}")
        for source in dict.fromkeys(c.source.name for c in table.citations):
            requirement = self.sub(decision, "authorityRequirement")
            requirement.set("id", f"decision_{table.name}_cites_{source}")
            self.sub(requirement, "requiredAuthority", href=f"#source_{source}")
        hit = HIT.get(table.hit)
        if hit is None:  # pragma: no cover - the checker knows no other policy
            raise ExportError(f"table '{table.name}' has hit policy '{table.hit}'")
        body = self.sub(
            decision, "decisionTable", id=f"decision_{table.name}_table", hitPolicy=hit,
            outputLabel=table.title or table.name,
        )  # fmt: skip
        for column in table.condition_columns:
            clause = self.sub(body, "input", id=f"decision_{table.name}_in_{column}")
            expression = self.text(clause, "inputExpression", column)
            if column in model.tables:
                expression.set("typeRef", "string")
            else:
                kind = model.inputs[column].kind
                expression.set("typeRef", "number" if kind == "integer" else
                               "string" if kind == "choice" else kind)  # fmt: skip
        output = self.sub(body, "output", id=f"decision_{table.name}_out", name=table.name)
        output.set("typeRef", "string")
        self.text(output, "outputValues", ", ".join(_string(v) for v in table.values))
        if table.default is not None:
            self.text(output, "defaultOutputEntry", _string(table.default))
        for note in table.annotation_columns:
            self.sub(body, "annotation", name=note)  # tRuleAnnotationClause has no id
        for number, row in enumerate(table.rows, start=1):
            if row.output_is_reference:
                raise ExportError(
                    f"row {number} of table '{table.name}' takes its value from table "
                    f"'{row.output}'; a DMN output entry is one literal"
                )
            rule = self.sub(body, "rule", id=f"decision_{table.name}_rule_{number}")
            for column, cell in zip(table.condition_columns, row.conditions, strict=True):
                self.text(rule, "inputEntry", self.cell(table, column, cell))
            self.text(rule, "outputEntry", _string(row.output))
            for annotation in row.annotations:
                self.text(rule, "annotationEntry", annotation or "")


def export(ruleset: RuleSet) -> str:
    """The decision tables of ``ruleset`` as a DMN 1.4 document (raises :class:`ExportError`)."""
    if not ruleset.model.tables:
        raise ExportError(f"rule set '{ruleset.model.name}' has no decision table to export")
    return _Exporter(ruleset).run()

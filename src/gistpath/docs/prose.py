"""Conditions of a rule set written in words, and whether a rule set reads as clinical.

Design: :class:`Words` reads the checked expressions of :mod:`gistpath.model` (a rule's
``when`` guards included) and writes each as a phrase in reST inline markup, names linked to
where they are declared on the page, so nothing is written by hand and a new pathway or rule
reads well as soon as the file has it. :func:`looks_clinical` decides whether the page
carries the "decision support, not medical advice" notice.

Limits: the phrases are English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from gistpath import ast
from gistpath.docs.markup import escape, link, literal
from gistpath.model import Model
from gistpath.printer import print_quantity
from gistpath.ruleset import anchor

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet

# Words that mark a rule set as clinical when its title, summary or pathways use them.
CLINICAL_WORDS = frozenset(
    [
        "clinical", "clinician", "clinicians", "patient", "patients", "treatment",
        "treatments", "therapy", "diagnosis", "medical", "medicine", "tumour", "tumours",
        "tumor", "tumors", "cancer", "surgery", "drug", "drugs", "dose", "disease",
        "oncology", "pathology", "symptoms",
    ]
)  # fmt: skip


_OP_WORDS = {
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
    "=": "is",
    "!=": "is not",
}
_NEGATED_OP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "="}


@attrs.frozen
class Words:
    """Writes the expressions of one model in words (reST inline markup)."""

    model: Model
    roles: bool = False  # link names through the Sphinx domain's roles

    def name(self, name: str) -> str:
        """A name linked to where it is declared on the page."""
        if name == "pathway":
            return "the pathway"
        if name in self.model.inputs:
            kind = "input"
        elif name in self.model.lets or name in self.model.tables:
            kind = "value"
        else:
            return literal(name)
        if self.roles:
            return f":gistpath:{kind}:`{name} <{self.model.name}.{name}>`"
        return link(name, anchor(kind, name))

    def value(self, subject: str, value: ast.Value) -> str:
        if subject == "pathway" and isinstance(value, ast.Symbol):
            pathway = self.model.pathways.get(value.name)
            if pathway is not None:
                return link(pathway.title, anchor("pathway", value.name))
        if isinstance(value, ast.BoolLiteral):
            return "yes" if value.value else "no"
        if isinstance(value, ast.Unknown):
            return "*unknown*"
        return f"*{escape(value.name)}*"

    def values(self, subject: str, values: Sequence[ast.Value], negated: bool) -> str:
        shown = [self.value(subject, v) for v in values]
        if len(shown) == 1:
            return ("is not " if negated else "is ") + shown[0]
        listed = ", ".join(shown[:-1]) + " or " + shown[-1]
        return ("is none of " if negated else "is one of ") + listed

    def compare(self, name: str, op: str, quantity: ast.Quantity) -> str:
        return f"{self.name(name)} {_OP_WORDS[op]} {escape(print_quantity(quantity))}"

    def between(self, node: ast.Between, negated: bool) -> str:
        low_op = ast.flip_op(node.low_op)
        high_op = node.high_op
        if negated:
            low_op, high_op = _NEGATED_OP[low_op], _NEGATED_OP[high_op]
        low = f"{_OP_WORDS[low_op]} {escape(print_quantity(node.low))}"
        high = f"{_OP_WORDS[high_op].removeprefix('is ')} {escape(print_quantity(node.high))}"
        return f"{self.name(node.name)} {low} {'or' if negated else 'and'} {high}"

    def describe(self, node: ast.Expr, negated: bool = False) -> str:
        """One expression as a phrase; ``negated`` says it does *not* hold."""
        if isinstance(node, ast.Not):
            return self.describe(node.operand, not negated)
        if isinstance(node, (ast.And, ast.AllOf)) and len(node.operands) == 1:
            return self.describe(node.operands[0], negated)
        if isinstance(node, ast.Reference):
            return f"{self.name(node.name)} is {'no' if negated else 'yes'}"
        if isinstance(node, ast.Comparison):
            op = _NEGATED_OP[node.op] if negated else node.op
            return self.compare(node.name, op, node.quantity)
        if isinstance(node, ast.Between):
            return self.between(node, negated)
        if isinstance(node, ast.IsTest):
            return f"{self.name(node.name)} " + self.values(
                node.name, (node.value,), node.negated != negated
            )
        if isinstance(node, ast.InTest):
            return f"{self.name(node.name)} " + self.values(
                node.name, node.values, node.negated != negated
            )
        if isinstance(node, ast.Includes):
            item = self.model.considerations.get(node.value)
            shown = (
                link(item.title, anchor("consideration", node.value))
                if item is not None
                else literal(node.value)
            )
            return f"{shown} is {'not ' if negated else ''}among the considerations"
        text = self.compound(node)
        return f"it is not the case that {text}" if negated else text

    def compound(self, node: ast.Expr) -> str:
        if isinstance(node, (ast.And, ast.AllOf)):
            if not node.operands:
                return "always"
            if len(node.operands) == 1:
                return self.describe(node.operands[0])
            return " and ".join(self.operand(op, (ast.Or, ast.Implies, ast.Iff))
                                for op in node.operands)  # fmt: skip
        if isinstance(node, ast.Or):
            return " or ".join(
                self.operand(op, (ast.And, ast.AllOf, ast.Implies, ast.Iff)) for op in node.operands
            )
        if isinstance(node, ast.Implies):
            return f"if {self.describe(node.left)}, then {self.describe(node.right)}"
        if isinstance(node, ast.Iff):
            compound = (ast.And, ast.AllOf, ast.Or, ast.Implies, ast.Iff)
            return (
                f"{self.operand(node.left, compound)} exactly when "
                f"{self.operand(node.right, compound)}"
            )
        raise TypeError(f"not an expression: {node!r}")  # pragma: no cover

    def operand(self, node: ast.Expr, bracket: tuple[type, ...]) -> str:
        text = self.describe(node)
        return f"({text})" if isinstance(node, bracket) else text

    def clauses(self, node: ast.Expr) -> list[str]:
        """A condition as a list of phrases that must all hold."""
        if isinstance(node, (ast.And, ast.AllOf)):
            return [c for op in node.operands for c in self.clauses(op)]
        return [self.describe(node)]


def describe(expr: ast.Expr, ruleset: RuleSet) -> str:
    """A condition of ``ruleset`` in words, as reStructuredText inline text."""
    return Words(ruleset.model).describe(expr)


# --------------------------------------------------------------------------- clinical?


def looks_clinical(ruleset: RuleSet) -> bool:
    """Whether the rule set's title, summary or pathways speak of patients and treatment."""
    model = ruleset.model
    texts = [model.title or "", model.summary or ""]
    for pathway in model.pathways.values():
        texts += [pathway.title, pathway.summary]
    found = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text)}
    return bool(found & CLINICAL_WORDS)

"""Conditions in words: :class:`Phrasing` writes a checked expression as a phrase.

Design: a boolean reads "<title>" when it holds and "<title>: no" when it does not, so
"not not fit" never appears; "is not <value>" for a value whose own word is a negative
(``none``, ``not_tested``, ``no_...``) reads as "is one of" the other values; a
comparison reads "is at most 5 cm"; ``and``/``or`` lists become clauses, and tests of one
choice are merged into one clause. Names come from :class:`~gistpath.words.naming.Naming`.

Limits: English only; a phrase is as clear as the titles the rule file declares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from gistpath import ast
from gistpath.model import BooleanDomain
from gistpath.words.naming import Naming
from gistpath.words.vocabulary import humanize

_OP_WORDS = {
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
    "=": "is",
    "!=": "is not",
}
_NEGATED_OP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "="}
_NEGATIVE_WORD = re.compile(r"^(none|no|not|never|no_.*|not_.*|non_.*)$")


@attrs.frozen
class Phrasing(Naming):
    """Writes the conditions of one model in words, built on its :class:`Naming`.

    ``link(kind, name, text)`` may wrap a title in markup (``kind`` is ``input``, ``value``
    or ``pathway``); ``escape`` is applied to every piece of plain text first. Both are the
    identity by default, which gives plain text.
    """

    def _values_of(self, node: ast.Expr, negated: bool) -> tuple[str, tuple[str, ...]] | None:
        """A test of a choice as (subject, the values it allows), where it is one."""
        if not isinstance(node, (ast.IsTest, ast.InTest)):
            return None
        everything = self.all_values(node.name)
        if everything is None:
            return None
        values = (node.value,) if isinstance(node, ast.IsTest) else node.values
        names = {"unknown" if isinstance(v, ast.Unknown) else getattr(v, "name", None)
                 for v in values}  # fmt: skip
        if None in names:
            return None
        if node.negated != negated:
            return node.name, tuple(v for v in everything if v not in names)
        return node.name, tuple(v for v in everything if v in names)

    def _choice(self, subject: str, allowed: Sequence[str]) -> str:
        """``subject`` takes one of ``allowed``: said positively, or by what it is not."""
        everything = self.all_values(subject) or tuple(allowed)
        rest = [v for v in everything if v not in allowed]
        negative = any(_NEGATIVE_WORD.match(v) for v in rest)
        if len(rest) == 1 and len(allowed) > 3 and not negative:
            return f"{self.name(subject)}: not {self._word(subject, rest[0])}"
        if len(rest) == 2 and len(allowed) > 3 and not negative:
            shown = [self._word(subject, v) for v in rest]
            return f"{self.name(subject)}: neither {shown[0]} nor {shown[1]}"
        shown = [self._word(subject, v) for v in allowed]
        if not shown:
            return f"{self.name(subject)}: no value at all"
        listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
        return f"{self.name(subject)}: {listed}"

    def _word(self, subject: str, value: str) -> str:
        if value == "unknown":
            return "unknown"
        if value in ("yes", "no") and self._is_boolean(subject):
            return value
        return self.value(subject, ast.Symbol(value))

    def _boolean(self, name: str, holds: bool) -> str:
        return self.name(name) if holds else f"{self.name(name)}: no"

    def describe(self, node: ast.Expr, negated: bool = False) -> str:
        """One condition as a phrase; ``negated`` says it does *not* hold."""
        if isinstance(node, ast.Not):
            return self.describe(node.operand, not negated)
        if isinstance(node, (ast.And, ast.AllOf)) and len(node.operands) == 1:
            return self.describe(node.operands[0], negated)
        if isinstance(node, ast.Reference):
            return self._boolean(node.name, not negated)
        if isinstance(node, ast.Comparison):
            op = _NEGATED_OP[node.op] if negated else node.op
            words = _OP_WORDS[op].removeprefix("is ") if op != "=" else ""
            amount = self.quantity(node.name, node.quantity)
            return f"{self.name(node.name)}: {words} {amount}".replace(":  ", ": ")
        if isinstance(node, ast.Between):
            low_op, high_op = ast.flip_op(node.low_op), node.high_op
            if negated:
                low_op, high_op = _NEGATED_OP[low_op], _NEGATED_OP[high_op]
            low = _OP_WORDS[low_op].removeprefix("is ") + " " + self.quantity(node.name, node.low)
            high = _OP_WORDS[high_op].removeprefix("is ")
            high += " " + self.quantity(node.name, node.high)
            return f"{self.name(node.name)}: {low} {'or' if negated else 'and'} {high}"
        if isinstance(node, (ast.IsTest, ast.InTest)):
            values = (node.value,) if isinstance(node, ast.IsTest) else node.values
            if self._is_boolean(node.name) and len(values) == 1:
                value = values[0]
                if isinstance(value, ast.BoolLiteral):
                    return self._boolean(node.name, value.value != (node.negated != negated))
            test = self._values_of(node, negated)
            if test is not None:
                subject, allowed = test
                if subject == "pathway":
                    return "the pathway: " + self._choice(subject, allowed).split(": ", 1)[1]
                return self._choice(subject, allowed)
            shown = [self.value(node.name, v) for v in values]
            listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
            return f"{self.name(node.name)}: {'not ' if node.negated != negated else ''}{listed}"
        if isinstance(node, ast.Includes):
            item = self.model.considerations.get(node.value)
            named = self.escape(humanize(node.value))
            if item is not None:
                named = self.link("consideration", node.value, self.escape(item.title))
            return f"the considerations {'leave out' if negated else 'include'} {named}"
        if negated:
            return self._negated_compound(node)
        return self.compound(node)

    def _is_boolean(self, name: str) -> bool:
        if name in self.model.lets:
            return True
        item = self.model.inputs.get(name)
        return item is not None and isinstance(item.domain, BooleanDomain)

    def _negated_compound(self, node: ast.Expr) -> str:
        """``not (a and b)`` as "a: no, or b: no"; ``not (a or b)`` as "a: no, and b: no"."""
        if isinstance(node, (ast.And, ast.AllOf)):
            return " or ".join(self._part(self.describe(op, True), op) for op in node.operands)
        if isinstance(node, ast.Or):
            return " and ".join(self._part(self.describe(op, True), op) for op in node.operands)
        if isinstance(node, ast.Implies):
            return f"{self.describe(node.left)} and {self.describe(node.right, True)}"
        return "it is not so that " + self.compound(node)

    @staticmethod
    def _part(text: str, node: ast.Expr) -> str:
        compound = isinstance(node, (ast.And, ast.AllOf, ast.Or, ast.Implies, ast.Iff, ast.Not))
        return f"({text})" if compound and (" and " in text or " or " in text) else text

    def compound(self, node: ast.Expr) -> str:
        if isinstance(node, (ast.And, ast.AllOf)):
            if not node.operands:
                return "always"
            return "; ".join(self._part(self.describe(op), op) for op in node.operands)
        if isinstance(node, ast.Or):
            return " or ".join(self._part(self.describe(op), op) for op in node.operands)
        if isinstance(node, ast.Implies):
            return f"if {self.describe(node.left)}, then {self.describe(node.right)}"
        if isinstance(node, ast.Iff):
            return (
                f"{self._part(self.describe(node.left), node.left)} exactly when "
                f"{self._part(self.describe(node.right), node.right)}"
            )
        raise TypeError(f"not an expression: {node!r}")  # pragma: no cover

    def _flat(self, node: ast.Expr, negated: bool = False) -> list[tuple[ast.Expr, bool]]:
        if not negated and isinstance(node, (ast.And, ast.AllOf)):
            return [part for op in node.operands for part in self._flat(op)]
        if isinstance(node, ast.Not):
            return self._flat(node.operand, not negated)
        if negated and isinstance(node, ast.Or):
            return [part for op in node.operands for part in self._flat(op, True)]
        return [(node, negated)]

    def clauses(self, node: ast.Expr) -> list[str]:
        """A condition as a list of phrases that must all hold."""
        return self._merge(self._flat(node))

    def _merge(self, parts: Sequence[tuple[ast.Expr, bool]]) -> list[str]:
        """Phrases for conditions that must all hold; tests of one choice said once.

        Two tests of the same choice (a ``when`` block's ``risk in {moderate, high}`` and
        the rule's ``risk is high``) are one phrase: the values both allow.
        """
        allowed: dict[str, tuple[str, ...]] = {}
        last: dict[str, int] = {}
        for index, (node, negated) in enumerate(parts):
            test = self._values_of(node, negated)
            if test is not None:
                subject, values = test
                before = allowed.get(subject)
                allowed[subject] = (
                    values if before is None else tuple(v for v in before if v in values)
                )
                last[subject] = index
        out: list[str] = []
        for index, (node, negated) in enumerate(parts):
            test = self._values_of(node, negated)
            if test is not None:
                subject = test[0]
                if last[subject] != index:
                    continue
                if self._is_boolean(subject) or subject == "pathway":
                    text = self.describe(node, negated)
                    if len(allowed[subject]) != len(test[1]):
                        text = self._choice(subject, allowed[subject])
                else:
                    text = self._choice(subject, allowed[subject])
            else:
                text = self.describe(node, negated)
            if text not in out:
                out.append(text)
        return out

    def rule_clauses(
        self, guards: Sequence[ast.Expr], own: ast.Expr | None, excluded: Sequence[ast.Expr] = ()
    ) -> list[str]:
        """The conditions of a rule: each ``when`` block once, then the rule's own.

        For ``otherwise`` (``own`` is ``None``) the rule's own part is that none of the
        other branches of its block (``excluded``) holds. Tests of the same choice across
        a block and its rule are said once (see :meth:`clauses`).
        """
        parts = [part for guard in guards for part in self._flat(guard)]
        if own is not None:
            parts += self._flat(own)
        else:
            parts += [part for other in excluded for part in self._flat(other, True)]
        return self._merge(parts)

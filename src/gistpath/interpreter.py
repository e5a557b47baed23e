"""The reference interpreter: evaluates the checked AST directly, as plainly as possible.

Design: this is the correctness oracle for the compiled tables. It shares nothing with
:mod:`gistpath.cells` or :mod:`gistpath.tables` except the model, so that the property
test "both give the same decision for every state" compares two independent readings of
the language. Semantics, written once here and documented in the language reference:

* a comparison or ``is``/``in`` test against an input whose value is ``unknown`` is false,
  except a test for ``unknown`` itself;
* ``not``, ``and``, ``or``, ``implies`` and ``exactly when`` are the usual two-valued ones;
* a decision table gives the output of the first row that matches (the verifier reports
  overlapping rows of a ``unique`` table), or no value when no row does: a test of a value
  that is missing is false;
* a state gets the pathway of the one rule whose condition holds; none or several is an
  :class:`gistpath.EvaluationError` (only possible in a draft that failed verification);
* in a property, ``pathway`` is that pathway and ``considerations include c`` holds when
  ``c`` is among the decision's considerations.

Limits: slow on purpose (it walks the tree for every state); use it for tests, not traffic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from gistpath import ast
from gistpath.errors import EvaluationError, StateError
from gistpath.language import CONSIDERATIONS_NAME, PATHWAY_NAME, UNKNOWN
from gistpath.model import Model, Property


@attrs.frozen
class Outcome:
    """What the interpreter decided for a state."""

    pathway: str
    rule: str
    considerations: tuple[str, ...]
    values: Mapping[str, object]


def _same(a: object, b: object) -> bool:
    """Equality that keeps True apart from 1 and 'unknown' apart from everything else."""
    return type(a) is type(b) and a == b


class Interpreter:
    """Evaluates one model's conditions over an environment of values."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def holds(self, node: ast.Expr, env: Mapping[str, Any]) -> bool:
        """Whether a condition holds.

        Args:
            node: a checked condition.
            env: a value for every name it reads (inputs, derived values, and in a
                consideration or property ``pathway`` and ``considerations``).

        Returns:
            The truth of the condition; a comparison with ``unknown`` is false.
        """
        if isinstance(node, (ast.And, ast.AllOf)):
            return all(self.holds(op, env) for op in node.operands)
        if isinstance(node, ast.Or):
            return any(self.holds(op, env) for op in node.operands)
        if isinstance(node, ast.Not):
            return not self.holds(node.operand, env)
        if isinstance(node, ast.Implies):
            return (not self.holds(node.left, env)) or self.holds(node.right, env)
        if isinstance(node, ast.Iff):
            return self.holds(node.left, env) == self.holds(node.right, env)
        if isinstance(node, ast.Reference):
            return env[node.name] is True
        if isinstance(node, ast.Comparison):
            return self._compare(env[node.name], node.op, node.quantity.value)
        if isinstance(node, ast.Between):
            value = env[node.name]
            return self._compare(value, ast.flip_op(node.low_op), node.low.value) and self._compare(
                value, node.high_op, node.high.value
            )
        if isinstance(node, ast.IsTest):
            found = _same(env[node.name], ast.literal_value(node.value))
            return found != node.negated
        if isinstance(node, ast.InTest):
            value = env[node.name]
            found = any(_same(value, ast.literal_value(v)) for v in node.values)
            return found != node.negated
        if isinstance(node, ast.Includes):
            return node.value in env[CONSIDERATIONS_NAME]
        raise TypeError(f"not a condition: {node!r}")  # pragma: no cover

    def property_holds(self, prop: Property, outcome: Outcome) -> bool:
        """Whether a ``holds`` property holds for one decided state (all its lines)."""
        env = {
            **outcome.values,
            PATHWAY_NAME: outcome.pathway,
            CONSIDERATIONS_NAME: outcome.considerations,
        }
        return all(self.holds(condition, env) for condition in prop.conditions)

    @staticmethod
    def _compare(value: object, op: str, limit: int | float) -> bool:
        if value is None or (type(value) is str and value == UNKNOWN):
            return False
        return bool(ast.COMPARISONS[op](value, limit))

    def _cell(self, cell: ast.Cell, value: object) -> bool:
        if isinstance(cell, ast.AnyCell):
            return True
        if isinstance(cell, ast.TestsCell):
            return all(self._compare(value, t.op, t.quantity.value) for t in cell.tests)
        assert isinstance(cell, ast.ValuesCell)
        found = any(_same(value, ast.literal_value(v)) for v in cell.values)
        return found != cell.negated

    def derive(self, state: Mapping[str, object]) -> dict[str, object]:
        """The state plus every derived value (a table with no matching row gives None)."""
        env: dict[str, object] = dict(state)
        for name in self.model.derived_order:
            if name in self.model.lets:
                env[name] = self.holds(self.model.lets[name].condition, env)
                continue
            table = self.model.tables[name]
            env[name] = table.default
            for index in table.row_order():
                row = table.rows[index]
                if all(
                    self._cell(cell, env[column])
                    for column, cell in zip(table.condition_columns, row.conditions, strict=True)
                ):
                    env[name] = env[row.output] if row.output_is_reference else row.output
                    break
        return env

    def broken_constraint(self, env: Mapping[str, object]) -> str | None:
        for constraint in self.model.constraints:
            if not self.holds(constraint.condition, env):
                return constraint.name
        return None

    def evaluate(self, state: Mapping[str, object]) -> Outcome:
        """Decide a state whose fields are already valid."""
        env = self.derive(state)
        broken = self.broken_constraint(env)
        if broken is not None:
            constraint = next(c for c in self.model.constraints if c.name == broken)
            raise StateError(
                broken,
                {k: state[k] for k in sorted(state)},
                constraint.title or f"the constraint '{broken}' to hold",
                reason="the state breaks this constraint",
            )
        fired = [rule for rule in self.model.rules if self.holds(rule.condition, env)]
        if not fired:
            raise EvaluationError("no rule matches this state; the rule file failed verification")
        if len(fired) > 1:
            ids = ", ".join(r.id for r in fired)
            raise EvaluationError(
                f"{len(fired)} rules match this state ({ids}); exactly one must. "
                "The rule file failed verification."
            )
        rule = fired[0]
        env_with_pathway = {**env, PATHWAY_NAME: rule.pathway}
        considerations = tuple(
            c.id
            for c in self.model.considerations.values()
            if self.holds(c.condition, env_with_pathway)
        )
        return Outcome(rule.pathway, rule.id, considerations, env)

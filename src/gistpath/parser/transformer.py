"""Lark's parse tree → :mod:`gistpath.ast` nodes, one method per grammar rule.

Design: :class:`ToAst` is a non-recursive Lark transformer (``Transformer_NonRecursive``)
whose methods are named after the rules of ``grammar/gistpath.lark`` and build the frozen
attrs nodes of :mod:`gistpath.ast`, each with its line and column; so a file of any size
or depth never meets Python's recursion limit. Quoted texts are unescaped and their runs
of white space folded to one space; numbers keep the text they were written as.

Limits: a condition nested deeper than :data:`~gistpath.parser.problems.MAX_DEPTH` levels
is refused with a located :class:`~gistpath.parser.problems.SyntaxProblem`, so later
stages never risk the interpreter's stack.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from lark import Token, Transformer_NonRecursive, v_args

from gistpath import ast
from gistpath.parser.problems import MAX_DEPTH, SyntaxProblem

_N = TypeVar("_N", bound=ast.Expr)


def _unquote(token: Token) -> str:
    body = str(token)[1:-1]
    body = re.sub(r"\\(.)", r"\1", body, flags=re.S)
    return " ".join(body.split())


def _quantity(number: Token, unit: Token | None) -> ast.Quantity:
    text = str(number)
    value: int | float
    if re.fullmatch(r"[+-]?\d+", text):
        try:
            value = int(text)
        except ValueError:  # more digits than int() will read: out of every range anyway
            value = float("inf") if not text.startswith("-") else float("-inf")
    else:
        value = float(text)
    return ast.Quantity(
        value,
        text,
        str(unit) if unit is not None else None,
        line=number.line or 0,
        column=number.column or 0,
    )


@v_args(inline=True, meta=True)
class ToAst(Transformer_NonRecursive):  # type: ignore[type-arg]
    """Builds one attrs node per grammar rule; method names are the rule names."""

    def __init__(self) -> None:
        super().__init__()
        self.depth: dict[int, int] = {}

    def _nested(self, node: _N, *children: object) -> _N:
        depth = 1 + max((self.depth.get(id(c), 1) for c in children), default=0)
        if depth > MAX_DEPTH:
            raise SyntaxProblem(
                f"this condition is nested more than {MAX_DEPTH} levels deep; split it "
                "into named `let` values",
                node.line,
                node.column,
            )
        self.depth[id(node)] = depth
        return node

    # declarations -------------------------------------------------------------

    def start(self, meta: Any, *declarations: Any) -> ast.RuleFile:
        return ast.RuleFile(tuple(declarations))

    def ruleset_decl(self, meta: Any, name: Token, title: Token | None, props: Any) -> Any:
        return ast.RulesetDecl(
            str(name), _opt_text(title), props or (), line=meta.line, column=meta.column
        )

    def source_decl(self, meta: Any, name: Token, title: Token, props: Any) -> Any:
        return ast.SourceDecl(
            str(name), _unquote(title), props or (), line=meta.line, column=meta.column
        )

    def pathway_decl(self, meta: Any, name: Token, title: Token, props: Any) -> Any:
        return ast.PathwayDecl(
            str(name), _unquote(title), props or (), line=meta.line, column=meta.column
        )

    def consideration_decl(self, meta: Any, name: Token, title: Token, props: Any) -> Any:
        return ast.ConsiderationDecl(
            str(name), _unquote(title), props or (), line=meta.line, column=meta.column
        )

    def properties(self, meta: Any, *items: Any) -> tuple[Any, ...]:
        return items

    def property(self, meta: Any, key: Token, text: Token) -> ast.Property:
        return ast.Property(str(key), _unquote(text), line=meta.line, column=meta.column)

    def citation(self, meta: Any, source: Token, section: Token | None) -> ast.Citation:
        return ast.Citation(str(source), _opt_text(section), line=meta.line, column=meta.column)

    def applies_when(self, meta: Any, condition: Any) -> ast.AppliesWhen:
        return ast.AppliesWhen(condition, line=meta.line, column=meta.column)

    def input_decl(
        self, meta: Any, name: Token, title: Token | None, type_: Any, unknown: Any, props: Any
    ) -> ast.InputDecl:
        return ast.InputDecl(
            str(name),
            _opt_text(title),
            type_,
            unknown is not None,
            props or (),
            line=meta.line,
            column=meta.column,
        )

    def or_unknown(self, meta: Any) -> bool:
        return True

    def choice_type(self, meta: Any, *values: Token) -> ast.ChoiceType:
        return ast.ChoiceType(
            tuple(ast.Symbol(str(v), line=v.line or 0, column=v.column or 0) for v in values),
            line=meta.line,
            column=meta.column,
        )

    def boolean_type(self, meta: Any, _kw: Token) -> ast.BooleanType:
        return ast.BooleanType(line=meta.line, column=meta.column)

    def integer_type(
        self, meta: Any, _kw: Token, bounds: Any, unit: Token | None
    ) -> ast.IntegerType:
        return ast.IntegerType(bounds or (), _opt_str(unit), line=meta.line, column=meta.column)

    def number_type(self, meta: Any, _kw: Token, bounds: Any, unit: Token | None) -> ast.NumberType:
        return ast.NumberType(bounds or (), _opt_str(unit), line=meta.line, column=meta.column)

    def bounds(self, meta: Any, first: ast.Bound, second: ast.Bound | None) -> Any:
        return (first,) if second is None else (first, second)

    def bound(self, meta: Any, op: Token, number: Token) -> ast.Bound:
        return ast.Bound(str(op), _quantity(number, None), line=meta.line, column=meta.column)

    def let_decl(self, meta: Any, name: Token, title: Token | None, cond: Any) -> ast.LetDecl:
        return ast.LetDecl(str(name), _opt_text(title), cond, line=meta.line, column=meta.column)

    def constraint_decl(
        self, meta: Any, name: Token, title: Token | None, cond: Any
    ) -> ast.ConstraintDecl:
        return ast.ConstraintDecl(
            str(name), _opt_text(title), cond, line=meta.line, column=meta.column
        )

    def all_of(self, meta: Any, *operands: Any) -> ast.AllOf:
        node = ast.AllOf(tuple(operands), line=operands[0].line, column=operands[0].column)
        return self._nested(node, *operands)

    def rule_decl(self, meta: Any, name: Token, pathway: Token, cond: Any) -> ast.RuleDecl:
        return ast.RuleDecl(
            str(name),
            str(pathway),
            cond,
            line=meta.line,
            column=meta.column,
            pathway_column=pathway.column or 0,
        )

    def otherwise(self, meta: Any, _kw: Token) -> ast.Otherwise:
        return ast.Otherwise(line=meta.line, column=meta.column)

    def when_block(self, meta: Any, cond: Any, *body: Any) -> ast.WhenBlock:
        return ast.WhenBlock(cond, tuple(body), line=meta.line, column=meta.column)

    def example_decl(
        self,
        meta: Any,
        name: Token,
        like: str | None,
        pathway: Token,
        considerations: tuple[str, ...] | None,
        assignments: Any,
    ) -> ast.ExampleDecl:
        return ast.ExampleDecl(
            str(name),
            like,
            str(pathway),
            considerations or (),
            assignments or (),
            line=meta.line,
            column=meta.column,
        )

    def like(self, meta: Any, name: Token) -> str:
        return str(name)

    def expected_considerations(self, meta: Any, *names: Token) -> tuple[str, ...]:
        return tuple(str(n) for n in names)

    def assignments(self, meta: Any, *items: ast.Assignment) -> tuple[ast.Assignment, ...]:
        return items

    def assignment(self, meta: Any, name: Token, value: Any) -> ast.Assignment:
        return ast.Assignment(str(name), value, line=meta.line, column=meta.column)

    def property_decl(self, meta: Any, name: Token, title: Token, *items: Any) -> Any:
        *citations, body = items
        return ast.PropertyDecl(
            str(name),
            _unquote(title),
            tuple(citations),
            body,
            line=meta.line,
            column=meta.column,
        )

    def holds(self, meta: Any, condition: Any) -> ast.Holds:
        return ast.Holds(condition, line=meta.line, column=meta.column)

    def monotone(self, meta: Any, value: Token, input_: Token) -> ast.Monotone:
        return ast.Monotone(
            str(value),
            str(input_),
            line=value.line or 0,
            column=value.column or 0,
            input_column=input_.column or 0,
        )

    # tables -------------------------------------------------------------------

    def table_decl(self, meta: Any, name: Token, title: Token | None, *items: Any) -> Any:
        values: tuple[str, ...] = ()
        order: tuple[str, ...] = ()
        values_line = values_column = hit_line = header_line = 0
        hit: str | None = None
        default: str | None = None
        props: list[Any] = []
        columns: tuple[str, ...] = ()
        rows: list[ast.TableRow] = []
        for item in items:
            if isinstance(item, ast.TableRow):
                rows.append(item)
            elif isinstance(item, (ast.Property, ast.Citation)):
                props.append(item)
            elif item[0] == "values":
                values, order, values_line, values_column = item[1:5]
            elif item[0] == "hit":
                hit, hit_line = item[1], item[2]
            elif item[0] == "default":
                default = item[1]
            else:
                columns, header_line = item[1], item[2]
        return ast.TableDecl(
            str(name),
            _opt_text(title),
            values,
            hit,
            tuple(props),
            columns,
            tuple(rows),
            default,
            order,
            line=meta.line,
            column=meta.column,
            values_line=values_line,
            values_column=values_column,
            hit_line=hit_line,
            header_line=header_line,
        )

    def table_values(self, meta: Any, *tokens: Token) -> tuple[object, ...]:
        # NAME (COMP_OP NAME)* ("," NAME)*: the names joined by an operator are the order.
        names = [str(t) for t in tokens if t.type == "NAME"]
        ops = [t for t in tokens if t.type == "COMP_OP"]
        for op in ops:
            if str(op) != "<":
                raise SyntaxProblem(
                    f"the values of a table are ordered with '<', not '{op}'",
                    op.line or meta.line,
                    op.column or meta.column,
                )
        order = tuple(names[: len(ops) + 1]) if ops else ()
        return ("values", tuple(names), order, meta.line, meta.column)

    def table_hit(self, meta: Any, name: Token) -> tuple[str, str, int]:
        return ("hit", str(name), meta.line)

    def table_default(self, meta: Any, name: Token) -> tuple[str, str, int]:
        return ("default", str(name), meta.line)

    def table_header(self, meta: Any, *names: Token) -> tuple[str, tuple[str, ...], int]:
        return ("header", tuple(str(n) for n in names), meta.line)

    def table_row(self, meta: Any, *cells: Any) -> ast.TableRow:
        return ast.TableRow(tuple(cells), line=meta.line, column=meta.column)

    def any_cell(self, meta: Any) -> ast.AnyCell:
        return ast.AnyCell(line=meta.line, column=meta.column)

    def text_cell(self, meta: Any, text: Token) -> ast.TextCell:
        return ast.TextCell(_unquote(text), line=meta.line, column=meta.column)

    def tests_cell(self, meta: Any, *tests: ast.Bound) -> ast.TestsCell:
        return ast.TestsCell(tuple(tests), line=meta.line, column=meta.column)

    def cell_test(self, meta: Any, op: Token, quantity: ast.Quantity) -> ast.Bound:
        return ast.Bound(str(op), quantity, line=meta.line, column=meta.column)

    def values_cell(self, meta: Any, *values: Any) -> ast.ValuesCell:
        return ast.ValuesCell(tuple(values), False, line=meta.line, column=meta.column)

    def not_values_cell(self, meta: Any, *values: Any) -> ast.ValuesCell:
        return ast.ValuesCell(tuple(values), True, line=meta.line, column=meta.column)

    # expressions --------------------------------------------------------------

    def implies(self, meta: Any, left: Any, right: Any) -> ast.Implies:
        node = ast.Implies(left, right, line=meta.line, column=meta.column)
        return self._nested(node, left, right)

    def iff(self, meta: Any, left: Any, right: Any) -> ast.Iff:
        node = ast.Iff(left, right, line=meta.line, column=meta.column)
        return self._nested(node, left, right)

    def disjunction(self, meta: Any, *operands: Any) -> ast.Or:
        node = ast.Or(tuple(operands), line=meta.line, column=meta.column)
        return self._nested(node, *operands)

    def conjunction(self, meta: Any, *operands: Any) -> ast.And:
        node = ast.And(tuple(operands), line=meta.line, column=meta.column)
        return self._nested(node, *operands)

    def negation(self, meta: Any, operand: Any) -> ast.Not:
        node = ast.Not(operand, line=meta.line, column=meta.column)
        return self._nested(node, operand)

    def reference(self, meta: Any, name: Token) -> ast.Reference:
        return ast.Reference(str(name), line=meta.line, column=meta.column)

    def comparison(
        self, meta: Any, name: Token, op: Token, quantity: ast.Quantity
    ) -> ast.Comparison:
        return ast.Comparison(str(name), str(op), quantity, line=meta.line, column=meta.column)

    def between(
        self,
        meta: Any,
        low: ast.Quantity,
        low_op: Token,
        name: Token,
        high_op: Token,
        high: ast.Quantity,
    ) -> ast.Between:
        return ast.Between(
            low, str(low_op), str(name), str(high_op), high, line=meta.line, column=meta.column
        )

    def is_test(self, meta: Any, name: Token, negated: Token | None, value: Any) -> ast.IsTest:
        return ast.IsTest(str(name), value, negated is not None, line=meta.line, column=meta.column)

    def in_test(self, meta: Any, name: Token, negated: Token | None, *values: Any) -> ast.InTest:
        return ast.InTest(
            str(name), tuple(values), negated is not None, line=meta.line, column=meta.column
        )

    def include_test(self, meta: Any, name: Token, value: Token) -> ast.Includes:
        return ast.Includes(str(name), str(value), line=meta.line, column=meta.column)

    def quantity(self, meta: Any, number: Token, unit: Token | None) -> ast.Quantity:
        return _quantity(number, unit)

    def symbol(self, meta: Any, name: Token) -> ast.Symbol:
        return ast.Symbol(str(name), line=meta.line, column=meta.column)

    def unknown(self, meta: Any) -> ast.Unknown:
        return ast.Unknown(line=meta.line, column=meta.column)

    def yes(self, meta: Any) -> ast.BoolLiteral:
        return ast.BoolLiteral(True, line=meta.line, column=meta.column)

    def no(self, meta: Any) -> ast.BoolLiteral:
        return ast.BoolLiteral(False, line=meta.line, column=meta.column)


def _opt_text(token: Token | None) -> str | None:
    return None if token is None else _unquote(token)


def _opt_str(token: Token | None) -> str | None:
    return None if token is None else str(token)


__all__ = ["ToAst"]

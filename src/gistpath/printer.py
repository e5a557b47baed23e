"""AST → rule text that parses back to an equal AST (comments are not kept).

Design: one ``_print_<node>`` function per kind of declaration and one expression printer
that adds parentheses only where the grammar's precedence (``implies``/``exactly when`` <
``or`` < ``and`` < ``not`` < tests) needs them. Numbers are printed as they were written,
texts on one line (the parser folds white space in texts anyway), and table columns are
padded so that the printed table lines up. ``print_expr`` is also what decisions and the
generated documentation use to show a condition.

Limits: comments and blank lines are not part of the AST and so are not reproduced.
"""

from __future__ import annotations

from collections.abc import Sequence

from gistpath import ast

INDENT = "    "

_LEVEL = {
    ast.Implies: 1,
    ast.Iff: 1,
    ast.Or: 2,
    ast.And: 3,
    ast.AllOf: 3,
    ast.Not: 4,
}


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_value(value: ast.Value) -> str:
    """A value as written in a rule file: a name, ``yes``/``no``, or ``unknown``."""
    if isinstance(value, ast.Symbol):
        return value.name
    if isinstance(value, ast.BoolLiteral):
        return "yes" if value.value else "no"
    return "unknown"


def value_word(value: object) -> str:
    """A Python value as the rules language writes it: yes/no, a name, a number."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "(no value)"
    return str(value)


def print_quantity(quantity: ast.Quantity) -> str:
    return quantity.text + (f" {quantity.unit}" if quantity.unit else "")


def print_literal(literal: ast.Literal) -> str:
    if isinstance(literal, ast.Quantity):
        return print_quantity(literal)
    return print_value(literal)


def _level(node: ast.Expr) -> int:
    return _LEVEL.get(type(node), 5)


def print_expr(node: ast.Expr) -> str:
    """One expression on one line."""
    if isinstance(node, (ast.And, ast.AllOf)):
        return " and ".join(_operand(op, 3) for op in node.operands) if node.operands else "yes"
    if isinstance(node, ast.Or):
        return " or ".join(_operand(op, 2) for op in node.operands)
    if isinstance(node, ast.Implies):
        return f"{_operand(node.left, 1)} implies {_operand(node.right, 1)}"
    if isinstance(node, ast.Iff):
        return f"{_operand(node.left, 1)} exactly when {_operand(node.right, 1)}"
    if isinstance(node, ast.Not):
        inner = node.operand
        text = print_expr(inner)
        return f"not {text}" if _level(inner) >= 4 else f"not ({text})"
    if isinstance(node, ast.Reference):
        return node.name
    if isinstance(node, ast.Comparison):
        return f"{node.name} {node.op} {print_quantity(node.quantity)}"
    if isinstance(node, ast.Between):
        return (
            f"{print_quantity(node.low)} {node.low_op} {node.name} "
            f"{node.high_op} {print_quantity(node.high)}"
        )
    if isinstance(node, ast.IsTest):
        return f"{node.name} is {'not ' if node.negated else ''}{print_value(node.value)}"
    if isinstance(node, ast.InTest):
        values = ", ".join(print_value(v) for v in node.values)
        return f"{node.name} {'not ' if node.negated else ''}in {{{values}}}"
    if isinstance(node, ast.Includes):
        return f"{node.name} include {node.value}"
    raise TypeError(f"not an expression: {node!r}")  # pragma: no cover


def _operand(node: ast.Expr, parent_level: int) -> str:
    text = print_expr(node)
    return f"({text})" if _level(node) <= parent_level else text


def _condition(node: ast.Condition, indent: str) -> list[str]:
    """The part after ':' — inline, or a block of lines for AllOf."""
    if isinstance(node, ast.Otherwise):
        return [" otherwise"]
    if isinstance(node, ast.AllOf):
        return [""] + [f"{indent}{INDENT}{_block_line(op)}" for op in node.operands]
    return [" " + print_expr(node)]


def _block_line(node: ast.Expr) -> str:
    # A line of an all-of block is a whole expression; only an all-of inside needs brackets.
    return f"({print_expr(node)})" if isinstance(node, ast.AllOf) else print_expr(node)


def _properties(items: Sequence[ast.Property | ast.Citation | ast.AppliesWhen]) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, ast.Property):
            lines.append(f"{INDENT}{item.key} {quote(item.text)}")
        elif isinstance(item, ast.Citation):
            section = f" {quote(item.section)}" if item.section is not None else ""
            lines.append(f"{INDENT}cites {item.source}{section}")
        else:
            lines.append(f"{INDENT}when {print_expr(item.condition)}")
    return lines


def _title(title: str | None) -> str:
    return f" {quote(title)}" if title is not None else ""


def _type(spec: ast.TypeSpec) -> str:
    if isinstance(spec, ast.ChoiceType):
        return "choice " + ", ".join(v.name for v in spec.values)
    if isinstance(spec, ast.BooleanType):
        return "boolean"
    word = "integer" if isinstance(spec, ast.IntegerType) else "number"
    bounds = " and ".join(f"{b.op} {b.quantity.text}" for b in spec.bounds)
    return " ".join(part for part in (word, bounds, spec.unit or "") if part)


def print_cell(cell: ast.Cell) -> str:
    """A table cell as it is written in a rule file: ``-``, a quoted text, comparisons joined by
    ``and``, or values (``not`` before them when negated).
    """
    if isinstance(cell, ast.AnyCell):
        return "-"
    if isinstance(cell, ast.TextCell):
        return quote(cell.text)
    if isinstance(cell, ast.TestsCell):
        return " and ".join(f"{t.op} {print_quantity(t.quantity)}" for t in cell.tests)
    values = ", ".join(print_value(v) for v in cell.values)
    return f"not {values}" if cell.negated else values


def print_table_values(values: Sequence[str], order: Sequence[str]) -> str:
    """``none < low < high, unknown``: the ordered values by '<', the others after commas."""
    # the order is the first len(order) values (see ast.TableDecl)
    parts = [" < ".join(order)] if order else []
    return ", ".join(parts + list(values[len(order) :]))


def _property_decl(decl: ast.PropertyDecl) -> list[str]:
    lines = [f"property {decl.name} {quote(decl.title)}", *_properties(decl.citations)]
    body = decl.body
    if isinstance(body, ast.Monotone):
        lines.append(f"{INDENT}monotone: {body.value} in {body.input}")
    else:
        head, *rest = _condition(body.condition, INDENT)
        lines += [f"{INDENT}holds:{head}", *rest]
    return lines


def _table(decl: ast.TableDecl) -> list[str]:
    lines = [f"table {decl.name}{_title(decl.title)}"]
    if decl.values:
        lines.append(f"{INDENT}values " + print_table_values(decl.values, decl.order))
    if decl.hit is not None:
        lines.append(f"{INDENT}hit {decl.hit}")
    if decl.default is not None:
        lines.append(f"{INDENT}default {decl.default}")
    lines.extend(_properties(decl.properties))
    grid = [list(decl.columns)] + [[print_cell(c) for c in row.cells] for row in decl.rows]
    widths = [max(len(r[i]) for r in grid if i < len(r)) for i in range(len(decl.columns))]

    def render(row: list[str]) -> str:
        padded = [text.ljust(widths[i]) if i < len(widths) else text for i, text in enumerate(row)]
        return f"{INDENT}| " + " | ".join(padded) + " |"

    lines.append(render(grid[0]))
    lines.append(f"{INDENT}|" + "|".join("-" * (max(w, 3) + 2) for w in widths) + "|")
    lines.extend(render(r) for r in grid[1:])
    return lines


def _rule(decl: ast.RuleDecl, indent: str) -> list[str]:
    head, *rest = _condition(decl.condition, indent)
    return [f"{indent}rule {decl.name} -> {decl.pathway}:{head}", *rest]


def _when(decl: ast.WhenBlock, indent: str) -> list[str]:
    lines = [f"{indent}when {print_expr(decl.condition)}:"]
    for item in decl.body:
        if isinstance(item, ast.WhenBlock):
            lines.extend(_when(item, indent + INDENT))
        else:
            lines.extend(_rule(item, indent + INDENT))
    return lines


def _declaration(decl: ast.Declaration) -> list[str]:
    if isinstance(decl, ast.RulesetDecl):
        return [f"ruleset {decl.name}{_title(decl.title)}", *_properties(decl.properties)]
    if isinstance(decl, ast.SourceDecl):
        return [f"source {decl.name} {quote(decl.title)}", *_properties(decl.properties)]
    if isinstance(decl, ast.PathwayDecl):
        return [f"pathway {decl.name} {quote(decl.title)}", *_properties(decl.properties)]
    if isinstance(decl, ast.ConsiderationDecl):
        return [f"consideration {decl.name} {quote(decl.title)}", *_properties(decl.properties)]
    if isinstance(decl, ast.InputDecl):
        unknown = " or unknown" if decl.allows_unknown else ""
        head = f"input {decl.name}{_title(decl.title)}: {_type(decl.type)}{unknown}"
        return [head, *_properties(decl.properties)]
    if isinstance(decl, (ast.LetDecl, ast.ConstraintDecl)):
        word = "let" if isinstance(decl, ast.LetDecl) else "constraint"
        head, *rest = _condition(decl.condition, "")
        return [f"{word} {decl.name}{_title(decl.title)}:{head}", *rest]
    if isinstance(decl, ast.TableDecl):
        return _table(decl)
    if isinstance(decl, ast.RuleDecl):
        return _rule(decl, "")
    if isinstance(decl, ast.WhenBlock):
        return _when(decl, "")
    if isinstance(decl, ast.PropertyDecl):
        return _property_decl(decl)
    like = f" like {decl.like}" if decl.like else ""
    with_ = f" with {', '.join(decl.considerations)}" if decl.considerations else ""
    lines = [f"example {decl.name}{like} -> {decl.pathway}{with_}"]
    lines.extend(f"{INDENT}{a.name} = {print_literal(a.value)}" for a in decl.assignments)
    return lines


def print_rule_file(tree: ast.RuleFile) -> str:
    """The whole file as text, declarations separated by blank lines."""
    blocks = ["\n".join(_declaration(decl)) for decl in tree.declarations]
    return "\n\n".join(blocks) + "\n" if blocks else ""

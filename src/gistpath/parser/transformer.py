"""Rule text → :mod:`gistpath.ast` tree, with every syntax error located and in words.

Design: the grammar (``grammar/gistpath.lark``, shipped as ``gistpath/grammar/gistpath.lark``
inside the wheel) is built once per process as an LALR(1) parser with Lark's contextual
lexer. :class:`_Indenter` turns leading spaces into ``_INDENT``/``_DEDENT`` tokens and
rejects tabs in indentation. The tree is turned into attrs nodes by :class:`_ToAst`, a
non-recursive transformer whose methods are named after the grammar rules, so a file of any
size or depth never meets Python's recursion limit.

When a file has a syntax error, each top-level declaration is parsed again on its own so
that every broken declaration is reported in one run, not only the first.

Limits: expressions nest at most :data:`MAX_DEPTH` levels and blocks at most
:data:`MAX_INDENT_LEVELS`; deeper text is refused with a located error rather than risking
the interpreter's stack in later stages. Lark's exceptions never leave this module.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from lark import Lark, Token, Transformer_NonRecursive, v_args
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)
from lark.lark import PostLex

from gistpath import ast
from gistpath.errors import Diagnostic, RuleSyntaxError, make_diagnostics

_N = TypeVar("_N", bound=ast.Expr)

MAX_DEPTH = 64
MAX_INDENT_LEVELS = 32
MAX_REPORTED = 100

GRAMMAR_FILE = "gistpath.lark"


# --------------------------------------------------------------------------- grammar loading


def grammar_text() -> str:
    """The grammar, from the installed package or, in a source checkout, from ``grammar/``."""
    # a plain path beside the package (importlib.resources costs milliseconds per cold load)
    packaged = Path(__file__).resolve().parents[1] / "grammar" / GRAMMAR_FILE
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "grammar" / GRAMMAR_FILE
    return checkout.read_text(encoding="utf-8")


class _SyntaxProblem(Exception):
    """Internal: one located syntax problem, turned into a Diagnostic by :func:`parse`."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _Indenter(PostLex):
    """Python-style INDENT/DEDENT tokens; indentation must be spaces."""

    always_accept = ("_NL",)
    _open = frozenset({"LPAR", "LBRACE"})
    _close = frozenset({"RPAR", "RBRACE"})

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        levels = [0]
        parens = 0
        token: Token | None = None
        for token in stream:
            if token.type == "_NL":
                if parens:
                    continue
                yield token
                indent_text = token.rsplit("\n", 1)[1]
                line = (token.end_line or token.line or 1) if "\n" in token else token.line or 1
                if "\t" in indent_text:
                    raise _SyntaxProblem(
                        "a tab in the indentation; indent with spaces only",
                        line,
                        indent_text.index("\t") + 1,
                    )
                indent = len(indent_text)
                if indent > levels[-1]:
                    if len(levels) > MAX_INDENT_LEVELS:
                        raise _SyntaxProblem(
                            f"blocks nested more than {MAX_INDENT_LEVELS} deep", line, indent + 1
                        )
                    levels.append(indent)
                    # placed on the indented line itself, so that an unexpected indentation
                    # is blamed on the line that has it, not on the line before
                    yield Token(
                        "_INDENT",
                        indent_text,
                        (token.end_pos or 0) - len(indent_text),
                        line,
                        indent + 1,
                        line,
                        indent + 1,
                        token.end_pos,
                    )
                else:
                    while indent < levels[-1]:
                        levels.pop()
                        yield Token.new_borrow_pos("_DEDENT", indent_text, token)
                    if indent != levels[-1]:
                        raise _SyntaxProblem(
                            f"this line is indented {indent} spaces, which matches no "
                            f"enclosing block (expected {levels[-1]})",
                            line,
                            indent + 1,
                        )
                continue
            if token.type in self._open:
                parens += 1
                if parens > MAX_DEPTH:
                    raise _SyntaxProblem(
                        f"parentheses nested more than {MAX_DEPTH} deep",
                        token.line or 1,
                        token.column or 1,
                    )
            elif token.type in self._close:
                if parens == 0:
                    raise _SyntaxProblem(
                        f"a closing {token!s} without its opening one",
                        token.line or 1,
                        token.column or 1,
                    )
                parens -= 1
            yield token
        while len(levels) > 1:
            levels.pop()
            if token is None:
                yield Token("_DEDENT", "", 0, 1, 1, 1, 1, 0)
            else:
                yield Token.new_borrow_pos("_DEDENT", "", token)


_PARSER: Lark | None = None
_PARSER_LOCK = threading.Lock()  # the indenter and Lark's parser state are per call, not shared


def lark_parser(*, strict: bool = False) -> Lark:
    """The LALR parser for the grammar (built once; ``strict=True`` builds a checked copy)."""
    global _PARSER
    if strict:
        return _build(strict=True)
    if _PARSER is None:
        _PARSER = _build(strict=False)
    return _PARSER


def _build(*, strict: bool) -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        postlex=_Indenter(),
        propagate_positions=True,
        maybe_placeholders=True,
        strict=strict,
        cache=not strict,
    )


# --------------------------------------------------------------------------- tree → AST


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
class _ToAst(Transformer_NonRecursive):  # type: ignore[type-arg]
    """Builds one attrs node per grammar rule; method names are the rule names."""

    def __init__(self) -> None:
        super().__init__()
        self.depth: dict[int, int] = {}

    def _nested(self, node: _N, *children: object) -> _N:
        depth = 1 + max((self.depth.get(id(c), 1) for c in children), default=0)
        if depth > MAX_DEPTH:
            raise _SyntaxProblem(
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
                raise _SyntaxProblem(
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


# --------------------------------------------------------------------------- errors in words

# What a user calls each terminal the parser may expect.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": 'a quoted text ("...")',
    "NUMBER": "a number",
    "COMP_OP": "a comparison (<, <=, >, >=, =, !=)",
    "_NL": "the end of the line",
    "_INDENT": "an indented block",
    "_DEDENT": "the end of the indented block",
    "$END": "the end of the file",
    "BOOLEAN_KW": "'boolean'",
    "INTEGER_KW": "'integer'",
    "NUMBER_KW": "'number'",
    "OTHERWISE_KW": "'otherwise'",
    "NOT_KW": "'not'",
    "_RULE_LINE": "'---'",
}


def _describe_terminal(name: str, parser: Lark) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    for term in parser.terminals:
        if term.name == name and term.pattern.type == "str":
            return f"'{term.pattern.value}'"
    return name.lower()


def _describe_token(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    if token.type == "_NL":
        return "the end of the line"
    if token.type == "_INDENT":
        return "an indented line"
    if token.type == "_DEDENT":
        return "the end of the indented block"
    text = str(token)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"


def _keywords(parser: Lark) -> list[str]:
    """The words of the language (``rule``, ``otherwise``, ...), from the grammar."""
    return sorted(
        {
            str(term.pattern.value)
            for term in parser.terminals
            if term.pattern.type == "str" and str(term.pattern.value).isalpha()
        }
    )


# A comparison of a name with '=', '==' or '!=' just before the token that failed.
_EQUALS_BEFORE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|=)\s*$")


def _hint(expected: set[str], token: Token, parser: Lark, text: str) -> str:
    """A sentence for the mistakes rule authors make most."""
    words = {_describe_terminal(t, parser) for t in expected}
    if "'->'" in words and token.type == "NAME":
        return " (a rule names its pathway after '->': rule <name> -> <pathway>: ...)"
    if words == {"':'"}:
        if token.type == "_NL":
            return " (a ':' is missing at the end of this line)"
        return f" (a ':' is missing before {_describe_token(token)})"
    if token.type == "NAME" and token.start_pos is not None:
        line_start = text.rfind("\n", 0, token.start_pos) + 1
        before = _EQUALS_BEFORE.search(text[line_start : token.start_pos])
        if before is not None:
            name, op = before.groups()
            if op == "!=":
                return f" (to test a choice or a boolean, write '{name} is not {token}')"
            return f" (to test a choice or a boolean, write '{name} is {token}')"
        close = difflib.get_close_matches(str(token), _keywords(parser), n=1, cutoff=0.75)
        if close and close[0] != str(token):
            return f" (did you mean '{close[0]}'?)"
    return ""


# A quoted text: closed (it may run over lines) or never closed.
_TEXT = re.compile(r'"(?:[^"\\]|\\.)*"|#[^\n]*')


def _unclosed_text(text: str, pos: int) -> tuple[int, int, int] | None:
    """(line, column, end line) of a quoted text that runs over lines and ends on the line
    of ``pos``: most often a text whose closing quote is missing, so that the next quote
    closed it."""
    line_start = text.rfind("\n", 0, pos) + 1
    for match in _TEXT.finditer(text, 0, pos):
        if not match.group().startswith('"'):
            continue
        if match.end() > line_start and "\n" in match.group():
            start = match.start()
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            return line, column, text.count("\n", 0, pos) + 1
    return None


def _problem_from_lark(error: UnexpectedInput, text: str, parser: Lark) -> _SyntaxProblem:
    line = error.line if isinstance(error.line, int) and error.line > 0 else 1
    column = error.column if isinstance(error.column, int) and error.column > 0 else 1
    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        if char == '"':
            message = "a quoted text is not closed: its closing '\"' is missing"
        elif char == "\t":
            message = "a tab is not allowed here"
        elif char in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
            message = f"the line-break character {char!r} is not allowed; end lines with \\n"
        elif char == "\x00":
            message = "a NUL character is not allowed in rule text"
        else:
            message = f"unexpected character {char!r}"
        allowed = sorted(_describe_terminal(t, parser) for t in (error.allowed or ()))
        if allowed and char != '"':
            message += "; expected " + _one_of(allowed)
        return _SyntaxProblem(message, line, column)
    if isinstance(error, UnexpectedToken):
        token = error.token
        expected = set(error.expected)
        words = sorted({_describe_terminal(t, parser) for t in expected})
        if token.type == "$END":
            line, column = _end_position(text)
        if token.start_pos is not None and token.type != "$END":
            unclosed = _unclosed_text(text, token.start_pos)
            if unclosed is not None:
                at_line, at_column, end_line = unclosed
                more = end_line - at_line
                return _SyntaxProblem(
                    "this quoted text is not closed on its line: its closing '\"' is "
                    f"missing (the text ran on {more} more {'line' if more == 1 else 'lines'}"
                    ", to where reading failed)",
                    at_line,
                    at_column,
                )
        if token.type == "_INDENT":
            return _SyntaxProblem(
                "unexpected indentation: this line is indented more than the line before "
                "it, which opens no block",
                line,
                column,
            )
        message = f"expected {_one_of(words)}, found {_describe_token(token)}"
        message += _hint(expected, token, parser, text)
        return _SyntaxProblem(message, line, column)
    if isinstance(error, UnexpectedEOF):
        line, column = _end_position(text)
        words = sorted({_describe_terminal(t, parser) for t in error.expected})
        return _SyntaxProblem(f"the file ends too early; expected {_one_of(words)}", line, column)
    return _SyntaxProblem(str(error), line, column)  # pragma: no cover - Lark has no others


def _one_of(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    if len(words) > 8:
        return "one of " + ", ".join(words[:8]) + ", ..."
    return "one of " + ", ".join(words)


def _end_position(text: str) -> tuple[int, int]:
    body = text.rstrip("\n")
    line = body.count("\n") + 1
    last = body.rsplit("\n", 1)[-1]
    return line, len(last) + 1


# --------------------------------------------------------------------------- entry point


def parse(text: str, filename: str = "<string>") -> ast.RuleFile:
    """Parse rule text into a :class:`gistpath.ast.RuleFile`.

    Raises :class:`gistpath.RuleSyntaxError` listing every broken declaration.
    """
    if not text.endswith("\n"):
        text += "\n"
    parser = lark_parser()
    problems = _forbidden_characters(text)
    if not problems:
        try:
            return _parse_once(parser, text)
        except _SyntaxProblem as first:
            problems = _problems_by_declaration(parser, text) or [first]
    diagnostics = make_diagnostics(
        ((p.message, p.line, p.column) for p in problems[:MAX_REPORTED]),
        text,
        filename,
        code="syntax",
    )
    if len(problems) > MAX_REPORTED:
        last = diagnostics[-1]
        diagnostics.append(
            Diagnostic(
                f"more syntax errors not shown (reading stopped after {MAX_REPORTED}); "
                "fix these and check again",
                last.line,
                last.column,
                filename,
            )
        )
    raise RuleSyntaxError(diagnostics)


# Characters refused anywhere, inside texts and comments too: controls that are not white
# space (they would reach generated documents and terminals) and the bidirectional
# overrides and isolates, which can make a line display differently from how it reads.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1b\x7f\x80-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def _forbidden_characters(text: str) -> list[_SyntaxProblem]:
    """One problem per refused character, up to one more than are reported."""
    problems: list[_SyntaxProblem] = []
    line, line_start = 1, 0
    for match in _FORBIDDEN.finditer(text):
        if len(problems) > MAX_REPORTED:
            break
        pos = match.start()
        line += text.count("\n", line_start, pos)
        line_start = text.rfind("\n", 0, pos) + 1
        char = match.group()
        if char == "\x00":
            message = "a NUL character is not allowed in rule text"
        elif "\u202a" <= char <= "\u2069":
            message = (
                f"the bidirectional control character U+{ord(char):04X} is not allowed: it "
                "can make a line display differently from how it reads"
            )
        else:
            message = f"the control character U+{ord(char):04X} is not allowed in rule text"
        problems.append(_SyntaxProblem(message, line, pos - line_start + 1))
    return problems


def _parse_once(parser: Lark, text: str) -> ast.RuleFile:
    try:
        with _PARSER_LOCK:
            tree = parser.parse(text)
    except _SyntaxProblem:
        raise
    except UnexpectedInput as error:
        raise _problem_from_lark(error, text, parser) from None
    except LarkError as error:  # pragma: no cover - defensive: Lark's own never leak
        raise _SyntaxProblem(str(error), 1, 1) from None
    try:
        result = _ToAst().transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, _SyntaxProblem):
            raise error.orig_exc from None
        raise
    assert isinstance(result, ast.RuleFile)
    return result


# A closed text (it may run over lines), a text never closed (taken to end at its line's
# end, so that it cannot hide the rest of the file), a comment, or a line break followed by
# a character in column 1.
_SCAN = re.compile(r'"(?:[^"\\]|\\.)*"|"[^\n]*|#[^\n]*|\n(?=[^\s#])', re.S)


def declaration_starts(text: str) -> list[int]:
    """Offsets of the lines that start a top-level declaration (column 1, outside texts)."""
    starts = [0]
    for match in _SCAN.finditer(text):
        if match.group().startswith("\n"):
            starts.append(match.end())
    return starts


def _problems_by_declaration(parser: Lark, text: str) -> list[_SyntaxProblem]:
    """Parse each top-level declaration alone so that each broken one is reported.

    Stops after one more than :data:`MAX_REPORTED` problems: a file of a million broken
    lines is refused in the time it takes to read a hundred of them.
    """
    starts = declaration_starts(text)
    problems: list[_SyntaxProblem] = []
    line_offset = 0
    for index, start in enumerate(starts):
        if len(problems) > MAX_REPORTED:
            break
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        try:
            _parse_once(parser, chunk)
        except _SyntaxProblem as problem:
            message = problem.message
            if index + 1 < len(starts):
                # the end of this declaration, not of the file: the next line starts a new one
                next_line = line_offset + chunk.count("\n") + 1
                word = text[end : text.find("\n", end)].split(" ", 1)[0][:40]
                message = message.replace(
                    "found the end of the file",
                    f"found '{word}' at line {next_line}, which is not indented",
                ).replace(
                    "the file ends too early",
                    f"the declaration ends too early ('{word}' at line {next_line} is not "
                    "indented)",
                )
            problems.append(_SyntaxProblem(message, problem.line + line_offset, problem.column))
        line_offset += chunk.count("\n")
    return problems


__all__ = ["grammar_text", "lark_parser", "parse"]

"""The rules language's own words and fixed names, in one place that imports nothing.

Design: every stage that must recognise a word of the language (the checker, the cell
builder, the interpreter, the diff, the validator, the generated evaluator, the lexer)
reads it from here, so no stage imports another stage for a string and the words cannot
drift apart between stages. This module imports nothing at all, not even from the
standard library, so any module of gistpath (and Pygments, through
``gistpath.highlight``) may import it without pulling anything else in.

Limits: the grammar (``grammar/gistpath.lark``) remains the authority on syntax; the word
lists below are what the checker and the lexer need to know of it. ``tests/test_highlight.py``
checks :data:`KEYWORDS` against the grammar's keyword literals, so the two cannot drift.
"""

#: The value an input declared with ``unknown`` takes when it is not known.
UNKNOWN = "unknown"

#: In a consideration's ``when`` (and in properties), the name of the pathway the rules
#: chose. Reserved: no input, derived value or table may take it.
PATHWAY_NAME = "pathway"

#: In a property, ``considerations include <id>``: the considerations the decision adds.
CONSIDERATIONS_NAME = "considerations"

#: The hit policies a decision table may declare (``hit unique`` is the default).
HIT_POLICIES = ("unique", "first", "any", "priority")

#: Always read as the boolean values yes/no, never as names.
BOOLEAN_WORDS = frozenset({"yes", "no"})

#: Words that begin a declaration (the first word of a top-level line or a ``when`` block).
DECLARATION_WORDS = (
    "ruleset",
    "source",
    "input",
    "let",
    "table",
    "constraint",
    "pathway",
    "consideration",
    "rule",
    "when",
    "example",
    "property",
)
#: The type names of inputs.
TYPE_WORDS = ("choice", "boolean", "integer", "number")
#: Structural words inside declarations.
OTHER_WORDS = (
    "cites",
    "values",
    "hit",
    "default",
    "like",
    "with",
    "otherwise",
    "holds",
    "monotone",
)
#: The operator words of conditions.
OPERATOR_WORDS = ("and", "or", "not", "implies", "exactly", "is", "in", "include")
#: The value words.
CONSTANT_WORDS = ("yes", "no", "unknown")

#: Every keyword of the rules language, as the grammar writes it.
KEYWORDS: tuple[str, ...] = (
    *DECLARATION_WORDS,
    *TYPE_WORDS,
    *OTHER_WORDS,
    *OPERATOR_WORDS,
    *CONSTANT_WORDS,
)

#: Words that no declared name may be (an input, a derived value or table, a choice or
#: table value, a pathway, a consideration): every keyword, and the names conditions
#: reserve. Accepted as names, they parse in some places and fail far away in others.
RESERVED_NAMES: frozenset[str] = frozenset((*KEYWORDS, PATHWAY_NAME, CONSIDERATIONS_NAME))

__all__ = [
    "BOOLEAN_WORDS",
    "CONSIDERATIONS_NAME",
    "CONSTANT_WORDS",
    "DECLARATION_WORDS",
    "HIT_POLICIES",
    "KEYWORDS",
    "OPERATOR_WORDS",
    "OTHER_WORDS",
    "PATHWAY_NAME",
    "RESERVED_NAMES",
    "TYPE_WORDS",
    "UNKNOWN",
]

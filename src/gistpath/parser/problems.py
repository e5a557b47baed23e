"""One located syntax problem, and the limits past which rule text is one.

Design: :class:`SyntaxProblem` is the parser's own exception, raised by the indenter, the
transformer and the wording of Lark's errors, and turned into located
:class:`gistpath.errors.Diagnostic` objects of one :class:`gistpath.RuleSyntaxError` by
:func:`gistpath.parser.parse`; it never leaves the parser. The limits: expressions nest at
most :data:`MAX_DEPTH` levels, blocks at most :data:`MAX_INDENT_LEVELS`, and a file
reports at most :data:`MAX_REPORTED` problems.

Limits: a problem has one position (line and column), not a span.
"""

from __future__ import annotations

#: How deep expressions (and parentheses) may nest.
MAX_DEPTH = 64
#: How deep indented blocks may nest.
MAX_INDENT_LEVELS = 32
#: How many syntax problems one file reports at most.
MAX_REPORTED = 100


class SyntaxProblem(Exception):
    """One located syntax problem; :func:`gistpath.parser.parse` makes it a Diagnostic."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

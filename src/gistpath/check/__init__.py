"""Semantic checks: AST → :class:`gistpath.model.Model`, or every problem in one report.

Design (after sqlglot's optimizer): checking is a tuple of small passes, :data:`PASSES`,
each a function ``check_<what>(scope)`` in a module named for what it checks, run in order
over one shared :class:`~gistpath.check.scope.Scope`. A pass reads the declarations it
checks from ``scope.tree``, records what they declare in the scope (so later passes can
resolve names) and reports problems with ``scope.error``, which never stops checking: one
run reports every problem, as located :class:`gistpath.errors.Diagnostic` objects in one
:class:`gistpath.RuleSemanticError`. The checks cover names (undefined, duplicate,
reserved), types (a choice compared with a number, a boolean tested against a choice value,
``unknown`` where it was not declared), units and integer literals, citations of undeclared
sources, pathways no rule names, circles between derived values, table shapes, and example
states.

The order is the order of dependence: the header; sources (cited by later declarations);
inputs; the *names* of derived values (a condition may read one declared further down);
pathways (``pathway is x`` in a consideration); lets and tables (whose conditions read all
of these); the dependency order of derived values; constraints; rules (which must reach
every pathway); considerations; examples (which name pathways and considerations);
properties (which may name everything).
Shared helpers that are not passes: :mod:`~gistpath.check.expressions` (the type checks of
conditions, values and numbers), :mod:`~gistpath.check.documentation` (property and
``cites`` lines) and :mod:`~gistpath.check.scope`.

To add a check: write a module ``gistpath/check/<what>.py`` with a function
``check_<what>(scope: Scope) -> None`` (read ``scope.declarations(...)``, record results on
the scope, report with ``scope.error``), put it into :data:`PASSES` after the passes whose
results it reads, add a field to :class:`~gistpath.check.scope.Scope` if later passes or
the model need its result, and test it alone with :func:`run_passes` (passes up to and
including yours) in ``tests/test_check.py``.

Limits: whether the rules cover every state exactly once is not a question for this
package; :mod:`gistpath.verify` answers it over the compiled tables.
"""

from __future__ import annotations

from collections.abc import Callable

from gistpath import ast
from gistpath.check.considerations import check_considerations
from gistpath.check.constraints import check_constraints
from gistpath.check.dependencies import check_dependencies
from gistpath.check.derived import check_derived_names
from gistpath.check.examples import check_examples
from gistpath.check.header import check_header
from gistpath.check.inputs import check_inputs
from gistpath.check.lets import check_lets
from gistpath.check.pathways import check_pathways
from gistpath.check.properties import check_properties
from gistpath.check.rules import check_rules
from gistpath.check.scope import Scope
from gistpath.check.sources import check_sources
from gistpath.check.tables import check_tables
from gistpath.errors import RuleSemanticError
from gistpath.model import Model

#: A checking pass: reads the scope's tree, records into the scope, reports problems.
Pass = Callable[[Scope], None]

#: Every pass, in the order they run (see the module docstring for why this order).
PASSES: tuple[Pass, ...] = (
    check_header,
    check_sources,
    check_inputs,
    check_derived_names,
    check_pathways,
    check_lets,
    check_tables,
    check_dependencies,
    check_constraints,
    check_rules,
    check_considerations,
    check_examples,
    check_properties,
)


def run_passes(
    tree: ast.RuleFile,
    text: str,
    filename: str = "<string>",
    passes: tuple[Pass, ...] = PASSES,
) -> Scope:
    """Run checking passes over a parsed file and return the scope they filled.

    Args:
        tree: the parsed file (:func:`gistpath.parser.parse`).
        text: the file's text (quoted under each problem).
        filename: the name problems are reported under.
        passes: the passes to run, in order; all of them by default. A test of one pass
            runs the passes it depends on and then its own.

    Returns:
        The scope: what was declared, and ``scope.problems`` (never raises for a problem
        in the file).
    """
    scope = Scope(tree, text, filename)
    for check_pass in passes:
        check_pass(scope)
    return scope


def check(tree: ast.RuleFile, text: str, filename: str = "<string>") -> Model:
    """Check a parsed file: the model, or every problem found in one error.

    Args:
        tree: the parsed file (:func:`gistpath.parser.parse`).
        text: the file's text.
        filename: the name problems are reported under.

    Returns:
        The checked :class:`gistpath.model.Model`.

    Raises:
        gistpath.RuleSemanticError: listing every problem (at most 100 shown), sorted by
            position, each with file, line, column, the line and a caret.
    """
    scope = run_passes(tree, text, filename)
    if scope.problems:
        raise RuleSemanticError(scope.diagnostics())
    return scope.model()


__all__ = ["PASSES", "Pass", "Scope", "check", "run_passes"]

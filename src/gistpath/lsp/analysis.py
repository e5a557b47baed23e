"""What the language server knows about one text: its problems, its names, and its model.

Design: pure functions over a string, with no editor protocol in them (so the fuzzing
campaign and the benchmarks drive them directly, and the server only translates). The two
stages of diagnostics live here; the pieces they are made of have modules of their own.

- :func:`analyze` is the fast stage, run on every edit: the text is parsed declaration
  by declaration (:func:`gistpath.lsp.declarations.parse_by_declaration`: cached, so an
  edit re-parses only the declarations it touched), the broken declarations give their
  syntax diagnostics and are blanked out, and the rest is checked, so a half-typed
  declaration never silences the semantic diagnostics of the others. Semantic
  diagnostics that name something written in a broken declaration are left out until it
  parses (they would only say that it is missing).
- :func:`verify` is the slow stage, run off the typing path: the verifier's findings
  (gaps, overlaps, dead rules, failing examples and properties, ...) as problems
  (:func:`gistpath.lsp.problems.finding_problem`: the example state in the message, the
  other rules involved as related places). The proof is the loader's own, run with a
  :class:`gistpath.regions.PartitionMemo` that keeps the partitions of the previous
  proof: an edit re-proves what it changed, and the findings are those of a rule set
  loaded from scratch (not a finding is cached: positions, messages and examples are
  made anew from the new text every time).
- :mod:`gistpath.lsp.hover`, :mod:`gistpath.lsp.completion` and
  :mod:`gistpath.lsp.navigation` (definition, references, rename, outline) answer from an
  :class:`Analysis`: its model and the index of names of :mod:`gistpath.lsp.symbols`.

Positions here are 0-based lines (split on ``\\n``, as the parser counts) and code-point
columns; the server converts them to the client's units. Limits: at most
:data:`MAX_SYNTAX_PROBLEMS` syntax problems are reported (the rest of the broken
declarations are still blanked out); partitions are kept for the :data:`MEMO_FILES`
files verified last, and one proof runs at a time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import attrs

from gistpath import ast
from gistpath.errors import GistpathError, RuleError
from gistpath.lsp.declarations import parse_by_declaration
from gistpath.lsp.problems import Problem, diagnostic_problems, finding_problem
from gistpath.lsp.symbols import Span, Symbols, symbols
from gistpath.regions import PartitionMemo, memoized

if TYPE_CHECKING:
    from gistpath.model import Model
    from gistpath.verify import VerificationReport


@attrs.frozen
class Analysis:
    """The fast stage's result for one text."""

    text: str
    problems: tuple[Problem, ...]
    symbols: Symbols
    tree: ast.RuleFile | None  # of the text without its broken declarations
    model: Any  # gistpath.model.Model, or None when the checker found errors
    reduced: str  # the text without its broken declarations (None-free; may be "")
    broken: bool  # some declaration did not parse or check


MAX_SYNTAX_PROBLEMS = 200

# Per file name, the partitions of its last two proofs (gistpath.regions.PartitionMemo):
# after an edit, only the problems the edit changed are worked out again. Kept for the
# files verified last (each holds two proofs' worth); one proof at a time.
_MEMOS: OrderedDict[str, PartitionMemo] = OrderedDict()
_MEMO_LOCK = threading.Lock()
MEMO_FILES = 8


def analyze(text: str, name: str = "<string>") -> Analysis:
    """The fast stage: syntax and semantic problems and the symbol index of ``text``."""
    # Deferred: the whole pipeline loads on the first text analysed, not at start-up.
    from gistpath.check import check

    text_nl = text + "\n" if not text.endswith("\n") else text
    index = symbols(text_nl)
    problems: list[Problem] = []
    declarations, errors, reduced, broken_names = parse_by_declaration(text_nl, name)
    for error in errors:
        if len(problems) >= MAX_SYNTAX_PROBLEMS:
            break
        problems.extend(diagnostic_problems(error, text_nl))
    tree: ast.RuleFile | None = ast.RuleFile(tuple(declarations))
    model = None
    if tree is not None:
        try:
            model = check(tree, reduced, name)
        except RuleError as error:
            for problem in diagnostic_problems(error, text_nl):
                if any(f"'{n}'" in problem.message for n in broken_names):
                    continue
                if problems and problem.message.startswith("the file has no"):
                    continue  # it has, being typed
                problems.append(problem)
        except GistpathError as error:  # pragma: no cover - the checker raises RuleErrors
            problems.append(Problem(Span(0, 0, 0), str(error), "error", "error"))
    return Analysis(
        text_nl,
        tuple(problems),
        index,
        tree,
        model,
        reduced,
        bool(problems) or tree is None,
    )


def verify_model(model: Model) -> VerificationReport:
    """The verification report of a checked model, the same as a rule set loaded from
    scratch gives, reusing what the previous proof of the same file (by name) worked out
    where the new one asks the same.

    Raises what :func:`gistpath.loader.assemble` raises for a file too large to compile.
    """
    # Deferred: the whole pipeline loads on the first text analysed, not at start-up.
    from gistpath.loader import assemble

    with _MEMO_LOCK:
        memo = _MEMOS.pop(model.filename, None) or PartitionMemo()
        _MEMOS[model.filename] = memo
        while len(_MEMOS) > MEMO_FILES:
            _MEMOS.popitem(last=False)
        with memoized(memo):
            memo.next_round()
            return assemble(model).verify()


def verify(analysis: Analysis, name: str = "<string>") -> list[Problem]:
    """The slow stage: the verifier's findings for a text whose declarations all check."""
    if analysis.model is None:
        return []
    try:
        report = verify_model(analysis.model)
    except RuleError as error:  # compiling may find what checking did not
        return diagnostic_problems(error, analysis.text)
    except GistpathError as error:
        return [Problem(Span(0, 0, 0), str(error), "error", "verification")]
    return [
        finding_problem(finding, analysis.symbols, analysis.text) for finding in report.findings
    ]

"""Problems placed on their words (gistpath.lsp.problems), without the protocol: a checker
diagnostic moves from its column onto the word it names and carries the "did you mean"
word as its fix; a verifier finding shows its example state in the message, sits on the
rule of its first line and names the others as related places. (Through a real client:
tests/test_lsp_server.py.)"""

from __future__ import annotations

import pytest

from gistpath.check import check
from gistpath.errors import RuleError
from gistpath.loader import build
from gistpath.lsp.problems import Problem, diagnostic_problems, finding_problem
from gistpath.lsp.symbols import Span, symbols
from gistpath.parser import parse

from samples import SMALL


def span_of(text: str, word: str) -> Span:
    """The span of the first ``word`` in ``text``."""
    offset = text.index(word)
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return Span(line, column, column + len(word))


def checker_problems(text: str) -> list[Problem]:
    with pytest.raises(RuleError) as caught:
        check(parse(text), text, "small.gprules")
    return diagnostic_problems(caught.value, text)


def test_a_misspelt_value_is_marked_on_its_word_with_the_fix() -> None:
    text = SMALL.replace("site is stomach and small\n", "site is stomack and small\n")
    (problem,) = [p for p in checker_problems(text) if "stomack" in p.message]
    assert problem.span == span_of(text, "stomack")
    assert problem.replacement == "stomach"
    assert (problem.severity, problem.related) == ("error", ())


def test_a_misspelt_pathway_is_marked_on_its_whole_name() -> None:
    text = SMALL.replace("small_gastric -> surveillance:", "small_gastric -> survelance:")
    (problem,) = [p for p in checker_problems(text) if "survelance" in p.message]
    assert problem.span == span_of(text, "survelance")


def test_a_syntax_error_is_marked_where_the_parser_stopped() -> None:
    text = SMALL.replace("rule other -> resection:", "rule other resection:")
    with pytest.raises(RuleError) as caught:
        parse(text)
    (problem,) = diagnostic_problems(caught.value, text)
    assert problem.code == "syntax"
    assert problem.span.line == span_of(text, "rule other").line
    assert problem.replacement is None


def test_an_overlap_shows_its_example_state_and_the_other_rule() -> None:
    text = SMALL.replace(
        "rule other -> resection: not (site is stomach and small)",
        "rule other -> resection: site is stomach",
    )
    findings = build(text, "small.gprules").verify().findings
    index = symbols(text)
    overlap = next(f for f in findings if f.kind == "overlap")
    problem = finding_problem(overlap, index, text)
    assert problem.code == "overlap"
    assert problem.message.startswith("overlap: ")
    assert "example state" in problem.message
    assert "site=stomach" in problem.message
    places = {problem.span, *(r.span for r in problem.related)}
    assert places == {span_of(text, "small_gastric"), span_of(text, "other")}
    assert all(r.message.startswith("rule '") for r in problem.related)
    gap = finding_problem(next(f for f in findings if f.kind == "gap"), index, text)
    assert "site=rectum" in gap.message

"""gistpath.hits: what each hit policy means for coverage (brute force of the same over
generated rule files is in tests/test_verify_bruteforce.py)."""

from __future__ import annotations

import warnings

import pytest

import gistpath
from gistpath.hits import chosen, cover_table

HEAD = (
    'source g "G"\ninput size: number >= 0 and <= 20\n'
    'pathway done "Done"\n    summary "x."\n    cites g\nrule done -> done: otherwise\n'
)
ROWS = "    | size | t |\n    | < 10 | low |\n    | > 5 | high |\n    | > 15 | low |\n"


def ruleset(hit: str, default: str = "") -> gistpath.RuleSet:
    text = HEAD + f'table t "T"\n    values high, low\n    hit {hit}\n{default}' + ROWS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gistpath.loads(text, "t.gprules", draft=True)


def coverage(
    hit: str, default: str = ""
) -> tuple[set[tuple[int, int]], set[int], tuple[int, ...], int]:
    rs = ruleset(hit, default)
    compiled = rs.compiled
    found = cover_table(
        rs.model.tables["t"], compiled.table_rows["t"], compiled.space.universe, [],
        compiled.space.ordered,
    )  # fmt: skip
    return set(found.overlaps), set(found.masked), found.dead, len(found.gaps)


def test_unique_reports_every_overlapping_pair() -> None:
    assert coverage("unique") == ({(0, 1), (1, 2)}, set(), (), 0)


def test_any_reports_only_overlaps_with_different_values() -> None:
    overlaps, masked, dead, gaps = coverage("any")
    assert overlaps == {(0, 1), (1, 2)}  # rows 1 and 3 never meet; 2 and 3 differ
    assert (masked, dead, gaps) == (set(), (), 0)


def test_first_reports_masked_rows() -> None:
    assert coverage("first") == (set(), {2}, (), 0)  # row 3 (> 15) is always under row 2


def test_priority_follows_the_values_line() -> None:
    # high comes first: row 2 wins wherever it matches, so row 3 is masked, row 1 is not
    assert coverage("priority") == (set(), {2}, (), 0)
    rs = ruleset("priority")
    assert rs.evaluate({"size": 7}).values["t"] == "high"
    assert rs.evaluate({"size": 3}).values["t"] == "low"
    assert chosen(rs.model.tables["t"], [0, 1, 2]) == 1


def test_a_default_fills_the_gaps() -> None:
    table = 'table t "T"\n    values high, low\n    default high\n    | size | t |\n'
    text = HEAD + table + "    | < 10 | low |\n"
    rs = gistpath.loads(text, "t.gprules")  # verifies: no gap
    assert rs.verify().ok
    assert rs.evaluate({"size": 12}).values["t"] == "high"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        without = gistpath.loads(text.replace("    default high\n", ""), "t.gprules", draft=True)
    assert without.verify().of_kind("table_gap")
    assert without.evaluate({"size": 12}).values["t"] is None


@pytest.mark.parametrize("hit", ["unique", "first", "any", "priority"])
def test_reference_interpreter_agrees(hit: str) -> None:
    rs = ruleset(hit)
    for size in (0, 3, 5, 7.5, 10, 12, 15, 17, 20):
        assert (
            rs.evaluate({"size": size}).values["t"]
            == rs.evaluate_reference({"size": size}).values["t"]
        )

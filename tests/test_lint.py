"""Likely mistakes reported as warnings: comparisons outside an input's range, unused sources."""

from __future__ import annotations

import warnings

import pytest

import gistpath
from gistpath.lint import likely_mistakes

HEAD = """\
ruleset t "T"
source s "S"
input temperature_c "T": number >= -20 and <= 45 celsius
input n "N": integer > 0 and <= 10
pathway hot "Hot"
    summary "h"
    cites s
pathway ok "OK"
    summary "o"
    cites s
"""


def warnings_of(text: str) -> list[gistpath.Finding]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rs = gistpath.loads(text, "t.gprules")
    found = [f for f in rs.verify().findings if f.severity == "warning"]
    assert not found or any(isinstance(w.message, gistpath.VerificationWarning) for w in caught), (
        "a warning is shown when the file loads"
    )
    return found


@pytest.mark.parametrize(
    ("condition", "verdict"),
    [
        ("temperature_c > 50", "never holds"),
        ("temperature_c >= 45.5", "never holds"),
        ("temperature_c < -30", "never holds"),
        ("temperature_c = 46", "never holds"),
        ("temperature_c < 50", "always holds"),
        ("temperature_c != 100", "always holds"),
        ("n > 10", "never holds"),
        ("n <= 0", "never holds"),
        ("-40 < temperature_c < 40", "always holds"),
    ],
)
def test_a_comparison_outside_the_range_is_a_warning(condition: str, verdict: str) -> None:
    joined = "or" if verdict == "never holds" else "and"  # rule 'a' stays 'temperature_c > 30'
    text = HEAD + f"rule a -> hot: temperature_c > 30 {joined} ({condition})\n"
    text += "rule b -> ok: otherwise\n"
    found = warnings_of(text)
    assert [f.kind for f in found] == ["out_of_range_comparison"]
    assert verdict in found[0].message
    assert found[0].lines == (11,)


@pytest.mark.parametrize(
    "condition",
    ["temperature_c > 44", "temperature_c <= 45", "5 < n <= 10", "temperature_c >= -20", "n > 0"],
)
def test_a_bound_at_the_range_limit_is_not_a_warning(condition: str) -> None:
    text = HEAD + f"rule a -> hot: temperature_c > 30 and ({condition})\nrule b -> ok: otherwise\n"
    assert warnings_of(text) == []


def test_table_cells_are_checked_too() -> None:
    text = HEAD + (
        'table band "Band"\n    values cold, warm\n    | temperature_c | band |\n'
        "    | < 20          | cold |\n    | >= 20         | warm |\n    | > 60          | warm |\n"
        "rule a -> hot: band is warm\nrule b -> ok: otherwise\n"
    )
    found = [f for f in likely_mistakes(_model(text)) if f.kind == "out_of_range_comparison"]
    assert len(found) == 1
    assert "'temperature_c > 60 celsius' never holds" in found[0].message


def test_a_source_nobody_cites_is_a_warning() -> None:
    text = HEAD.replace('source s "S"\n', 'source s "S"\nsource spare "Spare"\n')
    text += "rule a -> hot: temperature_c > 30\nrule b -> ok: otherwise\n"
    found = warnings_of(text)
    assert [f.kind for f in found] == ["unused_source"]
    assert found[0].lines == (3,)
    assert "source 'spare' is declared but nothing cites it" in found[0].message


def test_the_shipped_rule_sets_have_no_warnings() -> None:
    for name in gistpath.builtin_names():
        assert gistpath.load_builtin(name).verify().warnings == ()
    from samples import WALK_FILE

    assert gistpath.load(WALK_FILE).verify().warnings == ()


def _model(text: str) -> gistpath.RuleSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gistpath.loads(text, "t.gprules", draft=True).model  # type: ignore[no-any-return]

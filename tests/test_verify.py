"""The verifier: exact gaps, overlaps, dead rules and table problems, each with an example.

Every example state a finding carries is checked against the *reference interpreter*
(independent of the compiled regions the verifier works on): a gap's example must match
no rule there, an overlap's example must match both rules.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gistpath
from gistpath import (
    EvaluationError,
    StateError,
    VerificationError,
    VerificationReport,
    VerificationWarning,
)

from strategies import states, thresholds_used

ROOT = Path(__file__).resolve().parents[1]
WALK = ROOT / "docs" / "examples" / "walk.gprules"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def draft(path: Path) -> gistpath.RuleSet:
    """Load a rule file that fails verification: it must warn, not raise."""
    with pytest.warns(VerificationWarning) as record:
        rs = gistpath.load(path, draft=True)
    assert len(record) == 1
    assert str(path) in str(record[0].message)
    return rs


def draft_text(text: str) -> gistpath.RuleSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VerificationWarning)
        return gistpath.loads(text, "inline.gprules", draft=True)


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith(needle):
            return number
    raise AssertionError(needle)


def assert_no_rule_matches(rs: gistpath.RuleSet, state: dict[str, object]) -> None:
    with pytest.raises(EvaluationError):
        rs.evaluate_reference(state)
    with pytest.raises(EvaluationError):
        rs.evaluate(state)
    # the interpreter decides nothing: no rule at all holds
    env = rs.interpreter.derive(rs.validate(state))
    assert [r.id for r in rs.rules if rs.interpreter.holds(r.condition, env)] == []


def rules_matching(rs: gistpath.RuleSet, state: dict[str, object]) -> list[str]:
    interpreter = rs.interpreter
    env = interpreter.derive(rs.validate(state))
    return [r.id for r in rs.rules if interpreter.holds(r.condition, env)]


# --------------------------------------------------------------------------- fixtures


def test_gap() -> None:
    path = FIXTURES / "gap.gprules"
    rs = draft(path)
    report = rs.verify()
    assert not report.ok
    assert [f.kind for f in report.findings] == ["gap"]
    (gap,) = report.gaps
    # '< 5' and '> 5' leave exactly one size uncovered: 5 cm.
    assert gap.example is not None
    assert gap.example == {"size_cm": 5}
    assert "size_cm = 5" in str(gap.region)
    assert_no_rule_matches(rs, dict(gap.example))
    # beside the gap every state is decided
    assert rs.evaluate({"size_cm": math.nextafter(5, 0)}).rule == "small"
    assert rs.evaluate({"size_cm": math.nextafter(5, 10)}).rule == "large"


def test_overlap() -> None:
    path = FIXTURES / "overlap.gprules"
    rs = draft(path)
    report = rs.verify()
    assert [f.kind for f in report.findings] == ["overlap"]
    (overlap,) = report.overlaps
    assert overlap.rules == ("gastric_small", "large")
    assert overlap.lines == (line_of(path, "rule gastric_small"), line_of(path, "rule large"))
    example = dict(overlap.example or {})
    # both rules hold exactly on: stomach, 5 <= size_cm <= 10
    assert example["site"] == "stomach"
    assert 5 <= example["size_cm"] <= 10  # type: ignore[operator]
    assert rules_matching(rs, example) == ["gastric_small", "large"]
    with pytest.raises(EvaluationError) as info:
        rs.evaluate(example)
    assert "gastric_small" in str(info.value)
    assert "large" in str(info.value)
    with pytest.raises(EvaluationError):
        rs.evaluate_reference(example)


def test_dead_rule() -> None:
    path = FIXTURES / "dead_rule.gprules"
    rs = draft(path)
    report = rs.verify()
    assert [f.kind for f in report.findings] == ["dead_rule"]
    (dead,) = report.dead_rules
    assert dead.rules == ("large_rectal",)
    assert dead.lines == (line_of(path, "rule large_rectal"),)
    # the only states it would hold on break the constraint
    with pytest.raises(StateError) as info:
        rs.validate({"site": "rectum", "size_cm": 10.5})
    assert info.value.field == "rectal_small"


@pytest.mark.slow
@settings(max_examples=60)
@given(st.data())
def test_dead_rule_never_fires(data: st.DataObject) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VerificationWarning)
        rs = gistpath.load(FIXTURES / "dead_rule.gprules", draft=True)
    state = data.draw(states(rs))
    assert rs.evaluate_reference(state).rule != "large_rectal"
    assert rs.evaluate(state).rule != "large_rectal"


def test_table_overlap() -> None:
    path = FIXTURES / "table_overlap.gprules"
    rs = draft(path)
    report = rs.verify()
    assert [f.kind for f in report.findings] == ["table_overlap"]
    (finding,) = report.findings
    assert finding.rules == (1, 2)
    assert finding.lines == (line_of(path, "    | <= 5"), line_of(path, "    | >= 5"))
    assert finding.example == {"size_cm": 5}  # '<= 5' and '>= 5' share only 5
    # the table takes the first matching row there, so the rules still decide
    decision = rs.evaluate(dict(finding.example))
    assert decision.values["risk"] == "low"
    assert decision.rule == "low_risk"
    assert rs.evaluate_reference(dict(finding.example)).values["risk"] == "low"


def test_empty_constraint() -> None:
    path = FIXTURES / "empty_constraint.gprules"
    rs = draft(path)
    report = rs.verify()
    assert [f.kind for f in report.errors] == ["empty_constraint"]
    (finding,) = report.errors
    # the constraint's comparison lies beyond the input's range: a warning says so too
    assert [f.kind for f in report.warnings] == ["out_of_range_comparison"]
    assert finding.lines == (line_of(path, "constraint impossible"),)
    assert "impossible" in finding.message
    for size in (0.001, 5, 100):
        with pytest.raises(StateError) as info:
            rs.validate({"size_cm": size})
        assert info.value.field == "impossible"


def test_bad_example() -> None:
    path = FIXTURES / "bad_example.gprules"
    rs = draft(path)
    report = rs.verify()
    assert [f.kind for f in report.findings] == ["example"]
    (finding,) = report.findings
    assert finding.lines == (line_of(path, "example medium"),)
    assert "'medium'" in finding.message
    assert "surveillance" in finding.message
    assert "resection" in finding.message
    assert finding.example == {"size_cm": 6}
    assert "tiny" not in report.format()


@pytest.mark.parametrize(
    "name",
    ["gap", "overlap", "dead_rule", "table_overlap", "empty_constraint", "bad_example"],
)
def test_load_refuses_a_fixture_that_fails(name: str) -> None:
    path = FIXTURES / f"{name}.gprules"
    with pytest.raises(VerificationError) as info:
        gistpath.load(path)
    error = info.value
    assert isinstance(error, gistpath.GistpathError)
    assert error.findings == draft(path).verify().findings
    assert str(path) in str(error)
    for finding in error.findings:
        assert finding.format() in str(error)


def test_syntax_and_semantic_fixtures_do_not_load() -> None:
    with pytest.raises(gistpath.RuleSyntaxError):
        gistpath.load(FIXTURES / "syntax_errors.gprules", draft=True)
    for name in ("type_error", "unit_error", "undefined_names"):
        with pytest.raises(gistpath.RuleSemanticError):
            gistpath.load(FIXTURES / f"{name}.gprules", draft=True)


# --------------------------------------------------------------------------- many findings at once

MANY = """\
ruleset many "Many findings"
source guide "A guide"
input site "Site": choice stomach, rectum
input size_cm "Size": number > 0 and <= 100 cm
input fit "Fit": boolean
constraint rectal_small "Rectal tumours are small": site is rectum implies size_cm <= 10
table risk "Risk"
    values low, high
    | size_cm | risk |
    | <= 5    | low  |
    | >= 5    | high |
pathway watch "Watch"
    summary "Watch."
    cites guide "A"
pathway operate "Operate"
    summary "Operate."
    cites guide "B"
rule small_gastric -> watch: risk is low and site is stomach
rule small_rectal -> watch: risk is low and site is rectum
rule large_fit -> operate: risk is high and fit
rule huge_unfit -> watch: size_cm >= 50 and not fit
rule tiny_gastric -> watch: site is stomach and size_cm <= 3
rule large_rectal -> operate: site is rectum and size_cm > 20
"""


def test_verification_error_lists_every_finding() -> None:
    with pytest.raises(VerificationError) as info:
        gistpath.loads(MANY, "many.gprules")
    error = info.value
    kinds = {f.kind for f in error.findings}
    assert kinds == {"table_overlap", "gap", "overlap", "dead_rule"}
    (overlap,) = [f for f in error.findings if f.kind == "overlap"]
    assert overlap.rules == ("small_gastric", "tiny_gastric")
    (dead,) = [f for f in error.findings if f.kind == "dead_rule"]
    assert dead.rules == ("large_rectal",)
    text = str(error)
    assert f"({len(error.findings)} findings)" in text
    for finding in error.findings:
        assert finding.format() in text
    rs = draft_text(MANY)
    gaps = [f for f in error.findings if f.kind == "gap"]
    assert gaps
    for gap in gaps:
        example = dict(gap.example or {})
        # uncovered: not fit and 5 < size < 50 (any site the constraint allows)
        assert example["fit"] is False
        assert 5 < example["size_cm"] < 50  # type: ignore[operator]
        assert_no_rule_matches(rs, example)
    assert rules_matching(rs, dict(overlap.example or {})) == ["small_gastric", "tiny_gastric"]


def test_draft_loads_with_a_warning_listing_the_findings() -> None:
    with pytest.warns(VerificationWarning) as record:
        rs = gistpath.loads(MANY, "many.gprules", draft=True)
    message = str(record[0].message)
    for finding in rs.verify().findings:
        assert finding.format() in message
    assert isinstance(rs, gistpath.RuleSet)


def test_verified_file_loads_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rs = gistpath.load(WALK)
        rs_draft = gistpath.load(WALK, draft=True)
    assert rs.verify().ok
    assert rs_draft.verify().ok


# --------------------------------------------------------------------------- other kinds


HEAD = """\
source guide "A guide"
input size_cm "Size": number > 0 and <= 100 cm
input fit "Fit": boolean
pathway watch "Watch"
    summary "Watch."
    cites guide "A"
pathway operate "Operate"
    summary "Operate."
    cites guide "B"
"""


def test_table_gap_and_dead_row() -> None:
    text = HEAD + (
        "table band\n    values small, large\n    hit first\n"
        "    | size_cm | band |\n"
        "    | < 5     | small |\n"
        "    | > 10    | large |\n"
        "    | < 3     | large |\n"  # hidden by the first row
        "rule r1 -> watch: fit\nrule r2 -> operate: not fit\n"
    )
    rs = draft_text(text)
    report = rs.verify()
    kinds = sorted(f.kind for f in report.findings)
    assert kinds == ["masked", "table_gap"]
    (gap,) = report.of_kind("table_gap")
    size = gap.example["size_cm"]  # type: ignore[index]
    assert 5 <= size <= 10  # type: ignore[operator]
    state = {"size_cm": size, "fit": True}
    assert rs.evaluate(state).values["band"] is None
    assert rs.evaluate_reference(state).values["band"] is None
    (masked,) = report.of_kind("masked")
    assert masked.rules == (3,)
    assert "never chosen" in masked.message
    assert masked.region is not None
    assert masked.region.contains({"size_cm": 2, "fit": True})


def test_dead_consideration() -> None:
    text = HEAD + (
        "rule r1 -> watch: not fit\nrule r2 -> operate: fit\n"
        'consideration never "Never"\n    summary "s"\n    cites guide\n'
        "    when pathway is watch and fit\n"
    )
    report = draft_text(text).verify()
    assert [(f.kind, f.rules) for f in report.findings] == [("dead_consideration", ("never",))]


def test_constraints_that_exclude_everything_together() -> None:
    text = HEAD + (
        'constraint big "Big": size_cm > 50\n'
        'constraint small "Small": size_cm < 20\n'
        "rule r1 -> watch: fit\nrule r2 -> operate: not fit\n"
    )
    report = draft_text(text).verify()
    assert [f.kind for f in report.findings] == ["no_valid_state"]


def test_otherwise_closes_a_gap() -> None:
    text = HEAD + (
        "when fit:\n"
        "    rule small_fit -> watch: size_cm < 5\n"
        "    rule other_fit -> operate: otherwise\n"
        "rule unfit -> watch: not fit\n"
    )
    rs = gistpath.loads(text)
    assert rs.verify().ok
    assert rs.evaluate({"size_cm": 5, "fit": True}).rule == "other_fit"
    assert rs.evaluate({"size_cm": 4.9, "fit": True}).rule == "small_fit"
    assert rs.evaluate({"size_cm": 4.9, "fit": False}).rule == "unfit"


def test_no_gap_between_adjacent_floats_or_integers() -> None:
    # No float lies strictly between 0.1 and the next float up, and no integer between 5
    # and 6: the rules below leave no valid state uncovered.
    floats = HEAD + (
        "rule r1 -> watch: size_cm <= 0.1\n"
        f"rule r2 -> operate: size_cm >= {math.nextafter(0.1, 1)!r}\n"
    )
    assert gistpath.loads(floats).verify().ok
    integers = HEAD.replace("input fit", "input n: integer >= 0 and <= 10\ninput fit") + (
        "rule r1 -> watch: n <= 5\nrule r2 -> operate: n >= 6\n"
    )
    assert gistpath.loads(integers).verify().ok
    # ... but between 5 and 6 a number does fall through
    numbers = HEAD + "rule r1 -> watch: size_cm <= 5\nrule r2 -> operate: size_cm >= 6\n"
    (gap,) = draft_text(numbers).verify().gaps
    assert 5 < gap.example["size_cm"] < 6  # type: ignore[index,operator]


def test_report_is_computed_once() -> None:
    rs = gistpath.load(WALK)
    assert rs.verify() is rs.verify()


# --------------------------------------------------------------------------- the walk example


def test_walk_verifies() -> None:
    rs = gistpath.load(WALK)
    report = rs.verify()
    assert report.ok, report.format()
    assert report.findings == ()
    assert report.pieces > 0
    assert "verified" in report.format()


def test_walk_without_a_rule_has_a_gap_there() -> None:
    text = WALK.read_text(encoding="utf-8")
    broken = text.replace("        rule short_wet -> walk_waterproofs: rain_outlook is wet\n", "")
    assert broken != text
    rs = draft_text(broken)
    report = rs.verify()
    assert {f.kind for f in report.findings} == {"gap", "example"}
    # the example 'snowing' (snow, 4 km, calm) is exactly the removed rule's case
    (example,) = report.of_kind("example")
    assert "'snowing'" in example.message
    assert "cannot be decided" in example.message
    for gap in report.gaps:
        example = dict(gap.example or {})
        assert_no_rule_matches(rs, example)
        # the interpreter's derived values say why: exactly the removed rule's case
        values = rs.interpreter.derive(rs.validate(example))
        assert values["rain_outlook"] == "wet"
        assert values["long_walk"] is False
        assert values["wind_band"] != "gale"


def test_walk_with_a_wrong_example_fails() -> None:
    text = WALK.read_text(encoding="utf-8")
    broken = text.replace(
        "example storm like sunny_stroll -> stay_home",
        "example storm like sunny_stroll -> walk_light",
    )
    assert broken != text
    with pytest.raises(VerificationError) as info:
        gistpath.loads(broken, "walk.gprules")
    (finding,) = info.value.findings
    assert finding.kind == "example"
    assert "'storm'" in finding.message
    assert finding.example is not None
    assert finding.example["wind_kmh"] == 90


def test_walk_with_overlapping_rules() -> None:
    text = WALK.read_text(encoding="utf-8")
    broken = text.replace(
        "rule short_dry -> walk_light: rain_outlook is dry",
        "rule short_dry -> walk_light: rain_outlook is dry or has_car",
    )
    rs = draft_text(broken)
    overlaps = rs.verify().overlaps
    assert overlaps
    for overlap in overlaps:
        assert "short_dry" in overlap.rules
        example = dict(overlap.example or {})
        assert example["has_car"] is True
        assert sorted(rules_matching(rs, example)) == sorted(overlap.rules)


# --------------------------------------------------------------------------- scale
#
# Verification of big files runs in a subprocess with a time limit, so that a verifier
# that has gone exponential fails the test instead of hanging the suite.


def banded_rule_file(n_inputs: int = 20, bands: int = 5) -> str:
    """n numeric inputs, each cut by ``band_i`` into alternating intervals; 2n rules.

    Rule i of a nested decision list fires where band_i holds and no earlier band did,
    split by whether the next input is at most 50; a final ``otherwise`` takes the rest.
    So the rules cover every state exactly once. With 5 bands each input is compared with
    12 numbers (0, 5, 10, ..., 45, 50, 100), and there are 2n rules.
    """
    lines = ['ruleset big "Many inputs"', 'source s "S"']
    lines += [f"input x{i}: number >= 0 and <= 100" for i in range(n_inputs)]
    for i in range(n_inputs):
        parts = [f"x{i} < 5"] + [f"{10 * k} <= x{i} < {10 * k + 5}" for k in range(1, bands)]
        lines.append(f"let band{i}: " + " or ".join(parts))
    for p in ("low", "high"):
        lines += [f'pathway {p} "{p}"', '    summary "s"', "    cites s"]
    indent = ""
    for i in range(n_inputs):
        nxt = (i + 1) % n_inputs
        lines.append(f"{indent}rule low{i} -> low: band{i} and x{nxt} <= 50")
        if i < n_inputs - 1:
            lines.append(f"{indent}rule high{i} -> high: band{i} and x{nxt} > 50")
            lines.append(f"{indent}when not band{i}:")
            indent += "    "
    lines.append(f"{indent}rule rest -> high: otherwise")
    return "\n".join(lines) + "\n"


def threshold_rule_file(n_inputs: int = 20) -> str:
    """Like :func:`banded_rule_file` with one cut per level (``x_i < 40``), and
    considerations that compare every input with 8 more numbers (0, 5, 10, 40, 50, 60,
    70, 80, 95, 100: 10 per input), so the cells multiply just as much."""
    lines = ['ruleset big "Many inputs"', 'source s "S"']
    lines += [f"input x{i}: number >= 0 and <= 100" for i in range(n_inputs)]
    for p in ("low", "high"):
        lines += [f'pathway {p} "{p}"', '    summary "s"', "    cites s"]
    for i in range(n_inputs):
        lines += [
            f'consideration edge{i} "Edge {i}"',
            '    summary "s"',
            "    cites s",
            f"    when pathway is high and (5 < x{i} <= 10 or 60 < x{i} < 70 or 80 <= x{i} <= 95)",
        ]
    indent = ""
    for i in range(n_inputs):
        nxt = (i + 1) % n_inputs
        lines.append(f"{indent}rule low{i} -> low: x{i} < 40 and x{nxt} <= 50")
        if i < n_inputs - 1:
            lines.append(f"{indent}rule high{i} -> high: x{i} < 40 and x{nxt} > 50")
            lines.append(f"{indent}when x{i} >= 40:")
            indent += "    "
    lines.append(f"{indent}rule rest -> high: otherwise")
    return "\n".join(lines) + "\n"


_TIMED_LOAD = """
import json, sys, time, warnings
import gistpath
warnings.simplefilter("ignore")
start = time.perf_counter()
rs = gistpath.loads(sys.stdin.read(), "big.gprules", draft=True)
report = rs.verify()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "kinds": sorted({f.kind for f in report.findings}),
                  "findings": len(report.findings), "rules": len(rs.rules)}))
"""


def timed_load(text: str, limit: float) -> dict[str, object]:
    import json
    import subprocess
    import sys

    try:
        done = subprocess.run(
            [sys.executable, "-c", _TIMED_LOAD],
            input=text,
            capture_output=True,
            text=True,
            timeout=limit,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading and verifying took more than {limit} s")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _cells(text: str) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from strategies import build_ruleset

        rs = build_ruleset(text)  # no verification here
    points = thresholds_used(rs)
    assert all(len(p) >= 10 for p in points.values()), points
    return math.prod(2 * len(p) + 1 for p in points.values())


@pytest.mark.slow
def test_astronomically_many_cells_verify_in_seconds() -> None:
    text = threshold_rule_file()
    assert _cells(text) > 10**25
    result = timed_load(text, limit=30)
    assert result["rules"] == 40
    assert result["kinds"] == []
    assert result["seconds"] < 5  # type: ignore[operator]


def test_decision_list_decides_where_it_matters() -> None:
    rs = gistpath.loads(threshold_rule_file(4))
    state = {f"x{i}": 45.0 for i in range(4)}  # no x_i < 40 anywhere
    assert rs.evaluate(state).rule == "rest"
    state["x2"] = 39.0  # level 2 fires; x3 = 45 <= 50
    assert rs.evaluate(state).rule == "low2"
    assert rs.evaluate_reference(state).rule == "low2"
    state["x3"] = 65.0  # now x3 > 50, and 60 < x3 < 70 brings in 'edge3'
    assert rs.evaluate(state).rule == "high2"
    assert rs.evaluate(state).considerations == ("edge3",)
    assert rs.evaluate_reference(state).considerations == ("edge3",)


# Scoring a split by candidates per piece made partition() visit ~4**n pieces on this
# 20-input decision list (n=6: 9.5k pieces; n=8: 152k, 3 s; n=10: 2.4M, 49 s); scoring by the
# candidates a split copies verifies it in 0.1 s.
@pytest.mark.slow
def test_astronomically_many_cells_with_interval_bands_verify_in_seconds() -> None:
    text = banded_rule_file()
    assert _cells(text) > 10**25
    result = timed_load(text, limit=8)
    assert result["kinds"] == []
    assert result["seconds"] < 5  # type: ignore[operator]


def _without_rule(text: str, rule: str) -> str:
    kept = [line for line in text.split("\n") if f"rule {rule} " not in line]
    assert len(kept) == text.count("\n")  # exactly one line removed
    return "\n".join(kept)


# Regression (same cause): with the rule 'high1' removed the verifier did not finish.
@pytest.mark.slow
def test_astronomically_many_cells_with_a_gap_verify_in_seconds() -> None:
    result = timed_load(_without_rule(banded_rule_file(), "high1"), limit=8)
    assert result["kinds"] == ["gap"]


def test_small_decision_list_with_a_gap() -> None:
    # Removing 'high1' leaves exactly: band0 fails, band1 holds, x2 > 50 uncovered.
    rs = draft_text(_without_rule(banded_rule_file(4), "high1"))
    report = rs.verify()
    assert {f.kind for f in report.findings} == {"gap"}
    for gap in report.gaps:
        example = dict(gap.example or {})
        assert_no_rule_matches(rs, example)
        values = rs.interpreter.derive(rs.validate(example))
        assert values["band0"] is False
        assert values["band1"] is True
        assert example["x2"] > 50  # type: ignore[operator]


# Regression (same cause): the one-box gap (not band0, band1, x2 > 50) is reported as 9
# separate gap findings for 6 inputs, 51 for 9 inputs.
def test_a_one_box_gap_is_one_finding() -> None:
    rs = draft_text(_without_rule(banded_rule_file(6), "high1"))
    assert len(rs.verify().findings) == 1


# --------------------------------------------------------------------------- regressions


# Regression: cells.cell_meets_domain calls math.floor(-inf) for an integer input without a
# lower limit: OverflowError instead of a rule set.
@pytest.mark.parametrize("spec", ["integer", "integer <= 10"])
def test_integer_input_without_lower_limit(spec: str) -> None:
    text = HEAD.replace("input fit", f"input n: {spec}\ninput fit") + (
        "rule r1 -> watch: n < 5\nrule r2 -> operate: n >= 5\n"
    )
    rs = gistpath.loads(text)
    assert rs.evaluate({"size_cm": 1, "fit": True, "n": -(10**6)}).pathway == "watch"


# Regression: an integer limit beyond the float range (<= 10**400 written out) is accepted by
# check, then compile calls float() on it: OverflowError.
def test_integer_limit_beyond_float_range() -> None:
    text = HEAD.replace("input fit", f"input n: integer >= 0 and <= 1{'0' * 400}\ninput fit") + (
        "rule r1 -> watch: n < 5\nrule r2 -> operate: n >= 5\n"
    )
    with pytest.raises(gistpath.RuleSemanticError) as info:  # refused cleanly, at the number
        gistpath.loads(text)
    line = text.split("\n").index(next(x for x in text.split("\n") if x.startswith("input n")))
    assert (info.value.line, info.value.column) == (
        line + 1,
        len("input n: integer >= 0 and <= ") + 1,
    )
    assert "too large" in str(info.value)


# Regression: Dimension.representative returns float(floor(low) + 1), which rounds back to low
# for |low| >= 2**53, so the gap example 1e16 lies on the covered threshold, not in the gap
# (1e16, 2e16).
def test_gap_example_between_large_thresholds_is_in_the_gap() -> None:
    text = HEAD.replace("<= 100 cm", "<= 1e17 cm") + (
        "rule r1 -> watch: size_cm <= 1e16\nrule r2 -> operate: size_cm >= 2e16\n"
    )
    rs = draft_text(text)
    (gap,) = rs.verify().gaps
    assert "1e+16 < size_cm < 2e+16" in str(gap.region)
    assert_no_rule_matches(rs, dict(gap.example or {}))


# Regression: for a gap above the largest threshold (x > 1e308) the example was 1e308 itself.
def test_gap_example_above_a_huge_threshold_is_in_the_gap() -> None:
    text = HEAD.replace("number > 0 and <= 100 cm", "number") + (
        "rule r1 -> watch: size_cm <= 1e308\nrule r2 -> operate: size_cm < -1 and fit\n"
    )
    rs = draft_text(text)
    gaps = [g for g in rs.verify().gaps if g.example and g.example["size_cm"] > 0]  # type: ignore[operator]
    assert gaps
    for gap in gaps:
        assert_no_rule_matches(rs, dict(gap.example or {}))


# --------------------------------------------------------------------------- plausible findings

_TWO_INPUTS = """\
ruleset t "T"
source s "S"
input ciwa "CIWA score": integer >= 0 and <= 67
input sedated "Sedated": boolean
input size_cm "Size": number > 0 and <= 100 cm
pathway low "Low"
    summary "l"
    cites s
pathway high "High"
    summary "h"
    cites s
"""


def test_an_integer_gap_of_one_value_reads_as_that_value() -> None:
    text = _TWO_INPUTS + "rule a -> low: ciwa <= 8\nrule b -> high: ciwa >= 10\n"
    report = _draft_report(text)
    (gap,) = report.gaps
    assert str(gap.region) == "ciwa = 9"
    assert gap.example["ciwa"] == 9


def test_an_overlap_is_shown_whole_and_merged() -> None:
    # 'wide' and 'split' overlap in two separate parts (ciwa > 40, and sedated with
    # ciwa <= 20): the finding's region holds both, exactly.
    text = _TWO_INPUTS + (
        "rule wide -> low: ciwa > 40 or (sedated and ciwa <= 20)\n"
        "rule split -> high: otherwise\n"
        "rule more -> high: ciwa > 30 or (sedated and ciwa < 15)\n"
    )
    report = _draft_report(text)
    pair = [f for f in report.overlaps if set(f.rules) == {"wide", "more"}]
    assert len(pair) == 1  # one finding for the pair, however many pieces
    region = pair[0].region
    for ciwa in range(68):
        for sedated in (False, True):
            state = {"ciwa": ciwa, "sedated": sedated, "size_cm": 5.0}
            both = ciwa > 40 or (sedated and ciwa < 15)
            assert region.contains(state) == both, state
    assert " or " in str(region)


def test_example_states_come_from_the_middle_of_their_cells() -> None:
    text = _TWO_INPUTS + (
        "rule a -> low: size_cm <= 10 and ciwa < 20\nrule b -> high: size_cm > 5 or ciwa >= 20\n"
    )
    (overlap,) = _draft_report(text).overlaps
    example = overlap.example
    assert 5 < example["size_cm"] <= 10
    assert example["size_cm"] not in (5.0, 10.0)  # not at an edge of its interval
    assert 0 < example["ciwa"] < 19  # not the lowest allowed value
    assert overlap.region.contains(example)


def _draft_report(text: str) -> VerificationReport:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gistpath.VerificationWarning)
        return gistpath.loads(text, "t.gprules", draft=True).verify()

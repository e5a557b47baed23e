"""The Finding API of library.md section 5: kind, example(s), region, rules, lines."""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs
import pytest

import gistpath
from gistpath import Finding, StateError, StateRegion

FIXTURES = Path(__file__).parent / "fixtures"


def draft(name: str) -> gistpath.RuleSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gistpath.VerificationWarning)
        return gistpath.load(FIXTURES / name, draft=True)


def test_gap_finding_fields() -> None:
    report = draft("gap.gprules").verify()
    assert not report.ok
    assert report.findings == report.gaps
    (gap,) = report.findings
    assert isinstance(gap, Finding)
    assert gap.kind == "gap"
    assert gap.examples == ({"size_cm": 5},)
    assert gap.example == gap.examples[0]
    assert isinstance(gap.region, StateRegion)
    assert str(gap.region) == "size_cm = 5"
    assert gap.region.contains({"size_cm": 5})
    assert gap.region.contains({"size_cm": 5.0})
    assert not gap.region.contains({"size_cm": 4.999})
    assert not gap.region.contains({"size_cm": 6})
    assert {"size_cm": 5} in gap.region
    assert "where: size_cm = 5" in gap.format()


def test_region_refuses_what_is_not_a_state() -> None:
    (gap,) = draft("gap.gprules").verify().gaps
    assert gap.region is not None
    with pytest.raises(StateError) as info:
        gap.region.contains({"size_cm": "5"})
    assert info.value.field == "size_cm"
    with pytest.raises(StateError):
        gap.region.contains({"size_cm": 5, "site": "stomach"})
    with pytest.raises(StateError):
        gap.region.contains({"size_cm": 0})  # outside the declared range


def test_overlap_finding_fields() -> None:
    rs = draft("overlap.gprules")
    (overlap,) = rs.verify().overlaps
    assert overlap.kind == "overlap"
    assert overlap.rules == ("gastric_small", "large")
    assert len(overlap.lines) == 2
    assert overlap.region is not None
    assert overlap.example is not None
    assert overlap.region.contains(overlap.example)
    assert overlap.region.contains({**overlap.example, "site": "stomach"})
    assert "site is stomach" in str(overlap.region)


def test_dead_rule_and_example_findings_have_no_region() -> None:
    (dead,) = draft("dead_rule.gprules").verify().dead_rules
    assert dead.kind == "dead_rule"
    assert dead.region is None
    assert dead.example is None
    assert dead.examples == ()
    examples = draft("bad_example.gprules").verify().of_kind("example")
    assert examples
    for finding in examples:
        assert finding.region is None
        assert finding.example is not None
        assert finding.lines


def test_findings_are_frozen() -> None:
    (gap,) = draft("gap.gprules").verify().gaps
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        gap.kind = "overlap"  # type: ignore[misc]


def test_a_verified_file_has_no_findings() -> None:
    report = gistpath.load_builtin("gist").verify()
    assert report.ok
    assert report.findings == report.gaps == report.overlaps == ()
    assert report.errors == report.warnings == ()

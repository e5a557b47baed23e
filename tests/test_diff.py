"""``gistpath diff``: which valid states change pathway between two versions of a rule file.

The report is checked against brute force: every combination of cells of the shared space
is turned into a concrete state and run through both rule sets with ``evaluate``; a state
whose answers differ must lie in a reported change with exactly those two answers, and a
state whose answers agree must lie in none.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import gistpath
from gistpath import StateError
from gistpath.diff import REFUSED, DiffError, DiffReport, diff_rulesets

from samples import WALK_FILE

WALK = WALK_FILE.read_text(encoding="utf-8")


def variant(old: str, new: str, text: str = WALK) -> gistpath.RuleSet:
    assert old in text, old
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gistpath.VerificationWarning)
        return gistpath.loads(text.replace(old, new), name="new.gprules", draft=True)


def answer(rs: gistpath.RuleSet, state: dict[str, object]) -> str:
    try:
        return rs.evaluate({k: v for k, v in state.items() if k in rs.inputs}).pathway
    except StateError:
        return REFUSED


def inside(box: tuple[int, ...], cells: tuple[int, ...]) -> bool:
    return all(mask >> cell & 1 for mask, cell in zip(box, cells, strict=False))


def brute_force(old: gistpath.RuleSet, new: gistpath.RuleSet, report: DiffReport) -> int:
    """Check the report on every cell combination; return how many states changed."""
    assert report.unlisted == 0
    dims = report.space.dimensions[:-1]
    per_dim = [[c for c in range(d.size) if d.valid >> c & 1] for d in dims]
    changed = 0
    for cells in itertools.product(*per_dim):
        state = {d.name: d.representative(c) for d, c in zip(dims, cells, strict=True)}
        pair = (answer(old, state), answer(new, state))
        hits = {(c.old, c.new) for c in report.changes if inside(c.box, cells)}
        if pair[0] != pair[1]:
            changed += 1
            assert hits == {pair}, (state, pair, hits)
        else:
            assert hits == set(), (state, pair, hits)
    return changed


@pytest.mark.slow
def test_the_same_file_changes_nothing() -> None:
    walk = gistpath.load(WALK_FILE)
    report = diff_rulesets(walk, gistpath.load(WALK_FILE))
    assert report.same
    assert "every valid state keeps its pathway" in report.format()
    assert brute_force(walk, walk, report) == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("| < 20     | calm", "| < 25     | calm"),  # a table threshold moves
        ("    10 < distance_km <= 100 km", "    15 < distance_km <= 100 km"),  # a let moves
        (  # a rule's pathway changes
            "rule short_dry -> walk_light",
            "rule short_dry -> walk_with_umbrella",
        ),
        (  # a choice gains a value: the new states were refused before
            "choice clear, cloudy, rain, snow\n",
            "choice clear, cloudy, rain, snow, hail\n",
        ),
        (  # a domain narrows: states refused now
            "number > 0 and <= 100 km",
            "number > 0 and <= 50 km",
        ),
    ],
)
def test_changes_match_brute_force(old: str, new: str) -> None:
    before = gistpath.load(WALK_FILE)
    text = WALK
    if "hail" in new:
        text = text.replace("| rain, snow    | -", "| rain, snow, hail | -")
    after = variant(old, new, text)
    report = diff_rulesets(before, after)
    assert not report.same
    assert brute_force(before, after, report) > 0
    for change in report.changes:  # every example shows the change it stands for
        assert (answer(before, dict(change.example)), answer(after, dict(change.example))) == (
            change.old,
            change.new,
        )


def test_refused_states_are_reported_both_ways() -> None:
    before = gistpath.load(WALK_FILE)
    after = variant("number > 0 and <= 100 km", "number > 0 and <= 50 km")
    forward = {(c.old, c.new) for c in diff_rulesets(before, after).changes}
    backward = {(c.old, c.new) for c in diff_rulesets(after, before).changes}
    assert all(new == REFUSED for _, new in forward)
    assert backward == {(b, a) for a, b in forward}


def test_an_input_only_one_version_has() -> None:
    before = gistpath.load(WALK_FILE)
    text = WALK.replace(
        "example sunny_stroll -> walk_light\n",
        "example sunny_stroll -> walk_light\n    dog_along = no\n",
    )
    after = variant(
        "input child_along",
        'input dog_along "A dog comes along": boolean\ninput child_along',
        text,
    )
    report = diff_rulesets(before, after)
    assert report.same
    assert any("dog_along" in note for note in report.notes)


def test_an_input_that_changes_kind_cannot_be_compared() -> None:
    before = gistpath.load(WALK_FILE)
    after = variant(
        'input rain_chance "Forecast chance of rain": integer',
        'input rain_chance "Forecast chance of rain": number',
    )
    with pytest.raises(DiffError, match="rain_chance"):
        diff_rulesets(before, after)


def test_gist_surveillance_cut_off_moved() -> None:
    gist = gistpath.load_builtin("gist")
    text = gistpath.builtin_path("gist").read_text(encoding="utf-8")
    after = variant("    size_cm < 2 cm\n", "    size_cm < 3 cm\n", text)
    report = diff_rulesets(gist, after)
    assert {c.new for c in report.changes} == {"surveillance"}
    assert all("size_cm" in c.where for c in report.changes)
    for change in report.changes:
        assert answer(gist, dict(change.example)) == change.old
        assert answer(after, dict(change.example)) == "surveillance"
        assert 2 <= change.example["size_cm"] < 3  # type: ignore[operator]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gistpath", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_cli(tmp_path: Path) -> None:
    new = tmp_path / "new.gprules"
    new.write_text(WALK.replace("| < 20     | calm", "| < 25     | calm"), encoding="utf-8")
    same = run_cli("diff", str(WALK_FILE), str(WALK_FILE))
    assert same.returncode == 0, same.stderr
    changed = run_cli("diff", str(WALK_FILE), str(new))
    assert changed.returncode == 1, changed.stderr
    assert "walk_waterproofs -> walk_with_umbrella" in changed.stdout
    assert "20 <= wind_kmh < 25" in changed.stdout
    example = changed.stdout.split("example state: ", 1)[1].splitlines()[0]
    assert json.loads(example)["wind_kmh"] >= 20
    as_json = json.loads(run_cli("diff", "--format", "json", str(WALK_FILE), str(new)).stdout)
    assert as_json["same"] is False
    assert {c["new_pathway"] for c in as_json["changes"]} == {"walk_with_umbrella"}
    broken = tmp_path / "broken.gprules"
    broken.write_text("ruleset x\ninput a: choice\n", encoding="utf-8")
    trouble = run_cli("diff", str(WALK_FILE), str(broken))
    assert trouble.returncode == 2
    assert "broken.gprules:" in trouble.stderr
    assert "Traceback" not in trouble.stderr
    assert run_cli("diff", "--help").returncode == 0

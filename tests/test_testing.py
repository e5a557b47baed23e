"""gistpath.testing: valid states are accepted, each kind of invalid state is refused."""

from __future__ import annotations

import contextlib
import math
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, Phase, assume, find, given, settings
from hypothesis import strategies as st

import gistpath
from gistpath.model import NumericDomain
from gistpath.testing import INVALID_KINDS, invalid_kinds, invalid_states, valid_states

from samples import WALK_FILE
from strategies import build_ruleset, rule_files

WALK = gistpath.load(WALK_FILE)
GIST = gistpath.load_builtin("gist")
RULESETS = {"walk": WALK, "gist": GIST}

NARROW = textwrap.dedent(
    """\
    ruleset narrow "Constraints that leave almost nothing"
    source guide "An invented guide"
    input a "A": integer >= 0 and <= 1000000
    input b "B": number >= -1000 and <= 1000
    input c "C": choice p, q, r, s, t, u, v, w
    input d "D": boolean
    constraint pinned "Only one corner is valid": a = 17 and b > 2.5 and b < 2.75 and c is t
    constraint or_this "D holds unless b is small": not d implies b < 2.6
    pathway one "One"
        summary "The only pathway."
        cites guide
    rule only -> one: otherwise
    """
)


def field_of(error: gistpath.StateError) -> str:
    return error.field


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RULESETS))
def test_valid_states_are_accepted(name: str) -> None:
    rs = RULESETS[name]

    @settings(max_examples=300, deadline=None)
    @given(valid_states(rs))
    def check(state: dict[str, object]) -> None:
        assert list(state) == list(rs.inputs)  # every field, in declaration order
        decision = rs.evaluate(state)
        assert decision.pathway in rs.pathways

    check()


def test_restrictive_constraints_need_no_rejection_sampling() -> None:
    rs = gistpath.loads(NARROW, "narrow.gprules")

    # Default health checks on: drawing by filtering would fail them here.
    @settings(max_examples=200, deadline=None)
    @given(valid_states(rs))
    def check(state: dict[str, object]) -> None:
        rs.validate(state)
        assert state["a"] == 17
        assert state["c"] == "t"
        assert 2.5 < state["b"] < 2.75  # type: ignore[operator]

    check()


def boundary_targets(rs: gistpath.RuleSet) -> list[tuple[str, object]]:
    """Every threshold and limit of every numeric input, and the values just beside it."""
    targets: list[tuple[str, object]] = []
    for dim in rs.compiled.space.dimensions[:-1]:
        domain = rs.inputs[dim.name].domain
        if dim.allows_unknown:
            targets.append((dim.name, "unknown"))
        if not isinstance(domain, NumericDomain):
            targets += [(dim.name, v) for v in dim.values]
            continue
        for t in dim.thresholds:
            if domain.integer:
                near: list[int | float] = [t - 1, t, t + 1]
            else:
                near = [math.nextafter(t, -math.inf), t, math.nextafter(t, math.inf)]
            targets += [(dim.name, v) for v in near if domain.contains(v)]
    return targets


@pytest.mark.slow
def test_every_boundary_is_drawn() -> None:
    """Each threshold, limit and neighbour of the walk example turns up in valid states."""
    strategy = valid_states(WALK)
    targets = boundary_targets(WALK)
    assert ("temperature_c", 5) in targets  # the 'cold' threshold
    assert ("wind_kmh", math.nextafter(62, -math.inf)) in targets
    assert ("rain_chance", 69) in targets
    quick = settings(max_examples=5000, phases=[Phase.generate], database=None, deadline=None)
    for name, value in targets:
        found = find(
            strategy,
            lambda s, name=name, value=value: (
                (s[name] == value and type(s[name]) is not bool) or s[name] is value
            ),
            settings=quick,
        )
        assert found[name] == value


def test_numbers_are_drawn_as_int_and_float() -> None:
    quick = settings(max_examples=2000, phases=[Phase.generate], database=None)
    strategy = valid_states(WALK)
    assert type(find(strategy, lambda s: s["temperature_c"] == 5, settings=quick)) is dict
    find(strategy, lambda s: type(s["distance_km"]) is int, settings=quick)
    find(strategy, lambda s: type(s["distance_km"]) is float, settings=quick)


EXPECTED_REASON = {
    "missing": lambda e, rs: e.reason == "missing field" and e.field in rs.inputs,
    "extra": lambda e, rs: e.reason.startswith("unknown field") and e.field not in rs.inputs,
    "wrong_type": lambda e, rs: e.field in rs.inputs and e.reason != "out of range",
    "out_of_range": lambda e, rs: e.reason == "out of range",
    "not_a_choice": lambda e, rs: e.reason.startswith("not an allowed value"),
    "nan_inf": lambda e, rs: "NaN" in e.reason or e.reason == "not an integer",
    "none": lambda e, rs: e.value is None and e.field in rs.inputs,
    "constraint": lambda e, rs: (
        e.field in {c.name for c in rs.model.constraints}
        and e.reason == "the state breaks this constraint"
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", INVALID_KINDS)
@pytest.mark.parametrize("name", sorted(RULESETS))
def test_each_kind_of_invalid_state_is_refused(name: str, kind: str) -> None:
    rs = RULESETS[name]
    assert kind in invalid_kinds(rs)

    @settings(max_examples=150, deadline=None)
    @given(invalid_states(rs, kinds=[kind]))
    def check(state: dict[str, object]) -> None:
        with pytest.raises(gistpath.StateError) as caught:
            rs.evaluate(state)
        assert EXPECTED_REASON[kind](caught.value, rs), caught.value
        with pytest.raises(gistpath.StateError):
            rs.evaluate_many([state], errors="raise")

    check()


@pytest.mark.slow
def test_not_a_choice_includes_case_and_spaces() -> None:
    quick = settings(max_examples=3000, phases=[Phase.generate], database=None)
    strategy = invalid_states(WALK, kinds=["not_a_choice"])
    for word in ("Clear", "CLEAR", " clear", "clear ", "unknown"):
        find(strategy, lambda s, word=word: s["sky"] == word, settings=quick)


@pytest.mark.slow
def test_misspelled_fields() -> None:
    quick = settings(max_examples=2000, phases=[Phase.generate], database=None)
    strategy = invalid_states(WALK, kinds=["extra"])
    declared = set(WALK.inputs)

    def misspelled_instead(state: dict[str, object]) -> bool:
        missing = declared - set(state)
        return any(k.lower().strip() in missing for k in state if isinstance(k, str))

    def other_case_beside(state: dict[str, object]) -> bool:
        return declared <= set(state) and any(
            k not in declared and k.lower() in declared for k in state if isinstance(k, str)
        )

    find(strategy, misspelled_instead, settings=quick)
    find(strategy, other_case_beside, settings=quick)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), rule_files())
def test_generated_rule_files(data: st.DataObject, text: str) -> None:
    rs = build_ruleset(text)
    assume(not rs.verify().of_kind("empty_constraint", "no_valid_state"))
    for _ in range(5):
        state = data.draw(valid_states(rs))
        rs.validate(state)
        # A draft may leave the state in a gap or an overlap, but never refuses it.
        with contextlib.suppress(gistpath.EvaluationError):
            rs.evaluate(state)
    for kind in invalid_kinds(rs):
        bad = data.draw(invalid_states(rs, kinds=[kind]))
        with pytest.raises(gistpath.StateError) as caught:
            rs.validate(bad)
        assert EXPECTED_REASON[kind](caught.value, rs), (kind, caught.value)


def test_kinds_are_checked() -> None:
    with pytest.raises(ValueError, match="not a kind"):
        invalid_states(WALK, kinds=["mising"])
    with pytest.raises(TypeError, match="list of kinds"):
        invalid_states(WALK, kinds="missing")
    only_booleans = gistpath.loads(
        textwrap.dedent(
            """\
            ruleset b "b"
            source g "g"
            input x "X": boolean
            pathway p "P"
                summary "p"
                cites g
            rule r -> p: otherwise
            """
        )
    )
    assert invalid_kinds(only_booleans) == ("missing", "extra", "wrong_type", "none")
    with pytest.raises(ValueError, match="can have no invalid state of kind not_a_choice"):
        invalid_states(only_booleans, kinds=["not_a_choice", "constraint"])
    # Kinds a rule set cannot have are skipped when others remain.
    invalid_states(only_booleans, kinds=["not_a_choice", "none"])


@pytest.mark.slow
def test_import_gistpath_does_not_import_hypothesis() -> None:
    code = (
        "import sys, gistpath\n"
        "rs = gistpath.load_builtin('gist')\n"
        "assert 'hypothesis' not in sys.modules, 'hypothesis imported'\n"
        "assert 'gistpath.testing' not in sys.modules\n"
        "import gistpath.testing\n"
        "assert 'hypothesis' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_docs_describe_every_public_name_and_kind() -> None:
    text = (WALK_FILE.parents[1] / "testing.rst").read_text(encoding="utf-8")
    import gistpath.testing

    for name in gistpath.testing.__all__:
        assert f":: {name}" in text, name
    for kind in INVALID_KINDS:
        assert f"``{kind}``" in text, kind
    for option in ("gistpath_collect", "gistpath_rules", "-p no:gistpath", "collect_ignore_glob"):
        assert option in text


# --------------------------------------------------------------------------- by pathway


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RULESETS))
def test_every_pathway_is_reached_in_a_few_hundred_draws(name: str) -> None:
    rs = RULESETS[name]
    seen: set[str] = set()

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(valid_states(rs))
    def check(state: dict[str, object]) -> None:
        seen.add(rs.evaluate(state).pathway)

    check()
    assert seen == set(rs.pathways)


@pytest.mark.slow
def test_the_readme_pathway_is_drawn() -> None:
    seen: list[str] = []

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(valid_states(GIST))
    def check(state: dict[str, object]) -> None:
        seen.append(GIST.evaluate(state).pathway)

    check()
    assert "resection_adjuvant_imatinib_1y" in seen


@pytest.mark.parametrize(
    ("name", "pathway"), [(n, p) for n in RULESETS for p in RULESETS[n].pathways]
)
def test_a_test_can_aim_at_one_pathway(name: str, pathway: str) -> None:
    rs = RULESETS[name]

    # Default health checks on: a strategy that filtered would fail them for rare pathways.
    @settings(max_examples=5, deadline=None, database=None)
    @given(valid_states(rs, pathway=pathway))
    def check(state: dict[str, object]) -> None:
        assert rs.evaluate(state).pathway == pathway

    check()


def test_pathway_must_be_one_of_the_rule_set() -> None:
    with pytest.raises(ValueError, match="'stay_hom' is not a pathway of rule set 'walk'"):
        valid_states(WALK, pathway="stay_hom")


@pytest.mark.slow
def test_pathway_regions_are_exact_over_every_cell() -> None:
    """Brute force over every combination of the walk file's cells: a valid combination is
    in the boxes of exactly the pathway evaluate gives it, and invalid ones in none."""
    import itertools

    from gistpath.testing import pathway_boxes

    dims = WALK.compiled.space.dimensions[:-1]
    parts = pathway_boxes(WALK)
    assert parts[None] == []  # a verified file has no gaps
    cells = [[c for c in range(dim.valid.bit_length()) if dim.valid >> c & 1] for dim in dims]
    count = 0
    for combo in itertools.product(*cells):
        state = {dim.name: dim.representative(c) for dim, c in zip(dims, combo, strict=True)}
        inside = [
            name
            for name, boxes in parts.items()
            if any(all(box[d] >> c & 1 for d, c in enumerate(combo)) for box in boxes)
        ]
        try:
            pathway = WALK.evaluate(state).pathway
        except gistpath.StateError:
            assert inside == []
            continue
        assert inside == [pathway]
        count += 1
    assert count > 1000

"""Decision as a user meets it (spec section 1): its fields, its order of considerations,
that it cannot be changed, and that equal decisions hash alike."""

from __future__ import annotations

import pytest

import gistpath

from samples import WALK_FILE, walk_state

SUNNY = walk_state()


@pytest.fixture(scope="module")
def walk() -> gistpath.RuleSet:
    return gistpath.load(WALK_FILE)


def test_decision_fields(walk: gistpath.RuleSet) -> None:
    decision = walk.evaluate({**SUNNY, "temperature_c": 2.0, "rain_chance": 50})
    assert decision.pathway == "walk_with_umbrella"
    assert decision.rule == "short_showers_calm"
    assert decision.considerations == ("gloves",)
    # inputs and derived values, all readable
    assert decision.values["temperature_c"] == 2.0
    assert decision.values["cold"] is True
    assert decision.values["wind_band"] == "calm"
    assert decision.values["rain_outlook"] == "showers"
    assert decision.anchor == "pathway-walk-with-umbrella"
    assert decision.as_dict()["pathway"] == "walk_with_umbrella"


def test_considerations_come_in_file_order(walk: gistpath.RuleSet) -> None:
    state = {**SUNNY, "temperature_c": 2.0, "child_along": True, "distance_km": 8.0}
    assert walk.evaluate(state).considerations == ("gloves", "snacks")


def test_a_decision_cannot_be_changed(walk: gistpath.RuleSet) -> None:
    decision = walk.evaluate(SUNNY)
    for name in ("pathway", "considerations", "rule", "values", "ruleset", "anything"):
        with pytest.raises(AttributeError):
            setattr(decision, name, None)
        with pytest.raises(AttributeError):
            delattr(decision, name)
    assert decision == walk.evaluate(SUNNY)


def test_equal_decisions_hash_alike_whatever_the_order_of_their_values() -> None:
    rs = gistpath.load_builtin("gist")
    a = gistpath.Decision("p", (), "r", {"x": 1, "y": 2}, rs)
    b = gistpath.Decision("p", (), "r", {"y": 2, "x": 1}, rs)
    assert a == b
    assert hash(a) == hash(b)

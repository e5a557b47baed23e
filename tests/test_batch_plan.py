"""gistpath.batch.plan: one frozen plan per rule set, built on its first batch, gone with it;
the rule set itself keeps no cache of the batch path's."""

from __future__ import annotations

import gc
import weakref

import attrs
import pytest

import gistpath
from gistpath.batch import plan as plans
from gistpath.batch.plan import plan_for

from samples import WALK_FILE, gist_state


def test_a_rule_set_has_one_plan_built_on_its_first_batch() -> None:
    rs = gistpath.load(WALK_FILE)
    assert rs not in plans._PLANS
    plan = plan_for(rs)
    assert plan_for(rs) is plan
    assert plan.classes is plan.classes  # built once, then kept
    assert plan.words is plan.words
    assert plan.by_name["sky"].utf8 is plan.by_name["sky"].utf8
    assert plan.by_name["sky"].text_spec(8) is plan.by_name["sky"].text_spec(8)
    assert [p.name for p in plan.inputs] == list(rs.inputs)
    assert plan.rule_ids == tuple(r.id for r in rs.rules)


def test_the_plan_is_frozen_and_the_rule_set_keeps_no_memo() -> None:
    rs = gistpath.load_builtin("gist")
    plan = plan_for(rs)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        plan.verified = False  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        plan.rule_pathway[0] = 1
    assert not hasattr(rs, "memo")


def test_a_plan_goes_when_its_rule_set_goes() -> None:
    rs = gistpath.load(WALK_FILE)
    plan = weakref.ref(plan_for(rs))
    del rs
    gc.collect()
    assert plan() is None


def test_the_specs_of_each_input_fit_its_kind() -> None:
    rs = gistpath.load_builtin("gist")
    for inp in plan_for(rs).inputs:
        if inp.numeric:
            assert inp.lookup is None
            assert inp.utf8 is None
        else:
            assert inp.number is None
            assert inp.lookup is not None
        assert inp.dimension.valid >> inp.fallback & 1  # a valid cell for refused rows
    state = gist_state()
    for name, value in state.items():
        inp = plan_for(rs).by_name[name]
        assert inp.cell(value) == inp.dimension.cell_of(rs.field_validator(name)(value))

"""The benchmark harness in ``benchmarks/``: its contenders give the answers it times.

* ``baseline.decide`` (the hand-written GIST function) agrees with ``evaluate`` on the rule
  file's examples, on hypothesis states with every threshold in reach and on the seeded
  sample ``run.py`` times; it accepts and refuses exactly the states ``evaluate`` accepts
  and refuses (types, numpy scalars, ranges, choices, ``unknown``, missing and extra
  fields, the consistency rules), naming the same field.
* ``afip_baseline`` and each peer engine of ``peers.py`` agree with the decision's ``risk``
  at and beside every boundary of the AFIP table; the peers' ``risk`` and ``pathway``
  programs agree too. The peers are the ``bench`` extra: their tests skip without it.
* ``run.py --smoke`` runs every section end to end (a subprocess, as a user runs it) and
  writes its JSON; no test here ever asserts a time.
* ``startup.py`` names every stage of a cold load and compares two trees (one given twice).
* ``lsp.py``'s semantic edits still find the GIST lines they edit, and each edited text
  checks and means something else (a derived value or a table row changed), so the
  figure keeps measuring a proof that must be redone.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import json
import math
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gistpath

from samples import ROOT, gist_state
from strategies import states as valid_states

BENCHMARKS = ROOT / "benchmarks"


def bench_module(name: str) -> ModuleType:
    """A module of ``benchmarks/`` (a folder of scripts, not a package)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


baseline = bench_module("baseline")
workload = bench_module("workload")
verify_scaling = bench_module("verify_scaling")


@functools.cache
def rules() -> gistpath.RuleSet:
    return gistpath.load_builtin("gist")


def below(x: float) -> float:
    return math.nextafter(x, -math.inf)


def above(x: float) -> float:
    return math.nextafter(x, math.inf)


def outcome(call: Any, state: object) -> tuple[str, object]:
    """('ok', answer) or ('error', field) for one contender on one state."""
    try:
        answer = call(state)
    except (gistpath.StateError, baseline.InvalidState) as error:
        return "error", error.field
    if isinstance(answer, gistpath.Decision):
        return "ok", (answer.pathway, answer.considerations)
    return "ok", answer


def assert_same(state: object) -> tuple[str, object]:
    expected = outcome(rules().evaluate, state)
    got = outcome(baseline.decide, state)
    assert got == expected, state
    return got


# --------------------------------------------------------------------------- valid states


def test_baseline_agrees_on_the_rule_files_examples() -> None:
    examples = rules().model.examples
    assert len(examples) >= 60
    for example in examples:
        assert baseline.decide(dict(example.state)) == (
            example.pathway,
            tuple(example.considerations),
        ), example.name


@pytest.mark.slow
@settings(max_examples=600)
@given(st.data())
def test_baseline_agrees_on_hypothesis_states(data: st.DataObject) -> None:
    state = data.draw(valid_states(rules()))
    kind, _ = assert_same(state)
    assert kind == "ok"


def test_baseline_agrees_on_the_timed_sample() -> None:
    for state in workload.sample_states(3000, seed=2026):
        decision = rules().evaluate(state)
        assert baseline.decide(state) == (decision.pathway, decision.considerations), state


def test_sample_is_seeded_distinct_and_valid() -> None:
    first = workload.sample_states(500, seed=7)
    assert first == workload.sample_states(500, seed=7)
    keys = {tuple((k, v, type(v)) for k, v in s.items()) for s in first}
    assert len(keys) == 500
    for state in first + workload.localized_states(200, seed=7):
        rules().validate(state)
    assert {s["presentation"] for s in first} == {"localized", "metastatic", "recurrent"}


# --------------------------------------------------------------------------- invalid states

NAN = float("nan")


class TextSubclass(str):
    pass


class IntSubclass(int):
    pass


class FloatSubclass(float):
    pass


# Values tried in every field: plain, numpy, wrong types, edge numbers.
ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    3,
    5,
    6,
    50,
    51,
    1000,
    1001,
    10**30,
    0.0,
    -0.0,
    5e-324,
    2.0,
    4.5,
    100.0,
    above(100.0),
    3.0,
    NAN,
    math.inf,
    -math.inf,
    "4",
    "",
    "unknown",
    "Unknown",
    "stomach",
    "Stomach",
    " stomach",
    "localized",
    "resectable",
    "kit_exon11",
    "none",
    "imatinib",
    "not_applicable",
    "stable",
    b"stomach",
    ["stomach"],
    {"value": 1},
    (),
    TextSubclass("stomach"),
    TextSubclass("unknown"),
    IntSubclass(3),
    FloatSubclass(4.0),
    np.float64(4.0),
    np.float64(NAN),
    np.float64(math.inf),
    np.float32(2.5),
    np.float16(2.0),
    np.longdouble(4.0),
    np.longdouble(1) / np.longdouble(3),  # not exactly a 64-bit float
    np.int64(3),
    np.int8(-1),
    np.uint16(2),
    np.uint64(2**63),
    np.bool_(True),
    np.bool_(False),
    np.str_("stomach"),
    np.str_("unknown"),
    np.str_("localized"),
    np.bytes_(b"stomach"),
    np.array(3),
    np.array(2.5),
    np.array([1]),
]


@pytest.mark.parametrize("field", baseline.FIELDS)
def test_every_odd_value_in_every_field(field: str) -> None:
    accepted = 0
    for base in (
        gist_state(),
        gist_state(presentation="metastatic", distant_sites=2, current_therapy="imatinib",
                   response="stable"),
    ):  # fmt: skip
        for value in ODD_VALUES:
            state = dict(base)
            state[field] = value
            kind, _ = assert_same(state)
            accepted += kind == "ok"
    assert accepted  # some odd values are valid somewhere (numpy scalars, subclasses of str)


CONSTRAINT_BREAKERS: list[dict[str, object]] = [
    {"current_therapy": "none", "response": "stable"},
    {"current_therapy": "imatinib", "response": "not_applicable"},
    {"distant_sites": 1},
    {"distant_sites": 2, "liver_metastases": True},
    {"painful_bone_metastases": True},
    {"liver_metastases": True},
    {"presentation": "metastatic"},
    {"presentation": "metastatic", "liver_metastases": True},
    {"presentation": "recurrent", "liver_metastases": True},
    {"presentation": "recurrent", "painful_bone_metastases": True},
    {
        "presentation": "recurrent",
        "current_therapy": "none",
        "response": "stable",
        "liver_metastases": True,
    },
]


@pytest.mark.parametrize("changes", CONSTRAINT_BREAKERS)
def test_broken_consistency_rules(changes: dict[str, object]) -> None:
    kind, field = assert_same(gist_state(**changes))
    assert kind == "error"
    assert field in {c.name for c in rules().model.constraints}


def _without(field: str) -> dict[str, object]:
    state = gist_state()
    del state[field]
    return state


def _renamed(old: str, new: str) -> dict[str, object]:
    state = gist_state()
    state[new] = state.pop(old)
    return state


SHAPES: list[object] = [
    *[_without(f) for f in ("presentation", "size_cm", "painful_bone_metastases")],
    _renamed("size_cm", "size"),
    _renamed("presentation", "Presentation"),
    _renamed("painful_bone_metastases", "bone_pain"),
    gist_state(colour="blue"),
    {**gist_state(), 1: "one"},
    {},
    [],
    list(gist_state().items()),
    None,
    "presentation=localized",
    MappingProxyType(gist_state()),
    OrderedDict(gist_state()),
    MappingProxyType({**gist_state(), "extra": 1}),
    MappingProxyType(_without("site")),
    {**_renamed("size_cm", "size"), "presentation": "nowhere"},  # an undeclared key comes first
    {**_without("size_cm"), "presentation": "nowhere"},  # a bad value before a missing field
]


@pytest.mark.parametrize("state", SHAPES, ids=range(len(SHAPES)))
def test_state_shapes(state: object) -> None:
    assert_same(state)


@pytest.mark.slow
@settings(max_examples=500)
@given(
    st.data(),
    st.lists(st.tuples(st.sampled_from(baseline.FIELDS), st.sampled_from(ODD_VALUES)), max_size=3),
)
def test_mutated_states_are_judged_alike(
    data: st.DataObject, changes: list[tuple[str, object]]
) -> None:
    state = dict(data.draw(valid_states(rules())))
    for field, value in changes:
        state[field] = value
    assert_same(state)


# --------------------------------------------------------------------------- the AFIP table

SITES = ("esophagus", "stomach", "duodenum", "small_intestine", "colon", "rectum", "extra_gi")
SIZES: tuple[float, ...] = (
    5e-324,
    1.0,
    1.9999,
    below(2.0),
    2.0,
    2,
    above(2.0),
    3.5,
    below(5.0),
    5.0,
    5,
    above(5.0),
    7.5,
    below(10.0),
    10.0,
    10,
    above(10.0),
    10.5,
    below(100.0),
    100.0,
)
MITOSES = (0, 4, 5, 6, 7, 999, 1000)


def boundary_states(**changes: object) -> list[dict[str, object]]:
    """Localized states on and beside every size and mitoses boundary, at every site."""
    return [
        gist_state(site=site, size_cm=size, mitotic_rate=count, **changes)
        for site in SITES
        for size in SIZES
        for count in MITOSES
    ]


def test_afip_baseline_at_every_boundary() -> None:
    for state in boundary_states():
        expected = rules().evaluate(state).values["risk"]
        got = baseline.afip_baseline(state["site"], state["size_cm"], state["mitotic_rate"])
        assert got == expected, state


def test_afip_rule_set_at_every_boundary() -> None:
    """The AFIP table alone as a rule set (what the peers are timed against) agrees too."""
    afip_rules = bench_module("afip_rules")
    afip = afip_rules.afip_ruleset()
    assert set(afip.inputs) == {"site", "size_cm", "mitotic_rate"}
    for state in [*boundary_states(), gist_state(mitotic_rate="unknown")]:
        three = {k: state[k] for k in afip.inputs}
        got = afip.evaluate(three).pathway.removeprefix(afip_rules.PREFIX)
        assert got == rules().evaluate(state).values["afip_risk"], state
    with pytest.raises(gistpath.StateError):
        afip.evaluate({"site": "stomach", "size_cm": 0, "mitotic_rate": 3})


PEER_MODULES = {"RuleEnginePeer": "rule_engine", "CelPeer": "celpy", "JsonLogicPeer": "json_logic"}


@functools.cache
def _peer(cls_name: str) -> Any:
    return getattr(bench_module("peers"), cls_name)()


@pytest.fixture(params=sorted(PEER_MODULES))
def peer(request: pytest.FixtureRequest) -> Any:
    pytest.importorskip(PEER_MODULES[request.param])
    return _peer(request.param)


@pytest.mark.slow
def test_peer_afip_table_at_every_boundary(peer: Any) -> None:
    program = peer.programs["afip"]
    for state in boundary_states():
        assert program(state) == rules().evaluate(state).values["risk"], (peer.name, state)


@pytest.mark.slow
def test_peer_risk_with_rupture_and_unknown_counts(peer: Any) -> None:
    program = peer.programs["risk"]
    states = boundary_states(tumor_rupture=True) + [
        gist_state(site=site, size_cm=size, mitotic_rate="unknown", tumor_rupture=rupture)
        for site in SITES
        for size in (1.0, 2.0, 7.5, 55.0)
        for rupture in (False, True)
    ]
    states += workload.sample_states(300, seed=11)  # metastatic and recurrent: not applicable
    for state in states:
        assert program(state) == rules().evaluate(state).values["risk"], (peer.name, state)


@pytest.mark.slow
def test_peer_pathway(peer: Any) -> None:
    program = peer.programs["pathway"]
    states = [dict(e.state) for e in rules().model.examples]
    states += workload.sample_states(400, seed=5)
    for state in states:
        assert program(state) == rules().evaluate(state).pathway, (peer.name, state)


# --------------------------------------------------------------------------- the harness


def test_growth_exponent_of_a_quadratic() -> None:
    rows = [verify_scaling.Row(n, 20, 0.0, 1e-6 * n * n, None) for n in (100, 200, 400, 800)]
    ratios, exponent = verify_scaling.growth(rows)
    assert ratios == pytest.approx([4.0, 4.0, 4.0])
    assert exponent == pytest.approx(2.0)


def test_generated_rule_sets_verify() -> None:
    rows = verify_scaling.measure([16, 32])
    assert [r.rules for r in rows] == [16, 32]
    assert all(r.verify_s > 0 and r.load_s > 0 for r in rows)


@pytest.mark.slow
def test_run_smoke(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--smoke", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for heading in ("single states", "AFIP question", "batches", "start-up", "verification"):
        assert heading in done.stdout
    assert "goals" in done.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["config"]["mode"] == "smoke"
    assert {"cpu", "cores", "python", "numpy"} <= set(results["machine"])
    goals = {g["key"]: g for g in results["goals"]}
    assert {
        "evaluate_vs_baseline",
        "afip_vs_fastest_peer",
        "batch_numpy_vs_baseline",
        "batch_lists_vs_baseline",
        "import",
        "import_heavy",
        "load_cold",
        "verify_exponent",
    } <= set(goals)
    assert all(g["met"] in (True, False, None) for g in goals.values())
    figures = {f["key"] for f in results["figures"]}
    assert {"evaluate", "baseline", "afip_evaluate", "import", "load_cold"} <= figures


def test_the_language_server_benchmark_edits_change_what_gist_means() -> None:
    lsp = bench_module("lsp")
    from gistpath.loader import build

    gist = lsp.GIST.read_text(encoding="utf-8")
    edits = lsp.semantic_edits(gist, 12)
    assert gist not in edits
    assert all(a != b for a, b in itertools.pairwise(edits))
    original = build(gist).model
    for text in edits[:4]:
        edited = build(text).model  # parses and checks
        # a let's condition or a table's row is another: the meaning changed
        assert (dict(edited.lets), dict(edited.tables)) != (
            dict(original.lets),
            dict(original.tables),
        )
    with pytest.raises(ValueError, match="no line"):
        lsp.semantic_edits(gist.replace(lsp.THRESHOLD, ""), 1)


@pytest.mark.slow
def test_startup_times_each_stage_and_compares_trees() -> None:
    """``startup.py`` runs as a user runs it: every stage named, and two trees compared."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "startup.py"), "--rounds", "1", "--stages",
         "--compare", str(ROOT / "src"), str(ROOT / "src")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for stage in ("imports", "parse", "check", "compile", "tables", "ruleset", "verify", "total"):
        assert f"  {stage} " in done.stdout
    assert done.stdout.count("(1 rounds)") == 2  # the same tree twice: two figures of noise

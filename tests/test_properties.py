"""Proven properties (:mod:`gistpath.properties`) against brute force over every cell.

As in ``test_verify_bruteforce.py``, one representative state per combination of valid
cells stands for all states of that combination; the reference interpreter (which shares
nothing with the regions) decides each and evaluates each property line on the decision.
The verifier's ``property``, ``monotonicity`` and ``vacuous_property`` findings must then
be exactly what brute force finds, each counterexample must be a valid state that really
breaks the property, and a failing region must hold exactly the states where it fails.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, assume, event, given, settings

import gistpath
from gistpath import ast
from gistpath.interpreter import Interpreter
from gistpath.language import CONSIDERATIONS_NAME, PATHWAY_NAME
from gistpath.model import Property
from gistpath.state import field_validators, validate_fields

from strategies import build_ruleset, rule_files

MAX_STATES = 6_000
PROPERTY_KINDS = {"property", "monotonicity", "vacuous_property"}
FILTERING = settings(
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    deadline=None,
)


def cell_states(rs: gistpath.RuleSet, valid_only: bool = True) -> list[dict[str, object]]:
    dims = rs.compiled.space.dimensions[:-1]
    per_dim = [
        [(dim.name, dim.representative(c)) for c in range(dim.size) if dim.valid >> c & 1]
        for dim in dims
    ]
    return [dict(combo) for combo in itertools.product(*per_dim)]


def product_size(rs: gistpath.RuleSet) -> int:
    size = 1
    for d in rs.compiled.space.dimensions[:-1]:
        size *= bin(d.valid).count("1")
    return size


@dataclass
class Truth:
    # (property id, line index) -> a failing (state, rule id)
    failing: dict[tuple[str, int], tuple[dict[str, object], str]] = field(default_factory=dict)
    # (property id, line index) whose `implies` antecedent some decided valid state reaches
    reached: set[tuple[str, int]] = field(default_factory=set)
    # property ids whose monotonicity fails
    falling: set[str] = field(default_factory=set)
    # states decided by exactly one rule: state key -> outcome env
    unique: dict[tuple[object, ...], dict[str, object]] = field(default_factory=dict)


def key(state: Mapping[str, object]) -> tuple[object, ...]:
    return tuple((k, type(v).__name__, v) for k, v in state.items())


def decided_env(interp: Interpreter, env: Mapping[str, object], pathway: str) -> dict[str, object]:
    with_pathway = {**env, PATHWAY_NAME: pathway}
    considerations = tuple(
        c.id
        for c in interp.model.considerations.values()
        if interp.holds(c.condition, with_pathway)
    )
    return {**with_pathway, CONSIDERATIONS_NAME: considerations}


def brute_force(rs: gistpath.RuleSet) -> Truth:
    model = rs.model
    interp = Interpreter(model)
    validators = field_validators(model.inputs)
    truth = Truth()
    holds_props = [p for p in model.properties.values() if p.kind == "holds"]
    # monotone: group valid states by the other inputs
    groups: dict[tuple[str, tuple[object, ...]], list[tuple[object, object]]] = {}
    for raw in cell_states(rs):
        state = validate_fields(raw, model.inputs, validators)
        env = interp.derive(state)
        if interp.broken_constraint(env) is not None:
            continue
        fired = [r for r in model.rules if interp.holds(r.condition, env)]
        for rule in fired:
            decided = decided_env(interp, env, rule.pathway)
            for prop in holds_props:
                for index, line in enumerate(prop.conditions):
                    if not interp.holds(line, decided):
                        truth.failing.setdefault((prop.id, index), (raw, rule.id))
                    if isinstance(line, ast.Implies) and interp.holds(line.left, decided):
                        truth.reached.add((prop.id, index))
            if len(fired) == 1:
                truth.unique[key(raw)] = decided
        for prop in model.properties.values():
            if prop.kind != "monotone":
                continue
            assert prop.input is not None
            assert prop.value is not None
            x = raw[prop.input]
            if x == "unknown":
                continue
            rest = tuple((k, v) for k, v in raw.items() if k != prop.input)
            groups.setdefault((prop.id, rest), []).append((x, env[prop.value]))
    for (pid, _), points in groups.items():
        order = model.tables[model.properties[pid].value or ""].order
        rank = {v: i for i, v in enumerate(order)}
        ranked = [(x, rank[v]) for x, v in points if v in rank]
        for (xa, ra), (xb, rb) in itertools.combinations(ranked, 2):
            if (xa < xb and ra > rb) or (xb < xa and rb > ra):  # type: ignore[operator]
                truth.falling.add(pid)
    return truth


def tautology(rs: gistpath.RuleSet, line: ast.Expr) -> bool:
    """The line holds on every state (valid or not) with every pathway."""
    model = rs.model
    interp = Interpreter(model)
    validators = field_validators(model.inputs)
    for raw in cell_states(rs):
        env = interp.derive(validate_fields(raw, model.inputs, validators))
        for pathway in model.pathways:
            if not interp.holds(line, decided_env(interp, env, pathway)):
                return False
    return True


def line_index(prop: Property, finding: gistpath.Finding) -> int:
    """Which line of the property a finding is about (its second line number)."""
    matches = [i for i, c in enumerate(prop.conditions) if c.line == finding.lines[1]]
    assert len(matches) == 1, finding.format()
    return matches[0]


def check_file(rs: gistpath.RuleSet) -> gistpath.VerificationReport:
    truth = brute_force(rs)
    report = rs.verify()
    model = rs.model
    interp = Interpreter(model)
    found = [f for f in report.findings if f.kind in PROPERTY_KINDS]
    if report.of_kind("empty_constraint", "no_valid_state"):
        return report  # the verifier stops before properties
    # holds: failures exactly, each counterexample real, each region exact
    failing_lines: set[tuple[str, int]] = set()
    for finding in report.of_kind("property"):
        assert finding.property_id is not None
        prop = model.properties[finding.property_id]
        index = line_index(prop, finding)
        failing_lines.add((prop.id, index))
        assert finding.example is not None
        assert finding.lines[0] == prop.line
        rs.validate(finding.example)  # a valid state
        env = interp.derive(
            validate_fields(finding.example, model.inputs, field_validators(model.inputs))
        )
        rule = next(r for r in model.rules if r.id == finding.rules[0])
        assert interp.holds(rule.condition, env), finding.format()
        decided = decided_env(interp, env, rule.pathway)
        assert not interp.holds(prop.conditions[index], decided), finding.format()
        assert finding.region is not None
        for state_key, decided in truth.unique.items():
            state = {k: v for k, _, v in state_key}
            fails = not interp.holds(prop.conditions[index], decided)
            assert finding.region.contains(state) == fails, (state, finding.format())
    assert failing_lines == set(truth.failing), (truth.failing, report.format())
    # vacuous: an implication never reached, or a line true for every state and pathway
    vacuous = {
        (f.property_id, line_index(model.properties[f.property_id or ""], f))
        for f in report.of_kind("vacuous_property")
    }
    for finding in report.of_kind("vacuous_property"):
        assert not finding.is_error
    expected_vacuous = set()
    for prop in model.properties.values():
        for index, line in enumerate(prop.conditions):
            if (prop.id, index) in truth.failing:
                continue
            if isinstance(line, ast.Implies):
                if (prop.id, index) not in truth.reached:
                    expected_vacuous.add((prop.id, index))
            elif tautology(rs, line):
                expected_vacuous.add((prop.id, index))
    assert vacuous == expected_vacuous, report.format()
    # monotone: failures exactly, each with two valid states differing only in the input
    falling = set()
    for finding in report.of_kind("monotonicity"):
        pid = finding.property_id or ""
        prop = model.properties[pid]
        falling.add(pid)
        assert prop.input is not None
        assert prop.value is not None
        a, b = finding.examples
        assert {k for k in a if a[k] != b[k]} == {prop.input}, finding.format()
        assert a[prop.input] < b[prop.input]  # type: ignore[operator]
        order = model.tables[prop.value].order
        validators = field_validators(model.inputs)
        for state in (a, b):
            rs.validate(state)  # both valid
        va = interp.derive(validate_fields(a, model.inputs, validators))[prop.value]
        vb = interp.derive(validate_fields(b, model.inputs, validators))[prop.value]
        assert order.index(va) > order.index(vb), finding.format()  # type: ignore[arg-type]
        assert f"from {va} to {vb}" in finding.message
    assert falling == truth.falling, report.format()
    # the report's verdict counts properties as errors, vacuity as a warning
    if found and len(found) == len(report.findings):
        assert report.ok == (not report.of_kind("property", "monotonicity"))
    return report


@pytest.mark.slow
@settings(FILTERING, max_examples=250)
@given(rule_files(complete=True, properties=True))
def test_properties_match_brute_force(text: str) -> None:
    rs = build_ruleset(text)
    assume(product_size(rs) <= MAX_STATES)
    for kind in sorted({f.kind for f in check_file(rs).findings}) or ["ok"]:
        event(kind)


@pytest.mark.slow
@settings(FILTERING, max_examples=120)
@given(rule_files(properties=True))
def test_properties_match_brute_force_drafts(text: str) -> None:
    rs = build_ruleset(text)
    assume(product_size(rs) <= MAX_STATES)
    for kind in sorted({f.kind for f in check_file(rs).findings}) or ["ok"]:
        event(kind)


# --------------------------------------------------------------------------- hand-written

HEAD = """\
ruleset small "Small"
source guide "A guide"
input size: number >= 0 cm
input confirmed: boolean
input site: choice stomach, rectum or unknown
table risk "Risk"
    values none < low < high, unsure
    hit first
    | site    | size         | risk   |
    | unknown | -            | unsure |
    | -       | <= 2         | none   |
    | -       | > 2 and <= 5 | low    |
    | -       | > 5          | high   |
pathway watch "Watch"
    summary "w."
    cites guide "W"
pathway drug "Drug"
    summary "d."
    cites guide "D"
pathway cut "Cut"
    summary "c."
    cites guide "C"
consideration trial "Trial"
    summary "t."
    cites guide
    when pathway is drug and size > 10 cm
rule r_watch -> watch: size <= 2 cm and site is not unknown
rule r_drug -> drug: size > 2 cm and confirmed and site is not unknown
rule r_cut -> cut: (size > 2 cm and not confirmed) or site is unknown
"""


def load(text: str) -> gistpath.RuleSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gistpath.VerificationWarning)
        return gistpath.loads(text, "props.gprules", draft=True)


def test_a_true_property_verifies_and_is_listed() -> None:
    text = HEAD + (
        'property drug_confirmed "No drug unless confirmed"\n'
        '    cites guide "Safety"\n'
        "    holds: pathway is drug implies confirmed\n"
        'property risk_grows "Risk never falls as the tumour grows"\n'
        "    cites guide\n"
        "    monotone: risk in size\n"
    )
    rs = gistpath.loads(text, "props.gprules")
    assert rs.verify().ok
    assert rs.verify().findings == ()
    assert list(rs.properties) == ["drug_confirmed", "risk_grows"]
    prop = rs.properties["drug_confirmed"]
    assert prop.title == "No drug unless confirmed"
    assert prop.kind == "holds"
    assert [c.source.name for c in prop.citations] == ["guide"]
    assert prop.citations[0].section == "Safety"
    assert rs.properties["risk_grows"].kind == "monotone"
    check_file(rs)


def test_a_failing_property_is_refused_with_a_counterexample() -> None:
    text = HEAD + (
        'property small_watch "Only small tumours are watched"\n'
        "    holds:\n"
        "        pathway is watch implies size < 1 cm\n"
        "        pathway is drug implies confirmed\n"
    )
    with pytest.raises(gistpath.VerificationError) as info:
        gistpath.loads(text, "props.gprules")
    (finding,) = info.value.findings
    assert finding.kind == "property"
    assert finding.rules == ("r_watch",)
    assert (
        finding.lines[0]
        == text.splitlines().index('property small_watch "Only small tumours are watched"') + 1
    )
    assert finding.example is not None
    assert 1 <= finding.example["size"] <= 2  # type: ignore[operator]
    assert finding.region is not None
    assert str(finding.region) == "1 <= size <= 2, site in {stomach, rectum}, pathway is watch"
    assert "pathway is watch implies size < 1 cm" in str(info.value)
    rs = load(text)
    assert rs.evaluate(finding.example).rule == "r_watch"
    check_file(rs)


def test_considerations_in_a_property() -> None:
    good = HEAD + (
        'property trial_big "A trial only for big tumours on a drug"\n'
        "    holds: considerations include trial implies size > 10 cm and pathway is drug\n"
    )
    assert gistpath.loads(good).verify().ok
    bad = HEAD + (
        'property no_trial "Never a trial"\n    holds: not considerations include trial\n'
    )
    rs = load(bad)
    (finding,) = rs.verify().findings
    assert finding.kind == "property"
    assert finding.example is not None
    assert rs.evaluate(finding.example).considerations == ("trial",)
    check_file(rs)


def test_true_only_through_a_constraint() -> None:
    prop = (
        'property cut_unconfirmed "Cut only unconfirmed"\n'
        "    holds: pathway is cut implies not confirmed\n"
    )
    without = load(HEAD + prop)
    assert [f.kind for f in without.verify().findings] == ["property"]
    constrained = (
        HEAD
        + 'constraint known "Confirmed means a known site": confirmed implies site is not unknown\n'
        + prop
    )
    rs = gistpath.loads(constrained)
    assert rs.verify().ok
    check_file(rs)


def test_vacuous_properties_warn() -> None:
    text = HEAD + (
        'property huge_watch "Never watch a huge tumour"\n'
        "    holds: pathway is watch and size > 50 cm implies confirmed\n"
        'property always "Says nothing"\n'
        "    holds: confirmed or not confirmed\n"
    )
    with pytest.warns(gistpath.VerificationWarning, match="says nothing"):
        rs = gistpath.loads(text)
    report = rs.verify()
    assert report.ok
    assert [f.kind for f in report.findings] == ["vacuous_property"] * 2
    assert report.warnings == report.findings
    assert all(not f.is_error for f in report.findings)
    check_file(rs)


def test_monotonicity_failure_gives_two_states() -> None:
    text = HEAD.replace(
        "| -       | > 5          | high   |",
        "| -       | > 5 and < 9  | high   |\n    | -       | >= 9         | low    |",
    ) + ('property risk_grows "Risk never falls"\n    monotone: risk in size\n')
    with pytest.raises(gistpath.VerificationError) as info:
        gistpath.loads(text)
    (finding,) = info.value.findings
    assert finding.kind == "monotonicity"
    a, b = finding.examples
    assert a["size"] < 9 <= b["size"]  # type: ignore[operator]
    assert {k for k in a if a[k] != b[k]} == {"size"}
    assert "risk falls from high to low" in finding.message
    check_file(load(text))

"""The exact verifier against brute force over every cell combination.

Every condition of a rule file is constant on each combination of cells of the input
dimensions (:mod:`gistpath.cells`), so taking one representative value per valid cell
and enumerating the product gives one state per combination: small files have small
products, and on those the reference interpreter (:mod:`gistpath.interpreter`, which shares
nothing with the regions) tells exactly which states are valid, which rules, table rows and
considerations hold, and so what the verifier must report. The verifier's own findings and
example states are then compared with that oracle.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, assume, event, given, settings

import gistpath
from gistpath.interpreter import Interpreter
from gistpath.language import PATHWAY_NAME
from gistpath.state import field_validators, validate_fields
from gistpath.verify import MAX_FINDINGS_PER_KIND, VerificationReport

from strategies import build_ruleset, rule_files

MAX_STATES = 20_000
CONSTRAINT_KINDS = {"empty_constraint", "no_valid_state"}
TABLE_KINDS = {"table_gap", "table_overlap", "dead_row", "masked"}
# The linter's warnings (gistpath.lint: a comparison outside an input's range, a source
# nobody cites) are about how the text reads, not about states: tests/test_lint.py checks
# them, and the comparison with brute force leaves them out.
LINT_KINDS = {"out_of_range_comparison", "unused_source"}
KNOWN_KINDS = {
    "gap",
    "overlap",
    "dead_rule",
    "dead_consideration",
    "example",
    *CONSTRAINT_KINDS,
    *TABLE_KINDS,
}
FILTERING = settings(
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    deadline=None,
)


# --------------------------------------------------------------------------- brute force


def cell_states(rs: gistpath.RuleSet) -> list[dict[str, object]]:
    """One state per combination of valid cells of the input dimensions (pathway skipped)."""
    dims = rs.compiled.space.dimensions[:-1]
    per_dim = [
        [(dim.name, dim.representative(c)) for c in range(dim.size) if dim.valid >> c & 1]
        for dim in dims
    ]
    return [dict(combo) for combo in itertools.product(*per_dim)]


def product_size(rs: gistpath.RuleSet) -> int:
    return math.prod(bin(d.valid).count("1") for d in rs.compiled.space.dimensions[:-1])


@dataclass
class Truth:
    """What brute force finds over all cell combinations."""

    states: int = 0
    valid: list[dict[str, object]] = field(default_factory=list)
    empty_constraints: set[str] = field(default_factory=set)
    gaps: list[dict[str, object]] = field(default_factory=list)
    overlaps: dict[frozenset[str], dict[str, object]] = field(default_factory=dict)
    live_rules: set[str] = field(default_factory=set)
    dead_rules: set[str] = field(default_factory=set)
    # (table, frozenset of row labels) / (table, row label)
    table_gaps: set[str] = field(default_factory=set)
    table_overlaps: set[tuple[str, frozenset[int]]] = field(default_factory=set)
    dead_rows: set[tuple[str, int]] = field(default_factory=set)
    masked_rows: set[tuple[str, int]] = field(default_factory=set)
    dead_considerations: set[str] = field(default_factory=set)


def matching_rows(interp: Interpreter, table: object, env: Mapping[str, object]) -> list[int]:
    return [
        i
        for i, row in enumerate(table.rows)  # type: ignore[attr-defined]
        if all(
            interp._cell(cell, env[column])
            for column, cell in zip(table.condition_columns, row.conditions, strict=True)  # type: ignore[attr-defined]
        )
    ]


def brute_force(rs: gistpath.RuleSet) -> Truth:
    model = rs.model
    interp = Interpreter(model)
    validators = field_validators(model.inputs)
    truth = Truth()
    constraint_ever = {c.name: False for c in model.constraints}
    live_rows: dict[str, set[int]] = {name: set() for name in model.tables}
    matched_rows: dict[str, set[int]] = {name: set() for name in model.tables}
    live_considerations: set[str] = set()
    for raw in cell_states(rs):
        truth.states += 1
        # a representative of a valid cell must be a valid value of its field
        state = validate_fields(raw, model.inputs, validators)
        env = interp.derive(state)
        broken = False
        for constraint in model.constraints:
            if interp.holds(constraint.condition, env):
                constraint_ever[constraint.name] = True
            else:
                broken = True
        # the runtime's (table-based) validation agrees with the interpreter
        try:
            rs.validate(raw)
        except gistpath.StateError:
            assert broken, raw
        else:
            assert not broken, raw
        if broken:
            continue
        truth.valid.append(raw)
        fired = [r for r in model.rules if interp.holds(r.condition, env)]
        if not fired:
            truth.gaps.append(raw)
        truth.live_rules.update(r.id for r in fired)
        for a, b in itertools.combinations(fired, 2):
            truth.overlaps.setdefault(frozenset((a.id, b.id)), raw)
        for name, table in model.tables.items():
            rows = matching_rows(interp, table, env)
            if not rows and table.default is None:
                truth.table_gaps.add(name)
            matched_rows[name].update(rows)
            if table.hit in ("unique", "any"):
                live_rows[name].update(rows)
                for a, b in itertools.combinations(rows, 2):
                    if table.hit == "unique" or table.rows[a].output != table.rows[b].output:
                        truth.table_overlaps.add((name, frozenset((a + 1, b + 1))))
            elif rows and table.hit == "priority":
                live_rows[name].add(
                    min(rows, key=lambda i: (table.values.index(table.rows[i].output), i))
                )
            elif rows:
                live_rows[name].add(rows[0])
        for rule in fired:
            with_pathway = {**env, PATHWAY_NAME: rule.pathway}
            for cid, consideration in model.considerations.items():
                if interp.holds(consideration.condition, with_pathway):
                    live_considerations.add(cid)
    truth.empty_constraints = {name for name, ever in constraint_ever.items() if not ever}
    truth.dead_rules = {r.id for r in model.rules} - truth.live_rules
    truth.dead_rows = {
        (name, i + 1)
        for name, table in model.tables.items()
        for i in range(len(table.rows))
        if i not in matched_rows[name]
    }
    truth.masked_rows = {
        (name, i + 1) for name in model.tables for i in matched_rows[name] - live_rows[name]
    }
    truth.dead_considerations = set(model.considerations) - live_considerations
    return truth


# --------------------------------------------------------------------------- checking


def rules_holding(rs: gistpath.RuleSet, state: Mapping[str, object]) -> set[str]:
    """Rules holding on a state that must be valid (fields and constraints)."""
    interp = Interpreter(rs.model)
    values = validate_fields(state, rs.model.inputs, field_validators(rs.model.inputs))
    env = interp.derive(values)
    assert interp.broken_constraint(env) is None, state
    rs.validate(state)
    return {r.id for r in rs.model.rules if interp.holds(r.condition, env)}


def table_of(message: str) -> str:
    found = re.search(r"table '([^']+)'", message)
    assert found, message
    return found.group(1)


def quoted(message: str) -> str:
    found = re.search(r"'([^']+)'", message)
    assert found, message
    return found.group(1)


def compare(rs: gistpath.RuleSet, report: VerificationReport, truth: Truth) -> None:
    kinds = {f.kind for f in report.findings} - LINT_KINDS
    assert kinds <= KNOWN_KINDS, kinds

    # 4. constraints: empty ones, and no valid state at all
    empty = {quoted(f.message) for f in report.of_kind("empty_constraint")}
    assert empty == truth.empty_constraints, report.format()
    if not truth.valid:
        assert kinds & CONSTRAINT_KINDS, report.format()
    if truth.empty_constraints or not truth.valid:
        # the verifier stops there: nothing else is reported
        assert kinds <= CONSTRAINT_KINDS, report.format()
        assert ("no_valid_state" in kinds) == (not truth.empty_constraints), report.format()
        return
    assert not kinds & CONSTRAINT_KINDS, report.format()

    # 1. gaps
    gaps = report.of_kind("gap")
    assert bool(gaps) == bool(truth.gaps), (truth.gaps[:3], report.format())
    for finding in gaps:
        if finding.example is None:  # the "N more gaps not listed" summary
            continue
        assert rules_holding(rs, finding.example) == set(), finding.format()
        assert finding.region is not None
        assert finding.region.contains(finding.example), finding.format()
    # the gap regions hold exactly the states no rule covers
    if gaps and all(f.region is not None for f in gaps):
        gap_states = {tuple(s.items()) for s in truth.gaps}
        for state in truth.valid[:400] + truth.gaps[:400]:
            inside = any(f.region.contains(state) for f in gaps)  # type: ignore[union-attr]
            assert inside == (tuple(state.items()) in gap_states), (state, report.format())

    # 2. overlaps
    overlaps = report.of_kind("overlap")
    assert {frozenset(f.rules) for f in overlaps} == set(truth.overlaps), report.format()
    for finding in overlaps:
        assert finding.example is not None
        assert set(finding.rules) <= rules_holding(rs, finding.example), finding.format()
        assert finding.region is not None
        assert finding.region.contains(finding.example)

    # 3. dead rules
    assert {f.rules[0] for f in report.of_kind("dead_rule")} == truth.dead_rules, report.format()

    # tables
    assert {table_of(f.message) for f in report.of_kind("table_gap")} == truth.table_gaps, (
        report.format()
    )
    assert {
        (table_of(f.message), frozenset(f.rules)) for f in report.of_kind("table_overlap")
    } == truth.table_overlaps, report.format()
    assert {(table_of(f.message), f.rules[0]) for f in report.of_kind("dead_row")} == (
        truth.dead_rows
    ), report.format()
    assert {(table_of(f.message), f.rules[0]) for f in report.of_kind("masked")} == (
        truth.masked_rows
    ), report.format()

    # considerations
    assert {f.rules[0] for f in report.of_kind("dead_consideration")} == (
        truth.dead_considerations
    ), report.format()

    # generated files have no examples
    if not rs.model.examples:
        assert "example" not in kinds

    # 5. ok exactly when brute force finds nothing wrong
    clean = not (
        truth.gaps
        or truth.overlaps
        or truth.dead_rules
        or truth.table_gaps
        or truth.table_overlaps
        or truth.dead_rows
        or truth.masked_rows
        or truth.dead_considerations
    )
    if not rs.model.examples:
        assert report.ok == clean, report.format()


def check_text(text: str) -> tuple[VerificationReport, Truth]:
    rs = build_ruleset(text)
    assume(product_size(rs) <= MAX_STATES)
    truth = brute_force(rs)
    assert truth.states == product_size(rs)
    assume(len(truth.overlaps) <= MAX_FINDINGS_PER_KIND)
    report = rs.verify()
    compare(rs, report, truth)
    for kind in sorted({f.kind for f in report.findings}) or ["ok"]:
        event(kind)
    return report, truth


@pytest.mark.slow
@settings(FILTERING, max_examples=800)
@given(rule_files())
def test_verifier_matches_brute_force(text: str) -> None:
    check_text(text)


@pytest.mark.slow
@settings(FILTERING, max_examples=300)
@given(rule_files(complete=True))
def test_verifier_matches_brute_force_complete(text: str) -> None:
    check_text(text)


# --------------------------------------------------------------------------- hand-written files

HEAD = """\
ruleset small "Small"
source guide "A guide"
"""


def pathways(*names: str) -> str:
    return "".join(
        f'pathway {p} "Pathway {p}"\n    summary "About {p}."\n    cites guide "Section {p}"\n'
        for p in names
    )


def run(text: str) -> tuple[VerificationReport, Truth]:
    """Brute force and verifier on a hand-written file (no hypothesis `assume` here)."""
    rs = build_ruleset(text)
    assert product_size(rs) <= MAX_STATES
    truth = brute_force(rs)
    report = rs.verify()
    compare(rs, report, truth)
    return report, truth


def test_gap_at_a_boundary() -> None:
    text = (
        HEAD
        + "input size: number >= 0 cm\n"
        + pathways("small", "large")
        + "rule r_small -> small: size < 5 cm\n"
        + "rule r_large -> large: size > 5 cm\n"
    )
    report, truth = run(text)
    assert [s["size"] for s in truth.gaps] == [5.0]
    (gap,) = report.gaps
    assert gap.example == {"size": 5.0}
    assert not report.overlaps
    assert not report.dead_rules


def test_overlap() -> None:
    text = (
        HEAD
        + "input size: integer >= 0 and <= 20\n"
        + "input colour: choice red, blue\n"
        + pathways("a", "b")
        + "rule r_a -> a: size <= 10\n"
        + "rule r_b -> b: size >= 10 or colour is red\n"
    )
    report, truth = run(text)
    assert set(truth.overlaps) == {frozenset({"r_a", "r_b"})}
    assert not truth.gaps
    (overlap,) = report.overlaps
    assert set(overlap.rules) == {"r_a", "r_b"}


def test_dead_rule_behind_a_contradiction() -> None:
    text = (
        HEAD
        + "input size: number\n"
        + "input flag: boolean\n"
        + pathways("a", "b", "c")
        + "rule r_a -> a: size < 3\n"
        + "rule r_b -> b: size >= 3\n"
        + "rule r_c -> c: flag and size < 2 and size > 4\n"
    )
    report, truth = run(text)
    assert truth.dead_rules == {"r_c"}
    assert [f.rules for f in report.dead_rules] == [("r_c",)]
    assert not report.gaps
    assert not report.overlaps


def test_constraint_removes_the_only_gap() -> None:
    body = (
        "input size: number >= 0\n"
        + "input site: choice stomach, rectum or unknown\n"
        + "{constraint}"
        + pathways("a", "b")
        + "rule r_a -> a: site is stomach\n"
        + "rule r_b -> b: site is rectum\n"
    )
    without, truth = run(HEAD + body.format(constraint=""))
    assert {s["site"] for s in truth.gaps} == {"unknown"}
    assert len(without.gaps) == 1
    with_constraint, truth = run(
        HEAD + body.format(constraint='constraint known "Site known": site is not unknown\n')
    )
    assert not truth.gaps
    assert with_constraint.ok, with_constraint.format()


def test_unique_table_overlap_and_gap() -> None:
    text = (
        HEAD
        + "input size: number >= 0\n"
        + 'table grade "Grade"\n'
        + "    values low, high\n"
        + "    hit unique\n"
        + "    | size | grade |\n"
        + "    | <= 5 | low |\n"
        + "    | >= 5 and < 10 | high |\n"
        + pathways("a", "b")
        + "rule r_a -> a: grade is low\n"
        + "rule r_b -> b: not (grade is low)\n"
    )
    report, truth = run(text)
    assert truth.table_overlaps == {("grade", frozenset({1, 2}))}
    assert truth.table_gaps == {"grade"}
    assert report.of_kind("table_overlap")
    assert report.of_kind("table_gap")


def test_dead_consideration() -> None:
    text = (
        HEAD
        + "input size: number >= 0\n"
        + pathways("a", "b")
        + "rule r_a -> a: size < 5\n"
        + "rule r_b -> b: size >= 5\n"
        + 'consideration o_dead "Never"\n    summary "x."\n    cites guide\n'
        + "    when pathway is a and size > 6\n"
        + 'consideration o_live "Sometimes"\n    summary "y."\n    cites guide\n'
        + "    when pathway is b and size > 6\n"
    )
    report, truth = run(text)
    assert truth.dead_considerations == {"o_dead"}
    assert [f.rules for f in report.of_kind("dead_consideration")] == [("o_dead",)]


def test_no_valid_state() -> None:
    text = (
        HEAD
        + "input flag: boolean\n"
        + 'constraint k1 "Yes": flag\n'
        + 'constraint k2 "No": not flag\n'
        + pathways("a", "b")
        + "rule r_a -> a: flag\n"
        + "rule r_b -> b: not flag\n"
    )
    report, truth = run(text)
    assert not truth.valid
    assert [f.kind for f in report.findings] == ["no_valid_state"]


def test_loaded_through_the_public_api() -> None:
    """The same oracle on a file loaded with :func:`gistpath.loads` (draft, warns)."""
    text = (
        HEAD
        + "input size: number >= 0 cm\n"
        + pathways("small", "large")
        + "rule r_small -> small: size < 5 cm\n"
        + "rule r_large -> large: size > 5 cm\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gistpath.VerificationWarning)
        rs = gistpath.loads(text, "inline.gprules", draft=True)
    truth = brute_force(rs)
    compare(rs, rs.verify(), truth)
    with pytest.raises(gistpath.EvaluationError):
        rs.evaluate_reference(truth.gaps[0])

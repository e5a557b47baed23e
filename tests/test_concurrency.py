"""A loaded RuleSet is immutable and safe to share; nothing depends on hash seeds or order.

Immutability: attributes cannot be set or deleted, every mapping the public API hands out is
read-only, and the records it holds are frozen. Sharing: eight threads start together (a
barrier, a tiny switch interval) on a *freshly loaded* rule set, so that first-use work
(verification, the batch path's tables, caches) races too, and each gives the answers one
thread gives alone: decisions, explanations, batch results and errors. Rule files load in
parallel too. Determinism: a child process prints decisions, explanations, batch results,
verification findings and error messages for fixed states and files, under
``PYTHONHASHSEED`` 0 and 12345, with the states' keys in two orders; the outputs must match.
"""

from __future__ import annotations

import itertools
import operator
import os
import random
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import pytest

import gistpath
from gistpath.model import BooleanDomain, ChoiceDomain, NumericDomain

from samples import ROOT, WALK_FILE, gist_state, walk_state
from strategies import numeric_candidates, thresholds_used

GIST_TEXT = gistpath.builtin_path("gist").read_text(encoding="utf-8")
THREADS = 8


def sample_states(rs: gistpath.RuleSet, count: int, seed: int) -> list[dict[str, object]]:
    """``count`` valid states drawn with a seeded random generator (thresholds, their
    neighbours, limits and ``unknown`` included), the same on every run."""
    rng = random.Random(seed)
    points = thresholds_used(rs)
    options: dict[str, list[object]] = {}
    for name, item in rs.inputs.items():
        domain = item.domain
        values: list[object]
        if isinstance(domain, ChoiceDomain):
            values = list(domain.values)
        elif isinstance(domain, BooleanDomain):
            values = [True, False]
        else:
            assert isinstance(domain, NumericDomain)
            values = list(numeric_candidates(domain, points[name]))
        options[name] = values + (["unknown"] if domain.allows_unknown else [])
    out: list[dict[str, object]] = []
    while len(out) < count:
        state = {name: rng.choice(values) for name, values in options.items()}
        try:
            rs.validate(state)
        except gistpath.StateError:
            continue
        out.append(state)
    return out


def bad_states(rs: gistpath.RuleSet, good: list[dict[str, object]]) -> list[object]:
    """Invalid states of every kind, made from good ones."""
    first = next(iter(rs.inputs))
    return [
        {**good[0], first: None},
        {**good[1], "not_a_field": 1},
        {k: v for k, v in good[2].items() if k != first},
        {**good[3], first: float("nan")},
        None,
        [("a", 1)],
    ]


def answers(rs: gistpath.RuleSet, items: list[object]) -> list[object]:
    """What the rule set says about each item: its decision in full, or its error."""
    out: list[object] = []
    for item in items:
        try:
            decision = rs.evaluate(item)  # type: ignore[arg-type]
        except gistpath.GistpathError as error:
            out.append((type(error).__name__, str(error)))
        else:
            out.append(
                (
                    decision.pathway,
                    decision.considerations,
                    decision.rule,
                    dict(decision.values),
                    decision.explain(),
                )
            )
    return out


def batch_answers(rs: gistpath.RuleSet, items: list[object]) -> object:
    result = rs.evaluate_many(items, considerations=True, errors="collect")
    return (
        list(result),
        result.considerations,
        {i: str(e) for i, e in result.errors.items()},
    )


# --------------------------------------------------------------------------- immutability


@pytest.fixture(scope="module")
def gist() -> gistpath.RuleSet:
    return gistpath.loads(GIST_TEXT, name="gist.gprules")


def public_mappings(rs: gistpath.RuleSet) -> dict[str, Any]:
    model = rs.model
    return {
        "inputs": rs.inputs,
        "pathways": rs.pathways,
        "considerations": rs.considerations,
        "sources": rs.sources,
        "model.inputs": model.inputs,
        "model.lets": model.lets,
        "model.tables": model.tables,
        "model.pathways": model.pathways,
        "model.considerations": model.considerations,
        "model.sources": model.sources,
        "decision.values": rs.evaluate(gist_state()).values,
    }


def test_a_ruleset_refuses_new_and_changed_attributes(gist: gistpath.RuleSet) -> None:
    for name in ("name", "_model", "_tables", "evaluate", "anything_new"):
        with pytest.raises(AttributeError):
            setattr(gist, name, None)
    assert gist.evaluate(gist_state()).pathway  # still whole


def test_a_ruleset_refuses_deleted_attributes() -> None:
    rs = gistpath.load(WALK_FILE)
    with pytest.raises(AttributeError):
        del rs._model


def test_every_public_mapping_is_read_only(gist: gistpath.RuleSet) -> None:
    for label, mapping in public_mappings(gist).items():
        key = next(iter(mapping))
        with pytest.raises(TypeError):
            operator.setitem(mapping, key, None)
        with pytest.raises(TypeError):
            operator.delitem(mapping, key)
        assert not hasattr(mapping, "update"), label
        assert not hasattr(mapping, "clear"), label


def test_the_records_are_frozen(gist: gistpath.RuleSet) -> None:
    records: list[Any] = [
        gist.model,
        gist.verify(),
        *gist.inputs.values(),
        *(item.domain for item in gist.inputs.values()),
        *gist.pathways.values(),
        *gist.considerations.values(),
        *gist.sources.values(),
        *gist.rules,
        *gist.model.tables.values(),
    ]
    for record in records:
        field = attrs.fields(type(record))[0].name
        with pytest.raises(AttributeError):
            setattr(record, field, None)
    assert isinstance(gist.rules, tuple)
    decision = gist.evaluate(gist_state())
    with pytest.raises(AttributeError):
        decision.pathway = "other"  # type: ignore[misc]


def mutable_parts(root: object, label: str) -> list[str]:
    """Paths to every dict, list, set or bytearray reachable from ``root`` through attrs
    fields, tuples and mappings."""
    found: list[str] = []
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [(label, root)]
    while stack:
        path, obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float, type(None))):
            continue
        seen.add(id(obj))
        if type(obj) in (dict, list, set, bytearray):
            found.append(path)
        if attrs.has(type(obj)):
            stack += [(f"{path}.{f.name}", getattr(obj, f.name)) for f in attrs.fields(type(obj))]
        elif isinstance(obj, Mapping):
            stack += [(f"{path}[{k!r}]", v) for k, v in obj.items()]
        elif isinstance(obj, (tuple, list, set, frozenset)):
            stack += [(f"{path}[]", v) for v in obj]
    return sorted(set(found))


def test_the_model_holds_nothing_mutable(gist: gistpath.RuleSet) -> None:
    assert mutable_parts(gist.model, "model") == []
    assert mutable_parts(gist.verify(), "report") == []


def test_the_tables_and_compiled_regions_hold_nothing_mutable(gist: gistpath.RuleSet) -> None:
    assert mutable_parts(gist.tables, "tables") + mutable_parts(gist.compiled, "compiled") == []


# --------------------------------------------------------------------------- threads


def run_together(work: Callable[[int], Any]) -> list[Any]:
    """``work(i)`` in THREADS threads that start at once; their results, or the first error."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as error:  # reported below
            errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    if errors:
        raise errors[0]
    return results


@pytest.mark.slow
@pytest.mark.parametrize("which", ["gist", "walk"])
def test_threads_sharing_a_fresh_ruleset_agree_with_one_thread(which: str) -> None:
    text = GIST_TEXT if which == "gist" else WALK_FILE.read_text(encoding="utf-8")
    alone = gistpath.loads(text, name=f"{which}.gprules")
    good = sample_states(alone, 120, seed=7)
    items: list[object] = [*good, *bad_states(alone, good)]
    expected_single = answers(alone, items)
    expected_batch = batch_answers(alone, items)
    expected_report = alone.verify().format()

    shared = gistpath.loads(text, name=f"{which}.gprules")  # nothing computed on first use yet

    ops: list[Callable[[], object]] = [
        lambda: shared.verify().format(),
        lambda: batch_answers(shared, items),
        lambda: answers(shared, items),
        lambda: answers(shared, items[::-1])[::-1],
    ]

    def work(index: int) -> list[object]:
        # Each thread starts with a different operation, so that first uses collide.
        done = {k % len(ops): ops[k % len(ops)]() for k in range(index, index + len(ops))}
        return [done[k] for k in range(len(ops))]

    expected = [expected_report, expected_batch, expected_single, expected_single]
    for results in run_together(work):
        assert results == expected


@pytest.mark.slow
def test_rule_files_load_in_parallel() -> None:
    texts = [GIST_TEXT, WALK_FILE.read_text(encoding="utf-8"), GIST_TEXT + "\nrule x -> y: z\n"]

    def work(index: int) -> object:
        text = texts[index % len(texts)]
        try:
            rs = gistpath.loads(text, name=f"f{index % len(texts)}.gprules")
        except gistpath.GistpathError as error:
            return str(error)
        return [d.pathway for d in (rs.evaluate(s) for s in sample_states(rs, 20, seed=1))]

    results = run_together(work)
    for index, result in enumerate(results):
        assert result == results[index % len(texts)]
    assert isinstance(results[2], str)
    assert "'y' is not a declared pathway" in results[2]


# --------------------------------------------------------------------------- hash seeds


def _states_reversed(states: list[dict[str, object]]) -> Iterator[dict[str, object]]:
    for state in states:
        yield dict(reversed(list(state.items())))


DRAFT = """\
source guide "A guide"
input size "Size": number > 0 and <= 10 cm
input site "Site": choice stomach, colon, rectum
input urgent "Urgent": boolean or unknown
pathway watch "Watch"
    summary "Watch."
    cites guide "1"
pathway treat "Treat"
    summary "Treat."
    cites guide "2"
rule big -> treat: size > 5 cm
rule small -> watch: size < 5 cm and site in {stomach, colon}
rule urgent_rule -> treat: urgent
"""

BROKEN = """\
source guide "A guide"
pathway watch "Watch"
    summary "Watch."
    cites guide "1"
pathway treat "Treat"
    summary "Treat."
    cites guide "2"
input size "Size": number > 0 and <= 10 cm
input site "Site": choice stomach, colon
rule big -> treatt: sise > 5 cm and site is stomac
rule small -> watch: size <= 5 mm and site is colon
"""


def sample() -> str:
    """Everything a user can see for fixed inputs: decisions (states given with their keys
    in file order and reversed), explanations, batch results, verification findings and
    error messages. A child process prints it under a chosen hash seed."""
    lines: list[str] = []
    for rs in (gistpath.loads(GIST_TEXT, name="gist.gprules"), gistpath.load(WALK_FILE)):
        states = sample_states(rs, 40, seed=3)
        for state, flipped in zip(states, _states_reversed(states), strict=True):
            a, b = answers(rs, [state]), answers(rs, [flipped])
            assert a == b
            lines.append(repr(a))
        lines.append(repr(batch_answers(rs, [*states, *bad_states(rs, states)])))
        lines.append(rs.verify().format())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gistpath.VerificationWarning)
        draft = gistpath.loads(DRAFT, name="draft.gprules", draft=True)
    lines.append(draft.verify().format())
    for text in (BROKEN, DRAFT):
        try:
            gistpath.loads(text, name="broken.gprules")
        except gistpath.GistpathError as error:
            lines.append(str(error))
    for bad in (
        {**walk_state(), "skyy": "clear"},
        walk_state(sky="Cloudy"),
        walk_state(sky="snow"),
        {k: v for k, v in walk_state().items() if k != "sky"},
    ):
        try:
            gistpath.load(WALK_FILE).evaluate(bad)
        except gistpath.StateError as error:
            lines.append(str(error))
    return "\n".join(lines)


def _run_with_seed(seed: str) -> str:
    code = (
        "import sys, warnings\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "warnings.simplefilter('ignore')\n"
        "import test_concurrency\n"
        "print(test_concurrency.sample())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": seed},
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_nothing_depends_on_the_hash_seed() -> None:
    outputs = {seed: _run_with_seed(seed) for seed in ("0", "12345")}
    assert outputs["0"] == outputs["12345"]
    text = outputs["0"]
    # The sample covers what it claims to: findings, located errors, suggestions.
    assert "gap" in text
    assert "overlap" in text
    assert "broken.gprules:10:" in text
    assert "did you mean 'size'?" in text
    assert "skyy: unknown field (did you mean 'sky'?)" in text


def test_the_sample_does_not_depend_on_dict_order_either() -> None:
    rs = gistpath.load(WALK_FILE)
    states = sample_states(rs, 30, seed=5)
    for permutation in itertools.islice(itertools.permutations(range(len(rs.inputs))), 0, 50, 7):
        names = list(rs.inputs)
        reordered = [{names[i]: s[names[i]] for i in permutation} for s in states]
        assert answers(rs, reordered) == answers(rs, states)  # type: ignore[arg-type]
        assert batch_answers(rs, reordered) == batch_answers(rs, states)  # type: ignore[arg-type]

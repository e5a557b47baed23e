"""gistpath's benchmarks, measured side by side in one run: ``python benchmarks/run.py``.

Options: ``--quick`` (20,000-state batches and fewer repeats, well under a minute), ``--json PATH``
(write every figure as JSON too), ``--only single,afip,batch,startup,verify`` (some
sections), ``--smoke`` (every section at toy sizes, for the test that keeps this file
working; its numbers mean nothing).

What is measured (``README.md`` beside this file says more):

* ``single``: ``RuleSet.evaluate`` per state against :func:`baseline.decide`, a hand-written
  function of the same logic with the same validation, over a fixed sample of distinct
  valid states (:mod:`workload`, seed 2026), cycled in order.
* ``afip``: ``evaluate`` on localized states, reading ``values["risk"]``, against each
  peer engine of :mod:`peers` answering the AFIP table alone; the peers' whole pathway
  beside ``evaluate`` for information.
* ``batch``: ``evaluate_many`` per state on one million states given as numpy columns, a
  pandas DataFrame and Python lists, against the baseline called in a Python loop.
* ``startup``: ``import gistpath`` and ``gistpath.load_builtin("gist")``, each timed inside
  a fresh interpreter, and which heavy modules ``import gistpath`` brought in.
* ``verify``: the proof on generated rule sets of 250 to 2,000 rules over 20 inputs
  (:mod:`verify_scaling`), with the growth per doubling and the fitted exponent.

Timing: like ``timeit``, each figure is run ``repeats`` times (garbage collection off, one
untimed warm-up first) and reported as the minimum and median per state; contenders that
are compared take turns round by round, so drift in the machine's load falls on all of
them; ratios use the minimums, the least noisy estimate of what the code costs. Before
timing, each contender's answers are checked against ``evaluate`` on the very states it is
timed on: a harness that compares different answers would mean nothing.

Limits: wall-clock figures on a shared machine are noisy; compare ratios from one run, not
figures across runs. Nothing here asserts a time: goals are printed as met or NOT met.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import afip_rules
import baseline
import peers
import verify_scaling
import workload

import gistpath

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECTIONS = ("single", "afip", "batch", "startup", "verify")
HEAVY_MODULES = ("numpy", "pandas", "sphinx", "hypothesis")
SEED = 2026


@dataclass(frozen=True)
class Config:
    mode: str
    states: int  # distinct valid states in the sample
    localized: int  # distinct localized states (the AFIP question)
    repeats: int
    peer_states: int  # states per peer timing (CEL takes about a millisecond each)
    peer_repeats: int
    batch: int  # states per evaluate_many call
    batch_repeats: int
    processes: int  # fresh interpreters for the start-up figures
    verify_sizes: tuple[int, ...]
    verify_repeats: int


PRESETS = {
    "full": Config("full", 10_000, 2_000, 7, 1_000, 5, 1_000_000, 3, 7, (250, 500, 1000, 2000), 3),
    "quick": Config("quick", 10_000, 1_000, 5, 300, 3, 20_000, 5, 3, (250, 500, 1000, 2000), 1),
    "smoke": Config("smoke", 200, 100, 2, 20, 1, 500, 1, 1, (20, 40), 1),
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    min: float
    median: float
    unit: str  # "us" per state, "ms", "s"


@dataclass(frozen=True)
class Goal:
    key: str
    label: str
    value: float | None  # the ratio or time the goal is about
    text: str  # how the value reads, e.g. "4.2x" or "86 ms"
    goal: str
    met: bool | None  # None: not measured in this mode


@dataclass
class Results:
    date: str
    machine: dict[str, str]
    config: Config
    figures: list[Figure] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ratios: dict[str, float] = field(default_factory=dict)  # for information, no goal
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "machine": self.machine,
            "config": asdict(self.config),
            "figures": [asdict(f) for f in self.figures],
            "goals": [asdict(g) for g in self.goals],
            "notes": self.notes,
            "ratios": self.ratios,
            **self.extra,
        }


def say(text: str = "") -> None:
    print(text, flush=True)


# --------------------------------------------------------------------------- timing


Job = tuple[Callable[[], object], int]  # a call, and how many units of work it does


def loop_over(func: Callable[[Any], object], items: Sequence[Any]) -> Job:
    """A job that calls ``func`` on each item in turn: ``len(items)`` units of work."""

    def loop() -> None:
        for item in items:
            func(item)

    return loop, len(items)


def time_jobs(jobs: Mapping[str, Job], repeats: int) -> dict[str, tuple[float, float]]:
    """Seconds per unit of work (min, median) of each job.

    Every job runs once untimed (first-use caches, lazy imports), then the jobs take turns,
    one run each per round, so that a change in the machine's load during the measurement
    falls on all of them alike rather than on whichever ran last.
    """
    for func, _ in jobs.values():
        func()
    times: dict[str, list[float]] = {name: [] for name in jobs}
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            for name, (func, _) in jobs.items():
                start = time.perf_counter()
                func()
                times[name].append(time.perf_counter() - start)
                gc.collect()
    finally:
        if enabled:
            gc.enable()
    return {
        name: (min(times[name]) / per, statistics.median(times[name]) / per)
        for name, (_, per) in jobs.items()
    }


def add_us(results: Results, key: str, label: str, timing: tuple[float, float]) -> Figure:
    figure = Figure(key, label, timing[0] * 1e6, timing[1] * 1e6, "us")
    results.figures.append(figure)
    say(f"  {label:<58} {figure.min:>10.3f} {figure.median:>10.3f} µs")
    return figure


def ratio_goal(results: Results, key: str, label: str, ratio: float, goal: str, met: bool) -> None:
    results.goals.append(Goal(key, label, ratio, f"{ratio:.2f}x", goal, met))


# --------------------------------------------------------------------------- sections


def check_agreement(
    rs: gistpath.RuleSet,
    states: Iterable[dict[str, object]],
    contender: str,
    answer: Callable[[dict[str, object], gistpath.Decision], object],
) -> None:
    """Raise unless ``answer(state, decision)`` holds for every state: timed code must agree."""
    for state in states:
        decision = rs.evaluate(state)
        if not answer(state, decision):
            raise AssertionError(f"{contender} disagrees with evaluate on {state!r}")


def _afip_agrees(program: peers.Program, state: dict[str, object], d: gistpath.Decision) -> bool:
    """The AFIP category is the risk unless the tumour ruptured (then risk is high)."""
    return bool(state["tumor_rupture"]) or program(state) == d.values["risk"]


def _pathway_agrees(program: peers.Program, state: dict[str, object], d: gistpath.Decision) -> bool:
    return program(state) == d.pathway


def section_single(rs: gistpath.RuleSet, cfg: Config, results: Results) -> None:
    say("single states: evaluate against the hand-written baseline")
    states = workload.sample_states(cfg.states, SEED)
    check_agreement(
        rs,
        states,
        "baseline.decide",
        lambda s, d: baseline.decide(s) == (d.pathway, d.considerations),
    )
    timing = time_jobs(
        {
            "evaluate": loop_over(rs.evaluate, states),
            "baseline": loop_over(baseline.decide, states),
        },
        cfg.repeats,
    )
    ev = add_us(
        results,
        "evaluate",
        "evaluate (validation + pathway + considerations)",
        timing["evaluate"],
    )
    base = add_us(
        results,
        "baseline",
        "baseline.decide (same validation, hand-written)",
        timing["baseline"],
    )
    ratio = ev.min / base.min
    ratio_goal(
        results,
        "evaluate_vs_baseline",
        "evaluate / baseline per state",
        ratio,
        "<= 1.5x",
        ratio <= 1.5,
    )


def section_afip(rs: gistpath.RuleSet, cfg: Config, results: Results) -> None:
    say("AFIP question: evaluate (full, with validation, reading risk) against the peers")
    localized = workload.localized_states(cfg.localized, SEED)
    known = [s for s in localized if s["mitotic_rate"] != "unknown"][: cfg.peer_states]
    evaluate = rs.evaluate

    def risk(state: dict[str, object]) -> object:
        return evaluate(state).values["risk"]

    def afip(state: dict[str, object]) -> str:
        site, size, count = state["site"], state["size_cm"], state["mitotic_rate"]
        return baseline.afip_baseline(site, size, count)  # type: ignore[arg-type]

    found, missing = peers.available_peers()
    for name, why in missing.items():
        results.notes.append(f"peer {name}: {why}")
        say(f"  peer {name}: {why}")
    results.extra["peer_versions"] = {peer.name: peer.version() for peer in found}
    # The apples-to-apples contender: gistpath on a rule set holding the AFIP table alone
    # (afip_rules.py), validating its three fields, as the peers answer the table alone.
    afip_rs = afip_rules.afip_ruleset()
    three = [{k: s[k] for k in ("site", "size_cm", "mitotic_rate")} for s in known]
    for state, small in zip(known, three, strict=True):
        answer = afip_rs.evaluate(small).pathway.removeprefix(afip_rules.PREFIX)
        if answer != rs.evaluate(state).values["afip_risk"]:
            raise AssertionError(f"the AFIP rule set disagrees with GIST on {state!r}")
    # Timed as the issue words it: `evaluate` with its validation, the Decision it returns
    # holding the answer (its pathway), against the peer's own evaluation.
    jobs = {
        "evaluate": loop_over(risk, known),
        "evaluate_afip": loop_over(afip_rs.evaluate, three),
        "afip_baseline": loop_over(afip, known),
    }
    for peer in found:
        program = peer.programs["afip"]
        check_agreement(rs, known, f"{peer.name} (afip)", functools.partial(_afip_agrees, program))
        jobs[peer.name] = loop_over(program, known)
    timing = time_jobs(jobs, cfg.peer_repeats)
    ev = add_us(
        results,
        "afip_evaluate",
        "evaluate + values['risk'] (localized states)",
        timing["evaluate"],
    )
    bare = add_us(
        results,
        "afip_baseline",
        "afip_baseline (if/elif, no validation)",
        timing["afip_baseline"],
    )
    table = add_us(
        results,
        "afip_table_evaluate",
        "evaluate on the AFIP table alone (afip_rules.py, validated)",
        timing["evaluate_afip"],
    )
    results.ratios["evaluate (AFIP, risk) / afip_baseline"] = ev.min / bare.min
    results.ratios["evaluate (AFIP table alone) / afip_baseline"] = table.min / bare.min
    fastest: tuple[float, str] | None = None
    for peer in found:
        figure = add_us(results, f"afip_{peer.name}", f"{peer.name}: AFIP table", timing[peer.name])
        if fastest is None or figure.min < fastest[0]:
            fastest = (figure.min, peer.name)
    if fastest is None:
        results.goals.append(
            Goal(
                "afip_vs_fastest_peer",
                "fastest peer / evaluate (AFIP)",
                None,
                "no peer installed",
                ">= 20x",
                None,
            )
        )
    else:
        ratio = fastest[0] / table.min
        ratio_goal(
            results,
            "afip_vs_fastest_peer",
            f"fastest peer ({fastest[1]}) / evaluate (AFIP table alone)",
            ratio,
            ">= 20x",
            ratio >= 20,
        )
        results.ratios[f"fastest peer ({fastest[1]}) / evaluate (whole GIST, reading risk)"] = (
            fastest[0] / ev.min
        )

    if not found:
        return
    say("whole pathway (informational): evaluate against each peer's pathway")
    states = workload.sample_states(cfg.states, SEED)[: cfg.peer_states]
    jobs = {"evaluate": loop_over(evaluate, states)}
    for peer in found:
        program = peer.programs["pathway"]
        check_agreement(
            rs, states, f"{peer.name} (pathway)", functools.partial(_pathway_agrees, program)
        )
        jobs[peer.name] = loop_over(program, states)
    timing = time_jobs(jobs, cfg.peer_repeats)
    whole = add_us(
        results,
        "pathway_evaluate",
        "evaluate (pathway, considerations, values)",
        timing["evaluate"],
    )
    for peer in found:
        figure = add_us(
            results,
            f"pathway_{peer.name}",
            f"{peer.name}: pathway id only, no validation",
            timing[peer.name],
        )
        results.ratios[f"{peer.name} pathway / evaluate"] = figure.min / whole.min


def section_batch(rs: gistpath.RuleSet, cfg: Config, results: Results) -> None:
    n = cfg.batch
    say(f"batches: evaluate_many on {n:,} states against the baseline in a Python loop")
    sample = workload.sample_states(min(cfg.states, n), SEED)
    rows = workload.repeat_to(sample, n)
    expected = [baseline.decide(s)[0] for s in sample]

    import numpy as np

    inputs: dict[str, Any] = {}
    reps, rest = divmod(n, len(sample))
    inputs["numpy"] = {
        name: np.concatenate([np.tile(column, reps), column[:rest]])
        for name, column in workload.numpy_columns(sample).items()
    }
    try:
        import pandas as pd
    except ImportError:
        results.notes.append("pandas not installed: no DataFrame figure")
        say("  pandas not installed: no DataFrame figure")
    else:
        inputs["pandas"] = pd.DataFrame(inputs["numpy"])
        # The idiomatic pandas form of a column of a few named values (and of a count
        # that may be 'unknown'): a categorical, decided through its codes.
        coded = inputs["pandas"].copy()
        for name, dim in zip(rs.inputs, rs.compiled.space.dimensions, strict=False):
            if dim.kind == "choice" or name == "mitotic_rate":
                coded[name] = coded[name].astype("category")
        inputs["pandas_categorical"] = coded
    inputs["lists"] = workload.columns(rows)
    # The same lists as json.loads gives them: every text its own str object, never interned
    # (the sample's texts are Python literals, interned, which the C look-up matches by
    # identity); numbers as json gives them (5.0 stays a float, 5 an int).
    inputs["lists_json"] = json.loads(json.dumps(inputs["lists"]))
    names = list(rs.inputs)

    def baseline_over_columns() -> None:
        """What a user without gistpath writes for columns: a dict per row, then decide."""
        lists = [inputs["numpy"][name].tolist() for name in names]
        for values in zip(*lists, strict=True):
            baseline.decide(dict(zip(names, values, strict=True)))

    jobs = {
        "baseline": loop_over(baseline.decide, rows),
        "baseline_columns": (baseline_over_columns, n),
    }
    from gistpath.batch import evaluate_batch

    for form, data in inputs.items():
        got = list(rs.evaluate_many(data).pathways[: len(sample)])
        if got != expected:
            raise AssertionError(f"evaluate_many ({form}) disagrees with the baseline")
        jobs[form] = (functools.partial(rs.evaluate_many, data), n)
        # the same on one core (evaluate_many shares big batches among the cores)
        jobs[f"{form}_1"] = (functools.partial(evaluate_batch, rs, data, threads=1), n)
    # with considerations too (what decision_frame asks for), on the DataFrame or numpy
    with_considerations = inputs.get("pandas", inputs["numpy"])
    jobs["considerations"] = (
        functools.partial(rs.evaluate_many, with_considerations, considerations=True),
        n,
    )
    timing = time_jobs(jobs, cfg.batch_repeats)

    base = add_us(
        results,
        "batch_baseline",
        "baseline.decide in a Python loop over rows",
        timing["baseline"],
    )
    columns_base = add_us(
        results,
        "batch_baseline_columns",
        "baseline.decide over numpy columns (a dict built per row)",
        timing["baseline_columns"],
    )
    goals = {
        "numpy": 20.0,
        "pandas": 20.0,
        "pandas_categorical": 20.0,
        "lists": 10.0,
        "lists_json": 10.0,
    }
    labels = {
        "numpy": "numpy columns",
        "pandas": "a pandas DataFrame",
        "pandas_categorical": "a pandas DataFrame, choices as categoricals",
        "lists": "Python lists (columns)",
        "lists_json": "Python lists from json.loads",
    }
    for form in inputs:
        figure = add_us(results, f"batch_{form}", f"evaluate_many, {labels[form]}", timing[form])
        label = "  the same on one core (threads=1)"
        one = add_us(results, f"batch_{form}_one_core", label, timing[f"{form}_1"])
        ratio = base.min / figure.min
        ratio_goal(
            results,
            f"batch_{form}_vs_baseline",
            f"baseline loop / evaluate_many ({form})",
            ratio,
            f">= {goals[form]:.0f}x",
            ratio >= goals[form],
        )
        results.ratios[f"baseline loop / evaluate_many ({form}), one core"] = base.min / one.min
        results.ratios[f"baseline over the same columns / evaluate_many ({form})"] = (
            columns_base.min / figure.min
        )
    form = "a pandas DataFrame" if "pandas" in inputs else "numpy columns"
    label = f"evaluate_many with considerations, {form}"
    cons = add_us(results, "batch_considerations", label, timing["considerations"])
    results.ratios["baseline loop / evaluate_many with considerations"] = base.min / cons.min
    kernel = "compiled (gistpath._kernel)" if _kernel_built() else "numpy only (no C kernel)"
    say(f"  batch path: {kernel}")
    results.extra["batch_path"] = kernel


def _kernel_built() -> bool:
    from gistpath.batch import kernel

    return kernel.kernel() is not None


STARTUP_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import gistpath
t1 = time.perf_counter()
after_import = sorted(m for m in {heavy!r} if m in sys.modules)
lark_after_import = "lark" in sys.modules
gistpath.load_builtin("gist")
t2 = time.perf_counter()
after_load = sorted(m for m in {heavy!r} if m in sys.modules)
print(json.dumps({{"import": t1 - t0, "load": t2 - t1, "after_import": after_import,
                  "after_load": after_load, "lark_after_import": lark_after_import}}))
"""


def run_probe() -> tuple[dict[str, Any], float]:
    code = STARTUP_PROBE.format(heavy=HEAVY_MODULES)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    wall = time.perf_counter() - start
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def section_startup(cfg: Config, results: Results) -> None:
    say(f"start-up: {cfg.processes} fresh interpreters (after one untimed one)")
    run_probe()  # writes any missing bytecode caches
    probes = [run_probe() for _ in range(cfg.processes)]
    imports = [p["import"] for p, _ in probes]
    loads = [p["load"] for p, _ in probes]
    walls = [w for _, w in probes]
    for key, label, values in (
        ("import", "import gistpath (inside a fresh interpreter)", imports),
        ("load_cold", "load_builtin('gist') after import (cold)", loads),
        ("process", "whole process: start, import, load, exit", walls),
    ):
        figure = Figure(key, label, min(values) * 1e3, statistics.median(values) * 1e3, "ms")
        results.figures.append(figure)
        say(f"  {label:<58} {figure.min:>10.1f} {figure.median:>10.1f} ms")
    first = probes[0][0]
    heavy = sorted({m for p, _ in probes for m in p["after_import"]})
    looked_for = ", ".join(HEAVY_MODULES)
    say(f"  heavy modules after 'import gistpath': {', '.join(heavy) or 'none'} (of {looked_for})")
    after_load = ", ".join(first["after_load"]) or "none"
    lark = "yes" if first["lark_after_import"] else "no"
    say(f"  heavy modules after load_builtin: {after_load}; lark after import: {lark}")
    results.extra["modules"] = {
        "after_import": heavy,
        "after_load": first["after_load"],
        "lark_after_import": first["lark_after_import"],
    }
    imp, load = min(imports) * 1e3, min(loads) * 1e3
    results.goals.append(
        Goal("import", "import gistpath", imp, f"{imp:.1f} ms", "< 100 ms", imp < 100)
    )
    results.goals.append(
        Goal(
            "import_heavy",
            "heavy modules imported by 'import gistpath'",
            float(len(heavy)),
            ", ".join(heavy) or "none",
            "none",
            not heavy,
        )
    )
    results.goals.append(
        Goal(
            "load_cold",
            "load_builtin('gist'), cold",
            load,
            f"{load:.1f} ms",
            "< 150 ms",
            load < 150,
        )
    )


def section_verify(cfg: Config, results: Results) -> None:
    sizes = cfg.verify_sizes
    listed = ", ".join(map(str, sizes))
    say(f"verification on generated decision trees of {listed} rules x 20 inputs")
    rows = verify_scaling.measure(sizes, repeats=cfg.verify_repeats)
    ratios, exponent = verify_scaling.growth(rows)
    say(f"  {'rules':>6} {'regions':>8} {'load s':>9} {'verify s':>9} {'x prev':>7}")
    for i, row in enumerate(rows):
        ratio = f"{ratios[i - 1]:.2f}" if i else "-"
        regions = "-" if row.regions is None else str(row.regions)
        say(f"  {row.rules:>6} {regions:>8} {row.load_s:>9.3f} {row.verify_s:>9.3f} {ratio:>7}")
    if exponent is not None:
        say(f"  fitted: verify seconds ~ rules^{exponent:.2f}")
    results.extra["verify"] = {
        "rows": [asdict(r) for r in rows],
        "growth_per_doubling": ratios,
        "exponent": exponent,
    }
    largest = rows[-1]
    results.figures.append(
        Figure(
            f"verify_{largest.rules}",
            f"verify, {largest.rules} rules x 20 inputs",
            largest.verify_s,
            largest.verify_s,
            "s",
        )
    )
    if largest.rules >= 2000:
        results.goals.append(
            Goal(
                "verify_2000",
                f"verify at {largest.rules} rules",
                largest.verify_s,
                f"{largest.verify_s:.2f} s",
                "< 30 s",
                largest.verify_s < 30,
            )
        )
    else:
        results.goals.append(
            Goal(
                "verify_2000",
                "verify at 2000 rules",
                None,
                f"not run (largest {largest.rules})",
                "< 30 s",
                None,
            )
        )
    if exponent is not None:
        results.goals.append(
            Goal(
                "verify_exponent",
                "verify growth exponent",
                exponent,
                f"rules^{exponent:.2f}",
                "<= 2 (quadratic)",
                exponent <= 2.0,
            )
        )


# --------------------------------------------------------------------------- report


def git(*args: str) -> str:
    """The output of a git command in the repository, or '' when git is not at hand."""
    try:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=ROOT, check=False, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = git("rev-parse", "--short", "HEAD")
    if commit and git("status", "--porcelain", "--", "src", "grammar"):
        commit += ", with uncommitted changes in src/ or grammar/"

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy": version("numpy"),
        "pandas": version("pandas"),
        "gistpath": f"{gistpath.__version__}" + (f" (git {commit})" if commit else ""),
    }


def report(results: Results) -> None:
    say()
    say("summary (min and median per unit; ratios from the minimums)")
    say(f"  {'figure':<58} {'min':>10} {'median':>10}")
    for f in results.figures:
        digits = 3 if f.unit == "us" else (1 if f.unit == "ms" else 3)
        unit = "µs" if f.unit == "us" else f.unit
        say(f"  {f.label:<58} {f.min:>10.{digits}f} {f.median:>10.{digits}f} {unit}")
    say()
    say("goals")
    for g in results.goals:
        verdict = "n/a" if g.met is None else ("met" if g.met else "NOT met")
        say(f"  {g.label:<50} {g.text:>18}   goal {g.goal:<16} {verdict}")
    if results.ratios:
        say()
        say("other ratios (no goal)")
        for label, ratio in results.ratios.items():
            say(f"  {label:<50} {ratio:>17.2f}x")
    for note in results.notes:
        say(f"  note: {note}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="gistpath benchmarks, side by side")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="20,000-state batches, fewer repeats")
    mode.add_argument("--smoke", action="store_true", help="toy sizes: checks the harness runs")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--only", metavar="SECTIONS", help=f"comma-separated subset of {','.join(SECTIONS)}"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cfg = PRESETS["smoke" if args.smoke else "quick" if args.quick else "full"]
    only = SECTIONS if not args.only else tuple(s.strip() for s in args.only.split(","))
    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        raise SystemExit(
            f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
        )
    now = datetime.datetime.now(datetime.UTC)
    results = Results(now.strftime("%Y-%m-%d %H:%M UTC"), machine(), cfg)
    say(f"gistpath benchmarks, {results.date}")
    for key, value in results.machine.items():
        say(f"  {key:<9} {value}")
    say(
        f"  mode      {cfg.mode}: sample of {cfg.states:,} distinct valid states "
        f"(seed {SEED}), {cfg.repeats} repeats"
    )
    say()
    rs = gistpath.load_builtin("gist") if set(only) & {"single", "afip", "batch"} else None
    for name in only:
        if name == "startup":
            section_startup(cfg, results)
        elif name == "verify":
            section_verify(cfg, results)
        else:
            assert rs is not None
            {"single": section_single, "afip": section_afip, "batch": section_batch}[name](
                rs, cfg, results
            )
        say()
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results.as_json(), indent=2) + "\n", encoding="utf-8")
        say(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

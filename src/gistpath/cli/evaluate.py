"""``gistpath eval``: decide every record of the input, one JSON line per decision.

Design: the records come from :mod:`~gistpath.cli.records`, each decided by
:meth:`gistpath.RuleSet.evaluate`; a bad record is reported on stderr with its file line,
record number and ``--id`` values (every problem at once) and the run goes on. ``--id``
fields are carried through to the output and kept out of the state. Progress is shown by
:mod:`~gistpath.cli.progress`.

Limits: one record at a time (``RuleSet.evaluate_many`` is the path for large batches).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO

from gistpath.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_TROUBLE,
    load_failed,
    load_rules,
    plural,
)
from gistpath.cli.progress import Progress
from gistpath.cli.records import BadRecord, InputTrouble, input_format, read_records
from gistpath.errors import MISSING_FIELD, GistpathError, StateError

_OUTPUT_KEYS = ("record", "pathway", "considerations", "rule", "values")


def _split_ids(record: object, ids: Sequence[str]) -> tuple[object, dict[str, object], list[str]]:
    """The record without its id fields, the id values, and the id fields it lacks."""
    if not ids or not isinstance(record, dict):
        return record, {}, list(ids) if ids else []
    found = {name: record[name] for name in ids if name in record}
    state = {k: v for k, v in record.items() if k not in found}
    return state, found, [name for name in ids if name not in record]


def run_eval(args: argparse.Namespace) -> int:
    """``gistpath eval``: decide every record of the input (JSON, JSON lines or CSV) and write one
    JSON line per good record (pathway, considerations, rule, values and any ``--id`` fields);
    bad records are reported on standard error by number and the good ones still decided.
    Returns 0, 1 when some record was bad or the rule set does not load, 2 when the input
    cannot be read.
    """
    ids: list[str] = list(dict.fromkeys(args.id or ()))
    clash = [name for name in ids if name in _OUTPUT_KEYS]
    if clash:
        print(
            f"gistpath: --id {', '.join(clash)}: the output already has a key of that name "
            f"({', '.join(_OUTPUT_KEYS)})",
            file=sys.stderr,
        )
        return EXIT_TROUBLE
    try:
        rs = load_rules(args.file)
    except GistpathError as error:
        return load_failed(error)
    declared = [name for name in ids if name in rs.inputs]
    if declared:
        print(
            f"gistpath: --id {', '.join(declared)}: a declared input of the rule set, "
            "not an id to carry through",
            file=sys.stderr,
        )
        return EXIT_TROUBLE
    fmt = input_format(args)
    try:
        stream: IO[str] = (
            sys.stdin
            if args.input == "-"
            else open(args.input, encoding="utf-8-sig", newline="" if fmt == "csv" else None)  # noqa: SIM115
        )
    except OSError as error:
        print(f"gistpath: cannot read {args.input}: {error.strerror}", file=sys.stderr)
        return EXIT_TROUBLE
    source = "<stdin>" if args.input == "-" else args.input
    progress = Progress(sys.stderr, sys.stderr.isatty() and not args.quiet)
    bad = good = 0
    out = sys.stdout
    try:
        for count, (line, record) in enumerate(read_records(stream, fmt, rs, ids), start=1):
            progress.update(count, bad)
            where = f"{source}:{line}: record {count}" if line else f"{source}: record {count}"
            problems: list[Exception] = []
            if isinstance(record, BadRecord):
                found = record.ids
                problems.append(record.error)
            else:
                state, found, lacking = _split_ids(record, ids)
                problems.extend(
                    StateError(
                        name,
                        None,
                        "the id field named by --id in every record",
                        reason=MISSING_FIELD,
                    )
                    for name in lacking
                )
                try:
                    decision = rs.evaluate(state)
                except GistpathError as error:
                    problems.append(error)
            if found:
                where += " (" + ", ".join(f"{k} {v!r}" for k, v in found.items()) + ")"
            if problems:
                bad += 1
                for problem in problems:
                    for part in problem.problems if isinstance(problem, StateError) else [problem]:
                        text = part.line() if isinstance(part, StateError) else str(part)
                        if isinstance(part, StateError) and part.reason.startswith("unknown field"):
                            text += f" (an id of the record? name it with --id {part.field})"
                        progress.message(f"{where}: {text}")
                continue
            good += 1
            result: dict[str, object] = {"record": count, **found, **decision.as_dict()}
            result["values"] = {k: v for k, v in decision.values.items() if k not in rs.inputs}
            out.write(json.dumps(result, sort_keys=False) + "\n")
    except InputTrouble as trouble:
        progress.close()
        print(f"gistpath: {source}: {trouble}", file=sys.stderr)
        return EXIT_TROUBLE
    finally:
        progress.close()
        if stream is not sys.stdin:
            stream.close()
    if bad:
        print(
            f"gistpath: {plural(bad, 'bad record')} reported above; {good} decided",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    return EXIT_OK

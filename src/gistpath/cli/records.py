"""The records ``gistpath eval`` reads: JSON, JSON Lines or CSV, each with its line.

Design: :func:`read_records` yields ``(line, record)`` for each record, or ``(line,
BadRecord)`` for one that cannot be read, so one bad record never stops a run; input that
cannot be read at all raises :class:`InputTrouble` (exit status 2). CSV has no types, so
each cell is read by the declared type of its field (:func:`_csv_value`: booleans
``true``/``false`` or ``yes``/``no`` in any case, whole numbers for integers, ``unknown``
where declared) and a cell that is not its field's type is a :class:`CellError` worded
from what was read; every problem of a row is reported at once.

Limits: a JSON file is read whole (a JSON array has no record lines to stream by); CSV
cells of choice fields are compared as written, without folding case.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterator, Sequence
from typing import IO, Any

import attrs

from gistpath.cli.common import plural
from gistpath.errors import StateError

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

CSV_TRUE = frozenset({"true", "yes"})
CSV_FALSE = frozenset({"false", "no"})
"""CSV booleans, compared without regard to case: ``true``/``false`` and ``yes``/``no``, so
``TRUE`` (spreadsheets), ``True`` (pandas) and ``true`` all read as a boolean."""

CSV_BOOLEANS = "true/false or yes/no, in any case (TRUE, False, yes, ...)"


class CellError(StateError):
    """A CSV cell (or a row's shape) that does not read as its field's type.

    Worded from what was read, since every CSV cell is text: ``column 'size_cm': cell
    '4,5' is not a number; expected ...``.
    """

    def line(self) -> str:
        if self.field == "<row>":
            return f"{self.reason}"
        if self.value is None:
            return f"column {self.field!r}: {self.reason}; expected {self.expected}"
        return f"column {self.field!r}: cell {self.value!r} {self.reason}; expected {self.expected}"


def _csv_value(rs: Any, name: str, text: str) -> object:
    """A CSV cell read by the declared type of its field (CSV itself has no types).

    Raises :class:`CellError` for a cell that cannot be its field's type; an undeclared
    column is left as text, for validation to name.
    """
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.model import BooleanDomain, ChoiceDomain

    if name not in rs.inputs:
        return text
    domain = rs.inputs[name].domain
    expected = domain.describe()
    if text == "":
        raise CellError(name, None, expected, reason="the cell is empty")
    if text == "unknown" and domain.allows_unknown:
        return "unknown"
    if isinstance(domain, ChoiceDomain):
        return text
    if isinstance(domain, BooleanDomain):
        folded = text.strip().lower()
        if folded in CSV_TRUE:
            return True
        if folded in CSV_FALSE:
            return False
        unknown = ", or 'unknown'" if domain.allows_unknown else ""
        raise CellError(
            name, text, f"a boolean: {CSV_BOOLEANS}{unknown}", reason="is not a boolean"
        )
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        if domain.integer:
            raise CellError(name, text, expected, reason="is not a whole number as written")
        return float(text)
    raise CellError(name, text, expected, reason="is not a number")


def _csv_records(stream: IO[str], rs: Any, ids: Sequence[str]) -> Iterator[tuple[int, object]]:
    """The records of a CSV stream as ``(line, state)``, or ``(line, BadRecord)`` for a row with
    problems: the header names the fields (every ``ids`` column must be in it, else
    :class:`InputTrouble`), each cell is read as its declared input expects (numbers, yes/no in
    any case), blank lines are skipped, and a bad row's :class:`StateError` lists every
    problem at once (missing or extra cells, bad cells, then the rest of the state's).
    """
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    header_line = reader.line_num
    missing_ids = [name for name in ids if name not in header]
    if missing_ids:
        raise InputTrouble(
            f"--id {', '.join(missing_ids)}: no such column in the CSV header "
            f"(line {header_line}): {', '.join(header)}"
        )
    validators = {name: rs.field_validator(name) for name in rs.inputs}
    for row in reader:
        line = reader.line_num
        if not row:
            continue  # a blank line is no record
        cells: list[StateError] = []
        state: dict[str, object] = {}
        if len(row) > len(header):
            extra = row[len(header) :]
            cells.append(
                CellError(
                    "<row>",
                    extra,
                    f"{len(header)} cells, one per column of the header",
                    reason=f"the row has {plural(len(row), 'cell')} and the header "
                    f"{plural(len(header), 'column')}: extra "
                    f"{'cell' if len(extra) == 1 else 'cells'} {', '.join(map(repr, extra))}",
                )
            )
        for index, name in enumerate(header):
            if index >= len(row):
                cells.append(
                    CellError(
                        name,
                        None,
                        f"a cell for each of the header's {len(header)} columns",
                        reason=f"no cell (the row has {plural(len(row), 'cell')})",
                    )
                )
                continue
            try:
                state[name] = _csv_value(rs, name, row[index])
            except CellError as error:
                cells.append(error)
        if not cells:
            yield line, state
            continue
        # Every problem of the row at once: its cells, then what the rest of it says.
        from gistpath.state import state_problems

        bad = {error.field for error in cells}
        rest = [
            error
            for error in state_problems(
                {k: v for k, v in state.items() if k not in ids}, rs.inputs, validators
            )
            if error.field not in bad
        ]
        id_values = {k: state[k] for k in ids if k in state}
        yield line, BadRecord(StateError.of(cells + rest), id_values)


class InputTrouble(Exception):
    """Input that cannot be read at all (exit status 2)."""


@attrs.frozen
class BadRecord:
    """A record that could not be read, with the id fields that could."""

    error: Exception
    ids: dict[str, object] = attrs.field(factory=dict)


def read_records(
    stream: IO[str], fmt: str, rs: Any, ids: Sequence[str] = ()
) -> Iterator[tuple[int, object]]:
    """(line number, record or a :class:`BadRecord`) for each record of the input.

    The line is the file line where the record starts (JSON: where the array item ends is
    not known, so the record's position in the array is given instead).
    """
    if fmt == "csv":
        yield from _csv_records(stream, rs, ids)
        return
    if fmt == "json":
        text = stream.read()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputTrouble(f"not valid JSON: {error.msg} (line {error.lineno})") from None
        items = data if isinstance(data, list) else [data]
        yield from ((0, item) for item in items)
        return
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield (
                number,
                BadRecord(ValueError(f"not valid JSON: {error.msg} (column {error.colno})")),
            )


def input_format(args: argparse.Namespace) -> str:
    """The input format of ``gistpath eval``: ``--format`` when given, else from the file name
    (``.csv``, ``.json``; anything else is JSON lines).
    """
    if args.format != "auto":
        return str(args.format)
    name = str(args.input)
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".json"):
        return "json"
    return "jsonl"

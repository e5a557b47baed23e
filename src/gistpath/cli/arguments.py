"""The ``gistpath`` command: check rule files, decide states, explain decisions.

Design: argparse, one function per subcommand, ``main(argv) -> int`` so tests can call it
without a subprocess. Data goes to stdout, messages and progress to stderr. Exit codes
follow the linters' convention: 0 all good, 1 findings (a rule file that fails, a bad
record), 2 usage or I/O trouble. A rule file argument may also be the name of a bundled
rule set (``gist``). Every error gistpath raises is shown as its message, never as a
traceback.

Commands: ``from-dmn MODEL`` and ``to-dmn FILE`` (DMN in and out, :mod:`gistpath.dmn`),
``check FILE...``, ``eval FILE`` (JSON, JSON Lines or CSV in; JSON Lines out),
``explain FILE --state JSON``, ``docs FILE -o DIR`` (HTML through Sphinx, the ``docs``
extra), ``diff OLD NEW`` (the states that change pathway, from :mod:`gistpath.diff`),
``fmt FILE... [--check]`` (the canonical layout of :mod:`gistpath.fmt`), ``lsp`` (the
language server of :mod:`gistpath.lsp`, the ``lsp`` extra).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from gistpath.errors import MISSING_FIELD, GistpathError, ReadError, StateError

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2
PROGRESS_EVERY = 256  # records between looks at the clock
PROGRESS_SECONDS = 0.2  # at most this often a redraw of the progress line
_clock = time.monotonic  # the progress line's clock (tests replace it)


def _load(spec: str, *, draft: bool = False) -> Any:
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.loader import builtin_names, load, load_builtin

    if not Path(spec).exists() and spec in builtin_names():
        return load_builtin(spec)
    if not draft:
        return load(spec)
    # A draft's findings are shown by the command itself (diff shows gaps and overlaps as
    # such); the loader's warning would print a Python warning line with a library path.
    from gistpath.loader import VerificationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VerificationWarning)
        return load(spec, draft=True)


def _load_failed(error: GistpathError) -> int:
    """Report a rule file that did not load; the exit status for it."""
    print(str(error), file=sys.stderr)
    return EXIT_TROUBLE if isinstance(error, ReadError) else EXIT_FINDINGS


def _plural(count: int, noun: str, plural: str = "") -> str:
    """``1 input``, ``2 inputs``, ``1 bad record``, ``0 examples``."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


# --------------------------------------------------------------------------- check


def _check(args: argparse.Namespace) -> int:
    import warnings

    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.loader import VerificationWarning

    status = EXIT_OK
    for spec in args.files:
        try:
            with warnings.catch_warnings():
                # warnings (a vacuous property) are printed below, from the report
                warnings.simplefilter("ignore", VerificationWarning)
                rs = _load(spec)
        except GistpathError as error:
            status = max(status, _load_failed(error))
            continue
        report = rs.verify()
        for finding in report.warnings:
            print(finding.format(), file=sys.stderr)
        examples = len(rs.model.examples)
        proven = (
            f"{_plural(len(rs.properties), 'property', 'properties')} proven, "
            if rs.properties
            else ""
        )
        print(
            f"{spec}: ok: {_plural(len(rs.inputs), 'input')}, {_plural(len(rs.rules), 'rule')}, "
            f"{_plural(len(rs.pathways), 'pathway')}, {proven}{_plural(examples, 'example')} "
            f"{'passes' if examples == 1 else 'pass'}; "
            f"verified over {_plural(report.pieces, 'region')} in {report.seconds:.3f} s"
        )
    return status


# --------------------------------------------------------------------------- eval


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
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    header_line = reader.line_num
    missing_ids = [name for name in ids if name not in header]
    if missing_ids:
        raise _Trouble(
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
                    reason=f"the row has {_plural(len(row), 'cell')} and the header "
                    f"{_plural(len(header), 'column')}: extra "
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
                        reason=f"no cell (the row has {_plural(len(row), 'cell')})",
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
        yield line, _BadRecord(StateError.of(cells + rest), id_values)


class _Trouble(Exception):
    """Input that cannot be read at all (exit status 2)."""


@attrs.frozen
class _BadRecord:
    """A record that could not be read, with the id fields that could."""

    error: Exception
    ids: dict[str, object] = attrs.field(factory=dict)


def _records(
    stream: IO[str], fmt: str, rs: Any, ids: Sequence[str] = ()
) -> Iterator[tuple[int, object]]:
    """(line number, record or a :class:`_BadRecord`) for each record of the input.

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
            raise _Trouble(f"not valid JSON: {error.msg} (line {error.lineno})") from None
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
                _BadRecord(ValueError(f"not valid JSON: {error.msg} (column {error.colno})")),
            )


def _format_of(args: argparse.Namespace) -> str:
    if args.format != "auto":
        return str(args.format)
    name = str(args.input)
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".json"):
        return "json"
    return "jsonl"


class _Progress:
    """A record count on one line of stderr, for long runs, only when stderr is a terminal.

    The line is redrawn (``\\r``) at most every :data:`PROGRESS_SECONDS`, and the clock is
    read only every :data:`PROGRESS_EVERY` records, so a fast run pays almost nothing. A
    message (a bad record) clears the line first; :meth:`close` clears it for good, so the
    terminal is left with the messages only. Piped or redirected, it writes nothing.
    """

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.width = 0  # characters of the progress line now on screen
        self.last = _clock()

    def update(self, count: int, bad: int) -> None:
        if not self.enabled or count % PROGRESS_EVERY:
            return
        now = _clock()
        if now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        text = f"gistpath eval: {count:,} records, {bad:,} bad"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def message(self, text: str) -> None:
        self.clear()
        print(text, file=self.stream)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    close = clear


_OUTPUT_KEYS = ("record", "pathway", "considerations", "rule", "values")


def _split_ids(record: object, ids: Sequence[str]) -> tuple[object, dict[str, object], list[str]]:
    """The record without its id fields, the id values, and the id fields it lacks."""
    if not ids or not isinstance(record, dict):
        return record, {}, list(ids) if ids else []
    found = {name: record[name] for name in ids if name in record}
    state = {k: v for k, v in record.items() if k not in found}
    return state, found, [name for name in ids if name not in record]


def _eval(args: argparse.Namespace) -> int:
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
        rs = _load(args.file)
    except GistpathError as error:
        return _load_failed(error)
    declared = [name for name in ids if name in rs.inputs]
    if declared:
        print(
            f"gistpath: --id {', '.join(declared)}: a declared input of the rule set, "
            "not an id to carry through",
            file=sys.stderr,
        )
        return EXIT_TROUBLE
    fmt = _format_of(args)
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
    progress = _Progress(sys.stderr, sys.stderr.isatty() and not args.quiet)
    bad = good = 0
    out = sys.stdout
    try:
        for count, (line, record) in enumerate(_records(stream, fmt, rs, ids), start=1):
            progress.update(count, bad)
            where = f"{source}:{line}: record {count}" if line else f"{source}: record {count}"
            problems: list[Exception] = []
            if isinstance(record, _BadRecord):
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
    except _Trouble as trouble:
        progress.close()
        print(f"gistpath: {source}: {trouble}", file=sys.stderr)
        return EXIT_TROUBLE
    finally:
        progress.close()
        if stream is not sys.stdin:
            stream.close()
    if bad:
        print(
            f"gistpath: {_plural(bad, 'bad record')} reported above; {good} decided",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    return EXIT_OK


# --------------------------------------------------------------------------- explain


def _explain(args: argparse.Namespace) -> int:
    try:
        rs = _load(args.file)
    except GistpathError as error:
        return _load_failed(error)
    text = args.state
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as error:
            print(f"gistpath: cannot read {text[1:]}: {error.strerror}", file=sys.stderr)
            return EXIT_TROUBLE
    try:
        state = json.loads(text)
    except json.JSONDecodeError as error:
        print(f"gistpath: --state is not valid JSON: {error.msg}", file=sys.stderr)
        return EXIT_TROUBLE
    try:
        if args.partial:
            # Deferred: loaded when this command runs, so each command starts with what it uses.
            from gistpath.partial import partial_in_words

            print(partial_in_words(rs.evaluate_partial(state)))
            return EXIT_OK
        decision = rs.evaluate(state)
    except StateError as error:
        for problem in error.problems:
            print(f"gistpath: invalid state: {problem.line()}", file=sys.stderr)
        return EXIT_FINDINGS
    except GistpathError as error:
        print(f"gistpath: {error}", file=sys.stderr)
        return EXIT_FINDINGS
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.alternatives import would_change_if
    from gistpath.explain import explain

    extra = [would_change_if(decision)] if args.alternatives else []
    explanation = explain(decision, base_url=args.docs_url, extra=extra)
    if args.format == "json":
        print(json.dumps(explanation.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(explanation.text())
    return EXIT_OK


# --------------------------------------------------------------------------- docs


def _docs(args: argparse.Namespace) -> int:
    try:
        import sphinx  # noqa: F401
    except ImportError:
        print(
            "gistpath docs needs Sphinx, which is not installed: "
            "pip install 'gistpath[docs]' (the 'docs' extra)",
            file=sys.stderr,
        )
        return EXIT_TROUBLE
    try:
        rs = _load(args.file)
    except GistpathError as error:
        return _load_failed(error)
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.docs import build_html

    output = Path(args.output)
    try:
        output.mkdir(parents=True, exist_ok=True)
        probe = output / ".gistpath-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        print(f"gistpath: cannot write to {output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_TROUBLE
    status = build_html(rs, args.output)
    if status != 0:
        print(f"gistpath: Sphinx reported problems (exit status {status})", file=sys.stderr)
        return EXIT_FINDINGS
    print(Path(args.output, "index.html"))
    return EXIT_OK


# --------------------------------------------------------------------------- diff


def _diff(args: argparse.Namespace) -> int:
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.diff import diff_rulesets

    try:
        old = _load(args.old, draft=args.draft)
        new = _load(args.new, draft=args.draft)
        report = diff_rulesets(old, new, old_label=args.old, new_label=args.new)
    except GistpathError as error:
        print(str(error), file=sys.stderr)
        return EXIT_TROUBLE
    if args.format == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.format())
    return EXIT_OK if report.same else EXIT_FINDINGS


# --------------------------------------------------------------------------- DMN


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


def _from_dmn(args: argparse.Namespace) -> int:
    import warnings

    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath import dmn
    from gistpath.loader import loads

    try:
        conversion = dmn.convert(dmn.read(args.model))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the findings are printed below
            ruleset = loads(conversion.text, args.output or "<from-dmn>", draft=True)
        _write(conversion.text, args.output)
    except dmn.DmnError as error:
        print(str(error), file=sys.stderr)
        return EXIT_TROUBLE if error.line == 0 else EXIT_FINDINGS
    except (GistpathError, OSError) as error:
        print(f"gistpath: {error}", file=sys.stderr)
        return EXIT_TROUBLE
    report = ruleset.verify()
    if not report.ok:
        print(report.format(), file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def _to_dmn(args: argparse.Namespace) -> int:
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath import dmn

    try:
        rs = _load(args.file, draft=args.draft)
        _write(dmn.export(rs), args.output)
    except GistpathError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FINDINGS
    except OSError as error:
        print(f"gistpath: {error}", file=sys.stderr)
        return EXIT_TROUBLE
    return EXIT_OK


# --------------------------------------------------------------------------- fmt


def _fmt(args: argparse.Namespace) -> int:
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.fmt import format_text
    from gistpath.loader import decode

    status = EXIT_OK
    for spec in args.files:
        try:
            if spec == "-":
                original = decode(sys.stdin.buffer.read(), "<stdin>")
            else:
                original = decode(Path(spec).read_bytes(), spec)
            formatted = format_text(original, spec)
        except OSError as error:
            print(f"gistpath fmt: cannot read {spec!r}: {error.strerror}", file=sys.stderr)
            status = max(status, EXIT_TROUBLE)
            continue
        except GistpathError as error:
            print(str(error), file=sys.stderr)
            status = max(status, EXIT_FINDINGS)
            continue
        if spec == "-":
            if args.check:
                if formatted != original:
                    print("<stdin>: would be reformatted", file=sys.stderr)
                    status = max(status, EXIT_FINDINGS)
            else:
                sys.stdout.write(formatted)
            continue
        if formatted == original:
            continue
        if args.check:
            print(f"{spec}: would be reformatted", file=sys.stderr)
            status = max(status, EXIT_FINDINGS)
            continue
        try:
            Path(spec).write_text(formatted, encoding="utf-8", newline="\n")
        except OSError as error:
            print(f"gistpath fmt: cannot write {spec!r}: {error.strerror}", file=sys.stderr)
            status = max(status, EXIT_TROUBLE)
            continue
        print(f"{spec}: reformatted", file=sys.stderr)
    return status


# --------------------------------------------------------------------------- lsp


def _lsp(args: argparse.Namespace) -> int:
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("gistpath lsp needs the 'lsp' extra: pip install 'gistpath[lsp]'", file=sys.stderr)
        return EXIT_TROUBLE
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.lsp import serve

    serve()
    return EXIT_OK


# --------------------------------------------------------------------------- main


_STATUS_EPILOG = """exit status:
  0  {ok}
  1  {findings}
  2  usage or input/output trouble (a file that cannot be read, a bad option)"""


def _command(
    sub: Any, name: str, help: str, description: str, ok: str, findings: str
) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` says what it does and what its exit statuses mean."""
    return sub.add_parser(  # type: ignore[no-any-return]
        name,
        help=help,
        description=description,
        epilog=_STATUS_EPILOG.format(ok=ok, findings=findings),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath import __version__

    parser = argparse.ArgumentParser(
        prog="gistpath",
        description="Clinical pathway rules that can be read, proven complete and run. "
        "Decision support for clinicians, not medical advice.",
        epilog="'gistpath COMMAND --help' describes a command and its exit statuses.",
    )
    parser.add_argument("--version", action="version", version=f"gistpath {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = _command(
        sub,
        "check",
        "parse, check and verify rule files; run their examples",
        "Parse, type-check and verify each rule file exactly (no gap, no overlap, no rule "
        "that can never fire) and run the examples it contains. Prints one line per good "
        "file on stdout and every problem of a bad one on stderr, with file, line and column.",
        "every file loads, verifies and passes its examples",
        "some file has errors, fails verification or fails an example",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="rule files (or 'gist')")
    check.set_defaults(run=_check)

    evaluate = _command(
        sub,
        "eval",
        "decide states read as JSON, JSON Lines or CSV",
        "Decide every record (one state) of the input and print one JSON line per decision: "
        '{"record": N, <--id fields>, "pathway": ..., "considerations": [...], "rule": ..., '
        '"values": {...}}. Records are numbered from 1 in input order, in every format. A bad '
        "record is reported on stderr with its file line and record number, every problem "
        "at once, and the rest are decided. CSV cells are read by their field's type: "
        f"booleans {CSV_BOOLEANS}; integers written as whole numbers; 'unknown' where "
        "declared; an empty cell is a problem.",
        "every record was decided",
        "some record was bad (the others were decided), or the rule file has errors",
    )
    evaluate.add_argument("file", metavar="FILE", help="rule file (or 'gist')")
    evaluate.add_argument("--input", "-i", default="-", help="input file, '-' for stdin")
    evaluate.add_argument(
        "--format",
        choices=("auto", "json", "jsonl", "csv"),
        default="auto",
        help="input format (default: by file name; stdin is JSON Lines)",
    )
    evaluate.add_argument(
        "--id",
        action="append",
        metavar="FIELD",
        help="a field or column that identifies the record (e.g. patient_id), not an input "
        "of the rules: copied to the output and named in messages; may be repeated",
    )
    evaluate.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    evaluate.set_defaults(run=_eval)

    explain = _command(
        sub,
        "explain",
        "explain the decision for one state in words",
        "The decision for one state in words: the pathway, the conditions that held, the "
        "derived values behind it (a table value with the row that gave it), "
        "considerations, the sources cited and a link to the pathway's section.",
        "the state was decided and explained",
        "the state is not valid (every problem is listed), or the rule file has errors",
    )
    explain.add_argument("file", metavar="FILE", help="rule file (or 'gist')")
    explain.add_argument(
        "--state", required=True, help="the state as JSON, or @path to a JSON file"
    )
    explain.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default): for people to read; json: the same as data, for programs",
    )
    explain.add_argument(
        "--docs-url",
        metavar="URL",
        default=None,
        help="the URL of the rule set's documentation page; the explanation links to the "
        "pathway's section there (default: $GISTPATH_DOCS_URL)",
    )
    explain.add_argument(
        "--alternatives",
        action="store_true",
        help="also say what one changed input would decide instead ('would change if')",
    )
    explain.add_argument(
        "--partial",
        action="store_true",
        help="the state may leave inputs out: say which pathways remain and which missing "
        "inputs decide between them",
    )
    explain.set_defaults(run=_explain)

    docs = _command(
        sub,
        "docs",
        "build the HTML documentation of a rule file (Sphinx)",
        "Build the HTML documentation of a rule file into DIR (DIR/index.html). Needs "
        "Sphinx: pip install 'gistpath[docs]'.",
        "the documentation was built",
        "the rule file has errors, or Sphinx reported problems",
    )
    docs.add_argument("file", metavar="FILE", help="rule file (or 'gist')")
    docs.add_argument("--output", "-o", required=True, metavar="DIR", help="output folder")
    docs.set_defaults(run=_docs)

    diff = _command(
        sub,
        "diff",
        "which valid states change pathway between two versions of a rule file",
        "Compare two versions of a rule file exactly, over every valid state: each region "
        "of states whose pathway changes is shown in words with an example state.",
        "no valid state changes pathway",
        "some states change pathway",
    )
    diff.epilog = (diff.epilog or "") + " or a rule file that does not load"
    diff.add_argument("old", metavar="OLD", help="the earlier rule file (or 'gist')")
    diff.add_argument("new", metavar="NEW", help="the later rule file (or 'gist')")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    diff.add_argument(
        "--draft",
        action="store_true",
        help="compare files that fail verification (their gaps and overlaps show as such)",
    )
    diff.set_defaults(run=_diff)

    from_dmn = _command(
        sub,
        "from-dmn",
        "print a DMN decision model (1.1-1.5) as a rule file, and verify it",
        "Read a DMN 1.1-1.5 model (decision tables with S-FEEL entries, every hit policy) "
        "and print the equivalent rule file. The tables are then proven as their hit "
        "policies mean them; gaps, overlaps, masked and dead rules are listed on stderr. "
        "Anything beyond S-FEEL is refused with the element's id and line.",
        "the model was converted and verifies",
        "the model was converted but has findings, or it cannot be imported",
    )
    from_dmn.add_argument("model", metavar="MODEL", help="the .dmn file")
    from_dmn.add_argument("--output", "-o", metavar="FILE", help="write the rule file here")
    from_dmn.set_defaults(run=_from_dmn)

    to_dmn = _command(
        sub,
        "to-dmn",
        "print the decision tables of a rule file as DMN 1.4 XML",
        "Write the decision tables of a rule file as a DMN 1.4 model: one decision per "
        "table with its hit policy, the inputs the tables read as input data, annotations, "
        "and the rule file's sources as knowledge sources. Rules, pathways, constraints and "
        "'let' values have no DMN decision table form and are not exported.",
        "the model was written",
        "the rule file has errors, or has a table DMN cannot express",
    )
    to_dmn.add_argument("file", metavar="FILE", help="rule file (or 'gist')")
    to_dmn.add_argument("--output", "-o", metavar="FILE", help="write the DMN model here")
    to_dmn.add_argument(
        "--draft", action="store_true", help="export a rule file that fails verification"
    )
    to_dmn.set_defaults(run=_to_dmn)

    fmt = sub.add_parser(
        "fmt",
        help="lay rule files out in the canonical layout, keeping every comment",
        description="Rewrite rule files in gistpath's one canonical layout (indentation, "
        "spacing, aligned tables), keeping every comment and blank-line grouping; the "
        "meaning of a file never changes. Exit status 0: done (or, with --check, nothing "
        "to change); 1: a file would change or does not parse; 2: a file cannot be read.",
    )
    fmt.add_argument("files", nargs="+", metavar="FILE", help="rule files; '-' reads stdin")
    fmt.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if some file is not in the canonical layout",
    )
    fmt.set_defaults(run=_fmt)

    lsp = sub.add_parser(
        "lsp",
        help="run the language server (Language Server Protocol over stdio) for editors",
        description="Serve an editor over stdin and stdout with the Language Server "
        "Protocol: diagnostics and verification as you type, hover, go to definition, "
        "references, rename, outline, completion, formatting and quick fixes. Needs the "
        "'lsp' extra.",
    )
    lsp.set_defaults(run=_lsp)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK

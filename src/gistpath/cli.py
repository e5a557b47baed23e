"""The ``gistpath`` command: check rule files, decide states, explain decisions.

Design: argparse, one function per subcommand, ``main(argv) -> int`` so tests can call it
without a subprocess. Data goes to stdout, messages and progress to stderr. Exit codes
follow the linters' convention: 0 all good, 1 findings (a rule file that fails, a bad
record), 2 usage or I/O trouble. A rule file argument may also be the name of a bundled
rule set (``gist``). Every error gistpath raises is shown as its message, never as a
traceback.

Commands: ``check FILE...``, ``eval FILE`` (JSON, JSON Lines or CSV in; JSON Lines out),
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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from gistpath.errors import GistpathError, StateError

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2
PROGRESS_EVERY = 256  # records between looks at the clock
PROGRESS_SECONDS = 0.2  # at most this often a redraw of the progress line
_clock = time.monotonic  # the progress line's clock (tests replace it)


def _load(spec: str, *, draft: bool = False) -> Any:
    from gistpath.loader import builtin_names, load, load_builtin

    if not Path(spec).exists() and spec in builtin_names():
        return load_builtin(spec)
    return load(spec, draft=draft)


# --------------------------------------------------------------------------- check


def _check(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for spec in args.files:
        try:
            rs = _load(spec)
        except GistpathError as error:
            print(str(error), file=sys.stderr)
            status = EXIT_FINDINGS
            continue
        report = rs.verify()
        print(
            f"{spec}: ok: {len(rs.inputs)} inputs, {len(rs.rules)} rules, "
            f"{len(rs.pathways)} pathways, {len(rs.model.examples)} examples pass; "
            f"verified over {report.pieces} regions in {report.seconds:.3f} s"
        )
    return status


# --------------------------------------------------------------------------- eval


_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _csv_value(rs: Any, name: str, text: str) -> object:
    """A CSV cell read by the declared type of its field (CSV itself has no types)."""
    from gistpath.model import BooleanDomain, ChoiceDomain

    if name not in rs.inputs:
        return text
    domain = rs.inputs[name].domain
    if text == "unknown" and domain.allows_unknown:
        return "unknown"
    if isinstance(domain, ChoiceDomain):
        return text
    if isinstance(domain, BooleanDomain):
        return {"true": True, "false": False, "yes": True, "no": False}.get(text, text)
    if _INT.fullmatch(text):
        return int(text)
    if not domain.integer and _FLOAT.fullmatch(text):
        return float(text)
    return text  # left as text: validation names the field and the value


def _records(stream: IO[str], fmt: str, rs: Any) -> Iterator[tuple[int, object]]:
    """(line number, record or an exception) for each record of the input."""
    if fmt == "csv":
        reader = csv.DictReader(stream)
        for row in reader:
            yield (
                reader.line_num,
                {k: _csv_value(rs, k, v) if v is not None else None for k, v in row.items()},
            )
        return
    if fmt == "json":
        text = stream.read()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield error.lineno, ValueError(f"not valid JSON: {error.msg}")
            return
        items = data if isinstance(data, list) else [data]
        yield from enumerate(items, start=1)
        return
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield number, ValueError(f"not valid JSON: {error.msg} (column {error.colno})")


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


def _eval(args: argparse.Namespace) -> int:
    try:
        rs = _load(args.file)
    except GistpathError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FINDINGS
    fmt = _format_of(args)
    try:
        stream: IO[str] = (
            sys.stdin
            if args.input == "-"
            else open(args.input, encoding="utf-8", newline="" if fmt == "csv" else None)  # noqa: SIM115
        )
    except OSError as error:
        print(f"gistpath: cannot read {args.input}: {error.strerror}", file=sys.stderr)
        return EXIT_TROUBLE
    source = "<stdin>" if args.input == "-" else args.input
    progress = _Progress(sys.stderr, sys.stderr.isatty() and not args.quiet)
    bad = good = 0
    out = sys.stdout
    try:
        for count, (line, record) in enumerate(_records(stream, fmt, rs), start=1):
            progress.update(count, bad)
            try:
                if isinstance(record, Exception):
                    raise record
                decision = rs.evaluate(record)
            except (GistpathError, ValueError) as error:
                bad += 1
                progress.message(f"{source}:{line}: {error}")
                continue
            good += 1
            result: dict[str, object] = {"line": line, **decision.as_dict()}
            result["values"] = {k: v for k, v in decision.values.items() if k not in rs.inputs}
            out.write(json.dumps(result, sort_keys=False) + "\n")
    finally:
        progress.close()
        if stream is not sys.stdin:
            stream.close()
    if bad:
        print(f"gistpath: {bad} bad records reported above; {good} decided", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


# --------------------------------------------------------------------------- explain


def _explain(args: argparse.Namespace) -> int:
    try:
        rs = _load(args.file)
    except GistpathError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FINDINGS
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
        decision = rs.evaluate(state)
    except StateError as error:
        print(f"gistpath: invalid state: {error}", file=sys.stderr)
        return EXIT_FINDINGS
    except GistpathError as error:
        print(f"gistpath: {error}", file=sys.stderr)
        return EXIT_FINDINGS
    print(decision.explain())
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
        print(str(error), file=sys.stderr)
        return EXIT_FINDINGS
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


# --------------------------------------------------------------------------- fmt


def _fmt(args: argparse.Namespace) -> int:
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
    from gistpath.lsp import serve

    serve()
    return EXIT_OK


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gistpath",
        description="Clinical pathway rules that can be read, proven complete and run. "
        "Decision support for clinicians, not medical advice.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="parse, check and verify rule files; run their examples")
    check.add_argument("files", nargs="+", metavar="FILE", help="rule files (or 'gist')")
    check.set_defaults(run=_check)

    evaluate = sub.add_parser("eval", help="decide states read as JSON, JSON Lines or CSV")
    evaluate.add_argument("file", metavar="FILE", help="rule file (or 'gist')")
    evaluate.add_argument("--input", "-i", default="-", help="input file, '-' for stdin")
    evaluate.add_argument(
        "--format",
        choices=("auto", "json", "jsonl", "csv"),
        default="auto",
        help="input format (default: by file name; stdin is JSON Lines)",
    )
    evaluate.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    evaluate.set_defaults(run=_eval)

    explain = sub.add_parser("explain", help="explain the decision for one state in words")
    explain.add_argument("file", metavar="FILE", help="rule file (or 'gist')")
    explain.add_argument(
        "--state", required=True, help="the state as JSON, or @path to a JSON file"
    )
    explain.set_defaults(run=_explain)

    docs = sub.add_parser("docs", help="build the HTML documentation of a rule file (Sphinx)")
    docs.add_argument("file", metavar="FILE", help="rule file (or 'gist')")
    docs.add_argument("--output", "-o", required=True, metavar="DIR", help="output folder")
    docs.set_defaults(run=_docs)

    diff = sub.add_parser(
        "diff",
        help="which valid states change pathway between two versions of a rule file",
        description="Compare two versions of a rule file exactly, over every valid state: "
        "each region of states whose pathway changes is shown in words with an example "
        "state. Exit status 0: no state changes; 1: some do; 2: a file does not load.",
    )
    diff.add_argument("old", metavar="OLD", help="the earlier rule file (or 'gist')")
    diff.add_argument("new", metavar="NEW", help="the later rule file (or 'gist')")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    diff.add_argument(
        "--draft",
        action="store_true",
        help="compare files that fail verification (their gaps and overlaps show as such)",
    )
    diff.set_defaults(run=_diff)

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

"""The command line's arguments: every subcommand, its options and its ``--help``.

Design: :func:`build_parser` declares the whole command line with argparse; each
subcommand's ``--help`` says what it does and what its exit statuses mean (``_command``),
and ``run`` is set to the function of the module that carries the command out
(:mod:`~gistpath.cli.check`, :mod:`~gistpath.cli.evaluate`, :mod:`~gistpath.cli.explain`,
:mod:`~gistpath.cli.docs`, :mod:`~gistpath.cli.dmn`, :mod:`~gistpath.cli.editor`).
:func:`gistpath.cli.main` parses and runs.

Limits: the text of ``--help`` is English.
"""

from __future__ import annotations

import argparse
from typing import Any

from gistpath.cli.check import run_check, run_diff
from gistpath.cli.dmn import run_from_dmn, run_to_dmn
from gistpath.cli.docs import run_docs
from gistpath.cli.editor import run_fmt, run_lsp
from gistpath.cli.evaluate import run_eval
from gistpath.cli.explain import run_explain
from gistpath.cli.records import CSV_BOOLEANS

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
    """The ``argparse`` parser of every command; each subcommand stores the ``run_*`` function
    that carries it out as ``args.run``.
    """
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
    check.add_argument(
        "files", nargs="+", metavar="FILE", help="rule files (or 'gist', 'gist@1.0')"
    )
    check.set_defaults(run=run_check)

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
    evaluate.add_argument("file", metavar="FILE", help="rule file (or 'gist', 'gist@1.0')")
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
    evaluate.set_defaults(run=run_eval)

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
    explain.add_argument("file", metavar="FILE", help="rule file (or 'gist', 'gist@1.0')")
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
    explain.set_defaults(run=run_explain)

    docs = _command(
        sub,
        "docs",
        "build the HTML documentation of a rule file (Sphinx)",
        "Build the HTML documentation of a rule file into DIR (DIR/index.html). Needs "
        "Sphinx: pip install 'gistpath[docs]'.",
        "the documentation was built",
        "the rule file has errors, or Sphinx reported problems",
    )
    docs.add_argument("file", metavar="FILE", help="rule file (or 'gist', 'gist@1.0')")
    docs.add_argument("--output", "-o", required=True, metavar="DIR", help="output folder")
    docs.set_defaults(run=run_docs)

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
    diff.add_argument(
        "old",
        metavar="OLD",
        help="the earlier rule file (or 'gist@1.0': a bundled earlier version)",
    )
    diff.add_argument("new", metavar="NEW", help="the later rule file (or 'gist', 'gist@1.0')")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    diff.add_argument(
        "--draft",
        action="store_true",
        help="compare files that fail verification (their gaps and overlaps show as such)",
    )
    diff.set_defaults(run=run_diff)

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
    from_dmn.set_defaults(run=run_from_dmn)

    to_dmn = _command(
        sub,
        "to-dmn",
        "print the whole decision of a rule file as DMN 1.4 XML",
        "Write a rule file as a DMN 1.4 model: its inputs as input data, one decision per "
        "table (its hit policy, annotations), per 'let' and per constraint, the rules as the "
        "decision 'pathway', the considerations as a COLLECT decision, and the sources as "
        "knowledge sources; gistpath.dmn.load reads it back. Examples and properties are not "
        "exported. Given a .dmn model, imports it and writes it again, its RULE ORDER, "
        "OUTPUT ORDER and COLLECT tables as such.",
        "the model was written",
        "the rule file has errors, or has a table DMN cannot express",
    )
    to_dmn.add_argument(
        "file", metavar="FILE", help="rule file (or 'gist', 'gist@1.0'), or a .dmn model"
    )
    to_dmn.add_argument("--output", "-o", metavar="FILE", help="write the DMN model here")
    to_dmn.add_argument(
        "--draft", action="store_true", help="export a rule file that fails verification"
    )
    to_dmn.set_defaults(run=run_to_dmn)

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
    fmt.set_defaults(run=run_fmt)

    lsp = sub.add_parser(
        "lsp",
        help="run the language server (Language Server Protocol over stdio) for editors",
        description="Serve an editor over stdin and stdout with the Language Server "
        "Protocol: diagnostics and verification as you type, hover, go to definition, "
        "references, rename, outline, completion, formatting and quick fixes. Needs the "
        "'lsp' extra.",
    )
    lsp.set_defaults(run=run_lsp)

    return parser

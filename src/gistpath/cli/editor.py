"""The commands for editing rule files: ``gistpath fmt`` and ``gistpath lsp``.

Design: ``fmt`` rewrites files (or stdin) in the canonical layout of :mod:`gistpath.fmt`,
or with ``--check`` only says which would change; ``lsp`` serves an editor with the
language server of :mod:`gistpath.lsp` (the ``lsp`` extra) over stdio.

Limits: ``fmt`` writes files in place, with ``\\n`` line ends.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gistpath.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE
from gistpath.errors import GistpathError


def run_fmt(args: argparse.Namespace) -> int:
    """``gistpath fmt FILE...``: rewrite each file (``-``: standard input to standard output) in
    the canonical layout, or with ``--check`` only report the files that would change. Returns
    0, 1 when a file would change (``--check``) or does not parse, 2 when one cannot be read or
    written.
    """
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


def run_lsp(args: argparse.Namespace) -> int:
    """``gistpath lsp``: serve the Language Server Protocol over standard input and output until
    the client exits. Returns 0, or 2 when the ``lsp`` extra is not installed.
    """
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("gistpath lsp needs the 'lsp' extra: pip install 'gistpath[lsp]'", file=sys.stderr)
        return EXIT_TROUBLE
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.lsp import serve

    serve()
    return EXIT_OK

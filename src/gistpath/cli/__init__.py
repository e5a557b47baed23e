"""The ``gistpath`` command: check rule files, decide states, explain decisions.

Design: argparse, one module per command group, ``main(argv) -> int`` so tests can call it
without a subprocess (``gistpath.cli:main`` is the console script, and ``python -m
gistpath`` runs it too). Data goes to stdout, messages and progress to stderr. Exit codes
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

The modules, one per job: :mod:`~gistpath.cli.arguments` (the argparse declaration of
every command), :mod:`~gistpath.cli.common` (exit statuses, loading a rule file
argument), :mod:`~gistpath.cli.check` (``check``, ``diff``), :mod:`~gistpath.cli.evaluate`
(``eval``) with :mod:`~gistpath.cli.records` (its input) and :mod:`~gistpath.cli.progress`
(its progress line), :mod:`~gistpath.cli.explain`, :mod:`~gistpath.cli.docs`,
:mod:`~gistpath.cli.dmn` (``from-dmn``, ``to-dmn``) and :mod:`~gistpath.cli.editor`
(``fmt``, ``lsp``). Loading a command module loads only what it imports at the top; each
command loads the rest of gistpath when it runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from gistpath.cli.arguments import build_parser
from gistpath.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``gistpath`` command line on ``argv`` (default: ``sys.argv[1:]``); returns the exit
    status (see each command's ``--help``): 130 on Ctrl-C, 0 when the reader of the output went
    away.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_TROUBLE", "build_parser", "main"]

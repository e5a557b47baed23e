"""``gistpath docs``: a rule file's HTML documentation, built with Sphinx.

Design: checks that Sphinx (the ``docs`` extra) is there and the output folder can be
written before building, then calls :func:`gistpath.docs.build_html`.

Limits: HTML only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gistpath.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, load_failed, load_rules
from gistpath.errors import GistpathError


def run_docs(args: argparse.Namespace) -> int:
    """``gistpath docs FILE -o DIR``: build a rule set's HTML documentation with Sphinx (the
    ``docs`` extra) and print the path of its ``index.html``. Returns 0, 1 when the rule set
    does not load or Sphinx reports problems, 2 when Sphinx is missing or DIR is not writable.
    """
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
        rs = load_rules(args.file)
    except GistpathError as error:
        return load_failed(error)
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

"""``gistpath from-dmn`` and ``gistpath to-dmn``: DMN decision models in and out.

Design: ``from-dmn`` converts a model with :mod:`gistpath.dmn`, writes the rule file and
then verifies it as a draft, listing its findings on stderr; ``to-dmn`` writes a rule
set's whole decision as DMN 1.4 (given a ``.dmn`` model, it imports it and writes it again,
its RULE ORDER, OUTPUT ORDER and COLLECT tables as such).

Limits: those of :mod:`gistpath.dmn.importer` and :mod:`gistpath.dmn.exporter`.
"""

from __future__ import annotations

import argparse
import sys

from gistpath.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, load_rules, write_output
from gistpath.errors import GistpathError


def run_from_dmn(args: argparse.Namespace) -> int:
    """``gistpath from-dmn MODEL``: write the rule file equivalent to a DMN model (to ``-o`` or
    standard output), then verify it. Returns 0 when it verifies, 1 when it has findings (shown
    on standard error) or something gistpath cannot import (named with its element's id and
    line), 2 when the model or the output cannot be read or written.
    """
    import warnings

    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath import dmn
    from gistpath.loader import loads

    try:
        conversion = dmn.convert(dmn.read(args.model))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the findings are printed below
            ruleset = loads(conversion.text, args.output or "<from-dmn>", draft=True)
        write_output(conversion.text, args.output)
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


def run_to_dmn(args: argparse.Namespace) -> int:
    """``gistpath to-dmn FILE``: write a rule set's whole decision as DMN 1.4 XML (to ``-o``
    or standard output); a ``.dmn`` FILE is imported and written again. Returns 0, 1 when
    the rule set cannot be loaded or has something DMN cannot say, 2 when the output cannot
    be written.
    """
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath import dmn

    try:
        if str(args.file).lower().endswith(".dmn"):
            xml = dmn.export(dmn.read_model(args.file, draft=args.draft))
        else:
            xml = dmn.export(load_rules(args.file, draft=args.draft))
        write_output(xml, args.output)
    except GistpathError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FINDINGS
    except OSError as error:
        print(f"gistpath: {error}", file=sys.stderr)
        return EXIT_TROUBLE
    return EXIT_OK

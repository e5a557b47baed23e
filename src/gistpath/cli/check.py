"""``gistpath check`` and ``gistpath diff``: prove rule files, and compare two versions.

Design: ``check`` loads each file (parse, check, exact verification, examples) and prints
one summary line per good file on stdout and every problem of a bad one on stderr; the
verifier's warnings are printed from its report. ``diff`` runs :mod:`gistpath.diff` over
two versions and prints the regions of states whose pathway changes.

Limits: files are checked one after the other, in one process.
"""

from __future__ import annotations

import argparse
import json
import sys

from gistpath.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_TROUBLE,
    load_failed,
    load_rules,
    plural,
)
from gistpath.errors import GistpathError


def run_check(args: argparse.Namespace) -> int:
    """``gistpath check FILE...``: load and verify each file (or bundled rule set's name) and
    print a one-line summary of each, its warnings on standard error. Returns the exit status
    (``cli.common``): 0 when every file verifies, 1 when one has findings or errors, 2 when
    one cannot be read.
    """
    import warnings

    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.loader import VerificationWarning

    status = EXIT_OK
    for spec in args.files:
        try:
            with warnings.catch_warnings():
                # warnings (a vacuous property) are printed below, from the report
                warnings.simplefilter("ignore", VerificationWarning)
                rs = load_rules(spec)
        except GistpathError as error:
            status = max(status, load_failed(error))
            continue
        report = rs.verify()
        for finding in report.warnings:
            print(finding.format(), file=sys.stderr)
        examples = len(rs.model.examples)
        proven = (
            f"{plural(len(rs.properties), 'property', 'properties')} proven, "
            if rs.properties
            else ""
        )
        print(
            f"{spec}: ok: {plural(len(rs.inputs), 'input')}, {plural(len(rs.rules), 'rule')}, "
            f"{plural(len(rs.pathways), 'pathway')}, {proven}{plural(examples, 'example')} "
            f"{'passes' if examples == 1 else 'pass'}; "
            f"verified over {plural(report.pieces, 'region')} in {report.seconds:.3f} s"
        )
    return status


def run_diff(args: argparse.Namespace) -> int:
    """``gistpath diff OLD NEW``: the semantic difference of two rule sets, region by region, as
    text or JSON (``--format``). Returns 0 when they decide every state alike, 1 when they
    differ, 2 when either cannot be loaded.
    """
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.diff import diff_rulesets

    try:
        old = load_rules(args.old, draft=args.draft)
        new = load_rules(args.new, draft=args.draft)
        report = diff_rulesets(old, new, old_label=args.old, new_label=args.new)
    except GistpathError as error:
        print(str(error), file=sys.stderr)
        return EXIT_TROUBLE
    if args.format == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.format())
    return EXIT_OK if report.same else EXIT_FINDINGS

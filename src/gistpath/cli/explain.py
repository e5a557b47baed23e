"""``gistpath explain``: the decision for one state in words (or the pathways left open).

Design: the state is JSON, given inline or as ``@path``; the decision is explained by
:func:`gistpath.explain.explain` (text or JSON), with ``--alternatives`` what one changed
input would decide, and with ``--partial`` the pathways an incomplete state leaves open
(:mod:`gistpath.partial`). An invalid state lists every problem.

Limits: one state per run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gistpath.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, load_failed, load_rules
from gistpath.errors import GistpathError, StateError


def run_explain(args: argparse.Namespace) -> int:
    """``gistpath explain FILE --state JSON``: one state's decision in words (or JSON), with what
    would change it (``--alternatives``), or what a partial state can still get
    (``--partial``). Returns 0, 1 when the rule set does not load or the state is invalid (each
    problem on standard error), 2 when the state cannot be read or is not JSON.
    """
    try:
        rs = load_rules(args.file)
    except GistpathError as error:
        return load_failed(error)
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

"""What every command shares: exit statuses, reading a rule file argument, messages.

Design: a rule file argument is a path or the name of a bundled rule set (``gist``);
:func:`load_rules` loads it (a draft without the loader's Python warning, since the
command shows the findings itself), :func:`load_failed` reports one that did not load.
Exit statuses follow the linters' convention: :data:`EXIT_OK` (0) all good,
:data:`EXIT_FINDINGS` (1) findings, :data:`EXIT_TROUBLE` (2) usage or I/O trouble.

Limits: messages are English.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

from gistpath.errors import GistpathError, ReadError

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


def load_rules(spec: str, *, draft: bool = False) -> Any:
    """The rule set named by ``spec``: a file path or, when no such file exists, the name of a
    bundled rule set, ``NAME@VERSION`` for an earlier version kept in the package
    (``gist@1.0``); with ``draft``, a file with findings still loads (its findings are the
    command's to show). Raises :class:`gistpath.GistpathError` (a :class:`ReadError` naming
    the versions there are for a version that is not).
    """
    # Deferred: loaded when this command runs, so each command starts with what it uses.
    from gistpath.loader import builtin_names, load, load_builtin

    if not Path(spec).exists():
        name, at, version = spec.partition("@")
        if name in builtin_names():
            return load_builtin(name, version) if at else load_builtin(name)
    if not draft:
        return load(spec)
    # A draft's findings are shown by the command itself (diff shows gaps and overlaps as
    # such); the loader's warning would print a Python warning line with a library path.
    from gistpath.loader import VerificationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VerificationWarning)
        return load(spec, draft=True)


def load_failed(error: GistpathError) -> int:
    """Report a rule file that did not load; the exit status for it."""
    print(str(error), file=sys.stderr)
    return EXIT_TROUBLE if isinstance(error, ReadError) else EXIT_FINDINGS


def plural(count: int, noun: str, plural: str = "") -> str:
    """``1 input``, ``2 inputs``, ``1 bad record``, ``0 examples``."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output`` (UTF-8), or to standard output when it is ``None``."""
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")

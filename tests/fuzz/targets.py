"""What the fuzzing campaign checks on each input; the test suite replays the corpus with it.

One input is bytes, read as a rule file is: strict UTF-8 first (a located error when it is
not), then, as the language server must take any text an editor holds, with replacement
characters. On that text:

- ``loads`` (as a draft, so verification findings are warnings) either builds a rule set
  or raises a :class:`gistpath.GistpathError`; anything else is a bug;
- ``format_text`` either refuses a text that does not parse (``RuleSyntaxError``) or gives
  a text with the same tree that formats to itself;
- the language server's document handler (:func:`gistpath.lsp.analysis.analyze`, then
  ``verify``) answers, and so do hover, definition, references, rename and completion at
  every name and at a spread of other places.
"""

from __future__ import annotations

import contextlib
import warnings

from gistpath.errors import GistpathError, RuleSyntaxError
from gistpath.fmt import format_text
from gistpath.loader import decode, loads
from gistpath.lsp import analysis, completion, hover, navigation
from gistpath.parser import parse

MAX_PLACES = 40


def check_one(data: bytes) -> None:
    try:
        text = decode(data, "fuzz.gprules")
    except GistpathError:
        text = data.decode("utf-8", errors="replace")
    _check_loads(text)
    _check_fmt(text)
    _check_server(text)


def _check_loads(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(GistpathError):
            loads(text, "fuzz.gprules", draft=True)


def _check_fmt(text: str) -> None:
    try:
        out = format_text(text)
    except RuleSyntaxError:
        return
    assert parse(out) == parse(text if text.endswith("\n") else text + "\n")
    assert format_text(out) == out, "fmt is not idempotent"


def _check_server(text: str) -> None:
    found = analysis.analyze(text, "fuzz.gprules")
    analysis.verify(found, "fuzz.gprules")
    lines = found.text.split("\n")
    places = [(o.span.line, o.span.start) for o in found.symbols.occurrences[:MAX_PLACES]]
    step = max(1, len(lines) // 10)
    places += [(row, min(len(lines[row]), 3)) for row in range(0, len(lines), step)]
    for line, column in places:
        hover.hover(found, line, column)
        navigation.definition(found, line, column)
        navigation.references(found, line, column)
        navigation.rename(found, line, column, "renamed")
        prefix = lines[line][:column] if line < len(lines) else ""
        completion.completions(found, prefix, prefix[:1].isspace())

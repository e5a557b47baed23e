"""Loading rule files: read → parse → check → compile → tables → verify → :class:`RuleSet`.

Design: the pipeline is a straight line of the stage modules, each called once; this
module only reads bytes, decodes them strictly (invalid UTF-8 is a located syntax error,
never a replacement character), and decides what to do with the verification report:
refuse the file (:class:`gistpath.VerificationError`, the default) or, for a draft, warn.

Limits: files are read whole; the parser needs the full text anyway.
"""

from __future__ import annotations

import copyreg
import os
import re
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

from gistpath.cells import compile_model
from gistpath.check import check
from gistpath.errors import ReadError, RuleSyntaxError, VerificationError, make_diagnostic
from gistpath.model import Model
from gistpath.parser import parse
from gistpath.ruleset import RuleSet
from gistpath.tables import build_tables

BUILTIN_SUFFIX = ".gprules"
HISTORY_FOLDER = "history"  # earlier versions of the bundled rule sets, kept unchanged

# The bundled rule files, beside this module (a plain path: importlib.resources would add
# several milliseconds to every cold load, and a zipped install is not supported anyway,
# since builtin_path hands out a file path).
RULES_FOLDER = Path(__file__).resolve().parent / "rules"


class VerificationWarning(UserWarning):
    """A draft rule file was loaded although verification found problems."""


def build(text: str, name: str = "<string>") -> RuleSet:
    """Parse, check, compile: a rule set whose verification has not run yet (no warning).

    The shared core of :func:`loads`, unpickling and the pytest plugin; callers decide what
    a failed verification means.
    """
    if not isinstance(text, str):
        raise TypeError(f"loads() takes the rule text as str, not {type(text).__name__}")
    # A byte order mark says how a file was encoded; it is not part of the rules (load()
    # drops it after decoding, and a text read with another tool may still have it).
    text = text.removeprefix("\ufeff")
    if not text.endswith("\n"):
        text += "\n"
    tree = parse(text, name)
    return assemble(check(tree, text, name))


def assemble(model: Model) -> RuleSet:
    """The rule set of a checked model: compiled, its tables built, not verified yet.

    The language server checks a text once and verifies the model it got, without
    parsing the text again.
    """
    compiled = compile_model(model)
    return RuleSet(model, compiled, build_tables(compiled))


def loads(text: str, name: str = "<string>", *, draft: bool = False) -> RuleSet:
    """A :class:`RuleSet` from rule text.

    ``name`` is used as the file name in messages. With ``draft=True`` a file that fails
    verification is loaded anyway and a :class:`VerificationWarning` lists the findings.
    """
    ruleset = build(text, name)
    report = ruleset.verify()
    if not report.ok:
        if draft:
            warnings.warn(
                VerificationWarning(
                    f"{name}: loaded as a draft with {len(report.findings)} verification "
                    "findings:\n" + report.format()
                ),
                stacklevel=2,
            )
        else:
            raise VerificationError(report.findings, name)
    elif report.warnings:
        warnings.warn(
            VerificationWarning(
                f"{name}: verified, with {len(report.warnings)} warnings:\n" + report.format()
            ),
            stacklevel=2,
        )
    return ruleset


# Rule sets rebuilt from their text in this process (unpickled, or shipped to a worker by
# a Decider): each text is compiled once per process however often it arrives.
_REBUILT: dict[tuple[str, str, bool], RuleSet] = {}
_REBUILT_LOCK = threading.Lock()
_REBUILT_LIMIT = 32


def rebuild(text: str, name: str, draft: bool) -> RuleSet:
    """The rule set of ``text`` for this process, built once; it warned where first loaded.

    A text that was verified where it came from must verify here too; a draft is taken as
    it is. No warning filters are touched, so other threads are not affected.
    """
    key = (name, text, draft)
    with _REBUILT_LOCK:
        found = _REBUILT.get(key)
    if found is not None:
        return found
    ruleset = build(text, name)
    report = ruleset.verify()
    if not report.ok and not draft:
        raise VerificationError(report.findings, name)
    with _REBUILT_LOCK:
        if len(_REBUILT) >= _REBUILT_LIMIT:
            _REBUILT.clear()
        return _REBUILT.setdefault(key, ruleset)


def _reduce_ruleset(
    ruleset: RuleSet,
) -> tuple[Callable[[str, str, bool], RuleSet], tuple[str, str, bool]]:
    """How pickle writes a rule set: as its rule text, rebuilt by :func:`rebuild`.

    Nothing compiled crosses the process boundary, so a worker gets exactly what
    :func:`loads` would give it (the generated function is made anew there); a rule set
    that failed verification travels as a draft.
    """
    return (rebuild, (ruleset.text, ruleset.model.filename, not ruleset.verify().ok))


# Registered here rather than as RuleSet.__reduce__: the rule set module cannot import
# the loader (which imports it) without an import cycle.
copyreg.pickle(RuleSet, _reduce_ruleset)


def decode(data: bytes, name: str) -> str:
    """Bytes → text; invalid UTF-8 becomes a located :class:`RuleSyntaxError`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        text = data.decode("utf-8", errors="replace")
        raise RuleSyntaxError(
            [
                make_diagnostic(
                    f"the file is not valid UTF-8: byte 0x{data[error.start]:02x} "
                    "cannot start or continue a character",
                    text,
                    line,
                    column,
                    name,
                    code="encoding",
                )
            ]
        ) from None
    # A byte order mark, which some editors write, says how the file is encoded; it is not
    # part of the rules.
    return text.removeprefix("\ufeff")


def load(path: str | os.PathLike[str], *, draft: bool = False) -> RuleSet:
    """A :class:`RuleSet` from a rule file (see :func:`loads`)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ReadError(f"cannot read rule file {str(file)!r}: {error.strerror}") from None
    text = decode(data, str(path))
    return loads(text, str(path), draft=draft)


def builtin_names() -> tuple[str, ...]:
    """The rule sets shipped with gistpath."""
    folder = RULES_FOLDER
    return tuple(
        sorted(
            entry.name[: -len(BUILTIN_SUFFIX)]
            for entry in folder.iterdir()
            if entry.name.endswith(BUILTIN_SUFFIX)
        )
    )


# The version line of a rule file's ``ruleset`` declaration; a bundled file is ours, so its
# version can be read without loading it (which costs a verification).
_VERSION_LINE = re.compile(r'^[ \t]+version[ \t]+"([^"\n]*)"[ \t]*(?:#.*)?$', re.MULTILINE)


def _current_version(path: Path) -> str | None:
    found = _VERSION_LINE.search(path.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def _history(name: str) -> dict[str, Path]:
    """Earlier versions of a bundled rule set: ``rules/history/<name>-<version>.gprules``."""
    folder = RULES_FOLDER / HISTORY_FOLDER
    if not folder.is_dir():
        return {}
    prefix = name + "-"
    return {
        entry.name[len(prefix) : -len(BUILTIN_SUFFIX)]: entry
        for entry in sorted(folder.iterdir())
        if entry.name.startswith(prefix) and entry.name.endswith(BUILTIN_SUFFIX)
    }


def builtin_versions(name: str = "gist") -> tuple[str, ...]:
    """The versions of a bundled rule set that can be loaded, oldest first, newest last.

    The newest is the one :func:`load_builtin` gives without ``version``; the others are
    kept unchanged as historical versions (e.g. to show what changed between them).
    """
    current = _current_version(builtin_path(name))
    older = [v for v in _history(name) if v != current]
    return (*older, *([current] if current is not None else []))


def builtin_path(name: str, version: str | None = None) -> Path:
    """The file of a bundled rule set, e.g. ``builtin_path("gist")`` or, for an earlier
    version kept in the package, ``builtin_path("gist", version="1.0")``."""
    resource = RULES_FOLDER / (name + BUILTIN_SUFFIX)
    if not resource.is_file():
        raise ReadError(
            f"no bundled rule set named {name!r}; there are: {', '.join(builtin_names())}"
        )
    if version is None or version == _current_version(resource):
        return resource
    older = _history(name).get(version)
    if older is None:
        raise ReadError(
            f"the bundled rule set {name!r} has no version {version!r}; there are: "
            + ", ".join(builtin_versions(name))
        )
    return older


_BUILTIN: dict[Path, RuleSet] = {}
_BUILTIN_LOCK = threading.Lock()


def load_builtin(name: str = "gist", version: str | None = None) -> RuleSet:
    """A bundled rule set, e.g. ``load_builtin("gist")`` (the newest version) or
    ``load_builtin("gist", version="1.0")`` (an earlier version kept in the package).

    Each bundled file is parsed, checked and verified once per process; later calls
    return the same :class:`RuleSet` (it is immutable, so sharing it is safe).
    """
    if version is not None and not isinstance(version, str):
        raise TypeError(f"version is a str such as '1.0', not {type(version).__name__}")
    path = builtin_path(name, version)
    with _BUILTIN_LOCK:
        found = _BUILTIN.get(path)
    if found is not None:
        return found
    if path.parent == RULES_FOLDER:
        label = f"{name}{BUILTIN_SUFFIX}"
    else:
        label = f"{name}-{version}{BUILTIN_SUFFIX}"
    ruleset = loads(path.read_text(encoding="utf-8"), label)
    with _BUILTIN_LOCK:
        return _BUILTIN.setdefault(path, ruleset)

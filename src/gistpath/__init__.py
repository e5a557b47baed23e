"""gistpath: clinical treatment pathways as rules that can be read, proven and run.

    >>> import gistpath
    >>> rules = gistpath.load_builtin("gist")          # doctest: +SKIP
    >>> rules.evaluate(state).pathway                   # doctest: +SKIP

The pipeline is one module per stage: ``parser`` (grammar → :mod:`gistpath.ast`), ``check``
(→ :mod:`gistpath.model`), ``cells`` (→ cells per input and a region over them per
condition), ``tables`` (→ bit-set lookup tables), ``verify`` (exact proof of coverage),
``ruleset`` (:class:`RuleSet`, :class:`Decision`); ``interpreter`` is the plain reference
evaluator the tables are tested against. ARCHITECTURE.md at the root of the repository
draws the whole picture. Submodules are imported on first use, so ``import gistpath``
stays cheap.

gistpath is decision support for clinicians. It is not medical advice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gistpath.errors import (
    BatchError,
    EvaluationError,
    ExampleError,
    GistpathError,
    ReadError,
    RuleError,
    RuleSemanticError,
    RuleSyntaxError,
    StateError,
    VerificationError,
)

if TYPE_CHECKING:
    from gistpath.batch.result import BatchResult
    from gistpath.decision import Decision
    from gistpath.findings import Finding, StateRegion
    from gistpath.loader import (
        VerificationWarning,
        builtin_names,
        builtin_path,
        builtin_versions,
        load,
        load_builtin,
        loads,
    )
    from gistpath.model import Citation, Consideration, Input, Pathway, Property, Source
    from gistpath.ruleset import RuleSet
    from gistpath.verify import VerificationReport

__version__ = "0.1.0"

_LAZY = {
    "load": "gistpath.loader",
    "loads": "gistpath.loader",
    "load_builtin": "gistpath.loader",
    "builtin_path": "gistpath.loader",
    "builtin_names": "gistpath.loader",
    "builtin_versions": "gistpath.loader",
    "VerificationWarning": "gistpath.loader",
    "RuleSet": "gistpath.ruleset",
    "Decision": "gistpath.decision",
    "BatchResult": "gistpath.batch.result",
    "VerificationReport": "gistpath.verify",
    "Finding": "gistpath.findings",
    "StateRegion": "gistpath.findings",
    "Input": "gistpath.model",
    "Pathway": "gistpath.model",
    "Consideration": "gistpath.model",
    "Citation": "gistpath.model",
    "Source": "gistpath.model",
    "Property": "gistpath.model",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gistpath' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "BatchError",
    "BatchResult",
    "Citation",
    "Consideration",
    "Decision",
    "EvaluationError",
    "ExampleError",
    "Finding",
    "GistpathError",
    "Input",
    "Pathway",
    "Property",
    "ReadError",
    "RuleError",
    "RuleSemanticError",
    "RuleSet",
    "RuleSyntaxError",
    "Source",
    "StateError",
    "StateRegion",
    "VerificationError",
    "VerificationReport",
    "VerificationWarning",
    "__version__",
    "builtin_names",
    "builtin_path",
    "builtin_versions",
    "load",
    "load_builtin",
    "loads",
]

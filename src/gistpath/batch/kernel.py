"""The only binding to the C kernel (``gistpath._kernel``, built from ``_kernel.c``).

Design: every call into the C loops goes through :class:`Kernel`, whose methods take the
named specs of :mod:`gistpath.batch.specs` and the packed class tables of
:mod:`gistpath.batch.classes`; no other module imports ``gistpath._kernel``. :func:`kernel`
loads it once per process and checks its ABI: ``_kernel.c`` says which version of the
contract it was compiled from (``ABI_VERSION``, with the outcome constants below), and a
build from another version (a stale editable build beside newer sources, say) is refused
with a :class:`RuntimeWarning` that says how to rebuild it; batches then run through
numpy alone, with the same answers.

The contract, on both sides of the boundary:

- a column function fills ``out`` (int32) with the cells of rows ``start ..
  start + len(out)`` and returns how many it left at :data:`NO_CELL` (for the validators),
  or :data:`NOT_READ` for a source it does not read;
- ``objects`` takes jobs ``(JOB_NUMBERS | JOB_LOOKUP, source, start, out, spec)``;
- ``fold`` writes a rule index (or class) per row from every input's cells.

Limits: :data:`USE_COMPILED` (tests set it to ``False`` for half their runs) switches the
kernel off for the whole process; a kernel is never reloaded once looked for.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import Any, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from gistpath.batch.classes import FoldTables
from gistpath.batch.specs import LookupSpec, NumberSpec, TextSpec, Utf8Spec

#: The version of the contract this binding speaks (``KERNEL_ABI_VERSION`` in ``_kernel.c``).
ABI_VERSION = 2

#: A row a column function left to the field's validator (not plain, or not allowed).
NO_CELL = -1
#: What a column function returns for a source it does not read (a buffer of another kind).
NOT_READ = -2
#: The kinds of ``objects`` jobs: a column of a numeric input, of a choice/boolean input.
JOB_NUMBERS = 0
JOB_LOOKUP = 1

# The names ``_kernel`` exports for the constants above, checked against them on load.
_CONSTANTS = {
    "NO_CELL": NO_CELL,
    "NOT_READ": NOT_READ,
    "JOB_NUMBERS": JOB_NUMBERS,
    "JOB_LOOKUP": JOB_LOOKUP,
}

#: Set to False (tests do) to run everything through numpy.
USE_COMPILED = True

Out: TypeAlias = npt.NDArray[np.int32]
#: A job of :meth:`Kernel.objects`: (kind, source, start, out, spec).
Job: TypeAlias = "tuple[int, object, int, Out, NumberSpec | LookupSpec]"


@attrs.frozen
class Kernel:
    """The C loops of a loaded ``gistpath._kernel`` (see the module docstring)."""

    module: ModuleType

    def numbers(self, source: object, start: int, out: Out, spec: NumberSpec) -> int:
        """Cells of a numeric input's column: a list, a tuple or a 1-D numpy array."""
        return int(self.module.numbers(source, start, out, spec))

    def lookup(self, source: object, start: int, out: Out, spec: LookupSpec) -> int:
        """Cells of a choice or boolean input's column: a list, a tuple, an object or bool
        array."""
        return int(self.module.lookup(source, start, out, spec))

    def text(self, codes: npt.NDArray[np.uint32], start: int, out: Out, spec: TextSpec) -> int:
        """Cells of a numpy ``<U{spec.width}`` column viewed as its code points."""
        return int(self.module.text(codes, start, out, spec))

    def codes(
        self, codes: npt.NDArray[np.signedinteger[Any]], start: int, out: Out, cells: bytes
    ) -> int:
        """Cells of a categorical's codes, given each category's cell (int32 bytes)."""
        return int(self.module.codes(codes, start, out, cells))

    def utf8(
        self,
        offsets: npt.NDArray[np.signedinteger[Any]],
        data: npt.NDArray[np.uint8],
        start: int,
        out: Out,
        spec: Utf8Spec,
    ) -> int:
        """Cells of an Arrow text column (its offsets and bytes)."""
        return int(self.module.utf8(offsets, data, start, out, spec))

    def objects(self, jobs: list[Job], threads: int) -> list[int]:
        """Cells of several columns of Python objects at once, their rows shared among
        ``threads`` helper threads (1 to 64); per job, the rows left at :data:`NO_CELL`."""
        left: list[int] = self.module.objects(jobs, threads)
        return left

    def fold(
        self,
        cells: Sequence[npt.NDArray[np.int32] | npt.NDArray[np.uint8]],
        tables: FoldTables,
        out: npt.NDArray[np.int64],
    ) -> None:
        """Every row's outcome from the cells of every input (all valid: the fold raises
        ``ValueError`` on a cell outside its input, never reads past a table)."""
        self.module.fold(list(cells), tables, out)


_loaded: Kernel | bool | None = None  # None: not looked for yet; False: none to be had


def kernel() -> Kernel | None:
    """The C loops, or ``None`` where they were not built, are stale, or are switched off."""
    global _loaded
    if not USE_COMPILED:
        return None
    if _loaded is None:
        try:
            module = importlib.import_module("gistpath._kernel")
        except ImportError:
            _loaded = False
        else:
            _loaded = False  # until it is known to fit (a warning may raise, see stale())
            problem = stale(module)
            if problem is not None:
                warnings.warn(problem, RuntimeWarning, stacklevel=2)
            else:
                _loaded = Kernel(module)
    return _loaded if isinstance(_loaded, Kernel) else None


def stale(module: ModuleType) -> str | None:
    """Why a loaded ``_kernel`` does not fit this binding, or ``None`` when it does."""
    found = getattr(module, "ABI_VERSION", None)
    where = getattr(module, "__file__", None) or "gistpath._kernel"
    rebuild = (
        "The batch path uses numpy alone (same answers, slower) until it is rebuilt: run "
        "`pip install -e .` again in a checkout, or reinstall gistpath."
    )
    if found != ABI_VERSION:
        return (
            f"{where} was built from another version of _kernel.c (kernel ABI {found}; this "
            f"gistpath needs {ABI_VERSION}). {rebuild}"
        )
    exported = {  # each read by its name written here, not by a name from data
        "NO_CELL": getattr(module, "NO_CELL", None),
        "NOT_READ": getattr(module, "NOT_READ", None),
        "JOB_NUMBERS": getattr(module, "JOB_NUMBERS", None),
        "JOB_LOOKUP": getattr(module, "JOB_LOOKUP", None),
    }
    for name, value in _CONSTANTS.items():
        if exported[name] != value:
            return f"{where} disagrees with gistpath on {name}. {rebuild}"
    return None

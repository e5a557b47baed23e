"""The compiled pipeline: a batch decided block by block through the C loops.

Design: :func:`fold_compiled` goes through the rows in blocks (:data:`KERNEL_BLOCK` rows,
so that a block's cells stay in the core's cache). For each block, the C loops turn each
column's rows into cells, leaving :data:`~gistpath.batch.kernel.NO_CELL` for every value
that is not plain or not allowed, which :func:`read_rows` hands to the field's validator
(or, when they are many, to :mod:`gistpath.batch.numpy_path`, which validates each
distinct value once); then ``_kernel.fold`` turns the block's cells into outcomes through the class
tables. Columns the C loops cannot read at all are turned into cells whole, by numpy,
first; boolean arrays whose bytes are their cells are folded as they are.

Threads share the work in one of two ways. When most columns are buffers, whole blocks are
shared among Python threads: the loops over buffers release the GIL, so they run side by
side. When most columns hold Python objects (lists, object arrays), which only a thread
holding the GIL may read, one thread goes through the blocks and ``_kernel.objects``
shares each block's object columns among helper threads that read for it.

Limits: 12 bytes per row plus a block's cells; the thread counts and block sizes below
were measured on this project's benchmark machine (a 2-core KVM guest), not tuned per
machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from gistpath.batch.classes import ClassTables
from gistpath.batch.columns import Coded, Column, Utf8, elements
from gistpath.batch.kernel import JOB_LOOKUP, JOB_NUMBERS, NOT_READ, Job, Kernel
from gistpath.batch.numpy_path import Refused, numpy_cells
from gistpath.batch.plan import BatchPlan, InputPlan
from gistpath.batch.specs import LookupSpec, NumberSpec, category_cells
from gistpath.errors import StateError

# A column whose values the C loops leave to the validators more often than this (in one
# block) goes through the numpy path instead, which validates each distinct value once.
FIXUPS = 256

# Rows per block of the compiled pipeline: the cells of a block stay in the core's cache.
KERNEL_BLOCK = 8192

# Rows per block when threads share the blocks: each C call releases and takes back the
# GIL, and bigger blocks mean fewer hand-overs (measured: 8,192 -> 32,768 rows took a
# 1,000,000-state GIST batch on two threads from 47 to 41 ms, numpy, and 43 to 35, pandas).
THREAD_BLOCK = 4 * KERNEL_BLOCK

# Batches of fewer rows than this run on one thread.
THREADED_ROWS = 2 * THREAD_BLOCK

# Rows per block when helper threads share the Python-object columns (_kernel.objects):
# starting a thread costs tens of microseconds (about 47 on this project's benchmark
# machine, a KVM guest), so each share is made large. Measured on a 1,000,000-state GIST
# batch of lists, the object columns alone: 37 ns per row on one thread; on two, 36 in
# blocks of 8,192 rows, 30 in blocks of 32,768, 24 in blocks of 65,536.
OBJECT_BLOCK = 8 * KERNEL_BLOCK
ROWS_PER_HELPER = 2 * KERNEL_BLOCK

#: Fills ``out`` with the cells of rows ``start ..`` of a column; returns how many it left.
Reader: TypeAlias = Callable[[int, npt.NDArray[np.int32]], int]


def reader(k: Kernel, inp: InputPlan, column: object) -> Reader | None:
    """A function that fills ``out`` with the cells of rows ``start ..`` of ``column``
    through the C loops and says how many it left at -1; ``None`` when they cannot read it.

    ``k``: the loaded kernel; ``inp``: the column's input.
    """
    if type(column) not in (list, tuple, np.ndarray, Coded, Utf8):
        return None  # subclasses (numpy's masked arrays, say) mean more than their buffer
    read: Reader
    if isinstance(column, Coded):
        coded = column
        table = category_cells(inp.dimension, inp.validate, coded.categories)

        def read(start: int, out: npt.NDArray[np.int32]) -> int:
            return k.codes(coded.codes, start, out, table)

    elif isinstance(column, Utf8):
        utf8, spec = column, inp.utf8
        if spec is None:
            return None

        def read(start: int, out: npt.NDArray[np.int32]) -> int:
            return k.utf8(utf8.offsets, utf8.data, start, out, spec)

    elif isinstance(column, np.ndarray) and column.dtype.kind == "U":
        width = column.dtype.itemsize // 4
        text = inp.text_spec(width) if width and not inp.numeric else None
        if text is None:
            return None
        codes = np.ascontiguousarray(column).view(np.uint32)

        def read(start: int, out: npt.NDArray[np.int32]) -> int:
            return k.text(codes, start, out, text)

    elif inp.number is not None:
        number = inp.number

        def read(start: int, out: npt.NDArray[np.int32]) -> int:
            return k.numbers(column, start, out, number)

    elif inp.lookup is not None:
        lookup = inp.lookup

        def read(start: int, out: npt.NDArray[np.int32]) -> int:
            return k.lookup(column, start, out, lookup)

    else:  # a numeric input whose thresholds are not all exact floats
        return None
    if read(0, np.empty(0, dtype=np.int32)) == NOT_READ:  # a buffer C does not read
        return None
    return read


def object_job(inp: InputPlan, column: object) -> tuple[int, NumberSpec | LookupSpec] | None:
    """``(kind, spec)`` of a ``_kernel.objects`` job when ``column`` holds Python objects
    (a list, a tuple, an object array) that the C loops read; else ``None``."""
    if not (
        type(column) in (list, tuple)
        or (type(column) is np.ndarray and column.dtype == object and column.ndim == 1)
    ):
        return None
    if inp.number is not None:
        return JOB_NUMBERS, inp.number
    if inp.lookup is not None:
        return JOB_LOOKUP, inp.lookup
    return None


def read_rows(
    inp: InputPlan,
    column: Column,
    read: Reader,
    start: int,
    out: npt.NDArray[np.int32],
    bad: Refused,
    missing: int | None = None,
) -> None:
    """Cells of rows ``start .. start + len(out)`` of a column: the C loops, then the
    validators.

    ``read``: the column's :func:`reader`; ``out``: filled with the rows' cells (a refused
    row gets ``inp.fallback`` and its error in ``bad``, by its position in the column).
    The values the loops leave (-1) are validated one by one for their cell or their error;
    when they are more than :data:`FIXUPS`, the rows go through the numpy path instead,
    which validates each distinct value once. ``missing``: the loops have already run
    (``_kernel.objects``) and left this many.
    """
    if missing is None:
        missing = read(start, out)
    if not missing:
        return
    stop = start + len(out)
    if missing > FIXUPS:
        found: Refused = {}
        out[:] = numpy_cells(inp, column[start:stop], found)
        for i, error in found.items():
            bad.setdefault(start + i, error)
        return
    for i in np.flatnonzero(out < 0).tolist():
        j = start + i
        # A numpy item as the numpy path sees it (3.5, not np.float64(3.5)), so that an
        # error reads the same whichever path found it.
        value = elements(column[j : j + 1])[0] if isinstance(column, np.ndarray) else column[j]
        try:
            out[i] = inp.cell(value)
        except StateError as error:
            bad.setdefault(start + i, error)
            out[i] = inp.fallback


def compiled_cells(
    k: Kernel, inp: InputPlan, column: Column, bad: Refused
) -> npt.NDArray[np.int32] | None:
    """A whole column's cells through the C loops, or ``None`` to take the numpy path."""
    read = reader(k, inp, column)
    if read is None:
        return None
    out = np.empty(len(column), dtype=np.int32)
    read_rows(inp, column, read, 0, out, bad)
    return out


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def bytes_are_cells(inp: InputPlan, column: object) -> bool:
    """Is this a numpy boolean column whose bytes are its cells (False 0, True 1)?"""
    return (
        type(column) is np.ndarray
        and column.dtype == np.bool_
        and column.flags.c_contiguous
        and inp.lookup is not None
        and inp.lookup[1:] == (0, 1)
        # numpy reads any nonzero byte as True (a view of other bytes makes such arrays)
        and not bool((column.view(np.uint8) > 1).any())
    )


def gil_free(column: object) -> bool:
    """Do the C loops read this column without holding the GIL (no Python objects)?"""
    if isinstance(column, np.ndarray):
        return bool(column.dtype != object)
    return isinstance(column, (Coded, Utf8))


@attrs.frozen
class _Read:
    """One column of a batch read block by block through the C loops."""

    inp: InputPlan
    column: Column
    read: Reader
    job: tuple[int, NumberSpec | LookupSpec] | None  # read with the others by objects()


def fold_compiled(
    k: Kernel,
    plan: BatchPlan,
    classes: ClassTables,
    columns: Mapping[str, Column],
    n: int,
    bad: Refused,
    threads: int | None,
) -> npt.NDArray[np.int64]:
    """Every row's outcome through the C loops (see the module docstring).

    ``k``: the loaded kernel; ``classes``: the plan's class tables (with considerations or
    without); ``columns``: one column of ``n`` rows per input; ``bad``: refused rows are
    added to it (a row bad in two fields is reported for the first, as ``evaluate``
    reports it; a row already there keeps its error); ``threads``: at most this many
    threads (default: the cores this process may use). Returns per row the outcome of
    ``classes.packed`` (a rule index or a :mod:`gistpath.batch.classes` outcome constant;
    with considerations, the last class).
    """
    plan_items: list[_Read | npt.NDArray[Any]] = []
    # Each input's refused rows apart, merged in declaration order at the end: a row bad in
    # two fields is reported for the first, as evaluate reports it, whatever order the
    # columns were read in.
    refused: list[Refused] = [{} for _ in plan.inputs]
    for inp in plan.inputs:
        column = columns[inp.name]
        if bytes_are_cells(inp, column):
            assert isinstance(column, np.ndarray)
            plan_items.append(column.view(np.uint8))  # the fold reads the bytes as cells
            continue
        read = reader(k, inp, column)
        if read is not None:
            plan_items.append(_Read(inp, column, read, object_job(inp, column)))
            continue
        cells = numpy_cells(inp, column, refused[inp.index])
        plan_items.append(np.ascontiguousarray(cells, dtype=np.int32))
    tables = classes.packed
    outcome = np.empty(n, dtype=np.int64)
    cores = available_cores() if threads is None else threads
    # Python threads pay off when most columns are read without the GIL (buffers); lists
    # and object arrays are read under it, and Python threads would only take turns.
    free = sum(1 for i in plan_items if not isinstance(i, _Read) or gil_free(i.column))
    count = cores if n >= THREADED_ROWS and 2 * free >= len(plan_items) else 1
    helpers = cores if count == 1 and n >= 2 * OBJECT_BLOCK else 1
    size = THREAD_BLOCK if count > 1 else OBJECT_BLOCK if helpers > 1 else KERNEL_BLOCK
    starts = range(0, n, size)
    count = max(1, min(count, len(starts)))
    # helpers are started per block: ROWS_PER_HELPER rows apiece at least (and no more than
    # _kernel.objects' 64), or starting them would cost more than they save
    helpers = max(1, min(helpers, size // ROWS_PER_HELPER, 64))

    def work(first: int, step: int) -> None:
        """Blocks ``first``, ``first + step``, ... of the batch (one thread's share)."""
        scratch = np.empty((len(plan_items), min(n, size)), dtype=np.int32)
        for start in starts[first::step]:
            stop = min(n, start + size)
            jobs: list[Job] = [
                (item.job[0], item.column, start, scratch[d, : stop - start], item.job[1])
                for d, item in enumerate(plan_items)
                if isinstance(item, _Read) and item.job is not None
            ]
            left = iter(k.objects(jobs, helpers) if jobs else ())
            block: list[npt.NDArray[np.int32] | npt.NDArray[np.uint8]] = []
            for d, item in enumerate(plan_items):
                if not isinstance(item, _Read):
                    block.append(item[start:stop])
                    continue
                out = scratch[d, : stop - start]
                missing = next(left) if item.job is not None else None
                read_rows(item.inp, item.column, item.read, start, out, refused[d], missing)
                block.append(out)
            k.fold(block, tables, outcome[start:stop])

    if count == 1:
        work(0, 1)
    else:
        from concurrent.futures import ThreadPoolExecutor  # only big batches start threads

        with ThreadPoolExecutor(count, thread_name_prefix="gistpath") as pool:
            for done in [pool.submit(work, t, count) for t in range(count)]:
                done.result()
    for found in refused:  # rows already bad (their shape) keep their error
        for i, error in found.items():
            bad.setdefault(i, error)
    return outcome

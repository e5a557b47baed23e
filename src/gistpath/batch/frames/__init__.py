"""Frames and columns of dataframe libraries: one adapter module per library.

Design: an object is recognised by the package its class comes from
(:func:`gistpath.batch.columns.library`) and handed to that library's adapter
(:mod:`~gistpath.batch.frames.pandas`, :mod:`~gistpath.batch.frames.polars`,
:mod:`~gistpath.batch.frames.arrow`), which is imported only then, as sqlglot imports a
dialect: a caller who hands in numpy arrays or rows never loads pandas, polars or pyarrow.
Each adapter turns a column into what the batch path reads (a numpy array, codes, or Arrow
text) without a lossy conversion; see their docstrings for each library's rules.

Limits: whole frames are read by their column names: pyarrow ``Table``/``RecordBatch``,
polars ``DataFrame``, and pandas or pandas-like frames (``columns``, ``iloc`` and
``frame[name]``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy.typing as npt

from gistpath.batch.columns import Coded, Utf8, library

Columns = tuple[list[str], Callable[[str], object], int]

# The adapter of each library, and how its columns are recognised.
_ADAPTERS = {
    "pandas": ("gistpath.batch.frames.pandas", ("dtype", "isna")),
    "polars": ("gistpath.batch.frames.polars", ("null_count",)),
    "pyarrow": ("gistpath.batch.frames.arrow", ("to_pylist",)),
}


def frame_columns(frame: Any) -> Columns | None:
    """A frame's column names, a function giving the column of a name, and its rows; or
    ``None`` when ``frame`` is no frame this package reads."""
    kind = library(frame)
    if kind == "pyarrow" and hasattr(frame, "column_names"):  # Table or RecordBatch
        return [str(c) for c in frame.column_names], frame.column, int(frame.num_rows)
    if kind == "polars" and hasattr(frame, "get_column"):
        return [str(c) for c in frame.columns], frame.get_column, int(frame.height)
    if hasattr(frame, "columns") and hasattr(frame, "iloc"):  # pandas, or pandas-like
        return [str(c) for c in frame.columns], frame.__getitem__, len(frame)
    return None


def column_array(column: object) -> npt.NDArray[Any] | Coded | Utf8 | None:
    """A library's column through its adapter, or ``None`` when it is no such column."""
    found = _ADAPTERS.get(library(column))
    if found is None or not all(hasattr(column, a) for a in found[1]):
        return None
    array: npt.NDArray[Any] | Coded | Utf8 = importlib.import_module(found[0]).array(column)
    return array

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

from collections.abc import Callable
from typing import Any

import numpy.typing as npt

from gistpath.batch.columns import Coded, Utf8, library

Columns = tuple[list[str], Callable[[str], object], int]


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


def column_array(column: Any) -> npt.NDArray[Any] | Coded | Utf8 | None:
    """A library's column through its adapter, or ``None`` when it is no such column.

    Each adapter is named in the source (no import by a computed name), and imported only
    here, so that a caller without that library never loads it."""
    kind = library(column)
    if kind == "pandas" and hasattr(column, "dtype") and hasattr(column, "isna"):
        from gistpath.batch.frames import pandas  # imports pandas: the caller already did

        return pandas.array(column)
    if kind == "polars" and hasattr(column, "null_count"):
        from gistpath.batch.frames import polars  # imports polars: the caller already did

        return polars.array(column)
    if kind == "pyarrow" and hasattr(column, "to_pylist"):
        from gistpath.batch.frames import arrow  # for pyarrow objects only (reads their buffers)

        return arrow.array(column)
    return None

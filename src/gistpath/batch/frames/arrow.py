"""pyarrow columns as the batch path reads them.

Design: integer, float and boolean columns without nulls go through ``to_numpy()``;
dictionary columns without nulls become codes (each distinct value validated once); text
columns without nulls are read in place by the C loops, as their offsets and bytes
(:class:`gistpath.batch.columns.Utf8`); anything else, or any column with nulls, as the
Python values ``to_pylist()`` gives, which are what ``table.to_pylist()`` gives row by row.
This module is imported for pyarrow objects (and for the Arrow buffers of pandas and
polars columns), always by a caller that already has them.

Limits: a ChunkedArray of several chunks is combined (a copy) to be read in place;
``string_view`` columns are read value by value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from gistpath.batch import kernel
from gistpath.batch.columns import Coded, Utf8, objects

# The types whose to_numpy() is exact and keeps the numpy kind evaluate expects.
PLAIN = frozenset(
    {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"}
    | {"halffloat", "float", "double", "bool"}
)


def array(column: Any) -> npt.NDArray[Any] | Coded | Utf8:
    """A pyarrow Array or ChunkedArray as a numpy array, codes or Arrow text."""
    if str(column.type) in PLAIN and column.null_count == 0:
        return np.asarray(column.to_numpy(zero_copy_only=False))
    found = coded_or_text(column)
    if found is not None:
        return found
    return objects(column.to_pylist())


def arrow_text(column: Any) -> Utf8 | None:
    """A pyarrow string column (Array or ChunkedArray) without nulls, as :class:`Utf8`
    (only where the C loops are there to read it)."""
    if kernel.kernel() is None or int(column.null_count):
        return None
    if hasattr(column, "combine_chunks"):  # a ChunkedArray: one Array (a copy if several)
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    kind = str(column.type)
    if kind not in ("string", "large_string", "utf8", "large_utf8"):
        return None  # string_view and the rest: read value by value
    _, offsets, data = column.buffers()
    width: type[np.signedinteger[Any]] = np.int64 if kind.startswith("large") else np.int32
    start = int(column.offset)
    return Utf8(
        np.frombuffer(offsets, dtype=width)[start : start + len(column) + 1],
        np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8),
    )


def coded_or_text(column: Any) -> Coded | Utf8 | None:
    """A pyarrow column without nulls as codes (a dictionary column) or as text in place."""
    if int(column.null_count):
        return None
    if str(column.type).startswith("dictionary<"):
        if hasattr(column, "combine_chunks"):  # a ChunkedArray
            if column.num_chunks == 0:
                return None
            column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        # Each distinct value is validated once; the rows are read through their codes.
        codes = np.asarray(column.indices.to_numpy(zero_copy_only=False))
        return Coded(codes, list(column.dictionary.to_pylist()))
    return arrow_text(column)

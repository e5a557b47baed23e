"""polars columns as the batch path reads them.

Design: integer, float and boolean columns without nulls go through ``to_numpy()``; text
and categorical columns without nulls through Arrow (text read in place by the C loops,
categoricals as codes); anything else, or any column with nulls, as the Python values
``to_list()`` gives, which are what ``df.to_dicts()`` gives row by row. This module is
imported only for polars objects.

Limits: a ``LazyFrame`` is refused (:func:`gistpath.batch.inputs.refuse_lazy`): collect it,
or decide per batch with ``LazyFrame.map_batches``. ``Int128`` has no numpy type and
``Decimal`` would become float: both go as Python values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import polars

from gistpath.batch.columns import Coded, Utf8, objects
from gistpath.batch.frames.arrow import coded_or_text

# The dtypes whose to_numpy() is exact and keeps the numpy kind evaluate expects.
PLAIN = frozenset(
    {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"}
    | {"Float32", "Float64", "Boolean"}
)


def array(series: polars.Series) -> npt.NDArray[Any] | Coded | Utf8:
    """A polars Series as a numpy array, codes or Arrow text (see the module docstring)."""
    kind = str(series.dtype)
    if kind in PLAIN and series.null_count() == 0:
        return np.asarray(series.to_numpy())
    if series.null_count() == 0 and (kind == "String" or kind.startswith(("Categorical", "Enum"))):
        # Text and categoricals through Arrow (large_string, or a dictionary), in place.
        found = coded_or_text(series.to_arrow())
        if found is not None:
            return found
    return objects(series.to_list())

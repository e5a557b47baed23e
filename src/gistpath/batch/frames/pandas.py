"""pandas columns as the batch path reads them, and the pandas objects it gives back.

Design: numpy-backed columns are used as they are. Extension columns (``Int64``,
``boolean``, ``string``, ``category``, Arrow-backed) without missing values go through
``to_numpy()``, and with missing values as objects, so that one ``<NA>`` refuses its own
row and does not turn a whole integer column into floats. Categoricals become codes
(each category validated once), text columns their Arrow buffers (read in place by the C
loops) or pandas' own factorisation. This module is imported only for pandas objects, so
importing pandas here costs nothing a caller has not already paid.

Limits: a frame is read through ``frame[name]`` (see :mod:`gistpath.batch.frames`), so
pandas-like frames of other libraries work where their columns are pandas Series.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas

from gistpath.batch.columns import Coded, Utf8, elements
from gistpath.batch.frames.arrow import arrow_text


def array(series: pandas.Series[Any]) -> npt.NDArray[Any] | Coded | Utf8:
    """A pandas Series as a numpy array, codes or Arrow text (see the module docstring)."""
    if isinstance(series.dtype, np.dtype):  # numpy-backed: the values as they are
        return np.asarray(series.to_numpy())
    if str(series.dtype) == "category" and not bool(series.isna().any()):
        categories = series.cat.categories
        values = elements(np.asarray(categories.to_numpy(dtype=object)))
        return Coded(np.asarray(series.cat.codes.to_numpy()), values)
    if type(series.dtype).__name__ == "StringDtype" and not bool(series.isna().any()):
        if str(getattr(series.dtype, "storage", "")).startswith("pyarrow"):
            text = arrow_text(series.array.__arrow_array__())
            if text is not None:  # the Arrow buffers, read in place
                return text
        # Every value is a str: pandas' own hashing numbers the distinct ones.
        codes, uniques = series.factorize()
        return Coded(np.asarray(codes), [str(u) for u in uniques])
    # Extension dtypes (Int64, boolean, string, category, Arrow): to_numpy() would turn an
    # integer column with <NA> into floats, so columns with missing values go as objects.
    if bool(series.isna().any()):
        return np.asarray(series.to_numpy(dtype=object))
    return np.asarray(series.to_numpy())


def series(values: list[object], index: Any, name: str) -> pandas.Series[Any]:
    """An ``object`` Series of ``values`` on ``index``."""
    return pandas.Series(values, index=index, name=name, dtype=object)


def frame(data: dict[str, list[object]], index: Any) -> pandas.DataFrame:
    """An ``object`` DataFrame of ``data``'s columns on ``index``."""
    return pandas.DataFrame(data, index=index, dtype=object)


def empty_frame(columns: tuple[str, ...]) -> pandas.DataFrame:
    """An empty DataFrame of ``object`` columns (Dask's ``meta=``)."""
    return pandas.DataFrame({c: pandas.Series([], dtype=object) for c in columns})

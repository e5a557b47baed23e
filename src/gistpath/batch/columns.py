"""Columns as the batch path holds them: numpy arrays, lists, codes and Arrow text.

Design: every input of a batch becomes one column of one of four shapes, the
:data:`Column` union: a 1-D numpy array; a list or tuple kept as the caller gave it (the C
loops read its items in place); :class:`Coded`, a categorical's integer codes into its
distinct values (each validated once); or :class:`Utf8`, an Arrow text column's offsets and
bytes, read in place by the C loops. The helpers here turn Python items into arrays without
changing what they mean (``np.asarray`` is never handed a mixed list) and give the items
back as :meth:`gistpath.RuleSet.evaluate` would see them.

Limits: nothing here validates a value or imports a dataframe library; :func:`library`
names an object's library from its class alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeAlias, overload

import attrs
import numpy as np
import numpy.typing as npt


@attrs.frozen
class Coded:
    """A categorical column: small integer codes into a list of distinct values.

    Each distinct value is validated once and the rows are mapped through their codes, so
    a categorical column costs an array look-up per row whatever its values are.
    """

    codes: npt.NDArray[np.signedinteger[Any]]
    categories: list[object]

    ndim = 1

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, index: int) -> object: ...
    @overload
    def __getitem__(self, index: slice) -> Coded: ...
    def __getitem__(self, index: int | slice) -> object:
        if isinstance(index, slice):
            return Coded(self.codes[index], self.categories)
        return self.categories[int(self.codes[index])]


@attrs.frozen
class Utf8:
    """A column of texts as Arrow holds them, read in place by the C loops.

    Row ``i`` is ``data[offsets[i]:offsets[i + 1]]`` in UTF-8; there are no missing values
    (columns with any go another way). Made only when the C loops are there to read it.
    """

    offsets: npt.NDArray[np.signedinteger[Any]]  # int32 or int64, one more than the rows
    data: npt.NDArray[np.uint8]

    ndim = 1

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        low, high = int(self.offsets[index]), int(self.offsets[index + 1])
        return bytes(self.data[low:high]).decode("utf-8")


# A column as the batch path holds it, and its cells (cell indices, one per row).
Column: TypeAlias = "npt.NDArray[Any] | Coded | Utf8 | list[Any] | tuple[Any, ...]"
Cells: TypeAlias = npt.NDArray[np.signedinteger[Any]]


def library(obj: object) -> str:
    """The top-level package an object's class comes from (``"pandas"``, ``"numpy"``, ...)."""
    return type(obj).__module__.partition(".")[0]


def objects(items: Iterable[object]) -> npt.NDArray[Any]:
    """An object array holding exactly these items (nested lists stay items)."""
    return np.fromiter(items, dtype=object)


def list_to_array(column: Iterable[object]) -> npt.NDArray[Any]:
    """A plain numeric array when every item is an int (or every item a float); else objects.

    ``np.asarray`` is never given a mixed list: it would turn ``[1, "unknown"]`` into text.
    """
    items = list(column)
    types = set(map(type, items))  # one pass at C speed
    if types == {float}:
        return np.asarray(items, dtype=np.float64)
    if types == {bool}:
        return np.asarray(items, dtype=bool)
    if types == {int}:
        try:
            return np.asarray(items, dtype=np.int64)
        except OverflowError:
            pass
    return objects(items)


def elements(array: npt.NDArray[Any]) -> list[Any]:
    """The items of a column as ``evaluate`` would see them, for value-by-value checks.

    ``tolist()`` is fast and exact for most dtypes, but it turns datetimes and timedeltas
    into plain ints and long doubles into rounded floats: those stay numpy scalars.
    """
    kind = array.dtype.kind
    if kind in "mMV" or (kind in "fc" and array.dtype.itemsize > (8 if kind == "f" else 16)):
        return list(array)
    items: list[Any] = array.tolist()
    return items


def item(column: Column, index: int) -> object:
    """Row ``index`` of a column as a plain Python value (numpy scalars unwrapped)."""
    value = column[index]
    if isinstance(value, np.generic):
        return value.item()
    return value

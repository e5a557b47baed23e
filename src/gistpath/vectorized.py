"""The batch path: many states at once through the same predicate tables.

Design: a batch is turned into one column per input, from rows (an iterable of
mappings), from columns (a mapping of field name to a list, a numpy array, or a pandas,
polars or pyarrow column), or from a whole pandas DataFrame, polars DataFrame or pyarrow
Table / RecordBatch. Lists and tuples stay as they are; the rest become 1-D numpy arrays,
categorical codes (:class:`_Coded`) or Arrow text buffers (:class:`_Utf8`). Those libraries
are recognised by the module their objects come from
and used only through the objects' own methods: nothing here imports them, so a caller who
hands in numpy arrays or rows never loads pandas, polars or pyarrow.

Nothing is coerced. Each column is validated with array operations where its dtype makes
that exact (integers, 64-bit or narrower floats, booleans) and otherwise value by value with
the very validators :meth:`gistpath.RuleSet.evaluate` uses (text, objects, mixed numbers
and ``unknown``, missing values). How each library's columns become arrays matters here,
because some conversions are lossy and would decide differently from ``evaluate``:

- pandas: numpy-backed columns as they are; extension columns (``Int64``, ``boolean``,
  ``string``, ``category``, Arrow-backed) without missing values through ``to_numpy()``,
  and with missing values as objects, so that one ``<NA>`` refuses its own row and does not
  turn a whole integer column into floats.
- polars and pyarrow: integer, float and boolean columns without nulls through
  ``to_numpy()``; anything else, or any column with nulls, as the Python values
  ``to_list()`` / ``to_pylist()`` give, which are what ``df.to_dicts()`` and
  ``table.to_pylist()`` give row by row.

A float column for an integer input is refused row by row ("not an integer"), as
``evaluate`` refuses ``numpy.float64(3.0)``; missing values (``None``, NaN, ``<NA>``, null)
are refused as the field's value, never dropped or guessed.

Two ways to the same answers. Where ``gistpath._kernel`` was compiled (``_kernel.c``, built
by ``hatch_build.py``), :func:`_fold_compiled` decides the pathway block by block
(:data:`KERNEL_BLOCK` rows, so that a block's cells stay in the core's cache): the C loops
turn each column's rows into cells, leaving -1 for every value that is not plain or not
allowed, which :func:`_read_rows` hands to the field's validator; then the C fold turns
the block's cells into rule indices through :class:`_RuleKernel`'s tables (with
considerations, a kernel whose classes also tell the consideration boxes apart, so that the
last class names the rule and the considerations). Blocks are shared among threads; the
loops over buffers release the GIL, and the columns of Python objects (lists, object
arrays) of a block are read by helper threads for the one thread that holds it. Without
the kernel (or with
:data:`USE_COMPILED` off, as the tests do for half their runs), numpy does it all: cells
are found with
``searchsorted`` (numbers), a look-up by character position confirmed by a whole-text
comparison (numpy text), codes (categoricals, pandas text) or one validation per distinct
value (objects). For the pathway alone, :class:`_RuleKernel` maps groups of inputs to
numbered classes and folds them into the outcome with a few integer look-ups per row; with
considerations, the bit sets of :class:`gistpath.tables.PredicateTables` are stored as
``uint64`` words, gathered per input and ANDed, and the lowest rule bit names the rule.

Bad rows never stop a batch and are never dropped: they are decided as ``None`` and listed
by position (0, 1, ... whatever a frame's index) in :attr:`BatchResult.errors`, with the same
:class:`gistpath.StateError` a single evaluation would raise.

:func:`pathway_series` and :func:`decision_frame` wrap a batch for engines that work on
pandas partitions (Dask ``map_partitions``, Spark ``mapInPandas``); see ``docs/dataframes.rst``.

Limits: memory is about ``8 * words`` bytes per row per block of :data:`BLOCK` rows on the
numpy path, and 12 bytes per row plus a block's cells on the compiled one. Values left to
the validators cost about a microsecond each. A rule set whose class tables would pass
:data:`FOLD_ENTRIES` is decided through bit sets, compiled cells or not. Lazy or distributed
frames (polars ``LazyFrame``, Dask, Spark) are refused with a pointer to the per-partition
recipe: this module never triggers their computation.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, TypeAlias, overload

import attrs
import numpy as np
import numpy.typing as npt

from gistpath.errors import BatchError, EvaluationError, GistpathError, StateError
from gistpath.model import NumericDomain
from gistpath.regions import bits
from gistpath.state import check_shape

if TYPE_CHECKING:
    from gistpath.runtime import RuleSet

BLOCK = 1 << 16

# A column as the batch path holds it, and its cells (cell indices, one per row).
Column: TypeAlias = "npt.NDArray[Any] | _Coded | _Utf8 | list[Any] | tuple[Any, ...]"
Cells: TypeAlias = npt.NDArray[np.signedinteger[Any]]

# Integers up to this size are exact as float64, so integer columns can be compared with the
# thresholds as floats; larger ones are compared as Python ints.
_EXACT_INT = 2**53

# pyarrow types whose to_numpy() is exact and keeps the numpy kind evaluate expects.
_ARROW_PLAIN = frozenset(
    {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"}
    | {"halffloat", "float", "double", "bool"}
)

# The same for polars (Int128 has no numpy type; Decimal would become float).
_POLARS_PLAIN = frozenset(
    {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"}
    | {"Float32", "Float64", "Boolean"}
)


class BatchResult(Sequence["str | None"]):
    """Pathway ids, one per state (``None`` for a bad row), and the bad rows' errors.

    ``errors`` maps the position of each bad row (0 for the first row) to its error;
    ``considerations`` (when asked for) and ``rules`` hold one entry per row too.

    A batch is decided as numbers: :attr:`pathway_codes` indexes :attr:`pathway_ids`
    (``-1`` for a bad row), ready for ``pandas.Categorical.from_codes``. The tuples of
    ids (:attr:`pathways`, :attr:`rules`) are built from them on first use and kept;
    indexing and iterating read the codes directly. Immutable.
    """

    __slots__ = (
        "_pathway_names",
        "_pathways",
        "_rule_codes",
        "_rule_names",
        "_rule_pathway",
        "_rules",
        "considerations",
        "errors",
    )

    errors: Mapping[int, GistpathError]
    considerations: tuple[tuple[str, ...] | None, ...] | None
    _rule_codes: npt.NDArray[np.int64]
    _rule_names: npt.NDArray[Any]
    _rule_pathway: npt.NDArray[np.int64]
    _pathway_names: npt.NDArray[Any]
    _pathways: tuple[str | None, ...] | None
    _rules: tuple[str | None, ...] | None

    def __init__(
        self,
        rule_codes: npt.NDArray[np.int64],
        rule_ids: Sequence[str],
        rule_pathway: npt.NDArray[np.int64],
        pathway_ids: Sequence[str],
        errors: Mapping[int, GistpathError],
        considerations: tuple[tuple[str, ...] | None, ...] | None = None,
    ) -> None:
        """Codes as :func:`evaluate_batch` makes them: ``rule_codes[i]`` is the index of the
        rule row ``i`` fired (``-1`` for a bad row), ``rule_pathway[r]`` its pathway's index
        in ``pathway_ids``."""
        codes = np.asarray(rule_codes, dtype=np.int64)
        codes.flags.writeable = False
        set_ = object.__setattr__
        set_(self, "_rule_codes", codes)
        set_(self, "_rule_names", np.asarray([*rule_ids, None], dtype=object))
        # Index -1 (a bad row) reads the last entry: no pathway.
        set_(self, "_rule_pathway", np.asarray([*rule_pathway, -1], dtype=np.int64))
        set_(self, "_pathway_names", np.asarray([*pathway_ids, None], dtype=object))
        set_(self, "_pathways", None)
        set_(self, "_rules", None)
        set_(self, "errors", MappingProxyType(dict(errors)))
        set_(self, "considerations", considerations)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (and copied) as what it was made from, so that results travel back from
        # worker processes.
        return (
            BatchResult,
            (
                self._rule_codes,
                self._rule_names[:-1].tolist(),
                self._rule_pathway[:-1],
                self._pathway_names[:-1].tolist(),
                dict(self.errors),
                self.considerations,
            ),
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a BatchResult cannot be changed")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a BatchResult cannot be changed")

    @property
    def pathway_ids(self) -> tuple[str, ...]:
        """Every pathway id of the rule set, in file order: what the codes index."""
        return tuple(self._pathway_names[:-1].tolist())

    @property
    def pathway_codes(self) -> npt.NDArray[np.int64]:
        """Per row, the index of its pathway in :attr:`pathway_ids` (``-1``: a bad row)."""
        codes: npt.NDArray[np.int64] = self._rule_pathway[self._rule_codes]
        codes.flags.writeable = False
        return codes

    @property
    def pathways(self) -> tuple[str | None, ...]:
        """Per row, its pathway id (``None`` for a bad row)."""
        if self._pathways is None:
            names = self._pathway_names[self.pathway_codes].tolist()
            object.__setattr__(self, "_pathways", tuple(names))
        assert self._pathways is not None
        return self._pathways

    @property
    def rules(self) -> tuple[str | None, ...]:
        """Per row, the id of the rule that fired (``None`` for a bad row)."""
        if self._rules is None:
            object.__setattr__(self, "_rules", tuple(self._rule_names[self._rule_codes].tolist()))
        assert self._rules is not None
        return self._rules

    def __len__(self) -> int:
        return len(self._rule_codes)

    @overload
    def __getitem__(self, index: int) -> str | None: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str | None]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self.pathways[index]

    def __iter__(self) -> Iterator[str | None]:
        return iter(self.pathways)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BatchResult):
            return NotImplemented
        return (
            self.pathways == other.pathways
            and self.rules == other.rules
            and _error_texts(self.errors) == _error_texts(other.errors)
            and self.considerations == other.considerations
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(map(repr, self.pathways[:3])) + (", ..." if len(self) > 3 else "")
        return f"BatchResult([{shown}], {len(self)} rows, {len(self.errors)} errors)"

    @property
    def ok(self) -> bool:
        return not self.errors


def _error_texts(errors: Mapping[int, GistpathError]) -> dict[int, tuple[type, str]]:
    """Errors as values: exceptions compare by identity, batch results by what they say."""
    return {i: (type(e), str(e)) for i, e in errors.items()}


# --------------------------------------------------------------------------- input shapes


def _library(obj: object) -> str:
    """The top-level package an object's class comes from (``"pandas"``, ``"numpy"``, ...)."""
    return type(obj).__module__.partition(".")[0]


def _refuse_lazy(states: object) -> None:
    """Frames that would have to be computed to be read: point to the per-partition path."""
    library = _library(states)
    if library == "polars" and not hasattr(states, "get_column"):
        raise TypeError(
            "evaluate_many takes a polars DataFrame, not a lazy frame: collect() it, or "
            "decide per batch with LazyFrame.map_batches"
        )
    if library == "dask" or hasattr(states, "npartitions"):
        raise TypeError(
            "a Dask DataFrame is decided per partition: "
            "ddf.map_partitions(gistpath.vectorized.pathway_series, rules, "
            'meta=("pathway", "object")); see docs/dataframes.rst'
        )
    if library == "pyspark":
        raise TypeError(
            "a Spark DataFrame is decided per batch with mapInPandas; see docs/dataframes.rst"
        )


def _frame_columns(rs: RuleSet, frame: Any) -> tuple[dict[str, Any], int] | None:
    """The input columns of a pandas/polars/pyarrow frame as arrays, or ``None``."""
    library = _library(frame)
    if library == "pyarrow" and hasattr(frame, "column_names"):  # Table or RecordBatch
        names = [str(c) for c in frame.column_names]
        _check_column_names(rs, names)
        return {n: _as_array(n, frame.column(n)) for n in rs.inputs}, int(frame.num_rows)
    if library == "polars" and hasattr(frame, "get_column"):
        names = [str(c) for c in frame.columns]
        _check_column_names(rs, names)
        return {n: _as_array(n, frame.get_column(n)) for n in rs.inputs}, int(frame.height)
    if hasattr(frame, "columns") and hasattr(frame, "iloc"):  # pandas, or pandas-like
        names = [str(c) for c in frame.columns]
        _check_column_names(rs, names)
        return {n: _as_array(n, frame[n]) for n in rs.inputs}, len(frame)
    return None


def _columns(rs: RuleSet, states: Any) -> tuple[dict[str, Any], int, dict[int, GistpathError]]:
    """Columns by input name (1-D arrays), the row count, and row errors found on the way."""
    names = list(rs.inputs)
    errors: dict[int, GistpathError] = {}
    if not isinstance(states, Mapping):
        _refuse_lazy(states)
        found = _frame_columns(rs, states)
        if found is not None:
            return found[0], found[1], errors
    if (
        isinstance(states, Mapping)
        and states
        and all(_is_column(v) for v in states.values())
        and not _looks_like_state(states)
    ):
        _check_column_names(rs, [str(k) for k in states])
        cols = {n: _as_array(n, states[n]) for n in names}
        lengths = {len(c) for c in cols.values()}
        if len(lengths) > 1:
            raise StateError(
                "<columns>",
                {n: len(c) for n, c in cols.items()},
                "columns of equal length",
                reason="columns differ in length",
            )
        return cols, lengths.pop() if lengths else 0, errors
    # rows
    rows = list(states) if not isinstance(states, Mapping) else [states]
    row_columns: dict[str, list[object]] = {n: [] for n in names}
    placeholder = _placeholder_row(rs)
    for index, row in enumerate(rows):
        try:
            check_shape(row, rs.inputs)
        except StateError as error:
            errors[index] = error
            row = placeholder
        for n in names:
            row_columns[n].append(row[n])
    return dict(row_columns), len(rows), errors


def _is_column(value: object) -> bool:
    return not isinstance(value, (str, bytes, Mapping)) and hasattr(value, "__len__")


def _looks_like_state(mapping: Mapping[str, Any]) -> bool:
    """A single state passed by mistake: its values are scalars, not columns."""
    return all(isinstance(v, (str, bytes, int, float, bool)) for v in mapping.values())


def _check_column_names(rs: RuleSet, given: list[str]) -> None:
    declared = list(rs.inputs)
    seen: set[str] = set()
    for name in given:
        if name not in rs.inputs:
            raise StateError(
                name,
                "<column>",
                "only the declared fields as columns: " + ", ".join(declared),
                reason="unknown column",
            )
        if name in seen:
            raise StateError(name, "<column>", "one column per field", reason="duplicate column")
        seen.add(name)
    for name in declared:
        if name not in given:
            raise StateError(
                name,
                None,
                "a column for every declared field",
                reason="missing column",
            )


def _as_array(name: str, column: Any) -> Column:
    """One column as a 1-D numpy array whose items mean what the row's values would mean
    (a list or tuple stays as it is: see :func:`_cells_numeric` and :func:`_cells_lookup`)."""
    library = _library(column)
    array: npt.NDArray[Any] | _Coded | _Utf8
    if (
        isinstance(column, np.ndarray)
        and _library(column) == "numpy"
        and hasattr(column, "mask")
        and column.ndim == 1  # any other shape is refused below, masked or not
    ):
        # numpy.ma: a masked entry is missing. Without any, the data; else the items one
        # by one, where a masked entry is numpy's `masked`, which every validator refuses.
        if not bool(np.asarray(column.mask).any()):
            array = np.asarray(column.data)
        else:
            array = _objects(column)
    elif isinstance(column, np.ndarray):
        array = column
    elif isinstance(column, (list, tuple)):
        return column  # as given: read by the C loops, or made an array per column below
    elif library == "pandas" and hasattr(column, "dtype") and hasattr(column, "isna"):
        array = _pandas_array(column)
    elif library == "polars" and hasattr(column, "null_count"):
        array = _polars_array(column)
    elif library == "pyarrow" and hasattr(column, "to_pylist"):
        array = _arrow_array(column)
    elif _is_column(column):
        array = _list_to_array(column)
    else:
        raise StateError(name, column, "a column of values", reason="not a column")
    if array.ndim != 1:
        raise StateError(
            name, f"<{array.ndim}-d array>", "a one-dimensional column", reason="not a column"
        )
    return array


@attrs.frozen
class _Coded:
    """A categorical column: small integer codes into a list of distinct values.

    Each distinct value is validated once and the rows are mapped through their codes, so
    a categorical column costs an array look-up per row whatever its values are.
    """

    codes: npt.NDArray[Any]
    categories: list[Any]

    ndim = 1

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, index: int) -> object: ...
    @overload
    def __getitem__(self, index: slice) -> _Coded: ...
    def __getitem__(self, index: int | slice) -> object:
        if isinstance(index, slice):
            return _Coded(self.codes[index], self.categories)
        return self.categories[int(self.codes[index])]


@attrs.frozen
class _Utf8:
    """A column of texts as Arrow holds them, read in place by the C loops.

    Row ``i`` is ``data[offsets[i]:offsets[i + 1]]`` in UTF-8; there are no missing values
    (columns with any go another way). Made only when the C loops are there to read it.
    """

    offsets: npt.NDArray[Any]  # int32 or int64, one more than the rows
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


def _arrow_text(column: Any) -> _Utf8 | None:
    """A pyarrow string column (Array or ChunkedArray) without nulls, as :class:`_Utf8`."""
    if _compiled() is None or int(column.null_count):
        return None
    if hasattr(column, "combine_chunks"):  # a ChunkedArray: one Array (a copy if several)
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    kind = str(column.type)
    if kind not in ("string", "large_string", "utf8", "large_utf8"):
        return None  # string_view and the rest: read value by value
    _, offsets, data = column.buffers()
    width = np.int64 if kind.startswith("large") else np.int32
    start = int(column.offset)
    return _Utf8(
        np.frombuffer(offsets, dtype=width)[start : start + len(column) + 1],
        np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8),
    )


def _pandas_array(series: Any) -> npt.NDArray[Any] | _Coded | _Utf8:
    if isinstance(series.dtype, np.dtype):  # numpy-backed: the values as they are
        return np.asarray(series.to_numpy())
    if str(series.dtype) == "category" and not bool(series.isna().any()):
        categories = series.cat.categories
        values = _elements(np.asarray(categories.to_numpy(dtype=object)))
        return _Coded(np.asarray(series.cat.codes.to_numpy()), values)
    if type(series.dtype).__name__ == "StringDtype" and not bool(series.isna().any()):
        if str(getattr(series.dtype, "storage", "")).startswith("pyarrow"):
            text = _arrow_text(series.array.__arrow_array__())
            if text is not None:  # the Arrow buffers, read in place
                return text
        # Every value is a str: pandas' own hashing numbers the distinct ones.
        codes, uniques = series.factorize()
        return _Coded(np.asarray(codes), [str(u) for u in uniques])
    # Extension dtypes (Int64, boolean, string, category, Arrow): to_numpy() would turn an
    # integer column with <NA> into floats, so columns with missing values go as objects.
    if bool(series.isna().any()):
        return np.asarray(series.to_numpy(dtype=object))
    return np.asarray(series.to_numpy())


def _polars_array(series: Any) -> npt.NDArray[Any] | _Coded | _Utf8:
    if str(series.dtype) in _POLARS_PLAIN and series.null_count() == 0:
        return np.asarray(series.to_numpy())
    kind = str(series.dtype)
    if series.null_count() == 0 and (kind == "String" or kind.startswith(("Categorical", "Enum"))):
        # Text and categoricals through Arrow (large_string, or a dictionary), in place.
        found = _arrow_coded_or_text(series.to_arrow())
        if found is not None:
            return found
    return _objects(series.to_list())


def _arrow_array(column: Any) -> npt.NDArray[Any] | _Coded | _Utf8:
    if str(column.type) in _ARROW_PLAIN and column.null_count == 0:
        return np.asarray(column.to_numpy(zero_copy_only=False))
    found = _arrow_coded_or_text(column)
    if found is not None:
        return found
    return _objects(column.to_pylist())


def _arrow_coded_or_text(column: Any) -> _Coded | _Utf8 | None:
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
        return _Coded(codes, list(column.dictionary.to_pylist()))
    return _arrow_text(column)


def _objects(items: Iterable[object]) -> npt.NDArray[Any]:
    """An object array holding exactly these items (nested lists stay items)."""
    return np.fromiter(items, dtype=object)


def _list_to_array(column: Any) -> npt.NDArray[Any]:
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
    return _objects(items)


def _elements(array: npt.NDArray[Any]) -> list[Any]:
    """The items of a column as ``evaluate`` would see them, for value-by-value checks.

    ``tolist()`` is fast and exact for most dtypes, but it turns datetimes and timedeltas
    into plain ints and long doubles into rounded floats: those stay numpy scalars.
    """
    kind = array.dtype.kind
    if kind in "mMV" or (kind in "fc" and array.dtype.itemsize > (8 if kind == "f" else 16)):
        return list(array)
    items: list[Any] = array.tolist()
    return items


def _placeholder_row(rs: RuleSet) -> dict[str, object]:
    """A valid value per input, used in place of rows whose shape is already an error."""
    return {
        dim.name: dim.representative(_first_valid_cell(dim))
        for dim in rs.compiled.space.dimensions[:-1]
    }


# --------------------------------------------------------------------------- column → cells


def _first_valid_cell(dim: Any) -> int:
    return next(c for c in range(dim.size) if dim.valid >> c & 1)


def _cells_start(
    rs: RuleSet, name: str, array: Column, bad: dict[int, GistpathError], compiled: bool
) -> tuple[Any, Cells | None, npt.NDArray[Any] | list[Any] | tuple[Any, ...]]:
    """The first steps of both cell functions: the input's dimension, and its cells when
    codes or the C loops give them (with an empty column); else ``None`` and the column to
    go on with (Arrow text as a list)."""
    dim = rs.compiled.space.dimensions[rs.compiled.space.index(name)]
    if isinstance(array, _Coded):
        return dim, _cells_coded(rs, dim, name, array, bad), ()
    quick = _compiled_cells(rs, dim, array, bad) if compiled else None
    if quick is not None:
        return dim, quick, ()
    if isinstance(array, _Utf8):
        return dim, None, array[:]
    return dim, None, array


def _cells_numeric(
    rs: RuleSet, name: str, array: Column, bad: dict[int, GistpathError], *, compiled: bool = True
) -> Cells:
    dim, done, array = _cells_start(rs, name, array, bad, compiled)
    if done is not None:
        return done
    given = array  # what an error shows: the item as given, not numpy's copy of it
    if isinstance(array, (list, tuple)):
        array = _list_to_array(array)
    domain = rs.inputs[name].domain
    assert isinstance(domain, NumericDomain)
    if array.dtype == object and not domain.integer and len(array):
        # ints and floats mixed (4 and 4.5) for a number input: one float array, when every
        # value is exactly a float (ints below 2**53 in size).
        items = _elements(array)
        if set(map(type, items)) <= {int, float}:
            try:
                floats = np.asarray(items, dtype=np.float64)
            except OverflowError:  # an int beyond any float: value by value below
                floats = None
            if floats is not None and not (np.abs(floats) >= _EXACT_INT).any():
                array = floats
    kind = array.dtype.kind
    n = len(array)
    # Array operations where they are exact: integers (within 2**53, as floats) for any
    # numeric input, floats of at most 64 bits for a number input. The thresholds are
    # exact floats too (the checker refuses literals that are not).
    fast = (
        kind in "iu" or (kind == "f" and not domain.integer and array.dtype.itemsize <= 8)
    ) and all(_exact_float(t) for t in dim.thresholds)
    if fast and kind in "iu" and n:
        fast = int(array.min()) >= -_EXACT_INT and int(array.max()) <= _EXACT_INT
    if not fast:
        return _cells_one_by_one(rs, dim, name, array, bad)
    values = array.astype(np.float64, copy=False)
    invalid = ~np.isfinite(values) if kind == "f" else np.zeros(n, dtype=bool)
    low, high = domain.low, domain.high
    with np.errstate(invalid="ignore"):
        if low is not None:
            invalid |= values < low.value if low.inclusive else values <= low.value
        if high is not None:
            invalid |= values > high.value if high.inclusive else values >= high.value
    if invalid.any():
        validate = rs.field_validator(name)
        for i in np.flatnonzero(invalid).tolist():
            try:
                validate(given[i])
            except StateError as error:
                bad.setdefault(i, error)
            else:  # pragma: no cover - the array checks mirror the validator
                raise AssertionError(f"{name}: {given[i]!r} flagged but valid")
    ts = np.asarray(dim.thresholds, dtype=np.float64)
    if len(ts) == 0:
        return np.zeros(n, dtype=np.intp)
    index = np.searchsorted(ts, values, side="left")
    clipped = np.minimum(index, len(ts) - 1)
    point = (index < len(ts)) & (ts[clipped] == values)
    cells: npt.NDArray[np.intp] = (2 * index + point).astype(np.intp, copy=False)
    return cells


def _exact_float(value: int | float) -> bool:
    try:
        return float(value) == value
    except OverflowError:
        return False


def _cells_coded(
    rs: RuleSet, dim: Any, name: str, column: _Coded, bad: dict[int, GistpathError]
) -> npt.NDArray[np.intp]:
    """Cells of a categorical column: each category validated once, rows through codes."""
    validate = rs.field_validator(name)
    table = np.full(len(column.categories), -1, dtype=np.intp)
    errors: dict[int, StateError] = {}
    for code, value in enumerate(column.categories):
        try:
            table[code] = dim.cell_of(validate(value))
        except StateError as error:
            errors[code] = error
    cells: npt.NDArray[np.intp] = table[column.codes]
    if errors:
        for i in np.flatnonzero(cells < 0).tolist():
            bad.setdefault(i, errors[int(column.codes[i])])
        cells[cells < 0] = _first_valid_cell(dim)
    return cells


# A text column is keyed on one character position when the allowed texts' code points
# there are distinct and below this bound (a look-up table of that size), else on two.
_LUT_SIZE = 1 << 16


def _text_key_positions(words: npt.NDArray[np.uint32]) -> tuple[int, int] | None:
    """Character positions whose code points tell every allowed text apart.

    ``(p, p)`` means one position suffices.
    """
    width = words.shape[1]
    for p in range(width):
        if len(set(words[:, p].tolist())) == len(words) and int(words[:, p].max()) < _LUT_SIZE:
            return p, p
    for p in range(width):
        for q in range(p + 1, width):
            pairs = {(int(a), int(b)) for a, b in zip(words[:, p], words[:, q], strict=True)}
            if len(pairs) == len(words):
                return p, q
    return None


def _cells_text(
    rs: RuleSet, dim: Any, name: str, array: npt.NDArray[Any], bad: dict[int, GistpathError]
) -> npt.NDArray[np.intp]:
    """Cells of a fixed-width text column (numpy ``<U``), without a Python object per row.

    The allowed texts are told apart by the code points at two positions, found once per
    column width; each row's pair gives a candidate value, and one vectorised comparison of
    the whole text confirms it. Rows that match no allowed text are validated one by one
    for their error.
    """
    width = array.dtype.itemsize // 4
    allowed = [v for c, v in enumerate(dim.values) if isinstance(v, str) and dim.valid >> c & 1]
    allowed = [v for v in allowed if len(v) <= width]  # longer ones cannot be in the column
    cells_of = np.asarray([dim.values.index(v) for v in allowed] or [0], dtype=np.intp)
    padded = np.asarray(allowed or [""], dtype=array.dtype)
    table = padded.view(np.uint32).reshape(len(padded), width)
    positions = _text_key_positions(table) if allowed else None
    n = len(array)
    if positions is None:
        matched = np.zeros(n, dtype=bool)
        cells = np.zeros(n, dtype=np.intp)
    else:
        p, q = positions
        rows = np.ascontiguousarray(array).view(np.uint32).reshape(n, width)
        if p == q:  # one position: a look-up table from code point to candidate
            lut = np.zeros(int(table[:, p].max()) + 1, dtype=np.intp)
            lut[table[:, p]] = np.arange(len(allowed))
            points = rows[:, p]
            candidate = lut[np.minimum(points, len(lut) - 1)]
        else:
            keys = (rows[:, p].astype(np.uint64) << np.uint64(32)) | rows[:, q]
            own = (table[:, p].astype(np.uint64) << np.uint64(32)) | table[:, q]
            order = np.argsort(own)
            candidate = order[np.minimum(np.searchsorted(own[order], keys), len(own) - 1)]
        # The key only proposes a value; the whole text must equal it.
        matched = array == padded[candidate]
        cells = cells_of[candidate]
    if not matched.all():
        validate = rs.field_validator(name)
        fallback = _first_valid_cell(dim)
        for i in np.flatnonzero(~matched).tolist():
            value = str(array[i])
            try:
                cells[i] = dim.cell_of(validate(value))
            except StateError as error:
                bad.setdefault(i, error)
                cells[i] = fallback
    return cells


def _cells_by_distinct(
    rs: RuleSet, dim: Any, name: str, items: list[Any], bad: dict[int, GistpathError]
) -> npt.NDArray[np.intp] | None:
    """Cells found by validating each distinct value once; ``None`` where that is unsafe.

    Values that compare equal share a dictionary key, so this is only done when they are
    also the same value: text, plus at most one other type (``1`` and ``True``, or ``1``
    and ``1.0``, never meet here). Unhashable items go value by value.
    """
    others = {t for t in map(type, items) if t is not str}
    if len(others) > 1:
        return None
    try:
        distinct = set(items)
    except TypeError:
        return None
    validate = rs.field_validator(name)
    table: dict[object, int] = {}
    errors: dict[object, StateError] = {}
    for value in distinct:
        try:
            table[value] = dim.cell_of(validate(value))
        except StateError as error:
            table[value] = -1
            errors[value] = error
    cells = np.fromiter(map(table.__getitem__, items), dtype=np.intp, count=len(items))
    if errors:
        for i in np.flatnonzero(cells < 0).tolist():
            # A bad row's error names its own value: equal values may still differ in what
            # the message shows (0.0 and -0.0), so it is validated again on its own.
            try:
                validate(items[i])
            except StateError as error:
                bad.setdefault(i, error)
            else:  # pragma: no cover - equal values validate alike
                bad.setdefault(i, errors[items[i]])
        cells[cells < 0] = _first_valid_cell(dim)
    return cells


def _cells_one_by_one(
    rs: RuleSet, dim: Any, name: str, array: npt.NDArray[Any], bad: dict[int, GistpathError]
) -> npt.NDArray[np.intp]:
    """Cells through the field's validator: once per distinct value where that is safe,
    else value by value (unhashable items, or numbers of several types)."""
    items = _elements(array)
    quick = _cells_by_distinct(rs, dim, name, items, bad)
    if quick is not None:
        return quick
    validate = rs.field_validator(name)
    fallback = _first_valid_cell(dim)
    cells = np.empty(len(items), dtype=np.intp)
    for i, value in enumerate(items):
        try:
            ok = validate(value)
        except StateError as error:
            bad.setdefault(i, error)
            cells[i] = fallback
            continue
        cells[i] = dim.cell_of(ok)
    return cells


def _cells_lookup(
    rs: RuleSet, name: str, array: Column, bad: dict[int, GistpathError], *, compiled: bool = True
) -> Cells:
    dim, done, array = _cells_start(rs, name, array, bad, compiled)
    if done is not None:
        return done
    if isinstance(array, (list, tuple)):
        array = _list_to_array(array)
    if array.dtype.kind == "b" and dim.kind == "boolean":
        return array.astype(np.intp)  # False is cell 0, True cell 1
    if array.dtype.kind == "U" and array.dtype.itemsize and len(array):
        return _cells_text(rs, dim, name, array, bad)
    return _cells_one_by_one(rs, dim, name, array, bad)


# --------------------------------------------------------------------------- bit sets as words


def _words(sets: Sequence[int], nwords: int) -> npt.NDArray[np.uint64]:
    out = np.zeros((len(sets), nwords), dtype=np.uint64)
    for row, value in enumerate(sets):
        for w in range(nwords):
            out[row, w] = (value >> (64 * w)) & 0xFFFFFFFFFFFFFFFF
    return out


def _mask_words(mask: int, nwords: int) -> npt.NDArray[np.uint64]:
    words: npt.NDArray[np.uint64] = _words([mask], nwords)[0]
    return words


def _lowest_bit(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Index of the lowest set bit per row (-1 where none)."""
    n, nwords = words.shape
    out = np.full(n, -1, dtype=np.int64)
    for w in range(nwords):
        col = words[:, w]
        todo = (out < 0) & (col != 0)
        if not todo.any():
            continue
        vals = col[todo]
        low = vals & (~vals + np.uint64(1))
        _, exp = np.frexp(low.astype(np.float64))
        out[todo] = exp.astype(np.int64) - 1 + 64 * w
    return out


@attrs.frozen
class _WordTables:
    cell_words: tuple[npt.NDArray[np.uint64], ...]
    rule_words: npt.NDArray[np.uint64]
    constraint_words: npt.NDArray[np.uint64]
    consideration_words: tuple[npt.NDArray[np.uint64], ...]
    rule_box_words: npt.NDArray[np.uint64]  # per rule: its boxes
    box_rule: npt.NDArray[np.int64]
    nwords: int


def _word_tables(rs: RuleSet) -> _WordTables:
    cached = rs.memo.get("word_tables")
    if isinstance(cached, _WordTables):
        return cached
    tables = rs.tables
    nwords = max(1, math.ceil(tables.box_count / 64))
    box_rule = np.full(max(tables.box_count, 1), -1, dtype=np.int64)
    per_rule = [0] * len(rs.rules)
    for box, rule in tables.rule_of_box.items():
        box_rule[box] = rule
        per_rule[rule] |= 1 << box
    consideration_words = []
    for index in range(len(rs.considerations)):
        mask = 0
        for box, owner in tables.consideration_of_box.items():
            if owner == index:
                mask |= 1 << box
        consideration_words.append(_mask_words(mask, nwords))
    built = _WordTables(
        cell_words=tuple(_words(sets, nwords) for sets in tables.cell_sets),
        rule_words=_mask_words(tables.rule_mask, nwords),
        constraint_words=_mask_words(tables.constraint_mask, nwords),
        consideration_words=tuple(consideration_words),
        rule_box_words=_words(per_rule, nwords),
        box_rule=box_rule,
        nwords=nwords,
    )
    rs.memo["word_tables"] = built
    return built


# --------------------------------------------------------------------------- rules only

#: Most cells in one joint table of several inputs (see :class:`_RuleKernel`).
JOINT_CELLS = 4096
#: Most entries in one folding table; past that the bit-set path is used.
FOLD_ENTRIES = 1 << 21

NO_RULE, SEVERAL_RULES, BROKEN = -1, -2, -3


@attrs.frozen
class _RuleKernel:
    """The pathway-only tables: a few small-integer look-ups per row, no bit operations.

    Only the boxes of rules and of broken constraints matter for the pathway. Inputs are
    grouped (at most :data:`JOINT_CELLS` combinations of cells per group); for every
    combination the AND of its cells' bit sets is computed once, and the distinct results
    are numbered: a group's table maps a row's combination to a *class*. Classes of the
    groups are then folded pairwise through tables of the distinct ANDs, and the last
    class names the outcome: a rule, no rule, several rules (drafts) or a broken
    constraint. All of it is precomputed from the predicate tables, so a row costs one
    look-up per group and per fold.
    """

    groups: tuple[tuple[int, ...], ...]  # input dimensions of each group
    strides: tuple[tuple[int, ...], ...]  # their mixed-radix weights
    classes: tuple[npt.NDArray[np.intp], ...]  # per group: combination -> class
    folds: tuple[tuple[npt.NDArray[np.intp], int], ...]  # (flat table, width) per fold
    outcome: npt.NDArray[np.int64]  # last class -> rule index or NO_RULE/SEVERAL/BROKEN
    # With considerations: last class -> the ids of the considerations that apply (in file
    # order; () where no rule fired). The classes then tell the consideration boxes apart
    # too, so there are more of them.
    considered: tuple[tuple[str, ...], ...] | None = None

    @classmethod
    def build(cls, rs: RuleSet, considerations: bool = False) -> _RuleKernel | None:
        tables = rs.tables
        sizes = [d.size for d in rs.compiled.space.dimensions[:-1]]
        if not sizes:
            return None
        relevant = tables.rule_mask | tables.constraint_mask
        if considerations:
            relevant |= tables.consideration_mask
        groups: list[list[int]] = []
        for d, size in enumerate(sizes):
            if groups and math.prod(sizes[g] for g in groups[-1]) * size <= JOINT_CELLS:
                groups[-1].append(d)
            else:
                groups.append([d])
        group_classes: list[npt.NDArray[np.intp]] = []
        group_values: list[list[int]] = []
        strides = []
        for group in groups:
            combos = [relevant]
            for d in group:  # the last input of the group varies fastest
                combos = [a & s for a in combos for s in tables.cell_sets[d]]
            ids: dict[int, int] = {}
            group_classes.append(
                np.fromiter((ids.setdefault(c, len(ids)) for c in combos), np.intp, len(combos))
            )
            group_values.append(list(ids))
            strides.append(
                tuple(math.prod(sizes[e] for e in group[i + 1 :]) for i in range(len(group)))
            )
        folds = []
        values = group_values[0]
        for right in group_values[1:]:
            if len(values) * len(right) > FOLD_ENTRIES:
                return None
            ids = {}
            flat = np.fromiter(
                (ids.setdefault(a & b, len(ids)) for a in values for b in right),
                np.intp,
                len(values) * len(right),
            )
            folds.append((flat, len(right)))
            values = list(ids)
        outcome = np.fromiter((_outcome(rs, v) for v in values), np.int64, len(values))
        considered = None
        if considerations:
            considered = tuple(
                _considered(rs, v, int(rule)) for v, rule in zip(values, outcome, strict=True)
            )
        return cls(
            groups=tuple(tuple(g) for g in groups),
            strides=tuple(strides),
            classes=tuple(group_classes),
            folds=tuple(folds),
            outcome=outcome,
            considered=considered,
        )

    def rules(self, cells: Sequence[npt.NDArray[np.intp]]) -> npt.NDArray[np.int64]:
        """Per row: the rule index, or NO_RULE, SEVERAL_RULES (a draft), BROKEN."""
        found: list[npt.NDArray[np.intp]] = []
        for group, weights, classes in zip(self.groups, self.strides, self.classes, strict=True):
            index = cells[group[-1]]
            for d, weight in zip(group[:-1], weights[:-1], strict=True):
                index = index + cells[d] * weight
            found.append(classes[index])
        current = found[0]
        for (flat, width), right in zip(self.folds, found[1:], strict=True):
            current = flat[current * width + right]
        out: npt.NDArray[np.int64] = self.outcome[current]
        return out


def _outcome(rs: RuleSet, boxes: int) -> int:
    """What a state in exactly these (rule and constraint) boxes gets."""
    tables = rs.tables
    if boxes & tables.constraint_mask:
        return BROKEN
    found = {tables.rule_of_box[b] for b in bits(boxes & tables.rule_mask)}
    if not found:
        return NO_RULE
    return found.pop() if len(found) == 1 else SEVERAL_RULES


def _considered(rs: RuleSet, boxes: int, rule: int) -> tuple[str, ...]:
    """The considerations that apply to a state in exactly these boxes, given its rule."""
    if rule < 0:
        return ()
    tables = rs.tables
    pathways = rs.compiled.space.dimensions[-1].values
    pathway_boxes = tables.cell_sets[-1][pathways.index(rs.rules[rule].pathway)]
    hits = {
        tables.consideration_of_box[b]
        for b in bits(boxes & pathway_boxes & tables.consideration_mask)
    }
    names = list(rs.considerations)
    return tuple(names[c] for c in sorted(hits))


def _rule_kernel(rs: RuleSet, considerations: bool = False) -> _RuleKernel | None:
    key = "rule_kernel_considerations" if considerations else "rule_kernel"
    if key in rs.memo:
        cached = rs.memo[key]
        return cached if isinstance(cached, _RuleKernel) else None
    built = _RuleKernel.build(rs, considerations)
    rs.memo[key] = built
    return built


# --------------------------------------------------------------------------- compiled kernel

# Set to False (tests do) to run everything through the numpy code above.
USE_COMPILED = True

# A column whose values the compiled kernel leaves to the validators more often than this
# goes through the numpy path instead, which validates each distinct value once.
_FIXUPS = 256

_kernel_module: ModuleType | bool | None = None  # None: not looked for yet


def _compiled() -> ModuleType | None:
    """``gistpath._kernel`` (the C loops), or ``None`` where it was not built or is off."""
    global _kernel_module
    if not USE_COMPILED:
        return None
    if _kernel_module is None:
        try:
            from gistpath import _kernel
        except ImportError:
            _kernel_module = False
        else:
            _kernel_module = _kernel
    return _kernel_module if isinstance(_kernel_module, ModuleType) else None


def _number_spec(rs: RuleSet, dim: Any) -> tuple[Any, ...] | None:
    """The arguments after ``out`` of ``_kernel.numbers`` for a numeric input, or ``None``."""
    key = "kernel_number:" + dim.name
    if key in rs.memo:
        return rs.memo[key]  # type: ignore[return-value]
    domain = rs.inputs[dim.name].domain
    assert isinstance(domain, NumericDomain)
    low, high = domain.low, domain.high
    bounds = [b.value for b in (low, high) if b is not None]
    spec: tuple[Any, ...] | None = None
    if all(_exact_float(t) for t in (*dim.thresholds, *bounds)):
        flags = int(domain.integer)
        # A bound that is a threshold needs no check of its own: the cells beyond it are
        # not valid ones.
        if low is not None and low.value not in dim.thresholds:
            flags |= 2 | (4 if low.inclusive else 0)
        if high is not None and high.value not in dim.thresholds:
            flags |= 8 | (16 if high.inclusive else 0)
        spec = (
            np.asarray(dim.thresholds, dtype=np.float64).tobytes(),
            bytes(dim.valid >> c & 1 for c in range(dim.size)),
            float(low.value) if low is not None else 0.0,
            float(high.value) if high is not None else 0.0,
            flags,
            "unknown" if dim.allows_unknown else None,
            dim.unknown_cell if dim.allows_unknown else -1,
        )
    rs.memo[key] = spec
    return spec


def _lookup_spec(rs: RuleSet, dim: Any) -> tuple[dict[str, int], int, int]:
    """The arguments after ``out`` of ``_kernel.lookup`` for a choice or boolean input."""
    key = "kernel_lookup:" + dim.name
    if key not in rs.memo:
        table: dict[str, int] = {}
        cell_false = cell_true = -1
        for c, value in enumerate(dim.values):
            if not dim.valid >> c & 1:
                continue
            if value is False:
                cell_false = c
            elif value is True:
                cell_true = c
            elif type(value) is str:
                # Interned, so that a column of interned texts (literals in Python code,
                # sys.intern'ed values) is matched by identity, without comparing text.
                table[sys.intern(value)] = c
        rs.memo[key] = (table, cell_false, cell_true)
    return rs.memo[key]  # type: ignore[return-value]


def _text_spec(rs: RuleSet, dim: Any, width: int) -> tuple[Any, ...] | None:
    """The arguments after ``out`` of ``_kernel.text`` for ``<U{width}`` columns."""
    key = f"kernel_text:{dim.name}:{width}"
    if key in rs.memo:
        return rs.memo[key]  # type: ignore[return-value]
    allowed = [v for c, v in enumerate(dim.values) if type(v) is str and dim.valid >> c & 1]
    allowed = [v for v in allowed if len(v) <= width]  # longer ones cannot be in the column
    spec: tuple[Any, ...] | None = None
    if allowed:
        padded = np.asarray(allowed, dtype=f"<U{width}")
        table = padded.view(np.uint32).reshape(len(allowed), width)
        found = _text_slots(table)
        if found is not None:
            p, q, size = found
            slots = (31 * table[:, p].astype(np.int64) + table[:, q]) & (size - 1)
            lut = np.full(size, -1, dtype=np.int32)
            lut[slots] = np.arange(len(allowed), dtype=np.int32)
            cells_of = np.asarray([dim.values.index(v) for v in allowed], dtype=np.int32)
            spec = (table.tobytes(), cells_of.tobytes(), p, q, lut.tobytes())
    rs.memo[key] = spec
    return spec


def _category_cells(rs: RuleSet, dim: Any, categories: Sequence[object]) -> bytes:
    """The cell of each category (int32 bytes), ``-1`` for one the validator refuses."""
    validate = rs.field_validator(dim.name)
    cells = np.full(len(categories), -1, dtype=np.int32)
    for code, value in enumerate(categories):
        # A refused category stays -1: its rows get their error from the validator.
        with contextlib.suppress(StateError):
            cells[code] = dim.cell_of(validate(value))
    return cells.tobytes()


_WORD = (1 << 64) - 1
_UTF8_SLOTS = 4096


def _utf8_words(text: bytes) -> tuple[int, int]:
    """A text as ``_kernel.utf8`` reads it (up to 16 bytes): two little-endian words, its
    first 8 bytes and its last 8 (zeros past its end; 0 when it is shorter than 8)."""
    first = int.from_bytes(text[:8].ljust(8, b"\0"), "little")
    return first, int.from_bytes(text[-8:], "little") if len(text) >= 8 else 0


def _utf8_slot(words: tuple[int, int], length: int, salt: int) -> int:
    """``utf8_slot`` of ``_kernel.c``, in Python: where a text's words hash to."""
    a, b = words
    mixed = a ^ ((b * 0x9E3779B97F4A7C15) & _WORD) ^ length ^ salt
    return ((mixed * 0xC2B2AE3D27D4EB4F) & _WORD) >> 52


def _utf8_slots(heads: list[tuple[int, int]], lengths: list[int]) -> tuple[bytes, int]:
    """A salt under which the allowed texts of up to 16 bytes all hash to different slots,
    and the slot table (int32 bytes: text index or -1). An empty table (no salt works)
    sends every text to the comparison by length."""
    for salt in range(256):
        slots = np.full(_UTF8_SLOTS, -1, dtype=np.int32)
        for j, (words, length) in enumerate(zip(heads, lengths, strict=True)):
            if length > 16:
                continue
            at = _utf8_slot(words, length, salt)
            if slots[at] >= 0:
                break
            slots[at] = j
        else:
            return slots.tobytes(), salt
    return b"", 0


def _utf8_spec(rs: RuleSet, dim: Any) -> tuple[Any, ...]:
    """The arguments after ``out`` of ``_kernel.utf8``: the allowed texts by length."""
    key = "kernel_utf8:" + dim.name
    if key not in rs.memo:
        table = _lookup_spec(rs, dim)[0]
        texts = sorted(table, key=lambda t: len(t.encode("utf-8")))
        encoded = [t.encode("utf-8") for t in texts]
        bounds = np.cumsum([0, *map(len, encoded)], dtype=np.int64)
        longest = max(map(len, encoded), default=0)
        lengths = np.asarray([len(e) for e in encoded], dtype=np.int64)
        by_length = np.searchsorted(lengths, np.arange(longest + 2), side="left")
        heads = [_utf8_words(e) for e in encoded]
        slots, salt = _utf8_slots(heads, [len(e) for e in encoded])
        rs.memo[key] = (
            b"".join(encoded),
            bounds.tobytes(),
            by_length.astype(np.int32).tobytes(),
            np.asarray([table[t] for t in texts], dtype=np.int32).tobytes(),
            np.asarray(heads or [(0, 0)], dtype=np.uint64).tobytes(),
            slots,
            salt,
        )
    return rs.memo[key]  # type: ignore[return-value]


def _text_slots(table: npt.NDArray[np.uint32]) -> tuple[int, int, int] | None:
    """Positions ``p <= q`` and a table size under which the texts' slots all differ."""
    k, width = table.shape
    columns = table.astype(np.int64)
    for size in (64, 256, 1024, 4096):
        if size < 2 * k:
            continue
        for p in range(width):
            for q in range(p, width):
                slots = (31 * columns[:, p] + columns[:, q]) & (size - 1)
                if len(np.unique(slots)) == k:
                    return p, q, size
    return None


Reader: TypeAlias = "Callable[[int, npt.NDArray[np.int32]], int]"


def _reader(rs: RuleSet, dim: Any, column: object) -> Reader | None:
    """A function that fills ``out`` with the cells of rows ``start ..`` of ``column`` through
    the C loops and says how many it left at -1; ``None`` when they cannot read it."""
    kernel = _compiled()
    if kernel is None or type(column) not in (list, tuple, np.ndarray, _Coded, _Utf8):
        return None  # subclasses (numpy's masked arrays, say) mean more than their buffer
    reader: Reader
    if isinstance(column, _Coded):
        coded = column
        table = _category_cells(rs, dim, coded.categories)

        def reader(start: int, out: npt.NDArray[np.int32]) -> int:
            return int(kernel.codes(coded.codes, start, out, table))

    elif isinstance(column, _Utf8):
        utf8 = column
        allowed = _utf8_spec(rs, dim)

        def reader(start: int, out: npt.NDArray[np.int32]) -> int:
            return int(kernel.utf8(utf8.offsets, utf8.data, start, out, *allowed))

    elif isinstance(column, np.ndarray) and column.dtype.kind == "U":
        width = column.dtype.itemsize // 4
        text = _text_spec(rs, dim, width) if width else None
        if text is None:
            return None
        codes = np.ascontiguousarray(column).view(np.uint32)

        def reader(start: int, out: npt.NDArray[np.int32]) -> int:
            return int(kernel.text(codes, width, start, out, *text))

    elif dim.kind == "numeric":
        number = _number_spec(rs, dim)
        if number is None:
            return None

        def reader(start: int, out: npt.NDArray[np.int32]) -> int:
            return int(kernel.numbers(column, start, out, *number))

    else:
        lookup = _lookup_spec(rs, dim)

        def reader(start: int, out: npt.NDArray[np.int32]) -> int:
            return int(kernel.lookup(column, start, out, *lookup))

    if reader(0, np.empty(0, dtype=np.int32)) == -2:  # a buffer of a kind C does not read
        return None
    return reader


def _object_job(rs: RuleSet, dim: Any, column: object) -> tuple[Any, ...] | None:
    """``(kind, spec)`` of a ``_kernel.objects`` job when ``column`` holds Python objects
    (a list, a tuple, an object array) that the C loops read; else ``None``."""
    if not (
        type(column) in (list, tuple)
        or (type(column) is np.ndarray and column.dtype == object and column.ndim == 1)
    ):
        return None
    if dim.kind == "numeric":
        number = _number_spec(rs, dim)
        return None if number is None else (0, number)
    return (1, _lookup_spec(rs, dim))


def _read_rows(
    rs: RuleSet,
    dim: Any,
    column: Any,
    reader: Reader,
    start: int,
    out: npt.NDArray[np.int32],
    bad: dict[int, GistpathError],
    missing: int | None = None,
) -> None:
    """Cells of rows ``start .. start + len(out)``: the C loops, then the validators.

    The values the loops leave (-1) are validated one by one for their cell or their error;
    when they are many, the rows go through the numpy path instead, which validates each
    distinct value once. ``missing``: the loops have already run (``_kernel.objects``) and
    left this many.
    """
    if missing is None:
        missing = reader(start, out)
    if not missing:
        return
    stop = start + len(out)
    if missing > _FIXUPS:
        found: dict[int, GistpathError] = {}
        part = column[start:stop]
        if dim.kind == "numeric":
            out[:] = _cells_numeric(rs, dim.name, part, found, compiled=False)
        else:
            out[:] = _cells_lookup(rs, dim.name, part, found, compiled=False)
        for i, error in found.items():
            bad.setdefault(start + i, error)
        return
    validate = rs.field_validator(dim.name)
    fallback = _first_valid_cell(dim)
    array = isinstance(column, np.ndarray)
    for i in np.flatnonzero(out < 0).tolist():
        j = start + i
        # A numpy item as the numpy path sees it (3.5, not np.float64(3.5)), so that an
        # error reads the same whichever path found it.
        value = _elements(column[j : j + 1])[0] if array else column[j]
        try:
            out[i] = dim.cell_of(validate(value))
        except StateError as error:
            bad.setdefault(start + i, error)
            out[i] = fallback


def _compiled_cells(
    rs: RuleSet, dim: Any, column: Any, bad: dict[int, GistpathError]
) -> npt.NDArray[np.int32] | None:
    """A whole column's cells through the C loops, or ``None`` to take the numpy path."""
    reader = _reader(rs, dim, column)
    if reader is None:
        return None
    out = np.empty(len(column), dtype=np.int32)
    _read_rows(rs, dim, column, reader, 0, out, bad)
    return out


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


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _bytes_are_cells(rs: RuleSet, dim: Any, column: object) -> bool:
    """Is this a numpy boolean column whose bytes are its cells (False 0, True 1)?"""
    return (
        type(column) is np.ndarray
        and column.dtype == np.bool_
        and column.flags.c_contiguous
        and _lookup_spec(rs, dim)[1:] == (0, 1)
        # numpy reads any nonzero byte as True (a view of other bytes makes such arrays)
        and not bool((column.view(np.uint8) > 1).any())
    )


def _gil_free(column: object) -> bool:
    """Do the C loops read this column without holding the GIL (no Python objects)?"""
    if isinstance(column, np.ndarray):
        return bool(column.dtype != object)
    return isinstance(column, (_Coded, _Utf8))


def _fold_compiled(
    rs: RuleSet,
    kernel: _RuleKernel,
    columns: Mapping[str, Any],
    n: int,
    bad: dict[int, GistpathError],
    threads: int | None,
) -> npt.NDArray[np.int64]:
    """Every row's rule index (or NO_RULE, SEVERAL_RULES, BROKEN) through the C loops.

    Block by block: each column's cells of the block into a small buffer that stays in the
    core's cache, then the fold of those cells into rule indices. Columns the C loops cannot
    read (categoricals, odd dtypes) are turned into cells whole, by the numpy path, first.
    ``threads`` (default: the cores this process may use) share the work in one of two ways.
    When most columns are buffers, whole blocks are shared among Python threads: the C loops
    over buffers release the GIL, so they run side by side. When most columns hold Python
    objects (lists, object arrays), which only a thread holding the GIL may read, one
    thread goes through the blocks and ``_kernel.objects`` shares each block's object
    columns among helper threads that read for it while it holds the GIL.
    """
    compiled = _compiled()
    assert compiled is not None
    dims = rs.compiled.space.dimensions[:-1]
    plan: list[tuple[Any, Any, Reader, tuple[Any, ...] | None] | npt.NDArray[Any]] = []
    # Each input's refused rows apart, merged in declaration order at the end: a row bad in
    # two fields is reported for the first, as evaluate reports it, whatever order the
    # columns were read in.
    refused: list[dict[int, GistpathError]] = [{} for _ in dims]
    for d, dim in enumerate(dims):
        column = columns[dim.name]
        if _bytes_are_cells(rs, dim, column):
            plan.append(column.view(np.uint8))  # the fold reads the bytes as cells
            continue
        reader = _reader(rs, dim, column)
        if reader is not None:
            plan.append((dim, column, reader, _object_job(rs, dim, column)))
            continue
        if dim.kind == "numeric":
            cells = _cells_numeric(rs, dim.name, column, refused[d], compiled=False)
        else:
            cells = _cells_lookup(rs, dim.name, column, refused[d], compiled=False)
        plan.append(np.ascontiguousarray(cells, dtype=np.int32))
    groups, classes, folds, outcome = _fold_args(rs, kernel)
    rule_code = np.empty(n, dtype=np.int64)
    cores = _available_cores() if threads is None else threads
    # Python threads pay off when most columns are read without the GIL (buffers); lists
    # and object arrays are read under it, and Python threads would only take turns.
    free = sum(1 for item in plan if isinstance(item, np.ndarray) or _gil_free(item[1]))
    count = cores if n >= THREADED_ROWS and 2 * free >= len(plan) else 1
    helpers = cores if count == 1 and n >= 2 * OBJECT_BLOCK else 1
    size = THREAD_BLOCK if count > 1 else OBJECT_BLOCK if helpers > 1 else KERNEL_BLOCK
    starts = range(0, n, size)
    count = max(1, min(count, len(starts)))
    # helpers are started per block: ROWS_PER_HELPER rows apiece at least (and no more than
    # _kernel.objects' 64), or starting them would cost more than they save
    helpers = max(1, min(helpers, size // ROWS_PER_HELPER, 64))

    def work(first: int, step: int) -> None:
        scratch = np.empty((len(plan), min(n, size)), dtype=np.int32)
        for start in starts[first::step]:
            stop = min(n, start + size)
            jobs = [
                (item[3][0], item[1], start, scratch[d, : stop - start], *item[3][1])
                for d, item in enumerate(plan)
                if not isinstance(item, np.ndarray) and item[3] is not None
            ]
            left = iter(compiled.objects(jobs, helpers) if jobs else ())
            block: list[npt.NDArray[np.int32]] = []
            for d, item in enumerate(plan):
                if isinstance(item, np.ndarray):
                    block.append(item[start:stop])
                    continue
                out = scratch[d, : stop - start]
                missing = next(left) if item[3] is not None else None
                _read_rows(rs, item[0], item[1], item[2], start, out, refused[d], missing)
                block.append(out)
            compiled.fold(block, groups, classes, folds, outcome, rule_code[start:stop])

    if count == 1:
        work(0, 1)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(count, thread_name_prefix="gistpath") as pool:
            for done in [pool.submit(work, t, count) for t in range(count)]:
                done.result()
    for found in refused:  # rows already bad (their shape) keep their error
        for i, error in found.items():
            bad.setdefault(i, error)
    return rule_code


def _fold_args(rs: RuleSet, kernel: _RuleKernel) -> tuple[Any, ...]:
    """``_kernel.fold``'s tables for a rule kernel (groups, classes, folds, outcome).

    With considerations, the outcome is the last class itself (the caller looks up its
    rule and its considerations)."""
    key = "kernel_fold" if kernel.considered is None else "kernel_fold_considerations"
    if key not in rs.memo:
        sizes = [d.size for d in rs.compiled.space.dimensions[:-1]]
        outcome = kernel.outcome if kernel.considered is None else np.arange(len(kernel.outcome))
        rs.memo[key] = (
            [
                [(d, w, sizes[d]) for d, w in zip(g, ws, strict=True)]
                for g, ws in zip(kernel.groups, kernel.strides, strict=True)
            ],
            [np.ascontiguousarray(c, dtype=np.int32) for c in kernel.classes],
            [(np.ascontiguousarray(f, dtype=np.int32), w) for f, w in kernel.folds],
            np.ascontiguousarray(outcome, dtype=np.int32),
        )
    return rs.memo[key]  # type: ignore[return-value]


# --------------------------------------------------------------------------- entry point


def evaluate_batch(
    rs: RuleSet,
    states: Iterable[Mapping[str, object]] | Mapping[str, Sequence[object]] | Any,
    *,
    considerations: bool = False,
    errors: str = "raise",
    threads: int | None = None,
) -> BatchResult:
    if errors not in ("raise", "collect"):
        raise ValueError("errors must be 'raise' or 'collect'")
    if threads is not None and (type(threads) is not int or threads < 1):
        raise ValueError("threads must be a positive int, or None for every core")
    columns, n, bad = _columns(rs, states)
    space = rs.compiled.space
    pathway_ids = space.dimensions[-1].values
    rule_pathway = np.asarray(
        [pathway_ids.index(r.pathway) for r in rs.rules] or [0], dtype=np.int64
    )
    # The C fold decides the pathway (and, with its own tables, the considerations); numpy
    # decides the pathway through the same kernel, and considerations through bit sets.
    can_compile = n > 0 and _compiled() is not None
    kernel = _rule_kernel(rs, considerations) if can_compile or not considerations else None
    compiled = kernel is not None and can_compile
    class_code: npt.NDArray[np.int64] | None = None
    cells: list[Cells] = []
    if kernel is not None and compiled:
        folded = _fold_compiled(rs, kernel, columns, n, bad, threads)
        if kernel.considered is None:
            rule_code = folded
        else:  # the fold gave each row's last class: its rule, and its considerations
            class_code = folded
            rule_code = kernel.outcome[folded]
    else:
        rule_code = np.empty(n, dtype=np.int64)
        for dim in space.dimensions[:-1]:
            if dim.kind == "numeric":
                cells.append(_cells_numeric(rs, dim.name, columns[dim.name], bad))
            else:
                cells.append(_cells_lookup(rs, dim.name, columns[dim.name], bad))
    words = _word_tables(rs)
    consideration_flags = (
        np.zeros((n, len(rs.considerations)), dtype=bool)
        if considerations and class_code is None
        else None
    )
    verified = rs.verify().ok
    for start in range(0, 0 if compiled else n, BLOCK):
        stop = min(n, start + BLOCK)
        if kernel is not None:
            rule_code[start:stop] = kernel.rules([c[start:stop] for c in cells])
            continue
        if cells:
            acc = words.cell_words[0][cells[0][start:stop]]
            for d in range(1, len(cells)):
                acc &= words.cell_words[d][cells[d][start:stop]]
        else:  # a rule set without inputs: every box holds every (empty) state
            acc = np.tile(
                _mask_words((1 << rs.tables.box_count) - 1, words.nwords), (stop - start, 1)
            )
        broken = (acc & words.constraint_words).any(axis=1)
        fired = acc & words.rule_words
        low = _lowest_bit(fired)
        rules = np.where(low >= 0, words.box_rule[np.maximum(low, 0)], -1)
        if not verified:
            # A draft may leave a state with no rule or with two: find those.
            others = fired & ~words.rule_box_words[np.maximum(rules, 0)]
            overlap = others.any(axis=1) & (rules >= 0)
            rules = np.where(overlap, -2, rules)
        rules = np.where(broken, -3, rules)
        rule_code[start:stop] = rules
        if consideration_flags is not None and len(rs.considerations):
            pcells = np.where(rules >= 0, rule_pathway[np.maximum(rules, 0)], 0)
            with_pathway = acc & words.cell_words[-1][pcells]
            for c, cw in enumerate(words.consideration_words):
                consideration_flags[start:stop, c] = (with_pathway & cw).any(axis=1)
    # Rows the tables flagged but the field checks did not: constraints and draft problems.
    for i in np.flatnonzero(rule_code < 0).tolist():
        if i in bad:
            continue
        row = {name: _item(columns[name], i) for name in rs.inputs}
        try:
            rs.evaluate(row)
        except (StateError, EvaluationError) as error:
            bad[i] = error
        else:  # pragma: no cover - the two paths share their tables
            raise AssertionError(f"row {i}: the batch and single paths disagree")
    # Every bad row gets code -1 (its cells may have been a placeholder's).
    if bad:
        rule_code[np.fromiter(bad, dtype=np.intp, count=len(bad))] = -1
    cons: tuple[tuple[str, ...] | None, ...] | None = None
    if class_code is not None and kernel is not None and kernel.considered is not None:
        by_class = np.empty(len(kernel.considered) + 1, dtype=object)
        by_class[:-1] = kernel.considered  # one tuple per class, shared between its rows
        by_class[-1] = None  # a bad row
        cons = tuple(by_class[np.where(rule_code >= 0, class_code, -1)].tolist())
    elif consideration_flags is not None:
        names = tuple(rs.considerations)
        # One tuple per distinct combination of considerations, shared between rows.
        combos: dict[bytes, tuple[str, ...]] = {}
        out: list[tuple[str, ...] | None] = []
        for i, flags in enumerate(consideration_flags):
            if rule_code[i] < 0:
                out.append(None)
                continue
            key = flags.tobytes()
            combo = combos.get(key)
            if combo is None:
                combo = combos[key] = tuple(names[c] for c in np.flatnonzero(flags).tolist())
            out.append(combo)
        cons = tuple(out)
    result = BatchResult(
        rule_code,
        [r.id for r in rs.rules],
        rule_pathway[: len(rs.rules)],
        [str(p) for p in pathway_ids],
        dict(sorted(bad.items())),
        cons,
    )
    if bad and errors == "raise":
        state_errors = {
            i: e if isinstance(e, StateError) else StateError("<state>", None, str(e))
            for i, e in result.errors.items()
        }
        raise BatchError(state_errors, result)
    return result


def _item(column: Any, index: int) -> object:
    value = column[index]
    if isinstance(value, np.generic):
        return value.item()
    return value


# --------------------------------------------------------------------------- engine helpers


def _pandas_module(frame: object) -> Any:
    """The pandas module, already imported by whoever made ``frame`` (never imported here)."""
    module = sys.modules.get("pandas")
    if module is None or _library(frame) != "pandas":
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    return module


def pathway_series(frame: Any, ruleset: RuleSet, *, errors: str = "raise") -> Any:
    """The pathway of each row of a pandas DataFrame, as a Series named ``"pathway"``.

    The Series has the frame's index and ``object`` dtype. ``frame`` holds exactly the
    declared inputs as columns (select them with ``frame[list(ruleset.inputs)]``). With
    ``errors="raise"`` a bad row raises :class:`gistpath.BatchError` (its positions are
    within ``frame``); with ``errors="collect"`` its pathway is ``None`` (use
    :func:`decision_frame` to keep the reasons). Made for engines that work on pandas
    partitions::

        ddf[list(rules.inputs)].map_partitions(
            pathway_series, rules, meta=("pathway", "object")
        )
    """
    pd = _pandas_module(frame)
    result = evaluate_batch(ruleset, frame, errors=errors)
    return pd.Series(list(result.pathways), index=frame.index, name="pathway", dtype=object)


DECISION_COLUMNS = ("pathway", "rule", "considerations", "error")


def decision_frame(frame: Any, ruleset: RuleSet, *, considerations: bool = True) -> Any:
    """A pandas DataFrame of decisions, one row per row of ``frame``, bad rows included.

    Columns: ``pathway`` and ``rule`` (``None`` for a bad row), ``considerations`` (a list
    of ids, or ``None`` for a bad row; left out with ``considerations=False``) and
    ``error`` (the :class:`gistpath.StateError` message of a bad row, else ``None``). The
    index is the frame's. Nothing raises for a bad row: count in is count out, which is
    what ``mapInPandas`` and ``map_partitions`` need.
    """
    pd = _pandas_module(frame)
    result = evaluate_batch(ruleset, frame, considerations=considerations, errors="collect")
    n = len(result)
    data: dict[str, list[object]] = {
        "pathway": list(result.pathways),
        "rule": list(result.rules or (None,) * n),
    }
    if considerations:
        assert result.considerations is not None
        data["considerations"] = [None if c is None else list(c) for c in result.considerations]
    data["error"] = [str(result.errors[i]) if i in result.errors else None for i in range(n)]
    return pd.DataFrame(data, index=frame.index, dtype=object)


class Decider:
    """A picklable function of one pandas DataFrame: the pathways (or decisions) of its rows.

    Engines that run a function per partition in other processes (Dask, Spark) must pickle
    it, and Dask also hashes it to name the task. A :class:`gistpath.RuleSet` pickles as
    its text and is loaded again (verified again) each time it is unpickled; a ``Decider``
    travels as the rule text too, but rebuilds the rule set once per process, on first
    use, and reuses it for every partition there::

        decide = Decider(rules)                           # output="pathway": a Series
        ddf[list(rules.inputs)].map_partitions(decide, meta=decide.meta)

    ``output="decisions"`` gives :func:`decision_frame`'s DataFrame instead (bad rows kept,
    with their error); ``errors`` is passed to :func:`pathway_series`.
    """

    __slots__ = ("_ruleset", "draft", "errors", "name", "output", "text")

    def __init__(self, ruleset: RuleSet, *, output: str = "pathway", errors: str = "raise") -> None:
        if output not in ("pathway", "decisions"):
            raise ValueError("output must be 'pathway' or 'decisions'")
        if errors not in ("raise", "collect"):
            raise ValueError("errors must be 'raise' or 'collect'")
        self._ruleset: RuleSet | None = ruleset
        self.text: str = ruleset.text
        self.name: str = ruleset.model.filename
        self.draft: bool = not ruleset.verify().ok
        self.output = output
        self.errors = errors

    @property
    def digest(self) -> str:
        import hashlib

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def ruleset(self) -> RuleSet:
        if self._ruleset is None:
            from gistpath.loader import rebuild

            self._ruleset = rebuild(self.text, self.name, self.draft)  # once per process
        return self._ruleset

    def __call__(self, frame: Any) -> Any:
        if self.output == "decisions":
            return decision_frame(frame, self.ruleset)
        return pathway_series(frame, self.ruleset, errors=self.errors)

    @property
    def meta(self) -> Any:
        """What Dask's ``meta=`` wants: the empty result (``("pathway", "object")``)."""
        if self.output == "pathway":
            return ("pathway", "object")
        import importlib

        pd = importlib.import_module("pandas")  # asked for by a pandas user
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in DECISION_COLUMNS})

    def __reduce__(self) -> tuple[Any, ...]:
        return (_decider, (self.text, self.name, self.draft, self.output, self.errors))

    def __dask_tokenize__(self) -> tuple[str, ...]:
        return ("gistpath.Decider", self.name, self.digest, self.output, self.errors)

    def __repr__(self) -> str:
        return f"Decider({self.name!r}, output={self.output!r}, errors={self.errors!r})"


def _decider(text: str, name: str, draft: bool, output: str, errors: str) -> Decider:
    """Unpickle a :class:`Decider`: the rule set is rebuilt on first use."""
    decider = Decider.__new__(Decider)
    decider._ruleset = None
    decider.text, decider.name, decider.draft = text, name, draft
    decider.output, decider.errors = output, errors
    return decider

"""Input shapes: whatever a batch is handed in, as one column per input.

Design: a batch arrives as rows (an iterable of mappings), as columns (a mapping of field
name to a list, a tuple, a numpy array, or a pandas, polars or pyarrow column), or as a
whole pandas DataFrame, polars DataFrame or pyarrow Table / RecordBatch. :func:`columns_of`
turns each into one column per declared input (:data:`gistpath.batch.columns.Column`):
lists and tuples stay as they are, numpy arrays too, library columns go through their
adapter (:mod:`gistpath.batch.frames`), and rows are gathered into lists (a row whose shape
is wrong gets its error and a placeholder row in its place).

Nothing is coerced. A float column for an integer input is refused row by row ("not an
integer"), as ``evaluate`` refuses ``numpy.float64(3.0)``; missing values (``None``, NaN,
``<NA>``, null, a masked entry) are refused as the field's value, never dropped or guessed.

Limits: lazy or distributed frames (polars ``LazyFrame``, Dask, Spark) are refused with a
pointer to the per-partition recipe (:func:`refuse_lazy`): this package never triggers
their computation. A mapping of scalars is read as one row, not as columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from gistpath.batch.columns import Coded, Column, Utf8, library, list_to_array, objects
from gistpath.batch.frames import column_array, frame_columns
from gistpath.batch.numpy_path import Refused
from gistpath.batch.plan import BatchPlan
from gistpath.errors import StateError
from gistpath.state import check_shape, state_problems


def refuse_lazy(states: object) -> None:
    """Frames that would have to be computed to be read: point to the per-partition path."""
    kind = library(states)
    if kind == "polars" and not hasattr(states, "get_column"):
        raise TypeError(
            "evaluate_many takes a polars DataFrame, not a lazy frame: collect() it, or "
            "decide per batch with LazyFrame.map_batches"
        )
    if kind == "dask" or hasattr(states, "npartitions"):
        raise TypeError(
            "a Dask DataFrame is decided per partition: "
            "ddf.map_partitions(gistpath.batch.pathway_series, rules, "
            'meta=("pathway", "object")); see docs/dataframes.rst'
        )
    if kind == "pyspark":
        raise TypeError(
            "a Spark DataFrame is decided per batch with mapInPandas; see docs/dataframes.rst"
        )


def columns_of(plan: BatchPlan, states: Any) -> tuple[dict[str, Column], int, Refused]:
    """A batch as columns.

    ``plan``: the rule set's batch plan; ``states``: what ``evaluate_many`` was given.
    Returns the columns by input name, the row count, and the rows refused on the way (a
    row that is not a mapping of exactly the declared fields), by position. Raises
    :class:`StateError` for columns that do not fit the inputs and ``TypeError`` for a lazy
    frame.
    """
    names = list(plan.by_name)
    errors: Refused = {}
    if not isinstance(states, Mapping):
        refuse_lazy(states)
        frame = frame_columns(states)
        if frame is not None:
            given, column, count = frame
            check_column_names(plan, given)
            return {n: as_array(n, column(n)) for n in names}, count, errors
    if (
        isinstance(states, Mapping)
        and states
        and all(_is_column(v) for v in states.values())
        and not _looks_like_state(states)
    ):
        check_column_names(plan, [str(k) for k in states])
        cols = {n: as_array(n, states[n]) for n in names}
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
    placeholder = plan.placeholder()
    validators = {inp.name: inp.validate for inp in plan.inputs}
    for index, row in enumerate(rows):
        try:
            check_shape(row, plan.declared)
        except StateError as error:
            # every problem of the row: its undeclared and missing fields, and bad values
            errors[index] = (
                StateError.of(state_problems(row, plan.declared, validators))
                if isinstance(row, Mapping)
                else error
            )
            row = placeholder
        for n in names:
            row_columns[n].append(row[n])
    return dict(row_columns), len(rows), errors


def _is_column(value: object) -> bool:
    """Anything sized but text, bytes or a mapping: what a column of values can be."""
    return not isinstance(value, (str, bytes, Mapping)) and hasattr(value, "__len__")


def _looks_like_state(mapping: Mapping[str, Any]) -> bool:
    """A single state passed by mistake: its values are scalars, not columns."""
    return all(isinstance(v, (str, bytes, int, float, bool)) for v in mapping.values())


def check_column_names(plan: BatchPlan, given: list[str]) -> None:
    """Refuse columns that are not exactly the declared inputs, once each."""
    declared = list(plan.by_name)
    seen: set[str] = set()
    for name in given:
        if name not in plan.by_name:
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


def as_array(name: str, column: Any) -> Column:
    """One column as a 1-D numpy array whose items mean what the row's values would mean
    (a list or tuple stays as it is: the C loops read it, or the cells make it an array).

    ``name``: the input's name, for the error of a column that is not one.
    """
    array: npt.NDArray[Any] | Coded | Utf8 | None
    if (
        isinstance(column, np.ndarray)
        and library(column) == "numpy"
        and hasattr(column, "mask")
        and column.ndim == 1  # any other shape is refused below, masked or not
    ):
        # numpy.ma: a masked entry is missing. Without any, the data; else the items one
        # by one, where a masked entry is numpy's `masked`, which every validator refuses.
        if not bool(np.asarray(column.mask).any()):
            array = np.asarray(column.data)
        else:
            array = objects(column)
    elif isinstance(column, np.ndarray):
        array = column
    elif isinstance(column, (list, tuple)):
        return column  # as given: read by the C loops, or made an array per column later
    else:
        array = column_array(column)
        if array is None:
            if not _is_column(column):
                raise StateError(name, column, "a column of values", reason="not a column")
            array = list_to_array(column)
    if array.ndim != 1:
        raise StateError(
            name, f"<{array.ndim}-d array>", "a one-dimensional column", reason="not a column"
        )
    return array

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

Id columns (``evaluate_many(..., ids=("patient_id",))``) are fields that identify a row
rather than inputs of the rules: :func:`columns_of` takes them out before the inputs are
checked and gives them back as tuples in row order, values as given (a frame's column
through its library's own ``tolist``/``to_list``/``to_pylist``). A row lacking one is a bad
row (``None`` in that id's tuple); a column shape lacking one is refused as a whole.

Limits: lazy or distributed frames (polars ``LazyFrame``, Dask, Spark) are refused with a
pointer to the per-partition recipe (:func:`refuse_lazy`): this package never triggers
their computation. A mapping of scalars is read as one row, not as columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from gistpath.batch.columns import Coded, Column, Utf8, library, list_to_array, objects
from gistpath.batch.frames import column_array, frame_columns
from gistpath.batch.numpy_path import Refused
from gistpath.batch.plan import BatchPlan
from gistpath.errors import MISSING_FIELD, StateError
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


IdColumns = dict[str, tuple[object, ...]]


def check_ids(plan: BatchPlan, ids: Sequence[str]) -> tuple[str, ...]:
    """The id names, once each and in order; a declared input is refused (as ``--id``)."""
    if isinstance(ids, (str, bytes)):
        raise TypeError(f"ids takes a sequence of field names, such as ({ids!r},)")
    if not isinstance(ids, Iterable):
        raise TypeError(f"ids takes a sequence of field names, not {ids!r}")
    names = tuple(dict.fromkeys(ids))
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"ids takes field names (str), not {name!r}")
        if name in plan.by_name:
            raise StateError(
                name,
                "<id>",
                "an id that is not an input of the rules",
                reason="a declared input of the rule set, not an id to carry through",
            )
    return names


def _id_values(column: Any) -> tuple[object, ...]:
    """An id column's values as given, as a tuple in row order."""
    if hasattr(column, "tolist"):  # numpy and pandas
        return tuple(column.tolist())
    if hasattr(column, "to_list"):  # polars
        return tuple(column.to_list())
    if hasattr(column, "to_pylist"):  # pyarrow
        return tuple(column.to_pylist())
    return tuple(column)


def _missing_id(name: str) -> StateError:
    return StateError(name, None, "the id field named by ids in every row", reason=MISSING_FIELD)


def columns_of(
    plan: BatchPlan, states: Any, ids: Sequence[str] = ()
) -> tuple[dict[str, Column], int, Refused, IdColumns]:
    """A batch as columns.

    ``plan``: the rule set's batch plan; ``states``: what ``evaluate_many`` was given;
    ``ids``: id fields (checked by :func:`check_ids`), taken out of the states.
    Returns the columns by input name, the row count, the rows refused on the way (a
    row that is not a mapping of exactly the declared fields and the ids), by position,
    and each id's values in row order. Raises :class:`StateError` for columns that do not
    fit the inputs and ids, and ``TypeError`` for a lazy frame.
    """
    names = list(plan.by_name)
    errors: Refused = {}
    if not isinstance(states, Mapping):
        refuse_lazy(states)
        frame = frame_columns(states)
        if frame is not None:
            given, column, count = frame
            check_column_names(plan, [g for g in given if g not in ids], ids, given)
            id_columns = {i: _id_values(column(i)) for i in ids}
            return {n: as_array(n, column(n)) for n in names}, count, errors, id_columns
    if (
        isinstance(states, Mapping)
        and states
        and all(_is_column(v) for v in states.values())
        and not _looks_like_state(states)
    ):
        given = [str(k) for k in states]
        check_column_names(plan, [g for g in given if g not in ids], ids, given)
        cols = {n: as_array(n, states[n]) for n in names}
        id_columns = {i: _id_values(states[i]) for i in ids}
        lengths = {len(c) for c in cols.values()} | {len(c) for c in id_columns.values()}
        if len(lengths) > 1:
            raise StateError(
                "<columns>",
                {n: len(c) for n, c in [*cols.items(), *id_columns.items()]},
                "columns of equal length",
                reason="columns differ in length",
            )
        return cols, lengths.pop() if lengths else 0, errors, id_columns
    # rows
    rows = list(states) if not isinstance(states, Mapping) else [states]
    row_columns: dict[str, list[object]] = {n: [] for n in names}
    row_ids: dict[str, list[object]] = {i: [] for i in ids}
    placeholder = plan.placeholder()
    validators = {inp.name: inp.validate for inp in plan.inputs}
    for index, row in enumerate(rows):
        lacking: list[StateError] = []
        if ids and isinstance(row, Mapping):
            for i in ids:
                row_ids[i].append(row.get(i))
                if i not in row:
                    lacking.append(_missing_id(i))
            row = {k: v for k, v in row.items() if k not in row_ids}
        else:
            for i in ids:
                row_ids[i].append(None)
        try:
            check_shape(row, plan.declared)
        except StateError as error:
            # every problem of the row: its undeclared and missing fields, and bad values
            errors[index] = (
                StateError.of([*lacking, *state_problems(row, plan.declared, validators)])
                if isinstance(row, Mapping)
                else error
            )
            row = placeholder
        else:
            if lacking:  # its inputs are whole: their values are judged with the others
                errors[index] = StateError.of(
                    [*lacking, *state_problems(row, plan.declared, validators)]
                )
                row = placeholder
        for n in names:
            row_columns[n].append(row[n])
    return dict(row_columns), len(rows), errors, {i: tuple(v) for i, v in row_ids.items()}


def _is_column(value: object) -> bool:
    """Anything sized but text, bytes or a mapping: what a column of values can be."""
    return not isinstance(value, (str, bytes, Mapping)) and hasattr(value, "__len__")


def _looks_like_state(mapping: Mapping[str, Any]) -> bool:
    """A single state passed by mistake: its values are scalars, not columns."""
    return all(isinstance(v, (str, bytes, int, float, bool)) for v in mapping.values())


def check_column_names(
    plan: BatchPlan, given: list[str], ids: Sequence[str] = (), every: Sequence[str] = ()
) -> None:
    """Refuse columns that are not exactly the declared inputs, once each; and an id (of
    ``ids``) that is not among ``every`` column given."""
    declared = list(plan.by_name)
    for name in ids:
        if name not in every:
            raise StateError(
                name, None, "a column for every id named by ids", reason="missing id column"
            )
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

"""The numpy batch path: many states at once through the same predicate tables.

Design: a batch is turned into one numpy array per input (from rows, a mapping of columns,
or any dataframe-like object with ``columns`` and ``to_numpy``; no dataframe library is ever
imported here). Each column is validated with array operations where its dtype allows, and
value by value with the same validators as :meth:`gistpath.RuleSet.evaluate` where it does
not (object columns, text, mixed ``unknown``). Cells are found with ``searchsorted`` (numbers)
or a lookup of the distinct values (choices). The bit sets of
:class:`gistpath.tables.PredicateTables` are stored as ``uint64`` words, gathered per input
and ANDed; the lowest rule bit names the rule.

Bad rows never stop a batch and are never dropped: they are decided as ``None`` and listed
by index in :attr:`BatchResult.errors`, with the same :class:`gistpath.StateError` a single
evaluation would raise.

Limits: memory is about ``8 * words`` bytes per row per block of :data:`BLOCK` rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

import attrs
import numpy as np
import numpy.typing as npt

from gistpath.errors import BatchError, EvaluationError, GistpathError, StateError
from gistpath.model import NumericDomain
from gistpath.state import UNKNOWN, check_shape

if TYPE_CHECKING:
    from gistpath.runtime import RuleSet

BLOCK = 1 << 16


@attrs.frozen
class BatchResult(Sequence["str | None"]):
    """Pathway ids, one per state (``None`` for a bad row), and the bad rows' errors."""

    pathways: tuple[str | None, ...]
    errors: Mapping[int, GistpathError]
    considerations: tuple[tuple[str, ...] | None, ...] | None = None
    rules: tuple[str | None, ...] | None = None

    def __len__(self) -> int:
        return len(self.pathways)

    @overload
    def __getitem__(self, index: int) -> str | None: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str | None]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self.pathways[index]

    def __iter__(self) -> Iterator[str | None]:
        return iter(self.pathways)

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- input shapes


def _columns(rs: RuleSet, states: Any) -> tuple[dict[str, Any], int, dict[int, GistpathError]]:
    """Columns by input name, the row count, and row errors found while reshaping."""
    names = list(rs.inputs)
    errors: dict[int, GistpathError] = {}
    if hasattr(states, "columns") and not isinstance(states, Mapping):
        frame_columns = [str(c) for c in states.columns]
        _check_column_names(rs, frame_columns)
        if hasattr(states, "column") and not hasattr(states, "loc"):  # pyarrow.Table
            cols = {n: states.column(n).to_numpy(zero_copy_only=False) for n in names}
        else:
            cols = {n: states[n].to_numpy() for n in names}
        return cols, len(states), errors
    if (
        isinstance(states, Mapping)
        and all(not isinstance(v, (str, bytes)) and hasattr(v, "__len__") for v in states.values())
        and states
        and not _looks_like_state(rs, states)
    ):
        _check_column_names(rs, [str(k) for k in states])
        lengths = {len(states[n]) for n in names}
        if len(lengths) > 1:
            raise StateError(
                "<columns>",
                {n: len(states[n]) for n in names},
                "columns of equal length",
                reason="columns differ in length",
            )
        return {n: states[n] for n in names}, lengths.pop() if lengths else 0, errors
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


def _looks_like_state(rs: RuleSet, mapping: Mapping[str, Any]) -> bool:
    """A single state passed by mistake: its values are scalars, not columns."""
    return all(isinstance(v, (str, bytes, int, float, bool)) for v in mapping.values())


def _check_column_names(rs: RuleSet, given: list[str]) -> None:
    declared = list(rs.inputs)
    for name in given:
        if name not in rs.inputs:
            raise StateError(
                name,
                "<column>",
                "only the declared fields as columns: " + ", ".join(declared),
                reason="unknown column",
            )
    for name in declared:
        if name not in given:
            raise StateError(
                name,
                None,
                "a column for every declared field",
                reason="missing column",
            )


def _placeholder_row(rs: RuleSet) -> dict[str, object]:
    """A valid value per input, used in place of rows whose shape is already an error."""
    out: dict[str, object] = {}
    for dim in rs.compiled.space.dimensions[:-1]:
        cell = next(c for c in range(dim.size) if dim.valid >> c & 1)
        out[dim.name] = dim.representative(cell)
    return out


# --------------------------------------------------------------------------- column → cells


def _cells_numeric(
    rs: RuleSet, name: str, column: Any, bad: dict[int, GistpathError]
) -> npt.NDArray[np.intp]:
    dim = rs.compiled.space.dimensions[rs.compiled.space.index(name)]
    domain = rs.inputs[name].domain
    assert isinstance(domain, NumericDomain)
    array = column if isinstance(column, np.ndarray) else _list_to_array(column)
    kind = array.dtype.kind
    n = len(array)
    unknown = np.zeros(n, dtype=bool)
    # Float wider than 64 bits goes value by value, where it is refused unless exact.
    if kind in "iu" or (kind == "f" and not domain.integer and array.dtype.itemsize <= 8):
        values = array
        checked_elementwise = False
    else:
        validate = rs.field_validator(name)
        values = np.zeros(n, dtype=np.float64 if not domain.integer else np.int64)
        as_list = array.tolist()
        int_values: list[int] = []
        for i, value in enumerate(as_list):
            try:
                ok = validate(value)
            except StateError as error:
                bad.setdefault(i, error)
                ok = dim.representative(next(c for c in range(dim.size) if dim.valid >> c & 1))
            if ok == UNKNOWN and type(ok) is str:
                unknown[i] = True
                ok = 0
            int_values.append(ok)  # type: ignore[arg-type]
        try:
            values = np.asarray(int_values, dtype=values.dtype)
        except OverflowError:  # integers beyond int64: compare them as Python objects
            values = np.asarray(int_values, dtype=object)
        checked_elementwise = True
    if not checked_elementwise:
        invalid = np.zeros(n, dtype=bool)
        if kind == "f":
            invalid |= ~np.isfinite(values)
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
                    validate(array[i])
                except StateError as error:
                    bad.setdefault(i, error)
    ts = np.asarray(
        dim.thresholds,
        dtype=object if values.dtype == object else (np.int64 if domain.integer else np.float64),
    )
    if len(ts) == 0:
        cells = np.zeros(n, dtype=np.intp)
    else:
        index = np.searchsorted(ts, values, side="left")
        clipped = np.minimum(index, len(ts) - 1)
        point = (index < len(ts)) & (ts[clipped] == values)
        cells = 2 * index + point
    if unknown.any():
        cells[unknown] = dim.unknown_cell
    return cells.astype(np.intp, copy=False)


def _list_to_array(column: Any) -> npt.NDArray[Any]:
    """A plain numeric array when every item is an int (or every item a float); else objects.

    ``np.asarray`` is never given a mixed list: it would turn ``[1, "unknown"]`` into text.
    """
    items = list(column)
    if items and all(type(v) is float for v in items):
        return np.asarray(items, dtype=np.float64)
    if items and all(type(v) is int for v in items):
        try:
            return np.asarray(items, dtype=np.int64)
        except OverflowError:
            pass
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _cells_lookup(
    rs: RuleSet, name: str, column: Any, bad: dict[int, GistpathError]
) -> npt.NDArray[np.intp]:
    dim = rs.compiled.space.dimensions[rs.compiled.space.index(name)]
    validate = rs.field_validator(name)
    lookup = {value: cell for cell, value in enumerate(dim.values)}
    array = column if isinstance(column, np.ndarray) else None
    if array is not None and array.dtype.kind == "b" and dim.kind == "boolean":
        return array.astype(np.intp)
    items = array.tolist() if array is not None else list(column)
    cells = np.zeros(len(items), dtype=np.intp)
    memo: dict[tuple[type, object] | None, int | StateError] = {}
    fallback = next(c for c in range(dim.size) if dim.valid >> c & 1)
    for i, value in enumerate(items):
        key: tuple[type, object] | None = (type(value), value)
        try:
            found = memo.get(key)
        except TypeError:  # unhashable (a list, a dict): validate it to get the error
            key, found = None, None
        if found is None:
            try:
                found = lookup[validate(value)]
            except StateError as error:
                found = error
            if key is not None:
                memo[key] = found
        if isinstance(found, StateError):
            bad.setdefault(i, found)
            cells[i] = fallback
        else:
            cells[i] = found
    return cells


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


# --------------------------------------------------------------------------- entry point


def evaluate_batch(
    rs: RuleSet,
    states: Iterable[Mapping[str, object]] | Mapping[str, Sequence[object]] | Any,
    *,
    considerations: bool = False,
    errors: str = "raise",
) -> BatchResult:
    if errors not in ("raise", "collect"):
        raise ValueError("errors must be 'raise' or 'collect'")
    columns, n, bad = _columns(rs, states)
    space = rs.compiled.space
    cells: list[npt.NDArray[np.intp]] = []
    for dim in space.dimensions[:-1]:
        if dim.kind == "numeric":
            cells.append(_cells_numeric(rs, dim.name, columns[dim.name], bad))
        else:
            cells.append(_cells_lookup(rs, dim.name, columns[dim.name], bad))
    words = _word_tables(rs)
    pathway_ids = space.dimensions[-1].values
    rule_pathway = np.asarray(
        [pathway_ids.index(r.pathway) for r in rs.rules] or [0], dtype=np.int64
    )
    pathway_code = np.full(n, -1, dtype=np.int64)
    rule_code = np.full(n, -1, dtype=np.int64)
    consideration_flags = (
        np.zeros((n, len(rs.considerations)), dtype=bool) if considerations else None
    )
    verified = rs.verify().ok
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
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
        pathway_code[start:stop] = np.where(rules >= 0, rule_pathway[np.maximum(rules, 0)], -1)
        if consideration_flags is not None and len(rs.considerations):
            pcells = np.maximum(pathway_code[start:stop], 0)
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
    rule_ids = tuple(r.id for r in rs.rules)
    bad_rows = set(bad)
    pathways = tuple(
        None if i in bad_rows else str(pathway_ids[code])
        for i, code in enumerate(pathway_code.tolist())
    )
    rule_names = tuple(
        None if i in bad_rows else rule_ids[code] for i, code in enumerate(rule_code.tolist())
    )
    cons: tuple[tuple[str, ...] | None, ...] | None = None
    if consideration_flags is not None:
        names = tuple(rs.considerations)
        cons = tuple(
            None
            if i in bad_rows
            else tuple(names[c] for c in np.flatnonzero(consideration_flags[i]).tolist())
            for i in range(n)
        )
    result = BatchResult(pathways, dict(sorted(bad.items())), cons, rule_names)
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

"""The entry point of the batch path: :func:`evaluate_batch`, behind ``rs.evaluate_many``.

Design: the states become one column per input (:mod:`gistpath.batch.inputs`), and the
columns become one outcome per row, in one of two ways with the same answers:

- compiled (``gistpath._kernel`` built and the rule set small enough for class tables):
  :func:`gistpath.batch.compiled.fold_compiled` reads and folds block by block in C;
- numpy: each column becomes cells whole (the C column loops first where they are there,
  then :mod:`gistpath.batch.numpy_path`), and the cells are folded block by block through
  the class tables (:mod:`gistpath.batch.classes`), or, with considerations or for a rule
  set too big for class tables, through the bit sets (:mod:`gistpath.batch.bitsets`).

Rows the tables flag (a broken constraint; in a draft, no rule or two) are evaluated one by
one for the error ``evaluate`` gives them. Bad rows never stop a batch and are never
dropped: they are decided as ``None`` and listed by position in
:attr:`gistpath.batch.result.BatchResult.errors`.

Limits: see the modules named above; values left to the validators cost about a
microsecond each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from gistpath.batch import kernel as binding
from gistpath.batch.bitsets import BLOCK
from gistpath.batch.classes import ClassTables
from gistpath.batch.columns import Cells, Coded, Column, item
from gistpath.batch.compiled import compiled_cells, fold_compiled
from gistpath.batch.inputs import check_ids, columns_of
from gistpath.batch.numpy_path import Refused, numpy_cells
from gistpath.batch.plan import BatchPlan, InputPlan, plan_for
from gistpath.batch.result import BAD_ROW, BatchResult
from gistpath.errors import BatchError, EvaluationError, StateError
from gistpath.state import state_problems

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet


def evaluate_batch(
    rs: RuleSet,
    states: Iterable[Mapping[str, object]] | Mapping[str, Sequence[object]] | Any,
    *,
    considerations: bool = False,
    errors: str = "raise",
    threads: int | None = None,
    ids: Sequence[str] = (),
) -> BatchResult:
    """The pathway of every state of a batch (what :meth:`gistpath.RuleSet.evaluate_many`
    does).

    ``rs``: the rule set. ``states``: rows (an iterable of mappings, or one mapping of
    scalars), columns (a mapping of field name to a list, tuple, numpy array, or a pandas,
    polars or pyarrow column), or a whole pandas DataFrame, polars DataFrame or pyarrow
    Table / RecordBatch; columns hold exactly the declared inputs. ``considerations``: also
    give each row's considerations. ``errors``: ``"raise"`` raises
    :class:`gistpath.BatchError` (holding the result) after every good row is decided,
    when any row is bad; ``"collect"`` returns the result with the bad rows in its
    ``errors``. ``threads``: at most this many threads (default: the cores this process
    may use). ``ids``: fields that identify a row rather than being inputs of the rules
    (such as ``"patient_id"``, as ``gistpath eval --id``): not checked as inputs, and given
    back in :attr:`~gistpath.batch.result.BatchResult.ids`, in row order; a row lacking one
    is a bad row.

    Returns a :class:`~gistpath.batch.result.BatchResult`, one entry per state, in order.
    Raises :class:`gistpath.StateError` for a batch whose shape is wrong as a whole (an
    unknown, missing or duplicate column, columns of different lengths, a lazy frame is a
    ``TypeError``; an id that is a declared input, or no column of a frame or mapping of
    columns) and ``ValueError`` for a bad ``errors`` or ``threads``.
    """
    if errors not in ("raise", "collect"):
        raise ValueError("errors must be 'raise' or 'collect'")
    if threads is not None and (type(threads) is not int or threads < 1):
        raise ValueError("threads must be a positive int, or None for every core")
    plan = plan_for(rs)
    id_names = check_ids(plan, ids)
    columns, n, bad, id_columns = columns_of(plan, states, id_names)
    misshapen = set(bad)  # rows that are not a mapping of the declared fields: complete
    # The C fold decides the pathway (and, with its own tables, the considerations); numpy
    # decides the pathway through the same class tables, and considerations through bit sets.
    k = binding.kernel() if n > 0 else None
    classes = None
    if k is not None:
        classes = plan.classes_with_considerations if considerations else plan.classes
    elif not considerations:
        classes = plan.classes
    class_code: npt.NDArray[np.int64] | None = None
    flags: npt.NDArray[np.bool_] | None = None
    if k is not None and classes is not None:
        folded = fold_compiled(k, plan, classes, columns, n, bad, threads)
        if classes.considered is None:
            rule_code = folded
        else:  # the fold gave each row's last class: its rule, and its considerations
            class_code = folded
            rule_code = classes.outcome[folded]
    else:
        cells = [column_cells(k, inp, columns[inp.name], bad) for inp in plan.inputs]
        if considerations:
            flags = np.zeros((n, len(plan.consideration_ids)), dtype=bool)
        rule_code = _fold_numpy(plan, cells, n, None if considerations else classes, flags)
    _flagged_rows(rs, plan, columns, rule_code, bad)
    _every_problem(plan, columns, bad, misshapen)
    # Every bad row gets its code (its cells may have been a placeholder's).
    if bad:
        rule_code[np.fromiter(bad, dtype=np.intp, count=len(bad))] = BAD_ROW
    result = BatchResult(
        rule_code,
        plan.rule_ids,
        plan.rule_pathway[: len(plan.rule_ids)],
        plan.pathway_ids,
        dict(sorted(bad.items())),
        _considerations(plan, rule_code, classes, class_code, flags),
        id_columns,
    )
    if bad and errors == "raise":
        state_errors = {
            i: e if isinstance(e, StateError) else StateError("<state>", None, str(e))
            for i, e in result.errors.items()
        }
        raise BatchError(state_errors, result)
    return result


def column_cells(k: binding.Kernel | None, inp: InputPlan, column: Column, bad: Refused) -> Cells:
    """A whole column's cells: through the C loops where they read it, else numpy."""
    if k is not None and not isinstance(column, Coded):
        quick = compiled_cells(k, inp, column, bad)
        if quick is not None:
            return quick
    return numpy_cells(inp, column, bad)


def _fold_numpy(
    plan: BatchPlan,
    cells: list[Cells],
    n: int,
    classes: ClassTables | None,
    flags: npt.NDArray[np.bool_] | None,
) -> npt.NDArray[np.int64]:
    """Every row's outcome from its cells, :data:`BLOCK` rows at a time: through the class
    tables when given, else through the bit sets (marking considerations in ``flags``)."""
    rule_code = np.empty(n, dtype=np.int64)
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        block = [c[start:stop] for c in cells]
        if classes is not None:
            rule_code[start:stop] = classes.rules(block)
        else:
            rule_code[start:stop] = plan.words.decide(
                block,
                stop - start,
                plan.verified,
                plan.rule_pathway,
                None if flags is None else flags[start:stop],
            )
    return rule_code


def _every_problem(
    plan: BatchPlan, columns: Mapping[str, Column], bad: Refused, misshapen: set[int]
) -> None:
    """Each refused row's error made to list every problem of the row, as ``evaluate``'s
    does (:attr:`gistpath.StateError.problems`): the column passes keep a row's first error
    only. Rows whose shape was wrong already carry all their problems."""
    validators = {inp.name: inp.validate for inp in plan.inputs}
    for i, error in bad.items():
        if i in misshapen or not isinstance(error, StateError) or error.field not in validators:
            continue
        row = {inp.name: item(columns[inp.name], i) for inp in plan.inputs}
        problems = state_problems(row, plan.declared, validators)
        if len(problems) > 1:
            bad[i] = StateError.of(problems)


def _flagged_rows(
    rs: RuleSet,
    plan: BatchPlan,
    columns: Mapping[str, Column],
    rule_code: npt.NDArray[np.int64],
    bad: Refused,
) -> None:
    """Rows the tables flagged but the field checks did not (a broken constraint; in a
    draft, no rule or two): each evaluated alone for the error ``evaluate`` gives it."""
    for i in np.flatnonzero(rule_code < 0).tolist():
        if i in bad:
            continue
        row = {inp.name: item(columns[inp.name], i) for inp in plan.inputs}
        try:
            rs.evaluate(row)
        except (StateError, EvaluationError) as error:
            bad[i] = error
        else:  # pragma: no cover - the two paths share their tables
            raise AssertionError(f"row {i}: the batch and single paths disagree")


def _considerations(
    plan: BatchPlan,
    rule_code: npt.NDArray[np.int64],
    classes: ClassTables | None,
    class_code: npt.NDArray[np.int64] | None,
    flags: npt.NDArray[np.bool_] | None,
) -> tuple[tuple[str, ...] | None, ...] | None:
    """Each row's considerations (``None`` for a bad row), from the last classes of the C
    fold or the flags of the bit sets; ``None`` when they were not asked for."""
    if class_code is not None and classes is not None and classes.considered is not None:
        by_class = np.empty(len(classes.considered) + 1, dtype=object)
        by_class[:-1] = classes.considered  # one tuple per class, shared between its rows
        by_class[-1] = None  # a bad row
        return tuple(by_class[np.where(rule_code >= 0, class_code, BAD_ROW)].tolist())
    if flags is None:
        return None
    names = plan.consideration_ids
    # One tuple per distinct combination of considerations, shared between rows.
    combos: dict[bytes, tuple[str, ...]] = {}
    out: list[tuple[str, ...] | None] = []
    for i, row in enumerate(flags):
        if rule_code[i] < 0:
            out.append(None)
            continue
        key = row.tobytes()
        combo = combos.get(key)
        if combo is None:
            combo = combos[key] = tuple(names[c] for c in np.flatnonzero(row).tolist())
        out.append(combo)
    return tuple(out)

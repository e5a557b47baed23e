"""The batch path: many states at once through the same predicate tables.

:meth:`gistpath.RuleSet.evaluate_many` hands its batch to :func:`evaluate_batch`. One module
per job, in the order a batch meets them:

- :mod:`~gistpath.batch.plan`: what every batch of a rule set reads, built once per rule
  set (:class:`~gistpath.batch.plan.BatchPlan`);
- :mod:`~gistpath.batch.inputs`: rows, columns or a frame as one column per input, through
  :mod:`~gistpath.batch.columns` and the per-library adapters of
  :mod:`~gistpath.batch.frames`;
- :mod:`~gistpath.batch.compiled`: the C loops, block by block, through
  :mod:`~gistpath.batch.kernel`, the only binding to ``gistpath._kernel``, and the tables
  of :mod:`~gistpath.batch.specs` (slot hashes in :mod:`~gistpath.batch.hashes`);
- :mod:`~gistpath.batch.numpy_path`: numpy alone, where the kernel was not built or cannot read
  a column;
- :mod:`~gistpath.batch.classes` and :mod:`~gistpath.batch.bitsets`: the two folds of
  cells into rules (class tables, bit sets);
- :mod:`~gistpath.batch.evaluate`: the entry point; :mod:`~gistpath.batch.result`: the
  :class:`BatchResult`;
- :mod:`~gistpath.batch.engines`: :func:`pathway_series`, :func:`decision_frame` and
  :class:`Decider`, for Dask, Spark and other engines that work per pandas partition.

Two ways give the same answers: where ``gistpath._kernel`` was compiled (by
``hatch_build.py``) the C loops do the work; without it (or with
``gistpath.batch.kernel.USE_COMPILED`` off, as the tests do for half their runs) numpy does.
Bad rows never stop a batch and are never dropped: they are decided as ``None`` and listed
by position in :attr:`BatchResult.errors`, with the :class:`gistpath.StateError` a single
evaluation would raise.

Limits: see each module; nothing here imports pandas, polars or pyarrow unless the caller
hands in one of their objects.
"""

from __future__ import annotations

from gistpath.batch.engines import DECISION_COLUMNS, Decider, decision_frame, pathway_series
from gistpath.batch.evaluate import evaluate_batch
from gistpath.batch.result import BatchResult

__all__ = [
    "DECISION_COLUMNS",
    "BatchResult",
    "Decider",
    "decision_frame",
    "evaluate_batch",
    "pathway_series",
]

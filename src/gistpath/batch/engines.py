"""Helpers for engines that decide per pandas partition: Dask, Spark, and the like.

Design: :func:`pathway_series` and :func:`decision_frame` wrap :func:`evaluate_batch` for a
pandas DataFrame partition (Dask ``map_partitions``, Spark ``mapInPandas``), keeping its
index and row count; :class:`Decider` is the same as a picklable function, which travels to
worker processes as the rule text and rebuilds the rule set once per process. pandas
itself is used through :mod:`gistpath.batch.frames.pandas`, imported only when a pandas
frame is handed in. See ``docs/dataframes.rst``.

Limits: pandas frames only (a partition of another kind is refused with a ``TypeError``);
a ``Decider`` rebuilds (and verifies) the rule set in each worker process on first use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from gistpath.batch.columns import library
from gistpath.batch.evaluate import evaluate_batch

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet


def _pandas(frame: object) -> ModuleType:
    """The pandas adapter, for a pandas DataFrame (anything else is refused)."""
    if library(frame) != "pandas":
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    from gistpath.batch.frames import pandas  # imports pandas: the caller already did

    return pandas


def pathway_series(
    frame: Any, ruleset: RuleSet, *, errors: str = "raise", ids: Sequence[str] = ()
) -> Any:
    """The pathway of each row of a pandas DataFrame, as a Series named ``"pathway"``.

    The Series has the frame's index and ``object`` dtype. ``frame`` holds exactly the
    declared inputs as columns (select them with ``frame[list(ruleset.inputs)]``), and the
    columns named in ``ids`` that identify a row (see :meth:`gistpath.RuleSet.evaluate_many`). With
    ``errors="raise"`` a bad row raises :class:`gistpath.BatchError` (its positions are
    within ``frame``); with ``errors="collect"`` its pathway is ``None`` (use
    :func:`decision_frame` to keep the reasons). Made for engines that work on pandas
    partitions::

        ddf[list(rules.inputs)].map_partitions(
            pathway_series, rules, meta=("pathway", "object")
        )
    """
    adapter = _pandas(frame)
    result = evaluate_batch(ruleset, frame, errors=errors, ids=ids)
    return adapter.series(list(result.pathways), frame.index, "pathway")


DECISION_COLUMNS = ("pathway", "rule", "considerations", "error")


def decision_frame(
    frame: Any, ruleset: RuleSet, *, considerations: bool = True, ids: Sequence[str] = ()
) -> Any:
    """A pandas DataFrame of decisions, one row per row of ``frame``, bad rows included.

    Columns: first the ``ids`` columns of ``frame`` (fields that identify a row rather than
    being inputs, such as ``patient_id``: carried through unchanged, so that an engine that
    does not keep the index, like Spark's ``mapInPandas``, still knows whose row it is),
    then ``pathway`` and ``rule`` (``None`` for a bad row), ``considerations`` (a list
    of ids, or ``None`` for a bad row; left out with ``considerations=False``) and
    ``error`` (the :class:`gistpath.StateError` message of a bad row, else ``None``). The
    index is the frame's. Nothing raises for a bad row: count in is count out, which is
    what ``mapInPandas`` and ``map_partitions`` need.
    """
    adapter = _pandas(frame)
    result = evaluate_batch(
        ruleset, frame, considerations=considerations, errors="collect", ids=ids
    )
    n = len(result)
    data: dict[str, list[object]] = {name: list(result.ids[name]) for name in ids}
    data |= {
        "pathway": list(result.pathways),
        "rule": list(result.rules or (None,) * n),
    }
    if considerations:
        assert result.considerations is not None
        data["considerations"] = [None if c is None else list(c) for c in result.considerations]
    data["error"] = [str(result.errors[i]) if i in result.errors else None for i in range(n)]
    return adapter.frame(data, frame.index)


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
    with their error); ``errors`` is passed to :func:`pathway_series`; ``ids`` names the
    columns that identify a row, carried through as the first columns of the decisions.
    """

    __slots__ = ("_ruleset", "draft", "errors", "ids", "name", "output", "text")

    def __init__(
        self,
        ruleset: RuleSet,
        *,
        output: str = "pathway",
        errors: str = "raise",
        ids: Sequence[str] = (),
    ) -> None:
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
        self.ids: tuple[str, ...] = tuple(ids)

    @property
    def digest(self) -> str:
        """The SHA-256 of the rule text (what Dask names the task by)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def ruleset(self) -> RuleSet:
        """The rule set: the one given, or (after unpickling) rebuilt from its text."""
        if self._ruleset is None:
            # Deferred: the loader builds rule sets, whose evaluate_many imports this package.
            from gistpath.loader import rebuild

            self._ruleset = rebuild(self.text, self.name, self.draft)  # once per process
        return self._ruleset

    def __call__(self, frame: Any) -> Any:
        """The pathways (a Series) or decisions (a DataFrame) of a pandas DataFrame."""
        if self.output == "decisions":
            return decision_frame(frame, self.ruleset, ids=self.ids)
        return pathway_series(frame, self.ruleset, errors=self.errors, ids=self.ids)

    @property
    def meta(self) -> Any:
        """What Dask's ``meta=`` wants: the empty result (``("pathway", "object")``)."""
        if self.output == "pathway":
            return ("pathway", "object")
        from gistpath.batch.frames import pandas  # asked for by a pandas user: imports it

        return pandas.empty_frame((*self.ids, *DECISION_COLUMNS))

    def __reduce__(self) -> tuple[Any, ...]:
        args = (self.text, self.name, self.draft, self.output, self.errors, self.ids)
        return (_decider, args)

    def __dask_tokenize__(self) -> tuple[str, ...]:
        return ("gistpath.Decider", self.name, self.digest, self.output, self.errors, *self.ids)

    def __repr__(self) -> str:
        ids = f", ids={self.ids!r}" if self.ids else ""
        return f"Decider({self.name!r}, output={self.output!r}, errors={self.errors!r}{ids})"


def _decider(
    text: str, name: str, draft: bool, output: str, errors: str, ids: tuple[str, ...] = ()
) -> Decider:
    """Unpickle a :class:`Decider`: the rule set is rebuilt on first use."""
    decider = Decider.__new__(Decider)
    decider._ruleset = None
    decider.text, decider.name, decider.draft = text, name, draft
    decider.output, decider.errors, decider.ids = output, errors, ids
    return decider

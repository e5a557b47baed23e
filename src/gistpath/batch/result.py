"""The result of a batch: pathway ids, one per state, decided as numbers.

Design: a batch is decided as integer codes (the index of the rule each row fired, ``-1``
for a bad row); :class:`BatchResult` keeps those codes and the rule set's ids, and builds
the tuples of ids (:attr:`BatchResult.pathways`, :attr:`BatchResult.rules`) on first use.
It pickles as what it was made from, so that results travel back from worker processes.

Limits: immutable; two results compare equal when they say the same (errors compare by
type and message, not identity). Nothing here knows a rule set or the batch path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from gistpath.errors import GistpathError

#: The rule code (and pathway code) of a bad row: no rule, no pathway.
BAD_ROW = -1


class BatchResult(Sequence["str | None"]):
    """Pathway ids, one per state (``None`` for a bad row), and the bad rows' errors.

    ``errors`` maps the position of each bad row (0 for the first row, as ``result[i]``;
    the CLI's record number is the position + 1) to its error; ``considerations`` (when
    asked for) and ``rules`` hold one entry per row too, and so does each tuple of
    ``ids``: the id fields named in ``evaluate_many(..., ids=...)``, by name, values as
    given (``None`` where a row lacked one); :meth:`ids_of` gives one row's.

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
        "ids",
    )

    errors: Mapping[int, GistpathError]
    considerations: tuple[tuple[str, ...] | None, ...] | None
    ids: Mapping[str, tuple[object, ...]]
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
        ids: Mapping[str, Sequence[object]] | None = None,
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
        id_columns = {name: tuple(values) for name, values in (ids or {}).items()}
        for name, values in id_columns.items():
            if len(values) != len(codes):
                raise ValueError(f"ids {name!r}: {len(values)} values for {len(codes)} rows")
        set_(self, "ids", MappingProxyType(id_columns))

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
                dict(self.ids),
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
            and dict(self.ids) == dict(other.ids)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(map(repr, self.pathways[:3])) + (", ..." if len(self) > 3 else "")
        return f"BatchResult([{shown}], {len(self)} rows, {len(self.errors)} errors)"

    def ids_of(self, index: int) -> dict[str, object]:
        """Row ``index``'s id values by id name (empty when no ids were named)."""
        return {name: values[index] for name, values in self.ids.items()}

    @property
    def ok(self) -> bool:
        """No row was bad."""
        return not self.errors


def _error_texts(errors: Mapping[int, GistpathError]) -> dict[int, tuple[type, str]]:
    """Errors as values: exceptions compare by identity, batch results by what they say."""
    return {i: (type(e), str(e)) for i, e in errors.items()}

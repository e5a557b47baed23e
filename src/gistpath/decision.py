"""One decision: the pathway a state gets, why, and what else holds for it.

Design: a :class:`Decision` is one flat tuple in one slot: the part shared by every state
in the same cells (pathway, considerations, rule, derived values, rule set), resolved once
by the generated function (:mod:`gistpath.codegen`), then the state's validated inputs.
So deciding a state costs one tuple and one store, and :attr:`Decision.values` is a view
(:class:`DecisionValues`) that copies nothing. A decision explains itself in words
(:mod:`gistpath.explain`), says what would change it (:mod:`gistpath.alternatives`), and
pickles as its plain parts and its rule set.

Limits: a decision holds its rule set; it is as immutable as the rule set is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from gistpath.codegen import Resolved
from gistpath.model import Pathway

if TYPE_CHECKING:
    from gistpath.alternatives import Alternatives
    from gistpath.ruleset import RuleSet

__all__ = ["Decision", "DecisionValues", "anchor"]


def anchor(kind: str, ident: str) -> str:
    """The stable HTML anchor of a pathway's or consideration's section in generated docs."""
    return f"{kind}-{ident}".replace("_", "-")


_new = object.__new__


_NO_INDEX: Mapping[str, int] = MappingProxyType({})


class DecisionValues(Mapping[str, object]):
    """A decision's inputs (in declaration order) and derived values: a read-only view.

    Nothing is copied: the view reads the decision's validated inputs (``index`` gives the
    place of each in the tuple ``inputs``) and the derived values it shares with every
    state in the same cells.
    """

    __slots__ = ("_derived", "_index", "_inputs")

    def __init__(
        self, index: Mapping[str, int], inputs: tuple[object, ...], derived: Mapping[str, object]
    ) -> None:
        self._index = index
        self._inputs = inputs
        self._derived = derived

    def __getitem__(self, key: str) -> object:
        i = self._index.get(key)
        if i is not None:
            return self._inputs[i]
        return self._derived[key]

    def __contains__(self, key: object) -> bool:
        return key in self._index or key in self._derived

    def __iter__(self) -> Iterator[str]:
        yield from self._index
        yield from self._derived

    def __len__(self) -> int:
        return len(self._index) + len(self._derived)

    def __repr__(self) -> str:
        return repr(dict(self))


class Decision:
    """The answer for one state: one pathway, its considerations, and why.

    Immutable: every public attribute is a read-only property and there is no instance
    ``__dict__``. ``values`` is a view of the state's inputs and every derived value, read
    on demand, so deciding many states costs no more than reading their pathways.

    The one private slot is filled once by whoever makes the decision and never changed
    after. It is not guarded by a ``__setattr__`` that refuses: with one, CPython can no
    longer store the slot inline, and the generated ``evaluate`` would pay a C call per
    decision for it (about a tenth of its time on a small rule set).
    """

    __slots__ = ("_data",)
    # _data: (info, *inputs) where info = (pathway, considerations, rule, derived values,
    # rule set) is shared by the decisions of states in the same cells, and inputs are the
    # validated input values in declaration order. One flat tuple in one slot, so the
    # generated function fills a decision with one tuple and one store.
    _data: tuple[Any, ...]

    def __init__(
        self,
        pathway: str,
        considerations: tuple[str, ...],
        rule: str,
        values: Mapping[str, object],
        ruleset: RuleSet,
    ) -> None:
        derived = MappingProxyType(dict(values))
        self._data = ((pathway, tuple(considerations), rule, derived, ruleset),)

    @classmethod
    def _make(cls, info: Resolved, inputs: tuple[object, ...]) -> Decision:
        """A decision from a resolved bit set and the validated inputs."""
        decision = _new(cls)
        decision._data = (info, *inputs)
        return decision

    def __reduce__(self) -> tuple[object, ...]:
        return (
            Decision,
            (self.pathway, self.considerations, self.rule, dict(self.values), self.ruleset),
        )

    @property
    def pathway(self) -> str:
        """The id of the pathway."""
        return self._data[0][0]  # type: ignore[no-any-return]

    @property
    def considerations(self) -> tuple[str, ...]:
        """The ids of the considerations that apply, in file order."""
        return self._data[0][1]  # type: ignore[no-any-return]

    @property
    def rule(self) -> str:
        """The id of the rule that fired."""
        return self._data[0][2]  # type: ignore[no-any-return]

    @property
    def ruleset(self) -> RuleSet:
        """The rule set that decided."""
        return self._data[0][4]  # type: ignore[no-any-return]

    @property
    def values(self) -> Mapping[str, object]:
        """The inputs, in declaration order, then every derived value (read-only)."""
        data = self._data
        info = data[0]
        # A decision made by hand (see __init__) has no inputs: its values are its own.
        return DecisionValues(info[4]._data_index if len(data) > 1 else _NO_INDEX, data, info[3])

    def _key(self) -> tuple[object, ...]:
        # The values as a set: equal decisions are equal whatever order their values are in.
        return (self.pathway, self.considerations, self.rule, frozenset(self.values.items()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return (self.pathway, self.considerations, self.rule, dict(self.values)) == (
            other.pathway,
            other.considerations,
            other.rule,
            dict(other.values),
        )

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Decision(pathway={self.pathway!r}, considerations={self.considerations!r}, "
            f"rule={self.rule!r}, values={dict(self.values)!r})"
        )

    @property
    def pathway_info(self) -> Pathway:
        """The pathway declared in the rule file: title, summary, citations."""
        return self.ruleset.pathways[self.pathway]

    @property
    def anchor(self) -> str:
        """The id of the pathway's section in the generated docs (``pathway-<id>``)."""
        return anchor("pathway", self.pathway)

    def explain(self, *, base_url: str | None = None, alternatives: bool = False) -> str:
        """The decision in words, for the clinician who reads it.

        The pathway and why (every condition that held, in words), the derived values that
        mattered with their reasons (a table value names the row that gave it), the
        considerations, the sources and a link to the pathway's section: ``base_url`` (or
        the ``GISTPATH_DOCS_URL`` environment variable) followed by its anchor. See
        :mod:`gistpath.explain`; :func:`gistpath.explain.explain` gives the same as data.
        With ``alternatives`` a "would change if" section lists what one changed input
        would decide instead (see :meth:`alternatives`).
        """
        # Deferred, as in the two methods below: the reasoning beyond one decision loads on
        # its first use, so loading a rule set (load_builtin's cold start) stays quick.
        from gistpath.alternatives import would_change_if
        from gistpath.explain import explain

        extra = [would_change_if(self)] if alternatives else []
        return explain(self, base_url=base_url, extra=extra).text()

    def alternatives(self) -> Alternatives:
        """What would change this decision: for each input, with every other input held,
        the values (as maximal intervals or value sets) giving another pathway or other
        considerations, each an :class:`gistpath.alternatives.Alternative` with an example
        state. Exact over the cells; ``result.left_out`` lists the values that would break
        a constraint."""
        from gistpath.alternatives import alternatives  # deferred: see explain above

        return alternatives(self)

    def as_dict(self) -> dict[str, object]:
        """The decision as plain data (pathway, considerations, rule, values), e.g. for JSON."""
        return {
            "pathway": self.pathway,
            "considerations": list(self.considerations),
            "rule": self.rule,
            "values": dict(self.values),
        }

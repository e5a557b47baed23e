"""The loaded rule set: validation, evaluation through the predicate tables, decisions.

Design: a :class:`RuleSet` is built once by :func:`gistpath.load` (parse → check → compile →
tables → verify) and is immutable afterwards, so one instance can be shared between threads.
:meth:`RuleSet.evaluate` runs the function generated for the rule set
(:mod:`gistpath.codegen`), which checks a plain state inline and reads its decision from a
cache. Anything else goes the general way: validate field by field (:mod:`gistpath.state`),
look each value's cell up, AND the cells' bit sets (:mod:`gistpath.tables`) and read the
rule, the broken constraint if any, the considerations and the derived values off the
result, as a :class:`~gistpath.decision.Decision` (:mod:`gistpath.decision`).

Limits: a draft loaded with ``draft=True`` may meet a state no rule covers, or two rules
cover; :meth:`RuleSet.evaluate` then raises :class:`gistpath.EvaluationError` rather than
guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from gistpath.cells import CompiledModel
from gistpath.codegen import Resolved, generate
from gistpath.decision import Decision, DecisionValues, anchor
from gistpath.errors import EvaluationError, StateError
from gistpath.model import Consideration, Input, Model, Pathway, Property, Rule, Source
from gistpath.regions import bits
from gistpath.state import Validator, field_validators, validate_fields
from gistpath.tables import PredicateTables
from gistpath.verify import VerificationReport, verify_compiled

__all__ = ["Decision", "DecisionValues", "RuleSet", "anchor"]

if TYPE_CHECKING:
    from gistpath.batch.result import BatchResult
    from gistpath.interpreter import Interpreter, Outcome
    from gistpath.partial import PartialDecision


class RuleSet:
    """A checked, compiled (and normally verified) rule file. Immutable once built.

    Its members, in the order written here: what the file declares (:attr:`name`,
    :attr:`inputs`, :attr:`pathways`, :attr:`rules`, ...), then evaluation
    (:meth:`validate`, :meth:`evaluate`, :meth:`evaluate_many`, :meth:`evaluate_partial`
    and the reference interpreter's :meth:`evaluate_reference`), then :meth:`verify`.
    """

    __slots__ = (
        "__dict__",  # holds only ``evaluate``: see __init__
        "__weakref__",  # the batch path keeps its plan of a rule set in a weak mapping
        "_compiled",
        "_considerations_by_index",
        "_data_index",
        "_evaluator",
        "_fast",
        "_frozen",
        "_interpreter",
        "_model",
        "_names",
        "_pathway_cells",
        "_report",
        "_rule_ids",
        "_tables",
        "_validators",
    )

    def __init__(
        self,
        model: Model,
        compiled: CompiledModel,
        tables: PredicateTables,
    ) -> None:
        self._model = model
        self._compiled = compiled
        self._tables = tables
        self._validators: dict[str, Validator] = field_validators(model.inputs)
        self._names = tuple(model.inputs)
        # Where a decision's _data holds each input (after its resolved info).
        self._data_index = MappingProxyType({name: i for i, name in enumerate(self._names, 1)})
        self._interpreter: Interpreter | None = None  # built on first use
        self._report: VerificationReport | None = None
        self._rule_ids = tuple(r.id for r in model.rules)
        self._considerations_by_index = tuple(model.considerations)
        self._pathway_cells = {pid: i for i, pid in enumerate(compiled.space.dimensions[-1].values)}
        self._evaluator = generate(
            model.name,
            compiled.space.dimensions[:-1],
            tables,
            slow=self._evaluate_general,
            resolve=self._resolve,
            decision=Decision,
        )
        self._fast = self._evaluator.function
        # The instance attribute shadows the method, so ``rs.evaluate(state)`` calls the
        # generated function directly, one Python call per decision instead of two.
        self.evaluate = self._fast  # type: ignore[method-assign,assignment]
        self._frozen = True

    def __reduce__(self) -> tuple[object, ...]:
        """Refuse to pickle a rule set that :mod:`gistpath.loader` did not register.

        A rule set is pickled as its rule text: :mod:`gistpath.loader`, which builds every
        rule set it hands out, registers that with :mod:`copyreg` (and pickle consults
        copyreg before this method), so a worker unpickling it parses, checks and
        verifies the text again. This module cannot name the loader without an import
        cycle, so a rule set assembled by hand while the loader was never imported ends
        here, with a clear error rather than a pickle of compiled functions.
        """
        raise TypeError(
            "a RuleSet is pickled as its rule text by gistpath.loader; "
            "import gistpath.loader (or load it with gistpath.load/loads) first"
        )

    def __setattr__(self, name: str, value: object) -> None:
        if getattr(self, "_frozen", False):
            raise AttributeError("a RuleSet cannot be changed once loaded")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a RuleSet cannot be changed once loaded")

    def __repr__(self) -> str:
        return (
            f"<RuleSet {self.name!r} from {self._model.filename!r}: {len(self._model.inputs)} "
            f"inputs, {len(self._model.rules)} rules, {len(self._model.pathways)} pathways>"
        )

    @property
    def name(self) -> str:
        """The name on the ``ruleset`` line (or the file's name without one)."""
        return self._model.name

    @property
    def title(self) -> str | None:
        """The title on the ``ruleset`` line, if any."""
        return self._model.title

    @property
    def model(self) -> Model:
        """The checked model the rule set was built from."""
        return self._model

    @property
    def compiled(self) -> CompiledModel:
        """Every condition as a region over the cells (:mod:`gistpath.cells`)."""
        return self._compiled

    @property
    def tables(self) -> PredicateTables:
        """The bit-set lookup tables evaluation reads (:mod:`gistpath.tables`)."""
        return self._tables

    @property
    def inputs(self) -> Mapping[str, Input]:
        """The declared inputs, in declaration order."""
        return self._model.inputs

    @property
    def pathways(self) -> Mapping[str, Pathway]:
        """The declared pathways, in declaration order."""
        return self._model.pathways

    @property
    def considerations(self) -> Mapping[str, Consideration]:
        """The declared considerations, in declaration order."""
        return self._model.considerations

    @property
    def properties(self) -> Mapping[str, Property]:
        """The declared properties (id → title, citations, kind), all proven by verify."""
        return self._model.properties

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules, ``when`` blocks flattened, in file order."""
        return self._model.rules

    @property
    def sources(self) -> Mapping[str, Source]:
        """The declared sources, by name."""
        return self._model.sources

    @property
    def text(self) -> str:
        """The rule text the rule set was loaded from."""
        return self._model.text

    def field_validator(self, name: str) -> Validator:
        """The function that checks one field's value (raises :class:`StateError`)."""
        return self._validators[name]

    def validate(self, state: Mapping[str, object]) -> dict[str, object]:
        """The state in plain Python values, or :class:`StateError`; constraints included."""
        values = validate_fields(state, self._model.inputs, self._validators)
        tables = self._tables
        acc = tables.matches(tables.cells([values[n] for n in self._names]))
        self._check_constraints(acc, values)
        return values

    def _check_constraints(self, acc: int, values: Mapping[str, object]) -> None:
        broken = acc & self._tables.constraint_mask
        if broken:
            # every broken constraint, in file order, one problem each
            indices = sorted({self._tables.constraint_of_box[b] for b in bits(broken)})
            state = dict(values)
            raise StateError.of(
                [
                    StateError(
                        constraint.name,
                        state,
                        constraint.title or f"the constraint '{constraint.name}' to hold",
                        reason="the state breaks this constraint",
                    )
                    for constraint in (self._model.constraints[i] for i in indices)
                ]
            )

    def evaluate(self, state: Mapping[str, object]) -> Decision:
        """The decision for one state. Raises :class:`StateError` for an invalid state.

        Runs the function generated for this rule set (:mod:`gistpath.codegen`), which
        hands anything but a plain, valid state to the general path below.
        """
        return self._fast(state)  # type: ignore[no-any-return]

    @property
    def generated_source(self) -> str:
        """The Python source of this rule set's generated evaluation function."""
        return self._evaluator.source

    def _evaluate_general(self, state: object) -> Decision:
        """Validate field by field, look the cells up, read the decision off the tables."""
        values = validate_fields(state, self._model.inputs, self._validators)
        inputs = tuple(values.values())  # in declaration order
        tables = self._tables
        return Decision._make(self._resolve(tables.matches(tables.cells(inputs)), inputs), inputs)

    def _resolve(self, acc: int, inputs: tuple[object, ...]) -> Resolved:
        """Pathway, considerations, rule and derived values of the boxes ``acc`` of a state.

        Raises :class:`StateError` for a broken constraint, :class:`EvaluationError` where
        a draft leaves a gap or an overlap. The result depends on ``acc`` alone, so the
        generated function may cache it.
        """
        tables = self._tables
        if acc & tables.constraint_mask:
            self._check_constraints(acc, dict(zip(self._names, inputs, strict=True)))
        fired = acc & tables.rule_mask
        if not fired:
            raise EvaluationError("no rule matches this state; the rule file failed verification")
        low = (fired & -fired).bit_length() - 1
        rule_index = tables.rule_of_box[low]
        rest = fired >> (low + 1)
        if rest and any(tables.rule_of_box[b] != rule_index for b in bits(fired)):
            ids = sorted({self._rule_ids[tables.rule_of_box[b]] for b in bits(fired)})
            raise EvaluationError(
                f"{len(ids)} rules match this state ({', '.join(ids)}); exactly one must. "
                "The rule file failed verification."
            )
        rule = self._model.rules[rule_index]
        considerations: tuple[str, ...] = ()
        if tables.consideration_mask:
            with_pathway = (
                acc
                & tables.consideration_mask
                & tables.cell_sets[-1][self._pathway_cells[rule.pathway]]
            )
            if with_pathway:
                seen = sorted({tables.consideration_of_box[b] for b in bits(with_pathway)})
                considerations = tuple(self._considerations_by_index[i] for i in seen)
        derived: dict[str, object] = {}
        for name, mask in tables.let_masks.items():
            derived[name] = bool(acc & mask)
        for table, masks in tables.value_masks.items():
            derived[table] = next((v for v, m in masks.items() if acc & m), None)
        return rule.pathway, considerations, rule.id, derived, self

    def evaluate_reference(self, state: Mapping[str, object]) -> Outcome:
        """The same decision from the plain AST interpreter (the tables' oracle)."""
        values = validate_fields(state, self._model.inputs, self._validators)
        return self.interpreter.evaluate(values)

    @property
    def interpreter(self) -> Interpreter:
        """The plain AST interpreter of this rule set (the compiled tables' oracle)."""
        if self._interpreter is None:
            # Deferred: the oracle loads on first use, so loading a rule set stays quick.
            from gistpath.interpreter import Interpreter

            object.__setattr__(self, "_interpreter", Interpreter(self._model))
        assert self._interpreter is not None
        return self._interpreter

    def evaluate_many(
        self,
        states: Iterable[Mapping[str, object]] | Mapping[str, Sequence[object]] | Any,
        *,
        considerations: bool = False,
        errors: str = "raise",
        threads: int | None = None,
        ids: Sequence[str] = (),
    ) -> BatchResult:
        """Pathway ids for many states at once, through compiled loops or numpy.

        ``states`` is an iterable of mappings (rows), or columns: a mapping of field name to
        a list or numpy array, or a pandas, polars or pyarrow frame. Bad rows never stop
        the batch: with ``errors="raise"`` (the default) a :class:`gistpath.BatchError`
        listing them by index is raised after every good row has been decided (its
        ``result`` holds them); with ``errors="collect"`` the result is returned and
        ``result.errors`` lists them. ``threads`` caps the threads a big batch is shared
        among (default: the cores this process may use; ``1`` stays on one). ``ids``
        names fields that identify a row rather than being inputs (``ids=("patient_id",)``,
        as ``gistpath eval --id``): they are carried through to ``result.ids``, in row
        order, and name the first bad row in a ``BatchError``. Rows are indexed from 0
        (a CLI record number is the index + 1). See ``docs/dataframes.rst``.
        """
        # Deferred: the batch path (numpy and its tables) loads on a rule set's first batch.
        from gistpath.batch.evaluate import evaluate_batch

        return evaluate_batch(
            self, states, considerations=considerations, errors=errors, threads=threads, ids=ids
        )

    def evaluate_partial(self, state: Mapping[str, object]) -> PartialDecision:
        """What a state with some inputs missing can still get, exactly.

        ``p.pathways``: the pathways some valid completion reaches (``p.examples`` gives one
        completion each); ``p.decided`` and ``p.pathway`` when only one remains; and
        ``p.questions``: the missing inputs, most deciding first, each with the pathways its
        values lead to. Present values are validated as :meth:`evaluate` does
        (:class:`StateError`); a missing input is an absent key; nothing is defaulted.
        """
        # Deferred: loads on first use, so loading a rule set stays quick (see explain).
        from gistpath.partial import evaluate_partial

        return evaluate_partial(self, state)

    def verify(self) -> VerificationReport:
        """The exhaustive proof (computed once; the rule set cannot change)."""
        if self._report is None:
            report = verify_compiled(self._compiled, self.evaluate)
            object.__setattr__(self, "_report", report)
            return report
        return self._report

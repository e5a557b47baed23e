"""Hypothesis strategies for property-testing code that calls gistpath.

    >>> from hypothesis import given
    >>> from gistpath.testing import invalid_states, valid_states
    >>> rules = gistpath.load("my.gprules")                      # doctest: +SKIP
    >>> @given(valid_states(rules))                              # doctest: +SKIP
    ... def test_my_report(state): ...

:func:`valid_states` draws states a rule set accepts; :func:`invalid_states` draws states it
must refuse with :class:`gistpath.StateError`, one kind of mistake at a time.

Design: the strategies are built from the compiled rule set, not by trial and error. The
compiler cuts every input into *cells* (:mod:`gistpath.cells`): each number the file
compares an input with and each limit of its range is a cell of its own, the open intervals
between them are cells, and so are each choice, ``yes``/``no`` and ``unknown``. The states
that satisfy every declared constraint are an exact union of boxes of cells
(``gistpath.regions.complement`` of the regions where a constraint is broken), so a valid
state is drawn as: a box, then per input a cell inside it, then a value inside that cell. No
state is thrown away, however restrictive the constraints; small corners of the state space
are drawn as often as large ones. Inside a numeric cell the values beside its ends are
favoured: each threshold itself, ``math.nextafter`` of it on either side for numbers,
``±1`` for integers, a unit or a half beside it, and values anywhere in between. Numbers are
drawn both as ``int`` and as ``float`` where the input accepts both.

An invalid state starts from a valid one and breaks exactly one thing (see
:data:`INVALID_KINDS`); a ``constraint`` state has every field valid and lies in a box where
a declared constraint is broken.

Limits: hypothesis is imported by this module, so it is a test-time dependency only:
``import gistpath`` never imports this module. Drawn values are plain Python values (plus a
few numpy scalars among the invalid ones); use ``evaluate_many`` tests to exercise arrays
and dataframes. A rule set whose constraints exclude every state has no valid states: the
strategy is then empty and hypothesis reports the test as unsatisfiable (a rule file like
that fails verification and cannot be loaded without ``draft=True``).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from gistpath.language import UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, NumericDomain
from gistpath.regions import Box, complement, intersect_regions, simplify

if TYPE_CHECKING:
    from gistpath.cells import Dimension
    from gistpath.ruleset import RuleSet

__all__ = ["INVALID_KINDS", "invalid_kinds", "invalid_states", "pathway_boxes", "valid_states"]

State = dict[str, object]


class _Derived:
    """What the strategies derive from one rule set, each part built on first use (the rule
    set is immutable, so nothing here goes stale)."""

    __slots__ = ("broken_boxes", "pathway_boxes", "valid_states")

    def __init__(self) -> None:
        self.valid_states: dict[str | None, st.SearchStrategy[State]] = {}
        self.pathway_boxes: dict[str | None, list[Box]] | None = None
        self.broken_boxes: list[Box] | None = None


# Kept while the rule set lives: a weak mapping, so the rule set itself holds no cache.
_DERIVED: weakref.WeakKeyDictionary[RuleSet, _Derived] = weakref.WeakKeyDictionary()


def _derived(ruleset: RuleSet) -> _Derived:
    """The derived parts of a rule set (two threads may make two: both build the same)."""
    found = _DERIVED.get(ruleset)
    if found is None:
        found = _DERIVED.setdefault(ruleset, _Derived())
    return found


INVALID_KINDS: tuple[str, ...] = (
    "missing",
    "extra",
    "wrong_type",
    "out_of_range",
    "not_a_choice",
    "nan_inf",
    "none",
    "constraint",
)
"""The kinds of invalid state :func:`invalid_states` draws, one mistake per state:

``missing``
    a declared field left out.
``extra``
    an undeclared field: a misspelling of a declared name (other case, a letter
    dropped or doubled, spaces) beside or instead of it, or another name.
``wrong_type``
    a value of another type: a ``bool`` or a text for a number (``"5"``), a ``float``
    for an integer (``3.0``), a number or a text for a boolean (``1``, ``"yes"``), a
    number or bytes for a choice, ``Decimal``, lists; ``"unknown"`` where not declared.
``out_of_range``
    a number outside an input's declared range: just beyond each limit
    (``math.nextafter`` or ``±1``), an exclusive limit itself, and far beyond.
``not_a_choice``
    a text that is not one of a choice's values: the right word in another case or
    with spaces, ``unknown`` where not declared, other words.
``nan_inf``
    NaN or an infinity (Python and numpy floats) for a numeric input.
``none``
    ``None`` for a field.
``constraint``
    every field valid, but a declared constraint broken.
"""

_BIG = 2**53  # beyond this, floats no longer hold every integer


def valid_states(ruleset: RuleSet, pathway: str | None = None) -> st.SearchStrategy[State]:
    """States that ``ruleset.evaluate`` accepts: every declared input, constraints satisfied.

    Values include the boundaries: every number the rule file compares an input with and
    every limit of an input's range (where the range includes it), the numbers just above
    and below each of them (``math.nextafter`` for numbers, ``±1`` for integers),
    ``unknown`` where declared, every choice value and both booleans. States are built
    inside the cells that satisfy the constraints, so restrictive constraints cost nothing.
    Each state is a new ``dict`` with the fields in declaration order.

    Every pathway is drawn equally often, however small its part of the state space: the
    valid states are split exactly, from the compiled regions, into the states each
    pathway's rules decide (and, in a draft with gaps, the states no rule decides), and a
    draw first picks one of these parts. With ``pathway=`` only that pathway's states are
    drawn, exactly (no state is drawn and thrown away): ``valid_states(rs,
    pathway="surveillance")``. An id that is not a pathway of the rule set, or a pathway
    that no valid state reaches, raises :class:`ValueError`.
    """
    if pathway is not None and pathway not in ruleset.pathways:
        raise ValueError(
            f"{pathway!r} is not a pathway of rule set {ruleset.name!r}; its pathways are "
            + ", ".join(ruleset.pathways)
        )
    derived = _derived(ruleset)
    cached = derived.valid_states.get(pathway)
    if cached is not None:
        return cached
    parts = pathway_boxes(ruleset)
    if pathway is not None:
        boxes = parts.get(pathway, [])
        if not boxes:
            raise ValueError(f"no valid state of rule set {ruleset.name!r} reaches {pathway!r}")
        strategy = _states_in(ruleset, boxes)
    else:
        strategy = st.one_of([_states_in(ruleset, boxes) for boxes in parts.values() if boxes])
    derived.valid_states[pathway] = strategy
    return strategy


def pathway_boxes(ruleset: RuleSet) -> dict[str | None, list[Box]]:
    """The valid states of each pathway, as boxes of cells over the inputs, in file order.

    Exact: a valid state lies in a box of pathway ``p`` exactly when a rule leading to
    ``p`` matches it. The key ``None`` holds the valid states no rule matches (only a draft
    with gaps has them). In a draft with overlaps a state may lie in two pathways' boxes.
    """
    derived = _derived(ruleset)
    if derived.pathway_boxes is not None:
        return derived.pathway_boxes
    space = ruleset.compiled.space
    valid = _valid_boxes(ruleset)
    parts: dict[str | None, list[Box]] = {name: [] for name in ruleset.pathways}
    matched: list[Box] = []
    for rule, region in zip(ruleset.model.rules, ruleset.compiled.rules, strict=True):
        boxes = [box[:-1] for box in region if all(box)]
        matched.extend(boxes)
        parts[rule.pathway].extend(intersect_regions(valid, boxes))
    universe = space.universe[:-1]
    unmatched = complement(universe, matched, space.ordered[:-1]) if matched else [universe]
    parts[None] = intersect_regions(valid, unmatched)
    out = {name: simplify(boxes) for name, boxes in parts.items()}
    derived.pathway_boxes = out
    return out


def invalid_kinds(ruleset: RuleSet) -> tuple[str, ...]:
    """The kinds of :data:`INVALID_KINDS` that ``ruleset`` can have.

    ``out_of_range`` needs a numeric input with a limit, ``not_a_choice`` a choice input,
    ``nan_inf`` a numeric input, ``constraint`` a constraint that some combination of valid
    fields breaks; ``missing``, ``wrong_type`` and ``none`` need at least one input.
    """
    domains = [item.domain for item in ruleset.inputs.values()]
    possible = {
        "missing": bool(domains),
        "extra": True,
        "wrong_type": bool(domains),
        "out_of_range": any(
            isinstance(d, NumericDomain) and (d.low is not None or d.high is not None)
            for d in domains
        ),
        "not_a_choice": any(isinstance(d, ChoiceDomain) for d in domains),
        "nan_inf": any(isinstance(d, NumericDomain) for d in domains),
        "none": bool(domains),
        "constraint": bool(_broken_boxes(ruleset)),
    }
    return tuple(kind for kind in INVALID_KINDS if possible[kind])


def invalid_states(
    ruleset: RuleSet, kinds: Iterable[str] | None = None
) -> st.SearchStrategy[State]:
    """States that ``ruleset.evaluate`` refuses with :class:`gistpath.StateError`.

    ``kinds`` chooses among :data:`INVALID_KINDS` (default: every kind this rule set can
    have, see :func:`invalid_kinds`). A kind the rule set cannot have (``not_a_choice``
    without a choice input) is skipped; naming only such kinds, or a name that is not a
    kind, raises :class:`ValueError`. Each state has exactly one thing wrong, so the
    :class:`gistpath.StateError` names the field (or the constraint) that was broken.
    """
    chosen = INVALID_KINDS if kinds is None else tuple(kinds)
    if isinstance(kinds, str):
        raise TypeError("kinds is a list of kinds, e.g. ['missing'], not one string")
    unknown = [k for k in chosen if k not in INVALID_KINDS]
    if unknown:
        raise ValueError(
            f"not a kind of invalid state: {', '.join(map(repr, unknown))}; "
            f"the kinds are {', '.join(INVALID_KINDS)}"
        )
    possible = invalid_kinds(ruleset)
    usable = [k for k in dict.fromkeys(chosen) if k in possible]
    if not usable:
        raise ValueError(
            f"rule set {ruleset.name!r} can have no invalid state of kind "
            f"{', '.join(chosen) or '(none given)'}; it can have: {', '.join(possible)}"
        )
    base = valid_states(ruleset)
    builders: dict[str, Callable[[RuleSet, st.SearchStrategy[State]], st.SearchStrategy[State]]]
    builders = {
        "missing": _missing,
        "extra": _extra,
        "wrong_type": _wrong_type,
        "out_of_range": _out_of_range,
        "not_a_choice": _not_a_choice,
        "nan_inf": _nan_inf,
        "none": _none,
        "constraint": lambda rs, _: _states_in(rs, _broken_boxes(rs)),
    }
    return st.one_of([builders[kind](ruleset, base) for kind in usable])


# --------------------------------------------------------------------------- boxes of cells


def _valid_boxes(ruleset: RuleSet) -> list[Box]:
    """Disjoint boxes (inputs only) holding exactly the states that satisfy every constraint."""
    space = ruleset.compiled.space
    broken = _broken_boxes(ruleset)
    valid = complement(space.universe, broken, space.ordered) if broken else [space.universe]
    return [box[:-1] for box in valid if all(box)]


def _broken_boxes(ruleset: RuleSet) -> list[Box]:
    """Boxes of field-valid states where some constraint is broken (with the pathway cell)."""
    derived = _derived(ruleset)
    if derived.broken_boxes is not None:
        return derived.broken_boxes
    space = ruleset.compiled.space
    broken = [
        box
        for region in ruleset.compiled.constraints
        for box in complement(space.universe, region, space.ordered)
        if all(box)
    ]
    derived.broken_boxes = broken
    return broken


def _cells(mask: int) -> list[int]:
    return [c for c in range(mask.bit_length()) if mask >> c & 1]


def _states_in(ruleset: RuleSet, boxes: Sequence[Box]) -> st.SearchStrategy[State]:
    """States inside one of ``boxes`` (a box per input, extra trailing masks ignored)."""
    if not boxes:
        return st.nothing()
    dims = ruleset.compiled.space.dimensions[:-1]
    per_cell: dict[tuple[int, int], st.SearchStrategy[object]] = {}

    def cell_values(d: int, cell: int) -> st.SearchStrategy[object]:
        key = (d, cell)
        if key not in per_cell:
            per_cell[key] = _values_in_cell(dims[d], cell)
        return per_cell[key]

    per_box: dict[Box, st.SearchStrategy[State]] = {}

    def in_box(box: Box) -> st.SearchStrategy[State]:
        if box not in per_box:
            fields: dict[str, st.SearchStrategy[object]] = {}
            for d, dim in enumerate(dims):
                options = [cell_values(d, c) for c in _cells(box[d] & dim.valid)]
                fields[dim.name] = st.one_of(options)
            per_box[box] = st.fixed_dictionaries(fields).map(
                lambda drawn: {name: drawn[name] for name in fields}
            )
        return per_box[box]

    unique = list(dict.fromkeys(boxes))
    if len(unique) == 1:
        return in_box(unique[0])
    # Every box is drawn equally often, however few states it holds.
    return st.sampled_from(unique).flatmap(in_box)


def _values_in_cell(dim: Dimension, cell: int) -> st.SearchStrategy[object]:
    """Valid values of one input inside one cell, its edges favoured."""
    if dim.kind != "numeric":
        return st.just(dim.values[cell])
    if dim.allows_unknown and cell == dim.unknown_cell:
        return st.just(UNKNOWN)
    low, high, point = dim.cell_bounds(cell)
    if point:
        return st.sampled_from(_number_forms(low, dim.integer))
    if dim.integer:
        lo = math.floor(low) + 1 if math.isfinite(low) else None
        hi = math.ceil(high) - 1 if math.isfinite(high) else None
        near = [
            v
            for v in (lo, hi, None if lo is None else lo + 1, None if hi is None else hi - 1)
            if v is not None and (lo is None or v >= lo) and (hi is None or v <= hi)
        ]
        if lo is None and hi is None:
            near = [0, 1, -1]
        anywhere = st.integers(min_value=lo, max_value=hi)
        return st.one_of(st.sampled_from(sorted(set(near))), anywhere)
    finite_low, finite_high = math.isfinite(low), math.isfinite(high)
    candidates: list[float | int] = []
    if finite_low:
        candidates += [math.nextafter(float(low), math.inf), low + 0.5, low + 1]
    if finite_high:
        candidates += [math.nextafter(float(high), -math.inf), high - 0.5, high - 1]
    if not finite_low and not finite_high:
        candidates += [0.0, 1.0, -1.0]
    candidates.append(dim.representative(cell))  # type: ignore[arg-type]
    edges: list[object] = []
    for value in candidates:
        if low < value < high:
            edges.append(float(value))
            if float(value).is_integer() and abs(value) <= _BIG:
                edges.append(int(value))
    anywhere_f = st.floats(
        min_value=float(low) if finite_low else None,
        max_value=float(high) if finite_high else None,
        exclude_min=finite_low,
        exclude_max=finite_high,
        allow_nan=False,
        allow_infinity=False,
    )
    return st.one_of(st.sampled_from(_unique(edges)), anywhere_f)


def _number_forms(value: float | int, integer: bool) -> list[object]:
    """A threshold as each type the input accepts: ``int`` (and ``float`` for numbers)."""
    if integer:
        return [int(value)]
    forms: list[object] = [float(value)]
    if float(value).is_integer() and abs(value) <= _BIG:
        forms.append(int(value))
    if value == 0:
        forms.append(-0.0)
    return _unique(forms)


def _unique(values: Iterable[object]) -> list[object]:
    """Drop repeats, keeping ``1`` apart from ``1.0`` and ``-0.0`` apart from ``0.0``."""
    return list({(type(v), repr(v)): v for v in values}.values())


# --------------------------------------------------------------------------- invalid kinds


def _replace(
    base: st.SearchStrategy[State],
    names: Sequence[str],
    bad_values: Callable[[str], st.SearchStrategy[object]],
) -> st.SearchStrategy[State]:
    """A valid state with the value of one of ``names`` replaced by a bad one."""

    def change(state_and_name: tuple[State, str]) -> st.SearchStrategy[State]:
        state, name = state_and_name
        return bad_values(name).map(lambda bad: {**state, name: bad})

    return st.tuples(base, st.sampled_from(list(names))).flatmap(change)


def _missing(ruleset: RuleSet, base: st.SearchStrategy[State]) -> st.SearchStrategy[State]:
    names = list(ruleset.inputs)
    return st.tuples(base, st.sampled_from(names)).map(
        lambda pair: {k: v for k, v in pair[0].items() if k != pair[1]}
    )


def _misspellings(name: str) -> list[str]:
    words = [name.upper(), name.title(), name.capitalize(), f" {name}", f"{name} ", name + "s"]
    words += [name.replace("_", " "), name.replace("_", "-"), name.replace("_", "")]
    words += [name[:i] + name[i + 1 :] for i in range(len(name))]  # a letter dropped
    words += [name[:i] + name[i] + name[i:] for i in range(len(name))]  # a letter doubled
    return words


def _extra(ruleset: RuleSet, base: st.SearchStrategy[State]) -> st.SearchStrategy[State]:
    declared = set(ruleset.inputs)
    names = sorted({w for n in declared for w in _misspellings(n)} - declared)
    other = st.text(min_size=0, max_size=12).filter(lambda n: n not in declared)
    extra_name = st.one_of(st.sampled_from(names), other) if names else other
    any_value = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text())

    def add(args: tuple[State, str, object, bool]) -> State:
        state, extra, value, instead = args
        out = dict(state)
        if instead:  # the misspelling replaces the field it misspells, where it is one
            for right in declared:
                if extra in _misspellings(right):
                    value = out.pop(right)
                    break
        out[extra] = value
        return out

    return st.tuples(base, extra_name, any_value, st.booleans()).map(add)


def _wrong_values(ruleset: RuleSet, name: str) -> st.SearchStrategy[object]:
    import numpy as np

    domain = ruleset.inputs[name].domain
    texts_for_unknown = ["Unknown", "UNKNOWN", " unknown"]
    if isinstance(domain, NumericDomain):
        values: list[object] = [True, False, np.True_, "5", "0", "", "1.5", " 7 ", b"5"]
        values += [Decimal("1"), Fraction(1, 2), complex(1, 0), [1], {"value": 1}]
        values += texts_for_unknown if domain.allows_unknown else [UNKNOWN]
        if domain.integer:
            values += [3.0, 0.0, -1.0, 2.5, np.float64(3.0), np.float32(1.0)]
        # A valid value written as text is still a text.
        examples = [str(v) for v in _number_candidates(domain)]
        return st.one_of(st.sampled_from(_unique(values)), st.sampled_from(examples or ["1"]))
    if isinstance(domain, BooleanDomain):
        values = [0, 1, 1.0, 0.0, "true", "false", "True", "yes", "no", "", np.int64(1), [True]]
        values += texts_for_unknown if domain.allows_unknown else [UNKNOWN]
        return st.sampled_from(_unique(values))
    assert isinstance(domain, ChoiceDomain)
    values = [0, 1, 2.5, True, False, [domain.values[0]], (domain.values[0],)]
    values += [v.encode() for v in domain.values]
    return st.sampled_from(_unique(values))


def _number_candidates(domain: NumericDomain) -> list[int | float]:
    out: list[int | float] = [0, 1]
    for limit in (domain.low, domain.high):
        if limit is not None:
            out.append(limit.value)
    return [v for v in out if domain.contains(v) and (not domain.integer or type(v) is int)]


def _wrong_type(ruleset: RuleSet, base: st.SearchStrategy[State]) -> st.SearchStrategy[State]:
    return _replace(base, list(ruleset.inputs), lambda name: _wrong_values(ruleset, name))


def _outside(domain: NumericDomain) -> st.SearchStrategy[object]:
    options: list[st.SearchStrategy[object]] = []
    edges: list[object] = []
    if domain.low is not None:
        low = domain.low.value
        if domain.integer:
            below = int(low) - (1 if domain.low.inclusive else 0)
            edges += [below, below - 1, below - 1000]
            options.append(st.integers(max_value=below))
        else:
            below_f = math.nextafter(float(low), -math.inf) if domain.low.inclusive else low
            edges += [math.nextafter(float(low), -math.inf), low - 1, low - 0.5, -1e308]
            if not domain.low.inclusive:
                edges += _number_forms(low, integer=False)
            options.append(
                st.floats(max_value=float(below_f), allow_nan=False, allow_infinity=False)
            )
    if domain.high is not None:
        high = domain.high.value
        if domain.integer:
            above = int(high) + (1 if domain.high.inclusive else 0)
            edges += [above, above + 1, above + 1000, 10**30]
            options.append(st.integers(min_value=above))
        else:
            above_f = math.nextafter(float(high), math.inf) if domain.high.inclusive else high
            edges += [math.nextafter(float(high), math.inf), high + 1, high + 0.5, 1e308, 10**400]
            if not domain.high.inclusive:
                edges += _number_forms(high, integer=False)
            options.append(
                st.floats(min_value=float(above_f), allow_nan=False, allow_infinity=False)
            )

    def outside(value: object) -> bool:
        return isinstance(value, (int, float)) and not domain.contains(value)

    kept = [v for v in _unique(edges) if outside(v)]
    return st.one_of(st.sampled_from(kept), *[o.filter(outside) for o in options])


def _out_of_range(ruleset: RuleSet, base: st.SearchStrategy[State]) -> st.SearchStrategy[State]:
    limited = {
        name: item.domain
        for name, item in ruleset.inputs.items()
        if isinstance(item.domain, NumericDomain)
        and (item.domain.low is not None or item.domain.high is not None)
    }
    return _replace(base, list(limited), lambda name: _outside(limited[name]))


def _not_a_choice_values(domain: ChoiceDomain) -> st.SearchStrategy[object]:
    allowed = set(domain.values) | ({UNKNOWN} if domain.allows_unknown else set())
    words: list[str] = ["", " ", "none", "other"]
    if not domain.allows_unknown:
        words.append(UNKNOWN)
    for value in domain.values:
        words += [value.upper(), value.title(), value.swapcase(), f" {value}", f"{value} "]
        words += [f"\t{value}", value.replace("_", " "), f"{value}\u00a0", value + value[-1]]
    kept = sorted({w for w in words if w not in allowed})
    others = st.text(max_size=10).filter(lambda w: w not in allowed)
    return st.one_of(st.sampled_from(kept), others)


def _not_a_choice(ruleset: RuleSet, base: st.SearchStrategy[State]) -> st.SearchStrategy[State]:
    choices = {
        name: item.domain
        for name, item in ruleset.inputs.items()
        if isinstance(item.domain, ChoiceDomain)
    }
    return _replace(base, list(choices), lambda name: _not_a_choice_values(choices[name]))


def _nan_inf(ruleset: RuleSet, base: st.SearchStrategy[State]) -> st.SearchStrategy[State]:
    import numpy as np

    numeric = [n for n, i in ruleset.inputs.items() if isinstance(i.domain, NumericDomain)]
    bad: list[Any] = [math.nan, math.inf, -math.inf, -math.nan]
    bad += [np.float64("nan"), np.float64("inf"), np.float32("-inf"), np.float16("nan")]
    return _replace(base, numeric, lambda _: st.sampled_from(bad))


def _none(ruleset: RuleSet, base: st.SearchStrategy[State]) -> st.SearchStrategy[State]:
    return _replace(base, list(ruleset.inputs), lambda _: st.none())

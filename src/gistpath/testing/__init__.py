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

The package: :mod:`~gistpath.testing.cells` draws states from boxes of cells,
:mod:`~gistpath.testing.invalid` breaks one field of a valid state; the strategies a user
calls are here.

Limits: hypothesis is imported by this module, so it is a test-time dependency only:
``import gistpath`` never imports this module. Drawn values are plain Python values (plus a
few numpy scalars among the invalid ones); use ``evaluate_many`` tests to exercise arrays
and dataframes. A rule set whose constraints exclude every state has no valid states: the
strategy is then empty and hypothesis reports the test as unsatisfiable (a rule file like
that fails verification and cannot be loaded without ``draft=True``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from gistpath.model import ChoiceDomain, NumericDomain
from gistpath.regions import Box, complement, intersect_regions, simplify
from gistpath.testing.cells import State, broken_boxes, derived_of, states_in, valid_boxes
from gistpath.testing.invalid import BUILDERS, Builder

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet

__all__ = ["INVALID_KINDS", "invalid_kinds", "invalid_states", "pathway_boxes", "valid_states"]


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
    derived = derived_of(ruleset)
    cached = derived.valid_states.get(pathway)
    if cached is not None:
        return cached
    parts = pathway_boxes(ruleset)
    if pathway is not None:
        boxes = parts.get(pathway, [])
        if not boxes:
            raise ValueError(f"no valid state of rule set {ruleset.name!r} reaches {pathway!r}")
        strategy = states_in(ruleset, boxes)
    else:
        strategy = st.one_of([states_in(ruleset, boxes) for boxes in parts.values() if boxes])
    derived.valid_states[pathway] = strategy
    return strategy


def pathway_boxes(ruleset: RuleSet) -> dict[str | None, list[Box]]:
    """The valid states of each pathway, as boxes of cells over the inputs, in file order.

    Exact: a valid state lies in a box of pathway ``p`` exactly when a rule leading to
    ``p`` matches it. The key ``None`` holds the valid states no rule matches (only a draft
    with gaps has them). In a draft with overlaps a state may lie in two pathways' boxes.
    """
    derived = derived_of(ruleset)
    if derived.pathway_boxes is not None:
        return derived.pathway_boxes
    space = ruleset.compiled.space
    valid = valid_boxes(ruleset)
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
        "constraint": bool(broken_boxes(ruleset)),
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
    builders: dict[str, Builder] = {
        **BUILDERS,
        "constraint": lambda rs, _: states_in(rs, broken_boxes(rs)),
    }
    return st.one_of([builders[kind](ruleset, base) for kind in usable])

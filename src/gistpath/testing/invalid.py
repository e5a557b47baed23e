"""Invalid states, one mistake at a time: the builders behind
:func:`gistpath.testing.invalid_states` (every kind of :data:`gistpath.testing.INVALID_KINDS`
but ``constraint``, which draws from the broken-constraint boxes instead).

Design: each builder starts from a valid state and breaks exactly one field: leaves it out,
adds a misspelt or foreign one, gives it a value of another type, outside its range, not one
of its choices, NaN or an infinity, or ``None``; so the :class:`gistpath.StateError` the
rule set raises names that field.

Limits: the wrong values are a fixed catalogue per kind of input, plus values just beyond
each numeric limit; they are not exhaustive.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from gistpath.language import UNKNOWN
from gistpath.model import BooleanDomain, ChoiceDomain, NumericDomain
from gistpath.testing.cells import State, number_forms, unique

if TYPE_CHECKING:
    from gistpath.ruleset import RuleSet

Builder = Callable[["RuleSet", st.SearchStrategy[State]], st.SearchStrategy[State]]


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
        return st.one_of(st.sampled_from(unique(values)), st.sampled_from(examples or ["1"]))
    if isinstance(domain, BooleanDomain):
        values = [0, 1, 1.0, 0.0, "true", "false", "True", "yes", "no", "", np.int64(1), [True]]
        values += texts_for_unknown if domain.allows_unknown else [UNKNOWN]
        return st.sampled_from(unique(values))
    assert isinstance(domain, ChoiceDomain)
    values = [0, 1, 2.5, True, False, [domain.values[0]], (domain.values[0],)]
    values += [v.encode() for v in domain.values]
    return st.sampled_from(unique(values))


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
                edges += number_forms(low, integer=False)
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
                edges += number_forms(high, integer=False)
            options.append(
                st.floats(min_value=float(above_f), allow_nan=False, allow_infinity=False)
            )

    def outside(value: object) -> bool:
        return isinstance(value, (int, float)) and not domain.contains(value)

    kept = [v for v in unique(edges) if outside(v)]
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


#: The builder of each kind of invalid state but ``constraint``.
BUILDERS: dict[str, Builder] = {
    "missing": _missing,
    "extra": _extra,
    "wrong_type": _wrong_type,
    "out_of_range": _out_of_range,
    "not_a_choice": _not_a_choice,
    "nan_inf": _nan_inf,
    "none": _none,
}

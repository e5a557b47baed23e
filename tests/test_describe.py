"""A box in the file's terms (:mod:`gistpath.describe`), checked cell by cell.

On random rule files, every numeric input and random sets of its cells: the words
:func:`describe_numeric` gives, read back by the small reader below (independent of the
code that wrote them), hold for the representative value of exactly the valid cells of
the set, and name ``unknown`` exactly when the set holds it. :func:`middle_example` gives
a state inside the box it was asked about, and :func:`describe_box` names each input the
box narrows and no other.
"""

from __future__ import annotations

import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gistpath.cells import Dimension
from gistpath.describe import describe_box, describe_numeric, middle_example

from strategies import build_ruleset, rule_files

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NUMBER = r"-?[0-9.e+-]+|-?inf"


def _holds(phrase: str, name: str, value: object) -> bool:
    """Whether one piece of a description (``5 < x <= 10``, ``x = 9``, ...) holds."""
    if phrase == f"{name} is unknown":
        return value is None
    if value is None:
        return False
    assert isinstance(value, (int, float))
    if phrase == f"any {name}":
        return True
    ops = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}
    n = re.escape(name)
    if m := re.fullmatch(rf"{n} = ({_NUMBER})", phrase):
        return float(value) == float(m[1])
    if m := re.fullmatch(rf"({_NUMBER}) (<=?) {n} (<=?) ({_NUMBER})", phrase):
        return ops[m[2]](float(m[1]), float(value)) and ops[m[3]](float(value), float(m[4]))
    m = re.fullmatch(rf"{n} (<=?|>=?) ({_NUMBER})", phrase)
    assert m, phrase
    return ops[m[1]](float(value), float(m[2]))


def _read(text: str, name: str, value: object) -> bool:
    """Whether a whole description (pieces joined by ``or`` in parentheses) holds."""
    if text.startswith("(") and text.endswith(")"):
        return any(_holds(p, name, value) for p in text[1:-1].split(" or "))
    return _holds(text, name, value)


def _value(dim: Dimension, cell: int) -> object:
    return None if dim.allows_unknown and cell == dim.unknown_cell else dim.representative(cell)


@SLOW
@given(rule_files(), st.data())
def test_numeric_words_hold_for_exactly_the_cells_described(text: str, data: st.DataObject) -> None:
    space = build_ruleset(text).compiled.space
    for dim in space.dimensions[:-1]:
        if dim.kind != "numeric":
            continue
        valid = [c for c in range(dim.size) if dim.valid >> c & 1]
        chosen = data.draw(st.sets(st.sampled_from(valid), min_size=1))
        mask = sum(1 << c for c in chosen)
        words = describe_numeric(space, dim.name, mask)
        for cell in valid:
            assert _read(words, dim.name, _value(dim, cell)) == (cell in chosen), (words, cell)


@SLOW
@given(rule_files(), st.data())
def test_the_middle_example_lies_in_its_box_and_the_box_names_what_it_narrows(
    text: str, data: st.DataObject
) -> None:
    space = build_ruleset(text).compiled.space
    box = []
    for dim in space.dimensions:
        valid = [c for c in range(dim.size) if dim.valid >> c & 1]
        chosen = data.draw(st.sets(st.sampled_from(valid), min_size=1))
        box.append(sum(1 << c for c in chosen))
    example = middle_example(space, tuple(box))
    for dim, mask in zip(space.dimensions[:-1], box[:-1], strict=True):
        value = example[dim.name]
        cell = dim.unknown_cell if value is None and dim.allows_unknown else dim.cell_of(value)
        assert mask >> cell & 1, (dim.name, value)
        if isinstance(value, float):
            assert math.isfinite(value)
    words = describe_box(space, tuple(box))
    narrowed = {d.name for d, m in zip(space.dimensions, box, strict=True) if m != d.valid}
    named = {d.name for d in space.dimensions if re.search(rf"(^|[ (]){d.name}\b", words)}
    assert named == narrowed or (not narrowed and words == "every valid state")

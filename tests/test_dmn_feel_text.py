"""Cells as S-FEEL entry text (:mod:`gistpath.dmn.feel_text`) against brute force.

On random numeric domains, cuts and sets of cells, the entries
:func:`~gistpath.dmn.feel_text.entries` writes match (by the independent FEEL matcher of
``dmn_oracle.py``) every allowed value at and beside each cut exactly when the value's
cell is in the set, and FEEL ``null`` exactly when the set holds ``unknown``; numbers are
written so that FEEL reads back the same number, whole floats without ``.0``.
"""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from tests.dmn_oracle import matches

from gistpath.cells import numeric_dimension
from gistpath.dmn.feel_text import entries, feel_number, feel_string
from gistpath.model import NumericDomain

from strategies import numeric_candidates, numeric_domains_and_cuts


@given(numeric_domains_and_cuts(), st.integers(min_value=0))
def test_numeric_entries_match_exactly_the_values_of_the_cells_asked_for(
    case: tuple[NumericDomain, set[int | float]], chosen: int
) -> None:
    domain, cuts = case
    limits = {limit.value for limit in (domain.low, domain.high) if limit is not None}
    dim = numeric_dimension("x", cuts | limits, domain)
    mask = chosen % (1 << dim.size) & dim.valid
    written = entries(dim, mask, unknown_is_null=True)
    for value in numeric_candidates(domain, {*dim.thresholds, 0}):
        wanted = bool(mask >> dim.cell_of(value) & 1)
        assert any(matches(entry, value) for entry in written) == wanted, (written, value)
    if domain.allows_unknown:
        wanted = bool(mask >> dim.unknown_cell & 1)
        assert any(matches(entry, None) for entry in written) == wanted, written


@given(st.integers(min_value=-(10**20), max_value=10**20) | st.floats(allow_nan=False))
def test_a_number_is_written_as_feel_reads_back_the_same_number(value: int | float) -> None:
    if isinstance(value, float) and math.isinf(value):
        return
    text = feel_number(value)
    assert (int(text) if isinstance(value, int) else float(text)) == value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        assert "." not in text
        assert "e" not in text


def test_a_string_is_quoted_with_its_quotes_and_backslashes_escaped() -> None:
    assert feel_string('say "hi" \\ there') == '"say \\"hi\\" \\\\ there"'

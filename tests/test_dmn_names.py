"""gistpath.dmn.names: a DMN name becomes a gistpath name by one rule."""

from __future__ import annotations

import pytest

from gistpath import dmn


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Approval Status", "approval_status"),
        ("  Risk -- Category (v2) ", "risk_category_v2"),
        ("isAffordable", "isaffordable"),
        ("__x__", "x"),
        ("Größe", "gr_e"),
    ],
)
def test_names(name: str, expected: str) -> None:
    assert dmn.gistpath_name(name) == expected

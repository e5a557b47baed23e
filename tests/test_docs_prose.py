"""Conditions written in words (``docs/prose.py``, :func:`gistpath.docs.describe`): inputs by
their titles with links, numbers with their units, negations turned into the opposite
bound, and the pathway a consideration depends on by its title.
"""

from __future__ import annotations

import gistpath
from gistpath import ast
from gistpath.docs import describe

from samples import WALK_FILE


def test_conditions_in_words() -> None:
    walk = gistpath.load(WALK_FILE)
    cold = walk.model.lets["cold"].condition
    assert describe(cold, walk) == "`Air temperature <#input-temperature-c>`__: less than 5 °C"
    assert describe(ast.Not(cold), walk).endswith(": at least 5 °C")
    long_walk = walk.model.lets["long_walk"].condition
    assert describe(ast.Not(long_walk), walk).endswith(": at most 10 km or more than 100 km")
    gloves = walk.considerations["gloves"].condition
    assert "the pathway: not `Stay at home <#pathway-stay-home>`__" in describe(gloves, walk)

"""Whether a rule set reads as clinical (``docs/audience.py``,
:func:`gistpath.docs.looks_clinical`): the GIST rule set does, the walk example does not.
"""

from __future__ import annotations

import gistpath
from gistpath.docs import looks_clinical

from samples import WALK_FILE


def test_a_clinical_rule_set_is_recognised_and_a_walk_is_not() -> None:
    assert looks_clinical(gistpath.load_builtin("gist"))
    assert not looks_clinical(gistpath.load(WALK_FILE))

"""What every syntax-tree node shares: the :class:`Frozen` base and the position field.

Design: nodes are small frozen attrs classes; their ``line`` and ``column`` are carried
along but left out of ``==`` and ``hash`` (:func:`position`), so a printed and re-parsed
file gives an equal tree. One ``repr`` is written here for all of them.

Limits: none of its own; see :mod:`gistpath.ast`.
"""

from __future__ import annotations

import attrs


def position() -> int:
    """An attrs field for a node's line or column: keyword-only, 0 by default, and left
    out of ``==``, ``hash`` and ``repr``."""
    return attrs.field(default=0, eq=False, kw_only=True, repr=False)


class Frozen:
    """What every node shares: a ``repr`` of its shown fields, written once.

    (attrs would write one per class; sixty of them cost several milliseconds at import,
    which every cold load of a rule file pays.)
    """

    __slots__ = ()

    def __repr__(self) -> str:
        fields = attrs.fields(type(self))  # type: ignore[arg-type]
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields if f.repr)
        return f"{type(self).__name__}({shown})"

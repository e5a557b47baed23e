# The C loops of gistpath._kernel (src/gistpath/_kernel.c); see gistpath.vectorized.
from typing import Any

def numbers(
    source: Any,
    out: Any,
    thresholds: bytes,
    valid: bytes,
    low: float,
    high: float,
    flags: int,
    unknown: str | None,
    unknown_cell: int,
    /,
) -> int: ...
def lookup(
    source: Any, out: Any, table: dict[str, int], cell_false: int, cell_true: int, /
) -> int: ...
def text(
    codes: Any, width: int, out: Any, allowed: bytes, cells_of: bytes, p: int, q: int, lut: bytes, /
) -> int: ...
def fold(
    cells: list[Any],
    groups: list[list[tuple[int, int]]],
    classes: list[Any],
    folds: list[tuple[Any, int]],
    outcome: Any,
    out: Any,
    /,
) -> None: ...

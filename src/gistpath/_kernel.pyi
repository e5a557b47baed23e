# The C loops of gistpath._kernel (src/gistpath/_kernel.c); see gistpath.vectorized.
# The column functions fill `out` (int32) with the cells of rows start .. start + len(out)
# and return how many they left at -1 (for the validators), or -2 for a source they do not
# read.
from typing import Any

def numbers(
    source: Any,
    start: int,
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
    source: Any, start: int, out: Any, table: dict[str, int], cell_false: int, cell_true: int, /
) -> int: ...
def text(
    codes: Any,
    width: int,
    start: int,
    out: Any,
    allowed: bytes,
    cells_of: bytes,
    p: int,
    q: int,
    lut: bytes,
    /,
) -> int: ...
def codes(source: Any, start: int, out: Any, table: bytes, /) -> int: ...
def utf8(
    offsets: Any,
    data: Any,
    start: int,
    out: Any,
    allowed: bytes,
    bounds: bytes,
    by_length: bytes,
    cells_of: bytes,
    heads: bytes,
    slots: bytes,
    salt: int,
    /,
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
def objects(jobs: list[tuple[Any, ...]], threads: int, /) -> list[int]: ...

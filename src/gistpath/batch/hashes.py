"""The slot hashes of the C loops, written once in Python.

Design: the C loops find a text's candidate value through a hash of a few machine words of
it, in a table of slots that Python fills (or, for the look-up of lists, that C fills from
the same formula). Each hash is written here once, and ``_kernel.c`` exposes its own
(``word_slot``, ``utf8_slot``, ``text_slot``) so that a property test holds the two to each
other on random texts (``tests/test_batch_hashes.py``). Python uses them to fill the slot
tables of :mod:`gistpath.batch.specs`; the tests use :func:`word_slot` to build names that
collide.

- :func:`text_slot`: numpy fixed-width text, two code points of a row;
- :func:`utf8_words` and :func:`utf8_slot`: Arrow text of up to 16 bytes, two words;
- :func:`ascii_words` and :func:`word_slot`: an ASCII ``str`` of up to 24 characters,
  three words (the look-up of lists and object arrays).

Limits: the words are read little-endian, as the C loops read them on little-endian
machines (the Arrow loops read words only there; the ``str`` look-up builds its keys and
reads its items alike on any machine, so only its slots differ).
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

WORD = (1 << 64) - 1

#: Slots of the Arrow text table (``UTF8_SLOTS`` in C): 12 bits.
UTF8_SLOTS = 4096
#: Longest Arrow text found through its words, in bytes.
UTF8_WORDS_MAX = 16
#: Slots of a look-up's word table (``WORD_SLOTS`` in C): 10 bits.
WORD_SLOTS = 1024
#: Longest ``str`` found through its words (``ASCII_WORDS_MAX`` in C).
ASCII_WORDS_MAX = 24
#: Salts the look-up tries, in order, before it gives the words up (``STR_SALTS`` in C).
WORD_SALTS = tuple((k * 0x9E3779B97F4A7C15) & WORD for k in range(64))


@overload
def text_slot(first: int, second: int, size: int) -> int: ...
@overload
def text_slot(
    first: npt.NDArray[np.int64], second: npt.NDArray[np.int64], size: int
) -> npt.NDArray[np.int64]: ...
def text_slot(
    first: int | npt.NDArray[np.int64], second: int | npt.NDArray[np.int64], size: int
) -> int | npt.NDArray[np.int64]:
    """The slot of a fixed-width text whose chosen code points are ``first`` and ``second``
    (``31 * first + second``, in a table of ``size`` slots, a power of two). Works on ints
    and, element-wise, on int64 arrays."""
    return (31 * first + second) & (size - 1)


def utf8_words(text: bytes) -> tuple[int, int]:
    """A text as the Arrow loop reads it (up to 16 bytes): two little-endian words, its
    first 8 bytes and its last 8 (zeros past its end; 0 when it is shorter than 8)."""
    first = int.from_bytes(text[:8].ljust(8, b"\0"), "little")
    return first, int.from_bytes(text[-8:], "little") if len(text) >= 8 else 0


def utf8_slot(words: tuple[int, int], length: int, salt: int) -> int:
    """The slot (of :data:`UTF8_SLOTS`) a text's :func:`utf8_words` hash to, with ``salt``."""
    a, b = words
    mixed = a ^ ((b * 0x9E3779B97F4A7C15) & WORD) ^ length ^ salt
    return ((mixed * 0xC2B2AE3D27D4EB4F) & WORD) >> 52


def ascii_words(text: str) -> tuple[int, int, int] | None:
    """A ``str`` as the look-up reads it: three little-endian words (its first 8 bytes, the
    last 8 of its first 16, the last 8 of its first 24; 0 where it is not that long), or
    ``None`` when it is not ASCII or longer than :data:`ASCII_WORDS_MAX`."""
    if len(text) > ASCII_WORDS_MAX or not text.isascii():
        return None
    data = text.encode("ascii")
    n = len(data)
    words = [int.from_bytes(data[: min(n, 8)], "little")]
    for end in (16, 24):
        stop = min(n, end)
        words.append(int.from_bytes(data[stop - 8 : stop], "little") if n > end - 8 else 0)
    return words[0], words[1], words[2]


def word_mix(words: tuple[int, int, int], length: int) -> int:
    """What :func:`word_slot` hashes before the salt: keys equal here share every slot."""
    w0, w1, w2 = words
    return (
        ((w0 * 0x9E3779B97F4A7C15) & WORD)
        ^ ((w1 * 0xC2B2AE3D27D4EB4F) & WORD)
        ^ ((w2 * 0x165667B19E3779F9) & WORD)
        ^ length
    )


def word_slot(words: tuple[int, int, int], length: int, salt: int) -> int:
    """The slot (of :data:`WORD_SLOTS`) a ``str``'s :func:`ascii_words` hash to."""
    return (((word_mix(words, length) ^ salt) * 0xD6E8FEB86659FD93) & WORD) >> 54


def text_slots(table: npt.NDArray[np.uint32], p: int, q: int, size: int) -> npt.NDArray[np.int64]:
    """:func:`text_slot` of every row of ``table`` (texts as code points), at ``p`` and ``q``."""
    columns = table.astype(np.int64)
    return text_slot(columns[:, p], columns[:, q], size)

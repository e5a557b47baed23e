"""gistpath.batch.hashes: each slot hash of the C loops, written once in Python, gives the
slot the C gives (``_kernel.word_slot``, ``utf8_slot``, ``text_slot``) on random texts:
ASCII up to and past the 24 characters the look-up reads as words, and non-ASCII."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gistpath.batch import hashes

if os.environ.get("GISTPATH_BUILD_KERNEL", "").lower() == "require":
    from gistpath import _kernel as kernel  # CI built it: it must be there
else:
    kernel = pytest.importorskip("gistpath._kernel")

pytestmark = pytest.mark.skipif(
    sys.byteorder != "little", reason="the words are read little-endian"
)

ASCII = st.text(alphabet=st.characters(max_codepoint=127), max_size=40)
TEXTS = st.one_of(ASCII, st.text(max_size=40))
SALTS = st.one_of(st.sampled_from(hashes.WORD_SALTS), st.integers(0, 2**64 - 1))


@pytest.mark.slow
@given(text=TEXTS, salt=SALTS)
def test_word_slot_is_the_c_look_up_slot(text: str, salt: int) -> None:
    words = hashes.ascii_words(text)
    c_slot = kernel.word_slot(text, salt)
    if len(text) > hashes.ASCII_WORDS_MAX or not text.isascii():
        assert words is None  # found by hash and comparison instead
        assert c_slot is None
        return
    assert words is not None
    assert hashes.word_slot(words, len(text), salt) == c_slot
    assert 0 <= c_slot < hashes.WORD_SLOTS


@pytest.mark.slow
@given(text=TEXTS, salt=st.integers(0, 2**64 - 1))
def test_utf8_slot_is_the_c_arrow_slot(text: str, salt: int) -> None:
    data = text.encode("utf-8")
    c_slot = kernel.utf8_slot(data, salt)
    if len(data) > hashes.UTF8_WORDS_MAX:
        assert c_slot is None  # compared by length instead
        return
    assert hashes.utf8_slot(hashes.utf8_words(data), len(data), salt) == c_slot
    assert 0 <= c_slot < hashes.UTF8_SLOTS


@given(
    first=st.integers(0, 0x10FFFF),
    second=st.integers(0, 0x10FFFF),
    size=st.sampled_from([64, 256, 1024, 4096]),
)
def test_text_slot_is_the_c_fixed_width_slot(first: int, second: int, size: int) -> None:
    assert hashes.text_slot(first, second, size) == kernel.text_slot(first, second, size)


# Two choice names (valid NAME tokens) whose three words give the same 64-bit value before
# the salt (found with a generalized birthday search): every salt puts both in one slot,
# so the look-up must give the words up for them (test_batch_kernel.py checks it does).
COLLIDING = ("Reeh5URaOrr0J2w8zzzzzzzz", "NvvTeEyb30FahZ5Szzzzzzzz")


def test_two_names_can_share_every_slot() -> None:
    a, b = COLLIDING
    words_a, words_b = hashes.ascii_words(a), hashes.ascii_words(b)
    assert a != b
    assert words_a is not None
    assert words_b is not None
    assert hashes.word_mix(words_a, len(a)) == hashes.word_mix(words_b, len(b))
    assert all(kernel.word_slot(a, s) == kernel.word_slot(b, s) for s in hashes.WORD_SALTS)

"""Bugs found reviewing the kernel's word look-up and `objects` (commits 55889a7, 923ac3b).

Each test was marked xfail(strict=True) while its bug existed; all three are fixed. The
crash and hang run in a subprocess so that the suite survives them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

kernel = pytest.importorskip("gistpath._kernel")

TESTS = str(Path(__file__).resolve().parent)


def _run(code: str, timeout: float) -> subprocess.CompletedProcess[str] | None:
    """Run code in a fresh interpreter; None when it did not finish in time."""
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=TESTS,
        )
    except subprocess.TimeoutExpired:
        return None


# Two choice names (valid NAME tokens) whose three words give the same 64-bit value before
# the salt: w0*C0 ^ w1*C1 ^ w2*C2 ^ length (found with a generalized birthday search). The
# salt is XORed into that value, so every salt puts both in one slot, and str_table_build's
# `for (salt = 0;; ...)` never ends, holding the GIL (not even Ctrl-C stops it).
COLLIDING = ("Reeh5URaOrr0J2w8zzzzzzzz", "NvvTeEyb30FahZ5Szzzzzzzz")


def test_the_two_names_collide_before_the_salt() -> None:
    mask = (1 << 64) - 1

    def mixed(text: str) -> int:
        data = text.encode()
        w = [int.from_bytes(data[i : i + 8], "little") for i in (0, 8, 16)]
        return (
            w[0] * 0x9E3779B97F4A7C15 ^ w[1] * 0xC2B2AE3D27D4EB4F ^ w[2] * 0x165667B19E3779F9
        ) & mask ^ len(data)

    a, b = COLLIDING
    assert a != b
    assert len(a) == len(b) == 24
    assert mixed(a) == mixed(b)


def test_choices_whose_words_collide_do_not_hang_evaluate_many() -> None:
    a, b = COLLIDING
    done = _run(
        f"""
        import gistpath
        rs = gistpath.loads(
            'ruleset pair "Two choices"\\n'
            'source s "S"\\n'
            'input word "A word": choice {a}, {b}\\n'
            'pathway p "P"\\n    summary "p"\\n    cites s "x"\\n'
            'pathway q "Q"\\n    summary "q"\\n    cites s "x"\\n'
            'rule one -> p: word is {a}\\n'
            'rule other -> q: otherwise\\n'
        )
        print(list(rs.evaluate_many({{"word": [{a!r}, {b!r}]}}).pathways))
        """,
        timeout=20,
    )
    assert done is not None, "evaluate_many did not finish (str_table_build loops forever)"
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['p',", "'q']"]


def test_objects_survives_a_list_emptied_while_its_job_is_parsed() -> None:
    done = _run(
        """
        import numpy as np
        from gistpath import _kernel
        N = 8_000_000  # 64 MB of item pointers: unmapped when the list is emptied
        column = [1.5] * N
        class Low:
            def __float__(self):
                column.clear()
                return 0.0
        out = np.empty(N, dtype=np.int32)
        ts = np.array([1.0]).tobytes()
        job = (0, column, 0, out, ts, b"\\x01\\x01\\x01", Low(), 0.0, 0, None, -1)
        try:
            _kernel.objects([job], 1)
        except ValueError:
            pass  # refusing the rows that are gone is fine; reading them is not
        print("ok")
        """,
        timeout=120,
    )
    assert done is not None
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert done.stdout.strip() == "ok"


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="built on 3.11's object layouts")
def test_numbers_with_an_unknown_that_is_no_str_matches_nothing() -> None:
    # An int of 12 digits read as a str (3.11: state at offset 32 = digit 2, length at 16 =
    # the digit count, text at 48 = digits 6..8) is a compact ASCII text "abc1abc2abc3".
    digits = [0] * 12
    digits[2] = 0x60  # compact, ascii
    text = b"abc1abc2abc3"
    for i in range(3):
        digits[6 + i] = int.from_bytes(text[4 * i : 4 * i + 4], "little")
    digits[-1] |= 1
    unknown = sum(d << (30 * i) for i, d in enumerate(digits))
    out = np.full(1, 7, dtype=np.int32)
    ts = np.array([1.0]).tobytes()
    try:
        kernel.numbers([text.decode()], 0, out, ts, b"\x01\x01\x01", 0.0, 0.0, 0, unknown, 2)
    except TypeError:
        return  # refusing such an `unknown`, as objects() does, is fine too
    assert out.tolist() == [-1]  # not unknown's cell: the text is not `unknown`

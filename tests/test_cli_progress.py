"""gistpath eval shows progress on a terminal, and nothing when stderr is piped."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator

import pytest

from gistpath import cli
from gistpath.cli import progress

from samples import WALK_FILE, walk_state


def screen(text: str) -> list[str]:
    """What a terminal shows after ``text``: each ``\\r`` returns to the line's start."""
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        shown: list[str] = []
        for part in raw.split("\r"):
            shown[: len(part)] = list(part)
        lines.append("".join(shown).rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return lines


def records(count: int, bad_at: tuple[int, ...] = ()) -> str:
    lines = []
    for i in range(1, count + 1):
        state = walk_state(distance_km=1 + i % 30, temperature_c=-5 + i % 30)
        if i in bad_at:
            state["sky"] = "Clear"
        lines.append(json.dumps(state))
    return "\n".join(lines) + "\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def fake_clock(step: float) -> Iterator[float]:
    now = 0.0
    while True:
        now += step
        yield now


def run_in_process(
    monkeypatch: pytest.MonkeyPatch, text: str, stderr: io.StringIO, *args: str
) -> tuple[int, str, str]:
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    status = cli.main(["eval", str(WALK_FILE), *args])
    return status, stdout.getvalue(), stderr.getvalue()


def test_progress_on_a_terminal_is_redrawn_and_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = fake_clock(0.15)  # the clock moves 0.15 s between looks: a redraw every other
    monkeypatch.setattr(progress, "_clock", lambda: next(clock))
    count = 20 * progress.PROGRESS_EVERY
    status, out, err = run_in_process(monkeypatch, records(count, bad_at=(700,)), Terminal())
    assert status == 1
    assert len(out.splitlines()) == count - 1
    assert "\rgistpath eval: 512 records, 0 bad" in err
    assert f"\rgistpath eval: {count:,} records, 1 bad" in err
    assert err.count("\rgistpath eval:") == 10  # at most every 0.2 s of the clock
    # The progress line is gone before each message, and at the end.
    assert screen(err) == [
        "<stdin>:700: record 700: sky: not an allowed value (did you mean 'clear'?): "
        "got 'Clear' (str); "
        "expected one of 'clear', 'cloudy', 'rain', 'snow'",
        f"gistpath: 1 bad record reported above; {count - 1} decided",
    ]


def test_quiet_and_piped_runs_show_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = fake_clock(1.0)
    monkeypatch.setattr(progress, "_clock", lambda: next(clock))
    text = records(4 * progress.PROGRESS_EVERY)
    status, _, err = run_in_process(monkeypatch, text, Terminal(), "--quiet")
    assert (status, err) == (0, "")
    status, _, err = run_in_process(monkeypatch, text, io.StringIO())  # not a terminal
    assert (status, err) == (0, "")


def test_a_short_run_on_a_terminal_shows_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    status, _, err = run_in_process(monkeypatch, records(10), Terminal())
    assert (status, err) == (0, "")


@pytest.mark.slow
def test_progress_through_a_real_pty() -> None:
    """A subprocess whose stderr is a terminal: the count shows, and is cleared at the end."""
    text = records(60_000, bad_at=(5,))
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gistpath", "eval", str(WALK_FILE)],
            input=text.encode(),
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=300,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    err = b"".join(chunks).decode()
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 59_999
    assert "\rgistpath eval: " in err  # 60,000 records take well over 0.2 s
    assert screen(err) == [
        "<stdin>:5: record 5: sky: not an allowed value (did you mean 'clear'?): "
        "got 'Clear' (str); "
        "expected one of 'clear', 'cloudy', 'rain', 'snow'",
        "gistpath: 1 bad record reported above; 59999 decided",
    ]


@pytest.mark.slow
def test_piped_stderr_of_a_long_run_has_no_progress() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gistpath", "eval", str(WALK_FILE)],
        input=records(20_000),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    assert len(done.stdout.splitlines()) == 20_000

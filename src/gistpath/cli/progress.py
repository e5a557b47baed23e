"""The progress line of ``gistpath eval``: a record count on stderr, on a terminal only.

Design: :class:`Progress` redraws one line (``\\r``) at most every
:data:`PROGRESS_SECONDS`, reading the clock only every :data:`PROGRESS_EVERY` records,
and clears itself before each message and at the end. ``_clock`` is the one clock it
reads (tests replace it).

Limits: the line is plain text; a terminal narrower than the line wraps it.
"""

from __future__ import annotations

import time
from typing import IO

PROGRESS_EVERY = 256  # records between looks at the clock
PROGRESS_SECONDS = 0.2  # at most this often a redraw of the progress line
_clock = time.monotonic  # the progress line's clock (tests replace it)


class Progress:
    """A record count on one line of stderr, for long runs, only when stderr is a terminal.

    The line is redrawn (``\\r``) at most every :data:`PROGRESS_SECONDS`, and the clock is
    read only every :data:`PROGRESS_EVERY` records, so a fast run pays almost nothing. A
    message (a bad record) clears the line first; :meth:`close` clears it for good, so the
    terminal is left with the messages only. Piped or redirected, it writes nothing.
    """

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.width = 0  # characters of the progress line now on screen
        self.last = _clock()

    def update(self, count: int, bad: int) -> None:
        if not self.enabled or count % PROGRESS_EVERY:
            return
        now = _clock()
        if now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        text = f"gistpath eval: {count:,} records, {bad:,} bad"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def message(self, text: str) -> None:
        self.clear()
        print(text, file=self.stream)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    close = clear

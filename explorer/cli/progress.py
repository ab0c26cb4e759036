"""Progress for long steps (a first model load) on a terminal.

Quiet for the first second, so fast loads print nothing; then a rewritten line on a TTY, or a line per
tenth of the work when stderr is a file or pipe.
"""

from __future__ import annotations

import sys
import time

QUIET_SECONDS = 1.0


class TerminalProgress:
    def __init__(self, stream=None, min_interval: float = 0.1):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.min_interval = min_interval
        self._started = time.monotonic()
        self._last_time = 0.0
        self._last_decile = -1
        self._active = False

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - self._started < QUIET_SECONDS:
            return
        if self.tty:
            if fraction < 1.0 and now - self._last_time < self.min_interval:
                return
            self._last_time = now
            self.stream.write(f"\r\x1b[K{fraction:4.0%} {message}"[:200])
            self._active = True
        else:
            decile = int(fraction * 10)
            if decile == self._last_decile:
                return
            self._last_decile = decile
            self.stream.write(f"{fraction:4.0%} {message}\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty and self._active:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self._active = False

"""Driving a real window without a test framework: waiting for idle, and catching what reaches Qt.

The monkey and the soak run both under pytest and as a command, so they cannot lean on qtbot. Waiting polls
a condition while the event loop runs; it never sleeps blindly, so a slow machine only makes it slower.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer, QtMsgType, qInstallMessageHandler

POLL_MS = 5
SETTLE_TIMEOUT_S = 120.0


class NotSettled(RuntimeError):
    """The window did not become idle in time: a job hung, or one keeps resubmitting itself."""


def spin(ms: int = POLL_MS) -> None:
    """Run the event loop for about ms milliseconds (timers, queued signals from the job thread, paints)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], bool], timeout_s: float = SETTLE_TIMEOUT_S, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise NotSettled(f"{what} not reached within {timeout_s:g} s")
        spin()


def is_idle(window) -> bool:
    """No job of any kind is pending, and no typed text waits for its debounce timer to start a run."""
    return window.jobs.idle() and not window.workspace.typing_pending  # typed text awaiting its run is work too


def settle(window, timeout_s: float = SETTLE_TIMEOUT_S) -> None:
    """Wait until the window is idle twice in a row, with a loop turn between: a finished job often submits
    the next one (a run asks for its map) from its callback, and stepped jobs advance one step per turn."""
    deadline = time.monotonic() + timeout_s
    while True:
        wait_until(lambda: is_idle(window), max(deadline - time.monotonic(), 0.0), "an idle window")
        spin(1)
        if is_idle(window):
            return


class Watch:
    """Collects Qt warnings and exceptions that reach Qt's event loop, passing both on to whoever was there.

    Under pytest the previous handlers are pytest-qt's, which fail the test too; as a command, they print.
    """

    FAIL_TYPES = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
    # The offscreen platform plugin says this of every dialog it shows; a real display never does.
    PLATFORM_NOISE = ("This plugin does not support propagateSizeHints()",)

    def __init__(self):
        self.warnings: list[str] = []
        self.exceptions: list[str] = []
        self._previous_handler = None
        self._previous_hook = None

    def __enter__(self) -> Watch:
        self._previous_hook = sys.excepthook
        sys.excepthook = self._hook
        self._previous_handler = qInstallMessageHandler(self._handler)
        return self

    def __exit__(self, *_exc) -> None:
        qInstallMessageHandler(self._previous_handler)
        sys.excepthook = self._previous_hook

    def take(self) -> list[str]:
        """Problems seen since the last call, emptied."""
        problems = [f"Qt warning: {w}" for w in self.warnings] + [f"exception: {e}" for e in self.exceptions]
        self.warnings.clear()
        self.exceptions.clear()
        return problems

    def _handler(self, kind, context, message) -> None:
        if kind in self.FAIL_TYPES and message not in self.PLATFORM_NOISE:
            self.warnings.append(message)
        if self._previous_handler is not None:
            self._previous_handler(kind, context, message)

    def _hook(self, kind, value, traceback) -> None:
        import traceback as tb

        self.exceptions.append("".join(tb.format_exception(kind, value, traceback)).strip())
        if self._previous_hook is not None:
            self._previous_hook(kind, value, traceback)

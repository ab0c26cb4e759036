"""The UI monkey: a real window driven through many random actions from a fixed seed, checked after each.

After every action the event loop runs until the window is idle; then nothing may have reached Qt (no
exception, no warning), an action that must fail shows an error dialog (which the monkey closes), one that
must not shows none, and the map on screen belongs to the shown text, model and options. Every so often a
run of the monkey's own checks the shown tokens and map against the engine.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from .actions import Actions
from .checks import check_against_engine, check_window
from .driver import NotSettled, Watch, settle
from .files import write_samples

log = logging.getLogger(__name__)

DEEP_CHECK_EVERY = 25  # a fresh run of the engine is as slow as the action itself; now and then is enough


@dataclass
class Failure:
    action: int  # 1-based index of the action after which the problem was seen
    problems: list[str]
    history: list[str]  # every action up to and including that one


@dataclass
class Report:
    seed: int
    done: int = 0
    failures: list[Failure] = field(default_factory=list)
    errors_shown: int = 0  # error dialogs the monkey closed: bad input the window refused, as it should
    seconds: float = 0.0


def close_dialogs(window) -> list[str]:
    """Close every message box the window shows; their texts are returned."""
    texts = []
    for dialog in window.findChildren(QMessageBox):
        if dialog.isVisible():
            texts.append(f"{dialog.windowTitle()}: {dialog.text()}")
            dialog.done(QMessageBox.Ok)
    return texts


class Monkey:
    def __init__(self, window, seed: int, models: list[str], work: Path):
        self.window, self.seed = window, seed
        self.rng = random.Random(seed)
        samples = write_samples(work / "samples", models[0])
        self.actions = Actions(window, self.rng, models, samples, work)
        table = self.actions.table()
        self._weights = [weight for weight, _ in table]
        self._choices = [action for _, action in table]
        self.history: list[str] = []
        self.stale = False  # the last run failed or was cancelled: the previous map stays, on purpose
        window.workspace.run_failed.connect(self._run_failed)
        window.workspace.run_changed.connect(self._run_changed)

    def _run_failed(self, _message: str) -> None:
        self.stale = True

    def _run_changed(self, _run) -> None:
        self.stale = False

    def run(self, count: int, keep_going: bool = False, on_step=None) -> Report:
        report = Report(self.seed)
        started = time.monotonic()
        with Watch() as watch:
            settle(self.window)
            close_dialogs(self.window)
            watch.take()
            for index in range(1, count + 1):
                problems = self.step(index, watch, report)
                report.done = index
                if on_step is not None:
                    on_step(index)
                if problems:
                    report.failures.append(Failure(index, problems, list(self.history)))
                    if not keep_going:
                        break
        report.seconds = time.monotonic() - started
        return report

    def step(self, index: int, watch: Watch, report: Report) -> list[str]:
        action = self.rng.choices(self._choices, self._weights)[0]
        try:
            outcome = action()
        except Exception as error:  # an action that raises is a failure of the window, not of the monkey
            log.debug("action raised", exc_info=True)
            self.history.append(f"#{index} {action.__name__} (raised)")
            return [f"{action.__name__} raised {type(error).__name__}: {error}"]
        self.history.append(f"#{index} {outcome.what}")
        self.stale = self.stale or outcome.stale
        try:
            settle(self.window)
        except NotSettled as error:
            return [str(error)]
        problems = watch.take()
        dialogs = close_dialogs(self.window)
        report.errors_shown += len(dialogs)
        if outcome.error is True and not dialogs:
            problems.append("bad input was accepted without an error")
        if outcome.error is False and dialogs:
            problems.append(f"an error was shown for good input: {dialogs}")
        if outcome.verify is not None:
            problems += outcome.verify()
        problems += check_window(self.window, self.stale)
        if not problems and not self.stale and index % DEEP_CHECK_EVERY == 0:
            problems += check_against_engine(self.window)
        return problems


def describe(report: Report, tail: int = 40) -> str:
    """The report a person reads: counts, and for each failure the actions that led to it."""
    lines = [
        f"monkey: {report.done} actions, seed {report.seed}, {report.errors_shown} error dialogs closed, "
        f"{len(report.failures)} failures, {report.seconds:.0f} s"
    ]
    for failure in report.failures:
        lines.append(f"\nFAILED after action {failure.action}:")
        lines += [f"  - {p}" for p in failure.problems]
        lines.append(f"  the last {min(tail, len(failure.history))} actions:")
        lines += [f"    {h}" for h in failure.history[-tail:]]
        lines.append(f"  reproduce: python main.py qa monkey --seed {report.seed} --actions {failure.action}")
    return "\n".join(lines)

"""The endurance run: every tool, every export through its real dialog, training, cancelling and both
languages, for as long as asked, with the window checked after every action.

After each action: the window is alive and answers within a few seconds, nothing reached Qt or the log at
error level, no error dialog is open, each exported file reads back (file_checks.py), the action's own checks
hold (a readout belongs to the map on screen, Stop stops). Figures: actions, exports per format and per export
point, failures with the actions that led to each, resident memory, and the GUI thread's longest stall.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer

from .checks import check_window
from .driver import NotSettled, Watch, settle, wait_until
from .language_switch import choose_in_menu, language_problems, reopen_in
from .monkey import close_dialogs
from .soak import rss_mb
from .tool_actions import Step, open_tool
from .tool_exports import Exporter, ExportOutcome, export_points
from .tour import tool_visit

log = logging.getLogger(__name__)

STALL_TICK_MS = 50
RESPONSIVE_S = 10.0  # the event loop must turn within this after an action
MAX_FAILURES = 50  # past this, the run stops: something is broken for good
LANGUAGES = ("zh_CN", "en")
TOOLS = ("maps", "heads", "flow", "compare", "generate", "seq2seq", "foundations", "patching", "geometry", "corpus")


class StallMeter:
    """The GUI thread's longest time without turning its event loop, measured by a timer's late ticks.

    The checks the run does itself are excluded (pause/resume): only the window's own work counts.
    """

    def __init__(self):
        self.longest, self.during = 0.0, ""
        self.action, self.kind = "", ""
        self.by_kind: dict[str, tuple[float, str]] = {}  # kind of action -> its longest stall, and during what
        self._last = time.monotonic()
        self._paused = False
        self._timer = QTimer(interval=STALL_TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        if not self._paused:
            late = now - self._last - STALL_TICK_MS / 1000
            if late > self.longest:
                self.longest, self.during = late, self.action
            if late > self.by_kind.get(self.kind, (0.0, ""))[0]:
                self.by_kind[self.kind] = (late, self.action)
        self._last = now

    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self._paused, self._last = False, time.monotonic()

    def stop(self) -> None:
        self._timer.stop()


class ErrorLog(logging.Handler):
    """Records every log record at ERROR or above (an unexpected error in a job is logged so)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")

    def take(self) -> list[str]:
        taken, self.records = [f"logged: {r}" for r in self.records], []
        return taken


@dataclass
class Failure:
    action: int
    what: str
    problems: list[str]
    history: list[str]


@dataclass
class EnduranceReport:
    seconds: float = 0.0
    actions: int = 0
    kinds: Counter = field(default_factory=Counter)  # "export", "train", "cancel", "language", …
    per_format: Counter = field(default_factory=Counter)
    per_point: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    rss: dict[str, float] = field(default_factory=dict)  # start, warm, end, peak
    stall_s: float = 0.0
    stall_during: str = ""
    stalls: dict[str, tuple[float, str]] = field(default_factory=dict)  # per kind of action
    points_unused: list[str] = field(default_factory=list)  # export points that never wrote a file
    stopped_early: str = ""

    def describe(self, tail: int = 12) -> str:
        r = self.rss
        lines = [
            f"endurance: {self.actions} actions in {self.seconds / 60:.1f} min, {len(self.failures)} failures"
            + (f"; stopped early: {self.stopped_early}" if self.stopped_early else ""),
            "  actions: " + ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items())),
            f"  exports: {sum(self.per_format.values())} files: "
            + ", ".join(f"{s} {n}" for s, n in sorted(self.per_format.items())),
            f"  export points used: {len(self.per_point)}: "
            + ", ".join(f"{p} {n}" for p, n in sorted(self.per_point.items())),
            f"  RSS: start {r.get('start', 0):.0f} MiB, after the first round {r.get('warm', 0):.0f} MiB, "
            f"end {r.get('end', 0):.0f} MiB, peak {r.get('peak', 0):.0f} MiB; "
            f"growth after the first round {r.get('end', 0) - r.get('warm', 0):+.0f} MiB, of which "
            f"{r.get('rebuilds', 0):+.0f} MiB across the language switches' window rebuilds",
            f"  longest GUI-thread stall: {self.stall_s:.2f} s, during: {self.stall_during or '-'}",
            "  longest stall by kind: "
            + ", ".join(f"{k} {s:.2f} s" for k, (s, _) in sorted(self.stalls.items(), key=lambda i: -i[1][0])),
        ]
        if self.points_unused:
            unused = ", ".join(self.points_unused)
            lines.append(f"  export points that wrote nothing (nothing to export when visited): {unused}")
        for failure in self.failures:
            lines.append(f"\nFAILED at action {failure.action} ({failure.what}):")
            lines += [f"  - {p}" for p in failure.problems]
            lines += [f"    {h}" for h in failure.history[-tail:]]
        return "\n".join(lines)


class Endurance:
    def __init__(self, window, models: list[str], work: Path, seed: int = 0):
        self.window, self.models, self.work = window, models, work
        self.rng = random.Random(seed)
        self.exporter = Exporter(window, work / "exports")
        self.exporter.work.mkdir(parents=True, exist_ok=True)
        self.history: list[str] = []
        self.stale = False
        self._languages = itertools.cycle(LANGUAGES)
        self._models = itertools.cycle(models[1:] + models[:1])
        self._round = 0
        self._follow_runs()

    def _follow_runs(self) -> None:
        """A cancelled run leaves the previous map on purpose (stale) until the next run arrives."""
        self.window.workspace.run_changed.connect(self._run_arrived)

    def _run_arrived(self, _run) -> None:
        self.stale = False

    def run(self, seconds: float, on_action: Callable[[int, str], None] | None = None) -> EnduranceReport:
        report, meter, errors = EnduranceReport(), StallMeter(), ErrorLog()
        logging.getLogger().addHandler(errors)
        started = time.monotonic()
        try:
            with Watch() as watch:
                settle(self.window)
                close_dialogs(self.window)
                watch.take()
                report.rss["start"] = report.rss["peak"] = rss_mb(collect=False)
                self._loop(report, meter, watch, errors, started + seconds, on_action)
        finally:
            logging.getLogger().removeHandler(errors)
            meter.stop()
            report.seconds = time.monotonic() - started
            report.rss["end"] = rss_mb(collect=False)
            report.rss.setdefault("warm", report.rss["end"])
            report.stall_s, report.stall_during, report.stalls = meter.longest, meter.during, meter.by_kind
            report.per_format, report.per_point = self.exporter.per_format, self.exporter.per_point
            labels = [p.label for p in export_points(self.window)] if self._alive() else []
            report.points_unused = [label for label in labels if label not in report.per_point]
        return report

    def _loop(self, report, meter, watch, errors, deadline: float, on_action) -> None:
        for kind, what, action in self._schedule():
            if time.monotonic() > deadline or len(report.failures) >= MAX_FAILURES:
                return
            report.actions += 1
            meter.action, meter.kind = f"#{report.actions} {what}", kind
            before = rss_mb(collect=False)
            if on_action is not None:
                on_action(report.actions, what)
            try:
                outcome = action()
            except NotSettled as error:
                report.stopped_early = str(error)
                problems, outcome = [str(error)], Step(what)
            except Exception as error:  # an action that raises is the window's failure, reported with it
                log.debug("action raised", exc_info=True)
                problems, outcome = [f"{what} raised {type(error).__name__}: {error}"], Step(what)
            else:
                problems = []
            meter.pause()
            problems += self._check(outcome, watch, errors, kind)
            meter.resume()
            self.history.append(f"#{report.actions} {outcome.what}")
            now = rss_mb(collect=False)
            if on_action is not None:  # the resident memory after each action: where growth happens is in the log
                failed = f"  FAILED: {problems}" if problems else ""
                on_action(report.actions, f"  = {outcome.what}  [RSS {now:.0f} MiB]{failed}")
            report.kinds[kind] += 1
            report.rss["peak"] = max(report.rss["peak"], now)
            if kind == "language" and "warm" in report.rss:  # growth across window rebuilds, told apart
                report.rss["rebuilds"] = report.rss.get("rebuilds", 0.0) + now - before
            if problems:
                report.failures.append(Failure(report.actions, outcome.what, problems, list(self.history)))
            if report.stopped_early or not self._alive():
                report.stopped_early = report.stopped_early or "the window is gone"
                return
            if kind == "round":
                report.rss.setdefault("warm", rss_mb(collect=False))

    def _schedule(self) -> Iterator[tuple[str, str, Callable]]:
        """Round after round: every tool in turn (its own actions and exports), then a language or model switch."""
        points = export_points(self.window)
        for self._round in itertools.count(1):
            for name in TOOLS:
                yield "open", f"open {name}", lambda name=name: open_tool(self.window, name)
                yield from tool_visit(self, name, [p for p in points if p.tool == name])
            if len(self.models) > 1 and self._round % 3 == 0:
                yield "model", "switch model", self.switch_model
            yield "language", "switch language", self.switch_language
            points = export_points(self.window)  # a new window after a language switch: its own actions
            yield "round", f"round {self._round} done", lambda: Step(f"round {self._round} done")

    def export(self, point, cancel: bool = False) -> ExportOutcome:
        self.exporter.window = self.window
        return self.exporter.export(point, cancel)

    def switch_language(self) -> Step:
        code = next(self._languages)
        seen = choose_in_menu(self.window, code)
        self.window, took = reopen_in(self.window, code, self._model_path(self.window.workspace.state.model))
        self.exporter.window = self.window  # nothing of the run may keep the closed window alive
        self.stale = False
        self._follow_runs()
        problems = language_problems(self.window, code)
        timings = ", ".join(f"{part} {seconds:.1f} s" for part, seconds in took.items())
        return Step(f"Language → {code} ({seen or 'no question asked'}), window reopened ({timings})", problems)

    def _model_path(self, name: str) -> str:
        """What the window was given for the model named name: a catalogue name, or a folder's path."""
        return next((m for m in self.models if m == name or Path(m).name == name), name)

    def switch_model(self) -> Step:
        model = next(self._models)
        picker = self.window.model_picker
        index = picker.combo.findData(model)
        if index < 0:
            picker.add_model_path(model)
        else:
            picker.combo.setCurrentIndex(index)
            picker.combo.activated.emit(index)
        wait_until(lambda: self.window.jobs.idle(), 600.0, "the model switch")
        settle(self.window, 600.0)
        return Step(f"switch model to {Path(model).name}")

    def _check(self, outcome, watch: Watch, errors: ErrorLog, kind: str) -> list[str]:
        if not self._alive():
            return ["the window is gone"]
        problems = list(getattr(outcome, "problems", ()))
        turned = self._turnaround()
        if turned > RESPONSIVE_S:
            problems.append(f"the event loop took {turned:.1f} s to turn after the action")
        problems += watch.take() + errors.take()
        problems += [f"error dialog: {text}" for text in close_dialogs(self.window)]
        self.stale = self.stale or getattr(outcome, "stale", False)
        if self.window.active_tool is self.window.tools["maps"] and self.window.workspace.model is not None:
            problems += check_window(self.window, self.stale)
        return problems

    def _alive(self) -> bool:
        from shiboken6 import isValid

        return isValid(self.window) and self.window.isVisible()

    @staticmethod
    def _turnaround() -> float:
        started, turned = time.monotonic(), []
        QTimer.singleShot(0, lambda: turned.append(time.monotonic()))
        wait_until(lambda: bool(turned), RESPONSIVE_S * 3, "one turn of the event loop")
        return turned[0] - started

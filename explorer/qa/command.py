"""`python main.py qa monkey|soak|endurance`: the UI monkey, the memory soak and the endurance run, as commands.

Settings go to a temporary file, so a run never touches the user's; the models and their caches are the
user's own. The monkey and the soak run offscreen; the endurance run uses the display when there is one
(DISPLAY set: the real X server, where the export crash of issue 21 showed), offscreen otherwise. The report
is printed; the exit status is 1 when the monkey or the endurance run found a failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from explorer.core.state import DEFAULT_TEXT

FIRST_MAP_TIMEOUT_S = 900.0  # a first SmolLM2 load dequantizes the GGUF file once: minutes on a slow machine


def qa(args: argparse.Namespace) -> int:
    on_screen = args.check == "endurance" and bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not on_screen:  # before Qt starts: no window appears anywhere
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    models = [m.strip() for m in args.models.split(",") if m.strip()]
    if not models:
        raise ValueError("--models: name at least one model")
    check_counts(args)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="attention-explorer-qa-") as work:
        window = open_window(Path(work), models[0])
        try:
            if args.check == "monkey":
                return monkey(window, args, models, Path(work))
            if args.check == "endurance":
                window, status = endurance(window, args, models, Path(args.work or work))
                return status
            return soak(window, args, models)
        finally:
            from shiboken6 import isValid

            from .dialogs import answer_discard, through_dialog

            if isValid(window):  # a window replaced mid-run is closed already
                through_dialog(window.close, answer_discard)  # the lab's unsaved training asks first: Discard
            app.processEvents()


def check_counts(args: argparse.Namespace) -> None:
    name, count = {"monkey": ("actions", "actions"), "soak": ("runs", "runs")}.get(args.check, ("minutes", "minutes"))
    if not getattr(args, count) > 0:
        raise ValueError(f"--{name}: must be more than 0, not {getattr(args, count)}")


def open_window(work: Path, model: str):
    from PySide6.QtCore import QSettings

    from explorer.gui.app import build_window

    from .driver import wait_until

    settings = QSettings(str(work / "settings.ini"), QSettings.IniFormat)
    window = build_window(model=model, text=DEFAULT_TEXT, settings=settings)
    window.resize(1300, 850)
    window.show()
    failed: list[str] = []
    window.workspace.load_failed.connect(failed.append)
    try:
        wait_until(lambda: failed or window.tools["maps"].last_map is not None, FIRST_MAP_TIMEOUT_S, "the first map")
        if failed:
            raise ValueError(f"{model}: could not be loaded ({failed[0]})")
    except BaseException:
        window.close()  # stops the job thread: a QThread destroyed while it runs aborts the process
        raise
    return window


def monkey(window, args: argparse.Namespace, models: list[str], work: Path) -> int:
    from .monkey import Monkey, describe

    print(f"monkey: {args.actions} actions, seed {args.seed}, models {', '.join(models)}", flush=True)
    started = time.monotonic()

    def progress(index: int) -> None:
        if index % 100 == 0:
            print(f"  {index} actions, {time.monotonic() - started:.0f} s", flush=True)

    report = Monkey(window, args.seed, models, work / "monkey").run(args.actions, args.keep_going, progress)
    print(describe(report), flush=True)
    return 1 if report.failures or report.done < args.actions else 0


def soak(window, args: argparse.Namespace, models: list[str]) -> int:
    from .soak import Soak

    started = time.monotonic()

    def progress(phase: str, index: int) -> None:
        if index % 100 == 0:
            print(f"  {phase} {index}, {time.monotonic() - started:.0f} s", flush=True)

    report = Soak(window, models).run(args.runs, progress)
    print(report.describe(), f"({time.monotonic() - started:.0f} s)", flush=True)
    return 0


def endurance(window, args: argparse.Namespace, models: list[str], work: Path):
    """Returns the window in front at the end (a language switch replaces it) and the exit status."""
    import faulthandler
    import signal

    from PySide6.QtGui import QGuiApplication

    from .endurance import Endurance

    faulthandler.enable()  # a crash prints every thread's stack: the last action printed says what led there
    if hasattr(signal, "SIGUSR1"):  # kill -USR1 <pid>: every thread's stack, to see where a hang waits
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    work.mkdir(parents=True, exist_ok=True)
    platform = QGuiApplication.platformName()
    print(f"endurance: {args.minutes:g} min on {platform}, models {', '.join(models)}, files in {work}", flush=True)
    started = time.monotonic()

    def progress(index: int, what: str) -> None:
        print(f"  #{index} {(time.monotonic() - started) / 60:5.1f} min  {what}", flush=True)

    run = Endurance(window, models, work, args.seed)
    try:
        report = run.run(args.minutes * 60, progress)
    finally:
        window = run.window
    print(report.describe(), flush=True)
    return window, 1 if report.failures or report.stopped_early else 0

"""`python main.py qa monkey|soak`: the UI monkey and the memory soak on an offscreen window, as commands.

Settings go to a temporary file, so a run never touches the user's; the models and their caches are the
user's own. The report is printed; the exit status is 1 when the monkey found a failure.
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
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt starts: no window appears anywhere
    from PySide6.QtWidgets import QApplication

    models = [m.strip() for m in args.models.split(",") if m.strip()]
    if not models:
        raise ValueError("--models: name at least one model")
    count = args.actions if args.check == "monkey" else args.runs
    if count < 1:
        raise ValueError(f"--{'actions' if args.check == 'monkey' else 'runs'}: must be at least 1, not {count}")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="attention-explorer-qa-") as work:
        window = open_window(Path(work), models[0])
        try:
            if args.check == "monkey":
                return monkey(window, args, models, Path(work))
            return soak(window, args, models)
        finally:
            window.close()
            app.processEvents()


def open_window(work: Path, model: str):
    from PySide6.QtCore import QSettings

    from explorer.gui.app import build_window

    from .driver import wait_until

    settings = QSettings(str(work / "settings.ini"), QSettings.IniFormat)
    window = build_window(model=model, text=DEFAULT_TEXT, settings=settings)
    window.resize(1300, 850)
    window.show()
    failed: list[str] = []
    window.session.load_failed.connect(failed.append)
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

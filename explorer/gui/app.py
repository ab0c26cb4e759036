"""Starting the desktop explorer: `python main.py [--model M] [--text T | --file F]`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from explorer.core.state import DEFAULT_TEXT, SessionState

log = logging.getLogger(__name__)

DEFAULT_MODEL = "smollm2-135m-instruct"
STARTUP_PROBE = "ATTENTION_EXPLORER_STARTUP_PROBE"  # see report_startup


def has_display() -> bool:
    """Qt aborts the process without a display; detect that first and say what to do instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def launch(args: argparse.Namespace) -> int:
    if not has_display():
        raise OSError(
            "no display found; run the explorer in a desktop session (or set DISPLAY), or use the headless "
            "commands `models` and `export`"
        )
    from explorer.setup_check import missing_libraries_message

    missing = missing_libraries_message()  # before Qt starts: without them it aborts, naming no package
    if missing:
        raise OSError(missing)
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from explorer.export.figure_text import set_language as set_figure_language
    from explorer.resource_files import resource

    from .i18n import install_translators, interface_language
    from .palette import apply_palette
    from .settings import APPLICATION, ORGANIZATION, open_settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("attention-explorer")  # the menu entry `make desktop` installs
    app.setWindowIcon(QIcon(str(resource("icons", "attention-explorer.svg"))))
    settings = open_settings()
    # Before any widget exists: Qt translates a string when the widget showing it is built.
    app.translators = install_translators(app, interface_language(settings))
    set_figure_language(interface_language(settings))  # exported figures' words, as the interface's
    apply_palette(app)
    app.styleHints().colorSchemeChanged.connect(lambda *_: apply_palette(app))
    probe = os.environ.get(STARTUP_PROBE)
    restored = restored_session()
    if restored is not None:  # a restart (for a new language) goes on where the last window was
        window = build_window(model=restored.model, settings=settings, restore=restored)
    else:
        window = build_window(model=args.model, text=args.text, file=args.file, settings=settings)
    window.show()
    if probe:
        # Asked for before the engine's start (which also waits for the window), so it is answered first.
        when_exposed(window, lambda: report_startup(probe, window))
    return app.exec()


def report_startup(path: str, window) -> None:
    """For `bench --startup`: the window is on screen; say when, and whether torch was needed for that."""
    Path(path).write_text(json.dumps({"shown_at": time.time(), "torch_imported": "torch" in sys.modules}))
    # Leave at once: the engine thread may be busy importing torch, and waiting for it is not start-up time.
    os._exit(0)


def restored_session():
    """The session a restart handed over (see language.restart), read once and deleted; None if there is none."""
    from explorer.core.session import load_session

    from .language import RESTORE_SESSION

    path = os.environ.pop(RESTORE_SESSION, None)
    if not path:
        return None
    try:
        return load_session(path)
    except (OSError, ValueError) as error:
        log.warning("restart: could not read the session handed over (%s); starting afresh", error)
        return None
    finally:
        Path(path).unlink(missing_ok=True)


def build_window(
    model: str | None = None, text: str | None = None, file: str | None = None, settings=None, restore=None,
    preloaded=None,
):  # fmt: skip
    """The shell with its tools, opening on the given (or remembered, or default) model and text, or a session.
    preloaded maps catalogue names to models already in memory, which the workspace takes instead of loading.

    Nothing here imports torch: the engine starts once the event loop runs (after the window is shown), and
    torch is imported by its first job, on the job thread.
    """
    from PySide6.QtCore import QTimer

    from explorer.core.sequences import check_text

    from .i18n import tr
    from .jobs import JobRunner
    from .settings import open_settings, read_list
    from .shell import Shell
    from .workspace import Workspace

    settings = settings or open_settings()
    state = SessionState()
    problem = None
    if text is not None:
        try:
            state.texts = [check_text(text)]
        except ValueError as error:
            problem = str(error)
    elif file is None:
        remembered = settings.value("lastText")
        state.texts = [remembered if isinstance(remembered, str) and remembered.strip() else DEFAULT_TEXT]
    jobs = JobRunner()
    workspace = Workspace(jobs, state, read_list(settings, "addedModels"), preloaded)
    window = Shell(workspace, settings)
    jobs.setParent(window)
    window.restore_layout()
    workspace.state_changed.emit(state)
    if file is not None:
        window.files.open_path(file)
    if problem:
        window.show_error(tr("Could not use the text"), problem)
    if not model:
        _load_first_model(workspace, str(settings.value("lastModel", "") or ""))

    def start_engine() -> None:
        if restore is not None:
            try:
                window.restore_session(restore)  # loads its model
            except ValueError as error:  # written by the last window, so unexpected: keep its model at least
                log.warning("restart: the session handed over does not apply (%s)", error)
                workspace.load_model(restore.model)
        elif model:
            workspace.load_model(model)
        workspace.refresh_catalogue()

    # One more turn of the event loop after the window is exposed, so its first paint comes first.
    when_exposed(window, lambda: QTimer.singleShot(0, start_engine))
    return window


def when_exposed(window, action, waited_ms: int = 0) -> None:
    """Run action once the window is on screen (or after a second, for a window never shown).

    The engine's first job imports torch, which holds the interpreter for a second or two; started any
    earlier, it would delay the window's first paint by as much.
    """
    from PySide6.QtCore import QTimer
    from shiboken6 import isValid

    if not isValid(window):
        return  # closed and deleted before it was ever exposed: nothing left to start
    handle = window.windowHandle()
    if (handle is not None and handle.isExposed()) or waited_ms >= 1000:
        action()
    else:
        QTimer.singleShot(10, lambda: when_exposed(window, action, waited_ms + 10))


def _load_first_model(workspace, remembered: str) -> None:
    """Once the catalogue is known: the remembered model, else the default one, else the first there is."""

    def first_model(entries) -> None:
        workspace.catalogue_changed.disconnect(first_model)
        if workspace.model is not None:
            return
        names = [e.name for e in entries if not e.problem]  # unusable entries are listed, never opened
        if remembered in names or (remembered and Path(remembered).exists()):
            workspace.load_model(remembered)
        elif DEFAULT_MODEL in names:
            workspace.load_model(DEFAULT_MODEL)
        elif names:
            workspace.load_model(names[0])

    workspace.catalogue_changed.connect(first_model)

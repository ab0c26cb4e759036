"""Starting the desktop explorer: `python main.py [--model M] [--text T | --file F]`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from explorer.core.state import DEFAULT_TEXT, ExplorerState

log = logging.getLogger(__name__)

DEFAULT_MODEL = "smollm2-135m-instruct"


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
    from PySide6.QtWidgets import QApplication

    from explorer.gui.palette import apply_palette
    from explorer.gui.settings import APPLICATION, ORGANIZATION

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    apply_palette(app)
    app.styleHints().colorSchemeChanged.connect(lambda *_: apply_palette(app))
    window = build_window(model=args.model, text=args.text, file=args.file)
    window.show()
    return app.exec()


def build_window(model: str | None = None, text: str | None = None, file: str | None = None, settings=None):
    """The main window with its controller, opening on the given (or remembered, or default) model and text."""
    from explorer.core.sequences import check_text
    from explorer.gui.controller import Controller
    from explorer.gui.main_window import MainWindow
    from explorer.gui.settings import open_settings, read_list

    settings = settings or open_settings()
    state = ExplorerState()
    problem = None
    if text is not None:
        try:
            state.texts = [check_text(text)]
        except ValueError as error:
            problem = str(error)
    elif file is None:
        remembered = settings.value("lastText")
        state.texts = [remembered if isinstance(remembered, str) and remembered.strip() else DEFAULT_TEXT]
    controller = Controller(state, read_list(settings, "addedModels"))
    window = MainWindow(controller, settings)
    window.restore_layout()
    window.show_state(state)
    if file is not None:
        window.open_path(file)
    if problem:
        window.show_error("Could not use the text", problem)

    if model:
        controller.load_model(model)
    else:
        remembered_model = str(settings.value("lastModel", "") or "")

        def first_model(entries) -> None:
            controller.catalogue_changed.disconnect(first_model)
            if controller.model is not None:
                return
            names = [e.name for e in entries]
            if remembered_model in names or (remembered_model and Path(remembered_model).exists()):
                controller.load_model(remembered_model)
            elif DEFAULT_MODEL in names:
                controller.load_model(DEFAULT_MODEL)
            elif names:
                controller.load_model(names[0])

        controller.catalogue_changed.connect(first_model)
        window.placeholder.setText("Finding models…")
    controller.refresh_catalogue()
    return window

"""Switching the interface language during a run, as the Language menu does, without leaving the process.

The menu remembers the choice and offers a restart, which carries the session to a new process through a
session file. The endurance run declines the restart ("Later") and then does in-process what the restart does:
it closes the window, installs the new language's translators and builds a window on the same session state.
So the menu, the question box, the window's teardown and a restored window are all exercised, in one process
whose memory can be watched across many windows.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QLocale
from PySide6.QtWidgets import QApplication

from explorer.export.figure_text import set_language as set_figure_language
from explorer.gui.i18n import SOURCE_LANGUAGE, install_translators

from .dialogs import answer_discard, answer_question, through_dialog
from .driver import settle, spin, wait_until

FIRST_MAP_TIMEOUT_S = 600.0
ENGLISH_FILE_MENU = "&File"


def choose_in_menu(window, code: str) -> str:
    """Language → the entry for code; the restart question is answered Later. Returns the dialog seen."""
    action = next((a for a in window.language_actions.actions() if a.data() == code), None)
    if action is None:
        raise ValueError(f"the Language menu has no entry for {code!r}")
    if action.isChecked():
        return "already checked"
    return through_dialog(action.trigger, lambda dialog: answer_question(dialog, accept=False))


def install_language(app: QApplication, code: str) -> None:
    """What a new process does at start: the language's translators, or none for English."""
    for translator in getattr(app, "translators", []):
        app.removeTranslator(translator)
    app.translators = install_translators(app, code)
    set_figure_language(code)  # exported figures' words follow, as app.launch sets them in a new process
    if code == SOURCE_LANGUAGE:
        QLocale.setDefault(QLocale(QLocale.English))


def reopen_in(window, code: str, model: str):
    """Close the window and open one on the same session in the language code.

    Returns the new window and how long each part took: closing, building the new window, its first map.

    model: the workspace's model as the first window was given it (a catalogue name, or a folder's path)."""
    from dataclasses import replace

    from explorer.gui.app import build_window

    state, settings, size = window.session_state(), window.settings, window.size()
    state = replace(state, model=model)
    started = time.monotonic()
    through_dialog(window.close, answer_discard)  # a tool with unsaved work asks first: Save, Discard or Cancel
    if window.isVisible():
        raise ValueError("the window did not close when asked to, after Discard")
    window.deleteLater()
    # The run drives the window from nested event loops, which never reach the deferred delete a top-level
    # exec() would: flush it, or every closed window (its tools, figures and model) stays in memory.
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    spin(10)
    closed = time.monotonic()
    install_language(QApplication.instance(), code)
    fresh = build_window(model=model, settings=settings, restore=state)
    fresh.resize(size)
    fresh.show()
    built = time.monotonic()
    failed: list[str] = []
    fresh.workspace.load_failed.connect(failed.append)
    wait_until(lambda: failed or fresh.tools["maps"].last_map is not None, FIRST_MAP_TIMEOUT_S, "the first map")
    if failed:
        raise ValueError(f"{state.model}: could not be loaded again ({failed[0]})")
    settle(fresh, FIRST_MAP_TIMEOUT_S)
    timings = {"close": closed - started, "build": built - closed, "first map": time.monotonic() - built}
    return fresh, timings


def language_problems(window, code: str) -> list[str]:
    """The window speaks code: the File menu's title is English exactly when English was chosen."""
    title = window.menuBar().actions()[0].text()
    english = title == ENGLISH_FILE_MENU
    if code == SOURCE_LANGUAGE and not english:
        return [f"English was chosen, the File menu reads {title!r}"]
    if code != SOURCE_LANGUAGE and english:
        return [f"{code} was chosen, the menus stay English (is resources/i18n/*.qm built? `make translations`)"]
    return []

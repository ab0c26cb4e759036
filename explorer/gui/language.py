"""The Language menu: follow the system, English or 简体中文, remembered and applied by a restart.

Qt translates a string when a widget is built, so a new language needs every widget rebuilt. Rather than
teach every widget to retranslate itself, the choice is saved and the explorer offers to restart. A restart
carries the whole session (model, texts, options, each tool's state) through a temporary session file.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox

from explorer.core.session import save_session

from .i18n import LANGUAGE_KEY, LANGUAGES, picked_language, tr

log = logging.getLogger(__name__)

RESTORE_SESSION = "ATTENTION_EXPLORER_RESTORE_SESSION"  # the session a restart opens with (then deletes)


def build_language_menu(shell, menu: QMenu) -> QActionGroup:
    """Checkable entries, one per language plus "follow the system"; the current choice is checked."""
    group = QActionGroup(shell)
    current = picked_language(shell.settings)
    entries = [("", tr("Follow the System"))] + list(LANGUAGES.items())
    for code, label in entries:
        action = QAction(label, shell, checkable=True, checked=code == current)
        action.setData(code)
        action.triggered.connect(lambda _=False, c=code: choose_language(shell, c))
        group.addAction(action)
        menu.addAction(action)
    return group


def choose_language(shell, code: str, ask: Callable[[], bool] | None = None) -> None:
    """Remember the choice; it applies at the next start, which the user may ask for now."""
    if code == picked_language(shell.settings):
        return
    shell.settings.setValue(LANGUAGE_KEY, code)
    shell.settings.sync()
    if (ask or (lambda: ask_restart(shell)))():
        restart(shell)


def ask_restart(shell) -> bool:
    box = QMessageBox(
        QMessageBox.Question,
        tr("Language"),
        tr("The new language applies when the explorer restarts."),
        QMessageBox.NoButton,
        shell,
    )
    box.setInformativeText(tr("Your text, model and options are kept."))
    now = box.addButton(tr("Restart Now"), QMessageBox.AcceptRole)
    box.addButton(tr("Later"), QMessageBox.RejectRole)
    box.exec()
    answer = box.clickedButton() is now
    box.deleteLater()  # a closed question goes away (left alive, it was garbage the job thread could collect)
    return answer


def restart(shell, start: Callable[[list[str], dict[str, str]], bool] | None = None) -> bool:
    """Close the window (which saves the layout) and start a new explorer on the same session."""
    if not all(tool.may_close() for tool in shell.tools.values()):  # unsaved work: asked before the new one starts
        return False
    environment = dict(os.environ)
    path = None
    if shell.workspace.model is not None:  # before a model loads there is no session to carry
        handle, path = tempfile.mkstemp(prefix="attention-explorer-", suffix=".json")
        os.close(handle)
        try:
            save_session(path, shell.session_state())
        except (OSError, ValueError) as error:
            os.unlink(path)
            shell.show_error(tr("Could not restart"), str(error))
            return False
        environment[RESTORE_SESSION] = path
    argv = restart_command()  # the same program and arguments; the session overrides --text/--file
    if not (start or start_detached)(argv, environment):
        if path:
            os.unlink(path)
        shell.show_error(tr("Could not restart"), tr("Start the explorer again to see the new language."))
        return False
    shell.close()
    return True


def restart_command(orig_argv: list[str] | None = None, executable: str | None = None) -> list[str]:
    """The command line this process was started with, as the interpreter saw it: `python main.py …`, the
    installed `attention-explorer …` (a script run by its Python) and `python -m explorer …` all start again
    the same way (sys.argv would turn `-m explorer` into a path to explorer/__main__.py, which a checkout cannot
    run as a script)."""
    orig_argv = sys.orig_argv if orig_argv is None else orig_argv
    return [executable or sys.executable, *orig_argv[1:]]


def start_detached(argv: list[str], environment: dict[str, str]) -> bool:
    from PySide6.QtCore import QProcess, QProcessEnvironment

    process = QProcess()
    process.setProgram(argv[0])
    process.setArguments(argv[1:])
    env = QProcessEnvironment()
    for key, value in environment.items():
        env.insert(key, value)
    process.setProcessEnvironment(env)
    result = process.startDetached()  # a bool in PySide6 6.10; (bool, pid) in some other releases
    started = bool(result[0] if isinstance(result, tuple) else result)
    log.info("restart: %s", "started" if started else "failed to start")
    return started

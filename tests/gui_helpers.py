"""Building a real explorer window for tests, with settings in a temporary INI file."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from shared_models import SharedModels

from explorer.gui.app import build_window

LOAD_TIMEOUT_MS = 120_000


def temporary_settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


def maps_of(window):
    return window.tools["maps"]


def open_window(qtbot, tmp_path, settings=None, **kwargs):
    """A shown shell whose Maps tool has finished its first run and drawn its first map.

    The shipped models come preloaded, shared with every other window and test of the process (pass
    preloaded={} for a window that loads from disk itself).
    """
    kwargs.setdefault("preloaded", SharedModels())
    window = build_window(settings=settings or temporary_settings(tmp_path), **kwargs)
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitUntil(lambda: maps_of(window).last_map is not None, timeout=LOAD_TIMEOUT_MS)
    return window


def wait_for_map(qtbot, window, action, timeout=LOAD_TIMEOUT_MS):
    """Do something and wait until the Maps tool shows the map it causes."""
    with qtbot.waitSignal(maps_of(window).map_changed, timeout=timeout) as blocker:
        action()
    return blocker.args[0]


def close(window) -> None:
    window.close()

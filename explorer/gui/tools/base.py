"""The tool protocol: what a tool gives the shell, and what the shell gives a tool.

A tool contributes a central view, its docks, its actions (placed in the shell's menus) and its own state,
which the session file saves. The shell knows no tool by name: it builds those listed in tools.TOOLS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

from ..display_settings import DisplaySettings
from ..jobs import JobRunner
from ..widgets.stale_mark import mark_figures_stale
from ..workspace import Workspace


@dataclass
class ToolContext:
    """Everything a tool may use. Tools talk to each other only through the shared session or open_tool."""

    workspace: Workspace
    jobs: JobRunner
    settings: QSettings
    display: DisplaySettings
    show_error: Callable[[str, str], None]  # title, message: a window-modal dialog that does not block
    show_status: Callable[[str, int], None]  # message, milliseconds
    open_tool: Callable[[str], Tool]  # bring a tool to the front (by name) and return it
    parent: QWidget  # for dialogs and docks


class Tool(QObject):
    """Subclass and list the class in explorer/gui/tools/__init__.py."""

    name = ""  # stable key in session files and settings, e.g. "maps"
    title = ""  # what the Tools menu shows, e.g. "&Maps"
    # The shared session docks the tool uses, by objectName ("TextDock", "VariantDock", "NextTokenDock",
    # "TimingsDock"); None: all of them. The others are hidden while the tool is in front, leaving its view room.
    shared_docks: tuple[str, ...] | None = None
    # Its views are drawn from the workspace's run (or the workspace's text): while the run on screen is of an
    # earlier text or other options, the shell marks them stale (a banner, and figures greyed by set_stale).
    shows_run = True

    def __init__(self, context: ToolContext):
        super().__init__(context.parent)
        self.context = context

    def central(self) -> QWidget:
        raise NotImplementedError

    def docks(self) -> list[QDockWidget]:
        """Docks shown while the tool is active (each with a stable objectName, for saveState)."""
        return []

    def actions(self) -> dict[str, list[QAction]]:
        """Actions by the menu they go in, e.g. {"&File": [export]}; a menu the shell lacks is created."""
        return {}

    def save_state(self) -> dict:
        """The tool's own state, as JSON-able data, for the session file."""
        return {}

    def restore_state(self, data: dict) -> None:
        """Adopt saved state; bad data raises ValueError naming the field (nothing is changed then)."""

    def check_state(self, data: dict) -> None:
        """Raise ValueError if restore_state would reject data; the shell checks every tool before applying any."""

    def open_head(self, layer: int, head: int) -> None:
        """Show one head, for a tool that shows heads; others ask with context.open_tool(name).open_head(l, h)."""

    def activated(self) -> None:
        """The tool came to the front."""

    def set_stale(self, stale: bool) -> None:
        """The run on screen no longer matches the text (emptied, cancelled, failed, or not run yet), or does
        again. By default every figure in the tool's view and docks is greyed over; a tool may do more."""
        for root in (self.central(), *self.docks()):
            mark_figures_stale(root, stale)

    def may_close(self) -> bool:
        """The window is about to close: True to let it. A tool holding unsaved work asks the user first (Save /
        Discard / Cancel, as an editor does) and answers False to keep the window open."""
        return True

    def release(self) -> None:
        """The window is closing and the job thread has stopped: drop what jobs built (models, runs), so their
        memory is freed even where a Qt connection keeps this object alive a little longer."""

    def handles_key(self, event) -> bool:
        """A key pressed on the tool's view; True if the tool used it."""
        return False

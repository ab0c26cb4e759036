"""The main window as a shell: it hosts the tools, the shared docks, the menus and the status bar.

It knows no tool by name. Each tool in tools.TOOLS gets a ToolContext (the shared workspace, the job
runner, settings, display settings) and contributes a central view, docks, actions and its own state.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QMargins, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox

from explorer.core.state import SessionState
from explorer.core.views import ModelInfo, RunInfo

from .display_settings import DisplaySettings
from .error_text import describe_warning
from .files import FileActions
from .i18n import tr
from .job_status import JobStatus
from .menus import build_menus, build_toolbar
from .model_picker import ModelPicker
from .palette import plot_colours
from .run_freshness import RunFreshness
from .screen_fit import fit_rect
from .tool_area import ToolCentre
from .tools import TOOLS
from .tools.base import Tool, ToolContext
from .variant_bridge import describe_run_options
from .workspace import Workspace
from .workspace_docks import WorkspaceDocks

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1400, 900)


class Shell(QMainWindow):
    def __init__(self, workspace: Workspace, settings: QSettings, tools=TOOLS):
        super().__init__()
        self.workspace, self.jobs, self.settings = workspace, workspace.jobs, settings
        self.display = DisplaySettings(settings)
        self.error_dialog: QMessageBox | None = None
        self._run_warning = ""  # the last run's warnings as the status bar says them, until the next run
        self.setWindowTitle(tr("Attention Explorer"))
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.resize(*DEFAULT_SIZE)
        self._fitted: QRect | None = None  # the geometry restore_layout chose, re-fitted once the frame is known

        self.centre = ToolCentre()
        self.stack = self.centre.area.stack
        self.setCentralWidget(self.centre)
        self.freshness = RunFreshness(workspace, self.jobs, self)
        self.shared = WorkspaceDocks(self, workspace)
        self.model_picker = ModelPicker(self, workspace, settings)
        self.files = FileActions(self)
        context = ToolContext(
            workspace=workspace,
            jobs=self.jobs,
            settings=settings,
            display=self.display,
            show_error=self.show_error,
            show_status=lambda message, ms: self.statusBar().showMessage(message, ms),
            open_tool=self.open_tool,
            parent=self,
        )
        self.tools: dict[str, Tool] = {}
        for tool_class in tools:
            self._add_tool(tool_class(context))
        self.active_tool: Tool | None = None
        self._dock_visible: dict[str, bool] = {}
        build_toolbar(self)
        build_menus(self)
        self._build_status()
        self._connect()
        self.open_tool(next(iter(self.tools)))
        self.apply_plot_palette()

    # -- tools ----------------------------------------------------------------------------------------------
    def _add_tool(self, tool: Tool) -> None:
        if not tool.name or tool.name in self.tools:
            raise ValueError(f"tool: name {tool.name!r} is empty or already taken")
        self.tools[tool.name] = tool
        self.stack.addWidget(tool.central())
        for dock in tool.docks():
            self.addDockWidget(Qt.LeftDockWidgetArea, dock)
            dock.hide()

    def open_tool(self, name: str) -> Tool:
        """Bring a tool to the front: its view in the centre, its docks shown, other tools' docks hidden."""
        tool = self.tools.get(name)
        if tool is None:
            raise ValueError(f"tool: '{name}' is not one of {', '.join(self.tools)}")
        if tool is not self.active_tool:
            size = self.size()
            if self.active_tool is not None:
                for dock in self.active_tool.docks():  # remembered, so coming back shows them again
                    self._dock_visible[dock.objectName()] = dock.isVisible()
                    dock.hide()
            self.active_tool = tool
            # The docks the new tool does not use go before its view comes in: both at once asked for more
            # room than the screen has, and Qt grew the window to give it (742 → 810 px on a 768-px screen).
            self.shared.follow_tool(tool.shared_docks)
            self.stack.setCurrentWidget(tool.central())
            for dock in tool.docks():
                dock.setVisible(self._dock_visible.get(dock.objectName(), False))
            self._keep_size(size)
            self.show_staleness()  # the banner is for the tool in front
            for action in self.tool_actions.actions():
                action.setChecked(action.data() == name)
            tool.activated()
        return tool

    def _keep_size(self, size) -> None:
        """A tool switch never resizes the window: the size the user chose stays, within the new minimum."""
        if self.isMaximized() or self.isFullScreen() or not self.isVisible():
            return
        self.layout().activate()
        wanted = size.expandedTo(self.minimumSizeHint())
        if wanted != self.size():
            self.resize(wanted)
        self.clamp_to_screen()

    def session_state(self) -> SessionState:
        state = self.workspace.state
        tools = {name: tool.save_state() for name, tool in self.tools.items()}
        active = self.active_tool.name if self.active_tool else None
        return SessionState(
            state.model, list(state.texts), state.seq, state.source_file, state.options, state.device, tools, active
        )

    def restore_session(self, state: SessionState) -> None:
        """Check every tool's saved state first (ValueError names the problem), then apply all of it."""
        for name, data in state.tools.items():
            if name in self.tools:
                self.tools[name].check_state(data)
            else:
                log.info("session: no tool named %r here; its state is ignored", name)
        self.workspace.restore(state)
        for name, data in state.tools.items():
            if name in self.tools:
                self.tools[name].restore_state(data)
        if state.active_tool in self.tools:
            self.open_tool(state.active_tool)

    # -- status and errors ----------------------------------------------------------------------------------
    def _build_status(self) -> None:
        self.options_label = QLabel()
        self.options_label.setAccessibleName(tr("Active options"))
        self.statusBar().addPermanentWidget(self.options_label)
        self.job_status = JobStatus(self.statusBar(), self.jobs)

    def _connect(self) -> None:
        s = self.workspace
        s.model_changed.connect(self._show_model)
        s.run_changed.connect(self._show_run)
        s.load_failed.connect(lambda message: self.show_error(tr("Could not load the model"), message))
        s.run_failed.connect(lambda message: self.statusBar().showMessage(f"⚠ {message}", 15000))
        self.shared.editor.textChanged.connect(self.freshness.update)  # after the docks hand the text over
        self.freshness.marked_changed.connect(lambda _marked: self.show_staleness())

    def show_staleness(self) -> None:
        """Grey every run-derived view, and name why over the tool in front, while RunFreshness.marked holds."""
        marked = self.freshness.marked
        for tool in self.tools.values():
            if tool.shows_run:
                tool.set_stale(marked)
        self.shared.set_stale(marked)
        empty = not any(text.strip() for text in self.workspace.state.texts)
        self.centre.banner.show_stale(marked and self.active_tool.shows_run, empty)

    def _show_model(self, info: ModelInfo) -> None:
        self.setWindowTitle(tr("Attention Explorer — {model}").format(model=info.name))

    def _show_run(self, run: RunInfo) -> None:
        self.options_label.setText(describe_run_options(run))
        # A run's warnings (a text cut to the model's context) stay said until the next message or run: a long
        # run ends minutes after its text was opened, when the user may not be looking.
        bar = self.statusBar()
        if run.warnings:
            self._run_warning = "; ".join(describe_warning(warning) for warning in run.warnings)
            bar.showMessage(self._run_warning)
        elif self._run_warning and bar.currentMessage() == self._run_warning:
            bar.clearMessage()

    def show_error(self, title: str, message: str) -> None:
        """A window-modal dialog that does not block the event loop (so jobs and timers keep running)."""
        dialog = QMessageBox(QMessageBox.Critical, title, message, QMessageBox.Ok, self)
        dialog.setWindowModality(Qt.WindowModal)
        # Closed dialogs go away: a long session refusing many bad files must not keep every dialog alive.
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._error_closed(dialog))
        dialog.open()
        self.error_dialog = dialog

    def _error_closed(self, dialog: QMessageBox) -> None:
        if self.error_dialog is dialog:
            self.error_dialog = None

    # -- palette, layout, drag and drop ---------------------------------------------------------------------
    def apply_plot_palette(self) -> None:
        background, foreground = plot_colours()
        self.shared.apply_colours(background, foreground)
        self.display.set_colours(background, foreground)

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.PaletteChange:
            QTimer.singleShot(0, self.apply_plot_palette)
        super().changeEvent(event)

    def restore_layout(self) -> None:
        geometry, state = self.settings.value("geometry"), self.settings.value("windowState")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        self.clamp_to_screen()
        self._fitted = self.geometry()

    def clamp_to_screen(self) -> None:
        """Keep the whole window on its screen: a saved size from a bigger screen, or the default size at a
        large scale factor (1400×900 at QT_SCALE_FACTOR=1.5 on 1280×800), would open past its edges."""
        if self.isMaximized() or self.isFullScreen():
            return  # the window system sizes these to the screen itself
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        frame, inner = self.frameGeometry(), self.geometry()
        margins = QMargins(
            inner.left() - frame.left(),
            inner.top() - frame.top(),
            frame.right() - inner.right(),
            frame.bottom() - inner.bottom(),
        )
        available = screen.availableGeometry()
        self.compact_docks(available.size().shrunkBy(margins))
        fitted = fit_rect(frame, margins, available)
        if fitted != inner:
            log.info("window: %s does not fit the screen %s; now %s", inner, screen.availableGeometry(), fitted)
            self.setGeometry(fitted)

    def compact_docks(self, room) -> None:
        """On a screen too small for the docks around the map (853×533 at scale 1.5 on 1280×800), stack the
        bottom, then the top and left docks as tabs on the right, until the window's minimum size fits."""
        right = [d for d in self.findChildren(QDockWidget) if self._docked_in(d, Qt.RightDockWidgetArea)]
        for area in (Qt.BottomDockWidgetArea, Qt.TopDockWidgetArea, Qt.LeftDockWidgetArea):
            if not right or self._fits(room):
                return
            for dock in [d for d in self.findChildren(QDockWidget) if self._docked_in(d, area)]:
                self.addDockWidget(Qt.RightDockWidgetArea, dock)
                self.tabifyDockWidget(right[0], dock)
                log.info("window: small screen, so %s is a tab on the right", dock.objectName())
        if right:
            right[0].raise_()

    def _docked_in(self, dock: QDockWidget, area) -> bool:
        return not dock.isHidden() and not dock.isFloating() and self.dockWidgetArea(dock) == area

    def _fits(self, room) -> bool:
        self.layout().invalidate()
        needed = self.minimumSizeHint()
        return needed.width() <= room.width() and needed.height() <= room.height()

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        # The frame's size (title bar) is known only now. A size someone set since restore_layout stays.
        if self._fitted is not None and self._fitted.size() == self.size():
            QTimer.singleShot(0, self.clamp_to_screen)
        self._fitted = None

    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        urls = event.mimeData().urls()
        if urls:
            self.files.drop(Path(urls[0].toLocalFile()))

    def closeEvent(self, event):  # noqa: N802
        if not all(tool.may_close() for tool in self.tools.values()):  # a tool's unsaved work: the user said wait
            event.ignore()
            return
        self.shared.follow_tool(None)  # the layout is saved as the user left it, not as a tool hid it
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        state = self.workspace.state
        if state.source_file is None and state.texts:
            self.settings.setValue("lastText", state.texts[0])
        self.settings.sync()
        self.jobs.shutdown()
        # The model's weights (hundreds of MB) go with the window, not with the last Python reference to it:
        # signal connections to lambdas can keep a closed window's objects alive until the process ends.
        self.workspace.release()
        for tool in self.tools.values():
            tool.release()
        super().closeEvent(event)

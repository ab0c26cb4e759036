"""The main window as a shell: it hosts the tools, the shared docks, the menus and the status bar.

It knows no tool by name. Each tool in tools.TOOLS gets a ToolContext (the shared engine session, the job
runner, settings, display settings) and contributes a central view, docks, actions and its own state.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget

from explorer.core.state import SessionState
from explorer.core.views import ModelInfo, RunInfo

from .display_settings import DisplaySettings
from .engine_session import EngineSession
from .files import FileActions
from .job_status import JobStatus
from .menus import build_menus, build_toolbar
from .model_picker import ModelPicker
from .palette import plot_colours
from .session_docks import SessionDocks
from .tools import TOOLS
from .tools.base import Tool, ToolContext
from .variant_bridge import describe_run_options

log = logging.getLogger(__name__)


class Shell(QMainWindow):
    def __init__(self, session: EngineSession, settings: QSettings, tools=TOOLS):
        super().__init__()
        self.session, self.jobs, self.settings = session, session.jobs, settings
        self.display = DisplaySettings(settings)
        self.error_dialog: QMessageBox | None = None
        self.setWindowTitle("Attention Explorer")
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.shared = SessionDocks(self, session)
        self.model_picker = ModelPicker(self, session, settings)
        self.files = FileActions(self)
        context = ToolContext(
            session=session,
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
            if self.active_tool is not None:
                for dock in self.active_tool.docks():  # remembered, so coming back shows them again
                    self._dock_visible[dock.objectName()] = dock.isVisible()
                    dock.hide()
            self.active_tool = tool
            self.stack.setCurrentWidget(tool.central())
            for dock in tool.docks():
                dock.setVisible(self._dock_visible.get(dock.objectName(), False))
            for action in self.tool_actions.actions():
                action.setChecked(action.data() == name)
            tool.activated()
        return tool

    def session_state(self) -> SessionState:
        state = self.session.state
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
        self.session.restore(state)
        for name, data in state.tools.items():
            if name in self.tools:
                self.tools[name].restore_state(data)
        if state.active_tool in self.tools:
            self.open_tool(state.active_tool)

    # -- status and errors ----------------------------------------------------------------------------------
    def _build_status(self) -> None:
        self.options_label = QLabel()
        self.options_label.setAccessibleName("Active options")
        self.statusBar().addPermanentWidget(self.options_label)
        self.job_status = JobStatus(self.statusBar(), self.jobs)

    def _connect(self) -> None:
        s = self.session
        s.model_changed.connect(self._show_model)
        s.run_changed.connect(self._show_run)
        s.load_failed.connect(lambda message: self.show_error("Could not load the model", message))
        s.run_failed.connect(lambda message: self.statusBar().showMessage(f"⚠ {message}", 15000))

    def _show_model(self, info: ModelInfo) -> None:
        self.setWindowTitle(f"Attention Explorer — {info.name}")

    def _show_run(self, run: RunInfo) -> None:
        self.options_label.setText(describe_run_options(run))
        if run.warnings:
            self.statusBar().showMessage("; ".join(run.warnings), 10000)

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

    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        urls = event.mimeData().urls()
        if urls:
            self.files.drop(Path(urls[0].toLocalFile()))

    def closeEvent(self, event):  # noqa: N802
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        state = self.session.state
        if state.source_file is None and state.texts:
            self.settings.setValue("lastText", state.texts[0])
        self.settings.sync()
        self.jobs.shutdown()
        super().closeEvent(event)

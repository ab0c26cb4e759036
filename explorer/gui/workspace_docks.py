"""The docks every tool shares, because they show the shared workspace: the text and its tokens, the
attention variant, the next tokens and the timings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.state import SessionState
from explorer.core.views import ModelInfo, RunInfo

from .i18n import tr
from .variant_bridge import choice_from_options, options_from_choice
from .widgets.next_token_panel import NextTokenPanel
from .widgets.stale_mark import mark_figures_stale
from .widgets.timings_panel import TimingsPanel
from .widgets.token_strip import TokenStrip
from .widgets.variant_panel import VariantPanel
from .workspace import Workspace

PROBE_LENGTH = 50  # tokens in the induction probe, each repeated once
# The least height a dock's contents keep before they scroll: small enough that the Maps view (360 px high), the
# text and timings docks, the menus and the status bar all fit an 800 × 600 window.
DOCK_ROOM_HEIGHT = 44


class DockScroll(QScrollArea):
    """A dock's contents, scrolled up and down once the dock is shorter than they need (down to
    DOCK_ROOM_HEIGHT); never sideways: the dock keeps the contents' width, so no control is clipped.

    The contents fill the dock and keep their own minimum. (QScrollArea's widgetResizable would give contents
    with a word-wrapped label their preferred height, and scroll a dock that has room enough.)"""

    def __init__(self, widget: QWidget):
        super().__init__()
        self.setFrameShape(QScrollArea.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setWidget(widget)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        needed = self._needed()
        width = needed.width() + self.verticalScrollBar().sizeHint().width()  # room for the bar when it shows
        return QSize(width, min(needed.height(), DOCK_ROOM_HEIGHT))

    def _needed(self) -> QSize:
        widget = self.widget()
        return widget.minimumSizeHint().expandedTo(widget.minimumSize())

    def _fit(self) -> None:
        self.widget().resize(self.viewport().size().expandedTo(self._needed()))

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Resize:
            self._fit()
        return super().viewportEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.LayoutRequest:
            self._fit()  # the contents' minimum changed (a longer summary, a new list)
        return super().eventFilter(watched, event)


def make_dock(window: QMainWindow, title: str, name: str, widget: QWidget, area, scroll: bool = False) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)  # saveState() needs stable names to restore the layout
    if scroll:
        widget = DockScroll(widget)
    dock.setWidget(widget)
    window.addDockWidget(area, dock)
    return dock


class WorkspaceDocks(QObject):
    def __init__(self, window: QMainWindow, workspace: Workspace):
        super().__init__(window)
        self.workspace = workspace
        self._quiet_editor = False
        self._hidden_for_tool: set[str] = set()  # docks the tool in front hid; shown again when one uses them
        text_area = QWidget()
        text_layout = QVBoxLayout(text_area)
        text_layout.setContentsMargins(4, 4, 4, 4)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(tr("Type a sentence…"))
        self.editor.setAccessibleName(tr("Text"))
        self.editor.setMaximumHeight(56)
        self.token_strip = TokenStrip()
        editor_row = QHBoxLayout()
        editor_row.addWidget(self.editor, 1)
        editor_row.addLayout(self._probe_controls())
        text_layout.addLayout(editor_row)
        text_layout.addWidget(self.token_strip)
        self.variant_panel = VariantPanel()
        self.next_panel = NextTokenPanel()
        self.timings_panel = TimingsPanel()
        self.text_dock = make_dock(window, tr("Text and tokens"), "TextDock", text_area, Qt.TopDockWidgetArea, True)
        self.variant_dock = make_dock(
            window, tr("Attention variant"), "VariantDock", self.variant_panel, Qt.RightDockWidgetArea, True
        )
        self.next_dock = make_dock(
            window, tr("Next tokens"), "NextTokenDock", self.next_panel, Qt.RightDockWidgetArea, True
        )
        self.timings_dock = make_dock(
            window, tr("Timings"), "TimingsDock", self.timings_panel, Qt.BottomDockWidgetArea, True
        )
        # First-run proportions; afterwards the layout the user left is restored from QSettings.
        # The right column runs the full height, so the variant controls and the next-token list both fit.
        window.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        window.resizeDocks([self.text_dock, self.timings_dock], [140, 140], Qt.Vertical)
        window.resizeDocks([self.variant_dock, self.next_dock], [380, 380], Qt.Horizontal)
        window.resizeDocks([self.variant_dock, self.next_dock], [500, 240], Qt.Vertical)
        self._connect()

    def docks(self) -> list[QDockWidget]:
        return [self.text_dock, self.variant_dock, self.next_dock, self.timings_dock]

    def follow_tool(self, used: tuple[str, ...] | None) -> None:
        """The tool in front uses these docks (objectNames; None: all). Hide the others; show again those an
        earlier tool hid and this one uses. A dock the user closed stays closed."""
        hidden = self._hidden_for_tool
        for dock in self.docks():
            name = dock.objectName()
            wanted = used is None or name in used
            if not wanted and dock.isVisible():
                hidden.add(name)
                dock.hide()
            elif wanted and name in hidden:
                hidden.discard(name)
                dock.show()

    def _probe_controls(self) -> QVBoxLayout:
        """The induction probe button and its seed, beside the text box."""
        self.probe_button = QPushButton(tr("Induction probe"))
        self.probe_button.setToolTip(
            tr(
                "Replace the text with {length} random tokens repeated twice: induction heads attend from each "
                "repeat to the token after its first occurrence (see the Heads tool's prefix_matching score)"
            ).format(length=PROBE_LENGTH)
        )
        self.probe_seed = QSpinBox(minimum=0, maximum=999_999, value=0, prefix=tr("seed "))
        self.probe_seed.setToolTip(tr("The same model and seed give the same probe"))
        self.probe_seed.setAccessibleName(tr("Probe seed"))
        self.probe_button.clicked.connect(self.fill_probe)
        column = QVBoxLayout()
        column.addWidget(self.probe_button)
        column.addWidget(self.probe_seed)
        column.addStretch(1)
        return column

    def fill_probe(self) -> None:
        """Fill the text with the induction probe, built on the job thread (the run follows)."""
        self.workspace.load_probe(PROBE_LENGTH, self.probe_seed.value())

    def _connect(self) -> None:
        s = self.workspace
        self.editor.textChanged.connect(self._text_edited)
        self.token_strip.token_clicked.connect(s.select_token)
        self.variant_panel.choice_changed.connect(self._variant_chosen)
        self.timings_panel.device_changed.connect(s.set_device)
        s.model_changed.connect(self._show_model)
        s.run_changed.connect(self._show_run)
        s.state_changed.connect(self._show_state)

    def apply_colours(self, background: str, foreground: str) -> None:
        self.timings_panel.apply_colours(background, foreground)

    def set_stale(self, stale: bool) -> None:
        """The tokens, next tokens and timings are of a run that no longer matches the text: greyed until one
        does (the token strip stops offering its tokens to click)."""
        for panel in (self.token_strip, self.next_panel):
            panel.setEnabled(not stale)
        mark_figures_stale(self.timings_panel, stale)
        tip = tr("Of the last run, not of the text as it is now") if stale else ""
        for panel in (self.token_strip, self.next_panel, self.timings_panel):
            panel.setToolTip(tip)

    def _variant_chosen(self, choice) -> None:
        # The panel knows no knockouts: the heads knocked out (the Heads tool's) stay as they are.
        options = options_from_choice(choice)
        self.workspace.set_options(replace(options, ablate=self.workspace.state.options.ablate))

    def _text_edited(self) -> None:
        if not self._quiet_editor:
            self.workspace.set_text(self.editor.toPlainText())

    def _show_model(self, info: ModelInfo) -> None:
        self.variant_panel.set_model(info)
        self.variant_panel.set_choice(choice_from_options(self.workspace.state.options))
        self.timings_panel.set_devices(info.devices, info.device)

    def _show_run(self, run: RunInfo) -> None:
        seq = self.workspace.state.seq
        pieces = run.pieces[seq] if run.pieces else None
        self.token_strip.show_tokens(run.tokens[seq], run.special[seq], run.is_real[seq], run.ids[seq], pieces)
        self.timings_panel.set_layer_kinds(run.layer_kinds)  # global layers' bars stand out (Gemma 3)
        self.timings_panel.show_timings(
            run.layer_ms, run.total_ms, run.tokens_per_second, run.device, run.reused_tokens
        )
        if run.next_tokens is None:
            self.next_panel.show_predictions(None)
        elif run.baseline_next_tokens is not None:
            self.next_panel.show_changes(run.baseline_next_tokens[seq], len(run.options.ablate))
        else:
            next_pieces = run.next_token_pieces[seq] if run.next_token_pieces else None
            self.next_panel.show_predictions(run.next_tokens[seq], next_pieces)
        self.variant_panel.set_groups(run.kv_groups, run.kind)

    def _show_state(self, state: SessionState) -> None:
        text = state.texts[state.seq] if state.texts else ""
        if self.editor.toPlainText() != text:
            self._quiet_editor = True
            self.editor.setPlainText(text)
            self._quiet_editor = False
        title = tr("Text and tokens")
        if state.source_file:
            title = tr("Text and tokens — {file}").format(file=Path(state.source_file).name)
        self.text_dock.setWindowTitle(title)
        if self.workspace.model is not None:
            self.variant_panel.set_choice(choice_from_options(state.options))

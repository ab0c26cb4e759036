"""One page of the Foundations tool: its settings and formulas on the left, its figures in a grid on the right.

A page recomputes when a setting changes (after a short pause, so a dragged slider redraws at most a few times
a second). Fast numpy work runs right there; anything that can take a second or more is a job. A ValueError from
the lab (a bandwidth that leaves a test point without neighbours, a non-finite value) is shown on the page in
place of the figures it would have drawn: nothing wrong is ever drawn.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from explorer.core.plots import LinesView, MatrixView
from explorer.gui.i18n import tr
from explorer.gui.widgets.formula_panel import FormulaPanel
from explorer.gui.widgets.line_plot import LinePlot
from explorer.gui.widgets.matrix_plot import MatrixPlot
from explorer.gui.widgets.view_frame import ViewFrame

from .controls import Controls

SETTLE_MS = 120  # a setting's changes are drawn once they pause this long
FEED_MS = 250  # a live job's new points are drawn this often


class Page(QWidget):
    name = ""  # key in the session file
    export_requested = Signal(object, str)  # the view, a caption for it
    computed = Signal()  # the page's figures were drawn (tests wait on it)

    def __init__(self, tool):
        super().__init__()
        self.tool, self.context = tool, tool.context
        self.views: dict[str, MatrixView | LinesView] = {}
        self.frames: dict[str, ViewFrame] = {}
        self.hints: dict[str, str] = {}  # key -> what its frame says while empty
        side = QWidget()
        side_layout = QVBoxLayout(side)
        self.form = QFormLayout()
        side_layout.addLayout(self.form)
        self.status = QLabel()
        self.status.setWordWrap(True)
        side_layout.addWidget(self.status)
        self.formulas = FormulaPanel()
        side_layout.addWidget(self.formulas, 1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(280)
        scroll.setMaximumWidth(400)
        # The figures scroll rather than widen the window: a page of four 220-px plots side by side must not push
        # the shell's minimum past a 1024-px screen. With room to spare they stretch as before.
        figures = QWidget()
        self.grid = QGridLayout(figures)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.figures_area = QScrollArea()
        self.figures_area.setWidget(figures)
        self.figures_area.setWidgetResizable(True)
        self.figures_area.setFrameShape(QFrame.NoFrame)
        layout = QHBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.figures_area, 1)
        self.controls = Controls(self.form, f"tools.foundations.{self.name}")
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.recompute)
        self.controls.changed.connect(self.setting_changed)

    # -- figures ----------------------------------------------------------------------------------------------
    def add_matrix(self, key: str, title: str, row: int, column: int, span: int = 1, hint: str = "") -> MatrixPlot:
        """hint: what the frame says while the figure is empty (e.g. until a model is trained)."""
        figure = MatrixPlot(colormap=self.context.display.colormap)
        return self._add(key, title, figure, row, column, span, hint)

    def add_lines(self, key: str, title: str, row: int, column: int, span: int = 1, hint: str = "") -> LinePlot:
        return self._add(key, title, LinePlot(), row, column, span, hint)

    def _add(self, key: str, title: str, figure, row: int, column: int, span: int, hint: str = ""):
        frame = ViewFrame(title, figure)
        self.hints[key] = hint
        frame.set_hint(hint)
        frame.export_requested.connect(lambda: self._export(key))
        self.frames[key] = frame
        self.grid.addWidget(frame, row, column, 1, span)
        for used in range(column, column + span):
            self.grid.setColumnStretch(used, 1)  # figures share the width, whatever their size hints
        display = self.context.display
        if isinstance(figure, MatrixPlot):
            display.colormap_changed.connect(figure.set_colormap)
        display.colours_changed.connect(figure.apply_colours)
        figure.apply_colours(*display.colours)
        return figure

    def show_view(self, key: str, view: MatrixView | LinesView) -> None:
        self.views[key] = view
        self.frames[key].figure.show_view(view)
        self.frames[key].set_hint("")
        self.frames[key].set_title(view.title)
        self.frames[key].export_button.setEnabled(True)

    def forget_view(self, key: str) -> None:
        self.views.pop(key, None)
        self.frames[key].figure.clear_view()
        self.frames[key].set_hint(self.hints.get(key, ""))
        self.frames[key].export_button.setEnabled(False)

    def _export(self, key: str) -> None:
        if key in self.views:
            self.export_requested.emit(self.views[key], self.caption())

    # -- computing --------------------------------------------------------------------------------------------
    def setting_changed(self, _name: str) -> None:
        self._settle.start()

    def recompute(self) -> None:
        """Draw every figure from the current settings; a ValueError becomes the page's message."""
        try:
            pending = self.compute()
        except ValueError as error:
            self.fail(str(error))
        else:
            if not pending:
                self.computed.emit()

    def compute(self) -> bool | None:
        """Draw the figures; True when a job will finish them (and emit `computed` then)."""
        raise NotImplementedError

    def fail(self, message: str) -> None:
        self.status.setText(f"<span style='color:#c0392b'>⚠ {message}</span>")

    def say(self, message: str) -> None:
        self.status.setText(message)

    def caption(self) -> str:
        """What the settings were, for an exported figure's caption: 'kernel gaussian · bandwidth 0.5'."""
        values = self.controls.values()
        # Only the settings the figure reads: a page hides the others (the positions page shows sinusoidal's three,
        # not RoPE's θ or T5's buckets), and listing all of them ran the caption off both edges of the figure.
        shown = {name for name, control in self.controls.controls.items() if self.form.isRowVisible(control.widget)}
        return " · ".join(
            f"{name} {value:.3g}" if isinstance(value, float) else f"{name} {value}"
            for name, value in values.items()
            if name in shown and (not isinstance(value, str) or len(value) < 40)
        )

    def submit(self, kind: str, job: Callable, on_done: Callable, on_error: Callable | None = None) -> None:
        """A job of this page (kind 'foundations-<page>-<kind>'): errors land on the page."""
        self.context.jobs.submit(f"foundations-{self.name}-{kind}", job, on_done, on_error or self.fail)

    # -- state ------------------------------------------------------------------------------------------------
    def save_state(self) -> dict:
        return self.controls.values()

    def check_state(self, data) -> None:
        self.controls.check(data)

    def restore_state(self, data: dict) -> None:
        self.controls.restore(data)
        self.recompute()

    def shown(self) -> None:
        """The page came to the front: draw it the first time."""
        if not self.views:
            self.recompute()


class Feed:
    """Points a job produces on the worker thread, drawn on the GUI thread a few times a second.

    The job appends to `items` (a list append is atomic in CPython); a timer hands what is new to `draw`.
    """

    def __init__(self, parent: QWidget, draw: Callable[[list], None]):
        self.items: list = []
        self._seen = 0
        self._draw = draw
        self.timer = QTimer(parent, interval=FEED_MS)
        self.timer.timeout.connect(self.flush)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.flush()

    def flush(self) -> None:
        if len(self.items) != self._seen:
            self._seen = len(self.items)
            self._draw(list(self.items))


def no_model_hint() -> str:
    return tr("No model is loaded: choose one in the Model list (MiniLM has learned positions).")

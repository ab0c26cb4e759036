"""The Maps tool's central view: layer/head navigation, the heatmap or head grid, and the hover readout."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from explorer.core.display import SCALES
from explorer.gui.i18n import tr

from ...widgets.attention_lines import AttentionLinesFigure
from ...widgets.head_grid import HeadGridFigure
from ...widgets.heatmap import HeatmapFigure
from ...widgets.navigation import NavigationBar

# The heatmap keeps priority over the docks on a small screen: below this the docks give way, not the map.
MIN_VIEW_WIDTH, MIN_VIEW_HEIGHT = 400, 360


class MapsView(QWidget):
    weighting_changed = Signal(str)  # "attention" or "norm", chosen by the user
    reduce_changed = Signal(str)  # "max" or "mean": what a block summary shows of its cells, chosen by the user

    def __init__(self, colormap: str, scale: str, parent=None):
        super().__init__(parent)
        # Keys pressed on a figure go to this callable (set by the tool); it returns True if it used the key.
        self.key_handler: Callable[[QKeyEvent], bool] | None = None
        self.setMinimumSize(MIN_VIEW_WIDTH, MIN_VIEW_HEIGHT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.navigation = NavigationBar()
        self.stack = QStackedWidget()
        self.placeholder = QLabel(tr("Finding models…"))
        self.placeholder.setAlignment(Qt.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.heatmap = HeatmapFigure(colormap=colormap, scale=scale)
        self.head_grid = HeadGridFigure(colormap=colormap, scale=scale)
        self.lines = AttentionLinesFigure()
        for page in (self.placeholder, self.heatmap, self.head_grid, self.lines):
            self.stack.addWidget(page)
        self.hover = QLabel(" ")
        self.hover.setAccessibleName(tr("Cell under the pointer"))
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)  # a reader may copy a value
        self.updating = QLabel(tr("updating…"))
        self.updating.setAccessibleName(tr("The map is being updated"))
        self.updating.setToolTip(tr("A new run is being computed; the faded map is the previous one"))
        self.updating.hide()
        layout.addLayout(self._top_row())
        layout.addWidget(self.stack, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hover, 1)
        bottom.addWidget(self.updating)
        # Below the map rather than beside the navigation: the top row is what sets the view's minimum width.
        bottom.addWidget(self._reduce_box())  # shown only while the map is drawn as block summaries
        bottom.addWidget(QLabel(tr("Weighting:")))
        bottom.addWidget(self._weighting_box())
        layout.addLayout(bottom)
        for figure in (self.heatmap, self.lines):
            figure.hovered.connect(lambda text: self.hover.setText(text or " "))
        for figure in (self.heatmap, self.head_grid, self.lines.canvas):
            figure.installEventFilter(self)

    def _top_row(self) -> QHBoxLayout:
        """The navigation and the view's own small toolbar: Reset zoom."""
        self.reset_zoom_action = QAction(tr("Reset zoom"), self)
        self.reset_zoom_action.setToolTip(tr("Show the whole map (double-click, Home or Ctrl+0)"))
        self.reset_zoom_action.setShortcut(QKeySequence("Ctrl+0"))
        self.reset_zoom_action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.reset_zoom_action.triggered.connect(lambda: self.heatmap.reset_zoom())
        self.addAction(self.reset_zoom_action)
        self.reset_zoom_button = QToolButton()
        self.reset_zoom_button.setDefaultAction(self.reset_zoom_action)
        self.reset_zoom_button.setAutoRaise(True)
        row = QHBoxLayout()
        row.addWidget(self.navigation, 1)
        row.addWidget(self.reset_zoom_button)
        return row

    def _weighting_box(self) -> QComboBox:
        """Attention, or norm-weighted: what a cell's colour measures."""
        self.weighting = QComboBox()
        self.weighting.setAccessibleName(tr("Map weighting"))
        self.weighting.addItem(tr("Attention"), "attention")
        self.weighting.setItemData(0, tr("Each cell is the attention weight A[i, j]: rows sum to 1."), Qt.ToolTipRole)
        self.weighting.addItem(tr("Norm-weighted"), "norm")
        norm_tip = tr(
            "Each cell is A[i, j]·‖v_j W_O‖: the weight times the length of what key j's value adds to the "
            "head's output (Kobayashi et al. 2020). A key with a large weight but a short value vector, such as a "
            "sink token, counts for little. Rows are renormalised to sum to 1 for display."
        )
        self.weighting.setItemData(1, norm_tip, Qt.ToolTipRole)
        self.weighting.setToolTip(
            tr("What a cell measures: the attention weight, or the weight times the norm of the value it moves")
        )
        self.weighting.currentIndexChanged.connect(
            lambda index: self.weighting_changed.emit(self.weighting.itemData(index))
        )
        return self.weighting

    def _reduce_box(self) -> QComboBox:
        """What one pixel of a map too long for the screen shows of its block of cells: the largest, or the mean."""
        self.reduce = QComboBox()
        self.reduce.setAccessibleName(tr("Block summary"))
        self.reduce.addItem(tr("Blocks: maximum"), "max")
        self.reduce.addItem(tr("Blocks: mean"), "mean")
        self.reduce.setToolTip(
            tr(
                "This map has more cells than the screen has pixels: each pixel shows the largest (or the mean) "
                "attention of its block of cells. Zoom in to see single cells."
            )
        )
        self.reduce.currentIndexChanged.connect(lambda index: self.reduce_changed.emit(self.reduce.itemData(index)))
        self.reduce.hide()
        return self.reduce

    def set_reduce(self, reduce: str) -> None:
        """Show the tool's block summary without announcing it back."""
        blocked = self.reduce.blockSignals(True)
        self.reduce.setCurrentIndex(max(0, self.reduce.findData(reduce)))
        self.reduce.blockSignals(blocked)

    def set_weighting(self, weighting: str) -> None:
        """Show the tool's weighting without announcing it back."""
        blocked = self.weighting.blockSignals(True)
        self.weighting.setCurrentIndex(max(0, self.weighting.findData(weighting)))
        self.weighting.blockSignals(blocked)

    def show_message(self, text: str) -> None:
        """Shown only until the first map: a map on screen stays there (the last good one)."""
        self.placeholder.setText(text)

    def show_head(self, matrix, pixels, tokens: list[str], title: str, **details) -> None:
        """details: pieces, ids and keep_zoom, as HeatmapFigure.show_matrix takes them."""
        self.heatmap.show_matrix(matrix, pixels, tokens, tokens, title, **details)
        self.stack.setCurrentWidget(self.heatmap)
        self.reset_zoom_action.setEnabled(True)  # the action, so Ctrl+0 follows too

    def show_grid(self, maps, pixels, groups: list[list[int]], title: str, tokens: list[str] | None = None) -> None:
        self.head_grid.show_maps(maps, pixels, groups, title, tokens)
        self.stack.setCurrentWidget(self.head_grid)
        self.reset_zoom_action.setEnabled(False)  # the grid does not zoom: neither button nor Ctrl+0

    def show_lines(self, tokens, heads, pairs: int, threshold: float, title: str, shown, minimum: float) -> None:
        """Every head of the layer as lines (explorer.core.lines.HeadLines); shown: the heads to draw, or None."""
        self.lines.show_lines(tokens, heads, pairs, threshold, title, shown, minimum)
        self.stack.setCurrentWidget(self.lines)
        self.reset_zoom_action.setEnabled(False)  # the lines scroll; they do not zoom

    def label_colour_bars(self, weighting: str, scale: str) -> None:
        """Name what the colours measure: a norm-weighted map's cells are each row's shares, not attention."""
        if weighting == "norm":
            text = {
                "linear": tr("norm-weighted share (0 to 1)"),
                "log": tr("log₁₀ norm-weighted share"),
                "row": tr("norm-weighted share / row maximum"),
            }[scale]
        else:
            text = tr(SCALES[scale])  # the figures' own label, which menus.scale_label marks for translation
        for figure in self.figures():
            if figure is self.heatmap:
                figure.set_bar_label(text)  # a block-summary map adds whether its colours are maxima or means
            elif figure.bar is not None:
                figure.bar.axis.setLabel(text)

    def set_updating(self, updating: bool) -> None:
        """While a run is in flight the map on screen is stale: faded, with an "updating…" cue."""
        for figure in self.figures():
            figure.set_dimmed(updating)
        self.updating.setVisible(updating)

    def current_figure(self):
        page = self.stack.currentWidget()
        return {self.head_grid: self.head_grid, self.lines: self.lines.canvas}.get(page, self.heatmap)

    def figures(self) -> tuple:
        return self.heatmap, self.head_grid, self.lines

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.KeyPress:
            # The heatmap's own keys first (Escape, Home while zoomed, Ctrl+0), then the tool's stepping keys.
            if watched is self.heatmap and self.heatmap.handle_key(event):
                return True
            if self.key_handler is not None and self.key_handler(event):
                return True
        return super().eventFilter(watched, event)

"""The Query–Key tool's central view: head and query controls, the neuron view and the query–key scatter as tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.gui.i18n import tr

from ...widgets.neuron_strips import NeuronStrips
from ...widgets.qk_scatter import QKScatter
from ...widgets.range_spin import RangeSpinBox
from .state import PAGES


def method_labels() -> dict[str, str]:
    return {"pca": tr("PCA"), "tsne": tr("t-SNE"), "umap": tr("UMAP")}


def colouring_labels() -> dict[str, str]:
    return {"kind": tr("query / key"), "position": tr("position"), "token": tr("token")}


def neuron_help() -> str:
    return tr("One query's q and each key's k, element by element: the products sum to q·k; times the scale "
              "1/√d (÷ temperature), plus the score bias (the mask's −∞, ALiBi's distance penalty), is the score; "
              "softmax over the keys is the attention. Every number is the engine's own. Click a key's row to make "
              "it the query.")  # fmt: skip


def scatter_help() -> str:
    return tr("AttentionViz's joint embedding: the head's queries (●) and keys (▲) in one picture. Before the "
              "projection the keys are translated so that both centroids coincide, and queries and keys are scaled "
              "inversely so that their mean norms match; neither changes any softmax (a constant added to a row of "
              "scores, and q·k kept), so the picture is of the attention itself. Click a point to outline its row "
              "(query) or column (key) in Maps.")  # fmt: skip


class GeometryView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._controls())
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Query–key status"))
        self.strips = NeuronStrips()
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.strips)
        self.scroll.setWidgetResizable(False)
        # Its size hint is the whole neuron view (a row per key): let the page's help below it keep its place.
        self.scroll.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Ignored)
        self.scroll.setMinimumHeight(160)
        self.scatter = QKScatter()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._page(self.scroll, neuron_help()), tr("Neuron view"))
        self.tabs.addTab(self._page(self.scatter, scatter_help(), self._pool_row()), tr("Query–key scatter"))
        self.hover = QLabel(" ")
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hover.setAccessibleName(tr("Point under the pointer"))
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.hover)
        self.strips.hovered.connect(self._hover)
        self.scatter.hovered.connect(self._hover)

    @staticmethod
    def _page(figure: QWidget, help_text: str, above: QHBoxLayout | None = None) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        if above is not None:
            column.addLayout(above)
        note = QLabel(help_text)  # above the figure: a tall figure scrolls, and the help stays in view
        note.setWordWrap(True)
        note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        column.addWidget(note)
        column.addWidget(figure, 1)
        figure.setToolTip(help_text)
        return page

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.layer = RangeSpinBox(0, 0, tr("Layer"), tr("The layer of the head shown"))
        self.head = RangeSpinBox(0, 0, tr("Head"), tr("The head whose queries and keys are shown"))
        self.query = QSpinBox()
        self.query.setSpecialValueText(tr("last token"))
        self.query.setToolTip(tr("The neuron view's query; click a key's row to choose it"))
        self.method = QComboBox()
        for name, label in method_labels().items():
            self.method.addItem(label, name)
        self.method.setToolTip(tr("How the scatter projects the vectors to 2-D: PCA (exact, fast), t-SNE or UMAP "
                                  "(neighbourhoods; slower, run as a job you can cancel)"))  # fmt: skip
        self.colour_by = QComboBox()
        for name, label in colouring_labels().items():
            self.colour_by.addItem(label, name)
        controls = (
            (tr("Layer"), self.layer), (tr("Head"), self.head), (tr("Query"), self.query),
            (tr("Projection"), self.method), (tr("Colour by"), self.colour_by),
        )  # fmt: skip
        for label, control in controls:
            control.setAccessibleName(label)
            row.addWidget(QLabel(label))
            row.addWidget(control)
        row.addStretch(1)
        return row

    def _pool_row(self) -> QHBoxLayout:
        """Pool over a corpus…, the points and texts it keeps, and the way back to the current text."""
        row = QHBoxLayout()
        self.pool_button = QPushButton(tr("Pool over a corpus…"))
        self.pool_button.setToolTip(tr("Choose a corpus (.txt, .jsonl, .parquet): the scatter shows this head's "
                                       "queries and keys over its texts, normalised together, as a sample of the "
                                       "points asked for"))  # fmt: skip
        self.pool_points = RangeSpinBox(2, 100_000, tr("Points"), tr("Points the pooled scatter keeps: a seeded "
                                        "uniform sample, half queries and half keys"))  # fmt: skip
        self.pool_points.setSingleStep(500)
        self.pool_texts = RangeSpinBox(0, 1_000_000, tr("Texts"), tr("Read at most this many of the corpus's texts "
                                       "(each is run once)"))  # fmt: skip
        self.pool_texts.setSingleStep(50)
        self.pool_texts.setSpecialValueText(tr("all"))
        for box in (self.pool_points, self.pool_texts):
            box.setKeyboardTracking(False)  # one job when the number is entered, not one per digit typed
        self.text_button = QPushButton(tr("Current text"))
        self.text_button.setToolTip(tr("Show the current text's queries and keys again"))
        self.pool_source = QLabel(" ")
        row.addWidget(self.pool_button)
        for label, box in ((tr("Points"), self.pool_points), (tr("Texts"), self.pool_texts)):
            box.setAccessibleName(label)
            row.addWidget(QLabel(label))
            row.addWidget(box)
        row.addWidget(self.text_button)
        row.addWidget(self.pool_source, 1)
        return row

    def show_pool(self, points: int, texts: int, source: str, pooled: bool) -> None:
        """The pooling controls, without sending their change signals back to the tool."""
        for box, value in ((self.pool_points, points), (self.pool_texts, texts)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self.pool_source.setText(source or " ")
        self.text_button.setEnabled(pooled)

    def set_controls(self, state, n_layers: int, n_heads: int, n_tokens: int) -> None:
        """Show the state without sending the controls' change signals back to the tool."""
        controls = (self.layer, self.head, self.query, self.method, self.colour_by, self.tabs)
        for control in controls:
            control.blockSignals(True)
        self.layer.setRange(0, max(0, n_layers - 1))
        self.head.setRange(0, max(0, n_heads - 1))
        self.query.setRange(-1, max(0, n_tokens - 1))
        self.layer.setValue(state.layer)
        self.head.setValue(state.head)
        self.query.setValue(state.query)
        self.method.setCurrentIndex(max(0, self.method.findData(state.method)))
        self.colour_by.setCurrentIndex(max(0, self.colour_by.findData(state.colour_by)))
        self.tabs.setCurrentIndex(PAGES.index(state.page))
        for control in controls:
            control.blockSignals(False)

    def range_boxes(self) -> tuple:
        """The spin boxes that tell when a typed value was out of range (their out_of_range signal)."""
        return (self.layer, self.head, self.pool_points, self.pool_texts)

    def set_status(self, text: str) -> None:
        self.status.setText(text or " ")

    def _hover(self, text: str) -> None:
        self.hover.setText(text or " ")

    def apply_colours(self, background: str, foreground: str) -> None:
        self.strips.apply_colours(background, foreground)
        self.scatter.apply_colours(background, foreground)

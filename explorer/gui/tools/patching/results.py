"""The Patching tool's results: the sweep as a layer × position map or as a layer × head atlas beside the Heads
tool's atlas of a chosen score (the same grid, so a head's attention scores and its causal effect read together),
attribution patching's agreement with the exact sweep, and the Attribution view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.gui.i18n import tr

from ...widgets.head_atlas import HeadAtlas
from ...widgets.line_plot import LinePlot
from ...widgets.matrix_plot import MatrixPlot
from ...widgets.range_spin import RangeSpinBox
from ...widgets.token_scores import TokenScores
from ...widgets.view_frame import ViewFrame
from ..heads.state import SCORES
from ..heads.view import choice_label
from .inputs import narrow


def table(columns: list[str], tip: str) -> QTableWidget:
    widget = QTableWidget(0, len(columns))
    widget.setHorizontalHeaderLabels(columns)
    widget.setEditTriggers(QAbstractItemView.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectRows)
    widget.verticalHeader().hide()
    widget.setToolTip(tip)
    return widget


class HeadsPage(QWidget):
    """The sweep's layer × head atlas, the Heads atlas of one score beside it, and the top heads as a table."""

    def __init__(self, colormap: str, parent=None):
        super().__init__(parent)
        self.position = narrow(QComboBox())
        self.position.setToolTip(tr("heads_by_position: the position whose heads the atlas shows"))
        self.position_label = QLabel(tr("Position"))
        self.score = narrow(QComboBox())
        self.score.setToolTip(tr("The Heads tool's score shown beside the sweep, for the clean text"))
        for name in SCORES:
            self.score.addItem(choice_label(name), name)
        self.atlas = HeadAtlas(colormap=colormap)
        self.atlas.setToolTip(tr("Click a head to open its map in Maps (the clean and corrupted texts)"))
        self.scores_atlas = HeadAtlas(colormap=colormap)
        self.scores_atlas.setToolTip(tr("The Heads tool's atlas of the clean text; click a head to open it in Maps"))
        self.sweep_frame = ViewFrame(tr("Causal effect: restored fraction per head"), self.atlas)
        self.scores_frame = ViewFrame(tr("Heads atlas: attention score per head"), self.scores_atlas)
        self.top = table(
            [tr("layer"), tr("head"), tr("restored"), tr("approximate"), tr("score")],
            tr("The heads whose patch restores most (by |restored|); click one to open it in Maps"),
        )
        self.top_frame = ViewFrame(tr("Top heads"), self.top)
        pick = QHBoxLayout()
        pick.addWidget(self.position_label)
        pick.addWidget(self.position)
        pick.addWidget(QLabel(tr("Beside it")))
        pick.addWidget(self.score, 1)
        splitter = QSplitter(Qt.Horizontal)
        for frame in (self.sweep_frame, self.scores_frame, self.top_frame):
            splitter.addWidget(frame)
        splitter.setSizes([330, 330, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(pick)
        layout.addWidget(splitter, 1)
        self.set_positions([])

    def set_positions(self, labels: list[str]) -> None:
        self.position.blockSignals(True)
        self.position.clear()
        for index, label in enumerate(labels):
            self.position.addItem(f"{index} {label}", index)
        if labels:
            self.position.setCurrentIndex(len(labels) - 1)  # the last token: where the answer is predicted
        self.position.blockSignals(False)
        self.position.setVisible(bool(labels))
        self.position_label.setVisible(bool(labels))


class AgreementPage(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary = QLabel(tr("Run a sweep with Method “both” to compare attribution patching with the exact one"))
        self.summary.setWordWrap(True)
        self.scatter = LinePlot()
        self.scatter_frame = ViewFrame(tr("Approximate against exact"), self.scatter)
        self.worst = table(
            [tr("layer"), tr("index"), tr("exact"), tr("approximate")],
            tr("Where the approximation and the exact sweep disagree most"),
        )
        self.worst_frame = ViewFrame(tr("Where they disagree most"), self.worst)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.scatter_frame)
        splitter.addWidget(self.worst_frame)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)


class AttributionPage(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        # Each says its range in its tooltip, and says so when a typed value was out of it (range_boxes).
        self.layer = RangeSpinBox(
            0, 99, tr("Layer"), tr("The layer of the head whose attention is shown beside the attributions")
        )
        self.head = RangeSpinBox(
            0, 99, tr("Head"), tr("The head whose attention (from the last token) is shown beside the attributions")
        )
        self.steps = RangeSpinBox(
            1,
            1024,
            tr("IG steps"),
            tr("Integrated gradients' steps from the baseline (zeros) to the text's embeddings"),
        )
        self.run_button = QPushButton(tr("Attribute"))
        self.run_button.setToolTip(tr("Attribute the answer's log-probability to the clean text's tokens"))
        self.summary = QLabel(" ")
        self.summary.setWordWrap(True)
        self.tokens = TokenScores()
        self.frame = ViewFrame(tr("Tokens coloured by each method, and the head's attention"), self.tokens)
        controls = QHBoxLayout()
        for label, widget in ((tr("Layer"), self.layer), (tr("Head"), self.head), (tr("IG steps"), self.steps)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.frame, 1)

    def range_boxes(self) -> tuple:
        return (self.layer, self.head, self.steps)


class PatchingResults(QTabWidget):
    def __init__(self, colormap: str, parent=None):
        super().__init__(parent)
        self.positions = MatrixPlot(colormap=colormap)
        self.positions_frame = ViewFrame(tr("Restored fraction per layer and position"), self.positions)
        self.heads = HeadsPage(colormap)
        self.sweep = QStackedWidget()
        self.sweep.addWidget(self.positions_frame)
        self.sweep.addWidget(self.heads)
        self.agreement = AgreementPage()
        self.attribution = AttributionPage()
        self.addTab(self.sweep, tr("Sweep"))
        self.addTab(self.agreement, tr("Agreement"))
        self.addTab(self.attribution, tr("Attribution"))
        self.show_hints()

    def show_hints(self) -> None:
        """What each empty figure will show, and how to get it, in its place until it has something to show."""
        sweep = tr("Press Run sweep: each cell shows the fraction of the clean metric that patching it restores")
        for frame in (self.positions_frame, self.heads.sweep_frame, self.heads.top_frame):
            frame.set_hint(sweep)
        self.heads.scores_frame.set_hint(tr("The Heads atlas of the clean text appears once the two texts have run"))
        both = tr("Run a sweep with Method “both” to compare attribution patching with the exact one")
        self.agreement.scatter_frame.set_hint(both)
        self.agreement.worst_frame.set_hint(both)
        self.attribution.frame.set_hint(
            tr(
                "Press Attribute: the clean text's tokens coloured by integrated gradients, input × gradient and "
                "gradient norm, beside the chosen head's attention from the last token"
            )
        )

    def show_heads_page(self, heads: bool) -> None:
        self.sweep.setCurrentWidget(self.heads if heads else self.positions_frame)

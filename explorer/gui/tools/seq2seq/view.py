"""The Seq2seq lab's central view: settings and training buttons, the attention map, the curves, examples, costs.

Left: the settings form, Start / Pause (Resume) / Stop / Reset, Save and Load, and the training status. Right,
above: the snapshot picker (step slider, kind, layer, head) over the heatmap with its Export button, beside the
loss and accuracy curves. Right, below: tabs for held-out examples and for the MHA/GQA/MQA cost table.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.gui.i18n import tr

from ...widgets.heatmap import HeatmapFigure
from ...widgets.settings_form import Field, SettingsForm
from ...widgets.snapshot_picker import SnapshotPicker
from ...widgets.training_curves import TrainingCurves
from .panels import CostsPanel, ExamplesPanel

# Which settings each system reads (models/lab/seq2seq/settings.py says which it ignores): the GRU has one layer,
# one attention map and no positions; only the GPT has KV heads; only the GRU has a choice of score.
COMMON = {"system", "task", "length", "vocab", "difficulty", "steps", "batch_size", "lr", "seed", "snapshot_every"}
ACTIVE = {
    "transformer": COMMON | {"layers", "heads", "d_model", "dropout", "positions"},
    "gru": COMMON | {"score", "d_model", "dropout"},
    "gpt": COMMON | {"layers", "heads", "kv_heads", "d_model", "dropout", "positions"},
}
DATES_IGNORE = {"length", "vocab"}  # the dates task sets its own lengths and symbols


def active_fields(values: dict) -> set[str]:
    """The settings that the form's system and task use; the form greys out the rest."""
    active = ACTIVE.get(values.get("system"), COMMON)
    return active - DATES_IGNORE if values.get("task") == "dates" else set(active)


def kind_labels() -> dict[str, str]:
    return {
        "encoder": tr("Encoder self-attention"),
        "decoder": tr("Decoder self-attention (causal)"),
        "cross": tr("Cross-attention (output → source)"),
        "self": tr("Self-attention (whole sequence)"),
    }


def setting_fields() -> list[Field]:
    names = {"copy": tr("copy"), "reverse": tr("reverse"), "sort": tr("sort"), "dates": tr("dates"),
             "additive": tr("additive"), "dot": tr("dot"), "general": tr("general"), "concat": tr("concat"),
             "sinusoidal": tr("sinusoidal"), "learned": tr("learned")}  # fmt: skip
    pairs = lambda keys: tuple((names[key], key) for key in keys)  # noqa: E731  (shown translated, kept as keys)
    return [
        Field("system", tr("System"), choices=((tr("Transformer (nn.Transformer)"), "transformer"),
              (tr("GRU with attention"), "gru"), (tr("Tiny GPT (decoder-only)"), "gpt"))),
        Field("task", tr("Task"), choices=pairs(("copy", "reverse", "sort", "dates"))),
        Field("score", tr("Score"), choices=pairs(("additive", "dot", "general", "concat")),
              tooltip=tr("The GRU's attention score: additive (Bahdanau); dot, general, concat (Luong)")),
        Field("layers", tr("Layers"), minimum=1, maximum=12),
        Field("heads", tr("Heads"), minimum=1, maximum=64),
        Field("kv_heads", tr("KV heads"), minimum=0, maximum=64, none_text=tr("= heads (MHA)"),
              tooltip=tr("The GPT's key/value heads: = heads is MHA, 1 is MQA, a divisor between is GQA")),
        Field("d_model", tr("d_model"), minimum=2, maximum=2048),
        Field("dropout", tr("Dropout"), minimum=0.0, maximum=0.9, decimals=2),
        Field("positions", tr("Positions"), choices=pairs(("sinusoidal", "learned"))),
        Field("length", tr("Length"), minimum=1, maximum=64),
        Field("vocab", tr("Vocabulary"), minimum=2, maximum=26),
        Field("difficulty", tr("Difficulty"), minimum=1, maximum=3),
        Field("steps", tr("Steps"), minimum=0, maximum=1_000_000),
        Field("snapshot_every", tr("Snapshot every"), minimum=1, maximum=100_000,
              tooltip=tr("An evaluation and an attention snapshot every this many steps")),
        Field("batch_size", tr("Batch size"), minimum=1, maximum=4096),
        Field("lr", tr("Learning rate"), minimum=0.00001, maximum=1.0, decimals=5),
        Field("seed", tr("Seed"), minimum=0, maximum=2_000_000_000),
    ]  # fmt: skip


class Seq2seqView(QWidget):
    def __init__(self, colormap: str, scale: str, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        outer = QSplitter(Qt.Horizontal)
        outer.addWidget(self._left())
        right = QSplitter(Qt.Vertical)
        top = QSplitter(Qt.Horizontal)
        top.addWidget(self._map_panel(colormap, scale))
        self.curves = TrainingCurves()
        top.addWidget(self.curves)
        top.setSizes([560, 380])
        right.addWidget(top)
        self.tabs = QTabWidget()
        self.examples = ExamplesPanel()
        self.costs = CostsPanel()
        self.tabs.addTab(self.examples, tr("Examples"))
        self.tabs.addTab(self.costs, tr("MHA / GQA / MQA costs"))
        right.addWidget(self.tabs)
        right.setSizes([520, 300])
        outer.addWidget(right)
        outer.setSizes([340, 1000])
        outer.setStretchFactor(1, 1)
        layout.addWidget(outer)
        self.map_hover.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.heatmap.hovered.connect(lambda text: self.map_hover.setText(text or " "))

    def _left(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        self.form = SettingsForm(setting_fields(), active=active_fields)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        # On a small screen the form scrolls rather than widening the window (it must fit 1024×700).
        scroll.setMinimumWidth(min(240, self.form.sizeHint().width()))
        column.addWidget(scroll, 1)
        grid = QGridLayout()
        self.start_button = QPushButton(tr("Start"))
        self.pause_button = QPushButton(tr("Pause"))
        self.stop_button = QPushButton(tr("Stop"))
        self.reset_button = QPushButton(tr("Reset"))
        self.save_button = QPushButton(tr("Save…"))
        self.load_button = QPushButton(tr("Load…"))
        self.start_button.setToolTip(tr("Train a new model from these settings (seeded: the same run every time)"))
        self.pause_button.setToolTip(tr("Pause training, or resume it where it stopped"))
        self.stop_button.setToolTip(tr("End this run: the model stays, for examples, maps and saving"))
        self.reset_button.setToolTip(tr("Forget the model, its curves and its snapshots"))
        self.save_button.setToolTip(tr("Save the model as safetensors, with its settings in JSON beside it"))
        self.load_button.setToolTip(tr("Load a model saved by the lab (safetensors + JSON)"))
        buttons = (self.start_button, self.pause_button, self.stop_button, self.reset_button)
        for i, button in enumerate((*buttons, self.save_button, self.load_button)):
            grid.addWidget(button, i // 2, i % 2)
        column.addLayout(grid)
        self.model_label = QLabel(" ")  # which model is loaded, and whether the form still describes it
        self.model_label.setWordWrap(True)
        self.model_label.setAccessibleName(tr("The model"))
        self.model_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        column.addWidget(self.model_label)
        self.match_button = QPushButton(tr("Use the model's settings"))
        self.match_button.setToolTip(tr("Put the model's settings back in the form, so Translate and Resume use it"))
        self.match_button.hide()
        column.addWidget(self.match_button)
        self.status = QLabel(tr("Choose settings and press Start."))
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Training status"))
        column.addWidget(self.status)
        return panel

    def _map_panel(self, colormap: str, scale: str) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.picker = SnapshotPicker(kind_labels())
        self.heatmap = HeatmapFigure(colormap=colormap, scale=scale)
        self.heatmap.setMinimumSize(200, 200)
        self.map_note = QLabel(" ")
        self.map_note.setWordWrap(True)
        self.map_hover = QLabel(" ")
        self.export_button = QPushButton(tr("Export…"))
        self.export_button.setToolTip(tr("The map on screen as a figure (PNG, SVG, PDF) or data (NPY, CSV, JSON)"))
        self.export_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.map_hover, 1)
        bottom.addWidget(self.export_button)
        column.addWidget(self.picker)
        column.addWidget(self.map_note)
        column.addWidget(self.heatmap, 1)
        column.addLayout(bottom)
        return panel

    def set_status(self, text: str) -> None:
        self.status.setText(text)

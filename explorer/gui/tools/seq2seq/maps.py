"""The lab's map: a training snapshot picked with the step slider, or the model's answer to a typed example.

Output tokens are on the query axis and source tokens on the key axis (for cross-attention), as the lab's
Snapshot lays them out; the correct alignment of the task is outlined on the cells where it is known. A map is
checked before it is drawn (finite, rows that sum to 1) and a bad one is named, never shown.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject

from explorer.core.display import encode
from explorer.gui.i18n import tr

from . import training
from .history import ShownMap, shown_map

EXAMPLES = 20  # held-out sources offered in the list


def outside_note(outside: dict) -> str:
    """The warning under an answer to a source unlike anything the model trained on (its length)."""
    low, high = outside["shortest"], outside["longest"]
    trained = tr("exactly {n}").format(n=high) if low == high else tr("{low} to {high}").format(low=low, high=high)
    return tr(
        "Outside what the model was trained on: it saw sources of {trained} symbols, this one has {n}; expect "
        "mistakes (train with a higher Difficulty for varied lengths)."
    ).format(trained=trained, n=outside["length"])


class MapControl(QObject):
    def __init__(self, tool):
        super().__init__(tool)
        self.tool, self.context, self.view = tool, tool.context, tool.view
        self.translation = None  # the lab's Snapshot for a typed example, shown instead of the slider's
        self.outside = None  # how that example lies outside the training data (training.outside_training), or None
        self.shown: ShownMap | None = None
        self.marks = pg.ScatterPlotItem(symbol="s", size=9, pen=pg.mkPen("w", width=1.5), brush=None)
        self.marks.setZValue(3)
        self.view.heatmap.plot.addItem(self.marks, ignoreBounds=True)
        self.view.picker.changed.connect(self._chosen)
        self.view.picker.slider.sliderPressed.connect(self._back_to_training)
        self.view.picker.slider.valueChanged.connect(lambda _v: self._back_to_training())
        examples = self.view.examples
        examples.translate_button.clicked.connect(self.translate_example)
        examples.source.lineEdit().returnPressed.connect(self.translate_example)
        examples.pick_button.clicked.connect(self.pick_examples)

    @property
    def history(self):
        return self.tool.training.history

    def snapshots_changed(self) -> None:
        self.view.picker.set_steps(self.history.snapshot_steps)  # announces a change while following the newest

    def current(self):
        """The snapshot on screen: the typed example's, else the slider's, else None."""
        if self.translation is not None:
            return self.translation
        index = self.view.picker.index
        return None if index is None else self.history.snapshots[index]

    def _chosen(self) -> None:
        picker = self.view.picker
        if picker.current_kind is not None and picker.current_head is not None:
            self.tool.state = replace(
                self.tool.state, kind=picker.current_kind, layer=picker.current_layer, head=picker.current_head
            )
        self.show()

    def show(self) -> None:
        snapshot = self.current()
        if snapshot is None:
            return
        picker, wanted = self.view.picker, self.tool.state  # the last choice, kept across models and resets
        kind = picker.current_kind if picker.current_kind in snapshot.attention else None
        kind = kind or (wanted.kind if wanted.kind in snapshot.attention else None)
        kind = kind or ("cross" if "cross" in snapshot.attention else next(iter(snapshot.attention)))
        n_layers, n_heads = np.shape(snapshot.attention[kind])[:2]
        if [picker.kind.itemData(i) for i in range(picker.kind.count())] != list(snapshot.attention) or (
            picker.layer.maximum() + 1, picker.head.count() - 1) != (n_layers, n_heads):  # fmt: skip
            picker.blockSignals(True)
            picker.set_shape(list(snapshot.attention), n_layers, n_heads)
            picker.choose(kind, min(wanted.layer, n_layers - 1), wanted.head if wanted.head < n_heads else 0)
            picker.blockSignals(False)
        partial = kind == "cross" and "self" in snapshot.attention  # the GPT's slice of its rows
        try:
            shown = shown_map(snapshot, picker.current_kind, picker.current_layer, picker.current_head, partial)
        except ValueError as error:
            self.view.heatmap.clear_map()
            self.view.map_note.setText("⚠ " + str(error))
            return
        self._draw(shown, snapshot)

    def _draw(self, shown: ShownMap, snapshot) -> None:
        heatmap = self.view.heatmap
        pixels = encode(shown.matrix, np.ones(shown.matrix.shape, dtype=bool), heatmap.scale)
        same = self.shown is not None and self.shown.matrix.shape == shown.matrix.shape
        heatmap.show_matrix(shown.matrix, pixels, shown.query_tokens, shown.key_tokens, self._title(shown),
                            keep_zoom=same)  # fmt: skip
        self._mark_alignment(shown, snapshot)
        self.view.curves.mark_step(shown.step)
        outside = snapshot is self.translation and self.outside is not None
        warning = " · ⚠ " + tr("outside the training data") if outside else ""
        self.view.map_note.setText(self._note(snapshot) + warning)
        self.view.export_button.setEnabled(True)
        self.shown = shown
        self.tool.map_changed.emit(shown)

    def _title(self, shown: ShownMap) -> str:
        head = tr("mean of heads") if shown.head < 0 else tr("head {head}").format(head=shown.head)
        kind = self.view.picker.kind_labels.get(shown.kind, shown.kind)
        return tr("{kind} · layer {layer} · {head} · step {step}").format(
            kind=kind, layer=shown.layer, head=head, step=shown.step
        )

    def _note(self, snapshot) -> str:
        right = list(snapshot.output) == list(snapshot.target)
        answer = " ".join(snapshot.target)
        verdict = tr("correct") if right else tr("wrong; the answer is {target}").format(target=answer)
        where = tr("your example") if snapshot is self.translation else tr("held-out example")
        note = tr("{where}: {source} → {output} ({verdict}) · outlined: the correct alignment").format(
            where=where, source=" ".join(snapshot.source), output=" ".join(snapshot.output) or "∅", verdict=verdict
        )
        return note

    def _mark_alignment(self, shown: ShownMap, snapshot) -> None:
        """Outline the task's correct source cell(s) of each output row (cross-attention only)."""
        alignment = np.asarray(getattr(snapshot, "alignment", np.zeros((0, 0))), dtype=bool)
        if shown.kind != "cross" or alignment.ndim != 2:
            self.marks.setData([], [])
            return
        rows = min(alignment.shape[0], shown.matrix.shape[0])
        ys, xs = np.nonzero(alignment[:rows, : shown.matrix.shape[1]])
        self.marks.setData(xs.astype(float), ys.astype(float))

    # -- examples ---------------------------------------------------------------------------------------------
    def translate_example(self) -> None:
        handle = self.tool.training.handle
        text = self.view.examples.text()
        if handle is None or self.tool.training.phase == "training":
            self.view.examples.result.setText(tr("Pause or stop training first: the model is busy learning."))
            return
        problem = self.tool.training.mismatch()
        if problem:  # the form says another task or model: its input would go to the wrong model
            self.view.examples.result.setText("⚠ " + problem)
            return
        if not text:
            self.pick_examples(then_translate=True)
            return
        self.context.jobs.submit("lab-translate", lambda ctx: training.translate(handle, text), self._translated,
                                 lambda message: self.view.examples.result.setText("⚠ " + message))  # fmt: skip

    def _translated(self, result) -> None:
        snapshot, outside = result
        self.translation, self.outside = snapshot, outside
        warning = "" if outside is None else "\n⚠ " + outside_note(outside)
        self.view.examples.result.setText(self._note(snapshot) + warning)
        self.show()

    def pick_examples(self, then_translate: bool = False) -> None:
        handle = self.tool.training.handle
        if handle is None:
            return
        problem = self.tool.training.mismatch()
        if problem:
            self.view.examples.result.setText("⚠ " + problem)
            return

        def done(examples: list[str]) -> None:
            self.view.examples.set_examples(examples)
            if then_translate and examples:
                self.translate_example()

        self.context.jobs.submit("lab-examples", lambda ctx: training.heldout(handle, EXAMPLES), done,
                                 lambda message: self.view.examples.result.setText("⚠ " + message))  # fmt: skip

    def _back_to_training(self) -> None:
        if self.translation is not None and self.history.snapshots:
            self.translation = None
            self.show()

    def clear(self) -> None:
        """No model: no map, no token axes, no answer, and no held-out examples of the model's task."""
        self.translation = self.shown = self.outside = None
        view = self.view
        view.picker.clear()
        view.heatmap.clear_map()
        self.marks.setData([], [])
        view.map_note.setText(" ")
        view.map_hover.setText(" ")
        view.export_button.setEnabled(False)
        view.examples.forget_model()

"""The MHA/GQA/MQA tab: the tiny GPT trained once per grouping as one job, and the loaded model's KV cache.

The groupings are trained with the form's settings (system set to gpt) on the one job thread, so lab training is
paused first. The loaded real model's rows need its shape (layers, heads, KV heads, head size), asked once per
model from the workspace's current run; without a model the table holds the lab's rows alone.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject

from explorer.gui.i18n import tr
from explorer.gui.jobs import Progress

JOB = "lab-costs"


def model_shape(run) -> dict:
    """The loaded model's sizes that its KV cache depends on (job thread: reads the engine's config)."""
    config = run.owner.config
    return {
        "name": run.model_name, "n_layers": config.n_layers, "n_heads": config.n_heads,
        "kv_heads": config.n_kv_heads, "d_head": config.d_head, "d_model": config.d_model,
    }  # fmt: skip


def train_groupings(base: dict, ctx):
    """A generator job: models.lab.seq2seq.train_groupings on the form's settings, its progress reported at most
    every 0.2 s (each step yields, so Cancel is seen between steps); returns the cost rows."""
    from models.lab.seq2seq import LabSettings
    from models.lab.seq2seq import train_groupings as groupings

    training, reported = groupings(LabSettings.from_json(base)), 0.0
    try:
        while True:
            try:
                done, total, _index, count = next(training)
            except StopIteration as finished:
                return finished.value
            now = time.monotonic()
            if now - reported >= 0.2:
                reported = now
                yield Progress(done, total, f"training {count} groupings in turn: step {done} of {total}")
            else:
                yield None
    finally:
        training.close()  # on Cancel too: it gives the job thread its torch thread count back, here and now


class CostsControl(QObject):
    def __init__(self, tool):
        super().__init__(tool)
        self.tool, self.context, self.panel = tool, tool.context, tool.view.costs
        self.lab_rows: list[dict] = []
        self.shape: dict | None = None  # the loaded model's, once asked
        self.panel.run_button.clicked.connect(self.run_groupings)
        self.panel.context.valueChanged.connect(lambda _v: self.show())
        self.panel.cache.currentIndexChanged.connect(lambda _i: self.show())
        self.panel.context.editingFinished.connect(tool.remember_soon)
        workspace = self.context.workspace
        workspace.model_changed.connect(lambda _info: self._forget_model())
        workspace.run_changed.connect(lambda _run: self.refresh_model())

    def run_groupings(self) -> None:
        base = self.tool.settings()
        if base is None:
            self.panel.note.setText(tr("Fix the settings first (see the form)."))
            return
        if self.tool.training.pause_for_others():
            self.tool.view.set_status(tr("Paused while the groupings train; press Resume to go on."))
        self.panel.run_button.setEnabled(False)
        self.panel.note.setText(tr("Training the GPT under MHA, GQA and MQA ({steps} steps each)…").format(
            steps=base["steps"]))  # fmt: skip
        self.context.jobs.submit(JOB, lambda ctx: train_groupings(base, ctx), self._trained, self._failed)

    def _trained(self, rows: list[dict]) -> None:
        self.lab_rows = rows
        self.panel.run_button.setEnabled(True)
        self.show()

    def _failed(self, message: str) -> None:
        self.panel.run_button.setEnabled(True)
        self.panel.note.setText("⚠ " + message)

    def refresh_model(self) -> None:
        """Ask the current run for the model's shape once per model (the lab works without any model)."""
        workspace = self.context.workspace
        if self.shape is None and workspace.run is not None and self.tool.view.isVisible():
            workspace.query("lab-model-shape", lambda run, ctx: model_shape(run), self._got_shape, self._failed)
        else:
            self.show()

    def _forget_model(self) -> None:
        self.shape = None
        self.show()

    def _got_shape(self, shape: dict) -> None:
        self.shape = shape
        self.show()

    def model_rows(self) -> list[dict]:
        if self.shape is None:
            return []
        from models.lab.seq2seq import model_kv_costs

        shape, context = self.shape, self.panel.context.value()
        rows = model_kv_costs(shape["n_layers"], shape["n_heads"], shape["kv_heads"], shape["d_head"],
                              self.panel.cache.currentData(), context)  # fmt: skip
        for row in rows:
            own = tr(" (its own)") if row["model"] else ""
            row.update(grouping=f"{shape['name']} · {row['grouping']}{own}", accuracy=None, seconds_per_step=None,
                       parameters=None, context=context)  # fmt: skip
        return rows

    def show(self) -> None:
        try:
            rows = self.lab_rows + self.model_rows()
            self.panel.table.show_rows(rows)
        except ValueError as error:
            self.panel.note.setText("⚠ " + str(error))
            return
        notes = []
        if not self.lab_rows:
            notes.append(tr("Press Train MHA, GQA and MQA to fill the lab's rows."))
        else:
            notes.append(tr("Lab rows: the tiny GPT trained with the form's settings, the groupings in turn, on one "
                            "thread; time per step is the median of every step, with the middle half of the steps "
                            "in brackets; KV cache in float32."))  # fmt: skip
        if self.shape is None:
            notes.append(tr("Load a model in the explorer to see its KV cache here."))
        else:
            notes.append(tr("Model rows: its KV cache only (it was not trained here), at the chosen context."))
        self.panel.note.setText(" ".join(notes))
        self.tool.costs_changed.emit(rows)

"""Page 4, the attentive BiLSTM classifier (Zhou et al. 2016) trained live on the seeded cue-word task.

Training is a job on the worker thread (torch is imported there): its steps stream to the loss curve, its
evaluations to the accuracy and cue_attention_mass curve, and at each evaluation the typed sentence and a batch
of held-out sentences are read again, so the highlighted words sharpen while it learns. Stop keeps the model;
Train goes on from it; Reset starts again from the seed.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from explorer.core.plots import LinesView, MatrixView, Series
from explorer.gui.i18n import tr
from explorer.gui.jobs import Progress
from explorer.gui.widgets.view_frame import ViewFrame
from explorer.gui.widgets.word_weights import WeightedSentence, WordWeights

from .page import Feed, Page

MODEL_SETTINGS = ("seed", "batch_size", "hidden", "lr", "negation")  # changing one starts a new model
SHOWN_SENTENCES = 6  # held-out sentences highlighted under the typed one


class ClassifierPage(Page):
    name = "classifier"

    def __init__(self, tool):
        super().__init__(tool)
        c = self.controls
        c.integer("seed", tr("Seed"), 0, 99999, 0)
        c.integer("steps", tr("Steps per Train"), 1, 20000, 300)
        c.integer("batch_size", tr("Batch size"), 1, 1024, 64)
        c.integer("hidden", tr("LSTM hidden size"), 2, 512, 32)
        c.real("lr", tr("Learning rate"), 0.0001, 1.0, 0.01, decimals=4)
        c.real("negation", tr("Share negated"), 0.0, 1.0, 0.5)
        c.text("sentence", tr("Sentence"), "we saw the film on friday and it was not bad", lines=2)
        c.integer("k", tr("Batch heatmap rows"), 1, 64, 16)
        buttons = QHBoxLayout()
        self.train_button, self.stop_button, self.reset_button = (
            QPushButton(t) for t in (tr("Train"), tr("Stop"), tr("Reset"))
        )
        for button in (self.train_button, self.stop_button, self.reset_button):
            buttons.addWidget(button)
        self.form.addRow(buttons)
        self.stop_button.setEnabled(False)
        self.train_button.clicked.connect(self.train)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset)
        self.add_lines("loss", tr("Training loss"), 0, 0, hint=tr("Press “Train”: the loss appears here, live."))
        later = tr("Measured on held-out sentences at each evaluation, once training has started.")
        self.add_lines("accuracy", tr("Held-out accuracy and cue attention"), 0, 1, hint=later)
        self.words = WordWeights()
        frame = ViewFrame(tr("Attention per word"), self.words)
        frame.export_requested.connect(lambda: self._export("words"))
        self.frames["words"] = frame
        self.grid.addWidget(frame, 1, 0)
        self.grid.setColumnStretch(0, 1)
        self.add_matrix("batch", tr("Attention over held-out sentences"), 1, 1, hint=later)
        self.feed = Feed(self, self._draw)
        self.trainer = None  # a ClassifierTrainer, touched only inside jobs
        self.events: list = []  # every ClassifierEvent so far
        self.snapshot = None  # (typed, batch) attention read at the last evaluation
        self.formulas.set_formulas(
            [
                (tr("BiLSTM states"), "H = [h→ ; h←] ∈ ℝ^{T×2h}"),
                (
                    tr("Attention (Zhou et al. 2016)"),
                    "M = tanh(H)\nα = softmax(wᵀ M)  over the words\nr = Hᵀ α,  h* = tanh(r)",
                ),
                (tr("Output"), "p(y | s) = softmax(W h* + b)"),
                ("cue_attention_mass", "mean over held-out sentences of Σ_{t ∈ cues} α_t"),
            ],
            tr("A label depends on one sentiment cue among distractors, flipped by a 'not' before it."),
        )

    def setting_changed(self, name: str) -> None:
        if name in MODEL_SETTINGS and self.trainer is not None:
            self.reset()
        elif name in ("sentence", "k") and self.trainer is not None:
            super().setting_changed(name)

    def compute(self) -> bool | None:
        """Read the typed sentence and the batch with the current model (a job: the model lives there)."""
        if self.trainer is None:
            self.say(tr("Press Train: a seeded BiLSTM with attention learns the task live."))
            return
        if self.stop_button.isEnabled():
            return  # the training job reads them at each evaluation
        trainer, sentence, k = self.trainer, self.controls.value("sentence"), self.controls.value("k")
        self.submit("read", lambda ctx: _read(trainer, sentence, k), self._got_snapshot)
        return True

    def _got_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        self._draw_attention()
        self.computed.emit()

    # -- training -------------------------------------------------------------------------------------------
    def settings(self):
        from models.lab.foundations.classifier import ClassifierSettings

        v = self.controls.values()
        return ClassifierSettings(
            seed=v["seed"],
            steps=v["steps"],
            batch_size=v["batch_size"],
            hidden=v["hidden"],
            lr=v["lr"],
            negation=v["negation"],
            eval_every=25,
        )

    def train(self) -> None:
        settings, steps, feed = self.settings(), self.controls.value("steps"), self.feed
        sentence, k, trainer = self.controls.value("sentence"), self.controls.value("k"), self.trainer
        feed.items = list(self.events)

        def job(ctx):
            from models.lab.foundations.classifier import ClassifierTrainer

            model = trainer or ClassifierTrainer(settings)
            self.trainer = model  # Stop keeps it; the GUI thread only hands it back to later jobs
            for done, event in enumerate(model.train(steps), 1):
                if event.accuracy is not None:
                    self.snapshot = _read(model, sentence, k)
                feed.items.append(event)
                yield Progress(done, steps, tr("training the classifier"))
            return model

        self.train_button.setEnabled(False)
        self.reset_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        feed.start()
        self.submit("train", job, self._trained, self._failed)

    def stop(self) -> None:
        if self.stop_button.isEnabled():
            self.context.jobs.cancel(f"foundations-{self.name}-train")
            self._trained(self.trainer)

    def reset(self) -> None:
        self.stop()
        self.trainer, self.events, self.snapshot = None, [], None
        self.feed.items = []
        for key in ("loss", "accuracy", "batch"):
            self.forget_view(key)
        self.views.pop("words", None)
        self.words.show_sentences([])
        self.recompute()

    def _trained(self, trainer) -> None:
        self.feed.stop()
        self.trainer, self.events = trainer, list(self.feed.items)
        self.train_button.setEnabled(True)
        self.reset_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.recompute()

    def _failed(self, message: str) -> None:
        self._trained(self.trainer)
        self.fail(message)

    # -- drawing --------------------------------------------------------------------------------------------
    def _draw(self, events: list) -> None:
        steps = np.asarray([e.step for e in events], dtype=np.float64)
        losses = np.asarray([e.loss for e in events])
        self.show_view(
            "loss",
            LinesView(
                "classifier-loss",
                tr("Training loss · step {step}").format(step=int(steps[-1])),
                tr("step"),
                tr("cross-entropy"),
                (Series(tr("loss"), steps, losses),),
            ),
        )
        evaluated = [e for e in events if e.accuracy is not None]
        if evaluated:
            at = np.asarray([e.step for e in evaluated], dtype=np.float64)
            last = evaluated[-1]
            title = tr("accuracy {a:.1%} · cue_attention_mass {m:.3f}").format(
                a=last.accuracy, m=last.cue_attention_mass
            )
            curves = (
                Series(tr("held-out accuracy"), at, [e.accuracy for e in evaluated]),
                Series("cue_attention_mass", at, [e.cue_attention_mass for e in evaluated]),
            )
            self.show_view("accuracy", LinesView("classifier-accuracy", title, tr("step"), tr("share"), curves))
            self.say(title)
        if self.snapshot is not None:
            self._draw_attention()

    def _draw_attention(self) -> None:
        (words, weights, label, probability), (batch_words, batch, examples) = self.snapshot
        note = tr("typed · predicted {label} ({p:.0%})").format(label=label, p=probability)
        shown = [WeightedSentence(tuple(words), weights, note)]
        for sentence, row, example in list(zip(batch_words, batch, examples))[:SHOWN_SENTENCES]:
            truth = tr("positive") if example.label == 1 else tr("negative")
            shown.append(
                WeightedSentence(
                    tuple(sentence), row[: len(sentence)], tr("held-out · label {label}").format(label=truth)
                )
            )
        self.words.show_sentences(shown)
        self.views["words"] = MatrixView(
            "classifier-words",
            tr("Attention per word"),
            weights[None, :],
            "",
            tr("word"),
            "α",
            column_ticks=tuple(words),
        )
        self.frames["words"].export_button.setEnabled(True)
        self.show_view(
            "batch",
            MatrixView(
                "classifier-batch",
                tr("Attention over {k} held-out sentences").format(k=len(batch_words)),
                batch,
                tr("sentence"),
                tr("word position"),
                "α",
                levels=(0.0, 1.0),
            ),
        )


def _read(trainer, sentence: str, k: int):
    """On the job thread: the typed sentence's words, α and predicted label, and k held-out sentences' α."""
    words, weights = trainer.attention(sentence)
    label, probability = trainer.classify(sentence)
    return (words, np.asarray(weights, dtype=np.float64), label, probability), trainer.batch_attention(k)

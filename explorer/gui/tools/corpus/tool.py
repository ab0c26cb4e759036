"""The Corpus tool: every head's score over a corpus as an atlas of means with 95 % intervals, each head's top
examples, and an example opened in Maps at that head with its query outlined.

The job runs in-process on the job thread with the workspace's model (a cancellable job with progress); its
results go into a folder beside the corpus, shard by shard, so a cancelled run resumes where it stopped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from explorer.gui.i18n import tr

from ..base import Tool, ToolContext
from .compute import (
    SAMPLE_FOLDER,
    CorpusResults,
    current_scores,
    load_results,
    read_texts,
    results_folder,
    run_corpus,
)
from .export import CorpusExport
from .view import CorpusView

RUN_JOB = "corpus-run"
CORPUS_FOLDER_KEY = "corpus/folder"  # QSettings: where the last corpus was opened from
SCORES = ("prefix_matching", "previous_token", "first_token", "self", "special_tokens", "entropy", "mean_distance")


class CorpusTool(Tool):
    name = "corpus"
    title = QT_TRANSLATE_NOOP("", "Corp&us")
    shows_run = False  # its atlas is of the corpus, not of the text on screen
    shared_docks = ("TextDock",)  # the text an example opens; the other docks are of the current run

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.score = SCORES[0]
        self.corpus: str | None = None
        self.results: CorpusResults | None = None
        self.head: tuple[int, int] | None = None
        self.current: dict | None = None  # the current text's scores, for the comparison
        self.view = CorpusView(context.display.colormap, SCORES)
        self.view.open_corpus_button.clicked.connect(self.choose_corpus)
        self.view.open_results_button.clicked.connect(self.choose_results)
        self.view.run_button.clicked.connect(self.run)
        self.view.picker.currentIndexChanged.connect(lambda _i: self.set_score(self.view.picker.currentData()))
        self.view.atlas.head_clicked.connect(self.show_head)
        self.view.example_chosen.connect(self.open_example)
        self._pending_outline: tuple[int, int, int] | None = None
        self._running = False  # a corpus job was submitted and has not reported its result or failure
        context.workspace.run_changed.connect(self._on_run)
        context.jobs.ended.connect(self._job_ended)
        context.display.colormap_changed.connect(self.view.atlas.set_colormap)
        context.display.colours_changed.connect(self.view.atlas.apply_colours)
        self.view.atlas.apply_colours(*context.display.colours)
        self.export = CorpusExport(self)
        self.export_atlas_action = QAction(tr("Export Corp&us Atlas…"), context.parent)
        self.export_atlas_action.setToolTip(
            tr(
                "Export the atlas of the score's corpus means as PNG, SVG or PDF, or every head's mean and 95 % "
                "interval as CSV/JSON"
            )  # fmt: skip
        )
        self.export_atlas_action.triggered.connect(self.export.export_atlas)
        self.export_examples_action = QAction(tr("Export &Top Examples…"), context.parent)
        self.export_examples_action.setToolTip(
            tr("Export the chosen head's top examples, with their texts, as CSV/JSON")
        )
        self.export_examples_action.triggered.connect(self.export.export_examples)

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.export_atlas_action, self.export_examples_action]}

    def save_state(self) -> dict:
        return {"score": self.score, "corpus": self.corpus, "results": self.results.folder if self.results else None}

    def check_state(self, data: dict) -> None:
        if not isinstance(data, dict) or data.get("score", SCORES[0]) not in SCORES:
            raise ValueError(f"corpus: score must be one of {', '.join(SCORES)}")

    def restore_state(self, data: dict) -> None:
        self.set_score(data.get("score", SCORES[0]))
        if data.get("corpus"):
            self.open_corpus(data["corpus"])
        if data.get("results") and Path(data["results"], "summary.json").is_file():
            self.open_results(data["results"])

    # -- what the user does -----------------------------------------------------------------------------------
    def _start_folder(self) -> str:
        """Where the open dialogs start: the last corpus's folder, the shipped sample's at first."""
        return str(self.context.settings.value(CORPUS_FOLDER_KEY, "") or SAMPLE_FOLDER)

    def choose_corpus(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.context.parent, tr("Open Corpus"), self._start_folder(), tr("Corpora (*.jsonl *.txt *.parquet)")
        )
        if path:
            self.context.settings.setValue(CORPUS_FOLDER_KEY, str(Path(path).parent))
            self.open_corpus(path)

    def choose_results(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.context.parent, tr("Open Results"), self._start_folder())
        if folder:
            self.context.settings.setValue(CORPUS_FOLDER_KEY, str(Path(folder).parent))
            self.open_results(folder)

    def open_corpus(self, path: str) -> None:
        """Read the corpus as a job (a bad file is refused before any model work), then offer Run."""
        self.corpus = None
        self.view.run_button.setEnabled(False)
        self.view.source.setText(tr("Corpus: {path}").format(path=path))
        got = lambda read: self._got_corpus(path, *read)  # noqa: E731
        self.context.jobs.submit("corpus-read", lambda ctx: read_texts(path), got, self._read_failed)

    def _got_corpus(self, path: str, texts: int, warnings: tuple[str, ...]) -> None:
        self.corpus = path
        self.view.source.setText(tr("Corpus: {path} ({texts} texts)").format(path=path, texts=texts))
        self.view.run_button.setEnabled(not self._running)
        note = ("⚠ " + warnings[0] + " · ") if warnings else ""
        self.view.status.setText(note + tr("Press Run to score every head over it"))
        model = self.context.workspace.model
        if model is not None and (results_folder(path, model.name) / "summary.json").is_file():
            self.open_results(str(results_folder(path, model.name)))  # a finished run of this corpus: shown at once

    def open_results(self, folder: str) -> None:
        self.context.jobs.submit("corpus-open", lambda ctx: load_results(folder), self._got_results, self._failed)

    def run(self) -> None:
        """Score the open corpus with the loaded model as a job (not a query of the current run: typing a new
        text while it runs must not drop its results)."""
        workspace = self.context.workspace
        if self.corpus is None or workspace.model is None:
            self._failed(tr("Open a corpus, and load a model, first"))
            return
        corpus, folder = self.corpus, str(results_folder(self.corpus, workspace.model.name))
        self.view.status.setText(tr("Scoring every head over the corpus… (Cancel keeps what is scored; Run resumes)"))
        self.view.run_button.setEnabled(False)
        self._running = True
        # The job thread runs one job at a time, loads included: the model read there is the one loaded now.
        self.context.jobs.submit(RUN_JOB, lambda ctx: run_corpus(workspace.engine_model, ctx, corpus, folder),
                                 self._got_results, self._run_failed)  # fmt: skip

    def _job_ended(self, kind: str) -> None:
        if kind == RUN_JOB:
            QTimer.singleShot(0, self._after_run)  # its result or failure, if any, is delivered just after

    def _after_run(self) -> None:
        self.view.run_button.setEnabled(self.corpus is not None)
        if self._running:  # neither result nor failure came: the user cancelled it
            self._running = False
            self.view.status.setText(tr("Stopped. The texts scored so far are kept: Run resumes from them"))

    def set_score(self, name: str) -> None:
        if name not in SCORES:
            raise ValueError(f"score: '{name}' is not one of {', '.join(SCORES)}")
        self.score = name
        self.view.set_choice(name)
        self._show()

    def show_head(self, layer: int, head: int) -> None:
        """List the head's top examples, and compare its corpus mean with its value on the current text."""
        self.head = (layer, head)
        self.view.atlas.mark(layer, head)
        self._show_head()
        workspace = self.context.workspace
        if self.current is None and workspace.run is not None:
            seq = workspace.state.seq
            workspace.query("corpus-current", lambda run, ctx: current_scores(run, seq), self._got_current)

    def open_example(self, row: int) -> None:
        """Put the example's text in the workspace and show the head in Maps with the example's query outlined."""
        if self.results is None or self.head is None:
            return
        layer, head = self.head
        examples = self._examples()
        if not 0 <= row < len(examples) or examples[row]["text_id"] not in self.results.texts:
            self._failed(tr("The corpus file of these results is not where the job read it"))
            return
        model = self.context.workspace.model
        if model is None or model.name != self.results.summary["model"]:
            self._failed(tr("These results are of {model}; load it to open an example").format(
                model=self.results.summary["model"]))  # fmt: skip
            return
        self._pending_outline = (layer, head, examples[row]["position"])  # once the example's run has come
        self.context.workspace.set_texts([self.results.texts[examples[row]["text_id"]]])  # shown, and run now

    def _on_run(self, _info) -> None:
        self.current = None  # the comparison was of the previous text
        if self._pending_outline is not None:
            layer, head, row = self._pending_outline
            self._pending_outline = None
            self.context.open_tool("maps").outline(layer, head, row=row)

    # -- showing ----------------------------------------------------------------------------------------------
    def _got_results(self, results: CorpusResults) -> None:
        self._running = False
        self.results = results
        self.view.source.setText(
            tr("{folder}: {texts} texts, {tokens} tokens, {model}").format(
                folder=results.folder,
                texts=results.summary["texts"],
                tokens=results.summary["tokens"],
                model=results.summary["model"],
            )  # fmt: skip
        )
        if results.corpus:
            self.corpus = results.corpus
            self.view.run_button.setEnabled(True)
        status = tr("Click a head to list the texts that make it fire")
        if results.warnings:
            status = "⚠ " + tr("{n} warnings, the first: {first}").format(
                n=len(results.warnings), first=results.warnings[0]) + " · " + status  # fmt: skip
        self.view.status.setText(status)
        self._show()

    def _got_current(self, scores: dict) -> None:
        self.current = scores
        self._show_head()

    def _read_failed(self, message: str) -> None:
        self.view.source.setText(tr("No corpus open"))  # the file named was refused: none is open
        self._failed(message)

    def _run_failed(self, message: str) -> None:
        self._running = False
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.view.status.setText("⚠ " + message)

    def _show(self) -> None:
        if self.results is None or self.score not in self.results.summary["scores"]:
            return
        mean = self.results.grid(self.score, "mean")
        finite = mean[np.isfinite(mean)]
        levels = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if levels[0] == levels[1]:
            levels = (levels[0], levels[0] + 1.0)
        grids = [self.results.grid(self.score, key) for key in ("ci_low", "ci_high", "count")]
        self.view.atlas.show_statistics(mean, *grids, levels, tr("mean {score}").format(score=self.score))
        self._show_head()

    def _examples(self) -> list[dict]:
        layer, head = self.head
        return self.results.summary["scores"][self.score]["top"][layer][head]

    def _show_head(self) -> None:
        if self.results is None or self.head is None or self.score not in self.results.summary["scores"]:
            return
        layer, head = self.head
        self.view.show_examples(self._examples(), self.results.texts)
        mean, low, high = (self.results.grid(self.score, key)[layer, head] for key in ("mean", "ci_low", "ci_high"))
        if not np.isfinite(mean):
            line = tr("L{layer}H{head}: no text of the corpus defines this score").format(layer=layer, head=head)
        elif not (np.isfinite(low) and np.isfinite(high)):  # one text only: no spread, so no interval
            line = tr("L{layer}H{head} over the corpus: mean {mean:.4g} (one text: no interval)").format(
                layer=layer, head=head, mean=mean)  # fmt: skip
        else:
            line = tr("L{layer}H{head} over the corpus: mean {mean:.4g}, 95 % CI [{low:.4g}, {high:.4g}]").format(
                layer=layer, head=head, mean=mean, low=low, high=high)  # fmt: skip
        if self.current is not None and self.score in self.current:
            value = float(self.current[self.score][layer, head])
            if np.isfinite(value):
                line += " · " + tr("on the current text: {value:.4g}").format(value=value)
            else:  # e.g. prefix_matching on a text where no token repeats: no query counts
                line += " · " + tr("on the current text: n/a (no query of it counts for this score)")
        self.view.status.setText(line)

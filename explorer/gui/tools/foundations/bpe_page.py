"""Page 5, byte-pair encoding step by step: merges learned from a corpus, and a word built merge by merge.

The corpus is typed or read from resources/corpora. `tokenizers`' BPE trainer learns the merges (a job); the
slider re-segments the corpus with the first k of them. A typed word is explained with the loaded model's own
tokenizer (its merge list, or WordPiece's longest-match rule), read through the workspace's current run.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QListWidget, QPlainTextEdit, QSlider, QTextBrowser

from explorer.core.plots import LinesView, Series
from explorer.gui.i18n import tr
from explorer.gui.widgets.view_frame import ViewFrame
from explorer.resource_files import resource

from .page import Page

CORPORA = resource("corpora")
SHOWN_WORDS = 400  # the re-segmented corpus shows its first words; counts use all of them


def corpus_files() -> list[Path]:
    return sorted(CORPORA.glob("*.txt")) if CORPORA.is_dir() else []


class BpePage(Page):
    name = "bpe"

    def __init__(self, tool):
        super().__init__(tool)
        c = self.controls
        files = [(str(path.name), path.name) for path in corpus_files()]
        c.choice("corpus", tr("Corpus"), [("typed", tr("Typed below")), *files], files[0][0] if files else "typed")
        c.text("text", tr("Typed corpus"), "low lower lowest newer newest wider widest\n低 低的 更低 最低", lines=4)
        c.integer("merges", tr("Merges to learn"), 1, 5000, 100)
        c.integer("k", tr("Merges applied"), 0, 5000, 20)
        c.text("word", tr("Word to explain"), "lowest", lines=1)
        self.slider = QSlider()
        self.slider.setOrientation(self.slider.orientation().Horizontal)
        self.form.addRow(tr("Slide k"), self.slider)
        self.slider.valueChanged.connect(lambda value: self.controls.controls["k"].widget.setValue(value))
        self.merge_list = QListWidget()
        self.segmented = QTextBrowser()
        self.explained = QPlainTextEdit(readOnly=True)
        for key, title, widget, row, column in (
            ("merges", tr("Merges in the order learned"), self.merge_list, 0, 0),
            ("segmented", tr("The corpus after k merges"), self.segmented, 0, 1),
            ("explained", tr("A word built merge by merge"), self.explained, 1, 0),
        ):
            frame = ViewFrame(title, widget)
            frame.export_button.hide()  # text: selectable and copyable; the numbers go out through the curve
            self.frames[key] = frame
            self.grid.addWidget(frame, row, column)
            self.grid.setColumnStretch(column, 1)
        self.add_lines("pieces", tr("Corpus length in pieces against merges"), 1, 1)
        self.merges: list[tuple[str, str]] = []
        self.merges_for = None  # (corpus text, merge count) the merges were learned from
        self.formulas.set_formulas(
            [
                (
                    tr("Learning"),
                    "start: every word as characters\nrepeat: join the most frequent adjacent pair (a, b) → ab",
                ),
                (
                    tr("Encoding a word"),
                    "while some adjacent pair is a merge:\n  join the pair of lowest rank (leftmost first)",
                ),
                (tr("WordPiece (BERT, MiniLM)"), "longest vocabulary piece from the left;\nlater pieces carry ##"),
            ],
            tr("The last step of an explained word is exactly what the tokenizer encodes it to."),
        )

    def corpus(self) -> str:
        choice = self.controls.value("corpus")
        if choice == "typed":
            return self.controls.value("text")
        path = CORPORA / choice
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(tr("corpus: cannot read {path}: {error}").format(path=path, error=error)) from error

    def compute(self) -> bool:
        corpus, count = self.corpus(), self.controls.value("merges")
        if self.merges_for != (corpus, count):
            self.submit("learn", lambda ctx: _learn(corpus, count), lambda merges: self._learned(merges, corpus, count))
            self.say(tr("learning merges…"))
        else:
            self._segment(corpus)
        self._explain()
        return True  # the segmentation job emits `computed`

    def _learned(self, merges, corpus: str, count: int) -> None:
        self.merges, self.merges_for = merges, (corpus, count)
        self.merge_list.clear()
        self.merge_list.addItems([f"{rank + 1}. {a} + {b} → {a}{b}" for rank, (a, b) in enumerate(merges)])
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(merges))
        self.slider.blockSignals(False)
        self._segment(corpus)

    def _segment(self, corpus: str) -> None:
        k = min(self.controls.value("k"), len(self.merges))
        self.slider.blockSignals(True)
        self.slider.setValue(k)
        self.slider.blockSignals(False)
        merges = self.merges

        def job(ctx):
            from models.lab.foundations import bpe

            counts = [sum(map(len, bpe.segment(corpus, merges, j))) for j in _curve_points(len(merges))]
            return bpe.segment(corpus, merges, k), counts

        self.submit("segment", job, lambda result: self._segmented(result, k))

    def _segmented(self, result, k: int) -> None:
        words, counts = result
        pieces = sum(map(len, words))
        self.segmented.setHtml(pieces_html(words[:SHOWN_WORDS]))
        self.merge_list.setCurrentRow(k - 1)
        points = np.asarray(_curve_points(len(self.merges)), dtype=np.float64)
        now = Series(
            tr("k = {k}").format(k=k),
            np.asarray([k], dtype=np.float64),
            np.asarray([pieces], dtype=np.float64),
            "points",
        )
        self.show_view(
            "pieces",
            LinesView(
                "bpe-pieces",
                tr("{pieces} pieces for {words} words after {k} merges").format(pieces=pieces, words=len(words), k=k),
                tr("merges applied k"),
                tr("pieces in the corpus"),
                (Series(tr("pieces"), points, np.asarray(counts, dtype=np.float64)), now),
            ),
        )
        self.say(tr("{n} merges learned · {k} applied").format(n=len(self.merges), k=k))
        self.computed.emit()

    def _explain(self) -> None:
        word, workspace = self.controls.value("word").strip(), self.context.workspace
        if not word:
            self.explained.setPlainText(tr("Type a word to see how the loaded model's tokenizer builds it."))
            return
        if workspace.run is None:
            self.explained.setPlainText(
                tr("No model is loaded: the word is explained with the loaded model's tokenizer.")
            )
            return

        def job(run, ctx):
            from models.lab.foundations import bpe

            return run.owner.name, bpe.explain_word(run.owner, word).readable()

        failed = lambda message: self.explained.setPlainText("⚠ " + message)  # noqa: E731
        workspace.query("foundations-bpe-explain", job, self._explained, failed)

    def _explained(self, result) -> None:
        model, explanation = result
        lines = [
            tr("{model} · {algorithm} · parts: {parts}").format(
                model=model, algorithm=explanation.algorithm, parts=" | ".join(explanation.parts)
            )
        ]
        for step in explanation.steps:
            pieces = " · ".join(step.symbols)
            if step.merge is not None:
                lines.append(
                    tr("merge #{rank}: {a} + {b}  →  {pieces}").format(
                        rank=step.rank + 1, a=step.merge[0], b=step.merge[1], pieces=pieces
                    )
                )
            else:
                lines.append(f"{pieces}   {step.note}".rstrip())
        lines.append(tr("tokens: {tokens}").format(tokens=" · ".join(explanation.tokens)))
        self.explained.setPlainText("\n".join(lines))


PIECE_TINTS = ("#dbe9f6", "#fde2c8")  # alternate pieces of a word in two light tints, dark text on both


def pieces_html(words: list[list[str]]) -> str:
    """Each word's pieces side by side in alternating tints (a piece boundary is where the tint changes)."""
    shown = []
    for pieces in words:
        spans = (
            f"<span style='background-color: {PIECE_TINTS[i % 2]}; color: black'>{html.escape(p)}</span>"
            for i, p in enumerate(pieces)
        )
        shown.append("".join(spans))
    return "<p style='line-height: 160%'>" + " ".join(shown) + "</p>"


def _learn(corpus: str, count: int):
    from models.lab.foundations import bpe

    return bpe.learn_merges(corpus, count)


def _curve_points(n_merges: int) -> list[int]:
    """The k at which the pieces curve is measured: at most 41 points from 0 to every merge."""
    return sorted({round(i * n_merges / 40) for i in range(41)})

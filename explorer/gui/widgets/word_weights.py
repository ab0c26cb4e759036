"""Sentences with each word highlighted by its attention weight, as the textbook's classifier figures show them.

A word's background is the highlight colour at an opacity proportional to its weight divided by the sentence's
largest weight, so the word the model leans on most is the strongest in every sentence; the exact weight is
written under each word when asked.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QTextBrowser

HIGHLIGHT = (220, 60, 40)  # red, readable under black or white text at any opacity up to MAX_ALPHA
MAX_ALPHA = 0.85


@dataclass(frozen=True)
class WeightedSentence:
    words: tuple[str, ...]
    weights: np.ndarray  # [len(words)], finite, summing to 1
    note: str = ""  # e.g. 'label positive · predicted positive'

    def __post_init__(self):
        weights = np.asarray(self.weights, dtype=np.float64)
        if weights.shape != (len(self.words),):
            raise ValueError(f"weights: {weights.shape} for {len(self.words)} words")
        if not np.isfinite(weights).all() or (weights < 0).any() or abs(weights.sum() - 1) > 1e-4:
            raise ValueError("weights: an attention row must be finite, ≥ 0 and sum to 1; nothing is shown")
        object.__setattr__(self, "weights", weights)


def opacities(weights: np.ndarray) -> np.ndarray:
    """Each word's highlight opacity: weight / the sentence's largest weight, times MAX_ALPHA."""
    top = float(np.max(weights)) if len(weights) else 0.0
    return np.zeros_like(weights) if top <= 0 else weights / top * MAX_ALPHA


class WordWeights(QTextBrowser):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setMinimumSize(220, 120)
        self.sentences: list[WeightedSentence] = []
        self.show_numbers = False

    def show_sentences(self, sentences: list[WeightedSentence], show_numbers: bool | None = None) -> None:
        self.sentences = list(sentences)
        if show_numbers is not None:
            self.show_numbers = show_numbers
        self.setHtml("".join(self._sentence_html(s) for s in self.sentences))

    def _sentence_html(self, sentence: WeightedSentence) -> str:
        r, g, b = HIGHLIGHT
        cells = []
        for word, weight, alpha in zip(sentence.words, sentence.weights, opacities(sentence.weights)):
            number = f"<br><small>{weight:.2f}</small>" if self.show_numbers else ""
            cells.append(
                f"<td align='center' style='background-color: rgba({r},{g},{b},{alpha:.3f}); padding: 2px 4px'>"
                f"{html.escape(word)}{number}</td>"
            )
        note = f"<p style='margin:0'><small><i>{html.escape(sentence.note)}</i></small></p>" if sentence.note else ""
        return f"{note}<table cellspacing='2' style='margin-bottom: 8px'><tr>{''.join(cells)}</tr></table>"

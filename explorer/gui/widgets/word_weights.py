"""Sentences with each word highlighted by its attention weight, as the textbook's classifier figures show them.

A word's background is the highlight colour (blended over white) at an opacity proportional to its weight
divided by the sentence's largest weight, so the word the model leans on most is the strongest in every
sentence; the exact weight is written beside each word when asked.
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


def blend(alpha: float) -> str:
    """The highlight at this opacity over white, as an opaque colour: the same on a light or a dark palette."""
    r, g, b = (round(255 + (c - 255) * alpha) for c in HIGHLIGHT)
    return f"#{r:02x}{g:02x}{b:02x}"


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
        words = []
        for word, weight, alpha in zip(sentence.words, sentence.weights, opacities(sentence.weights)):
            number = f"<sub>{weight:.2f}</sub>" if self.show_numbers else ""
            words.append(
                f"<span style='background-color: {blend(alpha)}; color: black; white-space: pre'>"
                f" {html.escape(word)}{number} </span>"
            )
        note = f"<small><i>{html.escape(sentence.note)}</i></small><br>" if sentence.note else ""
        return f"<p style='margin: 0 0 10px 0; line-height: 150%'>{note}{' '.join(words)}</p>"

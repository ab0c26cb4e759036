"""Attention as lines (BertViz's head view): the (query, key, weight) pairs of a map at or above a threshold.

A map's row sums to 1, so at most 1/t of its weights reach t: a threshold bounds the lines a row can draw,
whatever the length. Short texts draw every visible pair; long ones only the pairs at or above a threshold
(0.05 by default), and very long ones may not go below a floor that keeps a head under LINE_BOUND lines.
Masked pairs are never lines. Pure numpy, no Qt: the window, its export and the command line share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LONG_TEXT = 256  # up to this many tokens every visible pair is a line by default
LONG_THRESHOLD = 0.05  # the default threshold above LONG_TEXT
LINE_BOUND = 163_840  # a head's lines at most (N/t ≤ this), which sets the lowest threshold for a length


@dataclass(frozen=True)
class HeadLines:
    """One head's lines, sorted by query: rows (L,) int32 queries, cols (L,) int32 keys, weights (L,) float32."""

    head: int
    rows: np.ndarray
    cols: np.ndarray
    weights: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


def minimum_threshold(n_tokens: int) -> float:
    """The lowest threshold allowed at this length: 0 up to LONG_TEXT tokens, else N/LINE_BOUND rounded up to
    a hundredth (0.02 at 2,048 tokens, 0.05 at 8,192), so no head can ask for more than LINE_BOUND lines."""
    if n_tokens <= LONG_TEXT:
        return 0.0
    return math.ceil(n_tokens / LINE_BOUND * 100 - 1e-9) / 100


def default_threshold(n_tokens: int) -> float:
    return 0.0 if n_tokens <= LONG_TEXT else max(LONG_THRESHOLD, minimum_threshold(n_tokens))


def check_threshold(threshold: float, n_tokens: int) -> float:
    """threshold as a float, or a ValueError naming it: within 0..1, and not below this length's floor."""
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        raise ValueError(f"threshold: {threshold!r} is not a number") from None
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"threshold: {threshold!r} is outside 0..1")
    floor = minimum_threshold(n_tokens)
    if value < floor:
        raise ValueError(
            f"threshold: {value:g} is below {floor:g}, the lowest for {n_tokens:,} tokens "
            f"(a head would draw up to {n_tokens:,}/{value:g} lines); lines need a threshold of at least {floor:g}"
        )
    return value


def head_lines(head: int, matrix: np.ndarray, visible: np.ndarray, threshold: float) -> HeadLines:
    """The visible (query, key) pairs of one map whose weight is ≥ threshold, with their weights.

    matrix: float (N_q, N_k) as the map shows it; visible: bool, same shape, False where the mask hides the key.
    A visible weight that is not finite is an error, never a line."""
    matrix, visible = np.asarray(matrix), np.asarray(visible, dtype=bool)
    if matrix.ndim != 2 or visible.shape != matrix.shape:
        raise ValueError(
            f"matrix and visible: need one [N, N] map and its mask, got {matrix.shape} and {visible.shape}"
        )
    keep = visible & (matrix >= threshold)
    if not np.isfinite(matrix[visible]).all():
        raise ValueError(f"head {head}: the map has values that are not finite; it cannot be drawn as lines")
    rows, cols = np.nonzero(keep)  # row-major: sorted by query, then key
    return HeadLines(head, rows.astype(np.int32), cols.astype(np.int32), matrix[rows, cols].astype(np.float32))


def opacity_codes(weights: np.ndarray) -> np.ndarray:
    """uint8 alpha of each line: its weight on 0..255, the finest opacity a screen or a PNG can show."""
    return np.rint(np.clip(weights, 0.0, 1.0) * 255.0).astype(np.uint8)


def isolate(lines: HeadLines, side: str | None, index: int | None) -> HeadLines:
    """Only the lines of one token: a query's row (side "query") or a key's column (side "key"); all if None."""
    if side is None or index is None:
        return lines
    if side == "query":
        low, high = np.searchsorted(lines.rows, [index, index + 1])  # rows are sorted
        keep = slice(int(low), int(high))
    elif side == "key":
        keep = np.nonzero(lines.cols == index)[0]
    else:
        raise ValueError(f"side: '{side}' is not query or key")
    return HeadLines(lines.head, lines.rows[keep], lines.cols[keep], lines.weights[keep])


def count_text_numbers(drawn: int, total: int, threshold: float) -> dict:
    """The fields of the count line ('1,234 of 4,194,304 lines ≥ 0.05'), formatted with thousands separators."""
    return {"drawn": f"{drawn:,}", "total": f"{total:,}", "threshold": f"{threshold:g}"}

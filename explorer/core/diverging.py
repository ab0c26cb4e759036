"""A diverging colour scale for the difference of two maps: blue below 0, white at 0, red above, grey where hidden.

ColorBrewer's RdBu (matplotlib's RdBu_r, reversed so that more attention in B is red), as one 256-entry lookup
table shared by the window and the exported figures: codes 0..254 span [−limit, +limit] symmetrically, so 0 is
the middle code, white; code 255 is a cell hidden in both runs, grey as in every map.
"""

from __future__ import annotations

import numpy as np

from explorer.core.display import MASKED_CODE, MASKED_RGB, to_uint8

# ColorBrewer RdBu, 11 classes, from most negative (dark blue) to most positive (dark red)
RDBU_REVERSED = (
    "053061", "2166ac", "4393c3", "92c5de", "d1e5f0", "f7f7f7", "fddbc7", "f4a582", "d6604d", "b2182b", "67001f",
)  # fmt: skip
DIFF_LABEL = "B − A (attention)"


def diverging_table() -> np.ndarray:
    """(256, 3) uint8: the scale's colours for codes 0..254, linearly between the anchors; grey for code 255."""
    anchors = np.array([[int(code[i : i + 2], 16) for i in (0, 2, 4)] for code in RDBU_REVERSED], dtype=np.float64)
    where = np.linspace(0.0, len(anchors) - 1, MASKED_CODE)
    table = np.empty((MASKED_CODE + 1, 3), dtype=np.uint8)
    for channel in range(3):
        table[:MASKED_CODE, channel] = np.round(np.interp(where, np.arange(len(anchors)), anchors[:, channel]))
    table[MASKED_CODE] = MASKED_RGB
    return table


def symmetric_limit(diff: np.ndarray, visible: np.ndarray) -> float:
    """The colour scale's half range: the largest |B − A| over the cells shown, or 1 when they are all 0."""
    shown = np.abs(np.asarray(diff, dtype=np.float64)[np.asarray(visible, dtype=bool)])
    if shown.size and not np.isfinite(shown).all():
        raise ValueError("diff: the difference map holds values that are not finite")
    largest = float(shown.max()) if shown.size else 0.0
    return largest if largest > 0 else 1.0


def encode_diff(diff: np.ndarray, visible: np.ndarray, limit: float) -> np.ndarray:
    """uint8 codes for diverging_table: [−limit, limit] as 0..254 (0 → 127, white), hidden cells 255."""
    if not limit > 0:
        raise ValueError(f"limit: {limit} must be > 0")
    codes = to_uint8(np.asarray(diff, dtype=np.float32), (-limit, limit))
    codes[~np.asarray(visible, dtype=bool)] = MASKED_CODE
    return codes

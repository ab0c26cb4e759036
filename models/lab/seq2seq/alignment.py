"""alignment_accuracy: how often a head's cross-attention argmax lands on the source position holding the answer."""

from __future__ import annotations

import numpy as np


def alignment_accuracy(maps: list[np.ndarray], correct: list[np.ndarray]) -> dict[str, float]:
    """{"best_head", "mean"} over examples' cross maps (L, H, T, S) and correct alignments (T, S) bool.

    Per head: the fraction of output positions (those with a correct source position at all) whose attention
    argmax over the source is a correct position; "best_head" is the best head's fraction, "mean" the fraction
    for the map averaged over every layer and head. A map may have fewer rows than its alignment (an output cut
    short); missing rows count as misses. NaN when no output position has a correct source position.
    """
    hits, mean_hits, total = None, 0, 0
    for m, ok in zip(maps, correct):
        valid = ok.any(axis=1)  # (T,)
        total += int(valid.sum())
        rows = min(m.shape[2], ok.shape[0])
        chosen = m[:, :, :rows].argmax(axis=-1)  # (L, H, rows)
        right = np.take_along_axis(np.broadcast_to(ok[:rows], m.shape[:2] + ok[:rows].shape), chosen[..., None], -1)
        head_hits = (right[..., 0] & valid[:rows]).sum(axis=-1)  # (L, H)
        hits = head_hits if hits is None else hits + head_hits
        averaged = m[:, :, :rows].mean(axis=(0, 1)).argmax(axis=-1)  # (rows,)
        mean_hits += int((ok[np.arange(rows), averaged] & valid[:rows]).sum())
    if not total or hits is None:
        return {"best_head": float("nan"), "mean": float("nan")}
    return {"best_head": float(hits.max() / total), "mean": float(mean_hits / total)}

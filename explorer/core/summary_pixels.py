"""Maps too long to draw cell by cell: block summaries at the screen's resolution, and exact cells once zoomed in.

Up to EXACT_UP_TO tokens a map is kept whole (16 MB at 2,048), so zooming and hovering need no engine call.
Above that, and only where the screen has fewer pixels than the map has cells, the window asks the engine
(Run.attention_summary: block by block from the cached Q and K, never N × N) for one value per screen pixel: the
largest, or the mean, of that pixel's block of cells. A zoomed-in view asks again for the region it shows, which
comes back cell by cell once the region fits the pixels. Shared by the window, the exports and the benchmark.
"""

from __future__ import annotations

import numpy as np

from explorer.core.display import encode

EXACT_UP_TO = 2048  # tokens: at or below this the whole map is computed and kept, whatever the screen
REDUCES = ("max", "mean")


def needs_summary(n: int, pixels: int) -> bool:
    """Whether an n × n map is drawn as block summaries on `pixels` screen pixels (0: never)."""
    return pixels > 0 and n > max(pixels, EXACT_UP_TO)


def fits(region: tuple[int, int, int, int], pixels: int) -> bool:
    """Whether a region (first_row, end_row, first_key, end_key) has no more cells per side than pixels."""
    r0, r1, c0, c1 = region
    return max(r1 - r0, c1 - c0) <= pixels


def summary_map(
    run, layer: int, head: int, seq: int, mode: str, scale: str, pixels: int, reduce: str, region=None, progress=None
):
    """(values float32 (R, C) or (H, R, C), uint8 pixels, row_edges, col_edges) of one head, the layer's mean
    ("mean") or every head ("grid"), each value the `reduce` of a block of cells; exact cells where the region
    fits the pixels. Runs on the job thread; progress(done, total) as Run.attention_summary takes it."""
    size = {"rows_out": pixels, "cols_out": pixels, "reduce": reduce, "region": region, "progress": progress}
    if mode == "grid":
        summary = run.layer_attention_summary(layer, seq, **size)
    elif mode == "mean":
        summary = run.mean_attention_summary(layer, seq, **size)
    else:
        summary = run.attention_summary(layer, head, seq, **size)
    return summary.values, encode(summary.values, summary.visible, scale), summary.row_edges, summary.col_edges


def block_of(edges: np.ndarray, index: int) -> int:
    """The block (0-based) whose cells include `index`, given its edges."""
    return int(np.searchsorted(edges, index, side="right")) - 1


def block_labels(tokens: list[str], edges: np.ndarray) -> list[str]:
    """One axis label per block: its single token, or its range of positions ("120–159")."""
    labels = []
    for start, end in zip(edges[:-1], edges[1:]):
        labels.append(tokens[start] if end - start == 1 else f"{start}–{end - 1}")
    return labels

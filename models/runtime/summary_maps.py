"""Attention maps too big to draw cell by cell, summarised at the screen's resolution, block by block.

A 32k × 32k map is 4.3 GB of float32: it never exists here. The rows and columns (of the whole map, or of a
region of it) are cut into at most rows_out × cols_out blocks of nearly equal size (edges start + i·size // out),
and each block becomes one value: the largest of its visible cells, or their mean. The probabilities come from
the captured Q and K in chunks of query rows through maps.block_probabilities, the same arithmetic, mask and
checks as every other map (masked only outside the keys all of a chunk's rows see); each chunk is folded into
its blocks while still in cache (summary_fold.py), its visible cells counted from the mask's arithmetic. Memory:
one chunk of scores (CHUNK_ELEMENTS) plus the rows_out × cols_out result, whatever N is.

When a region is no bigger than the output, every block is a single cell, and the result is the exact map of
that region: what a zoomed-in view shows.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from models.nn.plan import AttentionPlan
from models.options import short_repr
from models.runtime.maps import block_probabilities, head_views, key_range
from models.runtime.summary_fold import Chunk, count_visible, fold_values

REDUCES = ("max", "mean")  # what one block's value is: its largest visible cell, or the mean of its visible cells
CHUNK_ELEMENTS = 4 * 1024 * 1024  # scores per chunk (heads × rows × keys): 16 MB of float32


@dataclass(frozen=True)
class MapSummary:
    """One map (or a region of it) at a chosen resolution. Block (r, c) covers query rows
    row_edges[r] .. row_edges[r + 1] - 1 and keys col_edges[c] .. col_edges[c + 1] - 1."""

    values: np.ndarray  # float32 (R, C), or (H, R, C) for several heads: the block's max or mean over visible cells
    visible: np.ndarray  # bool (R, C): whether the mask lets any cell of the block through (else values are 0)
    row_edges: np.ndarray  # int64 (R + 1,)
    col_edges: np.ndarray  # int64 (C + 1,)
    reduce: str  # "max" or "mean"

    @property
    def exact(self) -> bool:
        """True when every block is one cell: the values are the map's own cells."""
        return bool((np.diff(self.row_edges) == 1).all() and (np.diff(self.col_edges) == 1).all())

    @property
    def region(self) -> tuple[int, int, int, int]:
        """(first row, end row, first key, end key) covered, ends exclusive."""
        return int(self.row_edges[0]), int(self.row_edges[-1]), int(self.col_edges[0]), int(self.col_edges[-1])


def block_edges(start: int, stop: int, out: int) -> np.ndarray:
    """int64 (B + 1,) edges of B = min(out, stop - start) blocks over start..stop-1, sizes differing by at most 1."""
    size = stop - start
    count = min(out, size)
    return start + (np.arange(count + 1, dtype=np.int64) * size) // count


def check_request(n: int, rows_out: object, cols_out: object, reduce: object, region: object) -> tuple[int, ...]:
    """(r0, r1, c0, c1) of a valid request on an n × n map; anything wrong is a ValueError naming the argument."""
    for name, value in (("rows_out", rows_out), ("cols_out", cols_out)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{name}: {short_repr(value)} is not allowed; it must be an integer >= 1 (pixels)")
    if reduce not in REDUCES:
        raise ValueError(f"reduce: {short_repr(reduce)} is not one of {', '.join(REDUCES)}")
    if region is None:
        return 0, n, 0, n
    problem = (
        f"region: {short_repr(region)} is not allowed; it must be (first_row, end_row, first_key, end_key), "
        f"integers with 0 <= first < end <= {n}"
    )
    if not isinstance(region, (tuple, list)) or len(region) != 4:
        raise ValueError(problem)
    if any(isinstance(v, bool) or not isinstance(v, numbers.Integral) for v in region):
        raise ValueError(problem)
    r0, r1, c0, c1 = (int(v) for v in region)
    if not (0 <= r0 < r1 <= n and 0 <= c0 < c1 <= n):
        raise ValueError(problem)
    return r0, r1, c0, c1


def summarise(
    q: torch.Tensor,
    k: torch.Tensor,
    plan: AttentionPlan,
    seq: int,
    heads: range,
    row_edges: np.ndarray,
    col_edges: np.ndarray,
    reduce: str,
    mean_heads: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(values float32 (h, R, C), visible bool (R, C)) of the blocks between the edges, chunk by chunk.

    q: (B, H, N, d), k: (B, G, N, d) post-RoPE, as captured; heads: query heads, summarised one by one, or
    averaged cell by cell first (mean_heads: the layer's mean map, h = 1). progress(rows_done, rows_total) is
    called after each chunk; it may raise to stop (a window's Cancel).
    """
    n = q.shape[2]
    q_sel, k_sel = head_views(q, k, plan, seq, heads)
    n_blocks_r, n_blocks_c = len(row_edges) - 1, len(col_edges) - 1
    values = np.zeros((1 if mean_heads else len(heads), n_blocks_r, n_blocks_c), dtype=np.float64)  # (h, R, C)
    counts = np.zeros((n_blocks_r, n_blocks_c), dtype=np.int64)  # visible cells per block
    r0, r1, c0, c1 = int(row_edges[0]), int(row_edges[-1]), int(col_edges[0]), int(col_edges[-1])
    step = chunk_rows(plan, n, len(heads))
    for start in range(r0, r1, step):
        end = min(start + step, r1)
        lo, hi = key_range(plan.mask, n, start, end)  # softmax is over every key a row sees, inside the region or not
        if max(lo, c0) >= min(hi, c1):
            continue  # the mask hides every cell of these rows in the region
        first_c = int(np.searchsorted(col_edges, max(lo, c0), side="right")) - 1
        end_c = int(np.searchsorted(col_edges, min(hi, c1), side="left"))
        # Whole key blocks, so that each is reduced in one piece; keys outside key_range are masked cells.
        kc0, kc1 = int(col_edges[first_c]), int(col_edges[end_c])
        keys = slice(min(lo, kc0), max(hi, kc1))
        probs, visibility = block_probabilities(q_sel, k_sel, plan, seq, heads, slice(start, end), keys)  # (h, r, K)
        probs = probs[..., kc0 - keys.start : kc1 - keys.start]
        if mean_heads:
            probs = probs.mean(dim=0, keepdim=True)
        first_r = int(np.searchsorted(row_edges, start, side="right")) - 1
        end_r = int(np.searchsorted(row_edges, end, side="left"))
        row_starts = np.maximum(row_edges[first_r:end_r], start) - start
        chunk = Chunk(row_starts, end - start, col_edges[first_c : end_c + 1])
        target = (slice(None), slice(first_r, end_r), slice(first_c, end_c))
        fold_values(values[target], probs.cpu().numpy(), chunk, reduce)
        count_visible(counts[target[1:]], visibility, chunk)
        if progress is not None:
            progress(end - r0, r1 - r0)
    if reduce == "mean":
        np.divide(values, counts, out=values, where=counts > 0)
    return values.astype(np.float32), counts > 0


def chunk_rows(plan: AttentionPlan, n: int, heads: int) -> int:
    """Query rows per chunk: heads × rows × keys within CHUNK_ELEMENTS. A windowed layer's chunk is at most W rows
    (and at least 64), so that its band of rows + W - 1 keys is under twice the cells the mask lets through.

    Measured at 8k, W = 512, against 1,808-row chunks (the budget alone): one thread 256 rows 0.18 s, 512 rows
    0.26 s, 1,024 rows 0.39 s (the old code 0.92 s); two threads on a busy machine 2.8-4.0 s, 1.17 s, 1.23-1.30 s
    (old 1.43-1.52 s), as every chunk's parallel steps wait for a core. W rows is fast either way."""
    step = max(1, CHUNK_ELEMENTS // (heads * n))
    if plan.mask.window is not None:  # a band: each chunk's keys are about rows + W, so rows·(rows + W) ≤ the budget
        w = plan.mask.window
        step = max(1, int(math.sqrt(CHUNK_ELEMENTS / heads + w * w / 4) - w / 2))
        step = min(step, max(64, w))
    return step


def layer_plan(plan: AttentionPlan, layer: int) -> AttentionPlan:
    """The plan a layer attends with (models whose layers differ, such as Gemma 3, have one per layer)."""
    for_layer = getattr(plan, "for_layer", None)
    return plan if for_layer is None else for_layer(layer)

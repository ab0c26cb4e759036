"""Folding one chunk of an attention map into its summary's blocks: each block's max or sum, and its visible cells.

A chunk is some query rows of the map against whole key blocks (summary_maps.summarise). Its probabilities are
reduced over each row block (whole rows at once, vectorised), then over each key block (a gather to equal widths),
split over the cores by row blocks; numpy releases the GIL in both. Measured against numpy's reduceat (4-7 times
slower: a call per block and row) and torch's segment_reduce and amax over rows (slower still on this CPU).
Visible cells are counted from the chunk's KeyVisibility: the keys every row sees by arithmetic, and only the
masked edges cell by cell, so a causal chunk never builds its R × K visibility.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import torch

from models.runtime.maps import KeyVisibility

SPLIT_FROM = 1 << 18  # cells: a chunk at least this big is reduced on several threads


@dataclass(frozen=True)
class Chunk:
    """Where a chunk's cells fall in the summary: its rows 0..rows-1 (relative to the chunk) start a new row block
    at each of row_starts, and its keys are the blocks between col_edges (absolute key positions)."""

    row_starts: np.ndarray  # int64 (r_b,): the first chunk row of each row block it touches; row_starts[0] == 0
    rows: int
    col_edges: np.ndarray  # int64 (c_b + 1,): absolute edges of the key blocks the chunk covers


def fold_values(values: np.ndarray, probs: np.ndarray, chunk: Chunk, reduce: str) -> None:
    """Fold probabilities (h, rows, K) of one chunk (K = its key blocks' cells) into values (h, r_b, c_b), float64:
    the running max of each block's cells, or their running sum (reduce "mean"; summarise divides by the count)."""
    bounds = np.append(chunk.row_starts, chunk.rows)  # (r_b + 1,) row block edges within the chunk
    threads = max(1, min(torch.get_num_threads(), len(chunk.row_starts), probs.size // SPLIT_FROM + 1))
    groups = np.array_split(np.arange(len(chunk.row_starts)), threads)  # row blocks per thread
    jobs = [(probs, bounds[group[0] : group[-1] + 2], chunk.col_edges, reduce) for group in groups if len(group)]
    if len(jobs) == 1:
        parts = [_reduce_blocks(*jobs[0])]
    else:
        parts = list(_pool(len(jobs)).map(lambda job: _reduce_blocks(*job), jobs))
    part = np.concatenate(parts, axis=1)  # (h, r_b, c_b)
    if reduce == "max":  # masked cells are 0 and probabilities >= 0: the max over all cells is the visible max
        np.maximum(values, part, out=values)
    else:
        values += part


def _reduce_blocks(probs: np.ndarray, row_bounds: np.ndarray, col_edges: np.ndarray, reduce: str) -> np.ndarray:
    """(h, len(row_bounds) - 1, c_b): the max (float32) or the float64 sum of each block's cells, for the row blocks
    between row_bounds (chunk rows) and the key blocks between col_edges (absolute keys).

    Rows first, one row block at a time (an elementwise reduce of whole contiguous rows), then the key blocks of the
    result at once: gathered into (s + 1, c_b) columns, s + 1 the widest block, the narrower blocks padded with a
    column of zeros (no change to a max of probabilities >= 0, nor to a sum)."""
    ufunc, dtype = (np.maximum, np.float32) if reduce == "max" else (np.add, np.float64)
    h, keys = probs.shape[0], probs.shape[2]
    row_blocks = np.empty((h, len(row_bounds) - 1, keys + 1), dtype=dtype)  # (h, r_b, K + 1): the last column 0
    row_blocks[..., keys] = 0
    for i, (first, end) in enumerate(zip(row_bounds[:-1], row_bounds[1:])):
        ufunc.reduce(probs[:, first:end], axis=1, dtype=dtype, out=row_blocks[:, i, :keys])
    widths = np.diff(col_edges)  # (c_b,)
    offsets = np.arange(widths.max())[:, None]  # (s + 1, 1)
    index = np.where(offsets < widths, col_edges[:-1] - col_edges[0] + offsets, keys)  # (s + 1, c_b)
    gathered = np.take(row_blocks, index.ravel(), axis=2).reshape(h, len(row_bounds) - 1, *index.shape)
    return ufunc.reduce(gathered, axis=2)


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="summary-fold")


def count_visible(counts: np.ndarray, visibility: KeyVisibility, chunk: Chunk) -> None:
    """Add to counts (r_b, c_b) the cells of each block that the chunk's rows see: rows × overlap for the keys every
    row sees (visibility.shared), and the masked edges' cells one by one."""
    kc0, kc1 = int(chunk.col_edges[0]), int(chunk.col_edges[-1])
    row_lengths = np.diff(np.append(chunk.row_starts, chunk.rows))  # (r_b,) chunk rows in each row block
    lo, hi = max(visibility.shared.start, kc0), min(visibility.shared.stop, kc1)
    if hi > lo:
        overlap = np.clip(np.minimum(chunk.col_edges[1:], hi) - np.maximum(chunk.col_edges[:-1], lo), 0, None)
        counts += np.outer(row_lengths, overlap)  # (r_b, c_b)
    for part, visible in visibility.edges:
        lo, hi = max(part.start, kc0), min(part.stop, kc1)
        if hi <= lo:
            continue
        cells = visible[:, lo - part.start : hi - part.start].cpu().numpy()  # bool (rows, k)
        per_row_block = np.add.reduceat(cells, chunk.row_starts, axis=0, dtype=np.int64)  # (r_b, k)
        first = int(np.searchsorted(chunk.col_edges, lo, side="right")) - 1
        end = int(np.searchsorted(chunk.col_edges, hi, side="left"))
        starts = np.maximum(chunk.col_edges[first:end], lo) - lo  # where each key block starts in the edge
        counts[:, first:end] += np.add.reduceat(per_row_block, starts, axis=1)

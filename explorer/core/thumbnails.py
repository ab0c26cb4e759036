"""Small faithful pictures of big attention maps, for the layers × heads overview."""

from __future__ import annotations

import numpy as np


def sample_rows(n: int, size: int) -> np.ndarray:
    """Up to `size` query rows spread evenly over 0..n-1 (every row when n <= size)."""
    if n <= size:
        return np.arange(n)
    return np.linspace(0, n - 1, size).round().astype(np.int64)


def bin_keys(rows: np.ndarray, size: int) -> np.ndarray:
    """(R, N) attention rows -> (R, S): the attention mass falling into each of S equal key bins.

    Summing (not sampling) keeps every row's total at 1, so a thin stripe of strong attention never vanishes.
    """
    n = rows.shape[1]
    if n <= size:
        return rows
    edges = np.linspace(0, n, size + 1).round().astype(np.int64)
    return np.add.reduceat(rows, edges[:-1], axis=1)


def bin_visible(visible: np.ndarray, size: int) -> np.ndarray:
    """bool (R, N) -> (R, S): a key bin is visible when the mask lets the row see any key in it.

    The bins are bin_keys' bins, so a thumbnail cell is grey exactly where it holds no attention by the mask."""
    n = visible.shape[1]
    if n <= size:
        return visible.astype(bool)
    edges = np.linspace(0, n, size + 1).round().astype(np.int64)
    return np.logical_or.reduceat(visible, edges[:-1], axis=1)

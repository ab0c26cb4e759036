"""One head's map as the window shows it: the float matrix plus its lookup-table pixels.

Shared by the engine worker and the benchmark, so the benchmark times exactly what a layer/head switch does.
"""

from __future__ import annotations

import numpy as np

from explorer.core.display import MASKED_CODE, encode


def head_map(run, layer: int, head: int, seq: int, scale: str) -> tuple[np.ndarray, np.ndarray]:
    """(float32 (N, N), uint8 (N, N)) block by block: cells outside a block's key range are masked and never
    computed, and each block is encoded while it is still in cache."""
    n = len(run.tokens[seq])
    matrix = np.zeros((n, n), dtype=np.float32)  # (N, N)
    pixels = np.full((n, n), MASKED_CODE, dtype=np.uint8)  # (N, N)
    for rows, keys, probs, visible in run.attention_blocks(layer, head, seq):
        matrix[rows, keys] = probs
        pixels[rows, keys] = encode(probs, visible, scale)
    return matrix, pixels

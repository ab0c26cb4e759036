"""Positions as a bias on the scores: ALiBi's per-head linear penalty and T5's relative-position buckets.

ALiBi (Press et al. 2022) adds −m_h·|i − j| to head h's scores, with slopes m_h a geometric sequence.
T5 (Raffel et al. 2020) puts each offset j − i into one of a few buckets (exact for small offsets,
logarithmic up to max_distance, one last bucket beyond), and learns one bias per bucket and head.
"""

from __future__ import annotations

import math

import numpy as np

from models.checks import check_seed
from models.lab.memory import check_values


def _whole(name: str, value, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ValueError(f"{name}: needs a whole number ≥ {low}, got {value!r}")
    return int(value)


def alibi_slopes(n_heads: int) -> np.ndarray:
    """float64 [H]: the paper's slopes. For H a power of two, m_h = 2^(−8h/H), h = 1..H (8 heads: 1/2 … 1/256).
    Otherwise the slopes of the closest power of two below, c, followed by every other slope of 2c
    (the odd-numbered ones: 2^(−4(2k+1)/c), k = 0 … H − c − 1)."""
    n_heads = _whole("n_heads", n_heads)
    closest = 2 ** int(math.floor(math.log2(n_heads)))
    slopes = [2.0 ** (-8.0 * h / closest) for h in range(1, closest + 1)]
    slopes += [2.0 ** (-4.0 * (2 * k + 1) / closest) for k in range(n_heads - closest)]
    return np.asarray(slopes)


def alibi_bias(n_heads: int, length: int) -> np.ndarray:
    """float64 [H, L, L]: bias[h, i, j] = −m_h·|i − j| for query i and key j. A causal model adds it only
    where j ≤ i (its mask hides the rest), where it is m_h·(j − i) as in the paper's figure."""
    length = _whole("length", length)
    check_values((n_heads, length, length), 2, "ALiBi's bias for every head", "heads or length")
    distance = np.abs(np.arange(length)[:, None] - np.arange(length)[None, :])  # [L, L]
    return -alibi_slopes(n_heads)[:, None, None] * distance[None]


def t5_bucket(relative_position, bidirectional: bool = True, num_buckets: int = 32, max_distance: int = 128):
    """T5's bucket of each relative position (key − query), int64 of the input's shape.

    Bidirectional: half the buckets for positive offsets (offset by num_buckets/2), half for the rest.
    In each half, offsets below max_exact = half/2 get their own bucket; larger ones share buckets spaced
    logarithmically up to max_distance; anything farther lands in the half's last bucket. Unidirectional
    (causal): positive offsets (the future) all map to bucket 0, and all buckets serve the past.
    """
    num_buckets = _whole("num_buckets", num_buckets, 2)
    max_distance = _whole("max_distance", max_distance)
    relative = np.asarray(relative_position, dtype=np.int64)
    buckets = np.zeros_like(relative)
    if bidirectional:
        if num_buckets < 4:
            raise ValueError(f"num_buckets: a bidirectional table needs ≥ 4, got {num_buckets}")
        num_buckets //= 2
        buckets = buckets + (relative > 0).astype(np.int64) * num_buckets
        distance = np.abs(relative)
    else:
        distance = -np.minimum(relative, 0)
    max_exact = num_buckets // 2
    if max_distance <= max_exact:
        raise ValueError(f"max_distance: must exceed the exact range {max_exact}, got {max_distance}")
    is_small = distance < max_exact
    # Offsets in the exact range get a placeholder distance of max_exact (np.where discards their value).
    far = np.maximum(distance, max_exact).astype(np.float64)
    scaled = np.log(far / max_exact) / math.log(max_distance / max_exact)
    large = max_exact + (scaled * (num_buckets - max_exact)).astype(np.int64, copy=False)
    large = np.minimum(np.where(is_small, 0, large), num_buckets - 1)
    return buckets + np.where(is_small, distance, large)


def t5_bias_pattern(
    length: int, num_buckets: int = 32, max_distance: int = 128, bidirectional: bool = True, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(buckets int64 [L, L], bias float64 [L, L]) for queries i (rows) and keys j (columns).

    buckets[i, j] = t5_bucket(j − i). The bias is a stand-in for one head's learned table: one seeded
    N(0, 1) value per bucket, bias = table[buckets], so every offset in a bucket shares its value (a trained
    T5 learns the table; the pattern of shared cells is what this shows)."""
    length = _whole("length", length)
    check_values((length, length), 8, "T5's buckets and bias", "length")
    offsets = np.arange(length)[None, :] - np.arange(length)[:, None]  # [L, L]: key − query
    buckets = t5_bucket(offsets, bidirectional, num_buckets, max_distance)
    table = np.random.default_rng(check_seed("seed", seed)).standard_normal(num_buckets)
    return buckets, table[buckets]

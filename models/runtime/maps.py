"""Attention maps on demand: softmax(QKᵀ·scale + bias) recomputed from a run's captured Q and K.

Maps are computed in blocks of query rows, and each block only over the keys its mask can let through
(a causal row never needs later keys; a windowed row only nearby ones). That halves the work for causal
models and keeps memory per block small; the cells skipped are exactly the masked ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from models.errors import NumericalError
from models.nn import masks
from models.nn.masks import key_span as key_range  # the keys a block of rows may see: the forward pass's own rule
from models.nn.plan import AttentionPlan
from models.options import ResolvedOptions, short_repr

BLOCK_ELEMENTS = 1024 * 1024  # scores per block (heads × rows × keys): 4 MB of float32, mostly in cache
ROW_SUM_TOLERANCE = 1e-3  # a row of probabilities that sums further from 1 than this is a bug, never shown


def head_views(q: torch.Tensor, k: torch.Tensor, plan: AttentionPlan, seq: int, heads: range):
    """Queries (h, N, d) and the keys each of those heads reads (h, N, d), as views where possible."""
    group = plan.head_group_size()
    q_sel = q[seq, heads.start : heads.stop]
    if group == 1:
        return q_sel, k[seq, heads.start : heads.stop]
    return q_sel, k[seq, [h // group for h in heads]]


@dataclass(frozen=True)
class KeyVisibility:
    """Which keys each query row of a block may see: every row sees all of `shared`; elsewhere `edges` say, cell by
    cell. A causal block's rows all see the keys up to its first row, so only its last few columns need a mask;
    a summary counts the shared cells arithmetically (summary_maps), and dense() builds the whole (R, K) matrix."""

    rows: int  # R
    keys: slice  # the block's keys, absolute positions
    shared: slice  # inside keys, absolute: seen by every row, with no bias (empty when start == stop)
    edges: tuple[tuple[slice, torch.Tensor], ...]  # (absolute keys, visible bool (R, k)): the rest of keys
    device: torch.device

    def dense(self) -> torch.Tensor:
        """bool (R, K), True where the query may attend to the key."""
        visible = torch.zeros(self.rows, self.keys.stop - self.keys.start, dtype=torch.bool, device=self.device)
        visible[:, self.shared.start - self.keys.start : self.shared.stop - self.keys.start] = True
        for part, part_visible in self.edges:
            visible[:, part.start - self.keys.start : part.stop - self.keys.start] = part_visible
        return visible

    def has_key(self) -> torch.Tensor:
        """bool (R,): whether each row sees any key at all."""
        if self.shared.stop > self.shared.start:
            return torch.ones(self.rows, dtype=torch.bool, device=self.device)
        seen = torch.zeros(self.rows, dtype=torch.bool, device=self.device)
        for _, part_visible in self.edges:
            seen |= part_visible.any(dim=-1)
        return seen


def block_probabilities(
    q_sel: torch.Tensor,
    k_sel: torch.Tensor,
    plan: AttentionPlan,
    seq: int,
    heads: range,
    rows: slice | torch.Tensor,
    keys: slice,
) -> tuple[torch.Tensor, KeyVisibility]:
    """Probabilities (h, R, K) and which keys each row sees (KeyVisibility) for some query rows against keys[keys].

    q_sel, k_sel: (h, N, d) from head_views. Same order of operations as the reference eager attention:
    matmul, then scale, then bias (masks.score_bias, as in the forward pass), then softmax in float32. The bias is
    added only outside masks.unbiased_keys, the keys where it is 0 for every row: adding 0 would change no score.
    Masked cells are 0; a row that sees no key is 0. Anything not finite, or a row that does not sum to 1, raises
    NumericalError (check_rows): a wrong map is never returned.
    """
    queries, keys_t = q_sel[:, rows].float(), k_sel[:, keys].float().transpose(-1, -2)  # (h, R, d), (h, d, K)
    if math.frexp(plan.scale)[0] == 0.5:
        # A power of two (head size 64 or 256, temperature 1): scaling by it is exact, so (q·scale)kᵀ is qkᵀ·scale
        # to the bit (short of subnormal numbers), and the R × K scores take one pass fewer.
        scores = torch.matmul(queries * plan.scale, keys_t)  # (h, R, K)
    else:
        scores = torch.matmul(queries, keys_t)  # (h, R, K)
        scores.mul_(plan.scale)
    shared = masks.unbiased_keys(plan, seq, rows, keys)
    edges = []
    for part in (slice(keys.start, shared.start), slice(shared.stop, keys.stop)):
        if part.stop > part.start:
            bias, visible = masks.score_bias(plan, seq, rows, part, heads)  # (h|1, R, k) -inf where hidden, (R, k)
            scores[..., part.start - keys.start : part.stop - keys.start].add_(bias)
            edges.append((part, visible))
    probs = torch.softmax(scores, dim=-1)
    visibility = KeyVisibility(scores.shape[1], keys, shared, tuple(edges), scores.device)
    # A row that sees no key comes out of softmax as NaN; it holds no attention at all. Which rows those are
    # is the mask's to say, not the NaNs': an overflowed score makes NaN too, and that must not pass as "empty".
    has_key = visibility.has_key()  # (R,)
    if not bool(has_key.all()):
        probs.masked_fill_(~has_key[None, :, None], 0.0)
    check_rows(probs, has_key)
    return probs, visibility


def check_rows(probs: torch.Tensor, has_key: torch.Tensor) -> None:
    """Raise NumericalError unless each row of probs (..., R, K) sums to 1 where has_key (R,), else to 0.

    One reduction per block: a NaN or an inf anywhere in a row makes its sum miss, so this also checks that
    every value is finite. float32 softmax rows sum to 1 within ~1e-6 over any realistic number of keys.
    """
    if probs.numel() == 0:
        return
    error = float((probs.sum(dim=-1) - has_key.to(probs.dtype)).abs().max())
    if not error <= ROW_SUM_TOLERANCE:  # written so that NaN fails too
        raise NumericalError(
            f"probabilities are not finite or their rows do not sum to 1 (off by {error:.3g}): "
            "the scores overflowed float32"
        )


def blocks(
    q: torch.Tensor, k: torch.Tensor, plan: AttentionPlan, seq: int, heads: range
) -> Iterator[tuple[slice, slice, torch.Tensor, torch.Tensor]]:
    """(rows, keys, probabilities (h, R, K), visibility (R, K)) over the whole map, block by block.

    q: (B, H, N, d), k: (B, G, N, d); heads: a range of query heads.
    """
    n = q.shape[2]
    q_sel, k_sel = head_views(q, k, plan, seq, heads)
    step = max(1, min(n, BLOCK_ELEMENTS // max(1, len(heads) * n)))
    for start in range(0, n, step):
        end = min(start + step, n)
        lo, hi = key_range(plan.mask, n, start, end)
        rows, keys = slice(start, end), slice(lo, hi)
        probs, visibility = block_probabilities(q_sel, k_sel, plan, seq, heads, rows, keys)
        yield rows, keys, probs, visibility.dense()


def full_map(
    q: torch.Tensor, k: torch.Tensor, plan: AttentionPlan, seq: int, heads: range
) -> tuple[torch.Tensor, torch.Tensor]:
    """Probabilities (h, N, N) and visibility (N, N), assembled from blocks (skipped cells are masked)."""
    n = q.shape[2]
    probs = torch.zeros(len(heads), n, n, device=q.device)
    visible = torch.zeros(n, n, dtype=torch.bool, device=q.device)
    for rows, keys, block, block_visible in blocks(q, k, plan, seq, heads):
        probs[:, rows, keys] = block
        visible[rows, keys] = block_visible
    return probs, visible


def query_rows(rows: object, n: int) -> np.ndarray:
    """int64 (R,) query indices from a list, tuple or integer array, each in 0..n-1; anything else: ValueError."""
    problem = f"rows: {short_repr(rows)} is not allowed; it must be a list of integer query indices within 0..{n - 1}"
    if rows is None or isinstance(rows, (str, bytes, bytearray)):
        raise ValueError(problem)
    try:
        array = np.asarray(rows)
    except (ValueError, TypeError, OverflowError):  # ragged, or something numpy cannot hold
        raise ValueError(problem) from None
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):  # floats are refused, not truncated
        raise ValueError(problem)
    if array.size and (int(array.min()) < 0 or int(array.max()) >= n):
        raise ValueError(problem)
    return array.astype(np.int64)


def overflow_cause(options: ResolvedOptions) -> str:
    """What most likely overflowed float32, and what to change."""
    if not 1e-3 <= options.temperature <= 1e3:
        return (
            f"temperature={options.temperature:g} multiplies every score by {1 / options.temperature:.3g}, "
            "to the edge of float32's range; use a temperature nearer 1"
        )
    if options.positional == "rope" and options.rope_theta < 1.0:
        return f"rope-theta={options.rope_theta:g} makes RoPE's angles huge; use the model's own θ or one >= 1"
    return "the model's weights or activations overflow float32 on this text; is the checkpoint damaged?"

"""Which keys each query may see, and the additive score bias that enforces it: built on demand, in one place.

Masks are never stored per run: a run keeps its AttentionPlan (the mask spec, the padding flags, the ALiBi
slopes), and the bias is rebuilt for whatever block of rows is needed. That keeps a run's memory linear in N.
The forward pass (attention.attend) and the displayed maps (maps.block_probabilities) both call score_bias
here, so the map a user sees was masked and biased exactly as the forward pass was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from models.nn.positional import alibi_bias
from models.options import MaskSpec

if TYPE_CHECKING:
    from models.nn.plan import AttentionPlan


def visibility(
    spec: MaskSpec,
    n: int,
    key_is_real: torch.Tensor | None = None,
    rows: slice | torch.Tensor | None = None,
    device=None,
    keys: slice | None = None,
) -> torch.Tensor:
    """Boolean (R, K) matrix, True where the query may attend to the key.

    rows: the query rows to build, as a slice or an index tensor (all N by default), so long inputs can be
    handled in blocks and thumbnails can sample a few rows. keys: the key columns to build (all N by default).
    key_is_real: (N,) bool, False at pad positions; given only when the padding mask is on.
    """
    if isinstance(rows, torch.Tensor):
        i = rows.to(device)[:, None]  # (R, 1) query index
    else:
        rows = rows or slice(0, n)
        i = torch.arange(rows.start, rows.stop, device=device)[:, None]  # (R, 1) query index
    keys = keys or slice(0, n)
    j = torch.arange(keys.start, keys.stop, device=device)[None, :]  # (1, K) key index
    if spec.prefix is not None:
        # Prefix-LM: the first P tokens see each other; every later token sees everything before it.
        visible = (j <= i) | ((i < spec.prefix) & (j < spec.prefix))
    elif spec.base == "causal":
        visible = j <= i
    else:
        visible = torch.ones(i.shape[0], j.shape[1], dtype=torch.bool, device=device)
    if spec.window is not None:
        # With the causal part already applied this is 0 <= i-j < W; without it, |i-j| < W.
        visible = visible & ((i - j).abs() < spec.window)
    if spec.no_self:
        visible = visible & (i != j)
    if key_is_real is not None:
        visible = visible & key_is_real[None, keys]
    return visible


def key_span(spec: MaskSpec, n: int, first_row: int, end_row: int) -> tuple[int, int]:
    """Keys [lo, hi) that query rows [first_row, end_row) may see at most; every key outside is masked.

    A causal row sees no later key (a prefix-LM's prefix sees the whole prefix), and a windowed row only the W - 1
    keys before it (and after it, when not causal). Padding and no-self only hide keys inside the span."""
    lo, hi = 0, n
    if spec.causal:
        hi = min(n, max(end_row, spec.prefix or 0))
    if spec.window is not None:
        lo = max(0, first_row - spec.window + 1)
        if not spec.causal:
            hi = min(hi, end_row - 1 + spec.window)
    return lo, max(hi, lo)


def shared_span(spec: MaskSpec, n: int, first_row: int, end_row: int) -> tuple[int, int]:
    """Keys [lo, hi) that every query row of [first_row, end_row) sees (padding aside); lo == hi when there are none.

    The other side of key_span: a causal row sees every key up to itself (a prefix-LM's prefix rows, the whole
    prefix), a windowed row the W - 1 keys before it (and after it, when not causal). No-self hides each row's own key,
    so of the keys left below and above the rows the larger side is kept. The mask hides nothing inside this span,
    which is what lets a block of rows be masked only outside it (unbiased_keys)."""
    lo, hi = 0, n
    if spec.causal:
        hi = first_row + 1 if spec.prefix is None else max(first_row + 1, spec.prefix)
    if spec.window is not None:
        lo = max(lo, end_row - spec.window)  # the last row sees keys > end_row - 1 - W
        hi = min(hi, first_row + spec.window)  # the first row sees keys < first_row + W
    if spec.no_self:
        below, above = (lo, min(hi, first_row)), (max(lo, end_row), hi)
        lo, hi = max(below, above, key=lambda span: span[1] - span[0])
    hi = min(hi, n)
    return lo, max(lo, hi)


def unbiased_keys(plan: AttentionPlan, seq: int, rows: slice | torch.Tensor, keys: slice) -> slice:
    """The part of `keys` where score_bias is 0 for every row of `rows`: every row sees those keys and there is no
    ALiBi. A contiguous slice of absolute key positions, empty (start == stop) where there is none.

    Outside it a block still needs score_bias; inside, adding its zeros would change no score, so callers skip it."""
    nothing = slice(keys.start, keys.start)
    if not isinstance(rows, slice) or rows.start is None or rows.stop is None or plan.alibi_slopes is not None:
        return nothing
    lo, hi = shared_span(plan.mask, plan.positions.shape[1], rows.start, rows.stop)
    lo, hi = max(lo, keys.start), min(hi, keys.stop)
    if hi <= lo:
        return nothing
    if plan.key_is_real is not None and not bool(plan.key_is_real[seq, lo:hi].all()):
        # Left padding, as decoders pad a batch: past the pads the keys may all be real (argmax: the first real one).
        lo += int(plan.key_is_real[seq, lo:hi].to(torch.uint8).argmax())
        if not bool(plan.key_is_real[seq, lo:hi].all()):
            return nothing  # a pad among them: the mask hides it, so the bias is needed there
    return slice(lo, hi)


def score_bias(
    plan: AttentionPlan,
    seq: int,
    rows: slice | torch.Tensor,
    keys: slice,
    heads: range | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The additive score bias (h|1, R, K), float32, and the visibility (R, K) of one sequence's block.

    rows: absolute query positions, a slice or an index tensor; keys: a slice of absolute key positions.
    heads: the query heads the bias is for (all by default). Only ALiBi differs between heads; without it the
    bias has one head that broadcasts. Hidden cells hold -inf, so softmax gives them exactly 0; a row with no
    visible key is all -inf, and what that means (no attention at all) is the caller's to handle.
    """
    device = plan.positions.device
    n = plan.positions.shape[1]
    real = None if plan.key_is_real is None else plan.key_is_real[seq]
    visible = visibility(plan.mask, n, real, rows, device, keys)  # (R, K)
    if plan.alibi_slopes is None:
        bias = torch.zeros(visible.shape, device=device)[None]  # (1, R, K)
    else:
        slopes = plan.alibi_slopes if heads is None else plan.alibi_slopes[heads.start : heads.stop : heads.step]
        positions = plan.positions[seq]  # (N,)
        bias = alibi_bias(slopes, positions[rows], positions[keys])  # (h, R, K)
    return bias.masked_fill_(~visible, float("-inf")), visible

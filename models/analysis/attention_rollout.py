"""Attention rollout (Abnar & Zuidema 2020): how much each input token reaches each position of the last layer.

Per layer l, with A_l the run's exact maps of one sequence (H, N, N) and r the residual share,

    Â_l = (1 − r)·reduce_h(A_l) + r·I,  each row divided by its sum          (reduce_h: mean, max or min)
    R   = Â_L · … · Â_1                                                       R[i, j]: input j's share in row i

The residual term stands for the skip connection around attention. With "mean" the rows of Â already sum to 1;
"max" and "min" are not distributions, hence the renormalisation. Every Â_l is row-stochastic, so each row of R
sums to 1 too, and that is checked before R is returned.

Masked rows stay masked: a row of R is NaN where the query is padding or sees no key at all (the grey rows of
the maps). Inside the product a query that sees no key carries its own residual stream only (its row of Â is the
identity row); a pad that sees keys (padding_mask=False) reads them like any token. Cells no path reaches are 0.

Cost: the maps are recomputed block by block from the captured Q and K (as for the head scores), every head of
a layer at once, then reduced. Under a causal mask every Â_l is lower triangular, so the products skip the upper
triangle (a sixth of the work of full products).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import numpy as np
import torch

from models.analysis.arguments import check_run, check_share
from models.errors import NumericalError
from models.options import HEAD_REDUCTIONS, short_repr

log = logging.getLogger(__name__)

__all__ = ["HEAD_REDUCTIONS", "augmented_layers", "masked_rows", "reachable", "rollout"]

ROW_SUM_TOLERANCE = 1e-3  # rows of R are products of stochastic rows: float32 keeps them within ~1e-5 of 1
PRODUCT_BLOCK = 256  # the products' block size: big enough for an efficient GEMM, small enough to skip zeros

Progress = Callable[[int, int], None]  # (steps done, steps in all); may raise Cancelled


def check_residual(residual: object) -> float:
    """residual as a float in [0, 1], or a ValueError naming it."""
    return check_share("residual", residual)


def check_head_reduce(head_reduce: object) -> str:
    if not isinstance(head_reduce, str) or head_reduce not in HEAD_REDUCTIONS:
        raise ValueError(
            f"head_reduce: {short_repr(head_reduce)} is not allowed; allowed: {', '.join(HEAD_REDUCTIONS)}"
        )
    return head_reduce


def check_seq(run, seq: object) -> int:
    """seq as an int of the run (and the run not superseded), or a ValueError naming it: the run's own check."""
    return check_run("run", run).sequence_index(seq)


def masked_rows(run, seq: int) -> np.ndarray:
    """bool (N,): the queries whose rows are masked: padding, or a query that sees no key."""
    return ~np.asarray(run.is_real[seq], dtype=bool) | ~run.visible(seq).any(axis=1)


def reachable(run, seq: int = 0) -> np.ndarray:
    """bool [N, N]: the cells of rollout(run, seq) that some path through the layers' masks reaches.

    What a viewer draws as cells (the rest is grey, like a map's masked cells): False on masked rows, and where
    no chain of visible keys (or residual steps) leads from the query back to the input within L layers.
    """
    seq = check_seq(run, seq)
    masked = masked_rows(run, seq)
    # Every row that sees a key reads it, pads included (padding_mask=False: pads read pads, which real rows
    # read); a row that sees none carries its own stream only.
    steps = torch.as_tensor(run.visible(seq))  # (N, N) one layer: attention ...
    steps |= torch.eye(len(masked), dtype=torch.bool)  # ... or the residual stream
    step_weights = steps.float()
    reach = steps.clone()
    for _ in range(run.n_layers - 1):  # a fixed point is reached early: at once for causal and full masks
        wider = (step_weights @ reach.float()) > 0
        if torch.equal(wider, reach):
            break
        reach = wider
    reach[torch.as_tensor(masked)] = False
    return reach.numpy()


def _reduce_heads(probs: torch.Tensor, head_reduce: str) -> torch.Tensor:
    """(H, R, K) -> (R, K)."""
    if head_reduce == "mean":
        return probs.mean(dim=0)
    return probs.amax(dim=0) if head_reduce == "max" else probs.amin(dim=0)


def augmented_layers(run, seq: int = 0, residual: float = 0.5, head_reduce: str = "mean") -> Iterator[torch.Tensor]:
    """Yield Â_1 … Â_L, each float32 (N, N) on the run's device: reduced over heads, residual added, rows summing to 1.

    A query that sees no key gets the identity row (its own residual stream), whatever the residual share.
    """
    seq, residual = check_seq(run, seq), check_residual(residual)
    head_reduce = check_head_reduce(head_reduce)
    n = len(run.ids[seq])
    device = torch.device(run.device)
    diagonal = torch.arange(n, device=device)  # (N,)
    with torch.inference_mode():
        for layer in range(run.n_layers):
            reduced = torch.zeros(n, n, device=device)  # (N, N) cells outside every block are masked: 0
            sees = torch.zeros(n, dtype=torch.bool, device=device)  # (N,) rows that see at least one key
            for rows, keys, probs, visible in run.layer_blocks(layer, seq):
                reduced[rows, keys] = _reduce_heads(probs, head_reduce)  # probs (H, R, K)
                sees[rows] = visible.any(dim=-1)
            augmented = reduced.mul_(1.0 - residual)
            augmented[diagonal, diagonal] += residual
            augmented[~sees] = 0.0
            augmented[diagonal[~sees], diagonal[~sees]] = 1.0
            # Rows of a query that sees a key sum to (1 − r)·Σ reduce_h(A) + r > 0, except max/min with r = 0
            # and a row whose reduced values are all 0 (min over heads that attend elsewhere): left 0, see below.
            sums = augmented.sum(dim=-1, keepdim=True)  # (N, 1)
            augmented.div_(torch.where(sums > 0, sums, torch.ones_like(sums)))
            yield augmented


def _product_step(augmented: torch.Tensor, product: torch.Tensor | None, lower: bool) -> torch.Tensor:
    """augmented @ product (both (N, N)); with lower-triangular factors, only the blocks that can be nonzero."""
    if product is None:
        return augmented.clone()
    n = augmented.shape[0]
    if not lower:
        return augmented @ product
    result = torch.zeros_like(product)
    for start in range(0, n, PRODUCT_BLOCK):
        end = min(start + PRODUCT_BLOCK, n)
        for column in range(0, end, PRODUCT_BLOCK):
            column_end = min(column + PRODUCT_BLOCK, n)
            # Cell (i, j) sums augmented[i, k]·product[k, j] over k ≤ i (augmented) and k ≥ j (product) only:
            # a sixth of a full product's work, in GEMMs big enough to run at full speed.
            torch.matmul(
                augmented[start:end, column:end],
                product[column:end, column:column_end],
                out=result[start:end, column:column_end],
            )
    return result


def rollout(
    run, seq: int = 0, residual: float = 0.5, head_reduce: str = "mean", progress: Progress | None = None
) -> np.ndarray:
    """float32 [N, N]: R = Â_L · … · Â_1 of one sequence of a run (models.Run); NaN rows where masked.

    R[i, j] is the share of input token j in position i's representation after the last layer, following
    attention and the residual stream. residual: the share r of the skip connection in each Â, from 0 to 1.
    head_reduce: "mean", "max" or "min" over the heads of a layer. progress(layers done, layers) may raise
    Cancelled to stop.
    """
    seq = check_seq(run, seq)
    visible = run.visible(seq)  # (N, N) the same mask in every layer
    lower = not np.triu(visible, 1).any()  # causal: every Â_l is lower triangular, and so is every product
    product = None
    with torch.inference_mode():
        for layer, augmented in enumerate(augmented_layers(run, seq, residual, head_reduce)):
            product = _product_step(augmented, product, lower)  # (N, N) Â_l … Â_1
            if progress is not None:
                progress(layer + 1, run.n_layers)
        result = product.cpu().numpy()
    masked = masked_rows(run, seq)
    check_rows(result[~masked])
    result[masked] = np.nan
    log.debug("rollout: %d layers over %d tokens (%s, residual %g)", run.n_layers, len(masked), head_reduce, residual)
    return result


def check_rows(rows: np.ndarray) -> None:
    """Raise NumericalError unless every row (R, N) is finite and sums to 1: a wrong rollout is never shown."""
    if rows.size == 0:
        return
    error = float(np.abs(rows.sum(axis=-1, dtype=np.float64) - 1.0).max())
    if not error <= ROW_SUM_TOLERANCE:  # written so that NaN fails too
        raise NumericalError(
            f"rollout: its rows are not finite or do not sum to 1 (off by {error:.3g}); with head_reduce "
            "'min' and residual 0 a row can lose all its weight: use a residual above 0"
        )

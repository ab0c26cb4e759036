"""Map weightings: attention as it is, or norm-weighted (Kobayashi et al. 2020) by what each key's value adds.

A head's output at query i is Σ_j A[i, j]·v_j W_O^h: key j reaches the residual stream as the vector
A[i, j]·(v_j W_O^h). Kobayashi et al. ("Attention is Not Only a Weight", EMNLP 2020) show that its length,
A[i, j]·‖v_j W_O^h‖, tells more than A[i, j] alone: a key with a large weight but a short transformed value
(a [SEP], a sink token) adds little. v is the head's value vector as the forward pass used it (after KV
regrouping: head h reads KV group h // (H / G)), and W_O^h the d columns of the attention output projection
that head h's output multiplies. The bias of the projection is left out: it does not depend on j.

Norm-weighted rows do not sum to 1. `renormalize=True` divides each row by its sum, for display on a 0-to-1
colour scale; masked cells stay 0, and a row that sees no key stays all 0. A knocked-out head (RunOptions.ablate)
is weighted by what it would add, as its attention map is shown unchanged.
"""

from __future__ import annotations

import numpy as np
import torch

from models.errors import NumericalError
from models.options import WEIGHTINGS, short_repr
from models.runtime.maps import overflow_cause


def check_weighting(weighting: object) -> str:
    if not isinstance(weighting, str) or weighting not in WEIGHTINGS:
        raise ValueError(f"weighting: {short_repr(weighting)} is not one of {', '.join(WEIGHTINGS)}")
    return weighting


def check_renormalize(renormalize: object) -> bool:
    if not isinstance(renormalize, bool):
        raise ValueError(f"renormalize: {short_repr(renormalize)} must be True or False")
    return renormalize


def value_norms_of(run, layer: int, seq: int = 0, heads=None) -> np.ndarray:
    """float32 [H, N]: ‖v_j^h W_O^h‖ for every head h and key position j of one sequence; with heads (indices
    the caller has checked), [len(heads), N] for those alone (one head's map needs one projection, not H)."""
    values = run.values(layer, seq)  # (G, N, d); checks layer and seq
    if run.owner is None:
        raise ValueError("weighting: this run has no model to read the output projection from")
    projection = run.owner.module.blocks[int(layer)].attn.o.weight  # (D, H·d): head h's output is columns h·d..
    n_heads, groups, d_head = run.n_heads, values.shape[0], values.shape[-1]
    heads = range(n_heads) if heads is None else [int(head) for head in heads]
    with torch.inference_mode():
        norms = torch.empty(len(heads), values.shape[1], dtype=torch.float32, device=values.device)  # (H', N)
        for row, head in enumerate(heads):
            w_o = projection[:, head * d_head : (head + 1) * d_head].float()  # (D, d)
            written = values[head // (n_heads // groups)].float() @ w_o.T  # (N, D): what each key's value adds
            norms[row] = torch.linalg.vector_norm(written, dim=-1)
        result = norms.cpu().numpy()
    if not np.isfinite(result).all():
        raise NumericalError(
            f"norm weighting: layer {layer}: the value vectors' norms are not finite; {overflow_cause(run.options)}"
        )
    return result


def weigh(maps: np.ndarray, norms: np.ndarray, visible: np.ndarray, renormalize: bool) -> np.ndarray:
    """maps (..., R, N) times norms (..., N) per key column; rows divided by their sums if renormalize.

    visible: bool (R, N), the mask of those rows. Masked cells come out 0 (the map is 0 there). A row that sees
    a key but whose weighted sum is not positive and finite cannot be renormalised: NumericalError, never shown.
    """
    weighted = (maps * norms[..., None, :]).astype(np.float32, copy=False)  # (..., R, N)
    if not np.isfinite(weighted).all():
        raise NumericalError("norm weighting: the weighted map is not finite")
    if not renormalize:
        return weighted
    sums = weighted.sum(axis=-1, keepdims=True, dtype=np.float64)  # (..., R, 1)
    has_key = np.broadcast_to(visible.any(axis=-1, keepdims=True), sums.shape)
    if not (sums[has_key] > 0).all() or not np.isfinite(sums).all():
        raise NumericalError("norm weighting: a row's weighted sum is 0, so it cannot be renormalised to sum to 1")
    return np.divide(weighted, sums, out=np.zeros_like(weighted), where=has_key).astype(np.float32, copy=False)


def weighted_attention_and_visibility(
    run, layer: int, head: int, seq: int = 0, weighting: str = "attention", renormalize: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """One head's map under the weighting (float32 [N, N]) and the mask's visibility (bool [N, N])."""
    weighting, renormalize = check_weighting(weighting), check_renormalize(renormalize)
    probs, visible = run.attention_and_visibility(layer, head, seq)
    if weighting == "attention":  # rows already sum to 1: returned untouched, renormalize or not
        return probs, visible
    return weigh(probs, value_norms_of(run, layer, seq, heads=[head])[0], visible, renormalize), visible


def weighted_attention(
    run, layer: int, head: int, seq: int = 0, weighting: str = "attention", renormalize: bool = False
) -> np.ndarray:
    """float32 [N_query, N_key]: run.attention(layer, head, seq) for "attention", A[i, j]·‖v_j W_O^h‖ for "norm"."""
    return weighted_attention_and_visibility(run, layer, head, seq, weighting, renormalize)[0]


def weighted_layer_attention(
    run, layer: int, seq: int = 0, weighting: str = "attention", renormalize: bool = False
) -> np.ndarray:
    """float32 [H, N, N]: every head of one layer under the weighting."""
    weighting, renormalize = check_weighting(weighting), check_renormalize(renormalize)
    maps = run.layer_attention(layer, seq)  # (H, N, N)
    if weighting == "attention":
        return maps
    return weigh(maps, value_norms_of(run, layer, seq), run.visible(seq, layer), renormalize)


def weighted_all_attention(run, seq: int = 0, weighting: str = "attention", renormalize: bool = False) -> np.ndarray:
    """float32 [L, H, N, N]: every map of the run under the weighting. Costs L·H·N² floats."""
    layers = range(run.n_layers)
    return np.stack([weighted_layer_attention(run, layer, seq, weighting, renormalize) for layer in layers])


def weighted_layer_rows(
    run, layer: int, rows, seq: int = 0, weighting: str = "attention", renormalize: bool = False
) -> np.ndarray:
    """float32 [H, R, N_key]: a few query rows of every head of a layer under the weighting (the overview)."""
    weighting, renormalize = check_weighting(weighting), check_renormalize(renormalize)
    probs = np.stack([run.attention_rows(layer, head, rows, seq) for head in range(run.n_heads)])  # (H, R, N)
    if weighting == "attention":
        return probs
    visible = run.visible(seq, layer)[np.asarray(rows)]  # (R, N); attention_rows has checked the rows
    return weigh(probs, value_norms_of(run, layer, seq), visible, renormalize)

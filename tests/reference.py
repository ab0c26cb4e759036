"""Helpers for comparing our maps with transformers' eager attentions."""

import numpy as np
import torch


@torch.no_grad()
def hf_attentions(hf_model, ids, attention_mask=None, position_ids=None) -> np.ndarray:
    """[L, B, H, N, N] from transformers with output_attentions=True (eager attention)."""
    kwargs = {"output_attentions": True}
    if attention_mask is not None:
        kwargs["attention_mask"] = torch.tensor(attention_mask)
    if position_ids is not None:
        kwargs["position_ids"] = torch.tensor(position_ids)
    out = hf_model(torch.tensor(ids), **kwargs)
    assert out.attentions is not None and len(out.attentions) > 0, "transformers returned no attentions"
    return np.stack([a.numpy() for a in out.attentions])


def worst_difference(run, reference: np.ndarray, seq: int = 0, rows=None) -> float:
    """max |Δ| over every layer and head of one sequence (optionally only some query rows)."""
    worst = 0.0
    for layer in range(run.n_layers):
        ours = run.layer_attention(layer, seq)  # (H, N, N)
        theirs = reference[layer, seq]
        if rows is not None:
            ours, theirs = ours[:, rows], theirs[:, rows]
        assert ours.shape == theirs.shape
        worst = max(worst, float(np.abs(ours - theirs).max()))
    return worst

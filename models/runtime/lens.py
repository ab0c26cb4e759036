"""The logit lens: the next tokens each layer's residual stream predicts, read through the final norm and LM head.

A causal run keeps, for each sequence's last real token, the residual stream after every block: (L, D) per
sequence, so memory stays linear in the text (Model._forward's Tap). Reading it costs one (L, D)·(D, V) product.
The last layer's reading is the run's own logits, read by the same top_k as Run.next_tokens, so the two agree
exactly.
"""

from __future__ import annotations

import numbers

import torch

from models.errors import NumericalError

__all__ = ["check_k", "check_position", "layer_logits", "top_k"]


def check_k(where: str, k: object) -> int:
    """k of a top-k: an integer >= 1 (an int or a numpy integer, never a bool)."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
        raise ValueError(f"{where}: k={k!r} must be an integer >= 1")
    return int(k)


def check_position(position: object, last: int) -> None:
    """Refuse a position whose residual stream the run did not keep: only the last real token's (-1 or last)."""
    if isinstance(position, bool) or not isinstance(position, numbers.Integral) or position not in (-1, last):
        raise ValueError(
            f"position: {position!r:.40} is not kept; a run keeps the residual stream of the last real token only "
            f"(position -1 or {last}); to read an earlier one, run the text up to it"
        )


def top_k(logits: torch.Tensor, k: int, problem: str) -> tuple[list[int], list[float]]:
    """The k most probable ids of softmax(logits (V,)) and their probabilities, most probable first.

    The one reading of logits that next_tokens and the lens share. problem: what to say if they are not finite.
    """
    logits = logits.float()
    if not bool(torch.isfinite(logits).all()):  # softmax would turn them into NaN probabilities
        raise NumericalError(problem)
    top = torch.topk(torch.softmax(logits, dim=-1), min(k, logits.shape[-1]))
    return [int(i) for i in top.indices], [float(p) for p in top.values]


@torch.inference_mode()
def layer_logits(module: torch.nn.Module, residuals: torch.Tensor, own_logits: torch.Tensor) -> torch.Tensor:
    """(L, V) logits read from residuals (L, D), the residual stream after each block at one position.

    Layers before the last go through the final norm and the LM head here. The last layer's stream is exactly
    what the head read in the forward pass, so its row is the run's own logits (V,): recomputing them from a
    (1, D) row instead of the forward pass's batch could differ in the last bit.
    """
    weight = module.embed.tokens.weight
    earlier = residuals[:-1].to(weight.device)  # (L-1, D)
    if module.final_norm is not None:
        earlier = module.final_norm(earlier)
    return torch.cat([module.logits(earlier), own_logits.to(weight.device)[None]]).cpu()  # (L, V)

"""The patched runs behind patching.sweep and patching.patch: one batch per layer, restarted at that layer.

A patch in layer l changes nothing before l, so each batch starts at layer l (Model.forward's start_at_layer)
from the target run's residual stream entering it, which prepare() cached. Row b of a batch carries one patch:
a boolean mask over the patched activation's cells says which cells take the source run's values. The residual
stream is patched in the input itself; every other activation through a hook at its point in layer l.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

__all__ = ["last_logits", "patched_metric", "patched_metrics"]

BATCH_TOKENS = 16384  # patched runs together, up to this many tokens in one batch, so memory stays bounded

Row = tuple[list[int], list[int]]  # (positions, heads) one patch changes


def last_logits(setup, ids: torch.Tensor, start: int = 0, resid_pre=None, hooks=None) -> torch.Tensor:
    """The last token's logits (B, V) of ids (B, N), through the engine's public forward pass."""
    logits = setup.model.forward(
        ids, options=setup.options, hooks=hooks, start_at_layer=start, resid_pre=resid_pre, logits="last"
    )
    return logits[:, -1] if logits.ndim == 3 else logits


def patched_metrics(setup, what: str, direction: str, progress: Callable[[int, int], None] | None) -> np.ndarray:
    """The metric of every patch of a sweep: (L, N), (L, H) or (L, H, N) by `what`, float64."""
    n_layers, n_heads, n = setup.n_layers, setup.n_heads, setup.n_tokens
    everywhere, all_heads = list(range(n)), list(range(n_heads))
    if what in ("resid", "attn_out", "mlp_out"):
        rows, shape = [([p], all_heads) for p in range(n)], (n,)
    elif what in ("heads", "pattern"):
        rows, shape = [(everywhere, [h]) for h in range(n_heads)], (n_heads,)
    else:  # heads_by_position
        rows, shape = [([p], [h]) for h in range(n_heads) for p in range(n)], (n_heads, n)
    metrics = np.empty((n_layers, len(rows)))
    done, total = 0, n_layers * len(rows)
    chunk = max(1, BATCH_TOKENS // n)
    for layer in range(n_layers):
        for first in range(0, len(rows), chunk):
            batch = rows[first : first + chunk]
            metrics[layer, first : first + len(batch)] = _run_patches(setup, what, direction, layer, batch)
            done += len(batch)
            if progress is not None:
                progress(done, total)
    return metrics.reshape(n_layers, *shape)


def patched_metric(setup, what: str, direction: str, layer: int, positions: list[int], heads: list[int]) -> float:
    """The metric of one patch: the given positions and heads of `layer` at once."""
    return float(_run_patches(setup, what, direction, layer, [(positions, heads)])[0])


def _run_patches(setup, what: str, direction: str, layer: int, rows: list[Row]) -> np.ndarray:
    """The metric (B,) of B runs of the target text, row b patched with the source's values in row b's cells."""
    source, target = ("clean", "corrupt") if direction == "denoise" else ("corrupt", "clean")
    ids = setup.ids_corrupt if target == "corrupt" else setup.ids_clean
    b, n, device = len(rows), setup.n_tokens, setup.model.device
    ids_t = torch.tensor([ids], device=device).expand(b, n)  # (B, N)
    name = f"blocks.{layer}.hook_resid_pre"
    entering = setup.activation(target, name).expand(b, -1, -1)  # (B, N, D)
    positions = torch.zeros(b, n, dtype=torch.bool, device=device)  # (B, N)
    heads = torch.zeros(b, setup.n_heads, dtype=torch.bool, device=device)  # (B, H)
    for row, (row_positions, row_heads) in enumerate(rows):
        positions[row, row_positions] = True
        heads[row, row_heads] = True
    if what == "resid":
        patched = torch.where(positions[:, :, None], setup.activation(source, name), entering)
        return setup.metric_of(last_logits(setup, ids_t, layer, patched.contiguous()))
    point = {"heads": "attn.hook_z", "heads_by_position": "attn.hook_z", "pattern": "attn.hook_pattern"}
    point = point.get(what, "hook_" + what)  # attn_out, mlp_out
    hook_name = f"blocks.{layer}.{point}"
    values = setup.activation(source, hook_name)  # without the batch axis
    if point == "attn.hook_z":  # (B, N, H, d): the heads' outputs at the positions
        mask = (positions[:, :, None] & heads[:, None, :])[..., None]
    elif point == "attn.hook_pattern":  # (B, H, N, N): the heads' rows of queries at the positions
        mask = (heads[:, :, None] & positions[:, None, :])[..., None]
    else:  # (B, N, D)
        mask = positions[:, :, None]

    def replace(activation: torch.Tensor, hook) -> torch.Tensor:
        return torch.where(mask, values.to(activation.dtype), activation)

    logits = last_logits(setup, ids_t, layer, entering.contiguous(), hooks=[(hook_name, replace)])
    return setup.metric_of(logits)

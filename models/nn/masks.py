"""Which keys each query may see, built from a MaskSpec on demand.

Masks are never stored per run: a run keeps the spec and the padding flags, and a (N, N) boolean
visibility is rebuilt whenever a map is asked for. That keeps a run's memory linear in N.
"""

from __future__ import annotations

import torch

from models.options import MaskSpec


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

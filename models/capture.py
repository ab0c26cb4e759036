"""Per-layer buffers of post-RoPE queries, keys and values: what a run keeps to redraw any head.

Buffers have a little headroom, so text appended at the end (the common edit) is written in place and a
causal model recomputes only the new tokens (see Model.run(reuse=...)).
"""

from __future__ import annotations

import torch

HEADROOM_TOKENS = 32  # room to type a few words before the buffers are reallocated


class LayerCapture:
    def __init__(self):
        self._q: torch.Tensor | None = None  # (B, H, capacity, d)
        self._k: torch.Tensor | None = None  # (B, G, capacity, d)
        self._v: torch.Tensor | None = None  # (B, G, capacity, d)
        self.length = 0

    @property
    def q(self) -> torch.Tensor:
        """(B, H, N, d) queries after RoPE."""
        return self._q[:, :, : self.length]

    @property
    def k(self) -> torch.Tensor:
        """(B, G, N, d) keys after RoPE and KV regrouping."""
        return self._k[:, :, : self.length]

    @property
    def v(self) -> torch.Tensor:
        """(B, G, N, d) values after KV regrouping."""
        return self._v[:, :, : self.length]

    @property
    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in (self._q, self._k, self._v) if t is not None)

    def reserve(self, batch: int, n_heads: int, kv_heads: int, n: int, d_head: int, device, dtype) -> None:
        """Allocate the buffers for n positions up front.

        Done for every layer before the forward pass starts, the buffers sit together instead of between each
        layer's short-lived intermediates, whose freed space the next layer can then reuse (interleaved,
        they fragment the heap and a long run would keep hundreds of MB it no longer uses).
        """
        self._q, self._k, self._v = _buffers(batch, n_heads, kv_heads, n + HEADROOM_TOKENS, d_head, device, dtype)
        self.length = 0

    def write(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, start: int) -> None:
        """Store new positions start.. (earlier positions are kept); afterwards the length is start + n_new."""
        end = start + q.shape[2]
        if self._q is None or end > self._q.shape[2]:
            self._grow(q, k, end, keep=start)
        self._q[:, :, start:end] = q
        self._k[:, :, start:end] = k
        self._v[:, :, start:end] = v
        self.length = end

    def _grow(self, q: torch.Tensor, k: torch.Tensor, needed: int, keep: int) -> None:
        b, h, _, d = q.shape
        new_q, new_k, new_v = _buffers(b, h, k.shape[1], needed + HEADROOM_TOKENS, d, q.device, q.dtype)
        if keep and self._q is not None:
            new_q[:, :, :keep] = self._q[:, :, :keep]
            new_k[:, :, :keep] = self._k[:, :, :keep]
            new_v[:, :, :keep] = self._v[:, :, :keep]
        self._q, self._k, self._v = new_q, new_k, new_v


def _buffers(batch, n_heads, kv_heads, capacity, d_head, device, dtype):
    """Empty (B, H, capacity, d) query and (B, G, capacity, d) key and value buffers."""
    q = torch.empty(batch, n_heads, capacity, d_head, device=device, dtype=dtype)
    k = torch.empty(batch, kv_heads, capacity, d_head, device=device, dtype=dtype)
    v = torch.empty(batch, kv_heads, capacity, d_head, device=device, dtype=dtype)
    return q, k, v

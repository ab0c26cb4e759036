"""Per-layer buffers of post-RoPE queries, keys and values: what a run keeps to redraw any head.

Buffers have a little headroom, so text appended at the end (the common edit) is written in place and a
causal model recomputes only the new tokens (see Model.run(reuse=...)). The forward pass (attention.py) writes
them; a run reads them (models/runtime/run.py). They live in nn so that nn depends on nothing above it.
"""

from __future__ import annotations

import torch

HEADROOM_TOKENS = 32  # room to type a few words before the buffers are reallocated


class LayerCapture:
    def __init__(self):
        # Queries, keys and values share one buffer, so the forward pass can write RoPE's output for Q and K
        # (and V alongside) straight into it instead of copying each in afterwards.
        self._qkv: torch.Tensor | None = None  # (B, H + 2G, capacity, d)
        self._heads = 0  # H
        self.length = 0

    @property
    def q(self) -> torch.Tensor:
        """(B, H, N, d) queries after RoPE."""
        return self._qkv[:, : self._heads, : self.length]

    @property
    def k(self) -> torch.Tensor:
        """(B, G, N, d) keys after RoPE and KV regrouping."""
        return self._qkv[:, self._heads : self._heads + self._groups, : self.length]

    @property
    def v(self) -> torch.Tensor:
        """(B, G, N, d) values after KV regrouping."""
        return self._qkv[:, self._heads + self._groups :, : self.length]

    @property
    def _groups(self) -> int:
        return (self._qkv.shape[1] - self._heads) // 2

    def snapshot(self) -> LayerCapture:
        """A reader of this buffer as it is now: the same tensor and length, unchanged by later extends.

        A newer run that takes the live capture over (Model.run(reuse=...)) writes only positions from its
        start on, and a reallocation on growth copies into a new tensor, so the snapshot's positions before
        that start keep their values: the older run reads them without a copy.
        """
        frozen = LayerCapture()
        frozen._qkv, frozen._heads, frozen.length = self._qkv, self._heads, self.length
        return frozen

    @property
    def nbytes(self) -> int:
        return 0 if self._qkv is None else self._qkv.numel() * self._qkv.element_size()

    def reserve(self, batch: int, n_heads: int, kv_heads: int, n: int, d_head: int, device, dtype) -> None:
        """Allocate the buffer for n positions up front.

        Done for every layer before the forward pass starts, the buffers sit together instead of between each
        layer's short-lived intermediates, whose freed space the next layer can then reuse (interleaved,
        they fragment the heap and a long run would keep hundreds of MB it no longer uses).
        """
        self._qkv, self._heads = _buffer(batch, n_heads, kv_heads, n, d_head, device, dtype), n_heads
        self.length = 0

    def extend(self, start: int, n: int, n_heads: int, kv_heads: int, like: torch.Tensor) -> torch.Tensor:
        """A writable (B, H + 2G, n, d) view for positions start..start+n; positions before start are kept.

        Afterwards the capture's length is start + n: the caller must fill the whole view.
        """
        end = start + n
        if self._qkv is None or end > self._qkv.shape[2]:
            b, _, _, d = like.shape
            grown = _buffer(b, n_heads, kv_heads, end, d, like.device, like.dtype)
            if start and self._qkv is not None:
                grown[:, :, :start] = self._qkv[:, :, :start]
            self._qkv, self._heads = grown, n_heads
        self.length = end
        return self._qkv[:, :, start:end]


def _buffer(batch, n_heads, kv_heads, n, d_head, device, dtype) -> torch.Tensor:
    """An empty (B, H + 2G, n + headroom, d) buffer for queries, keys and values."""
    return torch.empty(batch, n_heads + 2 * kv_heads, n + HEADROOM_TOKENS, d_head, device=device, dtype=dtype)

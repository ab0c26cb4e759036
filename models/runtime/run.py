"""The result of one forward pass: tokens, timings, and attention maps computed on demand."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from models.io.tokenizer import TextTokenizer
from models.nn.attention import kv_groups
from models.nn.masks import visibility
from models.nn.plan import AttentionPlan
from models.options import ResolvedOptions
from models.runtime.capture import LayerCapture
from models.runtime.maps import block_probabilities, blocks, full_map, head_views


@dataclass(frozen=True)
class Timings:
    layer_ms: list[float]  # one entry per layer, device-synchronised
    total_ms: float  # the whole forward pass, embeddings and head included
    device: str
    n_tokens: int  # real tokens computed by this run, pads excluded
    reused_tokens: int = 0  # leading tokens taken unchanged from the previous run (Model.run(reuse=...))

    @property
    def tokens_per_second(self) -> float:
        return self.n_tokens / (self.total_ms / 1000.0) if self.total_ms > 0 else float("inf")


class Run:
    """Holds each layer's post-RoPE Q and K; any (layer, head) map is recomputed from them when asked for.

    Nothing N×N is stored, so a run's memory grows linearly with the sequence length.
    """

    def __init__(
        self,
        *,
        model_name: str,
        architecture: str,
        causal_lm: bool,
        tokenizer: TextTokenizer,
        ids: list[list[int]],
        is_real: list[list[bool]],
        options: ResolvedOptions,
        plan: AttentionPlan,
        captures: list[LayerCapture],
        last_logits: torch.Tensor | None,
        timings: Timings,
        warnings: list[str],
        owner: object = None,
    ):
        self.model_name = model_name
        self.architecture = architecture
        self.options = options
        self.ids = ids
        self.is_real = is_real
        self.timings = timings
        self.warnings = warnings
        self._causal_lm = causal_lm
        self._tokenizer = tokenizer
        self._plan = plan
        self._captures = captures
        self._last_logits = last_logits  # (B, V) at each sequence's last real token
        self.owner = owner  # the Model that made this run
        self.superseded = False  # True once a newer run took over the buffers
        self.reusable_tokens = len(ids[0]) if ids else 0  # leading positions a newer run may take over
        self.tokens = [[tokenizer.label(i) for i in seq] for seq in ids]
        self.special = [[tokenizer.is_special(i) for i in seq] for seq in ids]

    # -- shape ---------------------------------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        return len(self._captures)

    @property
    def n_heads(self) -> int:
        return self._plan.n_heads

    @property
    def n_sequences(self) -> int:
        return len(self.ids)

    @property
    def kv_heads(self) -> int:
        return self._plan.kv_heads

    @property
    def kv_groups(self) -> list[list[int]]:
        """kv_groups[g] lists the query heads that share KV head g."""
        return kv_groups(self._plan.n_heads, self._plan.kv_heads)

    @property
    def device(self) -> str:
        return self.timings.device

    @property
    def retained_bytes(self) -> int:
        """Bytes of tensors this run keeps alive: per-layer Q/K/V buffers and the last position's logits."""
        logits = 0 if self._last_logits is None else self._last_logits.numel() * self._last_logits.element_size()
        return sum(c.nbytes for c in self._captures) + logits

    def hand_over(self, keep: int) -> list[LayerCapture]:
        """Give this run's buffers to a newer run that keeps the first `keep` positions; this run retires.

        Positions before `keep` are never written again, so even if the newer run is cancelled half-way,
        a later run can still take over those `keep` positions from this one.
        """
        self.superseded = True
        self.reusable_tokens = min(self.reusable_tokens, keep)
        return self._captures

    # -- attention -----------------------------------------------------------------------------------------
    def attention(self, layer: int, head: int, seq: int = 0) -> np.ndarray:
        """float32 [N_query, N_key] for one head. Masked cells are 0; see `visible` to tell them apart."""
        return self.attention_and_visibility(layer, head, seq)[0]

    def attention_and_visibility(self, layer: int, head: int, seq: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """One head's map and the mask's visibility (bool [N, N]) in one pass: what a viewer draws."""
        self._check(layer=layer, head=head, seq=seq)
        capture = self._captures[layer]
        with torch.inference_mode():
            probs, visible = full_map(capture.q, capture.k, self._plan, seq, range(head, head + 1))  # (1,N,N), (N,N)
        return probs[0].cpu().numpy(), visible.cpu().numpy()

    def attention_blocks(self, layer: int, head: int, seq: int = 0):
        """Yield (rows, keys, probabilities [R, K], visibility [R, K]) covering one head's map.

        Cells outside each block's key range are masked: a viewer can fill them without computing them.
        """
        self._check(layer=layer, head=head, seq=seq)
        capture = self._captures[layer]
        with torch.inference_mode():
            for rows, keys, probs, visible in blocks(capture.q, capture.k, self._plan, seq, range(head, head + 1)):
                yield rows, keys, probs[0].cpu().numpy(), visible.cpu().numpy()

    def attention_rows(self, layer: int, head: int, rows, seq: int = 0) -> np.ndarray:
        """float32 [R, N_key]: exact attention of a few query rows, e.g. to draw a thumbnail of a long input."""
        self._check(layer=layer, head=head, seq=seq)
        index = torch.as_tensor(np.asarray(rows, dtype=np.int64), device=self._plan.positions.device)
        n = self._plan.positions.shape[1]
        if index.ndim != 1 or (index.numel() and (int(index.min()) < 0 or int(index.max()) >= n)):
            raise ValueError(f"rows: query indices must be a list within 0..{n - 1}")
        capture = self._captures[layer]
        heads = range(head, head + 1)
        with torch.inference_mode():
            q_sel, k_sel = head_views(capture.q, capture.k, self._plan, seq, heads)
            probs, _ = block_probabilities(q_sel, k_sel, self._plan, seq, heads, index, slice(0, n))
        return probs[0].cpu().numpy()

    def layer_attention(self, layer: int, seq: int = 0) -> np.ndarray:
        """float32 [H, N, N]: every head of one layer."""
        self._check(layer=layer, seq=seq)
        capture = self._captures[layer]
        with torch.inference_mode():
            probs, _ = full_map(capture.q, capture.k, self._plan, seq, range(self.n_heads))  # (H, N, N)
        return probs.cpu().numpy()

    def mean_attention(self, layer: int, seq: int = 0) -> np.ndarray:
        """float32 [N, N]: the mean over the heads of one layer."""
        return self.layer_attention(layer, seq).mean(axis=0)

    def all_attention(self, seq: int = 0) -> np.ndarray:
        """float32 [L, H, N, N]: every map of the run. Explicit because it costs L·H·N² floats."""
        return np.stack([self.layer_attention(layer, seq) for layer in range(self.n_layers)])

    def visible(self, seq: int = 0) -> np.ndarray:
        """bool [N_query, N_key]: True where the mask lets the query see the key."""
        self._check(seq=seq)
        plan = self._plan
        real = None if plan.key_is_real is None else plan.key_is_real[seq]
        n = plan.positions.shape[1]
        return visibility(plan.mask, n, real, device=plan.positions.device).cpu().numpy()

    # -- language modelling ----------------------------------------------------------------------------------
    def next_tokens(self, k: int = 5, seq: int = 0) -> list[tuple[str, float]]:
        """Top-k (token, probability) after the last real token; causal language models only."""
        if not self._causal_lm or self._last_logits is None:
            raise ValueError(
                f"next tokens: {self.model_name} is an encoder ({self.architecture}), not a causal language model"
            )
        self._check(seq=seq)
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"next tokens: k={k!r} must be an integer >= 1")
        probs = torch.softmax(self._last_logits[seq].float(), dim=-1)  # (V,)
        top = torch.topk(probs, min(k, probs.shape[-1]))
        return [(self._tokenizer.label(int(i)), float(p)) for p, i in zip(top.values, top.indices)]

    # -- helpers ---------------------------------------------------------------------------------------------
    def _check(self, layer: int | None = None, head: int | None = None, seq: int = 0) -> None:
        if self.superseded:
            raise ValueError("run: its buffers were handed to a newer run (reuse=...); query that run instead")
        for name, value, limit in (
            ("layer", layer, self.n_layers),
            ("head", head, self.n_heads),
            ("seq", seq, self.n_sequences),
        ):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < limit:
                raise ValueError(f"{name}: {value!r} is out of range; allowed: 0..{limit - 1}")

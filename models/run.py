"""The result of one forward pass: tokens, timings, and attention maps computed on demand."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .attention import AttentionPlan, LayerCapture, attention_probabilities, kv_groups
from .masks import visibility
from .options import ResolvedOptions
from .tokenizer import TextTokenizer


@dataclass(frozen=True)
class Timings:
    layer_ms: list[float]  # one entry per layer, device-synchronised
    total_ms: float  # the whole forward pass, embeddings and head included
    device: str
    n_tokens: int  # real tokens processed, pads excluded

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
    def retained_bytes(self) -> int:
        """Bytes of tensors this run keeps alive for on-demand maps."""
        tensors = [t for c in self._captures for t in (c.q, c.k, *c.extras.values()) if isinstance(t, torch.Tensor)]
        if self._last_logits is not None:
            tensors.append(self._last_logits)
        return sum(t.numel() * t.element_size() for t in tensors)

    # -- attention -----------------------------------------------------------------------------------------
    def attention(self, layer: int, head: int, seq: int = 0) -> np.ndarray:
        """float32 [N_query, N_key] for one head. Masked cells are 0; see `visible` to tell them apart."""
        self._check(layer=layer, head=head, seq=seq)
        capture = self._captures[layer]
        with torch.inference_mode():
            probs = attention_probabilities(capture.q, capture.k, self._plan, seq, head)  # (N, N)
        return probs.cpu().numpy()

    def attention_rows(self, layer: int, head: int, rows, seq: int = 0) -> np.ndarray:
        """float32 [R, N_key]: exact attention of a few query rows, e.g. to draw a thumbnail of a long input."""
        self._check(layer=layer, head=head, seq=seq)
        index = torch.as_tensor(np.asarray(rows, dtype=np.int64), device=self._plan.positions.device)
        n = self._plan.positions.shape[1]
        if index.ndim != 1 or (index.numel() and (int(index.min()) < 0 or int(index.max()) >= n)):
            raise ValueError(f"rows: query indices must be a list within 0..{n - 1}")
        capture = self._captures[layer]
        with torch.inference_mode():
            probs = attention_probabilities(capture.q, capture.k, self._plan, seq, head, index)  # (R, N)
        return probs.cpu().numpy()

    def layer_attention(self, layer: int, seq: int = 0) -> np.ndarray:
        """float32 [H, N, N]: every head of one layer."""
        self._check(layer=layer, seq=seq)
        capture = self._captures[layer]
        with torch.inference_mode():
            probs = attention_probabilities(capture.q, capture.k, self._plan, seq)  # (H, N, N)
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
        for name, value, limit in (
            ("layer", layer, self.n_layers),
            ("head", head, self.n_heads),
            ("seq", seq, self.n_sequences),
        ):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < limit:
                raise ValueError(f"{name}: {value!r} is out of range; allowed: 0..{limit - 1}")

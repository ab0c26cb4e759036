"""The result of one forward pass: tokens, timings, and attention maps computed on demand."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
import torch

from models.errors import NumericalError
from models.io.tokenizer import TextTokenizer
from models.nn.attention import kv_groups
from models.nn.kv_buffer import LayerCapture
from models.nn.masks import visibility
from models.nn.plan import AttentionPlan
from models.options import ResolvedOptions, layer_kind, short_repr
from models.runtime.activations import ProbedRun, Probes
from models.runtime.buffers import SharedBuffers
from models.runtime.maps import block_probabilities, blocks, full_map, head_views, overflow_cause, query_rows
from models.runtime.predictions import PredictingRun
from models.runtime.summary_maps import MapSummary, block_edges, check_request, layer_plan, summarise


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


class Run(ProbedRun, PredictingRun):
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
        residuals: torch.Tensor | None = None,
        warnings: list[str],
        owner: object = None,
        heir_of: Run | None = None,
        probes: Probes | None = None,
        all_logits: torch.Tensor | None = None,
    ):
        """residuals: (B, L, D), each sequence's last real token after each block (the logit lens), or None.

        heir_of: the run whose buffers (captures) this run took over with Model.run(reuse=...), if any.
        probes, all_logits: what capture=, hooks= and logits="all" kept (activations.py), or None."""
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
        # The live buffers go to a newer run on hand_over; this run reads its own snapshots of them, which a
        # newer run's writes (from its start on) and reallocations (into new tensors) leave as they were.
        self._live = captures
        self._captures = [capture.snapshot() for capture in captures]
        self._shared = heir_of._shared if heir_of is not None else SharedBuffers()
        self._last_logits = last_logits  # (B, V) at each sequence's last real token
        self._residuals = residuals  # (B, L, D) at the same token, or None (an encoder)
        self._probes, self._all_logits = probes, all_logits
        self.owner = owner  # the Model that made this run
        self.superseded = False  # True once a newer run took over the buffers
        self._reusable_tokens = len(ids[0]) if ids else 0  # leading positions a newer run may take over
        self._shared.join(self)
        self.tokens = [tokenizer.labels(seq, real) for seq, real in zip(ids, is_real)]
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
        """Bytes of tensors this run keeps alive: per-layer Q/K/V buffers, the last position's logits and residuals."""
        kept = [t for t in (self._last_logits, self._residuals, self._all_logits) if t is not None]
        kept_bytes = sum(t.numel() * t.element_size() for t in kept) + self.activation_bytes
        return sum(c.nbytes for c in self._captures) + kept_bytes

    @property
    def _can_hand_over(self) -> bool:
        """Whether a newer run may take over this run's buffers: no other finished run reads them any more.

        True for the newest run, and for one whose heir was cancelled half-way (or was dropped): then its
        first _reusable_tokens positions are still as it left them.
        """
        reader = self._shared.reader() if self._shared.reader is not None else None
        return reader is None or reader is self or reader.superseded

    def _hand_over(self, keep: int) -> list[LayerCapture]:
        """Give this run's buffers to a newer run that keeps the first `keep` positions; this run retires.

        Positions before `keep` are never written again, so even if the newer run is cancelled half-way,
        a later run can still take over those `keep` positions from this one.
        """
        if not self._can_hand_over:
            raise ValueError("reuse: a newer run already reads this run's buffers; reuse that run instead")
        self.superseded = True
        for member in list(self._shared.members):  # every run on these buffers loses what the newer one writes
            member._reusable_tokens = min(member._reusable_tokens, keep)
        return self._live

    # -- attention -----------------------------------------------------------------------------------------
    def attention(self, layer: int, head: int, seq: int = 0) -> np.ndarray:
        """float32 [N_query, N_key] for one head. Masked cells are 0; see `visible` to tell them apart."""
        return self.attention_and_visibility(layer, head, seq)[0]

    def attention_and_visibility(self, layer: int, head: int, seq: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """One head's map and the mask's visibility (bool [N, N]) in one pass: what a viewer draws."""
        layer, head, seq = self._layer(layer), self._head(head), self._seq(seq)
        capture = self._captures[layer]
        with torch.inference_mode(), self._explained(f"layer {layer} head {head}"):
            plan = self._plan.for_layer(layer)  # the layer's own mask and θ where layers differ (Gemma 3)
            probs, visible = full_map(capture.q, capture.k, plan, seq, range(head, head + 1))  # (1,N,N), (N,N)
        return probs[0].cpu().numpy(), visible.cpu().numpy()

    def attention_blocks(self, layer: int, head: int, seq: int = 0) -> Iterator[tuple]:
        """Yield (rows, keys, probabilities [R, K], visibility [R, K]) covering one head's map.

        Cells outside each block's key range are masked: a viewer can fill them without computing them.
        """
        layer, head, seq = self._layer(layer), self._head(head), self._seq(seq)
        capture = self._captures[layer]
        with torch.inference_mode(), self._explained(f"layer {layer} head {head}"):
            plan = self._plan.for_layer(layer)
            for rows, keys, probs, visible in blocks(capture.q, capture.k, plan, seq, range(head, head + 1)):
                yield rows, keys, probs[0].cpu().numpy(), visible.cpu().numpy()

    def attention_rows(self, layer: int, head: int, rows, seq: int = 0) -> np.ndarray:
        """float32 [R, N_key]: exact attention of a few query rows, e.g. to draw a thumbnail of a long input."""
        layer, head, seq = self._layer(layer), self._head(head), self._seq(seq)
        n = self._plan.positions.shape[1]
        index = torch.as_tensor(query_rows(rows, n), device=self._plan.positions.device)  # (R,)
        capture = self._captures[layer]
        heads = range(head, head + 1)
        with torch.inference_mode(), self._explained(f"layer {layer} head {head}"):
            plan = self._plan.for_layer(layer)
            q_sel, k_sel = head_views(capture.q, capture.k, plan, seq, heads)
            probs, _ = block_probabilities(q_sel, k_sel, plan, seq, heads, index, slice(0, n))
        return probs[0].cpu().numpy()

    def attention_summary(
        self,
        layer: int,
        head: int,
        seq: int = 0,
        rows_out: int = 1600,
        cols_out: int = 1600,
        reduce: str = "max",
        region: tuple[int, int, int, int] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> MapSummary:
        """One head's map (or region=(first_row, end_row, first_key, end_key) of it) in at most rows_out × cols_out
        blocks, each the max or mean of its visible cells, computed chunk by chunk from the captured Q and K, never
        as the N × N matrix (summary_maps.py). A region no bigger than the output comes back cell by cell (.exact).
        progress(rows_done, rows_total) is called as it goes; it may raise to stop."""
        heads = range(self._head(head), self._head(head) + 1)
        summary = self._summary(layer, heads, False, seq, (rows_out, cols_out), reduce, region, progress)
        return replace(summary, values=summary.values[0])

    def layer_attention_summary(
        self, layer: int, seq: int = 0, rows_out=1600, cols_out=1600, reduce="max", region=None, progress=None
    ) -> MapSummary:
        """attention_summary of every head of the layer: values (H, R, C)."""
        return self._summary(layer, range(self.n_heads), False, seq, (rows_out, cols_out), reduce, region, progress)

    def mean_attention_summary(
        self, layer: int, seq: int = 0, rows_out=1600, cols_out=1600, reduce="max", region=None, progress=None
    ) -> MapSummary:
        """The summary of the layer's mean over heads (averaged cell by cell, then reduced): values (R, C)."""
        summary = self._summary(layer, range(self.n_heads), True, seq, (rows_out, cols_out), reduce, region, progress)
        return replace(summary, values=summary.values[0])

    def _summary(self, layer, heads: range, mean_heads: bool, seq, out: tuple, reduce, region, progress) -> MapSummary:
        layer, seq = self._layer(layer), self._seq(seq)
        r0, r1, c0, c1 = check_request(self._plan.positions.shape[1], *out, reduce, region)
        rows, cols = block_edges(r0, r1, out[0]), block_edges(c0, c1, out[1])
        capture, plan = self._captures[layer], layer_plan(self._plan, layer)
        with torch.inference_mode(), self._explained(f"layer {layer}"):
            values, visible = summarise(
                capture.q, capture.k, plan, seq, heads, rows, cols, reduce, mean_heads=mean_heads, progress=progress
            )
        return MapSummary(values, visible, rows, cols, reduce)

    def layer_attention(self, layer: int, seq: int = 0) -> np.ndarray:
        """float32 [H, N, N]: every head of one layer."""
        layer, seq = self._layer(layer), self._seq(seq)
        capture = self._captures[layer]
        with torch.inference_mode(), self._explained(f"layer {layer}"):
            probs, _ = full_map(capture.q, capture.k, self._plan.for_layer(layer), seq, range(self.n_heads))
        return probs.cpu().numpy()

    def mean_attention(self, layer: int, seq: int = 0) -> np.ndarray:
        """float32 [N, N]: the mean over the heads of one layer."""
        return self.layer_attention(layer, seq).mean(axis=0)

    def all_attention(self, seq: int = 0) -> np.ndarray:
        """float32 [L, H, N, N]: every map of the run. Explicit because it costs L·H·N² floats."""
        return np.stack([self.layer_attention(layer, seq) for layer in range(self.n_layers)])

    def visible(self, seq: int = 0, layer: int | None = None, rows=None) -> np.ndarray:
        """bool [N_query, N_key]: True where the mask lets the query see the key, in `layer`.

        Masks differ between layers only in models with local and global layers (Gemma 3); there layer=None gives
        the global layers' mask, and a local layer's is its band (layer_kinds says which is which)."""
        seq = self._seq(seq)
        plan = self._plan if layer is None else self._plan.for_layer(self._layer(layer))
        real = None if plan.key_is_real is None else plan.key_is_real[seq]
        n = plan.positions.shape[1]
        # rows: only these query rows (R, N), e.g. a thumbnail's sampled rows of a map too long to hold N × N.
        index = None if rows is None else torch.as_tensor(query_rows(rows, n), device=plan.positions.device)
        return visibility(plan.mask, n, real, rows=index, device=plan.positions.device).cpu().numpy()

    def layer_blocks(
        self, layer: int, seq: int = 0, heads: range | None = None
    ) -> Iterator[tuple[slice, slice, torch.Tensor, torch.Tensor]]:
        """Yield (rows, keys, probabilities (H', R, K), visibility (R, K)) over a layer's maps, block by block,
        as torch tensors on the run's device: what analyses over every head (scores, rollout) read.

        heads: a range of query heads (None: all H). The exact maps of attention_blocks; each block is made
        under inference mode, the caller's own code between blocks runs in its own mode."""
        layer, seq = self._layer(layer), self._seq(seq)
        heads = self._heads(heads)
        capture = self._captures[layer]
        with torch.inference_mode():
            parts = blocks(capture.q, capture.k, self._plan.for_layer(layer), seq, heads)
        while True:
            with torch.inference_mode(), self._explained(f"layer {layer}"):
                part = next(parts, None)
            if part is None:
                return
            yield part

    def sequence_index(self, seq: object) -> int:
        """seq as an int index of one of this run's sequences, or a ValueError naming it: the check every accessor
        makes, for analyses that take a seq argument of their own."""
        return self._seq(seq)

    def kv_head(self, head: object) -> int:
        """The KV head whose keys and values query head `head` reads (an index into keys() and values())."""
        return self._head(head) // (self.n_heads // self.kv_heads)

    def queries(self, layer: int, seq: int = 0) -> torch.Tensor:
        """(H, N, d) one sequence's queries after RoPE (and QK-norm where the model has it), on the run's device."""
        return self._captures[self._layer(layer)].q[self._seq(seq)]

    def keys(self, layer: int, seq: int = 0) -> torch.Tensor:
        """(G, N, d) one sequence's keys after RoPE and KV regrouping: query head h reads keys[h // (H // G)]."""
        return self._captures[self._layer(layer)].k[self._seq(seq)]

    @property
    def layer_kinds(self) -> list[str]:
        """Each layer's attention in this run, in words: "local 512" (a sliding window of 512 keys) or "global"."""
        return [layer_kind(self._plan.for_layer(layer).mask.window) for layer in range(self.n_layers)]

    def values(self, layer: int, seq: int = 0) -> torch.Tensor:
        """(G, N, d) one sequence's value vectors after KV regrouping: what norm weighting (weighting.py) reads."""
        return self._captures[self._layer(layer)].v[self._seq(seq)]

    @property
    def pieces(self) -> list[list[str]]:
        """The tokenizer's raw piece per token ('Ġthe', '<0xE7>'), pads included: what hover and tooltips show."""
        return [[self._tokenizer.piece(i) for i in seq] for seq in self.ids]

    # -- helpers ---------------------------------------------------------------------------------------------
    def _layer(self, value: object) -> int:
        return self._index("layer", value, self.n_layers)

    def _head(self, value: object) -> int:
        return self._index("head", value, self.n_heads)

    def _seq(self, value: object) -> int:
        return self._index("seq", value, self.n_sequences)

    def _heads(self, value: object) -> range:
        """A range of query heads within 0..H-1 (None: all of them), or a ValueError naming it."""
        if value is None:
            return range(self.n_heads)
        if not isinstance(value, range) or value.step != 1 or not 0 <= value.start < value.stop <= self.n_heads:
            raise ValueError(f"heads: {short_repr(value)} is not allowed; give None or a range in 0..{self.n_heads}")
        return value

    def _index(self, name: str, value: object, limit: int) -> int:
        """value as an int in 0..limit-1 (an int or a numpy integer, never a bool), or a ValueError naming it."""
        if self.superseded and self._reusable_tokens < len(self.ids[0]):
            raise ValueError(
                f"run: its buffers were handed to a newer run (reuse=...) that rewrote its tokens from "
                f"{self._reusable_tokens} on; query that run instead"
            )
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ValueError(f"{name}: {short_repr(value)} is not an integer; allowed: 0..{limit - 1}")
        if not 0 <= value < limit:
            raise ValueError(f"{name}: {short_repr(value)} is out of range; allowed: 0..{limit - 1}")
        return int(value)

    @contextmanager
    def _explained(self, where: str):
        """Re-raise a NumericalError from the maps with where it happened and which option to change."""
        try:
            yield
        except NumericalError as error:
            raise NumericalError(f"attention: {where}: {error}; {overflow_cause(self.options)}") from None

"""What crosses from the engine thread to the widgets: plain dataclasses of numbers, strings and numpy arrays.

No tensors and no engine objects leave the worker, so widgets never touch torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # widgets import this module, and must not import the engine
    from models.options import ResolvedOptions


@dataclass(frozen=True)
class ModelInfo:
    name: str
    architecture: str
    n_layers: int
    n_heads: int
    n_kv_heads: int
    n_ctx: int
    causal: bool
    positional: str
    rope_theta: float
    device: str
    devices: tuple[str, ...]  # every device this machine offers
    source: str
    default_rope_theta: float = 10000.0  # θ a run uses when the user sets none (models.options.default_rope_theta)
    # Every KV-head count this model can be regrouped to, with its label: ((1, "MQA"), (3, "GQA"), (9, "MHA")).
    kv_choices: tuple[tuple[int, str], ...] = ()
    # Each layer's own attention: "local 512" (a sliding window) or "global" (Model.layer_kinds; Gemma 3 mixes them).
    layer_kinds: tuple[str, ...] = ()
    # The θ of the local layers where it differs from the global layers' default_rope_theta (Gemma 3: 10,000 and
    # 1,000,000); None for a model whose layers share one θ.
    local_rope_theta: float | None = None


@dataclass(frozen=True)
class TokenChange:
    """One next token while heads are knocked out: its probability now and in the same run without knockout."""

    label: str  # readable text after the sequence's last token
    token_id: int
    piece: str  # the tokenizer's raw piece
    probability: float  # with the knockout (the run's own)
    baseline: float  # the same text and options with ablate=()


@dataclass(frozen=True)
class RunInfo:
    request_id: int
    model: str
    tokens: list[list[str]]  # per sequence, pads included
    ids: list[list[int]]
    special: list[list[bool]]
    is_real: list[list[bool]]  # False at pad positions
    n_layers: int
    n_heads: int
    kv_heads: int
    kv_groups: list[list[int]]
    options: ResolvedOptions  # what the run used, every default filled in
    layer_ms: list[float]
    total_ms: float
    tokens_per_second: float
    reused_tokens: int  # leading tokens taken over from the previous run instead of recomputed
    device: str
    next_tokens: list[list[tuple[str, float]]] | None  # per sequence, causal models only
    warnings: list[str] = field(default_factory=list)
    kind: str = ""  # MHA, GQA or MQA (models.options.attention_kind)
    # The tokenizer's raw piece per token ('Ġthe', '<0xE7>', '##ing'), for hover and tooltips; tokens holds
    # the readable text (' the', '猫(1/3)').
    pieces: list[list[str]] = field(default_factory=list)
    layer_kinds: tuple[str, ...] = ()  # what each layer used in this run: "local 512" or "global" (Run.layer_kinds)
    # Per sequence, (id, raw piece) of each entry of next_tokens, in the same order.
    next_token_pieces: list[list[tuple[int, str]]] | None = None
    # Only while heads are knocked out (options.ablate) in a causal LM: per sequence, the knockout's top next
    # tokens and then the baseline's top tokens it pushed out, each with both probabilities. Else None.
    baseline_next_tokens: list[list[TokenChange]] | None = None

    @property
    def n_sequences(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True)
class MapRequest:
    layer: int
    head: int
    seq: int
    mode: str  # "head" | "mean" | "grid" | "lines"
    scale: str = "linear"  # the pixels are encoded on this scale (display.SCALES)
    weighting: str = "attention"  # or "norm": A[i, j]·‖v_j W_O^h‖, rows renormalised (models.runtime.weighting)
    threshold: float = 0.0  # "lines" only: the pairs drawn have a weight ≥ this (explorer.core.lines)
    # Maps at any length (explorer.core.summary_pixels): the screen's pixels along the map's longer side (0: always
    # exact), what a block summary keeps of its cells ("max" or "mean"), and the cells asked for (None: all).
    pixels: int = 0
    reduce: str = "max"
    region: tuple[int, int, int, int] | None = None  # (first_row, end_row, first_key, end_key)


@dataclass(frozen=True)
class MapResult:
    request_id: int
    run_id: int
    request: MapRequest
    matrix: np.ndarray  # float32 (N, N), or (H, N, N) for "grid"
    pixels: np.ndarray  # uint8, same shape: display.encode(matrix, visible, request.scale); 255 = masked
    compute_ms: float
    # A block summary (a map too long to draw cell by cell): block r covers rows row_edges[r]..row_edges[r+1]-1,
    # and likewise for columns. None: the matrix is the map's own cells.
    row_edges: np.ndarray | None = None
    col_edges: np.ndarray | None = None

    @property
    def summary(self) -> bool:
        return self.row_edges is not None


@dataclass(frozen=True)
class OverviewResult:
    request_id: int
    run_id: int
    seq: int
    thumbnails: np.ndarray  # float32 (L, H, S, S): attention mass from sampled query rows to key bins
    weighting: str = "attention"  # how the thumbnails' maps are weighted (MapRequest.weighting)
    visible: np.ndarray | None = None  # bool (S, S), or (L, S, S) where layers differ: False where a bin is all hidden


@dataclass(frozen=True)
class LinesResult:
    """Every head of a layer as lines (explorer.core.lines.HeadLines), read from the same maps as the heatmap."""

    request_id: int
    run_id: int
    request: MapRequest  # mode "lines": the layer, sequence, weighting and threshold
    heads: tuple  # HeadLines per head of the layer, in head order
    pairs: int  # visible (query, key) pairs of one head: the lines there would be at threshold 0
    compute_ms: float

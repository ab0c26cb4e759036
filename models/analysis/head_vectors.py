"""One head's queries and keys, and the scale and score bias its scores were made with, read from a run.

The neuron view and the query–key geometry both start here. Queries and keys are the engine's own post-RoPE
tensors, read with Run.queries and Run.keys (what hook_q and hook_k capture; the maps are drawn from them). The
scale and the score bias (mask, padding, ALiBi) come from the engine's own AttentionPlan and masks.score_bias,
built from the run's public options, the same calls the forward pass makes.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import torch

from models.analysis.arguments import check_run
from models.checks import short_repr
from models.nn import masks
from models.nn.plan import AttentionPlan


@dataclass(frozen=True)
class HeadVectors:
    """Query head `head` of layer `layer` over the real tokens of one sequence, and the KV head it reads."""

    layer: int
    head: int
    kv_head: int
    seq: int
    positions: np.ndarray  # int (N,): each real token's index in the run's sequence (pads skipped)
    tokens: list[str]  # (N,) the real tokens' labels
    queries: np.ndarray  # float32 (N, d): post-RoPE queries
    keys: np.ndarray  # float32 (N, d): post-RoPE keys of the KV head
    scale: float  # the factor on q·k: d_head**-0.5 / temperature
    plan: AttentionPlan  # the run's plan at this layer, for score_bias


def checked_index(name: str, value: object, limit: int, what: str) -> int:
    """value as an int in [0, limit), or a ValueError naming the argument and the allowed range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < limit:
        raise ValueError(f"{name}: {short_repr(value)} is out of range; {what} 0..{limit - 1}")
    return int(value)


def head_vectors(run, layer: int, head: int, seq: int = 0) -> HeadVectors:
    """The queries of one head and the keys it reads, over the real tokens of sequence `seq` of `run`."""
    run = check_run("run", run)
    layer = checked_index("layer", layer, run.n_layers, "this model's layers are")
    head = checked_index("head", head, run.n_heads, "this model's heads are")
    seq = checked_index("seq", seq, run.n_sequences, "this run's sequences are")
    kv_head = run.kv_head(head)
    real = np.flatnonzero(np.asarray(run.is_real[seq], dtype=bool))  # (N,)
    q = run.queries(layer, seq)[head].float().cpu().numpy()[real]  # (N, d)
    k = run.keys(layer, seq)[kv_head].float().cpu().numpy()[real]  # (N, d)
    plan = run_plan(run, layer)
    labels = run.tokens[seq]
    return HeadVectors(layer, head, kv_head, seq, real, [labels[i] for i in real], q, k, plan.scale, plan)


def run_plan(run, layer: int) -> AttentionPlan:
    """The AttentionPlan layer `layer` of this run attended with, rebuilt from the run's public options."""
    is_real = torch.tensor(run.is_real, dtype=torch.bool)  # (B, N)
    plan = AttentionPlan.for_run(run.owner.config, run.options, is_real)
    for_layer = getattr(plan, "for_layer", None)  # models whose layers differ (local and global) have one per layer
    return for_layer(layer) if for_layer is not None else plan


def score_bias(vectors: HeadVectors, query_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bias (R, N) added to the scaled scores of some query rows (indices into vectors), -inf where hidden,
    and the visibility (R, N), over the real keys: masks.score_bias, as the forward pass calls it."""
    rows = torch.as_tensor(vectors.positions[np.asarray(query_rows)], dtype=torch.long)  # (R,) absolute positions
    n = int(vectors.plan.positions.shape[1])
    heads = range(vectors.head, vectors.head + 1)
    bias, visible = masks.score_bias(vectors.plan, vectors.seq, rows, slice(0, n), heads)  # (1|h, R, n), (R, n)
    bias = bias.expand(1, len(rows), n)[0].numpy()[:, vectors.positions]  # (R, N)
    return bias.astype(np.float32), visible.numpy()[:, vectors.positions]

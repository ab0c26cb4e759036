"""Attention flow (Abnar & Zuidema 2020): the maximum flow from each input token to one position of the last layer.

The graph is layered: one node per (layer, position), layer 0 being the inputs, and an edge from (l − 1, j) to
(l, i) with capacity Â_l[i, j], the residual-augmented mean attention that rollout multiplies
(models/analysis/attention_rollout.py). flow[j] is the maximum flow from node (0, j) to node (L, query). Where
rollout spreads a token's share over every path, flow is limited by the narrowest cut between token and query.

The maximum flows are scipy's (scipy.sparse.csgraph.maximum_flow, Dinic's algorithm), which needs integer
capacities: each capacity is Â rounded to a multiple of 2⁻²⁴ (about 6e-8), and the flow is exact for those
capacities. So it lies within (edges in the minimum cut)·2⁻²⁵ of the flow on real-valued capacities: under 1e-5
for any cut of fewer than 335 edges, and tests hold it to 1e-5 against networkx on real maps.

One maximum flow per input token, each over L·N²/2 edges for a causal model: this stays interactive up to
FLOW_MAX_TOKENS tokens (on SmolLM2's 30 layers, 0.2 s at N = 64 and 1.5 s at N = 128 on two busy cores);
longer inputs are refused with a pointer to rollout, which costs only matrix products.
"""

from __future__ import annotations

import logging
import numbers

import numpy as np
import torch
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from models.analysis.attention_rollout import (
    Progress,
    augmented_layers,
    check_residual,
    check_seq,
    masked_rows,
    reachable,
)
from models.options import FLOW_MAX_TOKENS, short_repr

log = logging.getLogger(__name__)

__all__ = ["FLOW_MAX_TOKENS", "FLOW_SCALE", "flow", "layered_flow"]

# Capacities in units of 2⁻²⁴: each capacity, and any flow (at most the sink's inflow, about 2²⁴), fits int32.
FLOW_SCALE = 2**24


def check_query(query: object, masked: np.ndarray) -> int:
    """query as the index of an unmasked position; -1 is the last one. Anything else: a ValueError naming it."""
    n = len(masked)
    usable = np.flatnonzero(~masked)
    if not usable.size:
        raise ValueError(
            f"query: no position of this text sees a key under its mask (all {n} are padding or see nothing, as a "
            "single token does under no-self); use a longer text or another mask"
        )
    problem = f"query: {short_repr(query)} is not allowed; allowed: -1 (the last token) or a position 0..{n - 1}"
    if isinstance(query, bool) or not isinstance(query, numbers.Integral) or not -1 <= query < n:
        raise ValueError(problem)
    if query == -1:
        return int(usable[-1])
    if masked[query]:
        raise ValueError(f"query: position {query} is padding or sees no key; choose a token of the text")
    return int(query)


def read_inputs(run, seq: int) -> np.ndarray:
    """bool (N,): the inputs some unmasked query reads, through any path of the layers (its own stream included).

    A token's value as a source depends on who reads it, not on what it reads: position 0 under `no-self` sees
    no key but every later token reads it, and with padding_mask=False the pads are read by the real rows.
    """
    return reachable(run, seq).any(axis=0)


def check_size(n: int) -> None:
    if n > FLOW_MAX_TOKENS:
        raise ValueError(
            f"flow: {n} tokens is more than the {FLOW_MAX_TOKENS} it handles interactively (one maximum flow per "
            "token over every layer's N² edges); use rollout for longer texts"
        )


def layered_graph(augmented: np.ndarray) -> csr_matrix:
    """The layered graph of Â (L, N, N) as an int32 capacity matrix over (L + 1)·N nodes, node (l, i) = l·N + i."""
    n_layers, n, _ = augmented.shape
    capacities = np.rint(augmented * FLOW_SCALE).astype(np.int64)  # (L, N, N) [l, i, j]: edge (l, j) -> (l + 1, i)
    layer, query, key = np.nonzero(capacities)
    tails = layer * n + key
    heads = (layer + 1) * n + query
    size = (n_layers + 1) * n
    return csr_matrix((capacities[layer, query, key].astype(np.int32), (tails, heads)), shape=(size, size))


def layered_flow(augmented: np.ndarray, query: int, sources=None, progress: Progress | None = None) -> np.ndarray:
    """float64 (N,): the maximum flow from each input node (0, j) to node (L, query) of Â (L, N, N).

    augmented[l] is the (l + 1)-th layer's Â with rows as queries: the edge (l, j) -> (l + 1, i) carries up to
    augmented[l, i, j]. sources: the inputs to compute (all by default); the others are 0.
    """
    augmented = np.asarray(augmented, dtype=np.float64)
    if augmented.ndim != 3 or augmented.shape[1] != augmented.shape[2]:
        raise ValueError(f"augmented: shape {augmented.shape} is not (L, N, N)")
    if not np.isfinite(augmented).all() or (augmented < 0).any() or (augmented > 1).any():
        raise ValueError("augmented: capacities must be finite and within [0, 1]")
    n_layers, n, _ = augmented.shape
    if not 0 <= query < n:
        raise ValueError(f"query: {query} is out of range; allowed: 0..{n - 1}")
    graph = layered_graph(augmented)
    sink = n_layers * n + query
    sources = range(n) if sources is None else list(sources)
    values = np.zeros(n)
    for done, source in enumerate(sources):
        values[source] = maximum_flow(graph, source, sink, method="dinic").flow_value / FLOW_SCALE
        if progress is not None:
            progress(done + 1, len(sources))
    return values


def flow(run, seq: int = 0, query: int = -1, residual: float = 0.5, progress: Progress | None = None) -> np.ndarray:
    """float32 [N]: the maximum flow from each input token to the query position at the last layer.

    run: a models.Run of at most FLOW_MAX_TOKENS tokens. query: a token's index, or -1 for the last real token.
    residual: the skip connection's share r in each Â, from 0 to 1 (heads are averaged, as in the paper).
    Every input that some query reads has its flow, a query that sees no key included (`no-self` at position
    0 is read by every later token); NaN only where nothing reads the input (padding behind the padding mask).
    progress(steps done, steps) may raise Cancelled; the steps are the L layers' maps, then one maximum flow
    per input.
    """
    seq, residual = check_seq(run, seq), check_residual(residual)
    masked = masked_rows(run, seq)
    query = check_query(query, masked)
    check_size(len(masked))
    sources = np.flatnonzero(read_inputs(run, seq))  # (S,) the inputs that have a flow
    steps = run.n_layers + len(sources)
    layers = []
    with torch.inference_mode():
        for augmented in augmented_layers(run, seq, residual, "mean"):
            layers.append(augmented.cpu().numpy())  # (N, N)
            if progress is not None:
                progress(len(layers), steps)
    step = (lambda done, _total: progress(run.n_layers + done, steps)) if progress else None
    values = layered_flow(np.stack(layers), query, sources, step).astype(np.float32)  # (N,)
    values[np.setdiff1d(np.arange(len(masked)), sources)] = np.nan
    log.debug("flow: %d layers over %d tokens to query %d", run.n_layers, len(masked), query)
    return values

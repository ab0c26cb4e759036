"""The neuron view (BertViz): how one query's q and each key's k multiply, element by element, into its attention.

    from models.analysis import query_key_terms
    view = query_key_terms(run, layer=3, head=1, query=7)
    view.products[j]        # (d,) q ∘ k_j: the terms of the dot product with key j
    view.dots               # (N,) q · k_j
    view.scores             # (N,) q · k_j · scale + bias_j  (the engine's hook_attn_scores row)
    view.probabilities      # (N,) softmax(scores)           (the engine's hook_pattern row)

q and k are the engine's own post-RoPE tensors (head_vectors.py); the scale and the bias (mask, padding, ALiBi)
are the engine's own too. The scores are made in the order the engine makes them (matmul, scale, bias) and the
softmax in float32, so they equal the run's hook_attn_scores and hook_pattern for that query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from models.analysis.head_vectors import checked_index, head_vectors, score_bias
from models.errors import NumericalError


@dataclass(frozen=True)
class NeuronView:
    layer: int
    head: int
    kv_head: int
    query: int  # the query's index among the real tokens
    tokens: list[str]  # (N,) the real tokens
    positions: np.ndarray  # int (N,): each token's index in the run's sequence
    q: np.ndarray  # float32 (d,)
    keys: np.ndarray  # float32 (N, d)
    products: np.ndarray  # float32 (N, d): q ∘ k_j
    dots: np.ndarray  # float32 (N,): q · k_j
    scale: float
    scaled: np.ndarray  # float32 (N,): q · k_j · scale
    bias: np.ndarray  # float32 (N,): the score bias, -inf where the key is hidden
    scores: np.ndarray  # float32 (N,): scaled + bias
    visible: np.ndarray  # bool (N,)
    probabilities: np.ndarray  # float32 (N,): softmax(scores); all 0 when no key is visible

    def to_dict(self) -> dict:
        """Plain lists for JSON; a hidden key's bias and score are None (never -inf in a file)."""

        def finite(values: np.ndarray) -> list:
            return [float(v) if np.isfinite(v) else None for v in values]

        return {
            "layer": self.layer,
            "head": self.head,
            "kv_head": self.kv_head,
            "query": self.query,
            "tokens": self.tokens,
            "q": self.q.tolist(),
            "keys": self.keys.tolist(),
            "dots": self.dots.tolist(),
            "scale": self.scale,
            "scaled": self.scaled.tolist(),
            "bias": finite(self.bias),
            "scores": finite(self.scores),
            "probabilities": self.probabilities.tolist(),
        }


def query_key_terms(run, layer: int, head: int, query: int, seq: int = 0) -> NeuronView:
    """One query's attention in one head, term by term. query counts real tokens from 0 (-1: the last one)."""
    vectors = head_vectors(run, layer, head, seq)
    n = len(vectors.tokens)
    if not isinstance(query, bool) and query == -1:
        query = n - 1
    query = checked_index("query", query, n, "this text's tokens are")
    q = torch.from_numpy(vectors.queries[query])  # (d,)
    keys = torch.from_numpy(vectors.keys)  # (N, d)
    products = q[None, :] * keys  # (N, d)
    dots = torch.matmul(q[None, None, :], keys.transpose(0, 1)[None])[0, 0]  # (N,), as the engine's matmul
    scaled = dots * vectors.scale
    bias, visible = score_bias(vectors, np.array([query]))
    scores = scaled + torch.from_numpy(bias[0])
    visible = visible[0]
    probabilities = torch.softmax(scores, dim=-1) if visible.any() else torch.zeros(n)
    if visible.any() and not bool(torch.isfinite(probabilities).all()):
        raise NumericalError(f"layer {layer} head {head} query {query}: the scores overflowed float32")
    return NeuronView(
        layer=vectors.layer,
        head=vectors.head,
        kv_head=vectors.kv_head,
        query=query,
        tokens=vectors.tokens,
        positions=vectors.positions,
        q=vectors.queries[query],
        keys=vectors.keys,
        products=products.numpy(),
        dots=dots.numpy(),
        scale=vectors.scale,
        scaled=scaled.numpy(),
        bias=bias[0],
        scores=scores.numpy(),
        visible=visible,
        probabilities=probabilities.numpy().astype(np.float32),
    )

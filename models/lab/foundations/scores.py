"""Score functions side by side: dot, scaled dot, general, additive and cosine, and why 1/√d matters.

For queries q [n, d] and keys k [m, d] each score is an [n, m] matrix and its attention is the row softmax:
    dot         q·k
    scaled-dot  q·k / √d
    general     qᵀ W k                      (W [d, d], seeded, entries N(0, 1/d))
    additive    vᵀ tanh(W_q q + W_k k)      (W_q, W_k [h, d] with entries N(0, 1/d), v [h] with N(0, 1/h); h = d)
    cosine      q·k / (‖q‖ ‖k‖)
With q and k drawn N(0, 1), q·k has variance d: unscaled scores grow like √d, the softmax saturates, and the
row entropy falls towards 0, while q·k / √d keeps variance 1 and the entropy stays put at every d.
"""

from __future__ import annotations

import numpy as np

from models.checks import check_seed
from models.lab.memory import check_values

KINDS = ("dot", "scaled-dot", "general", "additive", "cosine")


def random_qk(n: int = 16, m: int = 16, d: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Seeded queries [n, d] and keys [m, d], every entry independent N(0, 1), float64."""
    for name, value in (("n", n), ("m", m), ("d", d)):
        if not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name}: needs a whole number ≥ 1, got {value!r}")
    check_seed("seed", seed)
    check_values((n + m, d), 1, "random queries and keys", "n, m or d")
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal((m, d))


def score_matrix(q, k, kind: str = "scaled-dot", seed: int = 0) -> np.ndarray:
    """The raw scores [n, m] of queries q [n, d] against keys k [m, d]; see the module docstring per kind.

    The seed draws the learned parameters of `general` and `additive` (W, W_q, W_k, v), so the same seed and
    d give the same parameters for any q and k."""
    q, k = np.asarray(q, dtype=np.float64), np.asarray(k, dtype=np.float64)
    if q.ndim != 2 or k.ndim != 2 or q.shape[1] != k.shape[1] or 0 in q.shape or 0 in k.shape:
        raise ValueError(f"q, k: need [n, d] and [m, d] with one d ≥ 1, got {list(q.shape)} and {list(k.shape)}")
    if not (np.isfinite(q).all() and np.isfinite(k).all()):
        raise ValueError("q, k: hold non-finite values")
    d = q.shape[1]
    check_seed("seed", seed)
    check_values((q.shape[0], k.shape[0], d if kind == "additive" else 1), 2, f"{kind} scores", "n, m or d")
    rng = np.random.default_rng(seed)
    if kind == "dot":
        return q @ k.T
    if kind == "scaled-dot":
        return q @ k.T / np.sqrt(d)
    if kind == "general":
        w = rng.standard_normal((d, d)) / np.sqrt(d)
        return q @ w @ k.T
    if kind == "additive":
        w_q, w_k = rng.standard_normal((2, d, d)) / np.sqrt(d)  # [h, d] each, h = d
        v = rng.standard_normal(d) / np.sqrt(d)
        hidden = np.tanh((q @ w_q.T)[:, None, :] + (k @ w_k.T)[None, :, :])  # [n, m, h]
        return hidden @ v
    if kind == "cosine":
        q_norm = np.linalg.norm(q, axis=1, keepdims=True)
        k_norm = np.linalg.norm(k, axis=1, keepdims=True)
        if (q_norm == 0).any() or (k_norm == 0).any():
            raise ValueError("q, k: cosine needs no all-zero query or key")
        return (q / q_norm) @ (k / k_norm).T
    raise ValueError(f"kind: one of {', '.join(KINDS)}, got {kind!r}")


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    """Row softmax, shifted by each row's maximum so large scores never overflow; rows sum to 1."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(shifted)
    return weights / weights.sum(axis=-1, keepdims=True)


def score_weights(q, k, kind: str = "scaled-dot", seed: int = 0) -> np.ndarray:
    """Attention weights [n, m] = row softmax of score_matrix(q, k, kind, seed); every row sums to 1."""
    return softmax_rows(score_matrix(q, k, kind, seed))


def row_entropy(weights: np.ndarray) -> np.ndarray:
    """Entropy in nats of each row of [..., m] weights: −Σ p log p, with 0 log 0 = 0. Between 0 and log m."""
    p = np.asarray(weights, dtype=np.float64)
    logs = np.log(np.where(p > 0, p, 1.0))
    return -(p * logs).sum(axis=-1)


def entropy_against_dimension(dims, scaled: bool = True, seed: int = 0, n: int = 32, m: int = 32) -> np.ndarray:
    """Mean row entropy (nats) of softmax(q·kᵀ [/ √d]) for random N(0, 1) queries [n, d] and keys [m, d],
    one value per d in dims -> float64 [len(dims)]. Each d draws its own q and k from seed + d."""
    dims = [int(d) for d in dims]
    if not dims or min(dims) < 1:
        raise ValueError(f"dims: need at least one dimension, each ≥ 1, got {dims!r}")
    values = []
    for d in dims:
        q, k = random_qk(n, m, d, seed + d)
        values.append(row_entropy(score_weights(q, k, "scaled-dot" if scaled else "dot")).mean())
    return np.asarray(values)


def captured_qk(run, layer: int, head: int, seq: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A real layer's post-RoPE queries [N, d] and keys [N, d] for one head (its KV group's keys) from a
    models.Run, float64, real tokens only (padding dropped), with the tokens' labels [N].

    Their scaled-dot weights are the head's attention before any mask or ALiBi bias (the causal mask of a
    decoder is not applied here: the score functions are compared on the full N × N grid)."""
    group = run.kv_head(head)  # checks head; queries and keys check layer and seq
    real = np.asarray(run.is_real[run.sequence_index(seq)], dtype=bool)
    q = run.queries(layer, seq)[head].detach().float().cpu().numpy().astype(np.float64)[real]  # (N, d)
    k = run.keys(layer, seq)[group].detach().float().cpu().numpy().astype(np.float64)[real]  # (N, d)
    labels = [label for label, keep in zip(run.tokens[seq], real) if keep]
    return q, k, labels

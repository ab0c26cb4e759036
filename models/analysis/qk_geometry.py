"""Query–key geometry (AttentionViz, Yeh et al. 2023): one head's queries and keys as points of one 2-D picture.

    from models.analysis import head_geometry
    picture = head_geometry(run, layer=4, head=2, method="pca")   # or "tsne", "umap"
    picture.coords          # (2N, 2): the N queries first, then the N keys
    picture.kinds           # "query" * N + "key" * N

The vectors are normalised first, as AttentionViz does, in a way that leaves every softmax unchanged:
  - the keys are translated so that their centroid is the queries' centroid: k'_j = k_j − k̄ + q̄. Every score
    of query i changes by the same amount, −q_i·(k̄ − q̄), and softmax does not see a constant added to a row;
  - queries are multiplied by c and keys divided by c, with c = √(mean‖k'‖ / mean‖q‖) so that their mean
    norms are equal: every product q_i·k'_j is unchanged. (The centroids coincide before this scaling, as in
    AttentionViz; after it the query centroid is c² times the key centroid.)
Then the 2N points are projected to 2-D with scikit-learn's PCA (the default) or t-SNE, or with umap-learn's
UMAP; nothing is hand-written. Importing this module costs no torch (the command line's parser reads METHODS).
"""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from models.checks import short_repr

logger = logging.getLogger(__name__)

METHODS = ("pca", "tsne", "umap")
DEFAULT_PERPLEXITY = 30.0  # scikit-learn's default
DEFAULT_NEIGHBOURS = 15  # umap-learn's default
EXACT_TSNE_POINTS = 2000  # up to this many points t-SNE runs its exact gradient, beyond it Barnes–Hut
UMAP_INSTALL = "pip install umap-learn (make installs it)"


@dataclass(frozen=True)
class Normalised:
    queries: np.ndarray  # float64 (N, d): c·q
    keys: np.ndarray  # float64 (N, d): (k − k̄ + q̄) / c
    shift: np.ndarray  # float64 (d,): q̄ − k̄, added to every key
    factor: float  # c


def normalise(queries: np.ndarray, keys: np.ndarray) -> Normalised:
    """AttentionViz's normalisation of queries (N, d) and keys (M, d); every row's softmax is left unchanged."""
    q, k = np.asarray(queries, dtype=np.float64), np.asarray(keys, dtype=np.float64)
    if q.ndim != 2 or k.ndim != 2 or q.shape[1] != k.shape[1] or not len(q) or not len(k):
        raise ValueError(f"queries, keys: shapes {q.shape} and {k.shape} are not (N, d) and (M, d) with N, M ≥ 1")
    if not (np.isfinite(q).all() and np.isfinite(k).all()):
        raise ValueError("queries, keys: some values are not finite")
    shift = q.mean(axis=0) - k.mean(axis=0)  # (d,)
    k = k + shift
    q_norm, k_norm = np.linalg.norm(q, axis=1).mean(), np.linalg.norm(k, axis=1).mean()
    factor = math.sqrt(k_norm / q_norm) if q_norm > 0 and k_norm > 0 else 1.0
    return Normalised(q * factor, k / factor, shift, factor)


def check_method(method: object) -> str:
    if method not in METHODS:
        raise ValueError(f"method: {short_repr(method)} is not one of {', '.join(METHODS)}")
    return str(method)


def check_settings(method: object, perplexity: object, neighbours: object) -> str:
    """The method, checked with its settings (and UMAP's package) before any work: a ValueError naming the argument."""
    method = check_method(method)
    for name, value in (("perplexity", perplexity), ("neighbours", neighbours)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name}: {short_repr(value)} must be a positive number")
    if method == "umap":
        try:
            import umap  # noqa: F401
        except ImportError:
            message = f"method: UMAP needs the umap-learn package, which is not installed; {UMAP_INSTALL}"
            raise ValueError(message) from None
    return method


def check_projection(method: object, n_points: int, perplexity: object, neighbours: object) -> str:
    """check_settings, and whether the method can place n_points points: t-SNE needs more than its perplexity."""
    method = check_settings(method, perplexity, neighbours)
    if n_points < 3:
        raise ValueError(f"text: {n_points} points are too few to project; give a text of 2 tokens or more")
    if method == "tsne" and not perplexity < n_points:
        raise ValueError(
            f"perplexity: t-SNE needs fewer than the {n_points} points (queries and keys) it places, "
            f"and the perplexity is {perplexity:g}; lower it below {n_points}, or give a longer text"
        )
    return method


def project(
    points: np.ndarray,
    method: str = "pca",
    seed: int = 0,
    perplexity: float = DEFAULT_PERPLEXITY,
    neighbours: int = DEFAULT_NEIGHBOURS,
) -> np.ndarray:
    """points (P, d) -> float64 (P, 2) by scikit-learn's PCA or t-SNE, or umap-learn's UMAP, seeded."""
    points = np.asarray(points, dtype=np.float64)
    check_projection(method, len(points), perplexity, neighbours)
    if method == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(points)
    if method == "tsne":
        from sklearn.manifold import TSNE

        # The exact gradient is O(P²) per step but has none of Barnes–Hut's tree and thread overhead, which dominates
        # below a few thousand points (32 points: 0.5 s exact, 16 s Barnes–Hut on a busy 2-core machine).
        method = "exact" if len(points) <= EXACT_TSNE_POINTS else "barnes_hut"
        tsne = TSNE(n_components=2, perplexity=float(perplexity), init="pca", random_state=seed, method=method)
        return tsne.fit_transform(points)
    import umap

    neighbours = int(min(neighbours, len(points) - 1))
    # Spectral initialisation needs a connected graph of enough points; a handful of points start at random.
    init = "spectral" if len(points) > neighbours + 2 else "random"
    reducer = umap.UMAP(n_components=2, n_neighbors=max(2, neighbours), init=init, random_state=seed, n_jobs=1)
    return np.asarray(reducer.fit_transform(points), dtype=np.float64)


@dataclass(frozen=True)
class QKGeometry:
    layer: int
    head: int
    kv_head: int
    method: str
    coords: np.ndarray  # float64 (2N, 2): the N queries, then the N keys
    kinds: list[str]  # (2N,) "query" or "key"
    positions: np.ndarray  # int (2N,): each point's token index among the real tokens
    tokens: list[str]  # (2N,) each point's token
    normalised: Normalised

    @property
    def n_tokens(self) -> int:
        return len(self.kinds) // 2

    def to_dict(self) -> dict:
        """One entry per point: its 2-D coordinates, kind, position and token (as `analyze qk` writes it)."""
        points = [
            {"x": float(x), "y": float(y), "kind": kind, "position": int(position), "token": token}
            for (x, y), kind, position, token in zip(self.coords, self.kinds, self.positions, self.tokens)
        ]
        about = {"layer": self.layer, "head": self.head, "kv_head": self.kv_head, "method": self.method}
        return {**about, "normalisation": {"key_shift_norm": float(np.linalg.norm(self.normalised.shift)),
                                           "query_factor": self.normalised.factor}, "points": points}  # fmt: skip


def head_geometry(
    run,
    layer: int,
    head: int,
    method: str = "pca",
    seq: int = 0,
    seed: int = 0,
    perplexity: float = DEFAULT_PERPLEXITY,
    neighbours: int = DEFAULT_NEIGHBOURS,
    progress: Callable[[int, int], None] | None = None,
    fit_with: Callable[[Callable[[], np.ndarray]], np.ndarray] | None = None,
) -> QKGeometry:
    """One head's normalised queries and keys over the real tokens of sequence `seq`, projected to 2-D.

    progress(done, total) is called between the steps (vectors, projection); it may raise to cancel.
    fit_with(fit) runs the projection (fit() returns the coordinates): by default in place; the window runs it
    beside its job, so that Cancel need not wait for a fit that takes no callback."""
    from models.analysis.head_vectors import head_vectors

    method = check_method(method)
    vectors = head_vectors(run, layer, head, seq)
    n = len(vectors.tokens)
    check_projection(method, 2 * n, perplexity, neighbours)
    if progress is not None:
        progress(1, 3)
    normalised = normalise(vectors.queries, vectors.keys)
    points = np.concatenate([normalised.queries, normalised.keys])  # (2N, d)
    fit = lambda: project(points, method, seed, perplexity, neighbours)  # noqa: E731
    coords = fit() if fit_with is None else fit_with(fit)
    if progress is not None:
        progress(3, 3)
    positions = np.concatenate([np.arange(n), np.arange(n)])
    return QKGeometry(
        layer=vectors.layer,
        head=vectors.head,
        kv_head=vectors.kv_head,
        method=method,
        coords=coords,
        kinds=["query"] * n + ["key"] * n,
        positions=positions,
        tokens=vectors.tokens + vectors.tokens,
        normalised=normalised,
    )

"""Head statistics over a corpus as mergeable partials: counts, exact sums, sums of squares, bins and top-k lists.

Each text gives every head one value of each score (its head_scores). A partial keeps, per score, layer and
head: how many texts had the score defined, the sum and the sum of squares of their values, a histogram over
fixed bins, and the k texts with the highest values (with the query where the head did it most). Sums are kept
exactly, as integers in units of 2⁻³² (a value's rounding is below 2.4e-10), so partials merge in any order, and
shards computed anywhere, to the very same result; the top-k lists break ties by the text's corpus index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from models.analysis.scores import SCORE_NAMES

UNIT_BITS = 32  # sums count in units of 2**-32
UNIT = float(2**UNIT_BITS)
BINS = 20
EMPTY = np.iinfo(np.int64).max  # the corpus index of an empty top-k slot
CONFIDENCE = 0.95


def score_ranges(max_tokens: int) -> dict[str, tuple[float, float]]:
    """The fixed histogram range of each score: shares of attention in [0, 1]; entropy up to ln(max_tokens) nats;
    distances up to max_tokens − 1. Values outside go to the edge bins."""
    ranges = {name: (0.0, 1.0) for name in SCORE_NAMES}
    ranges["entropy"] = (0.0, max(math.log(max_tokens), 1e-9))
    ranges["mean_distance"] = (0.0, float(max(max_tokens - 1, 1)))
    return ranges


def bin_edges(low: float, high: float, bins: int = BINS) -> np.ndarray:
    return np.linspace(low, high, bins + 1)


@dataclass
class CorpusPartial:
    """Statistics of some texts, for scores × layers × heads. Partials of disjoint texts merge exactly."""

    scores: tuple[str, ...]
    shape: tuple[int, int]  # (layers, heads)
    edges: dict[str, np.ndarray]  # score -> (BINS + 1,) fixed bin edges
    top_k: int
    count: np.ndarray = field(init=False)  # int64 (S, L, H)
    total: np.ndarray = field(init=False)  # object (S, L, H): Python ints, Σ round(v · 2³²)
    squares: np.ndarray = field(init=False)  # object (S, L, H): Σ round(v · 2³²)²
    bins: np.ndarray = field(init=False)  # int64 (S, L, H, BINS)
    # The top-k texts of each cell, best first: value (−inf in an empty slot), corpus index (ties go to the
    # lower; EMPTY in an empty slot), the query where the head did it most, the text's id and that query's token.
    top_value: np.ndarray = field(init=False)  # float64 (S, L, H, k)
    top_index: np.ndarray = field(init=False)  # int64 (S, L, H, k)
    top_position: np.ndarray = field(init=False)  # int64 (S, L, H, k), counted from the text's first token
    top_id: np.ndarray = field(init=False)  # object (S, L, H, k): str
    top_token: np.ndarray = field(init=False)  # object (S, L, H, k): str
    n_texts: int = 0
    n_tokens: int = 0

    def __post_init__(self):
        cells = (len(self.scores), *self.shape)
        self.count = np.zeros(cells, dtype=np.int64)
        self.total = _zero_ints(cells)
        self.squares = _zero_ints(cells)
        self.bins = np.zeros((*cells, len(next(iter(self.edges.values()))) - 1), dtype=np.int64)
        slots = (*cells, self.top_k)
        self.top_value = np.full(slots, -np.inf)
        self.top_index = np.full(slots, EMPTY, dtype=np.int64)
        self.top_position = np.full(slots, -1, dtype=np.int64)
        self.top_id = np.full(slots, "", dtype=object)
        self.top_token = np.full(slots, "", dtype=object)

    def add_text(self, index: int, text_id: str, tokens: list[str], values: np.ndarray, best: np.ndarray) -> None:
        """values: float (S, L, H) this text's scores, NaN where undefined; best: int (S, L, H) the query where
        each head's value was highest, counted from the text's first token (-1 where none)."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self.count.shape:
            raise ValueError(f"values: shape {values.shape} is not {self.count.shape}")
        defined = ~np.isnan(values)
        units = np.rint(np.where(defined, values, 0.0) * UNIT).astype(np.int64).astype(object)  # exact ints
        self.count += defined
        self.total += units
        self.squares += units * units
        for s, name in enumerate(self.scores):
            self.bins[s] += _bin_counts(values[s], self.edges[name])
        best = np.asarray(best, dtype=np.int64)
        labels = np.asarray([*tokens, ""], dtype=object)[np.where((best >= 0) & (best < len(tokens)), best, -1)]
        candidate = (
            np.where(defined, values, -np.inf)[..., None],
            np.where(defined, index, EMPTY)[..., None],
            best[..., None],
            np.full((*values.shape, 1), text_id, dtype=object),
            labels[..., None],
        )
        self._keep_best(candidate)
        self.n_texts += 1
        self.n_tokens += len(tokens)

    def merge(self, other: CorpusPartial) -> CorpusPartial:
        """self + other, in place; the same whichever order partials are merged in."""
        if (other.scores, other.shape, other.top_k) != (self.scores, self.shape, self.top_k) or any(
            not np.array_equal(self.edges[name], other.edges[name]) for name in self.scores
        ):
            raise ValueError("partials of different jobs (scores, model shape, top-k or bins) cannot be merged")
        self.count += other.count
        self.total += other.total
        self.squares += other.squares
        self.bins += other.bins
        self._keep_best((other.top_value, other.top_index, other.top_position, other.top_id, other.top_token))
        self.n_texts += other.n_texts
        self.n_tokens += other.n_tokens
        return self

    def _keep_best(self, candidates: tuple[np.ndarray, ...]) -> None:
        """Merge candidate slots (value, index, position, id, token; each (S, L, H, m)) into the top-k lists."""
        mine = (self.top_value, self.top_index, self.top_position, self.top_id, self.top_token)
        joined = [np.concatenate([a, b], axis=-1) for a, b in zip(mine, candidates)]
        order = np.lexsort((joined[1], -joined[0]), axis=-1)[..., : self.top_k]  # value down, then index up
        kept = [np.take_along_axis(array, order, axis=-1) for array in joined]
        self.top_value, self.top_index, self.top_position, self.top_id, self.top_token = kept

    def top_examples(self, s: int, layer: int, head: int) -> list[dict]:
        """One cell's top texts, best first: text id, corpus index, value, query position and its token."""
        return [
            {
                "text_id": self.top_id[s, layer, head, slot],
                "index": int(self.top_index[s, layer, head, slot]),
                "value": float(self.top_value[s, layer, head, slot]),
                "position": int(self.top_position[s, layer, head, slot]),
                "token": self.top_token[s, layer, head, slot],
            }
            for slot in range(self.top_k)
            if self.top_index[s, layer, head, slot] != EMPTY
        ]

    def summary(self) -> dict[str, dict[str, np.ndarray]]:
        """score -> count, mean, std (sample, n − 1), ci_low, ci_high: float64 (L, H), NaN where undefined."""
        from scipy.stats import t as student_t

        result = {}
        for s, name in enumerate(self.scores):
            n = self.count[s]
            mean, std = np.full(self.shape, np.nan), np.full(self.shape, np.nan)
            for layer, head in np.ndindex(*self.shape):
                count = int(n[layer, head])
                total, squares = self.total[s, layer, head], self.squares[s, layer, head]
                if count >= 1:
                    mean[layer, head] = total / (count * 2**UNIT_BITS)  # an exact int ratio, rounded once
                if count >= 2:  # n·Σx² − (Σx)² is exact in integers: no cancellation
                    spread = (count * squares - total * total) / (count * (count - 1))
                    std[layer, head] = math.sqrt(max(spread, 0.0)) / UNIT
            with np.errstate(invalid="ignore", divide="ignore"):
                half = student_t.ppf(0.5 + CONFIDENCE / 2, np.maximum(n - 1, 1)) * std / np.sqrt(n)
            result[name] = {
                "count": n.astype(np.int64),
                "mean": mean,
                "std": std,
                "ci_low": mean - half,
                "ci_high": mean + half,
            }
        return result


def _zero_ints(shape: tuple[int, ...]) -> np.ndarray:
    array = np.empty(shape, dtype=object)
    array.fill(0)
    return array


def _bin_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """int64 (..., B): one count per defined value, in the bin [e_i, e_i+1) (the last bin closed, as numpy's
    histogram), values outside the range in the edge bins."""
    bins = len(edges) - 1
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    counts = (index[..., None] == np.arange(bins)) & ~np.isnan(values)[..., None]
    return counts.astype(np.int64)

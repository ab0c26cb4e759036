"""Head scores: what each head does (previous token, induction, sink, …) measured on a run's exact maps.

Definitions, with A one head's map, i a real (non-pad) query that sees at least one key, k a key visible to i:

    previous_token   mean over i ≥ 1 of A[i, i−1]
    self             mean over i of A[i, i]
    first_token      mean over i ≥ 1 of A[i, 0]                                  (attention sink)
    prefix_matching  mean, over the i with at least one k ≥ 1 where ids[k−1] = ids[i] and k−1 < i,
                     of Σ over those k of A[i, k]                                 (induction, Olsson et al. 2022)
    special_tokens   mean over i of Σ over special-token keys k of A[i, k]
    entropy          mean over i of −Σ_k A[i, k] ln A[i, k], in nats
    mean_distance    mean over i of Σ_k A[i, k]·|i − k|

Positions count from the sequence's first real token: with left padding (SmolLM2 in a batch), "0" is the first
real token and i−1 of a real i ≥ 1 is real too, since a sequence's real tokens are contiguous. A key k−1 must
be real to match. A score with no qualifying query is NaN ("n/a").

Maps are recomputed from the run's captured Q and K in blocks of query rows (models/runtime/maps.py), all heads
of a layer at once, so memory stays at one block (about 4 MB) however long the text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from models.analysis.attention_rollout import check_seq

log = logging.getLogger(__name__)

SCORE_NAMES = (
    "previous_token",
    "self",
    "first_token",
    "prefix_matching",
    "special_tokens",
    "entropy",
    "mean_distance",
)

# Entropy reads ln A where A ≥ TINY: log(0) takes a slow path on x86, and a cell below TINY adds under 7e-29 nats.
TINY = 1e-30
Progress = Callable[[int, int], None]  # (layers done, layers in all); may raise Cancelled


@dataclass(frozen=True)
class HeadScores:
    """Every score of every head: scores[name] is an (L, H) float64 array, NaN where no query qualified."""

    scores: dict[str, np.ndarray]  # SCORE_NAMES order

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.scores:
            raise ValueError(f"score: '{name}' is unknown; allowed: {', '.join(SCORE_NAMES)}")
        return self.scores[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.scores)

    @property
    def shape(self) -> tuple[int, int]:
        """(layers, heads)."""
        return next(iter(self.scores.values())).shape

    def to_dict(self) -> dict[str, list[list[float | None]]]:
        """name -> L lists of H floats, NaN as None: ready for JSON."""
        return {
            name: [[None if np.isnan(value) else float(value) for value in row] for row in array]
            for name, array in self.scores.items()
        }


class SequenceFacts:
    """What the scores need to know about one sequence's tokens, as tensors on the maps' device."""

    def __init__(self, ids, is_real, special, device: torch.device | str = "cpu"):
        self.ids = torch.as_tensor(np.asarray(ids, dtype=np.int64), device=device)  # (N,)
        self.real = torch.as_tensor(np.asarray(is_real, dtype=bool), device=device)  # (N,)
        self.special = torch.as_tensor(np.asarray(special, dtype=np.float32), device=device)  # (N,) 0/1
        if not bool(self.real.any()):
            raise ValueError("is_real: the sequence has no real token to score")
        self.first = int(torch.nonzero(self.real)[0, 0])  # position "0" of the definitions
        # previous[k] = ids[k−1] where k−1 is real, else −1 (matches no id): what prefix matching compares
        previous = torch.full_like(self.ids, -1)
        previous[1:] = torch.where(self.real[:-1], self.ids[:-1], previous[1:])
        self.previous = previous  # (N,)
        self.positions = torch.arange(len(self.ids), device=device)  # (N,)


class ScoreSums:
    """Running sums and query counts of every score over one layer, fed block by block."""

    def __init__(self, facts: SequenceFacts, n_heads: int):
        self.facts = facts
        self.sums = torch.zeros(len(SCORE_NAMES), n_heads, dtype=torch.float64)  # (S, H)
        self.counts = torch.zeros(len(SCORE_NAMES), dtype=torch.float64)  # (S,)

    def add(self, rows: slice, keys: slice, probs: torch.Tensor, visible: torch.Tensor) -> None:
        """probs (H, R, K): rows[rows] against keys[keys], holding every key those rows can see; visible (R, K)."""
        values, masks = self.row_values(rows, keys, probs, visible)
        self.sums += torch.einsum("shr,sr->sh", values, masks).cpu()
        self.counts += masks.sum(dim=-1).cpu()

    def row_values(
        self, rows: slice, keys: slice, probs: torch.Tensor, visible: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Each query row's value of every score, float64 (S, H, R), and which rows count for each score (S, R) 0/1.

        Each full pass over a block costs as much as a score, so the block is read only three times: the
        entropy, one matrix product for the sums over keys, and a gather of the few prefix matches.
        """
        facts = self.facts
        q = facts.positions[rows]  # (R,)
        k = facts.positions[keys]  # (K,)
        valid = facts.real[rows] & visible.any(dim=-1)  # (R,) queries that count at all
        later = valid & (q > facts.first)  # (R,) the "i ≥ 1" of the definitions
        # Σ_k A·|i−k| = i·Σ_k A − Σ_k A·k where no key after i is visible (causal); the rest is added back below.
        columns = torch.stack([facts.special[keys], k.to(probs.dtype), torch.ones_like(k, dtype=probs.dtype)], -1)
        special, weighted_keys, row_sum = (probs @ columns).unbind(-1)  # (K, 3) -> (H, R) each
        distance = q.to(probs.dtype) * row_sum - weighted_keys  # (H, R)
        ahead = visible & (k[None, :] > q[:, None])  # (R, K): only bidirectional or prefix masks have any
        if bool(ahead.any()):
            distance += 2 * (probs * ((k[None, :] - q[:, None]) * ahead).to(probs.dtype)).sum(dim=-1)
        values = torch.stack(  # (S, H, R)
            [
                self._column(probs, q - 1, keys),
                self._column(probs, q, keys),
                self._column(probs, torch.full_like(q, facts.first), keys),
                self._prefix(probs, rows, keys, q, k, visible),
                special,
                -torch.log(probs.clamp_min(TINY)).mul_(probs).sum(dim=-1),
                distance,
            ]
        )
        matched = self._matches(rows, keys, q, k, visible).any(dim=-1)  # (R,)
        masks = torch.stack([later, valid, later, valid & matched, valid, valid, valid]).to(torch.float64)  # (S, R)
        return values.double(), masks

    def _matches(self, rows: slice, keys: slice, q: torch.Tensor, k: torch.Tensor, visible: torch.Tensor):
        """bool (R, K): the keys k ≥ 1 visible to i with ids[k−1] = ids[i] and k−1 < i (previous is −1 at k = 0)."""
        facts = self.facts
        return (facts.ids[rows][:, None] == facts.previous[keys][None, :]) & (k[None, :] <= q[:, None]) & visible

    def _prefix(self, probs, rows, keys, q, k, visible) -> torch.Tensor:
        """(H, R): Σ of A over each row's prefix matches, which are few: gathered, not a pass over the block."""
        row_index, key_index = torch.nonzero(self._matches(rows, keys, q, k, visible), as_tuple=True)  # (M,) each
        total = probs.new_zeros(probs.shape[:2])
        return total.index_add_(1, row_index, probs[:, row_index, key_index])

    @staticmethod
    def _column(probs: torch.Tensor, columns: torch.Tensor, keys: slice) -> torch.Tensor:
        """(H, R): probs[h, r, columns[r]] where that key lies in the block, else 0 (a key the mask hid)."""
        if probs.shape[-1] == 0:
            return probs.new_zeros(probs.shape[:2])
        local = columns - keys.start  # (R,)
        inside = (local >= 0) & (local < probs.shape[-1])
        index = local.clamp(0, probs.shape[-1] - 1)[None, :, None].expand(probs.shape[0], -1, 1)  # (H, R, 1)
        return torch.gather(probs, 2, index)[..., 0] * inside

    def means(self) -> np.ndarray:
        """(S, H) float64: the mean of each score, NaN where no query qualified."""
        with np.errstate(invalid="ignore", divide="ignore"):
            means = self.sums.numpy() / self.counts.numpy()[:, None]
        means[self.counts.numpy() == 0] = np.nan
        return means


def score_maps(maps, visible, ids, is_real, special) -> np.ndarray:
    """(S, H) float64 scores of one layer from its whole maps (H, N, N) and visibility (N, N): the scoring core,
    for hand-made maps and for references; head_scores feeds the same core block by block."""
    probs = torch.as_tensor(np.asarray(maps, dtype=np.float32))
    if probs.ndim != 3 or probs.shape[1] != probs.shape[2]:
        raise ValueError(f"maps: shape {tuple(probs.shape)} is not (H, N, N)")
    n = probs.shape[1]
    if np.shape(visible) != (n, n) or not len(ids) == len(is_real) == len(special) == n:
        raise ValueError(f"visible, ids, is_real, special: must be ({n}, {n}) and {n} long, like the maps")
    sums = ScoreSums(SequenceFacts(ids, is_real, special), probs.shape[0])
    sums.add(slice(0, n), slice(0, n), probs, torch.as_tensor(np.asarray(visible, dtype=bool)))
    return sums.means()


def head_scores(run, seq: int = 0, progress: Progress | None = None) -> HeadScores:
    """Every score of every head of a run (models.Run) for one sequence of its batch, from the exact maps."""
    seq = check_seq(run, seq)  # a models.Run, not superseded, and one of its sequences
    facts = SequenceFacts(run.ids[seq], run.is_real[seq], run.special[seq], torch.device(run.device))
    layers = []
    with torch.inference_mode():
        for layer in range(run.n_layers):
            sums = ScoreSums(facts, run.n_heads)
            for rows, keys, probs, visible in run.layer_blocks(layer, seq):
                sums.add(rows, keys, probs, visible)  # probs (H, R, K)
            layers.append(sums.means())  # (S, H)
            if progress is not None:
                progress(layer + 1, run.n_layers)
    stacked = np.stack(layers, axis=1)  # (S, L, H)
    log.debug("head scores: %d layers x %d heads over %d tokens", run.n_layers, run.n_heads, len(run.ids[seq]))
    return HeadScores({name: stacked[index] for index, name in enumerate(SCORE_NAMES)})

"""Scoring a batch of corpus texts: one forward pass for the batch, then every head's scores per text, block by block.

Each text gets what head_scores gives it alone (the mean over its queries of each score), and for every head
the query where that head's value was highest: the example a reader opens to see the head at work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from models.analysis.scores import SCORE_NAMES, ScoreSums, SequenceFacts


@dataclass(frozen=True)
class TextScores:
    values: np.ndarray  # float64 (S, L, H): the text's head scores, SCORE_NAMES order, NaN where undefined
    best: np.ndarray  # int64 (S, L, H): the query (from the text's first token) with the highest value, or -1
    tokens: list[str]  # the text's token labels (pads excluded)


class BestRows(ScoreSums):
    """ScoreSums that also remembers, per score and head, the counting query row with the highest value."""

    def __init__(self, facts: SequenceFacts, n_heads: int):
        super().__init__(facts, n_heads)
        self.best_value = torch.full((len(SCORE_NAMES), n_heads), -torch.inf, dtype=torch.float64)  # (S, H)
        self.best_row = torch.full((len(SCORE_NAMES), n_heads), -1, dtype=torch.int64)  # (S, H)

    def add(self, rows: slice, keys: slice, probs: torch.Tensor, visible: torch.Tensor) -> None:
        values, masks = self.row_values(rows, keys, probs, visible)  # (S, H, R), (S, R)
        self.sums += torch.einsum("shr,sr->sh", values, masks).cpu()
        self.counts += masks.sum(dim=-1).cpu()
        counted = torch.where(masks[:, None, :] > 0, values, -torch.inf).cpu()  # (S, H, R)
        if counted.shape[-1] == 0:
            return
        block_value, block_row = counted.max(dim=-1)  # (S, H): the first row wins a tie
        better = block_value > self.best_value  # strictly: an earlier block's row keeps a tie
        self.best_value = torch.where(better, block_value, self.best_value)
        self.best_row = torch.where(better, block_row + rows.start, self.best_row)

    def best_positions(self) -> np.ndarray:
        """int64 (S, H): the best row counted from the sequence's first real token, -1 where no row counted."""
        rows = self.best_row.numpy()
        return np.where(rows >= 0, rows - self.facts.first, -1)


def score_batch(model, sequences: list[list[int]], options=None) -> list[TextScores]:
    """Run the sequences (token ids) as one padded batch and score every head of every layer for each."""
    run = model.run_ids(sequences, options=options)
    results = []
    for seq in range(run.n_sequences):
        facts = SequenceFacts(run.ids[seq], run.is_real[seq], run.special[seq], model.device)
        means, best = [], []
        for layer in range(run.n_layers):
            tracker = BestRows(facts, run.n_heads)
            for rows, keys, probs, visible in run.layer_blocks(layer, seq):
                with torch.inference_mode():
                    tracker.add(rows, keys, probs, visible)  # probs (H, R, K)
            means.append(tracker.means())  # (S, H)
            best.append(tracker.best_positions())
        real = [token for token, is_real in zip(run.tokens[seq], run.is_real[seq]) if is_real]
        results.append(TextScores(np.stack(means, axis=1), np.stack(best, axis=1), real))
    return results

"""What training has shown so far, on the GUI side: the loss per step, the evaluations and the snapshots.

Events come from the lab's Trainer.train (TrainStep, Evaluation, Snapshot) through the job's outbox; they are
read by their fields, so this module needs neither torch nor the engine. A map is checked before it is shown:
finite, and each row a distribution (or, for a slice of a row, non-negative and summing to at most 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MEAN = -1
ROW_TOLERANCE = 1e-3  # float32 softmax rows sum to 1 within ~1e-6; anything further off is a bug, not rounding


@dataclass(frozen=True)
class ShownMap:
    matrix: np.ndarray  # float32 (T_query, S_key)
    query_tokens: list[str]
    key_tokens: list[str]
    step: int
    kind: str
    layer: int
    head: int  # MEAN for the mean of the heads


@dataclass
class History:
    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    alignment: list[float] = field(default_factory=list)  # best head
    snapshots: list = field(default_factory=list)  # the lab's Snapshot objects, oldest first

    def absorb(self, events) -> set[str]:
        """Take events in order; return which parts changed ("loss", "scores", "snapshots")."""
        changed = set()
        for event in events:
            if hasattr(event, "attention"):
                self.snapshots.append(event)
                changed.add("snapshots")
            elif hasattr(event, "accuracy"):
                self.eval_steps.append(int(event.step))
                self.accuracy.append(float(event.accuracy))
                self.alignment.append(float(event.alignment_accuracy["best_head"]))
                changed.add("scores")
            else:
                self.steps.append(int(event.step))
                self.losses.append(float(event.loss))
                changed.add("loss")
        return changed

    @property
    def snapshot_steps(self) -> list[int]:
        return [int(snapshot.step) for snapshot in self.snapshots]

    def summary(self) -> dict:
        """The latest figures, for the status line: step, loss, accuracy, alignment (None before any)."""
        return {
            "step": self.steps[-1] if self.steps else 0,
            "loss": self.losses[-1] if self.losses else None,
            "accuracy": self.accuracy[-1] if self.accuracy else None,
            "alignment": self.alignment[-1] if self.alignment else None,
        }


def axis_tokens(kind: str, snapshot, shape: tuple[int, int]) -> tuple[list[str], list[str]]:
    """(query tokens, key tokens) of a map of this kind: the output token each row produces on the query axis and
    the source on the key axis for cross-attention; the source on both for the encoder; the decoder's inputs
    (<bos>, then the outputs so far) on both for the decoder; the whole sequence (source, <sep>, output) for a
    decoder-only model's self-attention (models/lab/seq2seq/systems.py lays the maps out so)."""
    source, output = list(snapshot.source), list(snapshot.output)
    rows, columns = shape
    if kind == "cross":
        queries, keys = output, source
    elif kind == "encoder":
        queries, keys = source, source
    elif kind == "decoder":
        queries = keys = ["<bos>", *output[:-1]]
    else:
        queries = keys = [*source, "<sep>", *output]
    queries, keys = _fit(queries, rows), _fit(keys, columns)
    return queries, keys


def _fit(tokens: list[str], n: int) -> list[str]:
    """Exactly n labels: a map may be longer than the text it was drawn for (padding, an output cut short)."""
    return tokens[:n] + [""] * (n - len(tokens))


def shown_map(snapshot, kind: str, layer: int, head: int, partial_rows: bool = False) -> ShownMap:
    """One head's map (or the heads' mean) from a snapshot, checked; ValueError says what is wrong."""
    if kind not in snapshot.attention:
        raise ValueError(f"kind: this model has no {kind!r} attention (it has {', '.join(snapshot.attention)})")
    stack = np.asarray(snapshot.attention[kind], dtype=np.float32)  # (L, H, T, S)
    if stack.ndim != 4:
        raise ValueError(f"attention: expected [L, H, T, S], got shape {list(stack.shape)}")
    n_layers, n_heads = stack.shape[:2]
    if not 0 <= layer < n_layers:
        raise ValueError(f"layer: {layer} is outside 0..{n_layers - 1}")
    if not (head == MEAN or 0 <= head < n_heads):
        raise ValueError(f"head: {head} is outside 0..{n_heads - 1}")
    matrix = stack[layer].mean(axis=0) if head == MEAN else stack[layer, head]
    check_rows(matrix, partial_rows)
    queries, keys = axis_tokens(kind, snapshot, matrix.shape)
    return ShownMap(np.ascontiguousarray(matrix), queries, keys, int(snapshot.step), kind, layer, head)


def check_rows(matrix: np.ndarray, partial: bool) -> None:
    """Every value finite and ≥ 0, each row summing to 1 (to at most 1 for a slice of rows): else ValueError."""
    if not np.all(np.isfinite(matrix)):
        raise ValueError("attention: the map holds values that are not finite numbers; it is not shown")
    if matrix.size and matrix.min() < 0:
        raise ValueError("attention: the map holds negative weights; it is not shown")
    sums = matrix.sum(axis=-1)
    bad = sums > 1 + ROW_TOLERANCE if partial else np.abs(sums - 1) > ROW_TOLERANCE
    if np.any(bad):
        row = int(np.argmax(bad))
        raise ValueError(f"attention: row {row} sums to {sums[row]:.6f}, not 1; the map is not shown")

"""Head scores as data files: JSON laid out as `analyze heads` writes scores.json, and CSV with one row per head.

Plain numpy in, bytes out, written once (write_atomic). NaN is null in JSON and "n/a" in CSV. The window's Heads
tool writes these; `analyze heads|importance` writes the same CSV (its JSON adds the probe it ran).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from explorer.export.atomic import write_atomic

TABLE_SUFFIXES = (".json", ".csv")
IMPORTANCE = "importance"  # the extra column: the change in log p(target) when the head is knocked out
IMPORTANCE_MEANING = "log p(target | head knocked out) - log p(target), in nats: negative = the head helps"


def kv_group_of(kv_groups: list[list[int]], n_heads: int) -> list[int]:
    """The KV head each query head reads, from the groups (per KV head, its query heads)."""
    groups = [0] * n_heads
    for kv, heads in enumerate(kv_groups):
        for head in heads:
            groups[head] = kv
    return groups


def _plain(array: np.ndarray) -> list[list[float | None]]:
    return [[None if np.isnan(v) else float(v) for v in row] for row in np.asarray(array, dtype=float)]


def scores_csv(scores: dict[str, np.ndarray], groups: list[int]) -> bytes:
    """One row per head: layer, head, kv_group, then every score (NaN as "n/a")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["layer", "head", "kv_group", *scores])
    n_layers, n_heads = next(iter(scores.values())).shape
    for layer in range(n_layers):
        for head in range(n_heads):
            values = [float(scores[name][layer, head]) for name in scores]
            writer.writerow([layer, head, groups[head], *("n/a" if np.isnan(v) else f"{v:.6g}" for v in values)])
    return buffer.getvalue().encode("utf-8")


def scores_json(
    scores: dict[str, np.ndarray], model: str, tokens: list[str], ids: list[int], options: dict, importance=None
) -> bytes:
    """{"model", "tokens", "ids", "options", "scores": {name: L lists of H}}; importance: a dict with its
    "target" and "values" (L × H), added as "importance" with what the numbers mean."""
    payload = {
        "model": model,
        "tokens": list(tokens),
        "ids": [int(i) for i in ids],
        "options": options,
        "scores": {name: _plain(array) for name, array in scores.items()},
    }
    if importance is not None:
        payload[IMPORTANCE] = {
            "meaning": IMPORTANCE_MEANING,
            "target": importance["target"],
            "values": _plain(importance["values"]),
        }
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")


def write_scores(path: str | Path, scores: dict[str, np.ndarray], groups: list[int], **about) -> None:
    """Write the scores as .json or .csv by the path's extension. about: model, tokens, ids, options and
    optionally importance ({"target", "values"}); in CSV, importance is one more column."""
    path = Path(path)
    suffix = path.suffix.lower()
    importance = about.pop("importance", None)
    if suffix == ".csv":
        columns = dict(scores)
        if importance is not None:
            columns[IMPORTANCE] = importance["values"]
        write_atomic(path, scores_csv(columns, groups))
    elif suffix == ".json":
        write_atomic(path, scores_json(scores, importance=importance, **about))
    else:
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(TABLE_SUFFIXES)}")

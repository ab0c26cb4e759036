"""Writing attention matrices as data: .json, .npy and .csv. Images are in image.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

# Also imported from here by older callers (the session file writer); atomic.py is its home.
from explorer.export.atomic import write_atomic

DATA_SUFFIXES = (".json", ".npy", ".csv")


def json_payload(
    *,
    model: str,
    tokens: list[str],
    ids: list[int],
    layer: int | None,
    head: int | None,
    attention: np.ndarray,
    options: dict,
    timings_ms: dict,
) -> dict:
    return {
        "model": model,
        "tokens": tokens,
        "ids": ids,
        "layer": layer,
        "head": head,
        "attention": attention.astype(float).tolist(),
        "options": options,
        "timings_ms": timings_ms,
    }


def write_json(path: Path, payload: dict) -> None:
    write_atomic(path, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def write_npy(path: Path, array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array, dtype=np.float32))
    write_atomic(path, buffer.getbuffer())  # a view, not a copy: an --all export can be gigabytes


def write_csv(path: Path, matrix: np.ndarray, query_tokens: list[str], key_tokens: list[str]) -> None:
    """Rows are queries, columns keys; the header row and first column carry the token labels."""
    if matrix.ndim != 2:
        raise ValueError(f"csv: holds one [N, N] matrix, got shape {list(matrix.shape)}; use .npy for more")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["query \\ key", *key_tokens])
    for label, row in zip(query_tokens, matrix):
        writer.writerow([label, *(f"{value:.9g}" for value in row)])
    write_atomic(path, text.getvalue().encode("utf-8"))

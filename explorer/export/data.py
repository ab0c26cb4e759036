"""Writing attention matrices as data: .json, .npy and .csv. Figures are in figure.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from explorer.core.display import display_label

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


def write_csv(
    path: Path,
    matrix: np.ndarray,
    query_tokens: list[str],
    key_tokens: list[str],
    visible: np.ndarray | None = None,
) -> None:
    """Rows are queries, columns keys. The header row and first column carry position-qualified labels
    (`3:the`), so a repeated token names its own row; a masked cell (visible False) is left empty, never 0."""
    if matrix.ndim != 2:
        raise ValueError(f"csv: holds one [N, N] matrix, got shape {list(matrix.shape)}; use .npy for more")
    if visible is not None and np.shape(visible) != matrix.shape:
        raise ValueError(f"visible: shape {list(np.shape(visible))} does not match the matrix {list(matrix.shape)}")
    if (len(query_tokens), len(key_tokens)) != matrix.shape:  # zip would drop rows and columns without a word
        raise ValueError(
            f"tokens: {len(query_tokens)} query and {len(key_tokens)} key labels for a {list(matrix.shape)} matrix"
        )
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["query \\ key", *position_labels(key_tokens)])
    for i, (label, row) in enumerate(zip(position_labels(query_tokens), matrix)):
        cells = [f"{value:.9g}" for value in row]
        if visible is not None:
            cells = [cell if seen else "" for cell, seen in zip(cells, visible[i])]
        writer.writerow([label, *cells])
    write_atomic(path, text.getvalue().encode("utf-8"))


def position_labels(tokens: list[str]) -> list[str]:
    """'3:the': the position first, so a token that repeats still names one row or column."""
    return [f"{i}:{display_label(token)}" for i, token in enumerate(tokens)]

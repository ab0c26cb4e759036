"""Patching sweeps and token attributions as files: JSON (NaN as null), CSV, or a heatmap figure (PNG, SVG, PDF).

Shared by `analyze patch` / `analyze attribute` and the window's Patching tool. They take the engine's result
objects (models.analysis.patching.PatchSweep, token_attribution.TokenAttribution) by their plain fields, so
nothing here imports torch. Figures go through the labs' matrix figure (lab_figure.py: themes, CJK-safe fonts,
figure.save), which refuses non-finite values: a sweep with NaN cells (clean = corrupt) is never drawn.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from explorer.core.display import display_label
from explorer.export.atomic import write_atomic
from explorer.export.figure import FIGURE_SUFFIXES
from explorer.export.lab_figure import write_matrix

SUFFIXES = (".json", ".csv", *FIGURE_SUFFIXES)


def _json_bytes(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(SUFFIXES)}")
    return suffix


def sweep_columns(sweep) -> list[str]:
    """The column labels of a 2-D sweep: heads, or positions with their tokens."""
    if sweep.axes[1] == "head":
        return [f"H{head}" for head in range(sweep.restored.shape[1])]
    return [f"{i} {display_label(label)}" for i, label in enumerate(sweep.position_labels)]


def write_sweep(path: str | Path, sweep, agreement=None, *, caption: str = "", **style) -> None:
    """A PatchSweep as .json (sweep.to_dict(), plus the agreement's when given), .csv (a row per layer) or a
    layer × head / position heatmap; style: width, dpi, theme."""
    path = Path(path)
    suffix = _suffix(path)
    if suffix == ".json":
        payload = sweep.to_dict()
        if agreement is not None:
            payload["agreement"] = agreement.to_dict()
        write_atomic(path, _json_bytes(payload))
        return
    if sweep.restored.ndim != 2:
        raise ValueError(f"path: a {sweep.what} sweep has {sweep.restored.ndim} axes; write it as .json")
    columns = sweep_columns(sweep)
    if suffix == ".csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["layer", *columns])
        for layer, row in enumerate(sweep.restored):
            writer.writerow([layer, *("" if np.isnan(value) else f"{value:.9g}" for value in row)])
        write_atomic(path, text.getvalue().encode("utf-8"))
        return
    method = "attribution patching" if sweep.method == "attribution" else "activation patching"
    title = f"{method}: {sweep.what} ({sweep.direction}), restored {sweep.metric}"
    write_matrix(
        path,
        sweep.restored,
        title=title,
        xlabel=sweep.axes[1],
        ylabel="layer",
        x_labels=columns,
        y_labels=[str(layer) for layer in range(sweep.restored.shape[0])],
        caption=caption,
        **style,
    )


def write_attribution(path: str | Path, result, *, caption: str = "", **style) -> None:
    """A TokenAttribution as .json, .csv (a row per token) or a one-row heatmap over the tokens."""
    path = Path(path)
    suffix = _suffix(path)
    if suffix == ".json":
        write_atomic(path, _json_bytes(result.to_dict()))
    elif suffix == ".csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["position", "token", result.method])
        for i, (token, score) in enumerate(zip(result.tokens, result.scores)):
            writer.writerow([i, display_label(token), f"{score:.9g}"])
        write_atomic(path, text.getvalue().encode("utf-8"))
    else:
        title = f"{result.method} attribution of {display_label(result.target)}"
        labels = [f"{i} {display_label(token)}" for i, token in enumerate(result.tokens)]
        write_matrix(
            path,
            result.scores[None, :],
            title=title,
            x_labels=labels,
            y_labels=[result.method],
            caption=caption,
            **style,
        )


def write_attention_gradient(path: str | Path, values: np.ndarray, tokens: list[str], about: dict, **style) -> None:
    """A ⊙ ∂p/∂A (L, H, N, N) as .json (every map, and each head's sum), .csv (each head's sum) or a layer × head
    heatmap of the sums: how much each head's attention moves the prediction."""
    path = Path(path)
    suffix = _suffix(path)
    per_head = values.sum(axis=(2, 3))  # (L, H)
    if suffix == ".json":
        payload = {**about, "tokens": tokens, "per_head": per_head.tolist(), "attention_gradient": values.tolist()}
        write_atomic(path, _json_bytes(payload))
    elif suffix == ".csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["layer", *(f"H{head}" for head in range(per_head.shape[1]))])
        for layer, row in enumerate(per_head):
            writer.writerow([layer, *(f"{value:.9g}" for value in row)])
        write_atomic(path, text.getvalue().encode("utf-8"))
    else:
        write_matrix(
            path,
            per_head,
            title=f"attention × gradient per head, for {display_label(about.get('target', ''))}",
            xlabel="head",
            ylabel="layer",
            x_labels=[f"H{head}" for head in range(per_head.shape[1])],
            y_labels=[str(layer) for layer in range(per_head.shape[0])],
            **style,
        )

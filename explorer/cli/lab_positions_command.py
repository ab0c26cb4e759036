"""`python main.py lab positions --kind …`: each positional encoding's matrix, figure style and JSON payload."""

from __future__ import annotations

import argparse

import numpy as np


def positions_result(args: argparse.Namespace) -> tuple[dict, np.ndarray, dict, dict | None]:
    """(payload for JSON, the matrix for .npy/.csv, the figure's style, curves or None) for args.kind."""
    from models.lab.foundations import positions as pe

    kind = args.kind
    if kind in ("sinusoidal", "learned"):
        table = pe.sinusoidal(args.length, args.dim) if kind == "sinusoidal" else _learned(args, pe)
        return _table(kind, table, args.similarity, pe)
    if kind == "rope":
        decay = pe.rope_decay(args.theta, args.dim, args.max_distance or 512)
        rotation = pe.rope_rotation(args.theta, args.dim, args.pair, range(args.length))
        payload = {"kind": kind, "theta": args.theta, "dim": args.dim, **decay, "pair": args.pair, "rotation": rotation}
        matrix = np.stack([decay["distance"], decay["bound"], decay["expected_dot"]], axis=1)
        figure = {"title": f"RoPE long-range decay (θ = {args.theta:g}, d = {args.dim})",
                  "xlabel": "relative distance", "ylabel": "relative upper bound",
                  "x_labels": ["distance", "bound", "expected q·k / d"]}  # fmt: skip
        curves = {"x": decay["distance"], "curves": {"(1/(d/2)) Σ|S_j|": decay["bound"]}}
        return payload, matrix, figure, curves
    if kind == "alibi":
        slopes, bias = pe.alibi_slopes(args.heads), pe.alibi_bias(args.heads, args.length)
        if not 0 <= args.head < args.heads:
            raise ValueError(f"--head: needs 0 … {args.heads - 1}, got {args.head}")
        head = bias[args.head]
        labels = [str(i) for i in range(args.length)]
        figure = {"title": f"ALiBi bias, head {args.head} (slope {slopes[args.head]:.4g})", "xlabel": "key j",
                  "ylabel": "query i", "x_labels": labels, "y_labels": labels}  # fmt: skip
        wants_all = args.out is None or args.out.lower().endswith((".npy", ".json"))
        return {"kind": kind, "slopes": slopes, "bias": bias}, bias if wants_all else head, figure, None
    if kind == "t5":
        buckets, bias = pe.t5_bias_pattern(args.length, args.buckets, args.max_distance or 128, not args.unidirectional)
        labels = [str(i) for i in range(args.length)]
        payload = {"kind": kind, "num_buckets": args.buckets, "max_distance": args.max_distance or 128,
                   "bidirectional": not args.unidirectional, "buckets": buckets, "bias": bias}  # fmt: skip
        figure = {"title": "T5 relative-position bucket of (j − i)", "xlabel": "key j", "ylabel": "query i",
                  "x_labels": labels, "y_labels": labels, "colormap": "viridis"}  # fmt: skip
        return payload, buckets.astype(np.float64), figure, None
    return _two_d(args, pe)


def _table(kind: str, table: np.ndarray, similarity: bool, pe) -> tuple[dict, np.ndarray, dict, None]:
    positions = [str(i) for i in range(table.shape[0])]
    if similarity:
        matrix = pe.similarity(table)
        figure = {"title": f"{kind} encodings: position × position dot products", "xlabel": "position",
                  "ylabel": "position", "x_labels": positions, "y_labels": positions}  # fmt: skip
        return {"kind": kind, "similarity": matrix}, matrix, figure, None
    figure = {"title": f"{kind} position encodings", "xlabel": "dimension", "ylabel": "position",
              "x_labels": [str(i) for i in range(table.shape[1])], "y_labels": positions}  # fmt: skip
    return {"kind": kind, "encoding": table}, table, figure, None


def _learned(args, pe) -> np.ndarray:
    if args.model is None:
        raise ValueError("--model: --kind learned needs a model name, folder or .safetensors file")
    from pathlib import Path

    if Path(args.model).exists():
        table = pe.learned(args.model)
    else:
        import models

        table = pe.learned(models.load(args.model))
    return table[: args.length]


def _two_d(args, pe) -> tuple[dict, np.ndarray, dict, None]:
    try:
        height, width = (int(part) for part in args.grid.lower().split("x"))
    except ValueError:
        raise ValueError(f"--grid: needs HxW such as 14x14, got {args.grid!r}") from None
    table = pe.sincos_2d(height, width, args.dim)
    payload = {"kind": "2d-sincos", "height": height, "width": width, "dim": args.dim, "encoding": table}
    patch = _patch(args.patch, height, width)
    if args.patch is None and (args.out is None or args.out.lower().endswith((".npy", ".json", ".csv"))):
        figure = {"title": "2-D sin-cos encodings", "xlabel": "dimension", "ylabel": "patch"}
        return payload, table, figure, None
    image = pe.patch_similarity(table, height, width, patch)
    payload.update(patch=list(patch), similarity=image)
    figure = {"title": f"cosine similarity with patch {patch}", "xlabel": "column", "ylabel": "row",
              "x_labels": [str(i) for i in range(width)], "y_labels": [str(i) for i in range(height)]}  # fmt: skip
    return payload, image, figure, None


def _patch(text: str | None, height: int, width: int) -> tuple[int, int]:
    if text is None:
        return height // 2, width // 2
    try:
        row, column = (int(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"--patch: needs ROW,COL such as 3,5, got {text!r}") from None
    return row, column

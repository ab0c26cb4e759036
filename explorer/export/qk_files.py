"""Query–key geometry as files: the scatter of a head's queries and keys as a figure, or every point as JSON.

Plain data in (2-D coordinates, each point's kind, position and token), so the window and `analyze qk` write the
same files. Queries are circles and keys triangles whatever the colouring: by kind (AttentionViz's two colours),
by position (a colour bar) or by token (the same token, the same colour).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from explorer.core.display import display_label
from explorer.export.atomic import write_atomic
from explorer.export.figure import FIGURE_SUFFIXES, _caption, figure_inches, remember_rc, save
from explorer.export.figure_style import rc_params, theme_of
from explorer.export.figure_text import figure_text, layer_head_text

SUFFIXES = (".json", *FIGURE_SUFFIXES)
COLOURINGS = ("kind", "position", "token")
KIND_COLOURS = {"query": "#1b9e77", "key": "#d95f02"}  # AttentionViz: queries green, keys orange-pink
MARKERS = {"query": "o", "key": "^"}
METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
LABELLED_POINTS = 80  # up to this many points, each is labelled with its token
ASPECT = 0.85  # height / width


def check_points(coords: np.ndarray, kinds: list[str], positions, tokens: list[str]) -> np.ndarray:
    coords = np.asarray(coords, dtype=float)
    if coords.ndim != 2 or coords.shape[1] != 2 or not len(coords):
        raise ValueError(f"coords: shape {coords.shape} is not (P, 2)")
    if not (len(kinds) == len(positions) == len(tokens) == len(coords)):
        raise ValueError(f"points: {len(coords)} coordinates, {len(kinds)} kinds, {len(tokens)} tokens")
    if set(kinds) - set(MARKERS):
        raise ValueError(f"kinds: {sorted(set(kinds) - set(MARKERS))} are not query or key")
    if not np.isfinite(coords).all():
        raise ValueError("coords: some coordinates are not finite; the projection failed")
    return coords


def token_colours(tokens: list[str]) -> dict[str, int]:
    """Each distinct token's index in order of first appearance: the same token, the same colour."""
    order: dict[str, int] = {}
    for token in tokens:
        order.setdefault(token, len(order))
    return order


def qk_figure(points: dict, *, colour_by="kind", caption="", theme="light", width_inches=6.0):
    """points: as QKGeometry.to_dict() gives it (layer, head, method, points: x, y, kind, position, token)."""
    from matplotlib import colormaps, rc_context
    from matplotlib.figure import Figure

    if colour_by not in COLOURINGS:
        raise ValueError(f"colour_by: {colour_by!r} is not one of {', '.join(COLOURINGS)}")
    entries = points["points"]
    coords = check_points([(p["x"], p["y"]) for p in entries], [p["kind"] for p in entries],
                          [p["position"] for p in entries], [p["token"] for p in entries])  # fmt: skip
    params = rc_params(theme_of(theme))
    with rc_context(params):
        figure = Figure(figsize=(width_inches, width_inches * ASPECT), layout="constrained")
        ax = figure.add_subplot()
        positions = np.array([p["position"] for p in entries])
        tokens = [p["token"] for p in entries]
        tab = colormaps["tab20"]
        order = token_colours(tokens)
        mappable = None
        for kind in ("query", "key"):
            mine = np.array([p["kind"] == kind for p in entries])
            if not mine.any():
                continue
            style = {"marker": MARKERS[kind], "s": 22, "linewidths": 0.4, "edgecolors": "none"}
            label = figure_text("queries" if kind == "query" else "keys")
            if colour_by == "kind":
                ax.scatter(*coords[mine].T, color=KIND_COLOURS[kind], label=label, **style)
            elif colour_by == "position":
                vmax = max(1, int(positions.max()))
                mappable = ax.scatter(*coords[mine].T, c=positions[mine], cmap="viridis", vmin=0, vmax=vmax,
                                      label=label, **style)  # fmt: skip
            else:
                colours = [tab(order[t] % 20) for t, m in zip(tokens, mine) if m]
                ax.scatter(*coords[mine].T, color=colours, label=label, **style)
        if len(entries) <= LABELLED_POINTS:
            for (x, y), token in zip(coords, tokens):
                ax.annotate(display_label(token), (x, y), xytext=(2, 2), textcoords="offset points", fontsize=5)
        if mappable is not None:
            bar = figure.colorbar(mappable, ax=ax, shrink=0.8)
            bar.set_label(figure_text("position"))
        legend = ax.legend(loc="best", fontsize="small", frameon=False)
        if colour_by != "kind":  # the legend's shapes say the kind; its colours would say one position or token
            for handle in legend.legend_handles:
                handle.set_array(None)  # not the colormap's first colour: the legend's shapes carry no position
                handle.set_color("grey")
        name = METHOD_NAMES.get(points.get("method"), str(points.get("method")))
        ax.set_xlabel(f"{name} 1")
        ax.set_ylabel(f"{name} 2")
        title = layer_head_text(points["layer"], points["head"]) + " · " + figure_text("queries and keys")
        if points.get("sample"):  # pooled over a corpus (models/analysis/qk_pooled.py): the sample, stated
            title += "\n" + points["sample"]["text"]
        ax.set_title(title)
        _caption(figure, caption)
        remember_rc(figure, params)  # save() draws with the same settings
    return figure


def write_qk(path: str | Path, points: dict, about: dict, **style) -> None:
    """points (QKGeometry.to_dict()) as .json (with `about`: model, ids, options) or a figure; style: width, dpi,
    theme, caption, colour_by, before_write (called once the figure is drawn: a job's cancel check)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        payload = {**about, **points}
        write_atomic(path, json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    elif suffix in FIGURE_SUFFIXES:
        width, dpi = style.pop("width", 1600), style.pop("dpi", 300)
        before_write = style.pop("before_write", None)
        figure = qk_figure(points, width_inches=figure_inches(width, dpi), **style)
        save(figure, path, width=width, dpi=dpi, before_write=before_write)
    else:
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(SUFFIXES)}")

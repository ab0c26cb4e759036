"""Rollout and flow as files: the rollout matrix as a heatmap figure or data, the flow as a bar figure or data.

Figures go through the shared renderer (figure.py: theme, fonts, save); rollout is drawn as a head is, so its
cells that no path reaches and its masked rows are grey. Data: .npy holds the array itself (NaN where masked),
.csv labelled rows (masked cells empty), .json everything with NaN as null.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from explorer.core.display import display_label
from explorer.export.atomic import write_atomic
from explorer.export.data import write_csv, write_npy
from explorer.export.figure import FIGURE_SUFFIXES, _caption, figure_inches, remember_rc, save, write_head
from explorer.export.figure_style import rc_params, theme_of, tick_labels, upright
from explorer.export.figure_text import figure_text

DATA_SUFFIXES = (".json", ".npy", ".csv")
SUFFIXES = (*DATA_SUFFIXES, *FIGURE_SUFFIXES)
BAR_ASPECT = 0.45  # height / width of the flow figure: one row of bars under a title


def nan_to_none(values: np.ndarray) -> list:
    """Nested lists of floats with NaN as None: JSON has no NaN."""
    array = np.asarray(values, dtype=float)
    return np.where(np.isnan(array), None, array).tolist()


def write_rollout(path: str | Path, result: np.ndarray, reach: np.ndarray, tokens: list[str], about: dict, **style):
    """result [N, N] (rollout, NaN rows masked) and reach [N, N] (the cells a path reaches) to .json/.npy/.csv
    or a figure; about: model, ids, options, residual, head_reduce for JSON; style: width, dpi, theme, caption."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".npy":
        write_npy(path, result)
    elif suffix == ".csv":
        write_csv(path, np.nan_to_num(result), tokens, tokens, reach)
    elif suffix == ".json":
        payload = {**about, "tokens": tokens, "rollout": nan_to_none(result), "reachable": reach.tolist()}
        write_atomic(path, json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    elif suffix in FIGURE_SUFFIXES:
        title = f"attention rollout ({about.get('head_reduce', 'mean')} over heads, residual {about.get('residual')})"
        write_head(path, np.nan_to_num(result), reach, tokens, title=title, **style)
    else:
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(SUFFIXES)}")


def flow_figure(values: np.ndarray, tokens: list[str], query: int, *, caption="", theme="light", width_inches=6.0):
    """The flow into the query as one bar per input token; masked tokens (NaN) get no bar, and the query is marked."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(tokens) != len(values):
        raise ValueError(f"flow: {values.shape} values for {len(tokens)} tokens")
    params = rc_params(theme_of(theme))
    with rc_context(params):
        figure = Figure(figsize=(width_inches, width_inches * BAR_ASPECT), layout="constrained")
        ax = figure.add_subplot()
        positions = np.arange(len(values))
        colours = ["C1" if i == query else "C0" for i in positions]
        ax.bar(positions, np.nan_to_num(values), width=0.8, color=colours)
        ax.set_xlim(-0.6, len(values) - 0.4)
        ax.set_ylim(0, max(1.0, float(np.nanmax(values)) if np.isfinite(values).any() else 1.0))
        ax.set_ylabel(figure_text("max flow"))
        ax.set_xlabel(figure_text("input token"))
        ax.set_title(figure_text("attention flow into {where}", where=f"{query}:{display_label(tokens[query])}"))
        figure.draw_without_rendering()
        box = ax.get_position()
        ticks, labels = tick_labels(tokens, figure.get_size_inches()[0] * box.width * 72.0)
        ax.set_xticks(ticks, labels)
        for text, label in zip(labels, ax.get_xticklabels()):
            label.set_rotation(0 if upright(text) else 90)
        _caption(figure, caption)
        remember_rc(figure, params)  # save() draws with the same settings
    return figure


def write_flow(path: str | Path, values: np.ndarray, tokens: list[str], query: int, about: dict, **style):
    """values [N] (flow, NaN where masked) to .json/.npy/.csv or a bar figure; style: width, dpi, theme, caption,
    before_write (called once the figure is drawn, before the file is written: a job's cancel check)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".npy":
        write_npy(path, values)
    elif suffix == ".csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["position", "token", "flow"])
        for i, (token, value) in enumerate(zip(tokens, values)):
            writer.writerow([i, display_label(token), "" if np.isnan(value) else f"{value:.9g}"])
        write_atomic(path, text.getvalue().encode("utf-8"))
    elif suffix == ".json":
        payload = {**about, "tokens": tokens, "query": query, "flow": nan_to_none(values)}
        write_atomic(path, json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    elif suffix in FIGURE_SUFFIXES:
        width, dpi = style.pop("width", 1600), style.pop("dpi", 300)
        before_write = style.pop("before_write", None)
        figure = flow_figure(values, tokens, query, width_inches=figure_inches(width, dpi), **style)
        save(figure, path, width=width, dpi=dpi, before_write=before_write)
    else:
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(SUFFIXES)}")

"""The labs' figures: any labelled matrix as a heatmap, and curves against one axis, drawn like the attention maps.

Lab pages show matrices that are not attention maps (position encodings, biases, similarities: any sign, any
shape), so they get their own heatmap here, with the same themes, fonts and writer (figure.save) as figure.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.export.cells import colours_of, draw_cells
from explorer.export.figure import figure_inches, remember_rc, save
from explorer.export.figure_style import rc_params, theme_of, tick_labels


def matrix_figure(
    matrix: np.ndarray,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    x_labels: list[str] | None = None,
    y_labels: list[str] | None = None,
    colormap: str | None = None,
    caption: str = "",
    theme: str = "light",
    width_inches: float = 6.0,
):
    """A [rows, columns] float matrix as cells with a colour bar of its values. Values of both signs use a
    diverging colormap centred on 0 (unless one is given); non-finite values are refused (ValueError)."""
    from matplotlib import rc_context
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2 or 0 in matrix.shape:
        raise ValueError(f"matrix: needs one [rows, columns] matrix, got shape {list(matrix.shape)}")
    if not np.isfinite(matrix).all():
        raise ValueError("matrix: holds non-finite values; nothing is drawn")
    low, high = float(matrix.min()), float(matrix.max())
    signed = low < 0 < high
    if signed:
        low, high = -max(-low, high), max(-low, high)
    if low == high:
        low, high = low - 0.5, high + 0.5
    with rc_context(rc_params(theme_of(theme))):
        figure = Figure(figsize=(width_inches, width_inches * 0.8), layout="constrained")
        ax = figure.add_subplot()
        cmap = colormap or ("RdBu_r" if signed else "viridis")
        draw_cells(ax, colours_of(matrix, cmap, low, high), aspect="auto", gid="matrix")
        bar = figure.colorbar(ScalarMappable(Normalize(low, high), cmap), ax=ax, shrink=0.85, aspect=30, pad=0.02)
        bar.outline.set_linewidth(0.5)
        _labels(ax, x_labels, y_labels, width_inches)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
        if caption:
            figure.supxlabel(caption, fontsize="small", style="italic")
    remember_rc(figure, rc_params(theme_of(theme)))
    return figure


def _labels(ax, x_labels, y_labels, width_inches: float) -> None:
    for axis, labels in ((ax.xaxis, x_labels), (ax.yaxis, y_labels)):
        if labels is not None:
            positions, texts = tick_labels(list(labels), width_inches * 0.75 * 72.0)
            axis.set_ticks(positions, texts)
            if axis is ax.xaxis and max(len(text) for text in texts) > 2:
                axis.set_tick_params(labelrotation=90)  # side by side, longer labels would overlap


def curves_figure(
    x,
    curves: dict[str, np.ndarray],
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    log_x: bool = False,
    caption: str = "",
    theme: str = "light",
    width_inches: float = 6.0,
):
    """Named curves y [len(x)] against one x axis, with a legend; non-finite values are refused."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    x = np.asarray(x, dtype=np.float64)
    for name, y in curves.items():
        if np.shape(y) != x.shape or not np.isfinite(y).all():
            raise ValueError(f"curves: '{name}' needs {x.size} finite values, got shape {list(np.shape(y))}")
    with rc_context(rc_params(theme_of(theme))):
        figure = Figure(figsize=(width_inches, width_inches * 0.6), layout="constrained")
        ax = figure.add_subplot()
        for name, y in curves.items():
            ax.plot(x, y, label=name, linewidth=1.2)
        if log_x:
            ax.set_xscale("log", base=2)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
        if len(curves) > 1:
            ax.legend(frameon=False)
        if caption:
            figure.supxlabel(caption, fontsize="small", style="italic")
    remember_rc(figure, rc_params(theme_of(theme)))
    return figure


def write_matrix(path: str | Path, matrix, *, width: int = 1600, dpi: int = 300, **style) -> None:
    """matrix_figure written to path (.png, .svg or .pdf)."""
    save(matrix_figure(matrix, width_inches=figure_inches(width, dpi), **style), path, width=width, dpi=dpi)


def write_curves(path: str | Path, x, curves: dict, *, width: int = 1600, dpi: int = 300, **style) -> None:
    """curves_figure written to path (.png, .svg or .pdf)."""
    save(curves_figure(x, curves, width_inches=figure_inches(width, dpi), **style), path, width=width, dpi=dpi)

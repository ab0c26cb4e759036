"""The foundations lab's views as files: a labelled matrix or a set of curves as a figure, or its numbers as data.

Figures are drawn with matplotlib from the same MatrixView / LinesView the window drew (explorer/core/plots.py),
in the theme and fonts of every exported figure (figure_style.py, CJK-safe), and saved by figure.save. Data
goes out as .npy (the matrix), .csv (labelled rows, or one row per point) or .json (everything, labels too).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from explorer.core.plots import LinesView, MatrixView, diverging_table
from explorer.export.atomic import write_atomic
from explorer.export.cells import colours_of, draw_cells
from explorer.export.figure import FIGURE_SUFFIXES, figure_inches, remember_rc, save
from explorer.export.figure_style import rc_params, theme_of

DATA_SUFFIXES = (".npy", ".csv", ".json")
MATRIX_GID = "matrix"  # the id of the cells' <image> in SVG
MAX_TICKS = 24  # labelled ticks per axis: more and a printed figure's labels overlap


def suffixes_for(view: MatrixView | LinesView) -> tuple[str, ...]:
    """The formats a view can be written in: curves have no single array for .npy."""
    data = DATA_SUFFIXES if isinstance(view, MatrixView) else (".csv", ".json")
    return (*FIGURE_SUFFIXES, *data)


def _colormap(view: MatrixView, colormap: str):
    import matplotlib
    from matplotlib.colors import ListedColormap

    return ListedColormap(diverging_table() / 255.0) if view.diverging else matplotlib.colormaps[colormap]


def _ticks(axis_set, names: list[str], given: bool) -> None:
    if not given:
        return
    step = max(1, -(-len(names) // MAX_TICKS))
    positions = list(range(0, len(names), step))
    axis_set(positions, [names[i] for i in positions])


def matrix_figure(view: MatrixView, *, caption="", colormap="viridis", theme="light", width_inches=6.0):
    """The matrix as an image, row 0 at the top, titled axes, and a colour bar labelled with what values mean."""
    from matplotlib import rc_context
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    params = rc_params(theme_of(theme))
    rows, columns = view.matrix.shape
    with rc_context(params):
        aspect = rows / columns if view.square_cells else 0.75
        figure = Figure(figsize=(width_inches, max(2.0, width_inches * min(aspect, 1.2))), layout="constrained")
        ax = figure.add_subplot()
        (low, high), cmap = view.color_levels, _colormap(view, colormap)
        aspect = "equal" if view.square_cells else "auto"
        draw_cells(ax, colours_of(view.matrix, cmap, low, high), aspect=aspect, gid=MATRIX_GID)
        ax.set_xlabel(view.column_label)
        ax.set_ylabel(view.row_label)
        _ticks(ax.set_xticks, view.column_names(), bool(view.column_ticks))
        _ticks(ax.set_yticks, view.row_names(), bool(view.row_ticks))
        if view.column_ticks:
            ax.tick_params(axis="x", labelrotation=90)
        ax.set_title(view.title)
        bar = figure.colorbar(ScalarMappable(Normalize(low, high), cmap), ax=ax, shrink=0.85, aspect=30, pad=0.02)
        bar.set_label(view.value_label)
        bar.outline.set_linewidth(0.5)
        if caption:
            figure.supxlabel(caption, fontsize="small", style="italic")
        remember_rc(figure, params)  # save() draws with the same settings
    return figure


def lines_figure(view: LinesView, *, caption="", colormap="viridis", theme="light", width_inches=6.0):
    """The curves with a legend; points as markers, dashed series dashed, as on screen."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from explorer.core.plots import SERIES_COLOURS

    params = rc_params(theme_of(theme))
    with rc_context(params):
        figure = Figure(figsize=(width_inches, width_inches * 0.62), layout="constrained")
        ax = figure.add_subplot()
        for index, series in enumerate(view.series):
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            if series.style == "points":
                ax.plot(series.x, series.y, "o", markersize=3, color=colour, label=series.name)
            else:
                ax.plot(series.x, series.y, "--" if series.style == "dashed" else "-", color=colour, label=series.name)
        if view.log_x:
            ax.set_xscale("log", base=2)
        if view.equal_aspect:
            ax.set_aspect("equal", adjustable="datalim")
        ax.set_xlabel(view.x_label)
        ax.set_ylabel(view.y_label)
        ax.set_title(view.title)
        ax.grid(alpha=0.25, linewidth=0.5)
        if view.series:
            ax.legend(fontsize="small", frameon=False)
        if caption:
            figure.supxlabel(caption, fontsize="small", style="italic")
        remember_rc(figure, params)
    return figure


def write_plot(path, view, *, width=1600, dpi=300, before_write=None, **style) -> None:
    """The view written to path: a figure (.png, .svg, .pdf) or data (.npy, .csv, .json), by the extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in suffixes_for(view):
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(suffixes_for(view))} for this view")
    if suffix in FIGURE_SUFFIXES:
        draw = matrix_figure if isinstance(view, MatrixView) else lines_figure
        figure = draw(view, width_inches=figure_inches(width, dpi), **style)
        save(figure, path, width=width, dpi=dpi, before_write=before_write)
        return
    payload = _data_bytes(view, suffix)
    if before_write is not None:
        before_write()
    write_atomic(path, payload)


def _data_bytes(view, suffix: str) -> bytes:
    if suffix == ".npy":
        buffer = io.BytesIO()
        np.save(buffer, view.matrix)  # float64, as computed
        return buffer.getvalue()
    if suffix == ".json":
        return json.dumps(view_payload(view), ensure_ascii=False).encode("utf-8")
    text = io.StringIO()
    writer = csv.writer(text)
    if isinstance(view, MatrixView):
        writer.writerow([f"{view.row_label} \\ {view.column_label}", *view.column_names()])
        for name, row in zip(view.row_names(), view.matrix):
            writer.writerow([name, *(f"{value:.17g}" for value in row)])
    else:
        writer.writerow(["series", view.x_label, view.y_label])
        writer.writerows((name, f"{x:.17g}", f"{y:.17g}") for name, x, y in view.table())
    return text.getvalue().encode("utf-8")


def view_payload(view) -> dict:
    """Everything the view shows, as JSON-able data."""
    if isinstance(view, MatrixView):
        return {
            "title": view.title,
            "rows": view.row_label,
            "columns": view.column_label,
            "values": view.value_label,
            "row_labels": view.row_names(),
            "column_labels": view.column_names(),
            "matrix": view.matrix.tolist(),
        }
    return {
        "title": view.title,
        "x": view.x_label,
        "y": view.y_label,
        "series": [{"name": s.name, "style": s.style, "x": s.x.tolist(), "y": s.y.tolist()} for s in view.series],
    }

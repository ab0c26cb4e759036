"""The head atlas as a figure: one score for every layer × head, with a colour bar, n/a cells in grey.

Drawn with matplotlib from plain data (an (L, H) float array), in the theme and fonts of every exported figure
(figure_style.py), and saved by figure.save: PNG, SVG or PDF, written at once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.core.display import MASKED_CODE, MASKED_RGB, to_uint8
from explorer.export.cells import draw_cells
from explorer.export.figure import figure_inches, remember_rc, save
from explorer.export.figure_style import lookup_table, rc_params, theme_of
from explorer.export.figure_text import figure_text

ATLAS_GID = "atlas"  # the id of the cells' <image> in SVG


def atlas_codes(values: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """uint8 codes: values on [low, high] as 0..254, NaN (n/a) as the masked code."""
    values = np.asarray(values, dtype=np.float64)
    codes = to_uint8(np.nan_to_num(values, nan=levels[0]), levels)
    codes[np.isnan(values)] = MASKED_CODE
    return codes


def atlas_figure(
    values: np.ndarray,
    *,
    levels: tuple[float, float],
    label: str,
    title: str = "",
    caption: str = "",
    knocked_out: tuple[tuple[int, int], ...] = (),
    colormap: str = "viridis",
    theme: str = "light",
    width_inches: float = 6.0,
):
    """Layers as rows (layer 0 at the top), heads as columns; knocked-out heads marked ×."""
    from matplotlib import rc_context
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"values: needs [layers, heads], got shape {list(values.shape)}")
    if not levels[0] < levels[1]:
        raise ValueError(f"levels: {levels} is not a range low < high")
    n_layers, n_heads = values.shape
    params = rc_params(theme_of(theme))
    with rc_context(params):
        height = min(width_inches * 1.6, max(2.0, width_inches * n_layers / max(n_heads, 1) * 0.55 + 1.0))
        figure = Figure(figsize=(width_inches, height), layout="constrained")
        ax = figure.add_subplot()
        draw_cells(ax, lookup_table(colormap)[atlas_codes(values, levels)], aspect="auto", gid=ATLAS_GID)
        for layer, head in knocked_out:
            if layer < n_layers and head < n_heads:
                ax.plot(head, layer, marker="x", color="red", markersize=7, markeredgewidth=1.5)
        ax.set_xlabel(figure_text("head"))
        ax.set_ylabel(figure_text("layer"))
        ax.set_xticks(range(n_heads))
        ax.set_yticks(range(0, n_layers, max(1, n_layers // 15)))
        ax.tick_params(length=2, width=0.5, pad=1.5)
        if title:
            ax.set_title(title)
        import matplotlib

        mappable = ScalarMappable(norm=Normalize(*levels), cmap=matplotlib.colormaps[colormap])
        bar = figure.colorbar(mappable, ax=ax, shrink=0.8, aspect=30, pad=0.02)
        bar.set_label(label)
        bar.outline.set_linewidth(0.5)
        bar.ax.tick_params(labelsize="small", length=2, width=0.5)
        if np.isnan(values).any():
            grey = tuple(c / 255 for c in MASKED_RGB)
            handles = [Patch(color=grey, label=figure_text("n/a"))]
            figure.legend(handles=handles, loc="outside lower right", fontsize="small")
        if caption:
            figure.supxlabel(caption, fontsize="small", style="italic")
        remember_rc(figure, params)  # save() draws with the same settings
    return figure


def write_atlas(path: str | Path, values, *, width=1600, dpi=300, before_write=None, **style) -> None:
    """The atlas written to path (.png, .svg or .pdf), `width / dpi` inches wide; style as atlas_figure."""
    figure = atlas_figure(values, width_inches=figure_inches(width, dpi), **style)
    save(figure, path, width=width, dpi=dpi, before_write=before_write)

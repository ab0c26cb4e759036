"""Two variants of one head as a figure: A and B on the attention scale, and B − A on a diverging scale centred on 0.

Drawn with matplotlib from plain data (three [N, N] float maps and each run's visibility), in the theme and
fonts of every exported figure, and saved by figure.save (PNG, SVG or PDF, written at once). The difference's
colour scale is symmetric, ±max |B − A|, from explorer/core/diverging.py, the same table the window uses.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.core.diverging import DIFF_LABEL, diverging_table, encode_diff, symmetric_limit
from explorer.export.figure import (
    HEATMAP_GID,
    _colour_bar,
    _label_axes,
    cell_image,
    figure_inches,
    remember_rc,
    save,
    upsample_factor,
)
from explorer.export.figure_style import rc_params, theme_of
from explorer.export.figure_text import figure_text

PANEL_TITLES = ("A", "B", "B − A")


def compare_figure(
    a: np.ndarray,
    b: np.ndarray,
    visible_a: np.ndarray,
    visible_b: np.ndarray,
    tokens: list[str],
    *,
    caption: str = "",
    colormap: str = "viridis",
    theme: str = "light",
    width_inches: float = 9.0,
):
    """Three panels side by side: A, B (colormap, 0 to 1) and B − A (blue negative, red positive).

    The panels are titled A, B and B − A: say what the variants are in the caption (it may hold line breaks)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    a, b = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    if a.shape != b.shape or a.ndim != 2 or a.shape[0] != a.shape[1] or len(tokens) != a.shape[0]:
        raise ValueError(
            f"maps: A {list(a.shape)} and B {list(b.shape)} must be the same [N, N] for {len(tokens)} tokens"
        )
    visible_a, visible_b = np.asarray(visible_a, dtype=bool), np.asarray(visible_b, dtype=bool)
    diff, either = b - a, visible_a | visible_b
    limit = symmetric_limit(diff, either)
    params = rc_params(theme_of(theme))
    n = a.shape[0]
    extent = (-0.5, n - 0.5, n - 0.5, -0.5)
    with rc_context(params):
        lines = caption.count("\n") + 1 if caption else 0
        figure = Figure(figsize=(width_inches, width_inches * 0.38 + 0.16 * lines), layout="constrained")
        axes = figure.subplots(1, 3)
        k = upsample_factor(n)
        rgb = diverging_table()[encode_diff(diff, either, limit)]
        images = [
            cell_image(a, visible_a, colormap, "linear"),
            cell_image(b, visible_b, colormap, "linear"),
            np.repeat(np.repeat(rgb, k, axis=0), k, axis=1),
        ]
        for index, (ax, image, title) in enumerate(zip(axes, images, PANEL_TITLES)):
            drawn = ax.imshow(image, extent=extent, interpolation="none", aspect="equal", resample=False)
            drawn.set_gid(f"{HEATMAP_GID}-{index}")
            drawn.set_clip_on(False)
            ax.set_title(title, fontsize="small")
            ax.tick_params(length=2, width=0.5, pad=1.5)
            ax.set_xlabel(figure_text("key"))
        axes[0].set_ylabel(figure_text("query"))
        _colour_bar(figure, list(axes[:2]), colormap, "linear", shrink=0.7)
        _diff_bar(figure, axes[2], limit)
        if caption:
            figure.supxlabel(caption, fontsize="small", style="italic")
        _label_axes(figure, list(axes), [axes[0]], tokens)
        for ax in axes[1:]:
            ax.set_yticks([])
        remember_rc(figure, params)  # save() draws with the same settings
    return figure


def _diff_bar(figure, ax, limit: float) -> None:
    """The difference's colour bar: the diverging table on [−limit, limit], 0 (white) in the middle."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import ListedColormap, Normalize

    table = ListedColormap(diverging_table()[:-1] / 255.0)
    bar = figure.colorbar(ScalarMappable(Normalize(-limit, limit), table), ax=ax, shrink=0.7, aspect=30)
    bar.set_label(figure_text(DIFF_LABEL))
    bar.outline.set_linewidth(0.5)
    bar.ax.tick_params(labelsize="small", length=2, width=0.5)


def write_compare(
    path: str | Path, a, b, visible_a, visible_b, tokens, *, width=1600, dpi=300, before_write=None, **style
):
    """The three panels written to path (.png, .svg or .pdf), `width / dpi` inches wide; style as compare_figure."""
    figure = compare_figure(a, b, visible_a, visible_b, tokens, width_inches=figure_inches(width, dpi), **style)
    save(figure, path, width=width, dpi=dpi, before_write=before_write)

"""Attention figures for papers, drawn with matplotlib from plain data: one head, or every head of a layer.

The one figure renderer behind the window's Export, Export All Heads and `main.py export --out x.png|.svg|.pdf`.
It draws from numbers (a float matrix, the visible mask, the tokens), never from a widget, so a selection or
hover overlay on screen can never reach a file. It uses matplotlib's Agg, SVG and PDF backends only: no Qt.

Cells are an embedded image drawn without interpolation (matplotlib marks it `image-rendering: pixelated` in
SVG). Renderers that smooth images anyway (older librsvg, poppler below 4× zoom) are met by upsampling the
image by an integer factor first, so any smoothing stays within a cell's edge and every cell keeps its colour.
One rectangle per cell would be crisp everywhere too, but an 8192-token map would be 67 million elements.
"""

from __future__ import annotations

import io
import math
import weakref
from pathlib import Path

import numpy as np

from explorer.core.display import SCALE_LEVELS, SCALES, encode
from explorer.export.atomic import write_atomic
from explorer.export.figure_style import lookup_table, rc_params, theme_of, tick_labels, upright
from explorer.export.figure_text import figure_text
from explorer.export.svg_compat import simple_renderer_svg

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
HEATMAP_GID = "heatmap"  # the id of the cells' <image> in SVG: where a checker finds the grid
# Up to 256 image pixels per cell, while the embedded image stays at most about 2048 pixels on a side: a
# renderer that smooths (librsvg 2.54 ignores image-rendering) blurs one image pixel, far from a cell's centre
# (at 32, a 5-token map's cells were 160 image pixels drawn over 600: librsvg's blur showed along every edge).
MAX_UPSAMPLE = 256
UPSAMPLE_PIXELS = 2048
MIN_INCHES = 2.5  # narrower, and constrained layout has no room left for the map itself
HEAD_ASPECT = 0.9  # height / width of a one-head figure: a square map plus its colour bar beside it
# The matplotlib settings (a theme's rcParams) each figure was built with, for save(): kept beside the figure
# rather than as an attribute on matplotlib's object, and dropped with it.
_DRAWN_WITH: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def remember_rc(figure, params: dict) -> None:
    """Remember the matplotlib settings `figure` was built with, so save() draws it with the same ones."""
    _DRAWN_WITH[figure] = params


def cell_image(matrix: np.ndarray, visible: np.ndarray, colormap: str, scale: str) -> np.ndarray:
    """(T·k, S·k, 3) uint8: the cells' colours, masked cells grey, each cell k×k pixels (k ≥ 1, an integer).
    A self-attention map is square (T = S = N); a cross-attention map has T output rows and S source columns."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2:
        raise ValueError(f"matrix: needs one [T, S] map, got shape {list(matrix.shape)}")
    visible = np.asarray(visible, dtype=bool)
    if visible.shape != matrix.shape:
        raise ValueError(f"visible: shape {list(visible.shape)} does not match the matrix {list(matrix.shape)}")
    rgb = lookup_table(colormap)[encode(matrix, visible, scale)]
    k = upsample_factor(max(matrix.shape))
    return rgb if k == 1 else np.repeat(np.repeat(rgb, k, axis=0), k, axis=1)


def upsample_factor(n: int) -> int:
    return max(1, min(MAX_UPSAMPLE, UPSAMPLE_PIXELS // max(n, 1)))


def head_figure(
    matrix: np.ndarray,
    visible: np.ndarray,
    tokens: list[str],
    *,
    title: str = "",
    caption: str = "",
    colormap: str = "viridis",
    scale: str = "linear",
    theme: str = "light",
    width_inches: float = 6.0,
    key_tokens: list[str] | None = None,
):
    """One head: queries as rows, keys as columns, token labels, a colour bar titled with the scale.
    key_tokens: the columns' labels when they differ from the rows' (cross-attention: source keys, output rows)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    _check_tokens(tokens, np.shape(matrix)[0])
    if key_tokens is not None:
        _check_tokens(key_tokens, np.shape(matrix)[1])
    with rc_context(rc_params(theme_of(theme))):
        figure = Figure(figsize=(width_inches, width_inches * HEAD_ASPECT), layout="constrained")
        ax = figure.add_subplot()
        image = _draw_cells(ax, matrix, visible, colormap, scale)
        image.set_gid(HEATMAP_GID)
        ax.set_xlabel(figure_text("key"))
        ax.set_ylabel(figure_text("query"))
        if title:
            ax.set_title(title)
        _colour_bar(figure, ax, colormap, scale, shrink=0.8)
        _caption(figure, caption)
        _label_axes(figure, [ax], [ax], tokens, key_tokens=key_tokens)
        remember_rc(figure, rc_params(theme_of(theme)))  # save() draws with the same settings
    return figure


def heads_figure(
    maps: np.ndarray,
    visible: np.ndarray,
    tokens: list[str],
    *,
    title: str = "",
    caption: str = "",
    colormap: str = "viridis",
    scale: str = "linear",
    theme: str = "light",
    width_inches: float = 6.0,
):
    """Every head of a layer as small multiples: square cells, one shared colour bar, labels on the outer axes."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    maps = np.asarray(maps)
    if maps.ndim != 3:
        raise ValueError(f"maps: needs [H, N, N], got shape {list(maps.shape)}")
    _check_tokens(tokens, maps.shape[1])
    n_heads = maps.shape[0]
    cols = math.ceil(math.sqrt(n_heads))
    rows = math.ceil(n_heads / cols)
    with rc_context(rc_params(theme_of(theme))):
        figure = Figure(figsize=(width_inches, width_inches * rows / cols * 0.95 + 0.4), layout="constrained")
        axes = figure.subplots(rows, cols, squeeze=False)
        for head, ax in enumerate(axes.flat):
            if head >= n_heads:
                ax.set_axis_off()
                continue
            _draw_cells(ax, maps[head], visible, colormap, scale).set_gid(f"{HEATMAP_GID}-{head}")
            ax.set_title(figure_text("head {head}", head=head), fontsize="small", pad=2)
        bottom = [axes[_last_row(n_heads, cols, c), c] for c in range(min(cols, n_heads))]
        left = [axes[r, 0] for r in range(rows)]
        for ax in bottom:
            ax.set_xlabel(figure_text("key"))
        for ax in left:
            ax.set_ylabel(figure_text("query"))
        if title:
            figure.suptitle(title)
        _colour_bar(figure, axes[:, :].ravel().tolist(), colormap, scale, shrink=0.6)
        _caption(figure, caption)
        _label_axes(figure, bottom, left, tokens, others=[ax for ax in axes.flat[:n_heads]])
        remember_rc(figure, rc_params(theme_of(theme)))
    return figure


def _last_row(n_heads: int, cols: int, col: int) -> int:
    """The lowest row that has a map in this column (the last row may be partly empty)."""
    return (n_heads - 1 - col) // cols


def _check_tokens(tokens: list[str], n: int) -> None:
    if len(tokens) != n:
        raise ValueError(f"tokens: {len(tokens)} labels for a map of {n} tokens")


def _draw_cells(ax, matrix, visible, colormap: str, scale: str):
    rows, columns = np.shape(matrix)
    image = ax.imshow(
        cell_image(matrix, visible, colormap, scale),
        extent=(-0.5, columns - 0.5, rows - 0.5, -0.5),  # cell i spans i ± 0.5 on both axes, query 0 at the top
        interpolation="none",  # vector backends embed the pixels as they are, marked to be drawn unsmoothed
        aspect="equal",
        resample=False,
    )
    image.set_clip_on(False)  # the image is the axes' extent; ImageMagick's MSVG draws nothing inside a clip
    ax.tick_params(length=2, width=0.5, pad=1.5)
    return image


def _colour_bar(figure, axes, colormap: str, scale: str, shrink: float) -> None:
    import matplotlib
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    if scale not in SCALES:
        raise ValueError(f"scale: '{scale}' is not one of {', '.join(SCALES)}")
    low, high = SCALE_LEVELS[scale]
    mappable = ScalarMappable(norm=Normalize(low, high), cmap=matplotlib.colormaps[colormap])
    bar = figure.colorbar(mappable, ax=axes, shrink=shrink, aspect=30, pad=0.02)
    bar.set_label(figure_text(SCALES[scale]))
    bar.outline.set_linewidth(0.5)
    bar.ax.tick_params(labelsize="small", length=2, width=0.5)


def _caption(figure, caption: str) -> None:
    if caption:
        # wrap: a Gemma 3 caption (per-layer masks, both θs, the block-summary note) is wider than the figure
        figure.supxlabel(caption, fontsize="small", style="italic", wrap=True)


def _label_axes(
    figure, bottom: list, left: list, tokens: list[str], others: list | None = None, key_tokens=None
) -> None:
    """Token labels on the outer axes (key_tokens on the key axis when given), thinned to the room they have."""
    for ax in others or []:
        ax.set_xticks([])
        ax.set_yticks([])
    for attempt in range(2):  # the first guess of the axis length is refined once the layout is known
        for ax in bottom:
            _set_ticks(ax.xaxis, tokens if key_tokens is None else key_tokens, _axis_points(figure, ax, 0), rotate=True)
        for ax in left:
            _set_ticks(ax.yaxis, tokens, _axis_points(figure, ax, 1), rotate=False)
        if attempt == 0:
            figure.draw_without_rendering()


def _axis_points(figure, ax, which: int) -> float:
    box = ax.get_position()  # the laid-out box once drawn; a first guess (the subplot's slot) before
    size = figure.get_size_inches()[which] * (box.width if which == 0 else box.height)
    return max(size, 0.1) * 72.0


def _set_ticks(axis, tokens: list[str], axis_points: float, rotate: bool) -> None:
    positions, labels = tick_labels(tokens, axis_points)
    axis.set_ticks(positions, labels)
    if rotate:
        for text, label in zip(labels, axis.get_ticklabels()):
            label.set_rotation(0 if upright(text) else 90)


def save(figure, path: str | Path, *, width: int = 1600, dpi: int = 300, before_write=None) -> None:
    """Write the figure as PNG (width pixels, dpi recorded in the file), SVG or PDF, by the path's extension.

    The bytes are made in memory and written once, atomically. The figure is laid out `width / dpi` inches wide
    (at least MIN_INCHES, below which labels and colour bar have no room); a PNG is rendered to exactly `width`
    pixels whatever the layout's size, and says `dpi` in its header.
    """
    from matplotlib import rc_context

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FIGURE_SUFFIXES:
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(FIGURE_SUFFIXES)}")
    check_png_size(width, dpi)
    buffer = io.BytesIO()
    with rc_context(_DRAWN_WITH.get(figure, {})):
        if suffix == ".png":
            inches = figure.get_size_inches()
            figure.savefig(buffer, format="png", dpi=width / inches[0], pil_kwargs={"dpi": (dpi, dpi)})
        else:
            figure.savefig(buffer, format=suffix[1:], dpi=dpi, metadata=_metadata(suffix))
    if before_write is not None:
        before_write()
    if suffix == ".svg":
        write_atomic(path, simple_renderer_svg(buffer.getvalue().decode("utf-8")).encode("utf-8"))
    else:
        write_atomic(path, buffer.getbuffer())


def figure_inches(width: int, dpi: int) -> float:
    """How wide the figure is laid out: the PNG's size in inches, but never too small to hold its labels."""
    check_png_size(width, dpi)
    return max(width / dpi, MIN_INCHES)


def check_png_size(width: int, dpi: int) -> None:
    if not 16 <= width <= 20000:
        raise ValueError(f"width: {width} pixels is outside 16..20000")
    if not 10 <= dpi <= 2400:
        raise ValueError(f"dpi: {dpi} is outside 10..2400")


def _metadata(suffix: str) -> dict:
    # No date: the same map and options give the same bytes, so exports can be compared and versioned.
    return (
        {"Creator": "Attention Explorer", "Date": None}
        if suffix == ".svg"
        else {"Creator": "Attention Explorer", "CreationDate": None}
    )


def write_head(
    path: str | Path, matrix, visible, tokens: list[str], *, width=1600, dpi=300, before_write=None, **style
):
    """One head's figure written to path (.png, .svg or .pdf), `width / dpi` inches wide; style as head_figure."""
    figure = head_figure(matrix, visible, tokens, width_inches=figure_inches(width, dpi), **style)
    save(figure, path, width=width, dpi=dpi, before_write=before_write)


def write_heads(path: str | Path, maps, visible, tokens: list[str], *, width=1600, dpi=300, before_write=None, **style):
    """A layer's small multiples written to path (.png, .svg or .pdf); style as heads_figure."""
    figure = heads_figure(maps, visible, tokens, width_inches=figure_inches(width, dpi), **style)
    save(figure, path, width=width, dpi=dpi, before_write=before_write)

"""Cells drawn crisply in every renderer: colours as an RGB image, upsampled by a whole factor, embedded unsmoothed.

matplotlib embeds an image drawn with interpolation="none" at its own size in SVG and PDF, marked to be drawn
unsmoothed. Renderers that smooth it anyway (librsvg, pdftoppm below a few times zoom) blurred a 9 × 30 atlas
or a 50 × 50 matrix into a gradient. Each cell is therefore k × k pixels (k as figure.upsample_factor chooses,
up to about 2048 pixels a side), so any smoothing stays within a cell's edge and every cell keeps its colour.
Every figure that draws a grid of cells (attention maps, the head atlas, the labs' matrices) draws it here.
"""

from __future__ import annotations

import numpy as np

from explorer.export.figure import upsample_factor


def colours_of(values: np.ndarray, colormap, low: float, high: float) -> np.ndarray:
    """(rows, columns, 3) uint8: finite values on [low, high] through a matplotlib colormap (name or object)."""
    import matplotlib
    from matplotlib.colors import Normalize

    cmap = matplotlib.colormaps[colormap] if isinstance(colormap, str) else colormap
    rgba = cmap(Normalize(low, high, clip=True)(np.asarray(values, dtype=np.float64)), bytes=True)
    return np.ascontiguousarray(rgba[..., :3])


def draw_cells(ax, rgb: np.ndarray, *, aspect: str = "equal", gid: str | None = None):
    """rgb (rows, columns, 3) drawn as cells, row 0 at the top, cell (i, j) centred on (j, i)."""
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or 0 in rgb.shape:
        raise ValueError(f"rgb: needs a [rows, columns, 3] image, got shape {list(rgb.shape)}")
    rows, columns = rgb.shape[:2]
    k = upsample_factor(max(rows, columns))
    pixels = rgb if k == 1 else np.repeat(np.repeat(rgb, k, axis=0), k, axis=1)
    image = ax.imshow(
        pixels,
        extent=(-0.5, columns - 0.5, rows - 0.5, -0.5),
        interpolation="none",  # vector backends embed the pixels as they are, marked to be drawn unsmoothed
        aspect=aspect,
        resample=False,
    )
    image.set_clip_on(False)  # the image is the axes' extent; ImageMagick's MSVG draws nothing inside a clip
    if gid is not None:
        image.set_gid(gid)
    return image

"""A Gemma 3 figure's caption (its masks per layer, both RoPE θs, the block-summary note) is wider than the
figure: it wraps inside it instead of running off both edges, and names both θs."""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from explorer.export.figure import head_figure
from explorer.export.figure_style import caption_text


def test_a_long_caption_wraps_inside_the_figure_and_names_both_thetas():
    options = {"mask": "causal,window=512 ×15; causal ×3", "pos": "rope", "rope_theta": 1e6,
               "local_rope_theta": 1e4, "kv_heads": 1}  # fmt: skip
    caption = caption_text("gemma-3-270m", 5, 0, options) + " · each pixel: the maximum of its block of 33 × 33 cells"
    assert "rope θ=1e+06 (global), 10000 (local)" in caption
    tokens = [f"t{i}" for i in range(8)]
    heights = []
    for text in (caption, "gemma-3-270m"):
        figure = head_figure(np.full((8, 8), 0.125, np.float32), np.ones((8, 8), bool), tokens, caption=text)
        renderer = FigureCanvasAgg(figure).get_renderer()
        figure.draw(renderer)
        (shown,) = [t for t in figure.texts if t.get_text() == text]
        box, page = shown.get_window_extent(renderer), figure.bbox
        assert page.x0 <= box.x0 and box.x1 <= page.x1, (box, page)
        heights.append(box.height)
    assert heights[0] > 1.5 * heights[1]  # the long one on more than one line

"""The figure renderer draws a cross-attention map: T output rows by S source columns, each axis its own tokens."""

import numpy as np
import pytest

from explorer.export.figure import cell_image, head_figure, upsample_factor, write_head
from explorer.export.figure_style import lookup_table


def test_a_rectangular_map_keeps_its_shape_and_every_cell_its_colour():
    matrix = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]], dtype=np.float32)  # (T=2, S=3): reverse of 3 tokens
    image = cell_image(matrix, np.ones_like(matrix, dtype=bool), "viridis", "linear")
    k = upsample_factor(3)
    assert image.shape == (2 * k, 3 * k, 3)
    table = lookup_table("viridis")
    assert tuple(image[0, 2 * k]) == tuple(table[254]) and tuple(image[0, 0]) == tuple(table[0])
    assert tuple(image[k, k]) == tuple(table[254])


def test_rows_and_columns_carry_their_own_tokens(tmp_path):
    matrix = np.full((2, 3), 1 / 3, dtype=np.float32)
    figure = head_figure(matrix, np.ones((2, 3), bool), ["y0", "y1"], key_tokens=["a", "b", "c"])
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["y0", "y1"]
    assert ax.get_xlim() == pytest.approx((-0.5, 2.5)) and ax.get_ylim() == pytest.approx((1.5, -0.5))
    with pytest.raises(ValueError, match="^tokens: 2 labels for a map of 3 tokens"):
        head_figure(matrix, np.ones((2, 3), bool), ["y0", "y1"], key_tokens=["a", "b"])
    path = tmp_path / "cross.png"
    write_head(path, matrix, np.ones((2, 3), bool), ["y0", "y1"], key_tokens=["a", "b", "c"], width=400, dpi=100)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

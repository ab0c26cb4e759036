"""The figure renderer from plain data: themes, CJK glyphs, label thinning, small multiples, file names, honest
data files (masked CSV cells empty, position-qualified labels) and the usual 0644 mode for every file written."""

from __future__ import annotations

import os
import stat
import warnings

import numpy as np
import pytest
from PIL import Image

from explorer.core.display import MASKED_RGB
from explorer.core.session import save_session
from explorer.core.state import SessionState
from explorer.export.data import write_csv, write_json, write_npy
from explorer.export.figure import cell_image, head_figure, heads_figure, upsample_factor, write_head, write_heads
from explorer.export.figure_style import caption_text, default_name, font_families
from explorer.export.svg_compat import simple_renderer_svg

CHINESE = list("猫坐在垫子上，因为它累了。")


def causal(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    visible = np.tril(np.ones((n, n), dtype=bool))
    matrix = np.random.default_rng(seed).random((n, n)).astype(np.float32) * visible
    return matrix / matrix.sum(-1, keepdims=True), visible


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_cells_are_whole_pixel_blocks_with_masked_cells_grey():
    matrix, visible = causal(5)
    image = cell_image(matrix, visible, "viridis", "linear")
    k = upsample_factor(5)
    assert k == 256 and image.shape == (5 * k, 5 * k, 3)  # 256: the most, so smoothing stays at the edges
    assert tuple(image[0, k]) == MASKED_RGB and tuple(image[k, 0]) != MASKED_RGB
    assert np.all(image[:k, :k] == image[0, 0]), "each cell is a k × k block of one colour"
    assert upsample_factor(8192) == 1 and upsample_factor(512) == 4


def test_bad_input_names_the_argument():
    matrix, visible = causal(4)
    with pytest.raises(ValueError, match="^tokens: 3 labels for a map of 4 tokens"):
        head_figure(matrix, visible, ["a", "b", "c"])
    with pytest.raises(ValueError, match="^visible: shape"):
        cell_image(matrix, visible[:3], "viridis", "linear")
    with pytest.raises(ValueError, match="^theme: 'sepia'"):
        head_figure(matrix, visible, list("abcd"), theme="sepia")
    with pytest.raises(ValueError, match="^width: 5 pixels"):
        write_head("x.png", matrix, visible, list("abcd"), width=5)


def test_a_cjk_font_draws_chinese_labels_as_glyphs(tmp_path):
    from matplotlib import font_manager

    if not any("CJK" in entry.name or "WenQuanYi" in entry.name for entry in font_manager.fontManager.ttflist):
        pytest.skip("no CJK font installed (Debian/Ubuntu: apt install fonts-noto-cjk)")
    families = font_families()
    assert len(families) == 2, f"a CJK fallback font is in the list: {families}"
    matrix, visible = causal(len(CHINESE))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for suffix in (".png", ".pdf", ".svg"):
            write_head(tmp_path / f"zh{suffix}", matrix, visible, CHINESE, title="猫", caption="猫坐在垫子上")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == [], "a glyph fell back to a box (tofu)"


def test_light_theme_is_white_with_black_text_and_dark_is_dark(tmp_path):
    matrix, visible = causal(6)
    tokens = ["alpha", "beta", "gamma", "delta", "eps", "zeta"]
    for theme, corner in (("light", (255, 255, 255)), ("dark", (30, 30, 30))):
        path = tmp_path / f"{theme}.png"
        write_head(path, matrix, visible, tokens, width=800, dpi=100, theme=theme, title="t")
        image = Image.open(path)
        assert image.size[0] == 800 and round(image.info["dpi"][0]) == 100, "the DPI is recorded in the PNG"
        pixels = np.asarray(image.convert("RGB"))
        assert tuple(pixels[1, 1]) == corner
    light = np.asarray(Image.open(tmp_path / "light.png").convert("RGB"))
    assert (light.sum(axis=2) < 60).sum() > 200, "black text and axes"


def test_labels_are_thinned_so_they_never_overlap():
    matrix, visible = causal(512)
    figure = head_figure(matrix, visible, [f"tok{i}" for i in range(512)])
    figure.draw_without_rendering()
    ax = figure.axes[0]
    for labels, along in ((ax.get_yticklabels(), 1), (ax.get_xticklabels(), 0)):
        boxes = sorted((box.min[along], box.max[along]) for box in (t.get_window_extent() for t in labels))
        assert 8 < len(boxes) < 512
        assert all(low >= high_before for (_, high_before), (low, _) in zip(boxes, boxes[1:])), "labels overlap"


def test_small_multiples_share_one_colour_bar_and_label_the_outer_axes():
    maps = np.stack([causal(6, seed)[0] for seed in range(5)])  # 5 heads: a 3 × 2 grid with one empty slot
    figure = heads_figure(maps, causal(6)[1], list("abcdef"), title="layer 0")
    figure.draw_without_rendering()
    heads = [ax for ax in figure.axes if ax.get_images()]
    bars = [ax for ax in figure.axes if ax not in heads and ax.get_visible() and ax.axison and not ax.get_images()]
    assert len(heads) == 5 and len(bars) == 1, "one shared colour bar"
    labelled_y = [ax for ax in heads if any(t.get_text() for t in ax.get_yticklabels())]
    labelled_x = [ax for ax in heads if any(t.get_text() for t in ax.get_xticklabels())]
    assert len(labelled_y) == 2 and len(labelled_x) == 3, "token labels on the left column and the lowest maps"
    for ax in heads:
        box = ax.get_window_extent()
        assert abs(box.width - box.height) < 1.5, "square cells"


def test_default_names_and_captions_say_what_the_figure_shows():
    options = {"mask": "causal", "pos": "rope", "rope_theta": 100000.0, "kv_heads": 3, "temperature": 1.0}
    name = default_name("HuggingFaceTB/SmolLM2-135M", 3, 5, options, ".svg")
    assert name == "HuggingFaceTB-SmolLM2-135M_L03_H05_causal-rope-theta100000-3-kv.svg"
    assert default_name("m", 0, "mean", None, ".pdf") == "m_L00_mean.pdf"
    caption = caption_text("smollm2", 3, 5, {**options, "temperature": 2.0})
    assert caption == "smollm2 · layer 3 · head 5 · causal · rope θ=100000 · 3 KV heads · T=2"


def test_svg_rewrites_for_simple_renderers_keep_the_geometry():
    svg = (
        '<text style="font-size: 6px; font-family: \'DejaVu Sans\', \'Noto Sans CJK SC\'" x="1.5" y="2" '
        'transform="rotate(-90 1.5 2)">猫</text>'
        '<text style="font-family: \'DejaVu Sans\', \'Noto Sans CJK SC\'" x="3" y="4" '
        'transform="rotate(-0 3 4)">cat</text>'
    )
    assert simple_renderer_svg(svg) == (
        '<text style="font-size: 6px; font-family: \'Noto Sans CJK SC\'" x="0" y="0" '
        'transform="translate(1.5 2) rotate(-90)">猫</text>'
        '<text style="font-family: \'DejaVu Sans\', \'Noto Sans CJK SC\'" x="3" y="4">cat</text>'
    )


def test_csv_leaves_masked_cells_empty_and_labels_carry_positions(tmp_path):
    matrix = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.0, 0.5]], dtype=np.float32)
    visible = np.tril(np.ones((3, 3), dtype=bool))
    write_csv(tmp_path / "m.csv", matrix, ["the", " cat", "the"], ["the", " cat", "the"], visible=visible)
    rows = (tmp_path / "m.csv").read_text().splitlines()
    assert rows[0].startswith("query \\ key,0:the,1:") and rows[0].endswith(",2:the"), "repeated tokens differ"
    assert rows[1].split(",")[1:] == ["1", "", ""], "masked cells are empty"
    assert rows[2].split(",")[1:] == ["0", "1", ""], "a real zero is written as 0"
    assert rows[3].split(",")[1:] == ["0.5", "0", "0.5"]
    with pytest.raises(ValueError, match="^visible: shape"):
        write_csv(tmp_path / "x.csv", matrix, ["a"] * 3, ["a"] * 3, visible=visible[:2])


def test_every_file_written_has_the_usual_mode(tmp_path, umask_022):
    matrix, visible = causal(4)
    tokens = list("abcd")
    write_csv(tmp_path / "m.csv", matrix, tokens, tokens, visible=visible)
    write_npy(tmp_path / "m.npy", matrix)
    write_json(tmp_path / "m.json", {"attention": matrix.tolist()})
    for suffix in (".png", ".svg", ".pdf"):
        write_head(tmp_path / f"head{suffix}", matrix, visible, tokens)
    write_heads(tmp_path / "heads.svg", np.stack([matrix, matrix]), visible, tokens)
    save_session(tmp_path / "s.session.json", SessionState(model="m", texts=["hi"]))
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert len(modes) == 8 and set(modes.values()) == {0o644}, modes
